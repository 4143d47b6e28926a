//! `hotfix status`: where the current hotfix stands and the exact next command.

use crate::context::{Ctx, Globals};
use crate::error::Result;
use crate::gather::{GatherOptions, gather};
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
    if let Some(i) = current.started.as_ref().and_then(|s| s.incident.clone()) {
        print_incident(&ctx, &i, &current.id)?;
    }

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
            format!(
                "{} is shipped and pushed; once it is deployed: hotfix deployed {}",
                s.tag, s.tag
            )
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
    ui::out(format!("next: {next}"));
    Ok(())
}

/// The incident's lines, when it has several: line, version, picks, state, and the next command.
fn print_incident(ctx: &Ctx, incident: &str, current: &str) -> Result<()> {
    let mut members = ctx.incident(incident)?;
    if members.len() < 2 {
        return Ok(());
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
        "  {:<6} {:<10} {:>5}  {:<12} next",
        "line", "version", "picks", "state"
    ));
    for r in &members {
        let Some(s) = r.started() else { continue };
        let picks = r.picks().len();
        let state = r.state();
        let next = if let Some(k) = r.skipped() {
            format!("skipped: {}", k.reason)
        } else if r.is_closed() {
            "-".to_string()
        } else if r.id == current {
            if picks == 0 {
                "hotfix pick <sha>".to_string()
            } else {
                format!("hotfix ship --line {}", s.line)
            }
        } else if picks == 0 {
            format!("git switch {} && hotfix pick <sha>", s.branch)
        } else {
            format!("git switch {} && hotfix ship --line {}", s.branch, s.line)
        };
        let here = if r.id == current { " *" } else { "" };
        ui::out(format!(
            "  {:<6} {:<10} {:>5}  {:<12} {next}{here}",
            s.line, r.id, picks, state
        ));
    }
    Ok(())
}
