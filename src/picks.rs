//! The `picked` events of a hotfix: what `pick` records after each sequence, and what a kill
//! left unrecorded (a branch moved, its record not yet written), which the next `pick`,
//! `--continue` or `ship` records from the branch itself.

use crate::context::{Ctx, Current};
use crate::error::{Error, Result};
use crate::git::Oid;
use crate::git::message::subject;
use crate::git::pick::Done;
use crate::ledger::{self, Event, Picked};

/// Appends a `picked` event for each commit the sequence made; an event already recorded is
/// not written again, so a re-run after a kill never duplicates.
pub fn record_picks(ctx: &Ctx, id: &str, done: &[Done]) -> Result<()> {
    let repo = &ctx.repo;
    let ledger = ctx.ledger();
    let recorded: Vec<String> = ledger
        .record(id)?
        .map(|r| r.picks().into_iter().map(|p| p.commit).collect())
        .unwrap_or_default();
    let by = ledger::by(repo)?;
    let at = ledger::now(repo)?;
    for d in done {
        let Some(commit) = &d.commit else { continue };
        if recorded.contains(commit) {
            continue;
        }
        let c = Oid::from_str(commit).map_err(|_| Error::usage("bad commit id in pick state"))?;
        let s =
            Oid::from_str(&d.source).map_err(|_| Error::usage("bad commit id in pick state"))?;
        let clean = repo.patch_id(c, None)? == repo.patch_id(s, d.mainline)?;
        let msg = repo.commit_info(s)?.message;
        let picked = Picked {
            source: d.source.clone(),
            commit: commit.clone(),
            subject: subject(&msg).to_string(),
            pr: d.pr,
            clean,
        };
        ledger.append(&Event::new("picked", id, &by, at, &picked))?;
    }
    Ok(())
}

/// Records, as `picked` events, the picks on a hotfix branch (commits with a cherry-pick
/// trailer since its base) that its record lacks: a kill between a branch move and its
/// record leaves such a pick, and the next pick, `--continue` or ship records it. The source
/// is the first trailer, the mainline commit a chain leads to. Returns how many.
pub fn record_branch_picks(ctx: &Ctx, current: &Current) -> Result<usize> {
    let repo = &ctx.repo;
    let recorded: Vec<String> = ctx
        .ledger()
        .record(&current.id)?
        .map(|r| r.picks().into_iter().map(|p| p.commit).collect())
        .unwrap_or_default();
    let mut done = Vec::new();
    for c in repo.range(current.base.commit, current.head)? {
        let id = c.to_string();
        if recorded.contains(&id) {
            continue;
        }
        let info = repo.commit_info(c)?;
        let Some(source) = crate::git::message::picked_from(&info.message)
            .into_iter()
            .next()
        else {
            continue;
        };
        if Oid::from_str(&source).is_err() || repo.resolve_commit(&source).is_err() {
            continue;
        }
        done.push(Done {
            source,
            commit: Some(id),
            skipped: None,
            resolved: false,
            pr: None,
            mainline: None,
        });
    }
    record_picks(ctx, &current.id, &done)?;
    Ok(done.len())
}
