use clap::{CommandFactory, FromArgMatches};

use hotfix::commands::Cli;
use hotfix::{commands, ui};

fn main() {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Ok((Cli::from_arg_matches(&m)?, m)));
    let cli = match parsed {
        Ok((mut cli, matches)) => {
            // `--override RULE --line X.Y` scopes the override: only the positions tell.
            if let (commands::Command::Ship(a), Some(("ship", sub))) =
                (&mut cli.command, matches.subcommand())
            {
                let at = |id: &str| -> Vec<usize> {
                    sub.indices_of(id).map(|i| i.collect()).unwrap_or_default()
                };
                let (lines, overrides) = (at("line"), at("overrides"));
                commands::ship::scope_overrides(a, &lines, &overrides);
            }
            cli
        }
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
