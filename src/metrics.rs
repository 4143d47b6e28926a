//! Monthly hotfix figures from ledger records and patch tags: pure functions, no I/O.
//!
//! Definitions (the design contract's): a hotfix is a ledger record with a `shipped` (or
//! `imported`) event, or a patch release tag (PATCH > 0) with no record ("untracked"). Its month
//! is the calendar month of its ship time in the report's time zone. A hotfix is one release;
//! an incident is the releases that share its `incident_id` (a recorded incident, one inferred
//! from untracked tags, or the release alone), placed in the month of its first release. The
//! thresholds and the trend count incidents, with releases beside them. Median is the middle value
//! (the mean of the two middle values for an even count); p90 is the nearest-rank 90th
//! percentile (the ceil(0.9 n)-th smallest).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc};
use serde::Serialize;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

/// The months a report or an audit covers, in `report.timezone`: `--until` (default: this
/// month), `--since` (default: eleven months before). Errors say what was wrong and how to
/// write it.
pub fn period(
    timezone: &str,
    since: Option<&str>,
    until: Option<&str>,
    now: DateTime<Utc>,
) -> crate::error::Result<(Zone, Month, Month)> {
    use crate::error::Error;
    let tz = Zone::parse(timezone).ok_or_else(|| {
        let near = Zone::nearest(timezone, 3);
        Error::usage(format!(
            "report.timezone '{}' is not a time zone hotfix knows",
            crate::text::single_line_view(timezone)
        ))
        .cause("time zones are UTC, a fixed offset such as +02:00, or an IANA name such as Europe/Berlin")
        .hint(format!(
            "did you mean {}? Set [report] timezone in .hotfix.toml",
            near.join(", ")
        ))
    })?;
    let month = |text: &str, flag: &str| {
        Month::parse(text).ok_or_else(|| {
            Error::usage(format!(
                "{flag} {} is not a month",
                crate::text::single_line_view(text)
            ))
            .cause("months are written YYYY-MM")
            .hint(format!("for example {flag} 2026-01"))
        })
    };
    let until = match until {
        Some(u) => month(u, "--until")?,
        None => Month::of(now, tz),
    };
    let since = match since {
        Some(s) => month(s, "--since")?,
        None => (0..11).fold(until, |m, _| m.prev()),
    };
    if since > until {
        return Err(
            Error::usage(format!("--since {since} is after --until {until}"))
                .cause("the months run from --since to --until")
                .hint("swap them"),
        );
    }
    Ok((tz, since, until))
}

