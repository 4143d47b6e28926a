//! `hotfix audit`: the evidence of every emergency change, one row per hotfix.

use std::collections::{HashMap, HashSet};

use crate::audit::{self, Row};
use crate::context::{Ctx, Globals};
use crate::error::Result;
use crate::git::{Oid, TagEvidence, par};
use crate::metrics::{self, Month};
use crate::{render, ui};

/// The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).
///
/// One row per hotfix shipped (or started) in the months: the incident, its severity (as the
/// shipper declared it), detection and start times, the approvers and reviewers (each verified
/// or not), the overrides with their reasons, the policy in force, the shipper and the tag
/// (signed or not), who deployed, who validated, any rollback, and the retro. A missing step is
/// named, never left blank. Patch tags that no record names are listed as "no record".
///
/// Built from the ledger and the tags alone.
///
/// Examples:
///   hotfix audit
///   hotfix audit --since 2026-01 --until 2026-06 --format csv --output audit.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The first month (YYYY-MM); default: eleven months before --until.
    #[arg(long, value_name = "YYYY-MM")]
    pub since: Option<String>,

    /// The last month (YYYY-MM); default: this month.
    #[arg(long, value_name = "YYYY-MM")]
    pub until: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Markdown)]
    pub format: AuditFormat,

    /// Writes the audit to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Json,
    Csv,
    Markdown,
    Html,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    let now = crate::ledger::now(&ctx.repo)?;
    let (tz, since, until) = metrics::period(
        &ctx.config.report.timezone,
        args.since.as_deref(),
        args.until.as_deref(),
        now,
    )?;
    let last_env = ctx.config.deploy.production().to_string();
    let in_period = |t: chrono::DateTime<chrono::Utc>| {
        let m = Month::of(t, tz);
        m >= since && m <= until
    };

    let ledger = ctx.ledger();
    let records = ledger.records()?;
    let tags = ctx.repo.tag_refs(&ctx.config.release.tag)?;
    if let Some(w) = ledger.unmerged_remote() {
        ui::warn(w);
    }
    // A damaged line is evidence lost: said, never silently skipped.
    for r in &records {
        for d in &r.damage {
            ui::warn(format!("records/{}.jsonl, {d}: skipped", r.id));
        }
    }
    let by_name: HashMap<&str, Option<Oid>> =
        tags.iter().map(|t| (t.name.as_str(), t.target)).collect();
    let named: HashSet<String> = records
        .iter()
        .flat_map(|r| [Some(r.id.clone()), r.tag()])
        .flatten()
        .collect();

    // The tag objects to read: each recorded hotfix's own, and every patch tag without a record.
    let chosen: Vec<&crate::ledger::Record> = records
        .iter()
        .filter(|r| {
            r.ship_time()
                .or_else(|| r.events.iter().find(|e| e.kind == "started").map(|e| e.at))
                .is_some_and(in_period)
        })
        .collect();
    let untracked: Vec<&crate::git::TagRef> = tags
        .iter()
        .filter(|t| t.version.patch > 0 && !named.contains(&t.name))
        .collect();
    let mut wanted: Vec<Oid> = chosen
        .iter()
        .filter_map(|r| r.tag())
        .filter_map(|t| by_name.get(t.as_str()).copied().flatten())
        .chain(untracked.iter().filter_map(|t| t.target))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let evidence: HashMap<Oid, TagEvidence> =
        par::map(&ctx.repo.gitdir(), &wanted, |repo, oid| {
            repo.tag_evidence(*oid).map(|e| (*oid, e))
        })?
        .into_iter()
        .flatten()
        .collect();
    let tag_of = |name: &str| {
        by_name
            .get(name)
            .copied()
            .flatten()
            .and_then(|o| evidence.get(&o))
    };

    let mut rows: Vec<Row> = chosen
        .iter()
        .map(|r| audit::row(r, r.tag().as_deref().and_then(tag_of), &last_env))
        .collect();
    for t in untracked {
        if let Some(ev) = t.target.and_then(|o| evidence.get(&o)) {
            let row = audit::untracked(&t.name, ev, t.line().to_string());
            if row.shipped_at.is_some_and(in_period) {
                rows.push(row);
            }
        }
    }
    rows.sort_by(|a, b| {
        let at = |r: &Row| r.shipped_at.or(r.started_at);
        at(a).cmp(&at(b)).then_with(|| a.id.cmp(&b.id))
    });

    let doc = render::audit::Document::new(&rows, since, until, &last_env, &ctx.source);
    let text = match args.format {
        AuditFormat::Json => serde_json::to_string_pretty(&doc).expect("serializes") + "\n",
        AuditFormat::Csv => render::audit::csv(&rows),
        AuditFormat::Markdown => {
            render::render(Some(&ctx), "audit.md", &render::audit::for_markdown(&doc))?
        }
        AuditFormat::Html => render::render(Some(&ctx), "audit.html", &doc)?,
    };
    ui::deliver(args.output.as_deref(), &text)
}
