//! The report's renderers: the plain-text table, the CSV, and the view the markdown and HTML
//! templates receive (chart geometry and preformatted figures). Pure: a `metrics::Report` in,
//! text or a template context out.

use serde::Serialize;

use crate::metrics::{self, Hotfix, Missing, Report};

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
    s.push_str("month    incidents  releases  tracked  untracked\n");
    let scale = r
        .months
        .iter()
        .map(|m| m.incidents)
        .max()
        .unwrap_or(0)
        .max(r.alarm as usize + 1);
    let width = 30usize;
    for m in &r.months {
        let bar_len = (m.incidents * width).div_ceil(scale);
        let bar = "#".repeat(bar_len);
        let mark = match m.level {
            "alarm" => "  ALARM",
            "warn" => "  WARN",
            _ => "",
        };
        s.push_str(&format!(
            "{}  {:>9}  {:>8}  {:>7}  {:>9}  {bar:<width$}{mark}\n",
            m.month, m.incidents, m.releases, m.tracked, m.untracked
        ));
    }
    s.push_str(&format!(
        "\n{} incident(s){}, {} release(s) ({} tracked, {} untracked); previous {} months ({} to {}): {} incident(s), {} release(s) ({:+} incidents, {})\n",
        r.incidents,
        inferred_note(r),
        r.releases,
        r.tracked,
        r.untracked,
        r.months.len(),
        r.trend.previous_since,
        r.trend.previous_until,
        r.trend.previous_incidents,
        r.trend.previous_releases,
        r.trend.change,
        r.trend.direction
    ));
    if let (Some(avg), Some(dir)) = (r.trend.moving_average, r.trend.moving_direction) {
        s.push_str(&format!(
            "3-month moving average: {avg:.2} incident(s) a month at {} ({dir})\n",
            r.until
        ));
    }
    for i in r.grouped_incidents.iter() {
        s.push_str(&format!(
            "incident {}{}{}: {} release(s) on {} ({})\n",
            i.repo.map(|r| format!("{r} ")).unwrap_or_default(),
            i.id,
            if i.inferred { " (inferred)" } else { "" },
            i.releases.len(),
            i.lines.join(", "),
            i.releases.join(", ")
        ));
    }
    let by = |v: &[metrics::Count]| {
        v.iter()
            .map(|c| format!("{} {} (was {})", c.name, c.count, c.previous))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for repo in &r.repositories {
        s.push_str(&format!(
            "repository {}: {} incident(s), {} release(s), {} tracked; busiest month {} incident(s) ({}, by its warn {} and alarm {})\n",
            repo.name,
            repo.incidents,
            repo.releases,
            repo.tracked,
            repo.busiest,
            repo.level,
            repo.warn,
            repo.alarm
        ));
    }
    if let Some(t) = &r.repositories_total {
        s.push_str(&format!(
            "total: {} incident(s), {} release(s), {} tracked; busiest month {} incident(s) (no level: each repository is judged by its own thresholds)\n",
            t.incidents, t.releases, t.tracked, t.busiest
        ));
    }
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
        ("recovery (detection to verified)", &r.detection_to_verified),
    ] {
        s.push_str(&format!(
            "{name}: median {}, p90 {}, {} under {target}\n",
            minutes(l.median_minutes),
            minutes(l.p90_minutes),
            under(l)
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
        "rollbacks: {} of {} tracked ({} failed-change rate)\n",
        r.rollbacks.count,
        r.rollbacks.of,
        pct(r.rollbacks.share)
    ));
    s.push_str(&format!(
        "on-call: {} of {} release(s) shipped outside working hours ({}){}\n",
        r.on_call.outside_hours.count,
        r.on_call.outside_hours.of,
        pct(r.on_call.outside_hours.share),
        if r.on_call.shippers.is_empty() {
            String::new()
        } else {
            format!(
                "; by shipper: {}",
                r.on_call
                    .shippers
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.count))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ));
    s.push_str(&format!(
        "change failure rate: {} of {} deployed to the last environment rolled back there ({})\n",
        r.change_failure.count,
        r.change_failure.of,
        pct(r.change_failure.share)
    ));
    s.push_str(&format!(
        "verified: {} of {} tracked ({}); retros: {} of {} ({}); modified picks (changed lines differ from the source): {} of {} ({})\n",
        r.verified.count,
        r.verified.of,
        pct(r.verified.share),
        r.retros.count,
        r.retros.of,
        pct(r.retros.share),
        r.modified_picks.count,
        r.modified_picks.of,
        pct(r.modified_picks.share)
    ));
    s.push_str(&format!(
        "recovery times: {}\n",
        r.recovery_distribution
            .iter()
            .map(|b| format!("{} {}", b.label, b.count))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&quality_text(r));
    s.push_str(&format!(
        "retro action items open: {} of {} recorded\n",
        r.open_actions.count, r.open_actions.of
    ));
    s.push_str(&open_text(r));
    s.push('\n');
    for g in &r.guidance {
        s.push_str(g);
        s.push('\n');
    }
    s
}

/// `report --missing` as text: per line, what is missing, what was skipped and why.
pub fn missing(m: &Missing) -> String {
    let short = |s: &str| s.chars().take(10).collect::<String>();
    let mut s = format!(
        "Fixes picked onto some lines and missing on others; lines {}\n\n",
        m.supported.join(", ")
    );
    let mut total = 0;
    for l in &m.lines {
        total += l.missing.len();
        let skipped = match l.skipped.len() {
            0 => String::new(),
            n => format!(", {n} skipped"),
        };
        if l.missing.is_empty() {
            s.push_str(&format!(
                "line {} ({}): nothing missing ({} applied{skipped})\n",
                l.line, l.newest, l.applied
            ));
        } else {
            s.push_str(&format!(
                "line {} ({}): {} fix(es) missing ({} applied{skipped})\n",
                l.line,
                l.newest,
                l.missing.len(),
                l.applied
            ));
        }
        for f in &l.missing {
            s.push_str(&format!(
                "  missing  {} {} (picked onto {}; {})\n",
                short(&f.source),
                f.subject,
                f.picked_on.join(", "),
                f.incidents.join(", ")
            ));
        }
        for f in &l.skipped {
            s.push_str(&format!(
                "  skipped  {} {} ({}: {})\n",
                short(&f.source),
                f.subject,
                f.incidents.join(", "),
                f.reason.as_deref().unwrap_or_default()
            ));
        }
    }
    if total > 0 {
        s.push_str(&format!(
            "\n{total} missing: pick each onto its line (hotfix start --line X.Y --incident ID, then hotfix pick SHA), or record why not (hotfix skip-line X.Y --incident ID --reason TEXT)\n"
        ));
    }
    s
}

/// One incident with a line open past the target, its figures preformatted.
#[derive(Serialize)]
struct OpenRow {
    repo: String,
    id: String,
    began: String,
    open_for: String,
    open_lines: String,
    closed_lines: String,
}

fn open_rows(r: &Report) -> Vec<OpenRow> {
    let lines = |v: &[metrics::LineState], state: bool| {
        v.iter()
            .map(|l| {
                if state {
                    format!("{} ({}, {})", l.line, l.id, l.state)
                } else {
                    format!("{} ({})", l.line, l.id)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    r.open_incidents
        .iter()
        .map(|i| OpenRow {
            repo: i.repo.clone().unwrap_or_default(),
            id: i.id.clone(),
            began: i.began_at.format("%Y-%m-%d %H:%M").to_string(),
            open_for: metrics::human_duration(chrono::Duration::minutes(i.open_minutes)),
            open_lines: lines(&i.open_lines, false),
            closed_lines: lines(&i.closed_lines, true),
        })
        .collect()
}

/// The table's lines on incidents with a line open past the target.
fn open_text(r: &Report) -> String {
    let target = metrics::human_duration(chrono::Duration::minutes(r.target_minutes));
    let rows = open_rows(r);
    if rows.is_empty() {
        return format!("no incident has a line open past {target}\n");
    }
    let mut s = format!("incidents with a line open past {target}:\n");
    for o in rows {
        s.push_str(&format!(
            "  {}{}: began {}, open {}; open: {}{}\n",
            if o.repo.is_empty() {
                String::new()
            } else {
                format!("{} ", o.repo)
            },
            o.id,
            o.began,
            o.open_for,
            o.open_lines,
            if o.closed_lines.is_empty() {
                String::new()
            } else {
                format!("; closed: {}", o.closed_lines)
            }
        ));
    }
    s
}

/// Release quality: the 30-day share, then one line per minor release of the period.
fn quality_text(r: &Report) -> String {
    let q = &r.release_quality;
    let mut s = format!(
        "release quality: {} of {} minor release(s) at least 30 days old needed a hotfix within 30 days ({})\n",
        q.hotfixed_within_30_days.count,
        q.hotfixed_within_30_days.of,
        pct(q.hotfixed_within_30_days.share)
    );
    for m in &q.releases {
        s.push_str(&format!(
            "  {}{}  {}  {} hotfix(es){}{}\n",
            m.repo
                .as_deref()
                .map(|r| format!("{r} "))
                .unwrap_or_default(),
            m.release,
            m.released_at.format("%Y-%m-%d"),
            m.hotfixes,
            match m.days_to_first_hotfix {
                Some(d) => format!(", the first after {d} day(s)"),
                None => String::new(),
            },
            if m.counted {
                ""
            } else {
                " (under 30 days old)"
            }
        ));
    }
    s
}

/// Says how many of the period's incidents were inferred from untracked tags, if any.
fn inferred_note(r: &Report) -> String {
    match r.inferred_incidents {
        0 => String::new(),
        n => format!(" ({n} inferred from untracked tags on several lines)"),
    }
}

/// One row per month, then nothing else: figures a spreadsheet can chart. `total` is the
/// releases; `level` judges the incidents; the newer columns come last. The last month's
/// `open_past_target` names the incidents with a line open past the target when the report
/// was made (`INC-7 open on 1.9 (v1.9.1)`, separated by `; `).
pub fn csv(r: &Report) -> String {
    let mut s = String::from(
        "month,total,tracked,untracked,level,incidents,releases,open_past_target,minor_releases,minor_releases_hotfixed_within_30_days\n",
    );
    let open = open_rows(r)
        .into_iter()
        .map(|o| {
            let repo = if o.repo.is_empty() {
                String::new()
            } else {
                format!("{} ", o.repo)
            };
            format!("{repo}{} open on {}", o.id, o.open_lines)
        })
        .collect::<Vec<_>>()
        .join("; ");
    // Minor releases by the month they were tagged in.
    let minors = |month: crate::metrics::Month| {
        r.release_quality
            .releases
            .iter()
            .filter(move |q| q.month == month)
    };
    for (i, m) in r.months.iter().enumerate() {
        let last = i + 1 == r.months.len();
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            m.month,
            m.total,
            m.tracked,
            m.untracked,
            m.level,
            m.incidents,
            m.releases,
            csv_field(if last { &open } else { "" }),
            minors(m.month).count(),
            minors(m.month).filter(|q| q.within_30_days).count(),
        ));
    }
    s
}

/// Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// What the markdown and HTML templates receive: the report plus chart geometry and
/// preformatted figures.
#[derive(Serialize)]
pub struct View<'a> {
    r: &'a Report<'a>,
    chart: Chart,
    /// The recovery-time distribution's bars.
    recovery: Vec<Bar>,
    d2s: Figures,
    d2d: Figures,
    d2v: Figures,
    target: String,
    rollback_rate: String,
    change_failure_rate: String,
    verified_rate: String,
    retro_rate: String,
    modified_rate: String,
    hotfixes: Vec<Row>,
    /// `" (N inferred from untracked tags on several lines)"`, or empty.
    inferred_note: String,
    /// Incidents of more than one release (or inferred), for the templates' list.
    multi_release: Vec<&'a metrics::Incident<'a>>,
    /// Incidents with a line open past the target.
    open: Vec<OpenRow>,
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
    /// The incident it is counted in.
    incident: String,
    inferred: bool,
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
    /// Releases in the month.
    total: usize,
    incidents: usize,
    level: &'static str,
}

/// The recovery-time distribution as bars on the same scale of plot as the monthly chart;
/// `month` carries the bucket's label and `incidents` its count.
fn recovery_bars(r: &Report, plot_w: f64, plot_h: u32, left: f64, bottom: u32) -> Vec<Bar> {
    let buckets = &r.recovery_distribution;
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let slot = plot_w / buckets.len().max(1) as f64;
    buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let h = b.count as f64 / max * f64::from(plot_h);
            let x = left + i as f64 * slot + slot * 0.15;
            Bar {
                x,
                y: f64::from(bottom) - h,
                width: slot * 0.7,
                height: h,
                label_x: x + slot * 0.35,
                month: b.label.to_string(),
                total: b.count,
                incidents: b.count,
                level: "recovery",
            }
        })
        .collect()
}

