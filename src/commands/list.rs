//! `hotfix list` and `hotfix show`: read the ledger.

use serde::Serialize;
use serde_json::Value;

use crate::commands::Format;
use crate::context::{Ctx, Globals};
use crate::error::Result;
use crate::ledger::{Picked, Record};
use crate::ui;

/// Lists every hotfix in the ledger, newest first.
///
/// Example: hotfix list --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Shows one hotfix: its record and every event in order.
///
/// Example: hotfix show v1.4.3
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ShowArgs {
    /// The hotfix id (its tag, v1.4.3) or version (1.4.3).
    pub id: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// One row of `list --format json` (schema 1).
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub state: String,
    pub line: Option<String>,
    pub base: Option<String>,
    pub incident: Option<String>,
    pub severity: Option<String>,
    pub summary: Option<String>,
    pub detected_at: Option<String>,
    pub started_at: Option<String>,
    pub shipped_at: Option<String>,
    pub picks: usize,
    pub overrides: usize,
}

fn row(r: &Record) -> Row {
    let s = r.started();
    let fmt = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    Row {
        id: r.id.clone(),
        state: r.state().to_string(),
        line: s.as_ref().map(|s| s.line.clone()),
        base: s.as_ref().map(|s| s.base.clone()),
        incident: s.as_ref().and_then(|s| s.incident.clone()),
        severity: s.as_ref().and_then(|s| s.severity.clone()),
        summary: s.as_ref().and_then(|s| s.summary.clone()),
        detected_at: s.as_ref().and_then(|s| s.detected_at).map(fmt),
        started_at: r.started_at().map(fmt),
        shipped_at: r.shipped_at().map(fmt),
        picks: r.picks().len(),
        overrides: r.shipped().map(|s| s.overrides.len()).unwrap_or(0),
    }
}

/// Names the lines of a record that could not be read, on stderr.
fn warn_damage(r: &Record) {
    for d in &r.damage {
        ui::warn(format!("records/{}.jsonl, {d}: skipped", r.id));
    }
}

pub fn run_list(globals: &Globals, args: ListArgs) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    let ledger = ctx.ledger();
    if let Some(w) = ledger.unmerged_remote() {
        ui::warn(w);
    }
    let mut records = ledger.records()?;
    for r in &records {
        warn_damage(r);
    }
    records.sort_by_key(|r| std::cmp::Reverse(r.started_at().or(r.shipped_at())));
    let rows: Vec<Row> = records.iter().map(row).collect();
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({ "schema": 1, "hotfixes": rows });
            ui::out(serde_json::to_string_pretty(&doc).expect("serializes"));
        }
        Format::Human => {
            if rows.is_empty() {
                ui::out(format!(
                    "no hotfixes recorded yet (ledger branch {})",
                    ctx.config.release.ledger
                ));
                return Ok(());
            }
            ui::out(format!(
                "{:<14} {:<12} {:<6} {:<6} {:<14} {:<20} {:<20} {}",
                "ID", "STATE", "LINE", "SEV", "INCIDENT", "STARTED", "SHIPPED", "PICKS"
            ));
            for r in rows {
                ui::out(format!(
                    "{:<14} {:<12} {:<6} {:<6} {:<14} {:<20} {:<20} {}",
                    r.id,
                    r.state,
                    r.line.unwrap_or_default(),
                    r.severity.unwrap_or_default(),
                    r.incident.unwrap_or_default(),
                    r.started_at.unwrap_or_default(),
                    r.shipped_at.unwrap_or_default(),
                    r.picks
                ));
            }
        }
    }
    Ok(())
}

pub fn run_show(globals: &Globals, args: ShowArgs) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    let record = ctx.find_record(&args.id)?;
    warn_damage(&record);
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "schema": 1,
                "id": record.id,
                "state": record.state(),
                "summary": row(&record),
                "started": record.started(),
                "picks": record.picks(),
                "shipped": record.shipped(),
                "approvals": record.approvals(),
                "actions": record.actions(),
                "deployments": deploys(&ctx, &record)
                    .into_iter()
                    .map(|(env, state)| serde_json::json!({"env": env, "state": state}))
                    .collect::<Vec<_>>(),
                "events": record.events,
            });
            ui::out(serde_json::to_string_pretty(&doc).expect("serializes"));
        }
        Format::Human => print_record(&record, &deploys(&ctx, &record)),
    }
    Ok(())
}

