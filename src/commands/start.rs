//! `hotfix start`: branches from the newest release tag on a line and records the start.

use semver::Version;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::git::pick::PickState;
use crate::git::{ReleaseTag, TagRef};
use crate::ledger::{self, Event, Started};
use crate::timeparse::parse_time;
use crate::ui;
use crate::version::{Line, expand, expand_line};

/// Starts a hotfix: branches from the newest release tag of a line and records the start.
///
/// The branch starts exactly at the tag, never at the release branch's tip, so commits queued
/// for the next release do not ride along; they are named so you know they are left out.
///
/// Examples:
///   hotfix start --incident INC-4521 --severity sev2 --detected-at "45m ago"
///   hotfix start --line 1.4
///   hotfix start 1.4.3 --summary "Checkout fails for empty carts"
///   hotfix start --line 2.2 --line 2.1 --incident INC-9   (one incident, two hotfixes)
///   hotfix start --lines supported
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The version to ship (1.4.3 or v1.4.3); default: the next free patch on the newest line.
    pub version: Option<String>,

    /// The release line to patch (MAJOR.MINOR); default: the newest line. Repeat it to start
    /// one hotfix per line under one incident.
    #[arg(long, conflicts_with = "version", value_name = "X.Y")]
    pub line: Vec<String>,

    /// `supported`: one hotfix on every line in release.supported, under one incident.
    #[arg(long, value_name = "WHICH", value_parser = ["supported"], conflicts_with_all = ["version", "line"])]
    pub lines: Option<String>,

    /// The incident this hotfix answers (any id: INC-4521, a ticket URL).
    #[arg(long, value_name = "ID", value_parser = crate::text::single_line)]
    pub incident: Option<String>,

    /// The incident's severity.
    #[arg(long, value_parser = ["sev1", "sev2", "sev3", "sev4"])]
    pub severity: Option<String>,

    /// When the problem was detected: RFC 3339 or relative ("45m ago").
    #[arg(long, value_name = "TIME")]
    pub detected_at: Option<String>,

    /// One line on what is broken.
    #[arg(long, value_name = "TEXT", value_parser = crate::text::single_line)]
    pub summary: Option<String>,

    /// Who approved this hotfix ("Name <email>" or @github-login), for the `approved` rule
    /// when the severity is not one of policy.hotfix-severities. Recorded as unverified.
    #[arg(long, value_name = "WHO", value_parser = crate::text::single_line)]
    pub approved_by: Option<String>,
}

