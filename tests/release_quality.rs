//! Release quality on a built history with hand-computed answers: per minor release, the
//! hotfixes its line needed and the days to the first; the share hotfixed within 30 days,
//! counting only X.Y.0 releases at least 30 days old at the end of --until.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;
use serde_json::{Value, json};

/// Tags (annotated, dated by the tagger) at known days:
/// - v1.0.0 2026-01-05, v1.0.1 three days later, v1.0.2 2026-02-20;
/// - v1.1.0 2026-02-01, its first hotfix v1.1.1 42 days later (2026-03-15);
/// - v1.2.0 2026-03-20, no hotfix;
/// - v1.3.0 2026-06-10 and v1.3.1 two days later: under 30 days old at the end of June;
/// - v2.0.0-rc.1 2026-04-01, a pre-release, and v0.9.0 2025-11-01, before the period.
fn history() -> Sandbox {
    let s = Sandbox::empty();
    let mut n = 0;
    for (tag, date) in [
        ("v0.9.0", "2025-11-01T10:00:00Z"),
        ("v1.0.0", "2026-01-05T10:00:00Z"),
        ("v1.0.1", "2026-01-08T10:00:00Z"),
        ("v1.1.0", "2026-02-01T10:00:00Z"),
        ("v1.0.2", "2026-02-20T10:00:00Z"),
        ("v1.1.1", "2026-03-15T10:00:00Z"),
        ("v1.2.0", "2026-03-20T10:00:00Z"),
        ("v2.0.0-rc.1", "2026-04-01T10:00:00Z"),
        ("v1.3.0", "2026-06-10T10:00:00Z"),
        ("v1.3.1", "2026-06-12T10:00:00Z"),
    ] {
        n += 1;
        s.commit(&[("a", &format!("{n}\n"))], "change");
        s.git_at(date, &["tag", "-a", tag, "-m", tag]);
    }
    s
}

fn report(s: &Sandbox, extra: &[&str]) -> Value {
    let mut args = vec![
        "report", "--since", "2026-01", "--until", "2026-06", "--format", "json",
    ];
    args.extend(extra);
    let out = s.hotfix(&args);
    out.ok();
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn each_minor_release_its_hotfixes_and_the_30_day_share() {
    let s = history();
    let doc = report(&s, &[]);
    let q = &doc["release_quality"];
    let rows: Vec<(String, u64, Value, bool, bool)> = q["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["release"].as_str().unwrap().to_string(),
                r["hotfixes"].as_u64().unwrap(),
                r["days_to_first_hotfix"].clone(),
                r["within_30_days"].as_bool().unwrap(),
                r["counted"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("v1.0.0".to_string(), 2, json!(3.0), true, true),
            ("v1.1.0".to_string(), 1, json!(42.0), false, true),
            ("v1.2.0".to_string(), 0, Value::Null, false, true),
            ("v1.3.0".to_string(), 1, json!(2.0), true, false),
        ]
    );
    // Counted: v1.0.0, v1.1.0, v1.2.0 (v1.3.0 is under 30 days old); hotfixed within 30 days:
    // v1.0.0 only.
    assert_eq!(
        q["hotfixed_within_30_days"],
        json!({"count": 1, "of": 3, "share": 0.3333})
    );
    assert_eq!(q["releases"][0]["released_at"], "2026-01-05T10:00:00Z");
    assert_eq!(q["releases"][0]["month"], "2026-01");

    // One line only.
    let one = report(&s, &["--line", "1.1"]);
    assert_eq!(
        one["release_quality"]["releases"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        one["release_quality"]["hotfixed_within_30_days"],
        json!({"count": 0, "of": 1, "share": 0.0})
    );

    // Every format says it.
    let text = |format: &str| {
        let out = s.hotfix(&[
            "report", "--since", "2026-01", "--until", "2026-06", "--format", format,
        ]);
        out.ok();
        out.stdout.clone()
    };
    let table = text("table");
    assert!(
        table.contains("release quality: 1 of 3 minor release(s) at least 30 days old needed a hotfix within 30 days (33%)"),
        "{table}"
    );
    assert!(table.contains("  v1.1.0  2026-02-01  1 hotfix(es), the first after 42 day(s)"));
    assert!(table.contains(
        "  v1.3.0  2026-06-10  1 hotfix(es), the first after 2 day(s) (under 30 days old)"
    ));
    let md = text("markdown");
    assert!(
        md.contains("| v1.2.0 | 2026-03-20 | 0 | none yet | no |"),
        "{md}"
    );
    assert!(
        md.contains("| v1.3.0 | 2026-06-10 | 1 | 2.0 | yes, under 30 days old, not counted |"),
        "{md}"
    );
    let html = text("html");
    assert!(html.contains("<table id=\"release-quality\">"));
    assert!(
        html.contains("<td>v1.0.0</td><td>2026-01-05</td>"),
        "{html}"
    );
    let csv = text("csv");
    let month = |m: &str| {
        csv.lines()
            .find(|l| l.starts_with(m))
            .unwrap()
            .rsplitn(3, ',')
            .take(2)
            .collect::<Vec<_>>()
            .join(",")
    };
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",minor_releases,minor_releases_hotfixed_within_30_days")
    );
    // Columns from the right: hotfixed within 30 days, then minor releases.
    assert_eq!(month("2026-01"), "1,1");
    assert_eq!(month("2026-02"), "0,1");
    assert_eq!(
        month("2026-04"),
        "0,0",
        "a pre-release is not a minor release"
    );
    assert_eq!(month("2026-06"), "1,1");
}
