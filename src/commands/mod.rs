//! One module per command: its arguments and its `run`. The command line (the global flags
//! and the command list) and the only dispatch live here.

pub mod abandon;
pub mod approve;
pub mod audit;
pub mod check;
pub mod completions;
pub mod demo;
pub mod deploy;
pub mod deployed;
pub mod import;
pub mod init;
pub mod list;
pub mod pick;
pub mod pr;
pub mod preview;
pub mod report;
pub mod retro;
pub mod rollback;
pub mod runbook;
pub mod ship;
pub mod skip_line;
pub mod start;
pub mod status;
pub mod sync;
pub mod verify;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::context::Globals;
use crate::error::{Error, Result};
use crate::ui::ColorChoice;

/// Makes the hotfix discipline the path of least resistance: start from the release tag, pick
/// fixes already merged on mainline, check the rules, ship a tagged patch release, and keep a
/// ledger of every hotfix in git.
#[derive(Debug, Parser)]
#[command(name = "hotfix", version, about, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 success, 1 a policy rule failed, 2 usage/config/repository error, \
3 a pick stopped on a conflict, 4 an external service failed (or, for deploy, production \
may be bad and a person is needed), 5 a deploy failed and was rolled back to a healthy version.\n\nStart with `hotfix demo` to see a whole hotfix in a sandbox."
)]
pub struct Cli {
    /// Runs as if hotfix was started in PATH (`report` takes several, one per repository).
    #[arg(short = 'C', global = true, value_name = "PATH", action = clap::ArgAction::Append)]
    pub dir: Vec<PathBuf>,

    /// Reads the configuration from FILE instead of .hotfix.toml on mainline.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Answers yes to confirmations and never prompts.
    #[arg(long, global = true, visible_alias = "no-input")]
    pub yes: bool,

    /// Prints only results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Prints more detail.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// When to use colour (NO_COLOR also turns it off).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The global flags, as every command takes them.
    pub fn globals(&self) -> Globals {
        Globals {
            dir: self.dir.last().cloned(),
            dirs: self.dir.clone(),
            config: self.config.clone(),
            yes: self.yes,
            quiet: self.quiet,
            verbose: self.verbose,
        }
    }
}

/// Every command, in the order `--help` lists them.
#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::Args),
    Start(start::Args),
    Pick(pick::Args),
    Preview(preview::Args),
    Status(status::Args),
    Pr(pr::Args),
    Check(check::Args),
    Ship(ship::Args),
    SkipLine(skip_line::Args),
    Approve(approve::Args),
    List(list::ListArgs),
    Show(list::ShowArgs),
    Sync(sync::Args),
    Deploy(deploy::Args),
    Deployed(deployed::Args),
    Verify(verify::Args),
    Rollback(rollback::Args),
    Abandon(abandon::Args),
    Retro(retro::Args),
    Runbook(runbook::Args),
    Report(report::Args),
    Audit(audit::Args),
    Import(import::Args),
    Demo(demo::Args),
    Completions(completions::Args),
    Man(completions::ManArgs),
}

/// Runs one command with the global flags.
pub fn run(globals: Globals, command: Command) -> Result<()> {
    if globals.dirs.len() > 1 && !matches!(command, Command::Report(_)) {
        return Err(Error::usage("-C was given more than once")
            .cause("only `hotfix report` works on several repositories at once")
            .hint("give one -C PATH"));
    }
    match command {
        Command::Init(a) => init::run(&globals, a),
        Command::Start(a) => start::run(&globals, a),
        Command::Pick(a) => pick::run(&globals, a),
        Command::Preview(a) => preview::run(&globals, a),
        Command::Status(a) => status::run(&globals, a),
        Command::Pr(a) => pr::run(&globals, a),
        Command::Check(a) => check::run(&globals, a),
        Command::Ship(a) => ship::run(&globals, a),
        Command::SkipLine(a) => skip_line::run(&globals, a),
        Command::Approve(a) => approve::run(&globals, a),
        Command::Import(a) => import::run(&globals, a),
        Command::List(a) => list::run_list(&globals, a),
        Command::Show(a) => list::run_show(&globals, a),
        Command::Sync(a) => sync::run(&globals, a),
        Command::Deploy(a) => deploy::run(&globals, a),
        Command::Deployed(a) => deployed::run(&globals, a),
        Command::Verify(a) => verify::run(&globals, a),
        Command::Rollback(a) => rollback::run(&globals, a),
        Command::Abandon(a) => abandon::run(&globals, a),
        Command::Retro(a) => retro::run(&globals, a),
        Command::Runbook(a) => runbook::run(&globals, a),
        Command::Report(a) => report::run(&globals, a),
        Command::Audit(a) => audit::run(&globals, a),
        Command::Demo(a) => demo::run(&globals, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => completions::run_man(a),
    }
}

/// The output formats of commands that print a result document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}