pub fn run(globals: &Globals, mut args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix start`")?;
    let repo = &ctx.repo;
    repo.workdir()?;
    let now = ledger::now(repo)?;
    if ui::interactive() && !globals.yes {
        ask_missing(&ctx, &mut args, now)?;
    }
    let detected_at = args
        .detected_at
        .as_deref()
        .map(|t| parse_time(t, now))
        .transpose()?;
    if PickState::load(repo)?.is_some() {
        return Err(Error::usage("a pick is in progress")
            .cause("a `hotfix pick` stopped and is waiting")
            .hint(
                "finish it with `hotfix pick --continue`, or undo it with `hotfix pick --abort`",
            ));
    }
    repo.ensure_no_git_operation()?;
    ctx.ensure_unlocked()?;
    repo.ensure_not_shallow("start a hotfix", ctx.remote())?;
    repo.ensure_clean("start a hotfix")?;
    // One start at a time in a clone: two would both find the same versions free.
    let _lock = repo.lock_state("start", "`hotfix start`")?;
    let tags = ctx.tag_refs()?;

    // Every line is checked before anything is written.
    let plans = plan(&ctx, &tags, &args)?;
    let approval = args
        .approved_by
        .as_deref()
        .map(|who| ctx.approval(who))
        .transpose()?;
    let lines: Vec<String> = plans.iter().map(|p| p.line.to_string()).collect();
    let ledger = ctx.ledger();
    let incident = match &args.incident {
        Some(i) => i.clone(),
        None => incident_for(&ctx, &plans, now)?,
    };
    // A line whose hotfix was started already keeps its incident: splitting one would let a
    // line ship while its sibling is still exposed.
    for p in &plans {
        let earlier = ledger
            .record(&p.id)?
            .and_then(|r| r.started())
            .filter(|s| s.branch == p.branch && s.base == p.base.name)
            .and_then(|s| s.incident);
        if let Some(e) = earlier.filter(|e| *e != incident) {
            return Err(Error::usage(format!(
                "{} was started under incident {e}, not {incident}",
                p.id
            ))
            .cause("a hotfix belongs to one incident; resuming it under another would split the incident")
            .hint(format!(
                "run it again with --incident {e}, or abandon {} first (hotfix abandon {} --reason \"...\")",
                p.id, p.id
            )));
        }
        repo.ensure_branch_creatable(&p.branch)?;
    }
    // Branches first, the newest checked out, then the records: a re-run after a kill finds
    // the branches at their tags and the records, and finishes the job.
    for p in &plans {
        repo.create_branch(&p.branch, p.base.commit)?;
    }
    let newest = &plans[0];
    repo.checkout_safe(newest.base.commit).map_err(|e| {
        Error::usage(format!("cannot check out {}", newest.base.name))
            .cause(format!(
                "files in the working tree would be overwritten ({})",
                e.cause.clone().unwrap_or(e.message)
            ))
            .hint("move the files it names out of the way, then run `hotfix start` again")
    })?;
    repo.point_head_at(&format!("refs/heads/{}", newest.branch))?;
    for p in &plans {
        queued_note(&ctx, p)?;
        let started = Started {
            base: p.base.name.clone(),
            base_commit: p.base.commit.to_string(),
            branch: p.branch.clone(),
            version: p.version.to_string(),
            line: p.line.to_string(),
            incident: Some(incident.clone()),
            severity: args.severity.clone(),
            detected_at,
            summary: args.summary.clone(),
            lines: if plans.len() > 1 {
                lines.clone()
            } else {
                Vec::new()
            },
        };
        let record = ledger.record(&p.id)?;
        let already = record
            .as_ref()
            .and_then(|r| r.started())
            .is_some_and(|s| s.base == started.base && s.branch == started.branch);
        let by = ledger::by(repo)?;
        if !already {
            ledger.append(&Event::new("started", &p.id, &by, now, &started))?;
        }
        if let Some(a) = &approval {
            let approved_already = record
                .iter()
                .flat_map(|r| r.approvals())
                .any(|x| x.approver == a.approver);
            if !approved_already {
                ledger.append(&Event::new("approved", &p.id, &by, now, a))?;
            }
        }
    }

    if plans.len() == 1 {
        ui::out(format!(
            "started hotfix {} on line {}",
            newest.id, newest.line
        ));
        ui::out(format!(
            "  base    {} ({})",
            newest.base.name,
            repo.short(newest.base.commit)
        ));
        ui::out(format!("  branch  {} (checked out)", newest.branch));
    } else {
        ui::out(format!(
            "started incident {incident} on {} lines",
            plans.len()
        ));
        for (i, p) in plans.iter().enumerate() {
            ui::out(format!(
                "  {:<6} {:<10} from {:<10} {}{}",
                p.line.to_string(),
                p.id,
                p.base.name,
                p.branch,
                if i == 0 { " (checked out)" } else { "" }
            ));
        }
    }
    let sev = args
        .severity
        .as_deref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    ui::out(format!("  incident {incident}{sev}"));
    if let Some(a) = &approval {
        ui::out(format!("  approved by {} (unverified)", a.approver));
    }
    if let Some(d) = detected_at {
        ui::out(format!("  detected {}", d.format("%Y-%m-%dT%H:%M:%SZ")));
    }
    if let Ok(m) = ctx.mainline() {
        ui::note(format!(
            "next: hotfix pick <sha>   (a fix merged on {}; `git log {} --oneline` lists them)",
            m.display, m.display
        ));
        if plans.len() > 1 {
            ui::note(
                "  `hotfix pick <sha>` picks onto every line of the incident (a line that conflicts waits in its own worktree); `hotfix preview <sha>` says first where the fix applies",
            );
        }
    }
    Ok(())
}

/// One line's hotfix, decided before anything is written.
struct Plan {
    base: ReleaseTag,
    version: Version,
    id: String,
    branch: String,
    line: Line,
}

/// Decides every line's base, version and branch; several lines come newest first.
fn plan(ctx: &Ctx, tags: &[TagRef], args: &Args) -> Result<Vec<Plan>> {
    let pattern = &ctx.config.release.tag;
    let make = |(base, version): (ReleaseTag, Version)| Plan {
        id: pattern.format(&version),
        branch: expand(&ctx.config.release.hotfix_branch, &version),
        line: Line::of(&version),
        base,
        version,
    };
    let lines: Vec<Line> = if args.lines.is_some() {
        let known: Vec<Line> = tags.iter().map(|t| t.line()).collect();
        ctx.config.release.supported.choose(&known)
    } else if args.line.len() > 1 {
        Line::parse_all(&args.line)?
    } else {
        return Ok(vec![make(choose(
            ctx,
            tags,
            args.version.as_deref(),
            args.line.first().map(String::as_str),
        )?)]);
    };
    let mut out = Vec::new();
    for line in lines {
        let text = line.to_string();
        out.push(make(choose(ctx, tags, None, Some(&text))?));
    }
    Ok(out)
}

/// The incident of a start: an interrupted start's, when these hotfixes were begun already,
/// else a new `INC-YYYYMMDD-N`, N one more than the incidents of that day in the ledger.
fn incident_for(ctx: &Ctx, plans: &[Plan], now: chrono::DateTime<chrono::Utc>) -> Result<String> {
    let ledger = ctx.ledger();
    for p in plans {
        if let Some(i) = ledger
            .record(&p.id)?
            .and_then(|r| r.started())
            .filter(|s| s.branch == p.branch && s.base == p.base.name)
            .and_then(|s| s.incident)
        {
            return Ok(i);
        }
    }
    let day = format!("INC-{}-", now.format("%Y%m%d"));
    let mut taken = std::collections::BTreeSet::new();
    for r in ledger.records()? {
        if let Some(i) = r.started().and_then(|s| s.incident) {
            if let Some(n) = i.strip_prefix(&day).and_then(|n| n.parse::<u32>().ok()) {
                taken.insert(n);
            }
        }
    }
    let n = (1..).find(|n| !taken.contains(n)).unwrap_or(1);
    Ok(format!("{day}{n}"))
}

/// Names the commits queued on the line's release branch after the tag, which stay out; or
/// says once that the line has no release branch.
fn queued_note(ctx: &Ctx, p: &Plan) -> Result<()> {
    let repo = &ctx.repo;
    let (base, line) = (&p.base, p.line);
    // Commits queued on the release branch after the tag are named, and left out.
    let release_name = expand_line(&ctx.config.release.branch, line);
    if let Some(rb) = repo.branch_tip(&release_name, ctx.remote()) {
        if rb.tip != base.commit && repo.is_ancestor(base.commit, rb.tip)? {
            let mut queued = repo.range(base.commit, rb.tip)?;
            queued.reverse();
            let n = queued.len();
            ui::note(format!(
                "{} holds {n} commit(s) after {} that are not part of this hotfix:",
                rb.display, base.name
            ));
            for oid in queued.iter().take(10) {
                let c = repo.commit_info(*oid)?;
                ui::note(format!("  {} {}", repo.short(*oid), c.subject()));
            }
            if n > 10 {
                ui::note(format!("  ... and {} more", n - 10));
            }
            ui::note(format!(
                "  the hotfix branches from the tag {}; pick any of them you need with `hotfix pick`",
                base.name
            ));
        }
    } else {
        ui::note(format!(
            "line {line} has no release branch {release_name} here or on {}, so no commits queued for its next release are looked for; if the team names its release branches otherwise, set release.branch (now \"{}\") in {}",
            ctx.remote(),
            ctx.config.release.branch,
            crate::config::FILE_NAME
        ));
    }

    Ok(())
}

/// On a terminal, asks for what the flags did not say: the release line (newest first, with
/// its latest tag and date), the incident, the severity and the detection time.
fn ask_missing(ctx: &Ctx, args: &mut Args, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    if args.version.is_none() && args.line.is_empty() && args.lines.is_none() {
        let tags = ctx.tag_refs()?;
        let mut lines: Vec<&TagRef> = Vec::new();
        for t in tags.iter().rev() {
            if !lines.iter().any(|l| l.line() == t.line()) {
                lines.push(t);
            }
        }
        let items: Vec<String> = lines
            .iter()
            .take(20)
            .map(|t| {
                let date = ctx
                    .repo
                    .tag_date(&t.name)
                    .map(|d| d.format(" %Y-%m-%d").to_string())
                    .unwrap_or_default();
                format!("{}  (latest {}{date})", t.line(), t.name)
            })
            .collect();
        let i = ui::choose("Which release line does the hotfix patch?", &items, 0)?;
        args.line = vec![lines[i].line().to_string()];
    }
    if args.incident.is_none() {
        let i = ui::ask("Incident id (empty for none)", None)?;
        let i = crate::text::single_line(&i).map_err(|why| {
            Error::usage("the incident id is not one line of plain text")
                .cause(why)
                .hint("type the id alone, such as INC-4521")
        })?;
        args.incident = Some(i).filter(|s| !s.trim().is_empty());
    }
    if args.severity.is_none() {
        let items: Vec<String> = ["sev1", "sev2", "sev3", "sev4", "not set"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let i = ui::choose("Severity", &items, 4)?;
        args.severity = (i < 4).then(|| items[i].clone());
    }
    if args.detected_at.is_none() {
        loop {
            let t = ui::ask(
                "Detected when? (RFC 3339, or like \"45m ago\")",
                Some("now"),
            )?;
            match parse_time(&t, now) {
                Ok(_) => {
                    args.detected_at = Some(t);
                    break;
                }
                Err(e) => ui::warn(e.message),
            }
        }
    }
    Ok(())
}

/// Chooses the base tag and the version to ship.
fn choose(
    ctx: &Ctx,
    tags: &[TagRef],
    version: Option<&str>,
    line: Option<&str>,
) -> Result<(ReleaseTag, Version)> {
    let pattern = &ctx.config.release.tag;
    if let Some(text) = version {
        let v = pattern.parse_user_version(text)?;
        let name = pattern.format(&v);
        if ctx.repo.tag_target(&name).is_some() {
            return Err(Error::usage(format!("the tag {name} already exists"))
                .cause(format!("{v} has shipped already"))
                .hint("run `hotfix start` without a version to take the next free patch"));
        }
        if let Some(a) = ctx.ledger().record(&name)?.and_then(|r| r.abandoned()) {
            return Err(Error::usage(format!("{name} was abandoned"))
                .cause(format!(
                    "an abandoned version is not reused, so its record stays whole ({})",
                    a.reason.as_deref().unwrap_or("no reason given")
                ))
                .hint("run `hotfix start` without a version to take the next free patch"));
        }
        if v.patch == 0 {
            return Err(Error::usage(format!("{v} is not a patch release"))
                .cause("a hotfix bumps PATCH on a released line; X.Y.0 opens a new line")
                .hint(format!("give {}.{}.1 or later", v.major, v.minor)));
        }
        let line = Line::of(&v);
        let newest = newest_on_line(ctx, tags, line)?;
        if v <= newest.version {
            return Err(Error::usage(format!(
                "{v} is not after {}, the newest release on line {line}",
                newest.name
            ))
            .cause("a hotfix patches the newest release of its line")
            .hint("run `hotfix start` without a version to take the next free patch"));
        }
        let next = Version::new(
            newest.version.major,
            newest.version.minor,
            newest.version.patch + 1,
        );
        if v > next {
            let skipped = if v.patch == next.patch + 1 {
                next.to_string()
            } else {
                format!("{next} to {}.{}.{}", v.major, v.minor, v.patch - 1)
            };
            let question = format!(
                "{v} skips {skipped}: the newest release on line {line} is {}. Start {v} anyway?",
                newest.name
            );
            if ui::interactive() {
                if !ui::confirm(&question, false)? {
                    return Err(Error::usage(format!("not starting {v}"))
                        .cause(format!("it would skip {skipped}"))
                        .hint(format!("run `hotfix start --line {line}` to take {next}")));
                }
            } else {
                ui::warn(format!(
                    "{v} skips {skipped}: the newest release on line {line} is {}; `hotfix start --line {line}` takes {next}",
                    newest.name
                ));
            }
        }
        return Ok((ctx.repo.peel(newest)?, v));
    }
    let line = match line {
        Some(l) => Line::parse(l)?,
        None => tags.last().expect("tag_refs refuses an empty list").line(),
    };
    let base = ctx.repo.peel(newest_on_line(ctx, tags, line)?)?;
    let mut v = base.version.clone();
    loop {
        v.patch = v.patch.checked_add(1).ok_or_else(|| {
            Error::usage(format!(
                "line {line} has no patch version left after {}",
                base.name
            ))
            .cause("its PATCH number is the largest there is")
            .hint("a line this far gone takes a new minor release, not a hotfix")
        })?;
        if is_free(ctx, &v, &base)? {
            return Ok((base, v));
        }
    }
}

fn newest_on_line<'t>(ctx: &Ctx, tags: &'t [TagRef], line: Line) -> Result<&'t TagRef> {
    tags.iter().rev().find(|t| t.line() == line).ok_or_else(|| {
        let lines: Vec<String> = {
            let mut ls: Vec<Line> = tags.iter().map(|t| t.line()).collect();
            ls.dedup();
            ls.iter().rev().take(5).map(|l| l.to_string()).collect()
        };
        Error::usage(format!("no release on line {line}"))
            .cause(format!(
                "no tag matching '{}' has version {line}.x",
                ctx.config.release.tag
            ))
            .hint(format!("lines with releases: {}", lines.join(", ")))
    })
}

/// Tells whether a version is free: no tag, no other hotfix branch, no started record. A branch
/// left at the base by an interrupted `start` counts as free, so the re-run finishes it.
fn is_free(ctx: &Ctx, v: &Version, base: &ReleaseTag) -> Result<bool> {
    let id = ctx.config.release.tag.format(v);
    if ctx.repo.tag_target(&id).is_some() {
        ui::note(format!(
            "{id} is taken (the tag exists); trying the next patch"
        ));
        return Ok(false);
    }
    let branch = expand(&ctx.config.release.hotfix_branch, v);
    let record = ctx.ledger().record(&id)?;
    let active = record
        .as_ref()
        .is_some_and(|r| r.started().is_some() && !r.has("abandoned"));
    if let Some(abandoned) = record.as_ref().and_then(|r| r.abandoned()) {
        let reason = abandoned
            .reason
            .map(|r| format!("reason: {r}"))
            .unwrap_or_else(|| "no reason given".into());
        let kept = if ctx.repo.local_branch(&branch).is_some() {
            format!("; its branch {branch} is kept")
        } else {
            String::new()
        };
        ui::note(format!(
            "{id} was abandoned ({reason}){kept}; trying the next patch"
        ));
        return Ok(false);
    }
    if let Some(tip) = ctx.repo.local_branch(&branch) {
        let same_start = record
            .as_ref()
            .and_then(|r| r.started())
            .is_none_or(|s| s.base == base.name);
        if tip == base.commit && same_start {
            return Ok(true); // an interrupted start, or a started hotfix with no picks yet
        }
        ui::note(format!(
            "{branch} already exists; to resume that hotfix: git switch {branch}. Trying the next patch"
        ));
        return Ok(false);
    }
    if active {
        ui::note(format!(
            "{id} was started elsewhere (see `hotfix show {id}`); trying the next patch"
        ));
        return Ok(false);
    }
    Ok(true)
}
