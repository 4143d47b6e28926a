//! `hotfix status`: where the current hotfix stands and the exact next command.

use crate::context::{Ctx, Globals};
use crate::error::Result;
use crate::gather::{GatherOptions, gather};
use crate::git::Oid;
use crate::git::pick::PickState;
use crate::policy::{self, Verdict};
use crate::ui;

/// Shows where the current hotfix stands: base, picks, each rule's verdict, and the next command.
///
/// Example: hotfix status
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Shows each modified pick's whole difference from its source (as `-v` does).
    #[arg(long)]
    pub diff: bool,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    let repo = &ctx.repo;
    let pick = PickState::load(repo)?;
    let current = ctx.current()?;
    let record = ctx.ledger().record(&current.id)?;
    ui::out(format!(
        "{} {}",
        ui::paint("hotfix", ui::bold()),
        current.id
    ));
    ui::out(format!("  branch   {}", current.branch));
    ui::out(format!(
        "  base     {} ({})",
        current.base.name,
        repo.short(current.base.commit)
    ));
    if let Some(s) = &current.started {
        if let Some(i) = &s.incident {
            let sev = s
                .severity
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            ui::out(format!("  incident {i}{sev}"));
        }
        if let Some(d) = s.detected_at {
            ui::out(format!("  detected {}", d.format("%Y-%m-%dT%H:%M:%SZ")));
        }
        if let Some(sm) = &s.summary {
            ui::out(format!("  summary  {sm}"));
        }
    }
    ui::out(format!("  config   {}", ctx.source));
    let blockers = match current.started.as_ref().and_then(|s| s.incident.clone()) {
        Some(i) => print_incident(&ctx, &i, &current.id)?,
        None => Vec::new(),
    };

    if let Some(st) = &pick {
        ui::out("");
        ui::out(format!(
            "{} a pick is in progress ({} done, {} to go){}",
            ui::paint("pick:", ui::yellow().bold()),
            st.done.len(),
            st.todo.len(),
            if st.stopped {
                ", stopped on a conflict"
            } else {
                ", interrupted"
            }
        ));
        if let Some(t) = st.todo.first() {
            ui::out(format!("  at {}", &t.source[..10]));
        }
        ui::out("");
        ui::out("next: resolve, `git add`, then hotfix pick --continue   (or --skip, or --abort)");
        return Ok(());
    }

    let shipper = repo.me().ok();
    let summary = gather(
        &ctx,
        &current.id,
        &current.base,
        current.head,
        &GatherOptions {
            shipper,
            shipped_tag: true,
            ..Default::default()
        },
    )?;
    ui::out("");
    if summary.commits.is_empty() {
        ui::out("picks: none yet");
    } else {
        ui::out(format!("picks: {}", summary.commits.len()));
        for c in &summary.commits {
            let how = c.provenance.describe();
            ui::out(format!("  {} {}  ({how})", c.short, c.subject));
        }
    }
    let results = policy::evaluate(&summary, &ctx.config, &summary.shipped_overrides).results;
    ui::out("");
    ui::out("rules:");
    ui::print_rules(&results, ui::Show::new(globals.verbose, args.diff));
    ui::out("");
    let shipped = record.as_ref().and_then(|r| r.shipped());
    let failing: Vec<&str> = results
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .map(|r| r.id)
        .collect();
    let next = if let Some(s) = shipped.filter(|s| s.commit == current.head.to_string()) {
        let unpublished = ctx.ledger().unpublished_ships()?;
        if unpublished.iter().any(|(id, _, _)| *id == current.id) {
            format!(
                "{} is shipped here but not pushed: hotfix ship --push",
                s.tag
            )
        } else {
            let envs = &ctx.config.deploy.environments;
            let steps = record
                .as_ref()
                .map(|r| crate::deploy::per_env(r, envs))
                .unwrap_or_default();
            ui::out("deploys:");
            for (env, step) in &steps {
                ui::out(format!(
                    "  {env}  {}",
                    crate::deploy::describe(step.as_ref())
                ));
            }
            ui::out("");
            let pending = steps
                .iter()
                .find(|(_, step)| !matches!(step, Some(crate::ledger::DeployStep::Verified(_))));
            let flag = |env: &str| {
                if envs.len() > 1 {
                    format!(" --env {env}")
                } else {
                    String::new()
                }
            };
            match pending {
                None => format!(
                    "{} is verified everywhere; the review: hotfix retro {}",
                    s.tag, current.id
                ),
                Some((env, _)) if !ctx.config.deploy.command.trim().is_empty() => {
                    format!("hotfix deploy {}{}", current.id, flag(env))
                }
                Some((env, _)) => format!(
                    "{} is shipped and pushed; once it is deployed: hotfix deployed {}{}",
                    s.tag,
                    current.id,
                    flag(env)
                ),
            }
        }
    } else if summary.commits.is_empty() {
        "hotfix pick <sha>   (a fix merged on mainline)".to_string()
    } else if failing.is_empty() {
        "hotfix ship".to_string()
    } else if failing == ["reviewed"] {
        "hotfix ship --reviewer \"Name <email>\"   (someone who is not an author)".to_string()
    } else {
        let others: Vec<&str> = failing
            .iter()
            .copied()
            .filter(|r| *r != "reviewed")
            .collect();
        format!(
            "fix {} (see the hints above), or hotfix ship --override {} --reason \"...\"",
            others.join(", "),
            others[0]
        )
    };
    // On an incident whose other lines are not ready, a ship without --line would ship them
    // too and refuse: the next command names this line.
    let next = if blockers.is_empty() || !next.contains("hotfix ship") {
        next
    } else {
        let this = crate::version::Line::of(&current.version);
        format!(
            "{}   (line(s) {} not ready; without --line the incident ships all its lines together)",
            next.replacen("hotfix ship", &format!("hotfix ship --line {this}"), 1),
            blockers.join(", ")
        )
    };
    ui::out(format!("next: {next}"));
    Ok(())
}

