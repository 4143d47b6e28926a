//! `hotfix pick`: cherry-picks fixes merged on mainline onto the hotfix branch.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::git::pick::{ALREADY, Done, End, PickState, Sequencer, Step, Todo};
use crate::git::provenance;
use crate::git::{CommitInfo, Oid};
use crate::ledger;
use crate::picks::{record_branch_picks, record_picks};
use crate::sources::{Source, Unmerged, resolve};
use crate::ui;
use crate::version::Line;

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

    /// On an incident of several lines: picks onto this line only (its hotfix branch need not
    /// be checked out). Without it, the picks go onto every open line of the incident, the
    /// checked-out one through the working tree, the others in memory (a conflict there waits
    /// in the line's worktree, `.git/hotfix/worktrees/X.Y`).
    /// With --continue, --skip or --abort: the line whose stopped pick to act on.
    #[arg(long, value_name = "X.Y")]
    pub line: Option<String>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix pick`")?;
    ctx.repo.workdir()?;
    // First: in a shallow clone every later step fails for a reason that is not the real one.
    ctx.repo.ensure_not_shallow("pick", ctx.remote())?;
    // One pick at a time in a clone, whichever worktree it runs in, and never beside a ship
    // or a skip-line: two would record the same picks, move a line's branch under each other,
    // or record a pick the ship's tag does not have.
    let _lock = ctx.repo.lock_state("lines", crate::git::LINES_LOCK)?;
    if !(args.resume || args.skip || args.abort) {
        ctx.ensure_unlocked()?;
        return start_pick(&ctx, args);
    }
    // `--continue --line X.Y` and the rest act in that line's worktree, unless the line is
    // the one checked out here.
    let there = match args.line.as_deref() {
        Some(l) => {
            let line = Line::parse(l)?;
            let here = ctx.current().ok().map(|c| Line::of(&c.version));
            if here == Some(line) {
                None
            } else {
                Some(line_ctx(&ctx, globals, line)?)
            }
        }
        None => None,
    };
    let in_line_worktree = there.is_some();
    let ctx = there.unwrap_or(ctx);
    ctx.ensure_unlocked()?;
    if args.abort {
        return abort(&ctx);
    }
    let Some(mut st) = PickState::load(&ctx.repo)? else {
        if in_line_worktree && (args.resume || args.skip) {
            // The line's pick finished, and the run was stopped before the older lines or
            // the worktree were done with: finish that.
            return finish_line_worktree(&ctx);
        }
        let what = if args.skip {
            "nothing to skip"
        } else {
            "nothing to continue"
        };
        let waiting = waiting_lines(&ctx.repo);
        if !in_line_worktree && !waiting.is_empty() {
            let flag = if args.skip { "--skip" } else { "--continue" };
            return Err(
                Error::usage(format!("{what} here: no pick is stopped in this worktree"))
                    .cause(format!(
                        "the pick(s) that wait are on line(s) {}, in their own worktrees",
                        waiting.join(", ")
                    ))
                    .hint(format!(
                        "name the line: hotfix pick {flag} --line {}",
                        waiting[0]
                    )),
            );
        }
        return Err(Error::usage(format!("{what}: no pick is in progress"))
            .cause("there is no stopped `hotfix pick` in this repository")
            .hint(
                "start one with `hotfix pick <sha>`; `hotfix status` shows the lines that wait",
            ));
    };
    let seq = Sequencer::new(&ctx.repo)?;
    let end = if args.skip {
        seq.skip(&mut st, &mut report(&ctx, None))?
    } else {
        seq.resume(&mut st, &mut report(&ctx, None))?
    };
    let finished = matches!(end, End::Finished);
    finish(&ctx, &mut st, end)?;
    if !finished {
        return Ok(());
    }
    // The older lines of the incident go on, chaining from this line's picks; then the
    // line's worktree, if the pick was in one, goes.
    crate::error::failpoint("pick-before-cascade");
    let cascaded = cascade_older(&ctx, &st);
    leave_line_worktree(&ctx, &st.hotfix)?;
    cascaded
}

/// Picks a finished sequence's sources onto the incident's lines older than its own.
fn cascade_older(ctx: &Ctx, st: &PickState) -> Result<()> {
    let Some(started) = ctx.ledger().record(&st.hotfix)?.and_then(|r| r.started()) else {
        return Ok(());
    };
    let (Some(incident), Ok(line)) = (started.incident, Line::parse(&started.line)) else {
        return Ok(());
    };
    let todo: Vec<Todo> = st
        .done
        .iter()
        .map(|d| Todo {
            source: d.source.clone(),
            mainline: d.mainline,
            pr: d.pr,
            via: None,
        })
        .collect();
    let older: Vec<OtherLine> = incident_lines(ctx, &incident, &st.hotfix, None)?
        .into_iter()
        .filter(|o| o.line < line)
        .collect();
    let mut cascade = Cascade::new(st.allow_empty);
    cascade.learn(st, &line.to_string());
    cascade.run(ctx, &todo, &older)?;
    cascade.finish()
}

/// The lines whose picks are stopped in their worktrees, newest first.
fn waiting_lines(repo: &crate::git::Repo) -> Vec<String> {
    let dir = repo.common_state_dir().join("worktrees");
    let mut lines: Vec<Line> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Line::parse(&e.file_name().to_string_lossy()).ok())
        .filter(|l| repo.line_pick_stopped(&l.to_string()).unwrap_or(false))
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(*l));
    lines.iter().map(Line::to_string).collect()
}

/// Finishes a line worktree whose pick is done: records the picks its branch has and the
/// ledger lacks, picks the older lines on from them, and removes the worktree.
fn finish_line_worktree(ctx: &Ctx) -> Result<()> {
    let current = ctx.current()?;
    let recorded = record_branch_picks(ctx, &current)?;
    let picks = ctx
        .ledger()
        .record(&current.id)?
        .map(|r| r.picks())
        .unwrap_or_default();
    let mut st = PickState::new(
        &current.id,
        &format!("refs/heads/{}", current.branch),
        current.head,
        Vec::new(),
        false,
    );
    st.done = picks
        .iter()
        .map(|p| Done {
            source: p.source.clone(),
            commit: Some(p.commit.clone()),
            skipped: None,
            resolved: false,
            pr: p.pr,
            mainline: None,
        })
        .collect();
    // The older lines take every fix of the incident, including one this line dropped.
    if let Some(incident) = current.started.as_ref().and_then(|s| s.incident.clone()) {
        for r in ctx.incident(&incident)? {
            for p in r.picks() {
                if !st.done.iter().any(|d| d.source == p.source) {
                    st.done.push(Done {
                        source: p.source.clone(),
                        commit: None,
                        skipped: Some("not on this line".into()),
                        resolved: false,
                        pr: p.pr,
                        mainline: None,
                    });
                }
            }
        }
    }
    ui::note(format!(
        "the pick onto {} had finished{}; going on with the older lines",
        current.branch,
        if recorded > 0 {
            format!(" ({recorded} pick(s) recorded now)")
        } else {
            String::new()
        }
    ));
    let cascaded = cascade_older(ctx, &st);
    leave_line_worktree(ctx, &current.id)?;
    cascaded
}

/// Opens line `line`'s worktree, where its stopped pick waits.
fn line_ctx(ctx: &Ctx, globals: &Globals, line: Line) -> Result<Ctx> {
    let path = ctx.repo.line_worktree_path(&line.to_string());
    if !path.join(".git").exists() {
        return Err(Error::usage(format!("no pick waits on line {line}"))
            .cause(format!(
                "a stopped pick onto a line that is not checked out waits in its worktree, {}, and there is none",
                path.display()
            ))
            .hint("`hotfix status` shows the incident's lines and what each waits on"));
    }
    let g = Globals {
        dir: Some(path),
        ..globals.clone()
    };
    Ctx::load_writer(&g, "`hotfix pick`")
}

/// The line whose worktree this context is in, if it is one.
fn line_of_worktree(ctx: &Ctx, hotfix: &str) -> Option<String> {
    let line = ctx
        .ledger()
        .record(hotfix)
        .ok()??
        .started()
        .and_then(|s| Line::parse(&s.line).ok())?
        .to_string();
    let dir = ctx.repo.workdir().ok()?;
    same_path(&dir, &ctx.repo.line_worktree_path(&line)).then_some(line)
}

/// Removes the line worktree this context is in once its pick is over, unless the shell is
/// in it (then it says how; the next pick onto the line removes it too).
fn leave_line_worktree(ctx: &Ctx, hotfix: &str) -> Result<()> {
    let Some(line) = ctx
        .ledger()
        .record(hotfix)?
        .and_then(|r| r.started())
        .and_then(|s| Line::parse(&s.line).ok())
    else {
        return Ok(());
    };
    let path = ctx.repo.line_worktree_path(&line.to_string());
    let Ok(dir) = ctx.repo.workdir() else {
        return Ok(());
    };
    if !same_path(&dir, &path) {
        return Ok(());
    }
    let cwd = std::env::current_dir().ok();
    let inside = cwd.is_some_and(|c| {
        c.canonicalize()
            .unwrap_or(c)
            .starts_with(path.canonicalize().unwrap_or(path.clone()))
    });
    if inside {
        ui::note(format!(
            "line {line}'s worktree is no longer needed: leave it (cd ..) and `git worktree remove {}`, or the next pick onto the line removes it",
            path.display()
        ));
        return Ok(());
    }
    ctx.repo.remove_line_worktree(&line.to_string())?;
    ui::note(format!("removed line {line}'s worktree"));
    Ok(())
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
    // A shipped hotfix is its tag: a pick after it would be recorded as shipped, and is not.
    if let Some(shipped) = ctx.ledger().record(&current.id)?.and_then(|r| r.shipped()) {
        return Err(Error::usage(format!(
            "cannot pick: {} has shipped",
            current.id
        ))
        .cause(format!(
            "its tag {} is the release; a commit after it belongs to the next patch release",
            shipped.tag
        ))
        .hint(format!(
            "start the next hotfix on this line: hotfix start --line {}",
            Line::of(&current.version)
        )));
    }
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
            via: None,
        });
    }

    // The incident's other open lines take the same picks, newest line first: the newer ones
    // in memory, then this one through the working tree, then the older ones (with chains).
    let all = todo.clone();
    let this_line = Line::of(&current.version);
    let others = other_lines(ctx, &current, args.line.as_deref())?;
    let mut cascade = Cascade::new(args.allow_empty);
    if args
        .line
        .as_deref()
        .is_some_and(|l| Line::parse(l).is_ok_and(|l| l != this_line))
    {
        cascade.run(ctx, &all, &others)?;
        return cascade.finish();
    }
    let (newer, older): (Vec<OtherLine>, Vec<OtherLine>) =
        others.into_iter().partition(|o| o.line > this_line);
    cascade.run(ctx, &all, &newer)?;

    // A source picked before (its trailer is on the branch) is skipped up front.
    let already = repo.picked_sources(current.base.commit, current.head)?;
    todo.retain(|t| match already.get(&t.source) {
        Some(at) => {
            ui::note(format!(
                "skipped {}: already picked as {}",
                repo.short(Oid::from_str(&t.source).expect("valid oid")),
                repo.short(*at)
            ));
            cascade.newer.insert(t.source.clone(), *at);
            false
        }
        None => true,
    });
    if todo.is_empty() {
        ui::out("nothing to pick: every commit named is already on the branch");
        cascade.run(ctx, &all, &older)?;
        return cascade.finish();
    }

    // Below a newer line of the incident, this line takes the chain where the direct pick
    // conflicts, and waits where the newer line has not made its pick yet.
    let (todo, waits) = if newer.is_empty() {
        (todo, None)
    } else {
        cascade.plan_here(ctx, todo, current.head, this_line)?
    };
    if todo.is_empty() {
        for t in waits.iter().flatten() {
            cascade
                .pending
                .insert(t.source.clone(), this_line.to_string());
        }
        cascade.run(ctx, &all, &older)?;
        return cascade.finish();
    }
    let branch = format!("refs/heads/{}", current.branch);
    let mut st = PickState::new(&current.id, &branch, current.head, todo, args.allow_empty);
    st.save(repo)?;
    let seq = Sequencer::new(repo)?;
    let bar = ui::bar(st.todo.len() as u64, "picking");
    let end = seq.run(&mut st, &mut report(ctx, bar.as_ref()));
    ui::done(bar);
    let end = end?;
    // What this line's picks made, for the older lines' chains; what it has not made yet waits.
    cascade.learn(&st, &this_line.to_string());
    let here = match waits {
        // The sequence went as far as the newer line's picks allow: it is finished here, and
        // the line waits for the rest.
        Some(rest) if matches!(end, End::Finished) => {
            finish(ctx, &mut st, end)?;
            for t in &rest {
                cascade
                    .pending
                    .insert(t.source.clone(), this_line.to_string());
            }
            Ok(())
        }
        _ => {
            let finished = matches!(end, End::Finished);
            let r = finish(ctx, &mut st, end);
            // On an incident, a line that turns out to have every fix is closed by that.
            let applied: Vec<String> = st
                .done
                .iter()
                .filter(|d| d.commit.is_none() && d.skipped.as_deref() == Some(ALREADY))
                .filter_map(|d| Oid::from_str(&d.source).ok())
                .map(|o| repo.short(o))
                .collect();
            if r.is_ok()
                && finished
                && !(newer.is_empty() && older.is_empty())
                && current.head == current.base.commit
                && repo.head_commit()? == current.base.commit
                && !applied.is_empty()
                && applied.len() == st.done.len()
            {
                close_applied(ctx, &current.id, &this_line.to_string(), &applied)?;
            }
            r
        }
    };
    // A conflict here stops this line only: the others still take their picks.
    cascade.run(ctx, &all, &older)?;
    here.and(cascade.finish())
}

/// One other line of the incident: its hotfix id and branch.
struct OtherLine {
    id: String,
    line: Line,
    branch: String,
    base: Oid,
}

/// The incident's open lines other than the checked-out one, newest first; or only `--line`.
fn other_lines(
    ctx: &Ctx,
    current: &crate::context::Current,
    only: Option<&str>,
) -> Result<Vec<OtherLine>> {
    let only = only.map(Line::parse).transpose()?;
    let this = Line::of(&current.version);
    let Some(incident) = current.started.as_ref().and_then(|s| s.incident.clone()) else {
        return match only {
            Some(l) if l != this => Err(Error::usage(format!(
                "{} has no incident, so no line {l} to pick onto",
                current.id
            ))
            .cause("--line picks onto another line of the same incident")
            .hint("start the lines together: hotfix start --line A --line B")),
            _ => Ok(Vec::new()),
        };
    };
    let out = incident_lines(ctx, &incident, &current.id, only)?;
    if let Some(l) = only {
        if out.is_empty() && l != this {
            return Err(Error::usage(format!("incident {incident} has no open line {l}"))
                .cause("--line picks onto a line of the checked-out hotfix's incident that is not shipped, skipped or abandoned")
                .hint("`hotfix status` lists the incident's lines"));
        }
    }
    Ok(out)
}

/// The open lines of an incident but hotfix `except`, newest first (or only line `only`).
fn incident_lines(
    ctx: &Ctx,
    incident: &str,
    except: &str,
    only: Option<Line>,
) -> Result<Vec<OtherLine>> {
    let mut out = Vec::new();
    for r in ctx.incident(incident)? {
        let Some(s) = r.started() else { continue };
        let Ok(line) = Line::parse(&s.line) else {
            continue;
        };
        if r.id == except || r.is_closed() || only.is_some_and(|l| l != line) {
            continue;
        }
        let Ok(base) = Oid::from_str(&s.base_commit) else {
            continue;
        };
        out.push(OtherLine {
            id: r.id.clone(),
            line,
            branch: s.branch.clone(),
            base,
        });
    }
    out.sort_by_key(|o| std::cmp::Reverse(o.line));
    Ok(out)
}

/// Why a line stopped short of the end of its picks.
enum Stop {
    /// A direct pick conflicts, and the newer line whose pick could chain has not made it yet.
    WaitsOn(String),
    /// The pick of `todo[at]` conflicts: it goes into the line's worktree.
    Conflict { at: usize, paths: Vec<String> },
}

/// The picks onto an incident's lines, newest line first: what each line made (for the older
/// lines' chains), what a stopped line has not made yet, and which lines wait.
struct Cascade {
    /// Source sha to the newest pick of it so far, the one an older line chains from.
    newer: std::collections::HashMap<String, Oid>,
    /// Source sha to the line that stopped before picking it.
    pending: std::collections::HashMap<String, String>,
    /// The lines that wait on a resolution.
    waiting: Vec<String>,
    allow_empty: bool,
}

impl Cascade {
    fn new(allow_empty: bool) -> Cascade {
        Cascade {
            newer: Default::default(),
            pending: Default::default(),
            waiting: Vec::new(),
            allow_empty,
        }
    }

    /// Takes in what a sequence on `line` made, and what it has still to make.
    fn learn(&mut self, st: &PickState, line: &str) {
        for d in &st.done {
            if let Some(c) = d.commit.as_deref().and_then(|c| Oid::from_str(c).ok()) {
                self.newer.insert(d.source.clone(), c);
            }
        }
        for t in &st.todo {
            self.pending.insert(t.source.clone(), line.to_string());
        }
    }

    /// Plans the checked-out line's sequence below newer lines, in memory: a source whose
    /// direct pick conflicts takes the newer line's pick of it (`via`) when that applies; one
    /// whose newer pick is still to come ends the sequence there, and the line waits (the
    /// rest is returned). The sequencer then runs what is planned through the working tree.
    fn plan_here(
        &mut self,
        ctx: &Ctx,
        todo: Vec<Todo>,
        head: Oid,
        line: Line,
    ) -> Result<(Vec<Todo>, Option<Vec<Todo>>)> {
        use crate::git::apply::Picked as InMemory;
        let repo = &ctx.repo;
        let mut onto = head;
        let mut out = Vec::new();
        for (i, t) in todo.iter().enumerate() {
            let source = Oid::from_str(&t.source).map_err(|_| Error::usage("bad commit id"))?;
            match repo.pick_onto(source, t.mainline, onto)? {
                InMemory::Commit(c) => {
                    onto = c;
                    out.push(t.clone());
                    continue;
                }
                InMemory::Empty => {
                    out.push(t.clone());
                    continue;
                }
                InMemory::Conflict(_) => {}
            }
            if let Some(chain) = self.newer.get(&t.source).copied() {
                if let InMemory::Commit(c) = repo.pick_onto(chain, None, onto)? {
                    ui::note(format!(
                        "line {line}: {} conflicts directly; taking the newer line's pick {} (chain)",
                        repo.short(source),
                        repo.short(chain)
                    ));
                    onto = c;
                    out.push(Todo {
                        via: Some(chain.to_string()),
                        mainline: None,
                        ..t.clone()
                    });
                    continue;
                }
            }
            if let Some(on) = self.pending.get(&t.source).cloned() {
                ui::alert(format!(
                    "line {line} waiting on {on}: {} conflicts here directly, and the chain through {on}'s pick waits on {on}'s resolution; once that is done, line {line} is picked on",
                    repo.short(source)
                ));
                self.waiting.push(line.to_string());
                return Ok((out, Some(todo[i..].to_vec())));
            }
            // A conflict of its own: the sequencer stops on it in the working tree.
            out.extend(todo[i..].iter().cloned());
            break;
        }
        Ok((out, None))
    }

    /// Picks onto lines that are not checked out here, newest first: each line's clean picks
    /// are commits written beside its branch, then the branch moved by compare-and-swap, then
    /// recorded. When a pick conflicts directly but the newer line's pick of the same source
    /// applies, that chained pick is taken (it carries both trailers). A conflict stops its own
    /// line only, and goes into the line's worktree; a line whose chain needs a stopped newer
    /// line waits on it.
    fn run(&mut self, ctx: &Ctx, todo: &[Todo], lines: &[OtherLine]) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let repo = &ctx.repo;
        let worktrees = repo.worktrees()?;
        for l in lines {
            let Some(tip) = repo.local_branch(&l.branch) else {
                ui::warn(format!(
                    "line {}: {} is missing here; left out",
                    l.line, l.branch
                ));
                continue;
            };
            let full = format!("refs/heads/{}", l.branch);
            if let Some(w) = worktrees
                .iter()
                .find(|w| w.branch.as_deref() == Some(full.as_str()))
            {
                if !self.checked_out(ctx, l, w, todo)? {
                    continue;
                }
            }
            self.run_line(ctx, todo, l, tip)?;
        }
        Ok(())
    }

    /// Deals with a line whose branch is checked out in a worktree: its own worktree, done and
    /// clean, is removed (true: go on); one with a pick stopped in it, or any other, waits.
    fn checked_out(
        &mut self,
        ctx: &Ctx,
        l: &OtherLine,
        w: &crate::git::worktree::Worktree,
        todo: &[Todo],
    ) -> Result<bool> {
        let repo = &ctx.repo;
        let path = w.path.as_path();
        let ours = same_path(path, &repo.line_worktree_path(&l.line.to_string()));
        // Half made by a `git worktree add` that was killed: nothing of anybody's is in it.
        if ours && (w.half_made || !path.join(".git").exists()) {
            repo.remove_line_worktree(&l.line.to_string())?;
            return Ok(true);
        }
        let there = crate::git::Repo::discover(path)?;
        let stopped = PickState::load(&there)?.is_some();
        if ours && !stopped && there.ensure_clean("pick").is_ok() {
            drop(there);
            repo.remove_line_worktree(&l.line.to_string())?;
            return Ok(true);
        }
        let shown = path.display();
        if stopped {
            ui::alert(format!(
                "line {} waits: a pick onto it stopped in {shown}; resolve it there, then `hotfix pick --continue --line {}`",
                l.line, l.line
            ));
        } else {
            ui::alert(format!(
                "line {} waits: {} is checked out in {shown}, and hotfix does not move a branch under a working tree; pick there (cd {shown} && hotfix pick ...), or switch that worktree away",
                l.line, l.branch
            ));
        }
        for t in todo {
            self.pending
                .entry(t.source.clone())
                .or_insert_with(|| l.line.to_string());
        }
        self.waiting.push(l.line.to_string());
        Ok(false)
    }

    fn run_line(&mut self, ctx: &Ctx, todo: &[Todo], l: &OtherLine, tip: Oid) -> Result<()> {
        use crate::git::apply::Picked as InMemory;
        let repo = &ctx.repo;
        let already = repo.picked_sources(l.base, tip)?;
        // A lock file left on the branch by a kill would make the ref update below look like
        // a race; it is named, with what to do, before anything is made.
        repo.ensure_unlocked(&[&format!("refs/heads/{}", l.branch)])?;
        let mut onto = tip;
        let mut done = Vec::new();
        let mut stop = None;
        let mut applied = Vec::new();
        let mut said = Vec::new();
        for (i, t) in todo.iter().enumerate() {
            let source = Oid::from_str(&t.source).map_err(|_| Error::usage("bad commit id"))?;
            if let Some(at) = already.get(&t.source) {
                ui::note(format!(
                    "line {}: {} is already picked",
                    l.line,
                    repo.short(source)
                ));
                // Killed after the branch moved and before the record: record it now (a pick
                // recorded already is not recorded twice).
                done.push(done_of(t, *at));
                self.newer.insert(t.source.clone(), *at);
                continue;
            }
            let picked = match repo.pick_onto(source, t.mainline, onto)? {
                InMemory::Conflict(paths) => match self.newer.get(&t.source) {
                    Some(chain) => match repo.pick_onto(*chain, None, onto)? {
                        InMemory::Commit(c) => {
                            ui::note(format!(
                                "line {}: {} conflicts directly; took the newer line's pick {} (chain)",
                                l.line,
                                repo.short(source),
                                repo.short(*chain)
                            ));
                            Ok(Some(c))
                        }
                        InMemory::Empty => Ok(None),
                        InMemory::Conflict(_) => Err(paths),
                    },
                    None => Err(paths),
                },
                InMemory::Commit(c) => Ok(Some(c)),
                InMemory::Empty => Ok(None),
            };
            match picked {
                Ok(Some(c)) => {
                    said.push(format!(
                        "picked {} -> {}  onto {}",
                        repo.short(source),
                        repo.short(c),
                        l.branch
                    ));
                    self.newer.insert(t.source.clone(), c);
                    done.push(done_of(t, c));
                    onto = c;
                }
                Ok(None) => {
                    ui::note(format!(
                        "line {}: {} changes nothing there (the line has it)",
                        l.line,
                        repo.short(source)
                    ));
                    applied.push(repo.short(source));
                }
                Err(paths) => {
                    stop = Some(match self.pending.get(&t.source) {
                        Some(on) => Stop::WaitsOn(on.clone()),
                        None => Stop::Conflict { at: i, paths },
                    });
                    break;
                }
            }
        }
        let full = format!("refs/heads/{}", l.branch);
        if onto != tip
            && repo.update_ref(&full, onto, Some(tip), "hotfix pick")?
                == crate::git::RefUpdate::Raced
        {
            return Err(Error::usage(format!("{} moved during the pick", l.branch))
                .cause("another process changed it; nothing was overwritten")
                .hint("look at `git log`, then pick again"));
        }
        for m in said {
            ui::out(m);
        }
        crate::error::failpoint("pick-line-before-record");
        if !done.is_empty() {
            record_picks(ctx, &l.id, &done)?;
        }
        let line = l.line.to_string();
        if stop.is_none()
            && done.is_empty()
            && tip == l.base
            && !todo.is_empty()
            && applied.len() == todo.len()
        {
            close_applied(ctx, &l.id, &line, &applied)?;
        }
        let rest = match &stop {
            None => return Ok(()),
            Some(Stop::WaitsOn(on)) => {
                let at = todo
                    .iter()
                    .position(|t| self.pending.get(&t.source) == Some(on))
                    .unwrap_or(0);
                ui::alert(format!(
                    "line {line} waiting on {on}: {} conflicts here directly, and the chain through {on}'s pick waits on {on}'s resolution; once that is done, line {line} is picked on",
                    repo.short(Oid::from_str(&todo[at].source).unwrap_or(onto)),
                ));
                &todo[at..]
            }
            Some(Stop::Conflict { at, paths }) => {
                let rest = &todo[*at..];
                let source =
                    Oid::from_str(&rest[0].source).map_err(|_| Error::usage("bad commit id"))?;
                if repo.pick_not_applicable(source, rest[0].mainline, onto)? {
                    ui::alert(format!(
                        "line {line} waits: {} is not applicable there ({} absent); if the line does not need the fix:  hotfix skip-line {line} --reason \"{} is not on {line}\"",
                        repo.short(source),
                        paths.join(", "),
                        paths.join(", "),
                    ));
                } else if self.stop_in_worktree(ctx, l, onto, rest, paths)? {
                    return Ok(());
                }
                rest
            }
        };
        for t in rest {
            self.pending
                .entry(t.source.clone())
                .or_insert_with(|| line.clone());
        }
        self.waiting.push(line);
        Ok(())
    }

    /// Puts a line's conflict into its worktree: checks the branch out there, and runs the
    /// rest of its picks there through the sequencer, which stops on the conflict with the
    /// markers in the files. True when they all went through after all (nothing waits).
    fn stop_in_worktree(
        &mut self,
        ctx: &Ctx,
        l: &OtherLine,
        onto: Oid,
        rest: &[Todo],
        paths: &[String],
    ) -> Result<bool> {
        let repo = &ctx.repo;
        let line = l.line.to_string();
        let path = repo.add_line_worktree(&line, &l.branch)?;
        crate::error::failpoint("pick-line-worktree-made");
        let there = crate::git::Repo::discover(&path)?;
        let full = format!("refs/heads/{}", l.branch);
        let mut st = PickState::new(&l.id, &full, onto, rest.to_vec(), self.allow_empty);
        st.save(&there)?;
        let end = Sequencer::new(&there)?.run(&mut st, &mut report(ctx, None))?;
        self.learn(&st, &line);
        match end {
            End::Finished => {
                record_picks(ctx, &l.id, &st.done)?;
                PickState::clear(&there)?;
                drop(there);
                repo.remove_line_worktree(&line)?;
                Ok(true)
            }
            End::Conflict { source, .. } => {
                let shown = path.display();
                ui::alert(format!(
                    "{} line {line} waits: picking {} \"{}\" conflicts in {}",
                    ui::paint("conflict:", ui::yellow().bold()),
                    repo.short(source),
                    repo.commit_info(source)?.subject(),
                    paths.join(", "),
                ));
                ui::alert(format!(
                    "  the conflict markers are in its worktree, {shown}. There:\n    \
                     resolve the files, `git add` them, then   hotfix pick --continue --line {line}\n    \
                     drop this commit, go on with the rest:    hotfix pick --skip --line {line}\n    \
                     undo this line's stopped pick:            hotfix pick --abort --line {line}"
                ));
                Ok(false)
            }
        }
    }

    /// Exit code 3 while any line waits on a resolution.
    fn finish(self) -> Result<()> {
        if self.waiting.is_empty() {
            return Ok(());
        }
        Err(Error::conflict(format!(
            "line(s) {} wait on a resolution",
            self.waiting.join(", ")
        ))
        .quiet())
    }
}

/// Closes a line of an incident that has every fix already and no commit of its own: only
/// `applied` closes a line by itself, recorded as skipped with that reason, so nothing waits
/// on it and `ship` does not ask for it.
fn close_applied(ctx: &Ctx, id: &str, line: &str, applied: &[String]) -> Result<()> {
    ctx.record_event(
        "skipped",
        id,
        &ledger::Skipped {
            line: line.to_string(),
            reason: format!(
                "applied: the line has the fix already ({})",
                applied.join(", ")
            ),
        },
    )?;
    ui::out(format!("line {line}: applied already; closed ({id})"));
    Ok(())
}

fn done_of(t: &Todo, commit: Oid) -> Done {
    Done {
        source: t.source.clone(),
        commit: Some(commit.to_string()),
        skipped: None,
        resolved: false,
        pr: t.pr,
        mainline: t.mainline,
    }
}

fn same_path(a: &std::path::Path, b: &std::path::Path) -> bool {
    let c = |p: &std::path::Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    c(a) == c(b)
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
            // In a line's worktree, the commands name the line, so they work from anywhere.
            let (wt, flag) = match line_of_worktree(ctx, &st.hotfix) {
                Some(line) => (
                    format!(
                        "its worktree, {}",
                        ctx.repo.line_worktree_path(&line).display()
                    ),
                    format!(" --line {line}"),
                ),
                None => ("the working tree".to_string(), String::new()),
            };
            ui::alert(format!(
                "  The conflict markers are in {wt}. Choose one:\n    \
                 resolve the files, `git add` them, then   hotfix pick --continue{flag}\n    \
                 drop this commit, go on with the rest:    hotfix pick --skip{flag}\n    \
                 undo the whole pick:                      hotfix pick --abort{flag}"
            ));
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
        let waiting = waiting_lines(&ctx.repo);
        if let Some(first) = waiting.first() {
            return Err(
                Error::usage("nothing to abort here: no pick is stopped in this worktree")
                    .cause(format!(
                        "the pick(s) that wait are on line(s) {}, in their own worktrees",
                        waiting.join(", ")
                    ))
                    .hint(format!("name the line: hotfix pick --abort --line {first}")),
            );
        }
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
    leave_line_worktree(ctx, &st.hotfix)
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
