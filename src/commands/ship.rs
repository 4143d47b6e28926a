//! `hotfix ship`: judges every rule, tags the patch release, records it, and optionally pushes
//! everything in one atomic push.
//!
//! Each step is idempotent, so re-running ship after an interruption finishes the job: an
//! existing tag at the head is reused, a recorded `shipped` event is not written twice, and the
//! push is repeated until it lands.

use crate::context::{Ctx, Current, Globals};
use crate::error::{Error, Result};
use crate::gather::{GatherOptions, gather};
use crate::git::Person;
use crate::git::cli;
use crate::git::message::trailer_values;
use crate::git::pick::PickState;
use crate::ledger::{self, Event};
use crate::policy::{self, Override, Summary};
use crate::version::{Line, expand_line};
use crate::{plan, render, testrun, ui};

/// Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.
///
/// Shows the plan and asks for confirmation on a terminal; without one it needs --yes.
/// With --push, the hotfix branch, tag, release branch (fast-forward only) and ledger land in
/// one atomic push. Re-running ship after an interruption finishes the job.
///
/// Examples:
///   hotfix ship --reviewer "Rita <rita@example.com>" --push
///   hotfix ship --dry-run
///   hotfix ship --override regression-test --reason "test lands in INC-4521 follow-up" --yes
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A reviewer who is not an author (repeatable); counts as unverified.
    #[arg(long, value_name = "WHO", value_parser = crate::text::single_line)]
    pub reviewer: Vec<String>,

    /// Overrides a failing rule (repeatable); needs --reason. Recorded and counted in reports.
    #[arg(long = "override", value_name = "RULE", requires = "reason")]
    pub overrides: Vec<String>,

    /// Why the overridden rules are bent.
    #[arg(long, value_name = "TEXT", value_parser = crate::text::single_line)]
    pub reason: Option<String>,

    /// Pushes branch, tag, release branch and ledger in one atomic push.
    #[arg(long)]
    pub push: bool,

    /// Creates the GitHub release for the tag, with notes from templates/release-notes.md
    /// (needs GITHUB_TOKEN, and the tag on GitHub: use it with --push).
    #[arg(long)]
    pub github_release: bool,

    /// Signs the tag with your git signing key (through the git program).
    #[arg(long)]
    pub sign: bool,

    /// Prints the plan and changes nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Ships these lines of the incident (repeatable), whether checked out or not, while
    /// others are still open. Without it, ship ships every open line of the incident and
    /// refuses until each is ready or skipped, so a fix is not published while a supported
    /// line is still exposed. Right after an --override RULE, --line X.Y bends RULE on that
    /// line only (and does not choose what ships).
    #[arg(long, value_name = "X.Y")]
    pub line: Vec<String>,

    /// For each --override, the line it is scoped to (see `scope_overrides`).
    #[arg(skip)]
    pub scopes: Vec<Option<String>>,
}

