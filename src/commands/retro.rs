//! `hotfix retro`: a post-incident review, pre-filled from the record.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::ledger::{
    Action, ActionDone, ActionItem, Deployed, Picked, Record, Retro, RolledBack, Verified,
    action_key,
};
use crate::metrics::human_duration;
use crate::{render, ui};

/// Renders the post-incident review, pre-filled from the record.
///
/// From templates/retro.md: the timeline from detection to verification, picks, rules,
/// overrides and reviewers.
///
/// With --output it writes the file and records a `retro` event; without, it prints it.
///
/// --action records a follow-up action item and --done closes one, by its number in
/// `hotfix show` (items in the order they were recorded) or its key. Items are keyed by a hash
/// of their text, so the same item recorded in two clones is one, and merging the ledger never
/// renumbers them.
///
/// Example: hotfix retro v1.4.3 --output docs/retros/v1.4.3.md
/// Example: hotfix retro v1.4.3 --action "alert on checkout 5xx within 2 minutes"
/// Example: hotfix retro v1.4.3 --done 1
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id (v1.4.3) or version (1.4.3).
    pub id: String,

    /// Writes the review to FILE and records it in the ledger.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,

    /// Records a follow-up action item (repeatable); the same text twice is one item.
    #[arg(long, value_name = "TEXT", value_parser = crate::text::single_line)]
    pub action: Vec<String>,

    /// Closes an action item: N as `hotfix show` numbers them, or its key (repeatable).
    #[arg(long, value_name = "N")]
    pub done: Vec<String>,
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
    let mut record = ctx.find_record(&args.id)?;
    if !args.action.is_empty() || !args.done.is_empty() {
        record_actions(&ctx, &record, &args)?;
        record = ctx.find_record(&record.id)?;
        print_actions(&record);
        if args.output.is_none() {
            return Ok(());
        }
    }
    let text = render::render(
        Some(&ctx),
        "retro.md",
        &context(&record, ctx.config.deploy.production()),
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

/// Records the new items and closes the named ones; every argument is checked before anything
/// is written, and what is already recorded is not recorded again.
fn record_actions(ctx: &Ctx, record: &Record, args: &Args) -> Result<()> {
    let items = record.actions();
    let mut new: Vec<Action> = Vec::new();
    for text in &args.action {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::usage("the action item is empty")
                .hint("say what is to be done: --action \"add an alert on checkout 5xx\""));
        }
        let key = action_key(text);
        match items.iter().position(|i| i.key == key) {
            Some(n) => ui::note(format!("already recorded as item {}: {text}", n + 1)),
            None if new.iter().any(|a| a.key == key) => {}
            None => new.push(Action {
                key,
                text: text.to_string(),
            }),
        }
    }
    let mut done: Vec<String> = Vec::new();
    for which in &args.done {
        let item = find_item(&items, which.trim())?;
        if item.done.is_some() {
            ui::note(format!("already done: {}", item.text));
        } else if !done.contains(&item.key) {
            done.push(item.key.clone());
        }
    }
    for a in &new {
        ctx.record_event("action", &record.id, a)?;
    }
    for key in done {
        ctx.record_event("action_done", &record.id, &ActionDone { key })?;
    }
    Ok(())
}

/// The item `which` names: its number (1-based, as `show` lists them) or its key (a prefix of
/// at least 4 hex digits will do when only one item has it).
fn find_item<'a>(items: &'a [ActionItem], which: &str) -> Result<&'a ActionItem> {
    let listed = || {
        if items.is_empty() {
            "it has no action items yet; record one with --action TEXT".to_string()
        } else {
            let all: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(n, i)| format!("{} ({}) {}", n + 1, i.key, i.text))
                .collect();
            format!("its items: {}", all.join("; "))
        }
    };
    if let Ok(n) = which.parse::<usize>() {
        return n.checked_sub(1).and_then(|i| items.get(i)).ok_or_else(|| {
            Error::usage(format!("there is no action item {n}"))
                .cause(listed())
                .hint("name the item by its number in `hotfix show ID`, or by its key")
        });
    }
    let matching: Vec<&ActionItem> = items
        .iter()
        .filter(|i| which.len() >= 4 && i.key.starts_with(&which.to_ascii_lowercase()))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        _ => Err(
            Error::usage(format!("'{which}' names no single action item"))
                .cause(listed())
                .hint("name the item by its number in `hotfix show ID`, or by its key"),
        ),
    }
}

fn print_actions(record: &Record) {
    let items = record.actions();
    let open = items.iter().filter(|i| i.done.is_none()).count();
    ui::out(format!(
        "{}: {open} of {} action item(s) open",
        record.id,
        items.len()
    ));
    for line in ui::action_lines(&items) {
        ui::out(format!("  {line}"));
    }
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
        "approvals": record.approvals(),
        "actions": record.actions().iter().map(|i| serde_json::json!({
            "text": i.text,
            "key": i.key,
            "done": i.done.is_some(),
        })).collect::<Vec<_>>(),
    })
}