/// Each environment and where the hotfix's deploy there stands (none before it shipped).
fn deploys(ctx: &Ctx, record: &Record) -> Vec<(String, String)> {
    if record.tag().is_none() {
        return Vec::new();
    }
    crate::deploy::per_env(record, &ctx.config.deploy.environments)
        .into_iter()
        .map(|(env, step)| (env, crate::deploy::describe(step.as_ref())))
        .collect()
}

fn print_record(record: &Record, deploys: &[(String, String)]) {
    let r = row(record);
    ui::out(format!(
        "{} {}  ({})",
        ui::paint("hotfix", ui::bold()),
        record.id,
        r.state
    ));
    if let Some(s) = record.started() {
        ui::out(format!("  line     {} (base {})", s.line, s.base));
        if let Some(i) = &s.incident {
            ui::out(format!(
                "  incident {i}{}",
                s.severity.map(|x| format!(" ({x})")).unwrap_or_default()
            ));
        }
        if let Some(sm) = &s.summary {
            ui::out(format!("  summary  {sm}"));
        }
        if let Some(d) = s.detected_at {
            ui::out(format!("  detected {}", d.format("%Y-%m-%dT%H:%M:%SZ")));
        }
    }
    let picks: Vec<Picked> = record.picks();
    if !picks.is_empty() {
        ui::out("  picks");
        for p in picks {
            ui::out(format!(
                "    {} from {}  {}{}",
                &p.commit[..10.min(p.commit.len())],
                &p.source[..10.min(p.source.len())],
                p.subject,
                if p.clean { "" } else { "  (modified)" }
            ));
        }
    }
    if let Some(s) = record.shipped() {
        ui::out(format!(
            "  shipped  {} at {} (+{} -{} in {} file(s)); rollback to {}",
            s.tag,
            &s.commit[..10.min(s.commit.len())],
            s.stats.added,
            s.stats.deleted,
            s.stats.files,
            s.rollback_to
        ));
        for rv in &s.reviewers {
            ui::out(format!(
                "    reviewed by {} ({}, {})",
                rv.name,
                rv.source,
                if rv.verified {
                    "verified"
                } else {
                    "unverified"
                }
            ));
        }
        for o in &s.overrides {
            ui::out(format!("    overridden {}: {}", o.rule, o.reason));
        }
    }
    for a in record.approvals() {
        ui::out(format!(
            "  approved by {} ({}, {})",
            a.approver,
            a.source,
            if a.verified { "verified" } else { "unverified" }
        ));
    }
    let actions = record.actions();
    if !actions.is_empty() {
        let open = actions.iter().filter(|i| i.done.is_none()).count();
        ui::out(format!(
            "  actions  {open} of {} open (hotfix retro {} --done N)",
            actions.len(),
            record.id
        ));
        for line in ui::action_lines(&actions) {
            ui::out(format!("    {line}"));
        }
    }
    if let Some(a) = record.abandoned() {
        ui::out(format!(
            "  abandoned {}",
            a.reason.as_deref().unwrap_or("(no reason given)")
        ));
    }
    if !deploys.is_empty() {
        ui::out("  deploys");
        let width = deploys.iter().map(|(e, _)| e.len()).max().unwrap_or(0);
        for (env, state) in deploys {
            ui::out(format!("    {env:<width$}  {state}"));
        }
    }
    ui::out("  events");
    let text = |e: &crate::ledger::Event, key: &str| {
        e.data
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    for e in &record.events {
        let extra = match e.kind.as_str() {
            "picked" => e
                .data
                .get("subject")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            "shipped" => e
                .data
                .get("tag")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            "abandoned" => text(e, "reason"),
            "rolled_back" => {
                let env = text(e, "env");
                let reason = text(e, "reason");
                let to = text(e, "to");
                let how = if e.data.get("automatic") == Some(&Value::Bool(true)) {
                    " automatically"
                } else {
                    ""
                };
                let on = if env.is_empty() {
                    String::new()
                } else {
                    format!(" in {env}")
                };
                format!("to {to}{on}{how}: {reason}")
            }
            "deploying" | "deployed" | "verified" | "interrupted" => text(e, "env"),
            "deploy_failed" => format!("{}: {}", text(e, "env"), text(e, "reason")),
            _ => String::new(),
        };
        let extra = crate::text::single_line_view(&extra);
        ui::out(format!(
            "    {}  {:<13} {}  {extra}",
            e.at.format("%Y-%m-%dT%H:%M:%SZ"),
            e.kind,
            e.by
        ));
    }
}
