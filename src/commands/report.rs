//! `hotfix report`: monthly hotfix figures from the ledger and the tags, in several formats.

use std::collections::HashSet;
use std::io::Write;

use chrono::DateTime;

use crate::ledger::ReportCache;
use serde::Serialize;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::git::{Oid, Repo, TagRef, par};
use crate::metrics::{self, Hotfix, Month, Options, Report};
use crate::{render, ui};

/// Turns the ledger and the patch tags into monthly hotfix figures.
///
/// Frequency per line and severity with the trend; detection to ship and to deploy (median,
/// p90, share under target); overrides, rollbacks, verification and retro completion; and
/// picks that needed conflict resolution. Patch tags without a record count as untracked.
///
/// Several repositories: hotfix report -C api -C web
///
/// Examples:
///   hotfix report
///   hotfix report --since 2026-01 --until 2026-06 --format markdown
///   hotfix report --format html --output hotfixes.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The first month (YYYY-MM); default: eleven months before --until.
    #[arg(long, value_name = "YYYY-MM")]
    pub since: Option<String>,

    /// The last month (YYYY-MM); default: this month.
    #[arg(long, value_name = "YYYY-MM")]
    pub until: Option<String>,

    /// Only this release line (X.Y).
    #[arg(long, value_name = "X.Y")]
    pub line: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    /// Writes the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
    Csv,
    Html,
}

fn month_arg(text: &str, flag: &str) -> Result<Month> {
    Month::parse(text).ok_or_else(|| {
        Error::usage(format!("{flag} {text} is not a month"))
            .cause("months are written YYYY-MM")
            .hint(format!("for example {flag} 2026-01"))
    })
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let dirs = if globals.dirs.is_empty() {
        vec![std::env::current_dir()?]
    } else {
        globals.dirs.clone()
    };
    let many = dirs.len() > 1;
    let mut all = Vec::new();
    let mut first: Option<Ctx> = None;
    for dir in &dirs {
        let g = Globals {
            dir: Some(dir.clone()),
            dirs: vec![dir.clone()],
            ..globals.clone()
        };
        let ctx = Ctx::load(&g)?;
        let name = many.then(|| repo_name(&ctx));
        all.extend(collect(&ctx, name)?);
        if first.is_none() {
            first = Some(ctx);
        }
    }
    let ctx = first.expect("at least one repository");
    let cfg = &ctx.config.report;
    let tz = metrics::parse_offset(&cfg.timezone).ok_or_else(|| {
        Error::usage(format!(
            "report.timezone '{}' is not a time zone hotfix knows",
            cfg.timezone
        ))
        .cause("time zones are UTC or a fixed offset such as +02:00")
        .hint("set [report] timezone = \"+02:00\" (or \"UTC\") in .hotfix.toml")
    })?;
    let now = crate::ledger::now(&ctx.repo)?;
    let until = match &args.until {
        Some(u) => month_arg(u, "--until")?,
        None => Month::of(now, tz),
    };
    let since = match &args.since {
        Some(s) => month_arg(s, "--since")?,
        None => (0..11).fold(until, |m, _| m.prev()),
    };
    if since > until {
        return Err(
            Error::usage(format!("--since {since} is after --until {until}"))
                .cause("the report covers the months from --since to --until")
                .hint("swap them"),
        );
    }
    let line = match &args.line {
        Some(l) => Some(crate::version::Line::parse(l)?.to_string()),
        None => None,
    };
    let options = Options {
        since,
        until,
        tz,
        target: ctx.config.report.target.duration(),
        warn: cfg.warn,
        alarm: cfg.alarm,
        line,
    };
    let report = metrics::report(&all, &options);
    let text = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&report).expect("serializes") + "\n",
        ReportFormat::Csv => csv(&report),
        ReportFormat::Table => table(&report),
        ReportFormat::Markdown => render::render(Some(&ctx), "report.md", &view(&report))?,
        ReportFormat::Html => render::render(Some(&ctx), "report.html", &view(&report))?,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| {
                Error::usage(format!("cannot write {}", path.display())).cause(e.to_string())
            })?;
            ui::out(format!("wrote {}", path.display()));
        }
        None => {
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(text.as_bytes());
        }
    }
    Ok(())
}