/// Splits `--line` between the two jobs it has: a `--line` given right after an `--override`
/// value scopes that override; every other `--line` chooses a line to ship. `line_at` and
/// `override_at` are clap's indices of each value, in order.
pub fn scope_overrides(args: &mut Args, line_at: &[usize], override_at: &[usize]) {
    let mut scopes = vec![None; args.overrides.len()];
    let mut chosen = Vec::new();
    for (line, at) in args.line.iter().zip(line_at) {
        // `--override R --line X`: the line's value is two places after the rule's.
        match override_at
            .iter()
            .position(|o| at.checked_sub(*o) == Some(2))
        {
            Some(k) if k < scopes.len() => scopes[k] = Some(line.clone()),
            _ => chosen.push(line.clone()),
        }
    }
    args.line = chosen;
    args.scopes = scopes;
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = if args.dry_run {
        Ctx::load(globals)?
    } else {
        Ctx::load_writer(globals, "`hotfix ship`")?
    };
    let repo = &ctx.repo;
    repo.workdir()?;
    let overrides = overrides(&args)?;
    let here = preflight(&ctx)?;
    let shipper = repo.me()?;
    // One ship at a time in a clone; the records are read again under the lock, so two never
    // both decide to tag and record.
    let _lock = if args.dry_run {
        None
    } else {
        Some((
            repo.lock_state("ship", "`hotfix ship`")?,
            repo.lock_state("lines", crate::git::LINES_LOCK)?,
        ))
    };
    let targets = targets(&ctx, &here, &args)?;
    let lines: Vec<String> = targets
        .iter()
        .map(|t| Line::of(&t.version).to_string())
        .collect();
    for (o, scope) in overrides.iter().zip(&args.scopes) {
        if let Some(l) = scope {
            let l = Line::parse(l)?.to_string();
            if !lines.contains(&l) {
                return Err(Error::usage(format!(
                    "--override {} --line {l}: line {l} is not shipped by this command",
                    o.rule
                ))
                .cause(format!("the lines shipped are: {}", lines.join(", ")))
                .hint("scope the override to a line that ships, or ship that line too"));
            }
        }
    }
    let many = targets.len() > 1;
    // With --push, where each release branch stands is asked of the remote now, so the plan
    // shown and confirmed is the push that is made.
    let remote = if args.push {
        let dir = repo.workdir()?;
        let asked: Vec<String> = targets
            .iter()
            .map(|c| {
                format!(
                    "refs/heads/{}",
                    expand_line(&ctx.config.release.branch, Line::of(&c.version))
                )
            })
            .collect();
        // A remote that cannot be asked is refused below, with what to do, before any write.
        cli::remote_refs(&dir, ctx.remote(), &asked).ok()
    } else {
        None
    };

    // Read and decide, line by line: a line already tagged and recorded at its head only has
    // the push left to do, if the tag is the one this hotfix made for that record.
    let mut ready: Vec<(&Current, Option<plan::ShipPlan>)> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    for (current, line) in targets.iter().zip(&lines) {
        if many {
            ui::out("");
            ui::out(ui::paint(
                &format!("line {line}: {} ({})", current.id, current.branch),
                ui::bold(),
            ));
        }
        let record = ctx.ledger().record(&current.id)?;
        let already = record.as_ref().and_then(|r| r.shipped()).filter(|s| {
            s.commit == current.head.to_string() && repo.tag_target(&s.tag) == Some(current.head)
        });
        if let Some(shipped) = already {
            check_tag(&ctx, &current.id, &shipped, "its record")?;
            ui::note(format!(
                "{} is already tagged and recorded at {}",
                shipped.tag,
                repo.short(current.head)
            ));
            ready.push((current, None));
            continue;
        }
        // Picks a kill left unrecorded (the branch moved, the record not yet written) are
        // recorded before the ship, so the record holds every commit that ships.
        if !args.dry_run {
            let n = crate::picks::record_branch_picks(&ctx, current)?;
            if n > 0 {
                ui::note(format!(
                    "recorded {n} pick(s) of {} that a stopped run had not",
                    current.branch
                ));
            }
        }
        let mine: Vec<Override> = overrides
            .iter()
            .zip(&args.scopes)
            .filter(|(_, scope)| {
                scope
                    .as_deref()
                    .is_none_or(|l| Line::parse(l).is_ok_and(|l| l.to_string() == *line))
            })
            .map(|(o, _)| o.clone())
            .collect();
        let (summary, release) = read(&ctx, current, &args, &shipper, remote.as_ref())?;
        let evaluation = policy::evaluate(&summary, &ctx.config, &mine);
        let head = current.head.to_string();
        let plan = plan::plan(
            &hotfix_of(&ctx, current, &head),
            &summary,
            &evaluation,
            &ctx.config,
            release,
        );
        for rule in &plan.unused_overrides {
            ui::warn(format!(
                "--override {rule}: the rule does not fail{}, so nothing is overridden",
                if many {
                    format!(" on {line}")
                } else {
                    String::new()
                }
            ));
        }
        ui::print_check(
            &summary,
            &evaluation.results,
            policy::size(&summary.changes, &ctx.config),
            ui::Show::new(globals.verbose, false),
        );
        show(&ctx, current, &plan, &args);
        if plan.failed.is_empty() {
            ready.push((current, Some(plan)));
        } else {
            failed.push(format!("{line} ({})", plan.failed.join(", ")));
        }
    }
    // Shipping the whole incident is all or nothing: a line that fails keeps every line back.
    let whole = args.line.is_empty() && many;
    if !failed.is_empty() && (whole || ready.is_empty()) {
        let first = targets
            .iter()
            .zip(&lines)
            .find(|(_, l)| failed.iter().any(|f| f.starts_with(l.as_str())))
            .map(|(_, l)| l.clone())
            .unwrap_or_default();
        let what = if many {
            format!("not shipped: rules failed on line(s) {}", failed.join("; "))
        } else {
            format!(
                "not shipped: rules failed: {}",
                failed[0]
                    .split_once(" (")
                    .map(|(_, r)| r.trim_end_matches(')'))
                    .unwrap_or("")
            )
        };
        return Err(Error::policy(what)
            .cause(format!(
                "the policy in force ({}) is not met{}",
                ctx.source,
                if whole {
                    "; an incident ships all its open lines together, or none"
                } else {
                    ""
                }
            ))
            .hint(if many {
                format!("fix what the hints say, bend a rule on one line in the open (--override RULE --line {first} --reason \"...\"), or ship the lines that pass with --line")
            } else {
                "fix what the hints say, or bend a rule in the open: --override RULE --reason \"...\"".to_string()
            }));
    }
    if args.dry_run {
        ui::out("");
        ui::out("dry run: nothing changed");
        return Ok(());
    }

    // Confirm.
    let to_tag: Vec<&str> = ready
        .iter()
        .filter(|(_, p)| p.is_some())
        .map(|(c, _)| c.id.as_str())
        .collect();
    let bends = ready
        .iter()
        .any(|(_, p)| p.as_ref().is_some_and(|p| !p.shipped.overrides.is_empty()));
    if !to_tag.is_empty() && !confirmed(globals, &to_tag.join(", "), bends)? {
        ui::out("not shipped: nothing changed");
        return Ok(());
    }

    // Act, line by line: 1. the tag, or the one an interrupted ship made, if it is this
    // plan's; 2. the record.
    for (current, plan) in &ready {
        let Some(plan) = plan else { continue };
        if plan.tag.is_none() {
            check_tag(&ctx, &current.id, &plan.shipped, "this ship")?;
        }
        if let Some(context) = &plan.tag {
            let message = tidy(&render::render(Some(&ctx), "tag-message.txt", context)?);
            create_tag(&ctx, current, &message, args.sign)?;
        }
        crate::error::failpoint("ship-after-tag");
        ctx.ledger().append(&Event::new(
            "shipped",
            &current.id,
            &shipper.signature_text(),
            ledger::now(repo)?,
            &plan.shipped,
        ))?;
        crate::error::failpoint("ship-after-record");
        ui::out(format!(
            "tagged {} at {}",
            current.id,
            repo.short(current.head)
        ));
    }
    // 3. One push for every line.
    let shipped: Vec<&Current> = ready.iter().map(|(c, _)| *c).collect();
    if args.push {
        push(&ctx, &shipped)?;
    } else {
        ui::note("not pushed; publish with `hotfix ship --push`");
    }
    for current in &shipped {
        publish_on_github(&ctx, current, args.push, args.github_release)?;
    }
    for current in &shipped {
        print_rollback(&current.id, &current.base.name);
    }
    if !failed.is_empty() {
        return Err(Error::policy(format!(
            "not shipped: line(s) {}",
            failed.join("; ")
        ))
        .cause("their rules failed; the other lines asked for shipped")
        .hint("fix what the hints say and ship those lines, or bend a rule in the open: --override RULE --line X.Y --reason \"...\""));
    }
    Ok(())
}