/// The incident's lines, when it has several: line, version, picks, state, and the next command.
/// Returns the other open lines that are not ready to ship.
fn print_incident(ctx: &Ctx, incident: &str, current: &str) -> Result<Vec<String>> {
    let mut members = ctx.incident(incident)?;
    if members.len() < 2 {
        return Ok(Vec::new());
    }
    members.sort_by_key(|r| {
        std::cmp::Reverse(
            r.started()
                .and_then(|s| semver::Version::parse(&s.version).ok()),
        )
    });
    ui::out("");
    let mut lines: Vec<String> = members
        .iter()
        .filter_map(|r| r.started().map(|s| s.line))
        .collect();
    lines.sort();
    lines.dedup();
    ui::out(format!(
        "incident {}: {} lines, {} hotfixes",
        crate::text::single_line_view(incident),
        lines.len(),
        members.len()
    ));
    ui::out(format!(
        "  {:<6} {:<10} {:>5}  {:<15} next",
        "line", "version", "picks", "state"
    ));
    // The incident's fixes: every source picked onto any of its lines.
    let mut sources: Vec<String> = Vec::new();
    for r in &members {
        for p in r.picks() {
            if !sources.contains(&p.source) {
                sources.push(p.source);
            }
        }
    }
    let rows: Vec<Row> = members
        .iter()
        .map(|r| row(ctx, r, &sources))
        .collect::<Result<_>>()?;
    let stopped: Vec<String> = rows
        .iter()
        .filter(|w| matches!(w.wait, Wait::Stopped(_)))
        .map(|w| w.line.clone())
        .collect();
    let ready_all = rows.iter().all(|w| w.closed || w.wait == Wait::Ready);
    for (r, w) in members.iter().zip(&rows) {
        let Some(s) = r.started() else { continue };
        let picks = r.picks().len();
        let mut state = r.state().to_string();
        let next = if let Some(k) = r.skipped() {
            format!("skipped: {}", k.reason)
        } else if r.is_closed() {
            "-".to_string()
        } else {
            match &w.wait {
                Wait::Stopped(Some(path)) => {
                    state = "conflict".to_string();
                    format!(
                        "resolve in {}, then hotfix pick --continue --line {}",
                        path.display(),
                        s.line
                    )
                }
                Wait::Stopped(None) => {
                    state = "conflict".to_string();
                    "resolve, then hotfix pick --continue".to_string()
                }
                Wait::Missing(n) => match stopped
                    .iter()
                    .find(|l| version_key(l) > version_key(&s.line))
                {
                    Some(on) => {
                        state = format!("waiting on {on}");
                        format!("hotfix pick --continue --line {on} (then this line follows)")
                    }
                    None if picks == 0 && r.id == current => "hotfix pick <sha>".to_string(),
                    None if *n == 0 => format!("hotfix pick <sha> --line {}", s.line),
                    None => format!(
                        "hotfix pick <sha> --line {}   ({n} fix(es) of the incident missing; or skip-line {})",
                        s.line, s.line
                    ),
                },
                Wait::NotApplicable => {
                    state = "not-applicable".to_string();
                    format!(
                        "hotfix skip-line {} --reason \"the files the fix changes are not on {}\"",
                        s.line, s.line
                    )
                }
                Wait::Ready if ready_all => "hotfix ship".to_string(),
                Wait::Ready => format!("hotfix ship --line {}", s.line),
            }
        };
        let here = if r.id == current { " *" } else { "" };
        ui::out(format!(
            "  {:<6} {:<10} {:>5}  {:<15} {next}{here}",
            s.line, r.id, picks, state
        ));
    }
    Ok(members
        .iter()
        .zip(&rows)
        .filter(|(r, w)| r.id != current && !w.closed && w.wait != Wait::Ready)
        .map(|(_, w)| w.line.clone())
        .collect())
}

