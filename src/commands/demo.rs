//! `hotfix demo`: a whole hotfix in a sandbox repository.

use crate::error::Result;
use crate::hotfix::Globals;

/// Runs a whole hotfix (start, pick, check, ship, push) in a sandbox repository it builds.
///
/// Example: hotfix demo
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Builds the sandbox here instead of a new temporary folder.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

pub fn run(_globals: &Globals, _args: Args) -> Result<()> {
    Ok(())
}