/// The hotfixes this ship is about: without --line, every line of the checked-out hotfix's
/// incident that is open or shipped (a shipped one only has its push left), each open one
/// ready (picked, no pick stopped on it); with --line, those lines. A hotfix with no incident
/// is shipped alone.
fn targets(ctx: &Ctx, here: &Current, args: &Args) -> Result<Vec<Current>> {
    let this = Line::of(&here.version);
    let wanted: Vec<Line> = args
        .line
        .iter()
        .map(|l| Line::parse(l))
        .collect::<Result<_>>()?;
    let incident = here.started.as_ref().and_then(|s| s.incident.clone());
    let Some(incident) = incident else {
        if let Some(l) = wanted.iter().find(|l| **l != this) {
            return Err(Error::usage(format!(
                "--line {l} is not the checked-out hotfix's line ({this})"
            ))
            .cause(format!("{} has no incident with other lines", here.id))
            .hint(format!("drop --line, or pass --line {this}")));
        }
        return Ok(vec![clone_current(here)]);
    };
    let mut members = ctx.incident(&incident)?;
    members.sort_by_key(|r| std::cmp::Reverse(r.started().and_then(|s| Line::parse(&s.line).ok())));
    let mut out = Vec::new();
    let mut not_ready = Vec::new();
    for r in &members {
        let Some(s) = r.started() else { continue };
        let Ok(line) = Line::parse(&s.line) else {
            continue;
        };
        if r.skipped().is_some() || r.abandoned().is_some() || r.has("imported") {
            if wanted.contains(&line) && r.shipped().is_none() {
                return Err(Error::usage(format!(
                    "line {line} does not ship: {} is {}",
                    r.id,
                    r.state()
                ))
                .cause("a skipped or abandoned line is closed")
                .hint("drop that --line"));
            }
            continue;
        }
        if !wanted.is_empty() && !wanted.contains(&line) {
            continue;
        }
        let current = if r.id == here.id {
            clone_current(here)
        } else {
            ctx.hotfix_on(&s.branch)?
        };
        if r.shipped().is_none() {
            if let Some(why) = not_ready_because(ctx, &current)? {
                not_ready.push(format!("{line} ({why})"));
            }
        }
        out.push(current);
    }
    if let Some(l) = wanted
        .iter()
        .find(|l| !out.iter().any(|c| Line::of(&c.version) == **l))
    {
        return Err(
            Error::usage(format!("incident {incident} has no line {l} to ship"))
                .cause("--line names a line of the checked-out hotfix's incident")
                .hint("`hotfix status` lists the incident's lines"),
        );
    }
    // Without --line, a line shipped before whose tag the remote already has at the same
    // place is done: it is neither shown nor pushed again.
    if wanted.is_empty() {
        let shipped: Vec<String> = out
            .iter()
            .filter(|c| c.id != here.id && repo_tag_recorded(ctx, &c.id))
            .map(|c| format!("refs/tags/{}", c.id))
            .collect();
        if !shipped.is_empty() {
            if let Ok(dir) = ctx.repo.workdir() {
                if let Ok(remote) = cli::remote_refs(&dir, ctx.remote(), &shipped) {
                    out.retain(|c| {
                        let r = format!("refs/tags/{}", c.id);
                        let published = remote.get(&r).is_some_and(|sha| {
                            ctx.repo.ref_target(&r).map(|o| o.to_string()).as_ref() == Some(sha)
                        });
                        !(published && shipped.contains(&r))
                    });
                }
            }
        }
    }
    if !not_ready.is_empty() {
        return Err(Error::policy(format!(
            "not shipped: incident {} has lines still open: {}",
            crate::text::single_line_view(&incident),
            not_ready.join(", ")
        ))
        .cause(if wanted.is_empty() {
            "publishing the fix on one line while another supported line is still exposed tells attackers where to look"
        } else {
            "a line ships once its picks are in"
        })
        .hint("finish each line (`hotfix status` says what it waits on), drop one with `hotfix skip-line X.Y --reason \"...\"`, or ship the ready ones alone with --line X.Y"));
    }
    Ok(out)
}

