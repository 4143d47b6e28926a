//! `hotfix retro`: a post-incident review, pre-filled from the record.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::context::{Ctx, Globals};
use crate::error::Result;
use crate::ledger::{Deployed, Picked, Record, Retro, RolledBack, Verified};
use crate::metrics::human_duration;
use crate::{render, ui};

/// Renders the post-incident review, pre-filled from the record.
///
/// From templates/retro.md: the timeline from detection to verification, picks, rules,
/// overrides and reviewers.
///
/// With --output it writes the file and records a `retro` event; without, it prints it.
///
/// Example: hotfix retro v1.4.3 --output docs/retros/v1.4.3.md
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id (v1.4.3) or version (1.4.3).
    pub id: String,

    /// Writes the review to FILE and records it in the ledger.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Serialize)]
struct Line {
    at: String,
    what: String,
    #[serde(skip)]
    when: DateTime<Utc>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix retro`")?;
    let record = ctx.find_record(&args.id)?;
    let text = render::render(
        Some(&ctx),
        "retro.md",
        &context(
            &record,
            ctx.config
                .deploy
                .environments
                .last()
                .map(String::as_str)
                .unwrap_or("production"),
        ),
    )?;
    match &args.output {
        Some(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, &text)
                .map_err(|e| crate::error::Error::file(path, "write", &e))?;
            ctx.record_event(
                "retro",
                &record.id,
                &Retro {
                    file: path.display().to_string(),
                },
            )?;
            ui::out(format!(
                "wrote {} and recorded the retro of {}",
                path.display(),
                record.id
            ));
        }
        None => ui::out(text.trim_end()),
    }
    Ok(())
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn context(record: &Record, last_env: &str) -> serde_json::Value {
    // The times that count are the last environment's (events without one count for it).
    let in_last = |e: &crate::ledger::Event| {
        e.data
            .get("env")
            .and_then(|v| v.as_str())
            .unwrap_or(last_env)
            == last_env
    };
    let deployed_at = record
        .events
        .iter()
        .filter(|e| e.kind == "deployed" && in_last(e))
        .filter_map(|e| e.payload::<Deployed>())
        .map(|d| d.deployed_at)
        .min();
    let verified_at = record
        .events
        .iter()
        .filter(|e| e.kind == "verified" && in_last(e))
        .map(|e| e.at)
        .min();
    let started = record.started();
    let shipped = record.shipped();
    let mut timeline: Vec<Line> = Vec::new();
    let mut push = |when: DateTime<Utc>, what: String| {
        timeline.push(Line {
            at: stamp(when),
            what,
            when,
        })
    };
    if let Some(d) = started.as_ref().and_then(|s| s.detected_at) {
        push(d, "problem detected".into());
    }
    for e in &record.events {
        let what = match e.kind.as_str() {
            "started" => format!(
                "hotfix started from {} by {}",
                started.as_ref().map(|s| s.base.as_str()).unwrap_or("?"),
                e.by
            ),
            "picked" => match e.payload::<Picked>() {
                Some(p) => format!(
                    "picked \"{}\"{}",
                    p.subject,
                    if p.clean { "" } else { " (modified)" }
                ),
                None => "picked a fix".into(),
            },
            "shipped" => format!(
                "shipped {} by {}",
                shipped.as_ref().map(|s| s.tag.as_str()).unwrap_or("?"),
                e.by
            ),
            "deployed" => {
                if let Some(d) = e.payload::<Deployed>() {
                    push(d.deployed_at, format!("deployed to {}", d.env));
                }
                continue;
            }
            "verified" => {
                let v = e.payload::<Verified>().unwrap_or_default();
                let env = v.env.as_deref().unwrap_or(last_env);
                match v.note {
                    Some(n) => format!("verified in {env}: {n}"),
                    None => format!("verified in {env}"),
                }
            }
            "deploy_failed" => match e.payload::<crate::ledger::DeployFailed>() {
                Some(f) => format!("the deploy to {} failed: {}", f.env, f.reason),
                None => "a deploy failed".into(),
            },
            "interrupted" => match e.payload::<crate::ledger::Interrupted>() {
                Some(i) => format!("the deploy to {} was interrupted ({})", i.env, i.step),
                None => "a deploy was interrupted".into(),
            },
            "rolled_back" => match e.payload::<RolledBack>() {
                Some(r) => format!(
                    "rolled back to {}{}{}",
                    r.to,
                    r.env.map(|x| format!(" in {x}")).unwrap_or_default(),
                    if r.automatic { ", automatically" } else { "" }
                ),
                None => "rolled back".into(),
            },
            "abandoned" => "abandoned".into(),
            _ => continue,
        };
        push(e.at, what);
    }
    timeline.sort_by_key(|l| l.when);
    let detected = started.as_ref().and_then(|s| s.detected_at);
    let lead = |end: Option<DateTime<Utc>>| match (detected, end) {
        (Some(d), Some(e)) if e >= d => Some(human_duration(e - d)),
        _ => None,
    };
    serde_json::json!({
        "id": record.id,
        "summary": started.as_ref().and_then(|s| s.summary.clone()),
        "incident": started.as_ref().and_then(|s| s.incident.clone()),
        "severity": started.as_ref().and_then(|s| s.severity.clone()),
        "line": started.as_ref().map(|s| s.line.clone()).unwrap_or_default(),
        "base": started.as_ref().map(|s| s.base.clone()).unwrap_or_default(),
        "tag": shipped.as_ref().map(|s| s.tag.clone()),
        "detection_to_ship": lead(record.ship_time()),
        "detection_to_deploy": lead(deployed_at),
        "detection_to_verified": lead(verified_at),
        "rolled_back": record.rolled_back(),
        "timeline": timeline,
        "picks": record.picks(),
        "stats": shipped.as_ref().map(|s| s.stats.clone()),
        "rules": shipped.as_ref().map(|s| s.rules.clone()).unwrap_or_default(),
        "overrides": shipped.as_ref().map(|s| s.overrides.clone()).unwrap_or_default(),
        "reviewers": shipped.as_ref().map(|s| s.reviewers.clone()).unwrap_or_default(),
    })
}
