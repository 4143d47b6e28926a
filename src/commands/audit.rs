//! `hotfix audit`: the evidence of every emergency change, one row per hotfix.

use foldhash::HashMap;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::audit::{self, Row};
use crate::context::{Ctx, Globals};
use crate::error::Result;
use crate::git::{Oid, Repo, TagEvidence, TagRef, par};
use crate::ledger::{Trail, Trails, read_trails};
use crate::metrics::{self, Month};
use crate::render::audit::Written;
use crate::{render, ui};

/// The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).
///
/// One row per hotfix shipped (or started) in the months: the incident, its severity (as the
/// shipper declared it), detection and start times, the approvers and reviewers (each verified
/// or not), the overrides with their reasons, the policy in force, the shipper and the tag
/// (signed or not), who deployed, who validated, any rollback, and the retro. A missing step is
/// named, never left blank. Patch tags that no record names are listed as "no record".
///
/// Built from the ledger and the tags alone: the rows from the ledger's audit index where it
/// is current (`--from-records` derives each from its record), and what each tag proves from
/// the tag itself.
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

    /// Derives every row from its record instead of the ledger's audit index, and names any
    /// index line that says otherwise. Slower; for the auditor who wants the rows proven from
    /// the records themselves.
    #[arg(long)]
    pub from_records: bool,
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
    if let Some(w) = ledger.unmerged_remote() {
        ui::warn(w);
    }
    // The ledger and the tags at the same time: the trails (from the audit index, else the
    // records) on every core but one, and the patch tags' objects on a handle of their own.
    let gitdir = ctx.repo.gitdir();
    let tip = ledger.tip_commit();
    let spin = ui::spinner("reading the ledger and the tags");
    let (trails, tags) = rayon::join(
        || par::with_repo(&gitdir, |repo| read_trails(repo, tip, args.from_records)),
        || par::with_repo(&gitdir, |repo| patch_tags(repo, &ctx.config.release.tag)),
    );
    ui::done(spin);
    let Trails {
        trails,
        disagree,
        unindexed,
    } = trails??;
    if unindexed > 0 {
        ui::note(format!(
            "read {unindexed} record(s) that the ledger's audit index does not cover; `hotfix sync` indexes them for every clone"
        ));
    }
    let (tags, mut evidence) = tags??;
    // A damaged line is evidence lost: said, never silently skipped.
    for (id, _, damage) in &trails {
        for d in damage {
            ui::warn(format!("records/{id}.jsonl, {d}: skipped"));
        }
    }
    if !disagree.is_empty() {
        ui::warn(format!(
            "the ledger's audit index says otherwise than the record of {} (edited by hand?); these rows come from the records; `hotfix sync` rewrites the index from the records, and until then only `hotfix audit --from-records` shows what the records say",
            disagree.join(", ")
        ));
    }
    // Each release tag by name, as its place in `tags`.
    let by_name: HashMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let target_of = |name: &str| by_name.get(name).and_then(|&i| tags[i].target);

    // One pass over the trails (sorted by id): the tags they name, marked in place, and the
    // place in the audit's order (shipped, else started, then id) of each one in the months.
    let at = |t: &Trail| t.shipped_at.or(t.started_at);
    let mut named = vec![false; tags.len()];
    let mut places: Vec<(Option<DateTime<Utc>>, usize)> = Vec::with_capacity(trails.len());
    let mut unread: Vec<Oid> = Vec::new();
    for (i, (id, t, _)) in trails.iter().enumerate() {
        for name in [Some(id.as_str()), t.tag.as_deref()].into_iter().flatten() {
            if let Some(&k) = by_name.get(name) {
                named[k] = true;
            }
        }
        let when = at(t);
        if when.is_some_and(in_period) {
            places.push((when, i));
            // A recorded tag that is not a patch tag (the pattern matched it, its version did
            // not look like a patch) is read below, once.
            let target = t.tag.as_deref().and_then(target_of);
            unread.extend(target.filter(|o| !evidence.contains_key(o)));
        }
    }
    places.sort_unstable();
    for oid in unread {
        if let std::collections::hash_map::Entry::Vacant(e) = evidence.entry(oid) {
            if let Some(ev) = ctx.repo.tag_evidence(oid) {
                e.insert(ev);
            }
        }
    }

    // Patch tags no record names, in the months by what the tag says, in the audit's order.
    fn place(r: &Row) -> (Option<DateTime<Utc>>, &str) {
        (r.shipped_at.or(r.started_at), &r.id)
    }
    let mut untracked: Vec<Row> = tags
        .iter()
        .zip(named)
        .filter(|(t, named)| t.version.patch > 0 && !named)
        .map(|(t, _)| t)
        .filter_map(|t| Some((t, evidence.get(&t.target?)?)))
        .filter(|(_, ev)| DateTime::from_timestamp(ev.time, 0).is_some_and(in_period))
        .map(|(t, ev)| audit::untracked(&t.name, ev, t.line().to_string()))
        .collect();
    untracked.sort_by(|a, b| place(a).cmp(&place(b)));
    let tag_of = |name: &str| target_of(name).and_then(|o| evidence.get(&o));
    // Both lists merged in the audit's order; a recorded hotfix's row is built when it is
    // written.
    let mut slots: Vec<Option<(String, Box<Trail>)>> =
        trails.into_iter().map(|(id, t, _)| Some((id, t))).collect();
    let mut pending: Vec<Pending> = Vec::with_capacity(places.len() + untracked.len());
    let mut untracked = untracked.into_iter().peekable();
    for (when, i) in places {
        let Some((id, t)) = slots[i].take() else {
            continue;
        };
        while untracked
            .peek()
            .is_some_and(|u| place(u) < (when, id.as_str()))
        {
            pending.extend(untracked.next().map(|r| Pending::Untracked(Box::new(r))));
        }
        pending.push(Pending::Recorded(id, t));
    }
    pending.extend(untracked.map(|r| Pending::Untracked(Box::new(r))));
    let build = |p: Pending| match p {
        Pending::Recorded(id, t) => {
            let tag = t.tag.as_deref().and_then(tag_of);
            audit::row(id, *t, tag, &last_env)
        }
        Pending::Untracked(row) => *row,
    };

    let head = render::audit::Document::head(since, until, &last_env, &ctx.source);
    // The built-in markdown is written directly (`render::audit::stream`, held to the
    // template byte for byte); an override, and the other formats' templates, are evaluated.
    let markdown_override = match args.format {
        AuditFormat::Markdown => render::override_text(&ctx, "audit.md"),
        _ => None,
    };
    let written = match args.format {
        AuditFormat::Json => Some(Written::Json),
        AuditFormat::Markdown if markdown_override.is_none() => Some(Written::Markdown),
        _ => None,
    };
    let parts: Vec<String> = match written {
        Some(format) => render::audit::stream(format, head, pending, build),
        None => {
            let rows: Vec<Row> = pending.into_par_iter().map(build).collect();
            let doc = render::audit::Document::new(&rows, since, until, &last_env, &ctx.source);
            vec![match (args.format, markdown_override) {
                (AuditFormat::Csv, _) => render::audit::csv(&rows),
                (AuditFormat::Markdown, Some((origin, text))) => {
                    render::render_text(&origin, &text, &render::audit::for_markdown(&doc))?
                }
                // HTML: JSON and the built-in markdown were written above.
                _ => render::render(Some(&ctx), "audit.html", &doc)?,
            }]
        }
    };
    ui::deliver_parts(args.output.as_deref(), &parts)?;
    // Ten thousand rows take longer to free than to write; the process is ending, and the
    // system takes the memory back at once.
    std::mem::forget(parts);
    Ok(())
}

/// A row of the audit before it is built: a recorded hotfix's trail, or an untracked tag's row.
enum Pending {
    Recorded(String, Box<Trail>),
    Untracked(Box<Row>),
}

/// The release tags, and what each patch tag proves (read once each, in one pass on one
/// handle: the objects sit together in the pack, and a second reader only contends for it).
fn patch_tags(
    repo: &Repo,
    pattern: &crate::version::TagPattern,
) -> Result<(Vec<TagRef>, HashMap<Oid, TagEvidence>)> {
    let tags = repo.tag_refs(pattern)?;
    let evidence = tags
        .iter()
        .filter(|t| t.version.patch > 0)
        .filter_map(|t| t.target)
        .filter_map(|oid| Some((oid, repo.tag_evidence(oid)?)))
        .collect();
    Ok((tags, evidence))
}
