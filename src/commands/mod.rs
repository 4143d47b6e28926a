//! One module per command: its arguments and its `run`. The only dispatch lives here.

pub mod abandon;
pub mod check;
pub mod completions;
pub mod demo;
pub mod deployed;
pub mod init;
pub mod list;
pub mod pick;
pub mod pr;
pub mod report;
pub mod retro;
pub mod rollback;
pub mod ship;
pub mod start;
pub mod status;
pub mod sync;
pub mod verify;

use crate::cli::{Cli, Command};
use crate::context::Globals;
use crate::error::{Error, Result};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    if cli.dir.len() > 1 && !matches!(cli.command, Command::Report(_)) {
        return Err(Error::usage("-C was given more than once")
            .cause("only `hotfix report` works on several repositories at once")
            .hint("give one -C PATH"));
    }
    let globals = Globals {
        dir: cli.dir.last().cloned(),
        dirs: cli.dir.clone(),
        config: cli.config,
        yes: cli.yes,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Init(a) => init::run(&globals, a),
        Command::Start(a) => start::run(&globals, a),
        Command::Pick(a) => pick::run(&globals, a),
        Command::Status(a) => status::run(&globals, a),
        Command::Pr(a) => pr::run(&globals, a),
        Command::Check(a) => check::run(&globals, a),
        Command::Ship(a) => ship::run(&globals, a),
        Command::List(a) => list::run_list(&globals, a),
        Command::Show(a) => list::run_show(&globals, a),
        Command::Sync(a) => sync::run(&globals, a),
        Command::Deployed(a) => deployed::run(&globals, a),
        Command::Verify(a) => verify::run(&globals, a),
        Command::Rollback(a) => rollback::run(&globals, a),
        Command::Abandon(a) => abandon::run(&globals, a),
        Command::Retro(a) => retro::run(&globals, a),
        Command::Report(a) => report::run(&globals, a),
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