/// Tells whether a hotfix is recorded as shipped.
fn repo_tag_recorded(ctx: &Ctx, id: &str) -> bool {
    ctx.ledger()
        .record(id)
        .ok()
        .flatten()
        .is_some_and(|r| r.shipped().is_some())
}

/// Why an open line cannot ship yet: nothing picked onto it, or a pick stopped on it.
fn not_ready_because(ctx: &Ctx, current: &Current) -> Result<Option<String>> {
    let line = Line::of(&current.version).to_string();
    if ctx.repo.line_pick_stopped(&line)? {
        let worktree = ctx.repo.line_worktree_path(&line);
        return Ok(Some(format!("a pick waits in {}", worktree.display())));
    }
    if current.head == current.base.commit {
        return Ok(Some("nothing picked yet".into()));
    }
    Ok(None)
}

fn clone_current(c: &Current) -> Current {
    Current {
        id: c.id.clone(),
        version: c.version.clone(),
        branch: c.branch.clone(),
        base: c.base.clone(),
        started: c.started.clone(),
        head: c.head,
    }
}

/// Reads what the plan is made from: the facts the rules judge (with the test runs), and where
/// the line's release branch stands on the remote.
fn read(
    ctx: &Ctx,
    current: &Current,
    args: &Args,
    shipper: &Person,
    remote: Option<&std::collections::HashMap<String, String>>,
) -> Result<(Summary, plan::ReleaseBranch)> {
    let mut summary = gather(
        ctx,
        &current.id,
        &current.base,
        current.head,
        &GatherOptions {
            reviewers: args.reviewer.clone(),
            shipper: Some(shipper.clone()),
            ask_remote: true,
            github: true,
            shipped_tag: false,
        },
    )?;
    if summary.commits.is_empty() {
        return Err(
            Error::usage(format!("{} has no commits to ship", current.branch))
                .cause(format!("the branch is still at {}", current.base.name))
                .hint("pick the fix first: hotfix pick <sha>"),
        );
    }
    summary.tests_run = ui::with_progress(|phase| {
        testrun::for_policy(
            ctx,
            &current.base,
            current.head,
            &summary.changes,
            summary.base.is_ancestor,
            phase,
        )
    })?;
    if args.push && !args.dry_run {
        // The push comes after the tag and the record: a remote that cannot take it must
        // stop the ship before anything is written. Gather already asked it for the tag.
        match &summary.remote_tag {
            policy::RemoteTag::NoRemote => {
                return Err(Error::usage(format!("no remote named '{}'", ctx.remote()))
                    .cause("--push publishes the hotfix there")
                    .hint(format!(
                        "add it (git remote add {} URL), or ship without --push",
                        ctx.remote()
                    )));
            }
            policy::RemoteTag::Unknown(why) => {
                return Err(Error::external(format!("cannot reach {}", ctx.remote()))
                    .cause(why.clone())
                    .hint(format!(
                        "nothing was tagged or recorded; check that `git fetch {}` works, then run the command again (or ship without --push and push later)",
                        ctx.remote()
                    )));
            }
            _ => {}
        }
    }
    let release = release_branch(ctx, current, remote)?;
    Ok((summary, release))
}