impl Month {
    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        (y.len() == 4 && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// Returns the month a time falls in, in a time zone.
    pub fn of(t: DateTime<Utc>, tz: Zone) -> Month {
        let local = tz.local(t);
        Month {
            year: local.year(),
            month: local.month(),
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Returns the first instant of the month in a time zone.
    pub fn start(self, tz: Zone) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| tz.utc_of(t))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// Lists the months from `self` to `until`, inclusive.
    pub fn through(self, until: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= until {
            out.push(m);
            m = m.next();
        }
        out
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The team's working week: the days, and the hours of each (`start` to `end`, in minutes
/// after midnight, local time; `end` before `start` spans midnight).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkWeek {
    pub days: [bool; 7],
    pub start: u32,
    pub end: u32,
}

impl Default for WorkWeek {
    fn default() -> Self {
        WorkWeek {
            days: [true, true, true, true, true, false, false],
            start: 9 * 60,
            end: 18 * 60,
        }
    }
}

impl WorkWeek {
    /// Parses `report.working-hours` (`09:00-18:00`) and `report.working-days` (`Mon`,
    /// `Monday`, any case).
    pub fn parse(hours: &str, days: &[String]) -> std::result::Result<WorkWeek, String> {
        let minutes = |t: &str| -> Option<u32> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (h < 24 && m < 60).then_some(h * 60 + m)
        };
        let (start, end) = hours
            .split_once('-')
            .and_then(|(a, b)| Some((minutes(a)?, minutes(b)?)))
            .filter(|(a, b)| a != b)
            .ok_or_else(|| format!("'{hours}' is not a span of hours such as 09:00-18:00"))?;
        let mut set = [false; 7];
        for d in days {
            let t = d.trim().to_ascii_lowercase();
            const NAMES: [(&str, &str); 7] = [
                ("mon", "monday"),
                ("tue", "tuesday"),
                ("wed", "wednesday"),
                ("thu", "thursday"),
                ("fri", "friday"),
                ("sat", "saturday"),
                ("sun", "sunday"),
            ];
            let i = NAMES
                .iter()
                .position(|(short, full)| t == *short || t == *full)
                .ok_or_else(|| format!("'{d}' is not a day such as Mon or Monday"))?;
            set[i] = true;
        }
        if !set.iter().any(|d| *d) {
            return Err("the list of working days is empty".into());
        }
        Ok(WorkWeek {
            days: set,
            start,
            end,
        })
    }

    /// Tells whether a local wall-clock time falls in working hours on a working day.
    pub fn contains(&self, local: chrono::NaiveDateTime) -> bool {
        use chrono::Timelike;
        let day = local.weekday().num_days_from_monday() as usize;
        let m = local.hour() * 60 + local.minute();
        let in_hours = if self.start < self.end {
            (self.start..self.end).contains(&m)
        } else {
            m >= self.start || m < self.end
        };
        self.days[day] && in_hours
    }
}

/// The report's time zone: `UTC`, a fixed offset (`+02:00`), or an IANA name
/// (`Europe/Berlin`) whose daylight saving is honoured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

impl Zone {
    /// Parses `UTC`, a fixed offset, or an IANA name (exact, else ignoring case).
    pub fn parse(text: &str) -> Option<Zone> {
        if let Some(o) = parse_offset(text) {
            return Some(Zone::Fixed(o));
        }
        let t = text.trim();
        t.parse::<chrono_tz::Tz>()
            .ok()
            .or_else(|| {
                chrono_tz::TZ_VARIANTS
                    .iter()
                    .copied()
                    .find(|z| z.name().eq_ignore_ascii_case(t))
            })
            .map(Zone::Named)
    }

    /// The IANA names closest to `text` (by edit distance, case aside), for an error's hint.
    pub fn nearest(text: &str, n: usize) -> Vec<&'static str> {
        let t = text.trim().to_ascii_lowercase();
        let mut scored: Vec<(usize, &'static str)> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| {
                let name = z.name();
                let lower = name.to_ascii_lowercase();
                // A match on the city alone ("berlin") counts as close as the whole name.
                let city = lower.rsplit('/').next().unwrap_or(&lower).to_string();
                let d = strsim::levenshtein(&t, &lower).min(strsim::levenshtein(&t, &city));
                (d, name)
            })
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, name)| name).collect()
    }

    /// The wall-clock time at `t` in this zone.
    pub fn local(self, t: DateTime<Utc>) -> chrono::NaiveDateTime {
        match self {
            Zone::Fixed(o) => t.with_timezone(&o).naive_local(),
            Zone::Named(z) => t.with_timezone(&z).naive_local(),
        }
    }

    /// The instant a wall-clock time names here: the earlier of two in a repeated hour, and
    /// the first instant after a skipped hour.
    pub fn utc_of(self, local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
        use chrono::TimeZone;
        match self {
            Zone::Fixed(o) => o
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
            Zone::Named(z) => (0..=4)
                .find_map(|quarter| {
                    z.from_local_datetime(&(local + Duration::minutes(30 * quarter)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Fixed(o) => f.write_str(&format_offset(*o)),
            Zone::Named(z) => f.write_str(z.name()),
        }
    }
}

/// Parses a time zone as `UTC` or a fixed offset `+02:00` / `-0530`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = match t.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = t[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Writes times as chrono's serde does (`2026-01-25T08:00:00Z`), without going through the
/// formatting machinery: a report of ten thousand hotfixes writes thirty thousand of them.
mod utc {
    use chrono::{DateTime, Datelike, Timelike, Utc};
    use serde::Serializer;

    pub fn one<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        let (year, nanos) = (t.year(), t.nanosecond());
        if !(0..=9999).contains(&year) || nanos != 0 {
            return serde::Serialize::serialize(t, s);
        }
        let mut b = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, width: usize, mut n: u32| {
            for i in (0..width).rev() {
                b[at + i] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        put(0, 4, year as u32);
        put(5, 2, t.month());
        put(8, 2, t.day());
        put(11, 2, t.hour());
        put(14, 2, t.minute());
        put(17, 2, t.second());
        s.serialize_str(std::str::from_utf8(&b).expect("ASCII digits"))
    }

    pub fn maybe<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => one(t, s),
            None => s.serialize_none(),
        }
    }
}

/// One hotfix as the report counts it.
#[derive(Debug, Clone, Serialize)]
pub struct Hotfix {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub id: String,
    pub line: String,
    /// The line as reports group it: `1.4`, or `api 1.4` over several repositories.
    #[serde(skip)]
    pub line_key: String,
    pub severity: Option<String>,
    pub incident: Option<String>,
    #[serde(serialize_with = "utc::one")]
    pub shipped_at: DateTime<Utc>,
    #[serde(serialize_with = "utc::maybe")]
    pub detected_at: Option<DateTime<Utc>>,
    /// The first deployment to the last environment.
    #[serde(serialize_with = "utc::maybe")]
    pub deployed_at: Option<DateTime<Utc>>,
    /// The first validation in the last environment.
    #[serde(serialize_with = "utc::maybe")]
    pub verified_at: Option<DateTime<Utc>>,
    /// False for a patch tag with no ledger record.
    pub tracked: bool,
    pub overrides: Vec<String>,
    /// Who shipped it, folded through `.mailmap` (none for an untracked tag).
    pub shipper: Option<String>,
    pub rolled_back: bool,
    /// Rolled back in the last environment (a failed change there).
    pub last_env_rolled_back: bool,
    pub verified: bool,
    pub retro: bool,
    /// The retro's action items, and those not done.
    pub actions: usize,
    pub open_actions: usize,
    pub picks: usize,
    pub modified_picks: usize,
    /// The incident this release is counted in: the recorded incident, else the first tag of
    /// an incident inferred from untracked tags, else the release's own id.
    pub incident_id: String,
    /// True when the release is counted in an incident inferred from untracked tags.
    pub inferred: bool,
}

/// What the report covers and how it judges.
#[derive(Debug, Clone)]
pub struct Options {
    pub since: Month,
    pub until: Month,
    pub tz: Zone,
    pub target: Duration,
    pub warn: u32,
    pub alarm: u32,
    pub line: Option<String>,
    /// The team's working week, for the on-call load out of hours.
    pub work: WorkWeek,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MonthRow {
    pub month: Month,
    /// Releases (hotfixes) shipped in the month.
    pub total: usize,
    pub tracked: usize,
    pub untracked: usize,
    /// The month's incidents, by their level: `healthy` (0-2), `elevated` (up to warn), `warn`
    /// (above warn) or `alarm` (above alarm).
    pub level: &'static str,
    /// Incidents whose first release is in the month: what `level` judges.
    pub incidents: usize,
    /// Releases shipped in the month (the same as `total`).
    pub releases: usize,
    /// The mean of the incidents of this month and the two before it; absent when the report
    /// does not hold those months (the first months of a report shorter than three).
    pub moving_average: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Count {
    pub name: String,
    pub count: usize,
    pub previous: usize,
}

/// The on-call load: hotfixes per shipper (tracked ones, identities folded through
/// `.mailmap`), most first, and the releases shipped outside working hours or days.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OnCall {
    pub shippers: Vec<Count>,
    pub outside_hours: Share,
}

/// Durations from detection, in minutes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Lead {
    pub count: usize,
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    pub under_target: usize,
    pub share_under_target: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Share {
    pub count: usize,
    pub of: usize,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Trend {
    pub previous_since: Month,
    pub previous_until: Month,
    /// Releases in the previous period.
    pub previous_total: usize,
    /// Incidents now less incidents in the previous period.
    pub change: i64,
    /// `up`, `down` or `flat`, by incidents.
    pub direction: &'static str,
    pub incidents: usize,
    pub previous_incidents: usize,
    pub releases: usize,
    pub previous_releases: usize,
    /// The 3-month moving average of incidents at the last month, and its direction against
    /// the month before: `up`, `down` or `flat` (absent without two averages).
    pub moving_average: Option<f64>,
    pub moving_direction: Option<&'static str>,
}

/// One incident of the period: its releases, counted once, in the month of the first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Incident<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<&'a str>,
    pub id: &'a str,
    /// True for untracked tags on several lines counted as one incident (tagged within 48
    /// hours of each other and sharing a picked patch-id).
    pub inferred: bool,
    /// True when a release of it has a ledger record.
    pub tracked: bool,
    pub month: Month,
    #[serde(serialize_with = "utc::one")]
    pub first_release_at: DateTime<Utc>,
    pub lines: Vec<&'a str>,
    /// Its releases (on the report's line, with `--line`), in the order they shipped.
    pub releases: Vec<&'a str>,
}

/// The report document (`--format json`, schema 1).
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    pub schema: u32,
    pub since: Month,
    pub until: Month,
    pub timezone: String,
    pub line: Option<String>,
    pub target_minutes: i64,
    pub warn: u32,
    pub alarm: u32,
    /// Releases (hotfixes) in the period.
    pub total: usize,
    pub tracked: usize,
    pub untracked: usize,
    /// Incidents whose first release is in the period: what the thresholds and trend count.
    pub incidents: usize,
    /// Of them, incidents inferred from untracked tags on several lines.
    pub inferred_incidents: usize,
    /// Releases in the period (the same as `total`).
    pub releases: usize,
    pub months: Vec<MonthRow>,
    pub trend: Trend,
    pub by_line: Vec<Count>,
    pub by_severity: Vec<Count>,
    pub detection_to_ship: Lead,
    pub detection_to_deploy: Lead,
    /// Detection to `verified` in the last environment.
    pub detection_to_verified: Lead,
    /// The same recovery times, counted in buckets (under 30 minutes, ..., over a day).
    pub recovery_distribution: Vec<Bucket>,
    pub overrides: Vec<Count>,
    pub overridden_hotfixes: usize,
    pub rollbacks: Share,
    /// Change failure rate: of the hotfixes deployed to the last environment, those rolled
    /// back there.
    pub change_failure: Share,
    /// Who carries the hotfixes, and how many land outside working hours.
    pub on_call: OnCall,
    pub verified: Share,
    pub retros: Share,
    /// The retros' action items still open, of all recorded (on the releases reported).
    pub open_actions: Share,
    pub modified_picks: Share,
    /// Per minor release (X.Y.0) of the period, the hotfixes its line needed; see
    /// `release_quality`.
    pub release_quality: ReleaseQuality,
    pub guidance: Vec<String>,
    /// With several repositories (`-C a -C b`): one row each, judged by its own thresholds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<RepoRow>,
    /// With several repositories: their total, which gets no level (no threshold is the
    /// team's over several repositories; the months then have the level `none`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repositories_total: Option<RepoTotal>,
    pub hotfixes: Vec<&'a Hotfix>,
    /// The period's incidents of more than one release (or inferred), first release first;
    /// every other incident is one hotfix, named by its `incident_id`.
    pub grouped_incidents: Vec<Incident<'a>>,
    /// Incidents with a line still open (neither shipped, skipped nor abandoned) longer than
    /// `target_minutes` after they began, at `open_at`.
    pub open_incidents: Vec<OpenIncident>,
    /// When `open_incidents` were judged: now, or the end of `until` when it is in the past.
    #[serde(serialize_with = "utc::maybe")]
    pub open_at: Option<DateTime<Utc>>,
}

/// A minor release (X.Y.0) and when it was tagged.
#[derive(Debug, Clone, PartialEq)]
pub struct Minor {
    pub repo: Option<String>,
    /// As `Hotfix::line_key` groups it.
    pub line_key: String,
    pub line: String,
    pub name: String,
    pub released_at: DateTime<Utc>,
}

/// Hotfix frequency per release, as a leading indicator of release quality.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ReleaseQuality {
    /// The minor releases tagged in the period, oldest first.
    pub releases: Vec<MinorRow>,
    /// Of the minor releases at least 30 days old at the end of `until`, those whose line
    /// needed a hotfix within 30 days.
    pub hotfixed_within_30_days: Share,
}

impl Default for Share {
    fn default() -> Share {
        share(0, 0)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MinorRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub release: String,
    pub line: String,
    #[serde(serialize_with = "utc::one")]
    pub released_at: DateTime<Utc>,
    /// The month it was tagged in, in the report's time zone.
    pub month: Month,
    /// Hotfixes on the line from X.Y.0 to the end of the period.
    pub hotfixes: usize,
    /// Days from X.Y.0 to the line's first hotfix (one decimal), none before it had one.
    pub days_to_first_hotfix: Option<f64>,
    /// The first hotfix came within 30 days of X.Y.0.
    pub within_30_days: bool,
    /// At least 30 days old at the end of the period: counted in the 30-day share.
    pub counted: bool,
}

/// Release quality: for each minor release tagged in the months of `o`, the hotfixes its line
/// needed up to the end of `o.until` and the days to the first; and the share of those at
/// least 30 days old at the end of `o.until` that needed a hotfix within 30 days.
pub fn release_quality(minors: &[Minor], hotfixes: &[Hotfix], o: &Options) -> ReleaseQuality {
    let (from, to) = (o.since.start(o.tz), o.until.next().start(o.tz));
    let line = o.line.as_deref();
    let month = Duration::days(30);
    let mut rows: Vec<MinorRow> = minors
        .iter()
        .filter(|m| m.released_at >= from && m.released_at < to)
        .filter(|m| line.is_none_or(|l| l == m.line))
        .map(|m| {
            let after: Vec<DateTime<Utc>> = hotfixes
                .iter()
                .filter(|h| h.line_key == m.line_key)
                .map(|h| h.shipped_at)
                .filter(|t| *t >= m.released_at && *t < to)
                .collect();
            let first = after.iter().min();
            MinorRow {
                repo: m.repo.clone(),
                release: m.name.clone(),
                line: m.line.clone(),
                released_at: m.released_at,
                month: Month::of(m.released_at, o.tz),
                hotfixes: after.len(),
                days_to_first_hotfix: first
                    .map(|f| ((*f - m.released_at).num_seconds() as f64 / 8640.0).round() / 10.0),
                within_30_days: first.is_some_and(|f| *f - m.released_at <= month),
                counted: m.released_at + month <= to,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.released_at
            .cmp(&b.released_at)
            .then(a.release.cmp(&b.release))
    });
    let counted: Vec<&MinorRow> = rows.iter().filter(|r| r.counted).collect();
    let within = counted.iter().filter(|r| r.within_30_days).count();
    ReleaseQuality {
        hotfixed_within_30_days: share(within, counted.len()),
        releases: rows,
    }
}

/// One line's hotfix of an incident, as `open_incidents` judges it.
#[derive(Debug, Clone)]
pub struct Member {
    pub repo: Option<String>,
    /// The incident it belongs to (its own id when it names none).
    pub incident: String,
    pub id: String,
    pub line: String,
    /// The first `started` event's time, when the record was read; else unknown.
    pub started_at: Option<DateTime<Utc>>,
    pub detected_at: Option<DateTime<Utc>>,
    /// When and how the line closed: `shipped` (or `imported`), `skipped`, `abandoned`.
    pub closed: Option<(DateTime<Utc>, &'static str)>,
}

/// An incident with a line still open past the target.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpenIncident {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub id: String,
    /// Its detection time, else its first start.
    #[serde(serialize_with = "utc::one")]
    pub began_at: DateTime<Utc>,
    pub open_minutes: i64,
    pub open_lines: Vec<LineState>,
    pub closed_lines: Vec<LineState>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LineState {
    pub line: String,
    pub id: String,
    /// `in progress`, `shipped`, `skipped` or `abandoned`.
    pub state: &'static str,
}

/// Lists the incidents with a line still open at `at` whose beginning (the earliest
/// detection time of its hotfixes, else the earliest start) is more than `target` before
/// `at`: a line is open when its hotfix started by then and had not shipped, been skipped or
/// been abandoned. With `line`, only incidents with a hotfix on that line. Longest open
/// first.
pub fn open_incidents(
    members: &[Member],
    at: DateTime<Utc>,
    target: Duration,
    line: Option<&str>,
) -> Vec<OpenIncident> {
    let mut by_key: BTreeMap<(Option<&str>, &str), Vec<&Member>> = BTreeMap::new();
    for m in members {
        by_key
            .entry((m.repo.as_deref(), m.incident.as_str()))
            .or_default()
            .push(m);
    }
    let mut out = Vec::new();
    for ((repo, id), group) in by_key {
        if line.is_some_and(|l| !group.iter().any(|m| m.line == l)) {
            continue;
        }
        let mut open_lines = Vec::new();
        let mut closed_lines = Vec::new();
        for m in &group {
            let state = match m.closed {
                Some((when, how)) if when <= at => Some(how),
                _ => None,
            };
            match (state, m.started_at) {
                (Some(how), _) => closed_lines.push(LineState {
                    line: m.line.clone(),
                    id: m.id.clone(),
                    state: if how == "imported" { "shipped" } else { how },
                }),
                (None, Some(started)) if started <= at => open_lines.push(LineState {
                    line: m.line.clone(),
                    id: m.id.clone(),
                    state: "in progress",
                }),
                _ => {} // not started yet at `at`
            }
        }
        if open_lines.is_empty() {
            continue;
        }
        let began = group
            .iter()
            .filter_map(|m| m.detected_at)
            .min()
            .or_else(|| group.iter().filter_map(|m| m.started_at).min());
        let Some(began) = began else { continue };
        if at - began <= target {
            continue;
        }
        let by_line = |a: &LineState, b: &LineState| line_order(&b.line).cmp(&line_order(&a.line));
        open_lines.sort_by(by_line);
        closed_lines.sort_by(by_line);
        out.push(OpenIncident {
            repo: repo.map(str::to_string),
            id: id.to_string(),
            began_at: began,
            open_minutes: (at - began).num_minutes(),
            open_lines,
            closed_lines,
        });
    }
    out.sort_by(|a, b| (a.began_at, &a.repo, &a.id).cmp(&(b.began_at, &b.repo, &b.id)));
    out
}

/// One repository of a report over several.
#[derive(Debug, Clone, Serialize)]
pub struct RepoRow {
    pub name: String,
    /// Releases.
    pub total: usize,
    pub tracked: usize,
    /// The busiest month's incidents, and their level by this repository's own thresholds.
    pub busiest: usize,
    pub level: &'static str,
    pub warn: u32,
    pub alarm: u32,
    pub incidents: usize,
    pub releases: usize,
}

/// The total over several repositories: counts only, no level.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RepoTotal {
    pub total: usize,
    pub tracked: usize,
    /// The busiest month's incidents over all the repositories.
    pub busiest: usize,
    pub incidents: usize,
    pub releases: usize,
}

impl Report<'_> {
    /// Makes this the report over several repositories, whose rows are `rows`: a total without
    /// a level, months without one, and guidance from each repository's own level.
    pub fn over_repositories(&mut self, rows: Vec<RepoRow>) {
        if rows.is_empty() {
            return;
        }
        for m in &mut self.months {
            m.level = "none";
        }
        self.repositories_total = Some(RepoTotal {
            total: self.total,
            tracked: self.tracked,
            busiest: self.months.iter().map(|m| m.incidents).max().unwrap_or(0),
            incidents: self.incidents,
            releases: self.releases,
        });
        // The first guidance judged the combined months by thresholds; each repository's own
        // level says it instead.
        if !self.guidance.is_empty() {
            self.guidance.remove(0);
        }
        let judged: Vec<String> = rows
            .iter()
            .filter(|r| r.level == "warn" || r.level == "alarm")
            .map(|r| {
                format!(
                    "{}: {} incident(s) in its busiest month, {} by its own thresholds ({}/{}); look at its release quality.",
                    r.name, r.busiest, r.level, r.warn, r.alarm
                )
            })
            .collect();
        if judged.is_empty() {
            self.guidance.insert(
                0,
                "Every repository is within its own thresholds.".to_string(),
            );
        } else {
            for (i, g) in judged.into_iter().enumerate() {
                self.guidance.insert(i, g);
            }
        }
        self.repositories = rows;
    }
}

impl RepoRow {
    /// Summarises one repository's own report.
    pub fn of(name: &str, r: &Report<'_>) -> RepoRow {
        let busiest = r.months.iter().map(|m| m.incidents).max().unwrap_or(0);
        RepoRow {
            name: name.to_string(),
            total: r.total,
            tracked: r.tracked,
            busiest,
            level: level(busiest, r.warn, r.alarm),
            warn: r.warn,
            alarm: r.alarm,
            incidents: r.incidents,
            releases: r.total,
        }
    }
}

/// Names the level of a month's count.
pub fn level(count: usize, warn: u32, alarm: u32) -> &'static str {
    if count > alarm as usize {
        "alarm"
    } else if count > warn as usize {
        "warn"
    } else if count <= 2 {
        "healthy"
    } else {
        "elevated"
    }
}

/// The middle value; the mean of the two middle values for an even count.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    })
}

