//! Publishing the ledger: fetch the remote's, merge it by the union of lines, push the result
//! (retried when another clone pushed in between), never publishing a ship that lost a race.
//! For `sync`, and for `deploy` after each outcome.

use std::time::Duration;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::git::cli;
use crate::ui;

/// Refuses to publish a `shipped` event whose tag the remote has at another commit: the ship
/// from this clone lost a race with another clone's, and its record would then contradict the
/// tag everyone sees.
fn refuse_lost_ships(ctx: &Ctx, dir: &std::path::Path, remote: &str) -> Result<()> {
    let ships = ctx.ledger().unpublished_ships()?;
    if ships.is_empty() {
        return Ok(());
    }
    // One question to the remote for every tag, however many records are published.
    let Ok(tags) = cli::remote_tags(dir, remote)? else {
        return Ok(()); // the push below says why the remote cannot be reached
    };
    for (id, tag, commit) in ships {
        if let Some(there) = tags.get(&tag) {
            if *there != commit {
                return Err(Error::usage(format!(
                    "will not publish the ship of {id}: {remote} has {tag} at another commit"
                ))
                .cause(format!(
                    "this clone recorded {tag} at {}, but {remote}'s tag points at {}: another clone shipped it first",
                    &commit[..commit.len().min(10)],
                    &there[..there.len().min(10)]
                ))
                .hint(format!(
                    "nothing was pushed. Keep the ledger from before this clone's ship: git branch -f {0} {remote}/{0} (then `hotfix sync`), delete the local tag (git tag -d {tag}), and ship the fix as the next version",
                    ctx.config.release.ledger
                )));
            }
        }
    }
    Ok(())
}

/// Fetches the remote's ledger, merges it, and pushes the result (retried when another clone
/// pushed in between). Returns how many records the ledger holds, or `None` when it is empty
/// here and there. For `sync`, and for `deploy` after each outcome.
pub fn publish(ctx: &Ctx) -> Result<Option<usize>> {
    let remote = ctx.remote().to_string();
    let dir = ctx.repo.command_dir();
    let ledger = ctx.config.release.ledger.clone();
    for attempt in 0..3 {
        if let Some(w) = ctx.ledger().pull()?.and_then(|m| m.warning()) {
            ui::warn(w);
        }
        if ctx.ledger().tip_commit().is_none() {
            return Ok(None);
        }
        // A ledger written by an older hotfix (or by hand) gets its facts index here, so that
        // reports in every clone read the index rather than every record.
        if ctx.ledger().reindex()? {
            ui::note("indexed the ledger's records for reports");
        }
        refuse_lost_ships(ctx, &dir, &remote)?;
        let spec = format!("refs/heads/{ledger}:refs/heads/{ledger}");
        let out = cli::run(
            &dir,
            &["push", "--porcelain", &remote, &spec],
            cli::NETWORK_TIMEOUT,
        )?;
        if out.success {
            return Ok(Some(ctx.ledger().count()?));
        }
        if attempt == 2 {
            return Err(
                Error::external(format!("pushing the ledger to {remote} failed"))
                    .cause(out.stderr.trim().to_string())
                    .hint("check that you can push to the remote, then run `hotfix sync` again"),
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(None)
}