/// Accepts a tag found at the head only if it is the annotated tag this hotfix makes: a
/// `Hotfix-Id:` naming it, and the reviewers and overrides of `shipped` (the record's, or the
/// one this ship would write; `against` says which) as its trailers. Anything else (a hand-made or lightweight tag, a tag from an
/// earlier attempt with other reviewers) would make the tag and the ledger disagree.
fn check_tag(ctx: &Ctx, id: &str, shipped: &ledger::Shipped, against: &str) -> Result<()> {
    let reviewers: Vec<String> = shipped.reviewers.iter().map(|r| r.name.clone()).collect();
    let overrides: Vec<String> = shipped.overrides.iter().map(|o| o.rule.clone()).collect();
    let refuse = |why: String| {
        Error::usage(format!(
            "the tag {id} at the hotfix head is not the one this ship makes"
        ))
        .cause(why)
        .hint(format!(
            "if you made it, delete it (git tag -d {id}) and ship again; `git show {id}` shows it"
        ))
    };
    let Some(message) = ctx.repo.tag_message(id) else {
        return Err(refuse(
            "it is a lightweight tag, and hotfix makes annotated tags".into(),
        ));
    };
    if !trailer_values(&message, "Hotfix-Id")
        .iter()
        .any(|v| v == id)
    {
        return Err(refuse(format!(
            "its message has no `Hotfix-Id: {id}` trailer"
        )));
    }
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let tag_reviewers = sorted(trailer_values(&message, "Reviewed-by"));
    if tag_reviewers != sorted(reviewers.clone()) {
        return Err(refuse(format!(
            "it names the reviewers [{}], and {against} counts [{}]",
            tag_reviewers.join(", "),
            reviewers.join(", ")
        )));
    }
    let tag_overrides = sorted(trailer_values(&message, "Hotfix-Override"));
    if tag_overrides != sorted(overrides.clone()) {
        return Err(refuse(format!(
            "it records the overrides [{}], and {against} has [{}]",
            tag_overrides.join(", "),
            overrides.join(", ")
        )));
    }
    Ok(())
}

/// Refuses to ship from a state that would tag half a hotfix or fail halfway: a pick in
/// progress, git in the middle of an operation, a leftover lock, a shallow clone, or
/// uncommitted changes. Returns the hotfix in progress.
fn preflight(ctx: &Ctx) -> Result<Current> {
    let repo = &ctx.repo;
    if PickState::load(repo)?.is_some() {
        return Err(Error::usage("a pick is in progress")
            .cause("a `hotfix pick` stopped and is waiting; shipping now would tag half a hotfix")
            .hint(
                "finish it with `hotfix pick --continue`, or undo it with `hotfix pick --abort`",
            ));
    }
    let current = ctx.open_hotfix("ship")?;
    repo.ensure_no_git_operation()?;
    ctx.ensure_unlocked()?;
    repo.ensure_not_shallow("ship", ctx.remote())?;
    repo.ensure_clean("ship")?;
    Ok(current)
}

