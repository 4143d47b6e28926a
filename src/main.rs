use clap::Parser;

use hotfix::cli::Cli;
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
    // git itself does not re-hash every object it reads; libgit2 does by default, which doubles
    // the cost of reading tags and commits in large repositories.
    git2::opts::strict_hash_verification(false);
    ui::set_quiet(cli.quiet);
    if let Err(err) = commands::run(cli) {
        if !err.quiet {
            ui::error(&err);
        }
        std::process::exit(err.exit_code());
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
