//! `hotfix init`: writes a commented `.hotfix.toml`.

use crate::config::FILE_NAME;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::hotfix::Globals;
use crate::{render, ui};

/// Writes a commented .hotfix.toml with every key and its default.
///
/// Commit the file on mainline: the policy in force is always mainline's.
///
/// Example: hotfix init && git add .hotfix.toml && git commit -m "Add hotfix policy"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Overwrites an existing file.
    #[arg(long)]
    pub force: bool,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let dir = match &globals.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()?,
    };
    let repo = Repo::discover(&dir)?;
    let root = repo.workdir()?;
    let path = root.join(FILE_NAME);
    if path.exists() && !args.force {
        return Err(Error::usage(format!("{} already exists", path.display()))
            .cause("init does not overwrite a configuration you may have edited")
            .hint("edit it, or pass --force to replace it with the commented defaults"));
    }
    std::fs::write(&path, render::builtin("hotfix.toml"))?;
    ui::out(format!("wrote {}", path.display()));
    ui::note(format!(
        "next: commit it on mainline (git add {FILE_NAME} && git commit -m \"Add hotfix policy\") and push"
    ));
    Ok(())
}