/// The nearest-rank percentile: the ceil(p n)-th smallest value.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    Some(sorted[rank - 1])
}

fn share(count: usize, of: usize) -> Share {
    Share {
        count,
        of,
        share: (of > 0).then(|| round(count as f64 / of as f64)),
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A range of durations and how many fall in it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bucket {
    pub label: &'static str,
    /// The range's upper end in minutes (none for the last, open, range).
    pub up_to_minutes: Option<u32>,
    pub count: usize,
}

/// Counts detection-to-`end` times in fixed buckets, so distributions compare across reports.
fn buckets(hotfixes: &[&Hotfix], end: impl Fn(&Hotfix) -> Option<DateTime<Utc>>) -> Vec<Bucket> {
    const EDGES: [(&str, Option<u32>); 7] = [
        ("under 30m", Some(30)),
        ("30m-1h", Some(60)),
        ("1h-2h", Some(120)),
        ("2h-4h", Some(240)),
        ("4h-8h", Some(480)),
        ("8h-24h", Some(1440)),
        ("over 24h", None),
    ];
    let mut out: Vec<Bucket> = EDGES
        .iter()
        .map(|(label, up_to_minutes)| Bucket {
            label,
            up_to_minutes: *up_to_minutes,
            count: 0,
        })
        .collect();
    for h in hotfixes {
        let (Some(start), Some(stop)) = (h.detected_at, end(h)) else {
            continue;
        };
        let secs = (stop - start).num_seconds();
        if secs < 0 {
            continue;
        }
        let at = out
            .iter()
            .position(|b| b.up_to_minutes.is_none_or(|m| secs < i64::from(m) * 60))
            .expect("the last bucket is open");
        out[at].count += 1;
    }
    out
}

fn lead(
    hotfixes: &[&Hotfix],
    end: impl Fn(&Hotfix) -> Option<DateTime<Utc>>,
    target: Duration,
) -> Lead {
    let mut minutes: Vec<f64> = hotfixes
        .iter()
        .filter_map(|h| {
            let start = h.detected_at?;
            let stop = end(h)?;
            Some((stop - start).num_seconds() as f64 / 60.0)
        })
        .filter(|m| *m >= 0.0)
        .collect();
    minutes.sort_by(|a, b| a.partial_cmp(b).expect("minutes are finite"));
    let under = minutes
        .iter()
        .filter(|m| **m <= target.num_seconds() as f64 / 60.0)
        .count();
    Lead {
        count: minutes.len(),
        median_minutes: median(&minutes).map(round),
        p90_minutes: percentile(&minutes, 0.9).map(round),
        under_target: under,
        share_under_target: (!minutes.is_empty())
            .then(|| round(under as f64 / minutes.len() as f64)),
    }
}

fn counts<'h>(
    now: &[&'h Hotfix],
    before: &[&'h Hotfix],
    key: impl Fn(&'h Hotfix) -> &'h str,
) -> Vec<Count> {
    let mut map: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for h in now {
        map.entry(key(h)).or_default().0 += 1;
    }
    for h in before {
        map.entry(key(h)).or_default().1 += 1;
    }
    map.into_iter()
        .map(|(name, (count, previous))| Count {
            name: name.to_string(),
            count,
            previous,
        })
        .collect()
}

/// The previous period: as many months as `since..=until`, just before it.
pub fn previous_period(since: Month, until: Month) -> (Month, Month) {
    let span = since.through(until).len().max(1);
    let mut prev_since = since;
    for _ in 0..span {
        prev_since = prev_since.prev();
    }
    (prev_since, since.prev())
}

/// The mean of the incidents of `m` and the two months before it, when the report holds
/// them (from `first`, the previous period's first month, on).
fn moving_average(m: Month, first: Month, incidents: &dyn Fn(Month) -> usize) -> Option<f64> {
    let (a, b) = (m.prev(), m.prev().prev());
    (b >= first).then(|| round((incidents(m) + incidents(a) + incidents(b)) as f64 / 3.0))
}

/// Builds the report from every hotfix known (the function filters by period and line).
pub fn report<'a>(all: &'a [Hotfix], o: &Options) -> Report<'a> {
    let in_line = |h: &&Hotfix| o.line.as_ref().is_none_or(|l| &h.line == l);
    let months = o.since.through(o.until);
    let (prev_since, prev_until) = previous_period(o.since, o.until);
    // Each hotfix's month, computed once.
    let dated: Vec<(Month, &Hotfix)> = all
        .iter()
        .filter(in_line)
        .map(|h| (Month::of(h.shipped_at, o.tz), h))
        .collect();
    let mut current: Vec<&Hotfix> = dated
        .iter()
        .filter(|(m, _)| (o.since..=o.until).contains(m))
        .map(|(_, h)| *h)
        .collect();
    current.sort_by(|a, b| {
        a.shipped_at
            .cmp(&b.shipped_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let previous: Vec<&Hotfix> = dated
        .iter()
        .filter(|(m, _)| (prev_since..=prev_until).contains(m))
        .map(|(_, h)| *h)
        .collect();
    let mut per_month: BTreeMap<Month, (usize, usize)> = BTreeMap::new();
    for (m, h) in &dated {
        if (o.since..=o.until).contains(m) {
            let e = per_month.entry(*m).or_default();
            e.0 += 1;
            e.1 += usize::from(h.tracked);
        }
    }
    let incidents = incidents(&dated, o.tz);
    let count_in = |from: Month, to: Month, inferred: bool| -> usize {
        incidents
            .per_month
            .range(from..=to)
            .map(|(_, (all, inf))| if inferred { *inf } else { *all })
            .sum()
    };
    let incidents_now = count_in(o.since, o.until, false);
    let incidents_before = count_in(prev_since, prev_until, false);
    let inferred_now = count_in(o.since, o.until, true);
    let incidents_per = |m: Month| incidents.per_month.get(&m).map_or(0, |c| c.0);
    let rows: Vec<MonthRow> = months
        .iter()
        .map(|m| {
            let (total, tracked) = per_month.get(m).copied().unwrap_or_default();
            let incidents = incidents.per_month.get(m).map_or(0, |c| c.0);
            MonthRow {
                month: *m,
                total,
                tracked,
                untracked: total - tracked,
                level: level(incidents, o.warn, o.alarm),
                incidents,
                releases: total,
                moving_average: moving_average(*m, prev_since, &incidents_per),
            }
        })
        .collect();
    let averages: Vec<f64> = rows.iter().filter_map(|r| r.moving_average).collect();
    let moving_direction = match averages.as_slice() {
        [.., before, last] => Some(if last > before {
            "up"
        } else if last < before {
            "down"
        } else {
            "flat"
        }),
        _ => None,
    };
    let grouped_incidents: Vec<Incident<'a>> = incidents
        .grouped
        .into_iter()
        .filter(|i| (o.since..=o.until).contains(&i.month))
        .collect();

    let total = current.len();
    let tracked = current.iter().filter(|h| h.tracked).count();
    let change = incidents_now as i64 - incidents_before as i64;
    let mut override_rules: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for h in &current {
        for r in &h.overrides {
            override_rules.entry(r).or_default().0 += 1;
        }
    }
    for h in &previous {
        for r in &h.overrides {
            override_rules.entry(r).or_default().1 += 1;
        }
    }
    let recorded: Vec<&Hotfix> = current.iter().copied().filter(|h| h.tracked).collect();
    let picks: usize = recorded.iter().map(|h| h.picks).sum();
    let conflicted: usize = recorded.iter().map(|h| h.modified_picks).sum();

    let mut guidance = Vec::new();
    let worst = rows.iter().map(|r| r.incidents).max().unwrap_or(0);
    if worst > o.alarm as usize {
        guidance.push(format!(
            "Alarm: more than {} incidents in a month. Hotfixes this frequent mean releases are not being validated; stop and look at release quality.",
            o.alarm
        ));
    } else if worst > o.warn as usize {
        guidance.push(format!(
            "Warning: more than {} incidents in a month. Look at release quality: what escapes testing before release?",
            o.warn
        ));
    } else {
        guidance.push("0-2 incidents a month is healthy.".to_string());
    }
    let d2s = lead(&current, |h| Some(h.shipped_at), o.target);
    if let Some(share) = d2s.share_under_target {
        guidance.push(format!(
            "{} of {} hotfixes ({:.0}%) shipped within {} of detection (mature teams: under 2 hours).",
            d2s.under_target,
            d2s.count,
            share * 100.0,
            human_duration(o.target)
        ));
    }

    Report {
        schema: 1,
        since: o.since,
        until: o.until,
        timezone: o.tz.to_string(),
        line: o.line.clone(),
        target_minutes: o.target.num_minutes(),
        warn: o.warn,
        alarm: o.alarm,
        total,
        tracked,
        untracked: total - tracked,
        incidents: incidents_now,
        inferred_incidents: inferred_now,
        releases: total,
        months: rows,
        trend: Trend {
            previous_since: prev_since,
            previous_until: prev_until,
            previous_total: previous.len(),
            change,
            direction: match change {
                c if c > 0 => "up",
                c if c < 0 => "down",
                _ => "flat",
            },
            incidents: incidents_now,
            previous_incidents: incidents_before,
            releases: total,
            previous_releases: previous.len(),
            moving_average: averages.last().copied(),
            moving_direction,
        },
        by_line: counts(&current, &previous, |h| &h.line_key),
        by_severity: counts(&current, &previous, |h| {
            h.severity.as_deref().unwrap_or("unknown")
        }),
        detection_to_ship: d2s,
        detection_to_deploy: lead(&current, |h| h.deployed_at, o.target),
        detection_to_verified: lead(&current, |h| h.verified_at, o.target),
        recovery_distribution: buckets(&current, |h| h.verified_at),
        overrides: override_rules
            .into_iter()
            .map(|(name, (count, previous))| Count {
                name: name.to_string(),
                count,
                previous,
            })
            .collect(),
        overridden_hotfixes: current.iter().filter(|h| !h.overrides.is_empty()).count(),
        // An untracked tag has no rollback data: the rate is over tracked hotfixes only.
        rollbacks: share(
            recorded.iter().filter(|h| h.rolled_back).count(),
            recorded.len(),
        ),
        on_call: OnCall {
            shippers: {
                let with: Vec<&Hotfix> = current
                    .iter()
                    .copied()
                    .filter(|h| h.shipper.is_some())
                    .collect();
                let before: Vec<&Hotfix> = previous
                    .iter()
                    .copied()
                    .filter(|h| h.shipper.is_some())
                    .collect();
                let mut c = counts(&with, &before, |h| h.shipper.as_deref().unwrap_or(""));
                c.retain(|c| c.count > 0);
                c.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
                c
            },
            outside_hours: share(
                current
                    .iter()
                    .filter(|h| !o.work.contains(o.tz.local(h.shipped_at)))
                    .count(),
                current.len(),
            ),
        },
        change_failure: {
            let deployed: Vec<&&Hotfix> = recorded
                .iter()
                .filter(|h| h.deployed_at.is_some())
                .collect();
            share(
                deployed.iter().filter(|h| h.last_env_rolled_back).count(),
                deployed.len(),
            )
        },
        verified: share(
            recorded.iter().filter(|h| h.verified).count(),
            recorded.len(),
        ),
        retros: share(recorded.iter().filter(|h| h.retro).count(), recorded.len()),
        open_actions: share(
            recorded.iter().map(|h| h.open_actions).sum(),
            recorded.iter().map(|h| h.actions).sum(),
        ),
        modified_picks: share(conflicted, picks),
        guidance,
        repositories: Vec::new(),
        repositories_total: None,
        hotfixes: current,
        grouped_incidents,
        open_incidents: Vec::new(),
        open_at: None,
        release_quality: ReleaseQuality::default(),
    }
}

/// The incidents of a report: how many begin in each month (all, and inferred), and those
/// of more than one release (or inferred) in full.
struct Incidents<'a> {
    per_month: BTreeMap<Month, (usize, usize)>,
    grouped: Vec<Incident<'a>>,
}

/// Groups releases into incidents by repository and `incident_id`; each incident is dated by
/// its first release (the earliest ship time, then the smaller id), in whose month it counts.
/// One sort of the releases by incident: no map, and no allocation for an incident of one
/// release, which most are.
fn incidents<'a>(dated: &[(Month, &'a Hotfix)], tz: Zone) -> Incidents<'a> {
    let mut rows: Vec<(Month, &'a Hotfix)> = dated.to_vec();
    let key = |h: &'a Hotfix| (h.repo.as_deref(), h.incident_id.as_str());
    rows.sort_unstable_by(|a, b| key(a.1).cmp(&key(b.1)));
    let mut out = Incidents {
        per_month: BTreeMap::new(),
        grouped: Vec::new(),
    };
    for run in rows.chunk_by_mut(|a, b| key(a.1) == key(b.1)) {
        let inferred = run.iter().any(|(_, h)| h.inferred);
        if run.len() > 1 {
            run.sort_by(|a, b| (a.1.shipped_at, &a.1.id).cmp(&(b.1.shipped_at, &b.1.id)));
        }
        let (month, first) = run[0];
        let e = out.per_month.entry(month).or_default();
        e.0 += 1;
        e.1 += usize::from(inferred);
        if run.len() == 1 && !inferred {
            continue;
        }
        let mut lines: Vec<&str> = run.iter().map(|(_, h)| h.line.as_str()).collect();
        lines.sort_by(|a, b| line_order(b).cmp(&line_order(a)));
        lines.dedup();
        out.grouped.push(Incident {
            repo: first.repo.as_deref(),
            id: first.incident_id.as_str(),
            inferred,
            tracked: run.iter().any(|(_, h)| h.tracked),
            month: Month::of(first.shipped_at, tz),
            first_release_at: first.shipped_at,
            lines,
            releases: run.iter().map(|(_, h)| h.id.as_str()).collect(),
        });
    }
    out.grouped.sort_by(|a, b| {
        (a.first_release_at, a.repo, a.id).cmp(&(b.first_release_at, b.repo, b.id))
    });
    out
}

/// Orders lines as versions (`1.10` after `1.9`); a line that is not `X.Y` sorts first, by text.
fn line_order(line: &str) -> (u64, u64, &str) {
    let mut parts = line.split('.');
    let num = |p: Option<&str>| p.and_then(|p| p.parse::<u64>().ok());
    match (num(parts.next()), num(parts.next())) {
        (Some(x), Some(y)) => (x + 1, y, ""),
        _ => (0, 0, line),
    }
}

/// How close in time untracked tags on different lines must be to be one inferred incident.
pub const INFER_WINDOW_HOURS: i64 = 48;

/// Tells, for each untracked tag (its line and its date), whether its patch-ids need reading:
/// another tag on a different line is dated within `INFER_WINDOW_HOURS` of it, and it can
/// change what the report counts. Tags are linked only within 48 hours, so an incident lies
/// in one run of tags with no gap of more than 48 hours between them; only runs that reach
/// into `span` (the report's months and the previous period's) are read. One pass over the
/// tags by date, so thousands of tags outside the report cost nothing.
pub fn inference_candidates(
    tags: &[(&str, DateTime<Utc>)],
    span: (DateTime<Utc>, DateTime<Utc>),
) -> Vec<bool> {
    let window = Duration::hours(INFER_WINDOW_HOURS);
    let mut order: Vec<usize> = (0..tags.len()).collect();
    order.sort_by_key(|&i| tags[i].1);
    let mut out = vec![false; tags.len()];
    // For each position by date, the nearest earlier and later positions whose line differs:
    // the tag at k - 1 if its line differs, else the one its own line's run ends at.
    let line = |k: usize| tags[order[k]].0;
    let n = order.len();
    let mut prev_other: Vec<Option<usize>> = vec![None; n];
    for k in 1..n {
        prev_other[k] = if line(k - 1) != line(k) {
            Some(k - 1)
        } else {
            prev_other[k - 1]
        };
    }
    let mut next_other: Vec<Option<usize>> = vec![None; n];
    for k in (0..n.saturating_sub(1)).rev() {
        next_other[k] = if line(k + 1) != line(k) {
            Some(k + 1)
        } else {
            next_other[k + 1]
        };
    }
    // Runs of tags with no gap above the window: a run is read when one of its tags is in span.
    let mut run_start = 0;
    for k in 0..=n {
        if k < n && (k == 0 || tags[order[k]].1 - tags[order[k - 1]].1 <= window) {
            continue;
        }
        let touches = (run_start..k).any(|j| (span.0..span.1).contains(&tags[order[j]].1));
        for j in run_start..k {
            let t = tags[order[j]].1;
            let near = |o: Option<usize>| o.is_some_and(|o| (tags[order[o]].1 - t).abs() <= window);
            out[order[j]] = touches && (near(prev_other[j]) || near(next_other[j]));
        }
        run_start = k;
    }
    out
}

/// Groups untracked tags into inferred incidents: two tags on different lines, dated within
/// `INFER_WINDOW_HOURS` of each other, that share a patch-id (`patch_ids[i]`: those of the
/// commits in tag i's own range) are one incident, and so are chains of such pairs. Returns,
/// for each tag, the index of its incident's first tag (the earliest; itself when alone).
pub fn infer_incidents<K: Eq + std::hash::Hash>(
    tags: &[(&str, DateTime<Utc>)],
    patch_ids: &[Vec<K>],
) -> Vec<usize> {
    let window = Duration::hours(INFER_WINDOW_HOURS);
    let mut parent: Vec<usize> = (0..tags.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_id: HashMap<&K, Vec<usize>> = HashMap::new();
    for (i, ids) in patch_ids.iter().enumerate() {
        for k in ids {
            let v = by_id.entry(k).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    for mut same in by_id.into_values().filter(|v| v.len() > 1) {
        same.sort_by_key(|&i| tags[i].1);
        for (a, &i) in same.iter().enumerate() {
            for &j in &same[a + 1..] {
                if tags[j].1 - tags[i].1 > window {
                    break;
                }
                if tags[i].0 != tags[j].0 {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[ri.max(rj)] = ri.min(rj);
                }
            }
        }
    }
    // Each group is named by its earliest tag (then the first given).
    let mut first: HashMap<usize, usize> = HashMap::new();
    for i in 0..tags.len() {
        let r = root(&mut parent, i);
        let f = first.entry(r).or_insert(i);
        if tags[i].1 < tags[*f].1 {
            *f = i;
        }
    }
    (0..tags.len())
        .map(|i| first[&root(&mut parent, i)])
        .collect()
}

/// `hotfix report --missing`: per supported line, the mainline fixes picked onto some lines
/// that are neither applied nor skipped on it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Missing {
    pub schema: u32,
    /// The lines judged, newest first (`release.supported`, or `--line`).
    pub supported: Vec<String>,
    pub lines: Vec<MissingLine>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MissingLine {
    pub line: String,
    /// The line's newest release tag, whose commits (since X.Y.0) were searched, with those of
    /// its open hotfix branches.
    pub newest: String,
    pub missing: Vec<Fix>,
    /// Fixes the incident that picked them skipped on this line, with its reason.
    pub skipped: Vec<Fix>,
    /// How many of the fixes are applied on the line.
    pub applied: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fix {
    /// The mainline commit (the `picked` event's `source`).
    pub source: String,
    pub subject: String,
    /// The lines it was picked onto, newest first.
    pub picked_on: Vec<String>,
    pub incidents: Vec<String>,
    /// Why the line does not get it, for a skipped fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Formats an offset as `UTC` or `+02:00`.
pub fn format_offset(tz: FixedOffset) -> String {
    let s = tz.local_minus_utc();
    if s == 0 {
        return "UTC".into();
    }
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

/// Formats a duration as `2h`, `90m` or `1h30m`.
pub fn human_duration(d: Duration) -> String {
    let m = d.num_minutes();
    match (m / 60, m % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_serialize_as_chrono_does() {
        for text in [
            "2026-01-25T08:00:00Z",
            "1999-12-31T23:59:59Z",
            "0042-02-03T04:05:06Z",
            "2026-01-25T08:00:00.250Z",
        ] {
            let at = t(text);
            let mut fast = serde_json::Serializer::new(Vec::new());
            utc::one(&at, &mut fast).unwrap();
            assert_eq!(
                String::from_utf8(fast.into_inner()).unwrap(),
                serde_json::to_string(&at).unwrap()
            );
        }
        let mut none = serde_json::Serializer::new(Vec::new());
        utc::maybe(&None, &mut none).unwrap();
        assert_eq!(none.into_inner(), b"null");
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn hotfix(id: &str, shipped: &str, detected: Option<&str>) -> Hotfix {
        Hotfix {
            repo: None,
            id: id.into(),
            line: "1.4".into(),
            line_key: "1.4".into(),
            severity: Some("sev2".into()),
            incident: None,
            shipped_at: t(shipped),
            detected_at: detected.map(t),
            deployed_at: None,
            verified_at: None,
            tracked: true,
            overrides: vec![],
            shipper: None,
            rolled_back: false,
            last_env_rolled_back: false,
            verified: false,
            retro: false,
            actions: 0,
            open_actions: 0,
            picks: 1,
            modified_picks: 0,
            incident_id: id.into(),
            inferred: false,
        }
    }

    fn opts(since: &str, until: &str) -> Options {
        Options {
            since: Month::parse(since).unwrap(),
            until: Month::parse(until).unwrap(),
            tz: Zone::Fixed(FixedOffset::east_opt(0).unwrap()),
            target: Duration::hours(2),
            warn: 5,
            alarm: 10,
            line: None,
            work: WorkWeek::default(),
        }
    }

    #[test]
    fn months_cross_year_boundaries() {
        let m = Month::parse("2025-11")
            .unwrap()
            .through(Month::parse("2026-02").unwrap());
        let names: Vec<String> = m.iter().map(|m| m.to_string()).collect();
        assert_eq!(names, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(
            Month::parse("2026-01").unwrap().prev().to_string(),
            "2025-12"
        );
        assert!(Month::parse("2026-13").is_none());
        assert!(Month::parse("26-01").is_none());
    }

    #[test]
    fn time_zone_moves_a_hotfix_across_a_month_boundary() {
        let at = t("2026-01-31T23:30:00Z");
        assert_eq!(
            Month::of(at, Zone::Fixed(FixedOffset::east_opt(0).unwrap())).to_string(),
            "2026-01"
        );
        assert_eq!(
            Month::of(at, Zone::parse("+02:00").unwrap()).to_string(),
            "2026-02"
        );
        assert_eq!(
            parse_offset("-0530").unwrap().local_minus_utc(),
            -(5 * 3600 + 30 * 60)
        );
        assert!(parse_offset("Europe/Paris").is_none());
    }

    #[test]
    fn a_named_zone_honours_daylight_saving_at_month_boundaries() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(berlin.to_string(), "Europe/Berlin");
        assert_eq!(Zone::parse("europe/berlin"), Some(berlin));
        // Summer time (UTC+2) began on 29 March 2026: 22:30Z on 31 March is already April.
        assert_eq!(
            Month::of(t("2026-03-31T22:30:00Z"), berlin).to_string(),
            "2026-04"
        );
        assert_eq!(
            Month::of(t("2026-03-31T21:30:00Z"), berlin).to_string(),
            "2026-03"
        );
        // A fixed +01:00 would put it in March.
        assert_eq!(
            Month::of(t("2026-03-31T22:30:00Z"), Zone::parse("+01:00").unwrap()).to_string(),
            "2026-03"
        );
        // Winter time (UTC+1) from 25 October 2026: November begins at 23:00Z on 31 October.
        assert_eq!(
            Month::of(t("2026-10-31T22:30:00Z"), berlin).to_string(),
            "2026-10"
        );
        assert_eq!(
            Month::of(t("2026-10-31T23:30:00Z"), berlin).to_string(),
            "2026-11"
        );
        let april = Month::parse("2026-04").unwrap();
        assert_eq!(april.start(berlin), t("2026-03-31T22:00:00Z"));
        assert_eq!(april.next().start(berlin), t("2026-04-30T22:00:00Z"));
        assert_eq!(
            Month::parse("2026-11").unwrap().start(berlin),
            t("2026-10-31T23:00:00Z")
        );
        // A skipped hour names the first instant after it.
        let gap = chrono::NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(berlin.utc_of(gap), Some(t("2026-03-29T01:00:00Z")));
    }

    #[test]
    fn an_unknown_zone_gets_the_nearest_names() {
        assert!(Zone::parse("Europe/Berln").is_none());
        assert!(Zone::nearest("Europe/Berln", 3).contains(&"Europe/Berlin"));
        assert!(Zone::nearest("berlin", 3).contains(&"Europe/Berlin"));
    }

    #[test]
    fn median_and_p90_by_nearest_rank() {
        let v = [10.0, 20.0, 30.0, 40.0];
        assert_eq!(median(&v), Some(25.0));
        assert_eq!(percentile(&v, 0.9), Some(40.0));
        let v: Vec<f64> = (1..=10).map(|x| x as f64).collect();
        assert_eq!(percentile(&v, 0.9), Some(9.0));
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn levels_follow_the_thresholds() {
        assert_eq!(level(0, 5, 10), "healthy");
        assert_eq!(level(2, 5, 10), "healthy");
        assert_eq!(level(3, 5, 10), "elevated");
        assert_eq!(level(5, 5, 10), "elevated");
        assert_eq!(level(6, 5, 10), "warn");
        assert_eq!(level(11, 5, 10), "alarm");
    }

    #[test]
    fn report_counts_months_trend_and_leads() {
        let mut all = vec![
            hotfix(
                "v1.4.1",
                "2025-12-15T10:00:00Z",
                Some("2025-12-15T09:00:00Z"),
            ),
            hotfix(
                "v1.4.2",
                "2026-01-10T10:00:00Z",
                Some("2026-01-10T07:00:00Z"),
            ),
            hotfix(
                "v1.4.3",
                "2026-01-20T10:00:00Z",
                Some("2026-01-20T09:30:00Z"),
            ),
            hotfix("v1.4.0x", "2025-10-01T10:00:00Z", None),
        ];
        all[3].tracked = false;
        let r = report(&all, &opts("2025-12", "2026-01"));
        assert_eq!(r.total, 3);
        assert_eq!(r.months[0].total, 1);
        assert_eq!(r.months[1].total, 2);
        // previous period: 2025-10 .. 2025-11 holds the untracked one
        assert_eq!(r.trend.previous_total, 1);
        assert_eq!(r.trend.change, 2);
        assert_eq!(r.trend.direction, "up");
        // leads: 60, 180, 30 minutes -> sorted 30, 60, 180
        assert_eq!(r.detection_to_ship.median_minutes, Some(60.0));
        assert_eq!(r.detection_to_ship.p90_minutes, Some(180.0));
        assert_eq!(r.detection_to_ship.under_target, 2);
        assert_eq!(r.detection_to_ship.share_under_target, Some(0.6667));
    }

    #[test]
    fn incidents_are_counted_apart_from_releases_in_the_month_of_their_first_release() {
        let mut all = Vec::new();
        // INC-1: three releases on three lines, the first on 31 January, the others in
        // February; INC-2: one release in February; v9.9.1 with no incident is its own.
        for (id, line, shipped, incident) in [
            ("v2.1.1", "2.1", "2026-01-31T22:00:00Z", "INC-1"),
            ("v2.0.4", "2.0", "2026-02-01T01:00:00Z", "INC-1"),
            ("v1.10.2", "1.10", "2026-02-01T02:00:00Z", "INC-1"),
            ("v2.1.2", "2.1", "2026-02-10T10:00:00Z", "INC-2"),
            ("v9.9.1", "9.9", "2026-02-11T10:00:00Z", ""),
        ] {
            let mut h = hotfix(id, shipped, None);
            h.line = line.into();
            h.line_key = line.into();
            if !incident.is_empty() {
                h.incident = Some(incident.into());
                h.incident_id = incident.into();
            }
            all.push(h);
        }
        let mut o = opts("2026-01", "2026-02");
        o.warn = 1;
        o.alarm = 3;
        let r = report(&all, &o);
        assert_eq!((r.total, r.releases, r.incidents), (5, 5, 3));
        let months: Vec<(usize, usize, &str)> = r
            .months
            .iter()
            .map(|m| (m.releases, m.incidents, m.level))
            .collect();
        // January: one release, one incident; February: four releases, two incidents (warn
        // is above 1, alarm above 3: four releases would have been an alarm).
        assert_eq!(months, [(1, 1, "healthy"), (4, 2, "warn")]);
        assert!(r.guidance[0].starts_with("Warning: more than 1 incidents"));
        assert_eq!(
            r.grouped_incidents.len(),
            1,
            "INC-2 and v9.9.1 are one release each"
        );
        let inc = &r.grouped_incidents[0];
        assert_eq!(inc.id, "INC-1");
        assert_eq!(inc.month.to_string(), "2026-01");
        assert_eq!(inc.lines, ["2.1", "2.0", "1.10"]);
        assert_eq!(inc.releases, ["v2.1.1", "v2.0.4", "v1.10.2"]);
        // February alone: INC-1 began in January, so February has two incidents and four
        // releases; the previous month had one incident and one release.
        let r = report(&all, &opts("2026-02", "2026-02"));
        assert_eq!((r.incidents, r.releases), (2, 4));
        assert_eq!(r.trend.previous_incidents, 1);
        assert_eq!(r.trend.previous_releases, 1);
        assert_eq!((r.trend.change, r.trend.direction), (1, "up"));
        // The line filter counts the incidents with a release on the line.
        let mut o = opts("2026-01", "2026-02");
        o.line = Some("2.0".into());
        let r = report(&all, &o);
        assert_eq!((r.incidents, r.releases), (1, 1));
        assert!(r.grouped_incidents.is_empty());
    }

    #[test]
    fn untracked_tags_on_other_lines_within_48_hours_sharing_a_patch_id_are_one_incident() {
        let tags = [
            ("2.1", t("2026-01-10T00:00:00Z")),
            ("2.0", t("2026-01-10T10:00:00Z")),
            ("1.9", t("2026-01-13T10:00:00Z")), // three days later
            ("1.8", t("2026-01-12T09:00:00Z")), // 47 h after 2.0: chains with it
            ("2.1", t("2026-02-01T00:00:00Z")),
            ("2.1", t("2026-02-01T01:00:00Z")), // same line only: no candidate
        ];
        let all = (t("2000-01-01T00:00:00Z"), t("2100-01-01T00:00:00Z"));
        assert_eq!(
            inference_candidates(&tags, all),
            [true, true, true, true, false, false]
        );
        // A run of tags entirely outside the report's span is never read; a run reaching into
        // it is read whole (v1.8's tag chains the run to January 13).
        let january_13 = (t("2026-01-13T00:00:00Z"), t("2026-01-14T00:00:00Z"));
        assert_eq!(
            inference_candidates(&tags, january_13),
            [true, true, true, true, false, false]
        );
        let february = (t("2026-02-01T00:00:00Z"), t("2026-03-01T00:00:00Z"));
        assert_eq!(
            inference_candidates(&tags, february),
            [false, false, false, false, false, false]
        );
        assert_eq!(
            Month::parse("2026-02")
                .unwrap()
                .start(Zone::parse("+02:00").unwrap()),
            t("2026-01-31T22:00:00Z")
        );
        let ids = vec![
            vec!["fix"],
            vec!["fix", "other"],
            vec!["fix"],
            vec!["other"],
            vec!["fix"],
            vec!["fix"],
        ];
        assert_eq!(infer_incidents(&tags, &ids), [0, 0, 2, 0, 4, 5]);
        // Unrelated fixes: each its own.
        let ids = vec![vec!["a"], vec!["b"], vec![], vec![], vec![], vec![]];
        assert_eq!(infer_incidents(&tags, &ids), [0, 1, 2, 3, 4, 5]);
        assert!(inference_candidates(&[], all).is_empty());
    }

    #[test]
    fn an_incident_is_open_past_the_target_while_a_started_line_has_not_closed() {
        let member = |line: &str, started: &str, closed: Option<(&str, &'static str)>| Member {
            repo: None,
            incident: "INC-7".into(),
            id: format!("v{line}.1"),
            line: line.into(),
            started_at: Some(t(started)),
            detected_at: Some(t("2026-01-10T08:00:00Z")),
            closed: closed.map(|(w, h)| (t(w), h)),
        };
        let members = vec![
            member(
                "2.1",
                "2026-01-10T09:00:00Z",
                Some(("2026-01-10T10:00:00Z", "shipped")),
            ),
            member(
                "2.0",
                "2026-01-10T09:00:00Z",
                Some(("2026-01-10T10:30:00Z", "skipped")),
            ),
            member("1.9", "2026-01-10T09:00:00Z", None),
        ];
        let two_hours = Duration::hours(2);
        // Detected at 08:00: at 09:59 it is not yet past the target, at 10:01 it is.
        assert!(open_incidents(&members, t("2026-01-10T09:59:00Z"), two_hours, None).is_empty());
        let open = open_incidents(&members, t("2026-01-10T10:01:00Z"), two_hours, None);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].open_minutes, 121);
        let names = |v: &[LineState]| {
            v.iter()
                .map(|l| (l.line.clone(), l.state))
                .collect::<Vec<_>>()
        };
        // 2.0 was skipped only at 10:30: open then.
        assert_eq!(
            names(&open[0].open_lines),
            [("2.0".into(), "in progress"), ("1.9".into(), "in progress")]
        );
        assert_eq!(
            names(&open[0].closed_lines),
            [("2.1".to_string(), "shipped")]
        );
        let later = open_incidents(&members, t("2026-01-11T00:00:00Z"), two_hours, None);
        assert_eq!(
            names(&later[0].open_lines),
            [("1.9".to_string(), "in progress")]
        );
        // With --line, only incidents with a hotfix on that line.
        assert!(
            open_incidents(&members, t("2026-01-11T00:00:00Z"), two_hours, Some("1.8")).is_empty()
        );
        // Every line closed: nothing open.
        let mut closed = members.clone();
        closed[2].closed = Some((t("2026-01-10T12:00:00Z"), "abandoned"));
        assert!(open_incidents(&closed, t("2026-01-11T00:00:00Z"), two_hours, None).is_empty());
    }
}
