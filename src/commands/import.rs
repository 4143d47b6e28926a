//! `hotfix import`: past hotfixes from an incident tool's export or a spreadsheet, recorded so
//! that reports and `audit` count that history and credit the people who shipped it.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::import::{self, Row};
use crate::ledger::{Deployed, Event, Imported, Record, RolledBack, Verified};
use crate::metrics::Zone;
use crate::ui;

/// Records past hotfixes from a CSV or JSON file, one row per hotfix.
///
/// The columns are exactly: tag, incident, severity, detected_at, deployed_at, verified_at,
/// rolled_back, shipper. Only tag is required, and it must be a patch release tag in this
/// clone. Times are RFC 3339; a time without a zone is read in --timezone.
///
/// A bad row is refused with its line number, and then nothing is written. Rows already
/// imported are skipped, and a row that differs from what was imported is reported and left
/// as it was. A tag shipped with `hotfix ship` has its record already: its row is refused.
///
/// Examples:
///   hotfix import past-hotfixes.csv --dry-run
///   hotfix import incidents.json --timezone Europe/Berlin
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The CSV or JSON file.
    pub file: PathBuf,

    /// The time zone of times written without one (Europe/Berlin, +02:00, UTC).
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// Shows what would be recorded, and records nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// What a row says, or what an earlier import recorded, to compare the two.
#[derive(Debug, PartialEq)]
struct View {
    incident: Option<String>,
    severity: Option<String>,
    detected_at: Option<DateTime<Utc>>,
    deployed_at: Option<DateTime<Utc>>,
    verified_at: Option<DateTime<Utc>>,
    rolled_back: bool,
    shipper: Option<String>,
}

impl View {
    fn of_row(r: &Row) -> View {
        View {
            incident: r.incident.clone(),
            severity: r.severity.clone(),
            detected_at: r.detected_at,
            deployed_at: r.deployed_at,
            verified_at: r.verified_at,
            rolled_back: r.rolled_back,
            shipper: r.shipper.clone(),
        }
    }

    fn of_record(r: &Record) -> Option<View> {
        let i = r
            .events
            .iter()
            .find(|e| e.kind == "imported")?
            .payload::<Imported>()?;
        Some(View {
            incident: i.incident,
            severity: i.severity,
            detected_at: i.detected_at,
            deployed_at: r.deployments().first().map(|d| d.deployed_at),
            verified_at: r.events.iter().find(|e| e.kind == "verified").map(|e| e.at),
            rolled_back: r.has("rolled_back"),
            shipper: i.shipper,
        })
    }

    /// The columns whose values differ, as `column: recorded → in the file`.
    fn differences(&self, file: &View) -> Vec<String> {
        let t = |v: &Option<DateTime<Utc>>| v.map(|t| t.to_rfc3339()).unwrap_or_default();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            ("incident", s(&self.incident), s(&file.incident)),
            ("severity", s(&self.severity), s(&file.severity)),
            ("detected_at", t(&self.detected_at), t(&file.detected_at)),
            ("deployed_at", t(&self.deployed_at), t(&file.deployed_at)),
            ("verified_at", t(&self.verified_at), t(&file.verified_at)),
            (
                "rolled_back",
                self.rolled_back.to_string(),
                file.rolled_back.to_string(),
            ),
            ("shipper", s(&self.shipper), s(&file.shipper)),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(c, a, b)| format!("{c}: {} recorded, {} in the file", shown(&a), shown(&b)))
        .collect()
    }
}

