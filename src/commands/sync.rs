//! `hotfix sync`: fetches the remote's ledger, merges it by the union of lines, pushes it back.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::ui;

/// Fetches, merges and pushes the ledger, so every clone sees every hotfix.
///
/// Concurrent writers merge by the union of each record's lines: nothing is ever lost.
/// Records without a line in the ledger's facts index (written by an older hotfix, or by
/// hand) are indexed on the way.
///
/// Example: hotfix sync
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(globals: &Globals, _args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix sync`")?;
    let remote = ctx.remote().to_string();
    if !ctx.repo.has_remote(&remote) {
        return Err(Error::usage(format!("no remote named '{remote}'"))
            .cause("sync exchanges the ledger with a remote")
            .hint(format!(
                "add one (git remote add {remote} URL), or set [release] remote in .hotfix.toml"
            )));
    }
    let before = ctx.ledger().count()?;
    match crate::publish::publish(&ctx)? {
        None => ui::out("the ledger is empty here and on the remote: nothing to sync"),
        Some(after) => ui::out(format!(
            "ledger synced with {remote}: {after} record(s), {} new here",
            after.saturating_sub(before)
        )),
    }
    Ok(())
}