/// What an open line of an incident waits on.
#[derive(Debug, PartialEq)]
enum Wait {
    /// A pick onto it stopped on a conflict: in its worktree (the path), or here.
    Stopped(Option<std::path::PathBuf>),
    /// This many of the incident's fixes are neither picked onto it nor on it already.
    Missing(usize),
    /// The fixes it lacks touch only files it does not have: `skip-line` is the next step.
    NotApplicable,
    /// It has every fix: it can ship.
    Ready,
}

struct Row {
    line: String,
    closed: bool,
    wait: Wait,
}

/// Judges one member of an incident from git: a stopped pick (its worktree's, or this
/// clone's when its branch is checked out here), else the incident's fixes it lacks (neither
/// a trailer naming them on its branch nor their change already there).
fn row(ctx: &Ctx, r: &crate::ledger::Record, sources: &[String]) -> Result<Row> {
    let repo = &ctx.repo;
    let Some(s) = r.started() else {
        return Ok(Row {
            line: String::new(),
            closed: true,
            wait: Wait::Ready,
        });
    };
    let closed = r.is_closed();
    let worktree = repo.line_worktree_path(&s.line);
    let here = repo.head_branch().as_deref() == Some(s.branch.as_str());
    let wait = if closed {
        Wait::Ready
    } else if here && PickState::load(repo)?.is_some() {
        Wait::Stopped(None)
    } else if repo.line_pick_stopped(&s.line)? {
        Wait::Stopped(Some(worktree))
    } else {
        match (repo.local_branch(&s.branch), Oid::from_str(&s.base_commit)) {
            (Some(tip), Ok(base)) => {
                let missing = missing_fixes(repo, base, tip, sources)?;
                let mut not_applicable = !missing.is_empty();
                for m in &missing {
                    not_applicable = not_applicable && repo.pick_not_applicable(*m, None, tip)?;
                }
                if sources.is_empty() {
                    Wait::Missing(0)
                } else if missing.is_empty() {
                    Wait::Ready
                } else if not_applicable {
                    Wait::NotApplicable
                } else {
                    Wait::Missing(missing.len())
                }
            }
            _ => Wait::Missing(sources.len()),
        }
    };
    Ok(Row {
        line: s.line,
        closed,
        wait,
    })
}

/// Lists the sources that the branch `base..tip` neither names in a pick trailer nor has
/// already (applying the source's change there changes nothing).
fn missing_fixes(
    repo: &crate::git::Repo,
    base: Oid,
    tip: Oid,
    sources: &[String],
) -> Result<Vec<Oid>> {
    let named = repo.picked_sources(base, tip)?;
    let mut missing = Vec::new();
    for src in sources.iter().filter(|s| !named.contains_key(*s)) {
        let Ok(oid) = Oid::from_str(src) else {
            continue;
        };
        if !repo.has_change(oid, None, tip)? {
            missing.push(oid);
        }
    }
    Ok(missing)
}

fn version_key(line: &str) -> Option<crate::version::Line> {
    crate::version::Line::parse(line).ok()
}