/// What the plan needs of the hotfix in progress.
fn hotfix_of<'a>(ctx: &'a Ctx, current: &'a Current, head: &'a str) -> plan::Hotfix<'a> {
    plan::Hotfix {
        id: &current.id,
        branch: &current.branch,
        line: Line::of(&current.version),
        base: &current.base.name,
        head,
        started: current.started.as_ref(),
        policy: &ctx.source,
    }
}

/// Asks for the yes that shipping needs (`--yes` gives it), defaulting to No when the plan
/// bends a rule; without a terminal and without `--yes` it refuses.
fn confirmed(globals: &Globals, tags: &str, bends: bool) -> Result<bool> {
    if globals.yes {
        return Ok(true);
    }
    if !ui::interactive() {
        return Err(
            Error::usage("ship needs confirmation, and there is no terminal to ask on")
                .cause("shipping tags a release; it is never done without a yes")
                .hint("run it again with --yes to confirm (--dry-run shows the plan only)"),
        );
    }
    ui::confirm(&format!("Ship {tags}?"), !bends)
}

/// Prints the plan: the picks, the tag, the record, the push and the rollback.
fn show(ctx: &Ctx, current: &Current, plan: &plan::ShipPlan, args: &Args) {
    ui::out("");
    ui::out("plan:");
    for p in &plan.picks {
        ui::out(format!("  pick     {p}"));
    }
    ui::out(format!(
        "  tag      {} at {} (annotated{})",
        current.id,
        ctx.repo.short(current.head),
        if args.sign { ", signed" } else { "" }
    ));
    ui::out(format!(
        "  record   shipped event in the ledger ({})",
        ctx.config.release.ledger
    ));
    if args.push {
        ui::out(format!("  push     to {}, atomically:", ctx.remote()));
        for r in &plan.push.specs {
            ui::out(format!("             {r}"));
        }
        for n in &plan.push.notes {
            ui::out(format!("           {n}"));
        }
    }
    ui::out(format!("  rollback to {}", current.base.name));
}

/// The GitHub side of shipping, each step safe to repeat: the release (created only when the
/// tag has none), and with `github.comment-on-source` a comment on each source pull request
/// (made only when the pull request has none for this tag).
fn publish_on_github(ctx: &Ctx, current: &Current, pushed: bool, release: bool) -> Result<()> {
    let comment = ctx.config.github.comment_on_source;
    let commenting = comment && crate::github::Github::configured();
    if !release && !commenting {
        return Ok(());
    }
    let gh = ctx.github()?;
    let record = ctx.ledger().record(&current.id)?;
    let started = current.started.clone().unwrap_or_default();
    let mut picks = Vec::new();
    for p in record.as_ref().map(|r| r.picks()).unwrap_or_default() {
        let pr = match p.pr {
            Some(n) => Some(n),
            None => gh
                .pulls_of_commit(&p.source)?
                .iter()
                .find(|x| x.get("merged_at").is_some_and(|m| !m.is_null()))
                .and_then(|x| x.get("number").and_then(serde_json::Value::as_u64)),
        };
        picks.push(serde_json::json!({"subject": p.subject, "pr": pr, "source": p.source}));
    }
    if release {
        if !pushed {
            let dir = ctx.repo.workdir()?;
            if !matches!(
                cli::remote_tag(&dir, ctx.remote(), &current.id)?,
                Ok(Some(_))
            ) {
                return Err(Error::usage(format!("{} is not on {} yet", current.id, ctx.remote()))
                    .cause("a GitHub release is made for a tag GitHub has; otherwise GitHub would tag its default branch")
                    .hint("add --push: hotfix ship --push --github-release"));
            }
        }
        match gh.release_by_tag(&current.id)? {
            Some(r) => ui::note(format!(
                "the GitHub release of {} exists already: {}",
                current.id,
                r.get("html_url")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("")
            )),
            None => {
                let context = serde_json::json!({
                    "id": current.id,
                    "line": Line::of(&current.version).to_string(),
                    "summary": started.summary,
                    "incident": started.incident,
                    "severity": started.severity,
                    "rollback_to": current.base.name,
                    "picks": picks,
                });
                let body = render::render(Some(ctx), "release-notes.md", &context)?;
                // The newest release overall keeps "Latest"; an older line's patch does not
                // take it from a newer line.
                let latest = ctx.tag_refs()?.iter().all(|t| t.version <= current.version);
                let made = gh.create_release(&current.id, &current.id, &body, latest)?;
                ui::out(format!(
                    "GitHub release {}: {}",
                    current.id,
                    made.get("html_url")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("")
                ));
            }
        }
    }
    if comment {
        let marker = format!("<!-- hotfix:{} -->", current.id);
        for p in &picks {
            let Some(n) = p.get("pr").and_then(serde_json::Value::as_u64) else {
                continue;
            };
            let done = gh.comments(n)?.iter().any(|c| {
                c.get("body")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|b| b.contains(&marker))
            });
            if !done {
                let body = format!(
                    "Picked into {} (hotfix on {}) by {}.\n\n{marker}",
                    current.id,
                    Line::of(&current.version),
                    ctx.repo.me()?.name
                );
                gh.comment(n, &body)?;
            }
        }
    }
    Ok(())
}