/// "n of N (share)": how many of the measured hotfixes were under the target.
fn under(l: &metrics::Lead) -> String {
    format!(
        "{} of {} ({})",
        l.under_target,
        l.count,
        pct(l.share_under_target)
    )
}

fn figures(l: &metrics::Lead) -> Figures {
    Figures {
        median: minutes(l.median_minutes),
        p90: minutes(l.p90_minutes),
        under: under(l),
        count: l.count,
    }
}

pub fn view<'a>(r: &'a Report<'a>) -> View<'a> {
    let (width, height, top, bottom, left) = (760u32, 260u32, 20u32, 220u32, 40.0f64);
    let max = r
        .months
        .iter()
        .map(|m| m.incidents)
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
            let h = m.incidents as f64 / max * plot_h;
            let x = left + i as f64 * slot + slot * 0.15;
            Bar {
                x,
                y: bottom as f64 - h,
                width: slot * 0.7,
                height: h,
                label_x: x + slot * 0.35,
                month: m.month.to_string(),
                total: m.total,
                incidents: m.incidents,
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
        d2v: figures(&r.detection_to_verified),
        target: metrics::human_duration(chrono::Duration::minutes(r.target_minutes)),
        rollback_rate: pct(r.rollbacks.share),
        change_failure_rate: pct(r.change_failure.share),
        verified_rate: pct(r.verified.share),
        retro_rate: pct(r.retros.share),
        modified_rate: pct(r.modified_picks.share),
        hotfixes: r
            .hotfixes
            .iter()
            .map(|h| Row {
                repo: h.repo.clone().unwrap_or_default(),
                id: h.id.clone(),
                incident: h.incident_id.clone(),
                inferred: h.inferred,
                line: h.line.clone(),
                severity: h.severity.clone().unwrap_or_default(),
                shipped: h.shipped_at.format("%Y-%m-%d %H:%M").to_string(),
                tracked: h.tracked,
                lead: detected(h),
                overrides: h.overrides.join(", "),
                rolled_back: h.rolled_back,
            })
            .collect(),
        recovery: recovery_bars(r, width as f64 - left - 10.0, bottom - top, left, bottom),
        inferred_note: inferred_note(r),
        multi_release: r.grouped_incidents.iter().collect(),
        open: open_rows(r),
    }
}