fn shown(v: &str) -> String {
    if v.is_empty() {
        "nothing".into()
    } else {
        format!("'{}'", crate::text::single_line_view(v))
    }
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = if args.dry_run {
        Ctx::load(globals)?
    } else {
        Ctx::load_writer(globals, "`hotfix import`")?
    };
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let content = std::fs::read(&args.file).map_err(|e| Error::file(&args.file, "read", &e))?;
    let zone = match &args.timezone {
        None => None,
        Some(t) => Some(Zone::parse(t).ok_or_else(|| {
            Error::usage(format!("--timezone {t} is not a time zone"))
                .cause("it is neither UTC, a fixed offset such as +02:00, nor an IANA name")
                .hint(format!(
                    "the nearest names: {}",
                    Zone::nearest(t, 3).join(", ")
                ))
        })?),
    };
    let bad_row = |line: usize, why: String| {
        Error::usage(format!("{name}:{line}: {why}"))
            .cause("a row that cannot be recorded as it is refuses the whole file: nothing was imported")
            .hint("fix the row (or take it out) and run the import again")
    };
    let rows = import::read(&content, zone).map_err(|b| bad_row(b.line, b.why))?;

    let repo = &ctx.repo;
    // Two imports at once would each find the rows new: the second is refused while the first
    // runs (run again, it finds them imported).
    let _lock = if args.dry_run {
        None
    } else {
        Some(repo.lock_state("import", "`hotfix import`")?)
    };
    let tags = ctx.tag_refs()?;
    let by_name: HashMap<&str, &crate::git::TagRef> =
        tags.iter().map(|t| (t.name.as_str(), t)).collect();
    // Judged against the remote's ledger too: a tag shipped or imported in another clone is
    // recorded already.
    if !args.dry_run {
        if let Err(e) = ctx.ledger().pull() {
            ui::warn(format!(
                "{}; the rows are judged against this clone's ledger only",
                e.message
            ));
        }
    }
    let records = ctx.ledger().records()?;
    let by_id: HashMap<&str, &Record> = records.iter().map(|r| (r.id.as_str(), r)).collect();
    let production = ctx.config.deploy.production().to_string();
    let by = crate::ledger::by(repo)?;
    let now = crate::ledger::now(repo)?;

    let mut events: Vec<Event> = Vec::new();
    let mut planned: Vec<String> = Vec::new();
    let mut same = 0usize;
    let mut differing: Vec<String> = Vec::new();
    for row in &rows {
        let Some(tag) = by_name.get(row.tag.as_str()) else {
            return Err(bad_row(
                row.line,
                format!(
                    "{} is not a release tag in this clone (pattern '{}'); fetch the tags (git fetch --tags {})",
                    crate::text::single_line_view(&row.tag),
                    ctx.config.release.tag,
                    ctx.remote()
                ),
            ));
        };
        if tag.version.patch == 0 {
            return Err(bad_row(
                row.line,
                format!("{} is a minor release, not a hotfix", tag.name),
            ));
        }
        let release = repo.peel(tag)?;
        let shipped_at = tag
            .target
            .and_then(|t| repo.object_time(t))
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(|| bad_row(row.line, format!("{} cannot be dated", tag.name)))?;
        for (column, t) in [
            ("detected_at", row.detected_at),
            ("deployed_at", row.deployed_at),
            ("verified_at", row.verified_at),
        ] {
            if let Some(t) = t.filter(|t| *t > now + chrono::Duration::minutes(5)) {
                return Err(bad_row(
                    row.line,
                    format!(
                        "{column} {} is in the future (it is {} now): history is what happened",
                        t.to_rfc3339(),
                        now.to_rfc3339()
                    ),
                ));
            }
        }
        if let Some(d) = row.detected_at {
            if d > shipped_at {
                return Err(bad_row(
                    row.line,
                    format!(
                        "detected_at {} is after {} was tagged ({}): a hotfix ships after its incident is detected",
                        d.to_rfc3339(),
                        tag.name,
                        shipped_at.to_rfc3339()
                    ),
                ));
            }
        }
        if let Some(d) = row.deployed_at {
            if d < shipped_at {
                return Err(bad_row(
                    row.line,
                    format!(
                        "deployed_at {} is before {} was tagged ({})",
                        d.to_rfc3339(),
                        tag.name,
                        shipped_at.to_rfc3339()
                    ),
                ));
            }
        }
        if let Some(existing) = by_id.get(tag.name.as_str()) {
            match View::of_record(existing) {
                Some(recorded) => {
                    let diff = recorded.differences(&View::of_row(row));
                    if diff.is_empty() {
                        same += 1;
                    } else {
                        differing.push(format!(
                            "{name}:{}: {} differs from what was imported: {}",
                            row.line,
                            tag.name,
                            diff.join("; ")
                        ));
                    }
                    continue;
                }
                None => {
                    return Err(bad_row(
                        row.line,
                        format!(
                            "{} has its record already ({}): the ledger's own events are its evidence",
                            tag.name,
                            if existing.has("shipped") {
                                "shipped with `hotfix ship`".to_string()
                            } else {
                                format!("state {}", existing.state())
                            }
                        ),
                    ));
                }
            }
        }
        let id = tag.name.as_str();
        let line = crate::version::Line::of(&tag.version).to_string();
        events.push(Event::new(
            "imported",
            id,
            &by,
            now,
            &Imported {
                tag: tag.name.clone(),
                shipped_at,
                commit: Some(release.commit.to_string()),
                line: Some(line.clone()),
                incident: row.incident.clone(),
                severity: row.severity.clone(),
                detected_at: row.detected_at,
                shipper: row.shipper.clone(),
                source: format!("{name}:{}", row.line),
            },
        ));
        let mut steps = vec![format!("shipped {}", shipped_at.to_rfc3339())];
        if let Some(d) = row.deployed_at {
            // Dated when it happened, so a past release never reads as the one serving now.
            events.push(Event::new(
                "deployed",
                id,
                &by,
                d,
                &Deployed {
                    deployed_at: d,
                    env: production.clone(),
                    duration_s: None,
                    exit: None,
                    output_tail: None,
                },
            ));
            steps.push(format!("deployed to {production} {}", d.to_rfc3339()));
        }
        if let Some(v) = row.verified_at {
            events.push(Event::new(
                "verified",
                id,
                &by,
                v,
                &Verified {
                    note: Some(format!("imported from {name}:{}", row.line)),
                    env: Some(production.clone()),
                    checks: None,
                    duration_s: None,
                },
            ));
            steps.push(format!("verified {}", v.to_rfc3339()));
        }
        if row.rolled_back {
            let Some(deployed_at) = row.deployed_at else {
                return Err(bad_row(
                    row.line,
                    "rolled_back without deployed_at: a release is rolled back where it was deployed".into(),
                ));
            };
            let Some(to) =
                crate::git::TagRef::previous_on_line(&tags, &tag.version).map(|t| t.name.clone())
            else {
                return Err(bad_row(
                    row.line,
                    format!(
                        "rolled_back, but no release before {} on its line is tagged here to roll back to",
                        tag.name
                    ),
                ));
            };
            // When is not in the file: after the last time it gives.
            let at = row.verified_at.unwrap_or(deployed_at);
            events.push(Event::new(
                "rolled_back",
                id,
                &by,
                at,
                &RolledBack {
                    reason: Some(format!("imported from {name}:{}", row.line)),
                    to: to.clone(),
                    revert: None,
                    env: Some(production.clone()),
                    automatic: false,
                    restored: None,
                },
            ));
            steps.push(format!("rolled back to {to}"));
        }
        planned.push(format!(
            "{id} (line {line}{}{}): {}",
            row.incident
                .as_deref()
                .map(|i| format!(", incident {}", crate::text::single_line_view(i)))
                .unwrap_or_default(),
            row.shipper
                .as_deref()
                .map(|s| format!(", shipped by {}", crate::text::single_line_view(s)))
                .unwrap_or_default(),
            steps.join(", ")
        ));
    }

    for d in &differing {
        ui::warn(d);
    }
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    for p in &planned {
        ui::out(format!("{verb} {p}"));
    }
    if !args.dry_run && !events.is_empty() {
        ctx.ledger().append_all(
            &events,
            &format!("hotfix: import {} hotfix(es) from {name}", planned.len()),
        )?;
    }
    ui::out(format!(
        "{} {} hotfix(es) from {name}; {same} imported before, unchanged; {} differ and were left as recorded",
        if args.dry_run {
            "would import"
        } else {
            "imported"
        },
        planned.len(),
        differing.len()
    ));
    if args.dry_run {
        ui::note("nothing was recorded (--dry-run)");
    } else if !planned.is_empty() {
        ui::note(
            "next: `hotfix sync` publishes the ledger; `hotfix report` and `hotfix audit` count these releases",
        );
    }
    Ok(())
}