fn print_rollback(tag: &str, to: &str) {
    ui::out(format!(
        "rollback: redeploy {to}   (git switch --detach {to}); {tag} stays recorded"
    ));
}

fn overrides(args: &Args) -> Result<Vec<Override>> {
    if args.reason.is_some() && args.overrides.is_empty() {
        return Err(Error::usage("--reason without --override")
            .cause("a reason explains an override")
            .hint("add --override RULE, or drop --reason"));
    }
    let reason = args.reason.clone().unwrap_or_default();
    if !args.overrides.is_empty() && reason.trim().is_empty() {
        return Err(Error::usage("--reason is empty")
            .cause("an override is recorded and counted; it needs a reason people can read")
            .hint("--reason \"what makes this acceptable\""));
    }
    args.overrides
        .iter()
        .flat_map(|o| o.split(','))
        .map(|rule| {
            let rule = rule.trim();
            if !policy::is_rule(rule) {
                let ids: Vec<&str> = policy::RULES.iter().map(|(r, _)| *r).collect();
                return Err(Error::usage(format!("--override {rule}: no such rule"))
                    .cause(format!("the rules are: {}", ids.join(", ")))
                    .hint("name the rule id as check prints it"));
            }
            Ok(Override {
                rule: rule.to_string(),
                reason: reason.clone(),
            })
        })
        .collect()
}

/// Collapses runs of blank lines and trims the ends, so template whitespace never shows.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.trim().lines() {
        let empty = line.trim().is_empty();
        if empty && blank {
            continue;
        }
        blank = empty;
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn create_tag(ctx: &Ctx, current: &Current, message: &str, sign: bool) -> Result<()> {
    let repo = &ctx.repo;
    if sign {
        let dir = repo.workdir()?;
        let mut file = tempfile::NamedTempFile::new()?;
        std::io::Write::write_all(&mut file, message.as_bytes())?;
        let path = file.path().to_string_lossy().into_owned();
        let head = current.head.to_string();
        let out = cli::run(
            &dir,
            &[
                "tag",
                "-s",
                "--cleanup=verbatim",
                "-F",
                &path,
                &current.id,
                &head,
            ],
            cli::NETWORK_TIMEOUT,
        )?;
        if !out.success {
            return Err(Error::usage(format!("signing the tag {} failed", current.id))
                .cause(out.stderr.trim().to_string())
                .hint("check your signing set-up (git config user.signingkey, gpg.format), or ship without --sign"));
        }
        return Ok(());
    }
    repo.create_annotated_tag(&current.id, current.head, message)?;
    Ok(())
}

/// Finds where the line's release branch stands on the remote: as the remote just said
/// (`remote`, from `ls-remote`), else as last fetched.
fn release_branch(
    ctx: &Ctx,
    current: &Current,
    remote: Option<&std::collections::HashMap<String, String>>,
) -> Result<plan::ReleaseBranch> {
    let release = expand_line(&ctx.config.release.branch, Line::of(&current.version));
    let tip = match remote {
        Some(m) => m
            .get(&format!("refs/heads/{release}"))
            .and_then(|s| crate::git::Oid::from_str(s).ok()),
        None => ctx
            .repo
            .ref_target(&format!("refs/remotes/{}/{release}", ctx.remote())),
    };
    Ok(match tip {
        None => plan::ReleaseBranch::Absent,
        Some(tip) if tip == current.head => plan::ReleaseBranch::AtHead,
        Some(tip) if ctx.repo.has_commit(tip) && ctx.repo.is_ancestor(tip, current.head)? => {
            plan::ReleaseBranch::FastForward
        }
        Some(_) => plan::ReleaseBranch::Diverged,
    })
}

