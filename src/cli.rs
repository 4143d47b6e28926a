//! The command line: global flags and the command list. Each command's arguments live in its
//! own module under `commands/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::ui::ColorChoice;

/// Makes the hotfix discipline the path of least resistance: start from the release tag, pick
/// fixes already merged on mainline, check the rules, ship a tagged patch release, and keep a
/// ledger of every hotfix in git.
#[derive(Debug, Parser)]
#[command(name = "hotfix", version, about, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 success, 1 a policy rule failed, 2 usage/config/repository error, \
3 a pick stopped on a conflict, 4 an external service failed.\n\nStart with `hotfix demo` to see a whole hotfix in a sandbox."
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

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(commands::init::Args),
    Start(commands::start::Args),
    Pick(commands::pick::Args),
    Status(commands::status::Args),
    Pr(commands::pr::Args),
    Check(commands::check::Args),
    Ship(commands::ship::Args),
    List(commands::list::ListArgs),
    Show(commands::list::ShowArgs),
    Sync(commands::sync::Args),
    Deployed(commands::deployed::Args),
    Verify(commands::verify::Args),
    Rollback(commands::rollback::Args),
    Abandon(commands::abandon::Args),
    Retro(commands::retro::Args),
    Report(commands::report::Args),
    Demo(commands::demo::Args),
    Completions(commands::completions::Args),
    Man(commands::completions::ManArgs),
}