fn repo_name(ctx: &Ctx) -> String {
    let root = ctx.repo.command_dir();
    root.file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".git").to_string())
        .unwrap_or_else(|| root.display().to_string())
}

/// Collects every hotfix of one repository: its ledger records with a ship time, and patch
/// tags with no record (untracked), dated by the tagger, else by the commit. The ledger and the
/// tags are read at the same time, on every core; tag dates come from the local cache where it
/// has them.
pub fn collect(ctx: &Ctx, repo: Option<String>) -> Result<Vec<Hotfix>> {
    let pattern = &ctx.config.release.tag;
    let mut cache = ReportCache::load(&ctx.repo);
    let gitdir = ctx.repo.gitdir();
    let ledger = ctx.ledger();
    if let Some(w) = ledger.unmerged_remote() {
        ui::warn(w);
    }
    let tip = ledger.tip_commit();
    let spin = ui::spinner("reading the ledger and the tags");
    let (facts, tags) = rayon::join(
        || par::with_repo(&gitdir, |repo| crate::ledger::read_facts(repo, tip, &cache)),
        || par::with_repo(&gitdir, |repo| patch_tags(repo, pattern, &cache)),
    );
    ui::done(spin);
    let facts = facts??;
    let (tags, dated) = tags??;
    let mut unindexed = 0;
    for (f, blob) in &facts {
        if let Some(blob) = blob {
            cache.put_record(*blob, f);
            unindexed += 1;
        }
    }
    if unindexed > 0 {
        ui::note(format!(
            "read {unindexed} record(s) that the ledger's facts index does not cover (kept in the local cache); `hotfix sync` indexes them for every clone"
        ));
    }
    for (oid, secs) in dated {
        cache.put_tag(oid, secs);
    }
    cache.save();

    let mut known: HashSet<&str> = HashSet::with_capacity(facts.len());
    for (f, _) in &facts {
        known.insert(&f.id);
        if let Some(tag) = &f.revert_tag {
            known.insert(tag); // a rollback release belongs to the hotfix it undoes
        }
    }
    let untracked: Vec<TagRef> = tags
        .into_iter()
        .filter(|t| !known.contains(t.name.as_str()))
        .collect();
    let mut out = Vec::with_capacity(facts.len() + untracked.len());
    for t in untracked {
        let Some(shipped_at) = t
            .target
            .and_then(|o| cache.tag(o))
            .and_then(|s| DateTime::from_timestamp(s, 0))
        else {
            continue;
        };
        out.push(Hotfix {
            repo: repo.clone(),
            line: t.line().to_string(),
            id: t.name,
            severity: None,
            incident: None,
            shipped_at,
            detected_at: None,
            deployed_at: None,
            tracked: false,
            overrides: Vec::new(),
            rolled_back: false,
            verified: false,
            retro: false,
            picks: 0,
            conflicted_picks: 0,
        });
    }
    for (f, _) in facts {
        let Some(shipped_at) = f.ship_time else {
            continue;
        };
        let line = f
            .line
            .clone()
            .or_else(|| {
                pattern
                    .release_version(&f.id)
                    .map(|v| crate::version::Line::of(&v).to_string())
            })
            .unwrap_or_default();
        out.push(Hotfix {
            repo: repo.clone(),
            id: f.id,
            line,
            severity: f.severity,
            incident: f.incident,
            shipped_at,
            detected_at: f.detected_at,
            deployed_at: f.deployed_at,
            tracked: true,
            overrides: f.overrides,
            rolled_back: f.rolled_back,
            verified: f.verified,
            retro: f.retro,
            picks: f.picks,
            conflicted_picks: f.conflicted_picks,
        });
    }
    Ok(out)
}

/// Tag object ids with their dates, in Unix seconds.
type Dated = Vec<(Oid, i64)>;