/// Brings the remote's ledger in (union merge), checks every ref against the remote, then
/// pushes every line's branch, tag and release branch, and the ledger, in one atomic push: all
/// of them land, or none. A release branch that cannot fast-forward is left out and named; a
/// tag or hotfix branch the remote has elsewhere stops the push before it starts.
fn push(ctx: &Ctx, lines: &[&Current]) -> Result<()> {
    let repo = &ctx.repo;
    let dir = repo.workdir()?;
    if let Some(w) = ctx.ledger().pull()?.and_then(|m| m.warning()) {
        ui::warn(w);
    }
    let ledger = format!("refs/heads/{}", ctx.config.release.ledger);
    let mut asked = vec![ledger.clone()];
    for c in lines {
        let release = expand_line(&ctx.config.release.branch, Line::of(&c.version));
        asked.push(format!("refs/heads/{}", c.branch));
        asked.push(format!("refs/tags/{}", c.id));
        asked.push(format!("refs/heads/{release}"));
    }
    let remote = cli::remote_refs(&dir, ctx.remote(), &asked)?;
    let at = |r: &str| {
        remote
            .get(r)
            .and_then(|s| crate::git::Oid::from_str(s).ok())
    };
    let mut specs = Vec::new();
    let mut notes = Vec::new();
    for c in lines {
        let tag = format!("refs/tags/{}", c.id);
        let local_tag = repo.ref_target(&tag);
        if let Some(there) = at(&tag) {
            if Some(there) != local_tag {
                return Err(Error::external(format!(
                    "{} on {} is not this clone's tag",
                    c.id,
                    ctx.remote()
                ))
                .cause("someone else shipped that version first; pushing would fail, and nothing was pushed")
                .hint(format!(
                    "fetch and look: git fetch {} tag {}; this clone's record of it is not published",
                    ctx.remote(),
                    c.id
                )));
            }
        } else {
            specs.push(format!("{tag}:{tag}"));
        }
        let branch = format!("refs/heads/{}", c.branch);
        match at(&branch) {
            Some(there) if there == c.head => {}
            Some(there) if !repo.has_commit(there) || !repo.is_ancestor(there, c.head)? => {
                return Err(Error::external(format!(
                    "{} on {} is at {}, which this clone's branch does not contain",
                    c.branch,
                    ctx.remote(),
                    &there.to_string()[..10]
                ))
                .cause("someone else pushed that hotfix branch; nothing was pushed, so the remote has no half of this ship")
                .hint(format!(
                    "look at it (git fetch {0} {1} && git log {0}/{1}); once it is cleared, `hotfix ship --push` pushes what is tagged and recorded here",
                    ctx.remote(),
                    c.branch
                )));
            }
            _ => specs.push(format!("{branch}:{branch}")),
        }
        let release = expand_line(&ctx.config.release.branch, Line::of(&c.version));
        let release_ref = format!("refs/heads/{release}");
        match at(&release_ref) {
            None => {}
            Some(there) if there == c.head => {}
            Some(there) if repo.has_commit(there) && repo.is_ancestor(there, c.head)? => {
                specs.push(format!("{}:{release_ref}", c.head));
            }
            Some(_) => notes.push(format!(
                "{release} is left alone: it holds commits the hotfix does not, so it cannot fast-forward"
            )),
        }
    }
    specs.push(format!("{ledger}:{ledger}"));
    for n in &notes {
        ui::warn(n);
    }
    let spin = ui::spinner(format!("pushing to {}", ctx.remote()));
    crate::error::failpoint("ship-before-push");
    let pushed = cli::push_atomic(&dir, ctx.remote(), &specs);
    ui::done(spin);
    pushed?;
    let ids: Vec<&str> = lines.iter().map(|c| c.id.as_str()).collect();
    ui::out(format!(
        "pushed {} to {} in one atomic push",
        ids.join(", "),
        ctx.remote()
    ));
    Ok(())
}
