//! `hotfix completions` and `hotfix man`: generated from the command definitions.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;
use crate::error::Result;

/// Prints a shell completion script.
///
/// Example: hotfix completions bash > ~/.local/share/bash-completion/completions/hotfix
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the man page (roff).
///
/// Example: hotfix man > hotfix.1 && man ./hotfix.1
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {}

/// Returns the completion script for a shell.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "hotfix", &mut buf);
    buf
}

/// The file each shell's script is kept in under `completions/`.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "hotfix.bash",
        Shell::Zsh => "_hotfix",
        Shell::Fish => "hotfix.fish",
        Shell::Elvish => "hotfix.elv",
        Shell::PowerShell => "_hotfix.ps1",
        _ => "hotfix.unknown",
    }
}

pub fn run(args: Args) -> Result<()> {
    crate::ui::out_bytes(&script(args.shell));
    Ok(())
}

pub fn run_man(_args: ManArgs) -> Result<()> {
    let man = clap_mangen::Man::new(Cli::command());
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    crate::ui::out_bytes(&buf);
    Ok(())
}