/// Lists the patch release tags, and dates those the cache has no date for by their objects
/// (see `git::object_time`), on every core.
fn patch_tags(
    repo: &Repo,
    pattern: &crate::version::TagPattern,
    cache: &ReportCache,
) -> Result<(Vec<TagRef>, Dated)> {
    let tags: Vec<TagRef> = repo
        .tag_refs(pattern)?
        .into_iter()
        .filter(|t| t.version.patch > 0)
        .collect();
    let missing: Vec<Oid> = tags
        .iter()
        .filter_map(|t| t.target)
        .filter(|o| cache.tag(*o).is_none())
        .collect();
    let dated = par::map(&repo.gitdir(), &missing, |repo, oid| {
        repo.object_time(*oid).map(|s| (*oid, s))
    })?;
    Ok((tags, dated.into_iter().flatten().collect()))
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

fn minutes(x: Option<f64>) -> String {
    match x {
        None => "n/a".into(),
        Some(m) if m < 120.0 => format!("{m:.0}m"),
        Some(m) => format!("{:.1}h", m / 60.0),
    }
}

/// The plain-text table: one row per month with a bar drawn in plain characters.
pub fn table(r: &Report) -> String {
    let mut s = String::new();
    let line = r
        .line
        .as_deref()
        .map(|l| format!(", line {l}"))
        .unwrap_or_default();
    s.push_str(&format!(
        "Hotfixes {} to {} ({}{line})\n\n",
        r.since, r.until, r.timezone
    ));
    s.push_str("month    total  tracked  untracked\n");
    let scale = r
        .months
        .iter()
        .map(|m| m.total)
        .max()
        .unwrap_or(0)
        .max(r.alarm as usize + 1);
    let width = 30usize;
    for m in &r.months {
        let bar_len = (m.total * width).div_ceil(scale);
        let bar = "#".repeat(bar_len);
        let mark = match m.level {
            "alarm" => "  ALARM",
            "warn" => "  WARN",
            _ => "",
        };
        s.push_str(&format!(
            "{}  {:>5}  {:>7}  {:>9}  {bar:<width$}{mark}\n",
            m.month, m.total, m.tracked, m.untracked
        ));
    }
    s.push_str(&format!(
        "\ntotal {} ({} tracked, {} untracked); previous {} months ({} to {}): {} ({:+}, {})\n",
        r.total,
        r.tracked,
        r.untracked,
        r.months.len(),
        r.trend.previous_since,
        r.trend.previous_until,
        r.trend.previous_total,
        r.trend.change,
        r.trend.direction
    ));
    let by = |v: &[metrics::Count]| {
        v.iter()
            .map(|c| format!("{} {} (was {})", c.name, c.count, c.previous))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !r.by_line.is_empty() {
        s.push_str(&format!("by line: {}\n", by(&r.by_line)));
    }
    if !r.by_severity.is_empty() {
        s.push_str(&format!("by severity: {}\n", by(&r.by_severity)));
    }
    let target = metrics::human_duration(chrono::Duration::minutes(r.target_minutes));
    for (name, l) in [
        ("detection to ship", &r.detection_to_ship),
        ("detection to deploy", &r.detection_to_deploy),
    ] {
        s.push_str(&format!(
            "{name}: median {}, p90 {}, {} under {target} ({} measured)\n",
            minutes(l.median_minutes),
            minutes(l.p90_minutes),
            pct(l.share_under_target),
            l.count
        ));
    }
    s.push_str(&format!(
        "overrides: {} hotfix(es){}\n",
        r.overridden_hotfixes,
        if r.overrides.is_empty() {
            String::new()
        } else {
            format!(" ({})", by(&r.overrides))
        }
    ));
    s.push_str(&format!(
        "rollbacks: {} of {} ({} failed-change rate)\n",
        r.rollbacks.count,
        r.rollbacks.of,
        pct(r.rollbacks.share)
    ));
    s.push_str(&format!(
        "verified: {} of {} recorded ({}); retros: {} ({}); picks needing conflict resolution: {} of {} ({})\n",
        r.verified.count,
        r.verified.of,
        pct(r.verified.share),
        r.retros.count,
        pct(r.retros.share),
        r.conflicted_picks.count,
        r.conflicted_picks.of,
        pct(r.conflicted_picks.share)
    ));
    s.push('\n');
    for g in &r.guidance {
        s.push_str(g);
        s.push('\n');
    }
    s
}

/// One row per month, then nothing else: figures a spreadsheet can chart.
pub fn csv(r: &Report) -> String {
    let mut s = String::from("month,total,tracked,untracked,level\n");
    for m in &r.months {
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            m.month, m.total, m.tracked, m.untracked, m.level
        ));
    }
    s
}

