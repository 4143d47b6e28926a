use clap::Parser;

use hotfix::commands::Cli;
use hotfix::{commands, ui};

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with code 0; usage errors get exit code 2.
            let _ = e.print();
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    ui::init_color(cli.color);
    hotfix::git::init();
    ui::set_quiet(cli.quiet);
    let globals = cli.globals();
    if let Err(err) = commands::run(globals, cli.command) {
        if !err.quiet {
            ui::error(&err);
        }
        std::process::exit(err.exit_code());
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
