//! Times as users type them: RFC 3339 (`2026-11-22T01:40:00Z`) or relative (`45m ago`).

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};

/// Parses a time given on the command line, relative to `now`. Accepted forms: RFC 3339 with an
/// offset, `now`, and `<amount><unit> ago` with units s, m, h, d, w (and their long names), which
/// may be combined: `1h30m ago`, `2 hours ago`.
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        let dt = dt.with_timezone(&Utc);
        if dt > now + Duration::minutes(5) {
            return Err(Error::usage(format!("the time '{text}' is in the future"))
                .cause(format!("it is {} now", now.format("%Y-%m-%dT%H:%M:%SZ")))
                .hint("give the time the incident was detected, such as \"45m ago\""));
        }
        return Ok(dt);
    }
    if let Some(rel) = t.strip_suffix("ago") {
        if let Some(d) = parse_duration(rel) {
            return match now
                .checked_sub_signed(d)
                .filter(|_| d <= Duration::days(MAX_DAYS))
            {
                Some(at) => Ok(at),
                None => Err(Error::usage(format!("'{text}' is too far back"))
                    .cause(format!(
                        "a relative time reaches back {MAX_DAYS} days at the most"
                    ))
                    .hint("give the time as RFC 3339, such as 2026-11-22T01:40:00Z")),
            };
        }
    }
    Err(Error::usage(format!("'{text}' is not a time"))
        .cause("times are RFC 3339 (2026-11-22T01:40:00Z, 2026-11-22T02:40:00+01:00) or relative (45m ago, 2h ago, 1h30m ago)")
        .hint("for example --detected-at \"45m ago\""))
}

/// A time from a file (`hotfix import`): RFC 3339, or without a zone (`2024-03-01T10:00`,
/// `2024-03-01 10:00:00.5`) read in `zone`; none given, such a time is refused.
pub fn parse_in_zone(
    text: &str,
    zone: Option<crate::metrics::Zone>,
) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
    .ok_or(
        "not an RFC 3339 time (2024-03-01T10:00:00Z), nor one without a zone (2024-03-01 10:00)",
    )?;
    let zone =
        zone.ok_or("a time without a zone needs --timezone (Europe/Berlin, +02:00 or UTC)")?;
    zone.utc_of(naive)
        .ok_or_else(|| format!("it does not exist in {zone}"))
}

/// The longest duration accepted anywhere (a hundred years): beyond it, date arithmetic would
/// leave the years that RFC 3339 can write.
const MAX_DAYS: i64 = 36_525;

/// Parses a duration such as `45m`, `1h30m`, `2 hours`, `3d`. Returns `None` on anything else,
/// and on a duration longer than a hundred years.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = Duration::zero();
    let mut rest = s;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let amount: i64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start_matches([',', ' ']);
        let step = match unit.to_ascii_lowercase().as_str() {
            "ms" | "msec" | "msecs" => Duration::try_milliseconds(amount),
            "s" | "sec" | "secs" | "second" | "seconds" => Duration::try_seconds(amount),
            "m" | "min" | "mins" | "minute" | "minutes" => Duration::try_minutes(amount),
            "h" | "hr" | "hrs" | "hour" | "hours" => Duration::try_hours(amount),
            "d" | "day" | "days" => Duration::try_days(amount),
            "w" | "week" | "weeks" => Duration::try_weeks(amount),
            _ => return None,
        }?;
        total = total.checked_add(&step)?;
    }
    (total <= Duration::days(MAX_DAYS)).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12, item 19: huge amounts are refused, never a panic in chrono's constructors.
    #[test]
    fn huge_durations_and_times_are_errors_not_panics() {
        for text in [
            "5000000000000d",
            "99999999w",
            "9223372036854775807s",
            "36526d",
            "1d99999999999w",
        ] {
            assert_eq!(parse_duration(text), None, "{text}");
        }
        assert!(parse_duration("36525d").is_some());
        let err = parse_time("99999999w ago", now()).unwrap_err();
        assert!(err.to_string().contains("not a time"), "{err}");
        let err = parse_time("36525d ago", DateTime::from_timestamp(0, 0).unwrap());
        assert!(
            err.is_ok(),
            "a hundred years before 1970 is still a time chrono can hold"
        );
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn relative_forms() {
        let at = |s| parse_time(s, now()).unwrap().to_rfc3339();
        assert_eq!(at("45m ago"), "2026-11-22T02:15:00+00:00");
        assert_eq!(at("2h ago"), "2026-11-22T01:00:00+00:00");
        assert_eq!(at("1h30m ago"), "2026-11-22T01:30:00+00:00");
        assert_eq!(at("2 hours ago"), "2026-11-22T01:00:00+00:00");
        assert_eq!(at("1 day ago"), "2026-11-21T03:00:00+00:00");
        assert_eq!(at("now"), "2026-11-22T03:00:00+00:00");
    }

    #[test]
    fn rfc3339_with_offset_is_converted_to_utc() {
        let t = parse_time("2026-11-22T02:40:00+01:00", now()).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-22T01:40:00+00:00");
    }

    #[test]
    fn bad_and_future_times_are_refused() {
        assert!(parse_time("yesterday-ish", now()).is_err());
        assert!(parse_time("45 parsecs ago", now()).is_err());
        assert!(parse_time("ago", now()).is_err());
        assert!(parse_time("2027-01-01T00:00:00Z", now()).is_err());
    }
}