/// What the markdown and HTML templates receive: the report plus chart geometry and
/// preformatted figures.
#[derive(Serialize)]
struct View<'a> {
    r: &'a Report<'a>,
    chart: Chart,
    d2s: Figures,
    d2d: Figures,
    target: String,
    rollback_rate: String,
    verified_rate: String,
    retro_rate: String,
    conflict_rate: String,
    hotfixes: Vec<Row>,
}

#[derive(Serialize)]
struct Figures {
    median: String,
    p90: String,
    under: String,
    count: usize,
}

#[derive(Serialize)]
struct Row {
    repo: String,
    id: String,
    line: String,
    severity: String,
    shipped: String,
    tracked: bool,
    lead: String,
    overrides: String,
    rolled_back: bool,
}

#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    plot_top: u32,
    plot_bottom: u32,
    warn_y: f64,
    alarm_y: f64,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Bar {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    label_x: f64,
    month: String,
    total: usize,
    level: &'static str,
}

fn figures(l: &metrics::Lead) -> Figures {
    Figures {
        median: minutes(l.median_minutes),
        p90: minutes(l.p90_minutes),
        under: pct(l.share_under_target),
        count: l.count,
    }
}

fn view<'a>(r: &'a Report<'a>) -> View<'a> {
    let (width, height, top, bottom, left) = (760u32, 260u32, 20u32, 220u32, 40.0f64);
    let max = r
        .months
        .iter()
        .map(|m| m.total)
        .max()
        .unwrap_or(0)
        .max(r.alarm as usize + 2) as f64;
    let plot_h = (bottom - top) as f64;
    let y_of = |v: f64| bottom as f64 - v / max * plot_h;
    let slot = (width as f64 - left - 10.0) / r.months.len().max(1) as f64;
    let bars = r
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let h = m.total as f64 / max * plot_h;
            let x = left + i as f64 * slot + slot * 0.15;
            Bar {
                x,
                y: bottom as f64 - h,
                width: slot * 0.7,
                height: h,
                label_x: x + slot * 0.35,
                month: m.month.to_string(),
                total: m.total,
                level: m.level,
            }
        })
        .collect();
    let detected = |h: &Hotfix| match h.detected_at {
        Some(d) if h.shipped_at >= d => metrics::human_duration(h.shipped_at - d),
        _ => String::new(),
    };
    View {
        r,
        chart: Chart {
            width,
            height,
            plot_top: top,
            plot_bottom: bottom,
            warn_y: y_of(r.warn as f64),
            alarm_y: y_of(r.alarm as f64),
            bars,
        },
        d2s: figures(&r.detection_to_ship),
        d2d: figures(&r.detection_to_deploy),
        target: metrics::human_duration(chrono::Duration::minutes(r.target_minutes)),
        rollback_rate: pct(r.rollbacks.share),
        verified_rate: pct(r.verified.share),
        retro_rate: pct(r.retros.share),
        conflict_rate: pct(r.conflicted_picks.share),
        hotfixes: r
            .hotfixes
            .iter()
            .map(|h| Row {
                repo: h.repo.clone().unwrap_or_default(),
                id: h.id.clone(),
                line: h.line.clone(),
                severity: h.severity.clone().unwrap_or_default(),
                shipped: h.shipped_at.format("%Y-%m-%d %H:%M").to_string(),
                tracked: h.tracked,
                lead: detected(h),
                overrides: h.overrides.join(", "),
                rolled_back: h.rolled_back,
            })
            .collect(),
    }
}
