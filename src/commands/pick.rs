//! `hotfix pick`: cherry-picks fixes merged on mainline onto the hotfix branch.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::git::message::subject;
use crate::git::pick::{Done, End, PickState, Sequencer, Step, Todo};
use crate::git::provenance;
use crate::git::{CommitInfo, Oid};
use crate::ledger::{self, Event, Picked};
use crate::sources::{Source, Unmerged, resolve};
use crate::ui;

/// Cherry-picks fixes already merged on mainline onto the hotfix branch.
///
/// Each pick carries the `(cherry picked from commit <sha>)` trailer and keeps its author. On a
/// conflict the pick stops with exit code 3 and leaves the conflict in the working tree.
///
/// Examples:
///   hotfix pick 3f2c1ab
///   hotfix pick 3f2c1ab 9e8d7c6          (applied in the order given)
///   hotfix pick v2.0.0..a1b2c3d          (a range, oldest first)
///   hotfix pick 5d4e3f2 --mainline 1     (a merge commit, against its first parent)
///   hotfix pick --continue | --skip | --abort
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Commits to pick: sha, short sha, tag, or range A..B.
    #[arg(value_name = "COMMIT")]
    pub commits: Vec<String>,

    /// Picks the commits of a merged pull request (repeatable); same as `#N`.
    #[arg(long, value_name = "N")]
    pub pr: Vec<u64>,

    /// Picks a merge commit against its parent N (1-based).
    #[arg(short = 'm', long, value_name = "N")]
    pub mainline: Option<u32>,

    /// Picks a commit that changes nothing (refused otherwise).
    #[arg(long)]
    pub allow_empty: bool,

    /// Commits the resolved conflict and picks the rest.
    #[arg(long = "continue", conflicts_with_all = ["abort", "skip", "commits", "pr"])]
    pub resume: bool,

    /// Drops the one commit that stopped, and picks the rest (to drop a whole release line
    /// from an incident, use `hotfix skip-line`).
    #[arg(long, conflicts_with_all = ["abort", "commits"])]
    pub skip: bool,

    /// Restores the branch and working tree to where they were before the pick began.
    #[arg(long, conflicts_with_all = ["commits"])]
    pub abort: bool,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix pick`")?;
    ctx.repo.workdir()?;
    // First: in a shallow clone every later step fails for a reason that is not the real one.
    ctx.repo.ensure_not_shallow("pick", ctx.remote())?;
    ctx.ensure_unlocked()?;
    if args.abort {
        return abort(&ctx);
    }
    if args.resume || args.skip {
        let Some(mut st) = PickState::load(&ctx.repo)? else {
            let what = if args.skip {
                "nothing to skip"
            } else {
                "nothing to continue"
            };
            return Err(Error::usage(format!("{what}: no pick is in progress"))
                .cause("there is no stopped `hotfix pick` in this repository")
                .hint("start one with `hotfix pick <sha>`"));
        };
        let seq = Sequencer::new(&ctx.repo)?;
        let end = if args.skip {
            seq.skip(&mut st, &mut report(&ctx, None))?
        } else {
            seq.resume(&mut st, &mut report(&ctx, None))?
        };
        return finish(&ctx, &mut st, end);
    }
    start_pick(&ctx, args)
}

fn start_pick(ctx: &Ctx, mut args: Args) -> Result<()> {
    let repo = &ctx.repo;
    if let Some(st) = PickState::load(repo)? {
        let at = st
            .todo
            .first()
            .map(|t| &t.source[..10])
            .unwrap_or("the end");
        return Err(Error::usage("a pick is already in progress")
            .cause(format!("the pick onto {} stopped at {at}", st.branch.trim_start_matches("refs/heads/")))
            .hint("finish it with `hotfix pick --continue` (or `--skip`), or undo it with `hotfix pick --abort`"));
    }
    let current = ctx.open_hotfix("pick")?;
    if args.commits.is_empty() && args.pr.is_empty() {
        if !ui::interactive() || ctx.globals.yes {
            return Err(Error::usage("name the commits to pick")
                .cause("pick needs at least one commit merged on mainline, and there is no terminal to offer them on")
                .hint(format!(
                    "hotfix pick <sha> ... or --pr N   (`git log --oneline {}` lists mainline's commits)",
                    ctx.mainline()
                        .map(|m| m.display)
                        .unwrap_or_else(|_| "main".into())
                )));
        }
        args.commits = offer(ctx, &current)?;
        if args.commits.is_empty() {
            ui::out("nothing selected; nothing picked");
            return Ok(());
        }
    }
    repo.ensure_no_git_operation()?;
    repo.ensure_not_shallow("pick", ctx.remote())?;
    repo.ensure_clean("pick")?;
    let mainline = ctx.mainline()?;

    let mut sources: Vec<Source> = Vec::new();
    let specs = args
        .commits
        .iter()
        .cloned()
        .chain(args.pr.iter().map(|n| format!("#{n}")));
    for spec in specs {
        for s in resolve(ctx, &spec, Unmerged::Refuse)? {
            if !sources.iter().any(|o| o.oid == s.oid) {
                sources.push(s);
            }
        }
    }
    let mut todo = Vec::new();
    for Source {
        spec,
        oid,
        mainline: pr_mainline,
        pr,
    } in &sources
    {
        let c = repo.commit_info(*oid)?;
        let short = repo.short(*oid);
        let what = format!("{short} \"{}\"", c.subject());
        if !repo.is_ancestor(*oid, mainline.tip)? && !leads_to_mainline(ctx, &c, &what)? {
            return Err(Error::usage(format!("{what} is not on mainline ({})", mainline.display))
                .cause("a hotfix carries only fixes already merged on mainline, so the next release has them too")
                .hint(format!(
                    "merge the fix to mainline first; if it is merged, update your copy: git fetch {}",
                    ctx.remote()
                )));
        }
        let parents = c.parents.len() as u32;
        let m = match (parents, pr_mainline.or(args.mainline)) {
            (0, _) => {
                return Err(Error::usage(format!("{what} is a root commit"))
                    .cause("it has no parent to take its change against")
                    .hint("pick the commits that carry the fix"));
            }
            (1, Some(_)) => {
                return Err(Error::usage(format!(
                    "--mainline was given but {what} is not a merge"
                ))
                .cause("--mainline chooses the parent of a merge commit")
                .hint("drop --mainline for ordinary commits"));
            }
            (1, None) => None,
            (n, None) => {
                return Err(Error::usage(format!("{what} is a merge commit of {n} parents"))
                    .cause("picking a merge needs to know which parent its change is taken against")
                    .hint(format!("pass --mainline 1 to pick the change the merge brought into its first parent ({spec})")));
            }
            (n, Some(k)) if k == 0 || k > n => {
                return Err(
                    Error::usage(format!("--mainline {k} is out of range for {what}"))
                        .cause(format!("it has {n} parents, numbered 1 to {n}"))
                        .hint("pass --mainline 1 for the branch the merge was made on"),
                );
            }
            (_, Some(k)) => Some(k),
        };
        let empty = repo.parent_tree(*oid, m)? == Some(c.tree);
        if empty && !args.allow_empty {
            return Err(Error::usage(format!("{what} changes nothing"))
                .cause("it is an empty commit; picking it would add a commit with no change")
                .hint("leave it out, or pass --allow-empty if you really want it"));
        }
        todo.push(Todo {
            source: oid.to_string(),
            mainline: m,
            pr: *pr,
        });
    }

    // A source picked before (its trailer is on the branch) is skipped up front.
    let on_branch = repo.range(current.base.commit, current.head)?;
    let mut already = std::collections::HashMap::new();
    for c in &on_branch {
        for s in crate::git::message::picked_from(&repo.commit_info(*c)?.message) {
            already.insert(s, *c);
        }
    }
    todo.retain(|t| match already.get(&t.source) {
        Some(at) => {
            ui::note(format!(
                "skipped {}: already picked as {}",
                repo.short(Oid::from_str(&t.source).expect("valid oid")),
                repo.short(*at)
            ));
            false
        }
        None => true,
    });
    if todo.is_empty() {
        ui::out("nothing to pick: every commit named is already on the branch");
        return Ok(());
    }

    let branch = format!("refs/heads/{}", current.branch);
    let mut st = PickState::new(&current.id, &branch, current.head, todo, args.allow_empty);
    st.save(repo)?;
    let seq = Sequencer::new(repo)?;
    let bar = ui::bar(st.todo.len() as u64, "picking");
    let end = seq.run(&mut st, &mut report(ctx, bar.as_ref()));
    ui::done(bar);
    let end = end?;
    finish(ctx, &mut st, end)
}

/// A mainline commit not yet on the release line, as the interactive list shows it.
struct Candidate {
    oid: Oid,
    label: String,
}

/// Lists mainline's commits since the line forked that are not on the line yet, by patch-id
/// equivalence (as `git cherry` does), newest first. Each row shows the short sha, subject,
/// author, age and pull request number, and marks rows that touch tests and rows too large for
/// the policy.
fn candidates(ctx: &Ctx, current: &crate::context::Current) -> Result<Vec<Candidate>> {
    let repo = &ctx.repo;
    let mainline = ctx.mainline()?;
    let fork = repo.merge_base(current.base.commit, mainline.tip)?;
    let mut on_line = std::collections::HashSet::new();
    for c in repo.range(fork, current.head)? {
        if !repo.commit_info(c)?.is_merge() {
            if let Some(p) = repo.patch_id(c, None)? {
                on_line.insert(p);
            }
        }
    }
    let now = crate::ledger::now(repo)?.timestamp();
    let mut out = Vec::new();
    // The newest 500 are plenty to choose a fix from, and keep the list quick on busy mainlines.
    for oid in repo.range(fork, mainline.tip)?.into_iter().rev().take(500) {
        let c = repo.commit_info(oid)?;
        if c.parents.len() != 1 {
            continue;
        }
        if repo
            .patch_id(oid, None)?
            .is_some_and(|p| on_line.contains(&p))
        {
            continue;
        }
        let changes = repo.changes(c.parents[0], oid)?;
        let lines: usize = changes.iter().map(|f| f.added + f.deleted).sum();
        let touches_tests = !crate::evidence::find(&changes, &ctx.config.policy).is_empty();
        let too_large = lines > ctx.config.policy.max_lines as usize
            || changes.len() > ctx.config.policy.max_files as usize;
        let subject = c.subject().to_string();
        // The pull request number, when the subject names one but does not show it as "#N".
        let pr = pr_number(&subject)
            .filter(|n| !subject.contains(&format!("#{n}")))
            .map(|n| format!(" #{n}"))
            .unwrap_or_default();
        let age = human_age(now - c.time);
        let author = c.author.name.clone();
        let mut marks = String::new();
        if touches_tests {
            marks.push_str(" [tests]");
        }
        if too_large {
            marks.push_str(&format!(
                " [too large: {} files, {lines} lines]",
                changes.len()
            ));
        }
        out.push(Candidate {
            oid,
            label: format!("{} {subject} ({author}, {age}){pr}{marks}", repo.short(oid)),
        });
    }
    Ok(out)
}

/// Reads a pull request number from a subject: `Merge pull request #12 from ...` or `... (#12)`.
fn pr_number(subject: &str) -> Option<u64> {
    let at = subject
        .find("pull request #")
        .map(|i| i + "pull request #".len())
        .or_else(|| {
            let i = subject.rfind("(#")?;
            Some(i + 2)
        })?;
    let digits: String = subject[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Tells whether a commit off mainline is itself a backport that `from-mainline` accepts: its
/// trailers lead to mainline through a chain of picks (a fix already on another release
/// line), or it is a mainline commit copied without a trailer (matched by patch-id). Picking
/// it adds its own trailer after the ones it carries, so the chain stays traceable.
fn leads_to_mainline(ctx: &Ctx, c: &CommitInfo, what: &str) -> Result<bool> {
    let repo = &ctx.repo;
    let mainline = ctx.mainline()?;
    let mut found = provenance::provenance(repo, c, &mainline)?;
    if found.is_untrailed() {
        let since = repo.mainline_since(c.id, mainline.tip)?;
        if let Some(m) = provenance::match_by_patch_id(repo, c, &since)? {
            found = m;
        }
    }
    let Some(origin) = found.origin() else {
        return Ok(false);
    };
    let short = &origin[..origin.len().min(10)];
    if found.is_clean() {
        ui::note(format!(
            "{what} is a backport of mainline's {short}: picking it with its chain of trailers"
        ));
    } else {
        ui::warn(format!(
            "{what} is a backport of mainline's {short} whose changed lines differ from it: `hotfix check` will show it as modified"
        ));
    }
    Ok(true)
}

fn human_age(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        s if s < 3600 => format!("{}m ago", s / 60),
        s if s < 86_400 => format!("{}h ago", s / 3600),
        s => format!("{}d ago", s / 86_400),
    }
}

/// Offers the candidates: a filter, then a multi-select, then a confirmation. Returns the
/// chosen shas in mainline order (oldest first).
fn offer(ctx: &Ctx, current: &crate::context::Current) -> Result<Vec<String>> {
    let all = candidates(ctx, current)?;
    if all.is_empty() {
        return Err(
            Error::usage("every mainline commit since the release is already on the line")
                .cause("nothing on mainline is missing from this hotfix by patch-id")
                .hint("merge the fix to mainline first, then `git fetch` and pick it"),
        );
    }
    let filter = ui::ask(
        &format!(
            "{} commit(s) on mainline not on {}. Filter (sha, words, author, #PR; empty for all)",
            all.len(),
            current.base.line()
        ),
        None,
    )?;
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    let shown: Vec<&Candidate> = all
        .iter()
        .filter(|c| {
            let l = c.label.to_lowercase();
            words.iter().all(|w| l.contains(w))
        })
        .collect();
    if shown.is_empty() {
        return Err(
            Error::usage(format!("no mainline commit matches '{filter}'"))
                .cause("the filter keeps the rows that contain every word given")
                .hint("run `hotfix pick` again with a shorter filter, or name the sha"),
        );
    }
    let labels: Vec<String> = shown.iter().map(|c| c.label.clone()).collect();
    let chosen = ui::choose_many("Select the fixes (space ticks, enter confirms)", &labels)?;
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let mut picked: Vec<&Candidate> = chosen.iter().map(|i| shown[*i]).collect();
    picked.reverse(); // the list is newest first; pick oldest first
    for c in &picked {
        ui::note(format!("  {}", c.label));
    }
    if !ui::confirm(
        &format!("Pick {} commit(s) onto {}?", picked.len(), current.branch),
        true,
    )? {
        return Ok(Vec::new());
    }
    Ok(picked.iter().map(|c| c.oid.to_string()).collect())
}

/// Prints each step as it happens.
fn report<'a>(ctx: &'a Ctx, bar: Option<&'a indicatif::ProgressBar>) -> impl FnMut(&Step) + 'a {
    move |step| {
        if let Some(b) = bar {
            b.inc(1);
        }
        report_step(ctx, step)
    }
}

fn report_step(ctx: &Ctx, step: &Step) {
    match step {
        Step::Applied { source, commit } => {
            let subj = ctx
                .repo
                .commit_info(*commit)
                .map(|c| c.subject().to_string())
                .unwrap_or_default();
            ui::out(format!(
                "picked {} -> {}  {subj}",
                ctx.repo.short(*source),
                ctx.repo.short(*commit)
            ));
        }
        Step::Skipped { source, reason } => {
            ui::out(format!("skipped {}: {reason}", ctx.repo.short(*source)));
        }
    }
}

/// Ends a run: records the picks and clears the state, or reports the conflict (exit 3).
fn finish(ctx: &Ctx, st: &mut PickState, end: End) -> Result<()> {
    match end {
        End::Finished => {
            record_picks(ctx, &st.hotfix, &st.done)?;
            crate::error::failpoint("pick-after-record");
            PickState::clear(&ctx.repo)?;
            let n = st.done.iter().filter(|d| d.commit.is_some()).count();
            ui::note(format!(
                "{n} commit(s) picked onto {}",
                st.branch.trim_start_matches("refs/heads/")
            ));
            ui::note("next: hotfix status   (then hotfix check, and hotfix ship --reviewer NAME)");
            Ok(())
        }
        End::Conflict { source, paths } => {
            let c = ctx.repo.commit_info(source)?;
            let queued = st.todo.len().saturating_sub(1);
            ui::alert(format!(
                "{} picking {} \"{}\" onto {} stopped on a conflict in:",
                ui::paint("conflict:", ui::yellow().bold()),
                ctx.repo.short(source),
                c.subject(),
                st.branch.trim_start_matches("refs/heads/")
            ));
            for p in &paths {
                ui::alert(format!("    {p}"));
            }
            ui::alert(
                "  The conflict markers are in the working tree. Choose one:\n    \
                 resolve the files, `git add` them, then   hotfix pick --continue\n    \
                 drop this commit, go on with the rest:    hotfix pick --skip\n    \
                 undo the whole pick:                      hotfix pick --abort",
            );
            if queued > 0 {
                ui::alert(format!(
                    "  {queued} more commit(s) are queued after this one."
                ));
            }
            Err(Error::conflict("the pick stopped on a conflict").quiet())
        }
    }
}

fn abort(ctx: &Ctx) -> Result<()> {
    let Some(mut st) = PickState::load(&ctx.repo)? else {
        return Err(Error::usage("nothing to abort: no pick is in progress")
            .cause("there is no stopped `hotfix pick` in this repository")
            .hint("to drop picks already committed, use git (git reset --keep <commit>)"));
    };
    let seq = Sequencer::new(&ctx.repo)?;
    let created: Vec<String> = st.created().iter().map(|c| c.to_string()).collect();
    seq.abort(&mut st)?;
    crate::error::failpoint("abort-after-reset");
    // Picks already recorded (a kill after the record, before the state was cleared) are
    // undone in the open: the ledger is append-only, so a `dropped` event folds them away.
    let recorded: Vec<String> = ctx
        .ledger()
        .record(&st.hotfix)?
        .map(|r| r.picks().into_iter().map(|p| p.commit).collect())
        .unwrap_or_default();
    let dropped: Vec<String> = created
        .into_iter()
        .filter(|c| recorded.contains(c))
        .collect();
    if !dropped.is_empty() {
        ctx.record_event("dropped", &st.hotfix, &ledger::Dropped { commits: dropped })?;
    }
    PickState::clear(&ctx.repo)?;
    ui::out(format!(
        "aborted: {} is back at {}",
        st.branch.trim_start_matches("refs/heads/"),
        &st.orig_head[..10]
    ));
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_request_numbers_from_subjects() {
        assert_eq!(pr_number("Merge pull request #12 from acme/fix"), Some(12));
        assert_eq!(pr_number("fix: crash (#345)"), Some(345));
        assert_eq!(pr_number("fix: crash"), None);
        assert_eq!(human_age(90), "1m ago");
        assert_eq!(human_age(7200), "2h ago");
        assert_eq!(human_age(3 * 86_400), "3d ago");
    }
}
