//! `hotfix report` and the events after ship, on generated repositories with answers computed
//! by hand: every figure in the JSON is asserted.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Out, Sandbox, run_hotfix};
use serde_json::{Value, json};

fn doc(out: &Out) -> Value {
    out.ok();
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.all()))
}

fn at(s: &Sandbox, time: &str, args: &[&str]) -> Out {
    s.hotfix_env(
        args,
        &[("GIT_COMMITTER_DATE", time), ("GIT_AUTHOR_DATE", time)],
    )
}

/// Ships one tracked hotfix on `line`, detected and shipped at the given times.
fn ship(
    s: &Sandbox,
    n: usize,
    line: &str,
    severity: &str,
    detected: &str,
    shipped: &str,
    with_test: bool,
) -> String {
    s.git(&["switch", "-q", "main"]);
    let path = if with_test {
        format!("tests/fix_{n}.txt")
    } else {
        format!("src/fix_{n}.txt")
    };
    let fix = s.commit(&[(&path, &format!("fix {n}\n"))], &format!("fix {n}"));
    s.push_main();
    at(
        s,
        detected,
        &[
            "start",
            "--line",
            line,
            "--severity",
            severity,
            "--detected-at",
            detected,
        ],
    )
    .ok();
    at(s, detected, &["pick", &fix]).ok();
    let mut args = vec!["ship", "--reviewer", "Rita <rita@example.com>", "--yes"];
    if !with_test {
        args.extend([
            "--override",
            "regression-test",
            "--reason",
            "test in follow-up",
        ]);
    }
    at(s, shipped, &args).ok();
    s.git(&["describe", "--tags", "--exact-match", "HEAD"])
}

/// The scenario: three tracked hotfixes around a year boundary, untracked patch tags (annotated
/// and lightweight, with known tagger and commit dates), a rollback with a rollback release.
fn scenario() -> Sandbox {
    let s = Sandbox::empty();
    s.commit(&[("README", "r\n")], "init");
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.commit(&[("README", "r2\n")], "two");
    s.git(&["tag", "-a", "v2.0.0", "-m", "v2.0.0"]);
    s.publish();

    let h1 = ship(
        &s,
        1,
        "1.0",
        "sev1",
        "2025-12-31T22:00:00Z",
        "2025-12-31T23:30:00Z",
        true,
    );
    assert_eq!(h1, "v1.0.1");
    let h2 = ship(
        &s,
        2,
        "1.0",
        "sev2",
        "2026-01-05T10:00:00Z",
        "2026-01-05T14:00:00Z",
        true,
    );
    assert_eq!(h2, "v1.0.2");
    at(
        &s,
        "2026-01-05T16:00:00Z",
        &["deployed", "v1.0.2", "--at", "2026-01-05T15:00:00Z"],
    )
    .ok();
    at(
        &s,
        "2026-01-06T09:00:00Z",
        &["rollback", "v1.0.2", "--revert", "--reason", "latency"],
    )
    .ok();
    let h3 = ship(
        &s,
        3,
        "2.0",
        "sev2",
        "2026-01-20T09:00:00Z",
        "2026-01-20T09:45:00Z",
        false,
    );
    assert_eq!(h3, "v2.0.1");
    at(&s, "2026-01-20T10:00:00Z", &["deployed", "v2.0.1"]).ok();
    at(
        &s,
        "2026-01-20T11:00:00Z",
        &["verify", "v2.0.1", "--note", "ok"],
    )
    .ok();
    let retro = s.home().join("retro.md");
    at(
        &s,
        "2026-01-21T11:00:00Z",
        &["retro", "v2.0.1", "--output", retro.to_str().unwrap()],
    )
    .ok();

    // Untracked: an annotated tag dated by its tagger, lightweight tags dated by their commit.
    s.git(&["switch", "-q", "main"]);
    let commit_at = |date: &str, msg: &str| {
        s.git_at(date, &["commit", "-q", "--allow-empty", "-m", msg]);
        s.rev("HEAD")
    };
    commit_at("2025-06-01T00:00:00Z", "old commit");
    s.git_at(
        "2026-02-10T12:00:00Z",
        &["tag", "-a", "v1.0.9", "-m", "v1.0.9"],
    );
    let c = commit_at("2026-01-25T08:00:00Z", "for 2.0.7");
    s.git(&["tag", "v2.0.7", &c]);
    let c = commit_at("2025-11-15T08:00:00Z", "for 2.0.5");
    s.git(&["tag", "v2.0.5", &c]);
    s
}

const REPORT: [&str; 7] = [
    "report", "--format", "json", "--since", "2025-12", "--until", "2026-02",
];

fn report(s: &Sandbox, extra: &[&str]) -> Value {
    let mut args = REPORT.to_vec();
    args.extend_from_slice(extra);
    doc(&at(s, "2026-03-01T00:00:00Z", &args))
}

#[test]
fn every_figure_matches_the_hand_computed_answer() {
    let s = scenario();
    let r = report(&s, &[]);
    assert_eq!(r["schema"], 1);
    assert_eq!(r["since"], "2025-12");
    assert_eq!(r["until"], "2026-02");
    assert_eq!(r["timezone"], "UTC");
    assert_eq!(r["target_minutes"], 120);
    assert_eq!(r["total"], 5, "{r:#}");
    assert_eq!(r["tracked"], 3);
    assert_eq!(r["untracked"], 2);
    // Every hotfix here is its own incident (each `start` made one).
    assert_eq!(
        (r["incidents"].clone(), r["releases"].clone()),
        (json!(5), json!(5))
    );
    assert_eq!(r["inferred_incidents"], 0);
    assert_eq!(
        r["grouped_incidents"],
        json!([]),
        "no incident of several releases"
    );
    assert_eq!(
        r["months"],
        json!([
            {"month": "2025-12", "total": 1, "tracked": 1, "untracked": 0, "level": "healthy", "incidents": 1, "releases": 1, "moving_average": 0.6667},
            {"month": "2026-01", "total": 3, "tracked": 2, "untracked": 1, "level": "elevated", "incidents": 3, "releases": 3, "moving_average": 1.6667},
            {"month": "2026-02", "total": 1, "tracked": 0, "untracked": 1, "level": "healthy", "incidents": 1, "releases": 1, "moving_average": 1.6667},
        ])
    );
    // The 3-month moving average: (Oct 0 + Nov 1 + Dec 1) / 3, (Nov 1 + Dec 1 + Jan 3) / 3,
    // (Dec 1 + Jan 3 + Feb 1) / 3: flat at the end.
    // The previous three months (2025-09 to 2025-11) hold the untracked v2.0.5.
    assert_eq!(
        r["trend"],
        json!({"previous_since": "2025-09", "previous_until": "2025-11", "previous_total": 1, "change": 4, "direction": "up",
               "incidents": 5, "previous_incidents": 1, "releases": 5, "previous_releases": 1,
               "moving_average": 1.6667, "moving_direction": "flat"})
    );
    assert_eq!(
        r["by_line"],
        json!([{"name": "1.0", "count": 3, "previous": 0}, {"name": "2.0", "count": 2, "previous": 1}])
    );
    assert_eq!(
        r["by_severity"],
        json!([
            {"name": "sev1", "count": 1, "previous": 0},
            {"name": "sev2", "count": 2, "previous": 0},
            {"name": "unknown", "count": 2, "previous": 1}
        ])
    );
    // Detection to ship: 90, 240 and 45 minutes.
    assert_eq!(
        r["detection_to_ship"],
        json!({"count": 3, "median_minutes": 90.0, "p90_minutes": 240.0, "under_target": 2, "share_under_target": 0.6667})
    );
    // Detection to deploy: v1.0.2 at 300 minutes, v2.0.1 at 60 (deployed at 10:00).
    assert_eq!(
        r["detection_to_deploy"],
        json!({"count": 2, "median_minutes": 180.0, "p90_minutes": 300.0, "under_target": 1, "share_under_target": 0.5})
    );
    assert_eq!(
        r["overrides"],
        json!([{"name": "regression-test", "count": 1, "previous": 0}])
    );
    assert_eq!(r["overridden_hotfixes"], 1);
    // Rates rest on tracked hotfixes only: an untracked tag has no rollback data.
    assert_eq!(
        r["rollbacks"],
        json!({"count": 1, "of": 3, "share": 0.3333})
    );
    assert_eq!(r["verified"], json!({"count": 1, "of": 3, "share": 0.3333}));
    assert_eq!(r["retros"], json!({"count": 1, "of": 3, "share": 0.3333}));
    assert_eq!(
        r["modified_picks"],
        json!({"count": 0, "of": 3, "share": 0.0})
    );
    let ids: Vec<&str> = r["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    // The rollback release v1.0.3 belongs to v1.0.2 and is not counted on its own.
    assert_eq!(ids, ["v1.0.1", "v1.0.2", "v2.0.1", "v2.0.7", "v1.0.9"]);
    let untracked: Vec<&Value> = r["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["tracked"] == false)
        .collect();
    assert_eq!(
        untracked[0]["shipped_at"], "2026-01-25T08:00:00Z",
        "lightweight: the commit date"
    );
    assert_eq!(
        untracked[1]["shipped_at"], "2026-02-10T12:00:00Z",
        "annotated: the tagger date"
    );
}

#[test]
fn line_filter_time_zone_and_thresholds() {
    let s = scenario();
    let r = report(&s, &["--line", "1.0"]);
    assert_eq!(r["total"], 3);
    assert_eq!(r["line"], "1.0");
    assert_eq!(r["trend"]["previous_total"], 0);
    // In UTC+2, the hotfix shipped at 23:30 UTC on 31 December lands in January.
    let cfg = s.config_file(
        "tz.toml",
        "[report]\ntimezone = \"+02:00\"\nwarn = 1\nalarm = 3\n",
    );
    let r = report(&s, &["--config", &cfg]);
    assert_eq!(r["timezone"], "+02:00");
    assert_eq!(r["months"][0]["total"], 0);
    assert_eq!(r["months"][1]["total"], 4);
    assert_eq!(r["months"][1]["level"], "alarm");
    assert_eq!(r["months"][2]["level"], "healthy");
    assert!(
        r["guidance"][0]
            .as_str()
            .unwrap()
            .starts_with("Alarm: more than 3"),
        "{}",
        r["guidance"]
    );
    // An IANA name: Europe/Berlin is UTC+1 in winter, so 23:30 UTC on 31 December is
    // already January there too.
    let berlin = s.config_file("berlin.toml", "[report]\ntimezone = \"Europe/Berlin\"\n");
    let r = report(&s, &["--config", &berlin]);
    assert_eq!(r["timezone"], "Europe/Berlin");
    assert_eq!(r["months"][0]["total"], 0);
    assert_eq!(r["months"][1]["total"], 4);
    let bad = s.config_file("badtz.toml", "[report]\ntimezone = \"Europe/Pariss\"\n");
    at(&s, "2026-03-01T00:00:00Z", &["report", "--config", &bad])
        .code(2)
        .says("'Europe/Pariss' is not a time zone")
        .says("did you mean Europe/Paris");
    at(
        &s,
        "2026-03-01T00:00:00Z",
        &["report", "--since", "2026-13"],
    )
    .code(2)
    .says("YYYY-MM");
    at(
        &s,
        "2026-03-01T00:00:00Z",
        &["report", "--since", "2026-03", "--until", "2026-01"],
    )
    .code(2);
}

#[test]
fn prefixed_tags_and_several_repositories() {
    let a = Sandbox::empty();
    a.commit(
        &[(
            ".hotfix.toml",
            "[release]\ntag = \"api/v{version}\"\n[report]\nwarn = 0\nalarm = 1\n",
        )],
        "config",
    );
    a.git(&["tag", "-a", "api/v1.0.0", "-m", "x"]);
    let c = a.commit(&[("a", "a\n")], "a");
    a.git_at(
        "2026-01-15T00:00:00Z",
        &["tag", "-a", "api/v1.0.1", "-m", "x", &c],
    );
    a.git(&["tag", "web/v1.0.1", &c]);
    a.git(&["tag", "api/v1.1.0-rc.1", &c]);
    a.publish();
    let b = scenario();
    let run = |format: &str| {
        run_hotfix(
            &b.work,
            &b.home(),
            &[
                "report",
                "--format",
                format,
                "--since",
                "2025-12",
                "--until",
                "2026-02",
                "-C",
                a.work.to_str().unwrap(),
                "-C",
                b.work.to_str().unwrap(),
            ],
            &[("GIT_COMMITTER_DATE", "2026-03-01T00:00:00Z")],
        )
    };
    let out = run("json");
    let r = doc(&out);
    assert_eq!(r["total"], 6);
    let first = &r["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "api/v1.0.1")
        .unwrap();
    // Both folders are named `work`: each repository is named by its path instead.
    assert_eq!(first["repo"], a.work.to_str().unwrap());
    assert_eq!(first["tracked"], false);
    assert_eq!(first["shipped_at"], "2026-01-15T00:00:00Z");
    // A row per repository, each judged by its own thresholds, and lines named with theirs.
    let rows = r["repositories"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{r}");
    assert_eq!(rows[0]["name"], a.work.to_str().unwrap());
    assert_eq!(rows[0]["total"], 1);
    assert_eq!(rows[1]["total"], 5);
    // `a` (one incident in January) is over its own warn threshold of 0; `b`'s busiest month
    // (3 incidents) is under its defaults of 5 and 10, which a sum of the thresholds (5 and
    // 11) would have hidden for `a`.
    assert_eq!(rows[0]["level"], "warn", "{r}");
    assert_eq!(
        (&rows[0]["warn"], &rows[0]["alarm"]),
        (&json!(0), &json!(1))
    );
    assert_eq!(rows[1]["level"], "elevated", "{r}");
    assert_eq!(
        (&rows[1]["warn"], &rows[1]["alarm"]),
        (&json!(5), &json!(10))
    );
    // The total counts all of them and has no level; nor have the combined months.
    let total = &r["repositories_total"];
    assert_eq!(total["total"], 6, "{r}");
    assert_eq!(total["tracked"], 3);
    assert_eq!(total["busiest"], 4, "January: a's one and b's three");
    assert!(total.get("level").is_none(), "{total}");
    assert!(
        r["months"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["level"] == "none"),
        "{r}"
    );
    let guidance = r["guidance"][0].as_str().unwrap();
    assert!(
        guidance.starts_with(&format!(
            "{}: 1 incident(s) in its busiest month, warn",
            a.work.display()
        )),
        "{guidance}"
    );
    let lines: Vec<&str> = r["by_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        lines.contains(&format!("{} 1.0", a.work.display()).as_str()),
        "{lines:?}"
    );
}

#[test]
fn table_markdown_csv_and_html_formats() {
    let s = scenario();
    let run = |fmt: &str| {
        let out = at(
            &s,
            "2026-03-01T00:00:00Z",
            &[
                "report", "--format", fmt, "--since", "2025-12", "--until", "2026-02",
            ],
        );
        out.ok();
        out.stdout
    };
    let table = run("table");
    assert!(
        table.contains("2026-01          3         3        2          1  "),
        "{table}"
    );
    assert!(
        table.contains("5 incident(s), 5 release(s) (3 tracked, 2 untracked); previous 3 months (2025-09 to 2025-11): 1 incident(s), 1 release(s) (+4 incidents, up)"),
        "{table}"
    );
    assert!(
        table.contains("detection to ship: median 90m, p90 4.0h, 2 of 3 (67%) under 2h"),
        "{table}"
    );
    assert!(
        table.contains("0-2 incidents a month is healthy."),
        "{table}"
    );
    assert!(
        table.contains("3-month moving average: 1.67 incident(s) a month at 2026-02 (flat)"),
        "{table}"
    );
    let md = run("markdown");
    assert!(
        md.contains("3-month moving average: 1.6667 incident(s) a month at 2026-02 (flat)."),
        "{md}"
    );
    assert!(
        md.contains("| 2026-01 | 3 | 3 | 2 | 1 | elevated |"),
        "{md}"
    );
    assert!(md.contains("| rollbacks | 1 of 3 (33%) |"), "{md}");
    // Every rate says n of N.
    assert!(
        md.contains("| detection to deploy | median 3.0h, p90 5.0h, 1 of 2 (50%) under 2h |"),
        "{md}"
    );
    assert!(
        md.contains("> 2 of 3 hotfixes (67%) shipped within 2h of detection"),
        "{md}"
    );
    let csv = run("csv");
    assert_eq!(
        csv,
        "month,total,tracked,untracked,level,incidents,releases,open_past_target,minor_releases,minor_releases_hotfixed_within_30_days\n2025-12,1,1,0,healthy,1,1,,0,0\n2026-01,3,2,1,elevated,3,3,,0,0\n2026-02,1,0,1,healthy,1,1,,0,0\n"
    );
    let html = run("html");
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(
        html.matches("<rect class=\"bar ").count()
            - html.matches("<rect class=\"bar recovery").count(),
        3,
        "one bar per month"
    );
    assert_eq!(html.matches("class=\"threshold\"").count(), 2);
    assert!(
        html.contains("<b>2 of 3 (67%)</b><span>shipped within 2h</span>"),
        "{html}"
    );
    let out = s.home().join("r.html");
    at(
        &s,
        "2026-03-01T00:00:00Z",
        &[
            "report",
            "--format",
            "html",
            "--output",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    assert!(std::fs::read_to_string(&out).unwrap().contains("<svg"));
}

#[test]
fn lifecycle_events_refuse_what_makes_no_sense() {
    let s = scenario();
    // Not shipped, deployed before shipping, verified before deployment, unknown id.
    s.git(&["switch", "-q", "main"]);
    at(&s, "2026-02-01T00:00:00Z", &["start", "--line", "2.0"]).ok();
    at(&s, "2026-02-01T00:00:00Z", &["deployed", "v2.0.8"])
        .code(2)
        .says("has not shipped");
    at(
        &s,
        "2026-02-01T00:00:00Z",
        &["deployed", "v2.0.1", "--at", "2026-01-01T00:00:00Z"],
    )
    .code(2)
    .says("shipped at");
    at(&s, "2026-02-01T00:00:00Z", &["verify", "v1.0.1"])
        .code(2)
        .says("no deployment");
    at(&s, "2026-02-01T00:00:00Z", &["show", "v9.9.9"])
        .code(2)
        .says("no hotfix");
    at(&s, "2026-02-01T00:00:00Z", &["abandon", "v1.0.1"])
        .code(2)
        .says("has shipped");
    at(
        &s,
        "2026-02-01T00:00:00Z",
        &["abandon", "--reason", "not needed"],
    )
    .ok();
    assert_eq!(s.event_types("v2.0.8"), ["started", "abandoned"]);
    // The rollback with --revert: revert commits on the branch, the rollback release tagged.
    let types = s.event_types("v1.0.2");
    assert_eq!(
        types,
        ["started", "picked", "shipped", "deployed", "rolled_back"]
    );
    let ev = s.events("v1.0.2");
    let rb = &ev[4];
    assert_eq!(rb["to"], "v1.0.1");
    assert_eq!(rb["reason"], "latency");
    assert_eq!(rb["revert"]["tag"], "v1.0.3");
    assert_eq!(s.rev("v1.0.3^{commit}"), s.rev("hotfix/1.0.2"));
    assert_eq!(
        s.rev("hotfix/1.0.2^{tree}"),
        s.rev("v1.0.1^{tree}"),
        "the revert restores the previous release's tree"
    );
    assert!(
        s.git(&["log", "-1", "--format=%s", "hotfix/1.0.2"])
            .starts_with("Revert \"fix 2\"")
    );
    assert!(
        s.git(&["cat-file", "-p", "v1.0.3"])
            .contains("Hotfix-Rollback-Of: v1.0.2")
    );
    // The retro was written from the record.
    let retro = std::fs::read_to_string(s.home().join("retro.md")).unwrap();
    assert!(retro.contains("# Post-incident review: v2.0.1"), "{retro}");
    assert!(retro.contains("| Detection to ship | 45m |"), "{retro}");
    assert!(
        retro.contains("- 2026-01-20 09:00: problem detected"),
        "{retro}"
    );
    assert!(
        retro.contains("- 2026-01-20 10:00: deployed to production"),
        "{retro}"
    );
    assert!(
        retro.contains("Overridden `regression-test`: test in follow-up"),
        "{retro}"
    );
    assert_eq!(s.event_types("v2.0.1").last().unwrap(), "retro");
}

/// The report reads the ledger's facts index where its lines name the records' current blobs,
/// the local cache or the records themselves where they do not: every path gives the same
/// figures, a stale or broken line is never believed, and `sync` rebuilds the index exactly.
#[test]
fn the_index_the_cache_and_the_records_give_the_same_figures() {
    let s = scenario();
    // Every write kept the index current.
    s.assert_index_current(&s.work);
    let index_tree = s.rev("hotfix-ledger:facts");
    let cache = s.work.join(".git/hotfix/report-cache.json");
    let _ = std::fs::remove_file(&cache);
    let from_index = report(&s, &[]);
    assert_eq!(from_index["total"], 5, "{from_index:#}");

    // A ledger without its index (an older hotfix wrote it): read from the records, then
    // from the local cache.
    s.edit_ledger("drop the index", |git| {
        git(&["rm", "-r", "-q", "--cached", "facts"]);
    });
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "hotfix-ledger:facts"]));
    let _ = std::fs::remove_file(&cache);
    let first = at(&s, "2026-03-01T00:00:00Z", &REPORT);
    first.says("read 3 record(s) that the ledger's facts index does not cover");
    assert_eq!(doc(&first), from_index);
    assert!(cache.exists());
    let again = at(&s, "2026-03-01T00:00:00Z", &REPORT);
    assert!(!again.stderr.contains("facts index"), "{}", again.stderr);
    assert_eq!(doc(&again), from_index);

    // `sync` rebuilds the index, byte for byte what the writes had made.
    s.hotfix(&["sync"])
        .ok()
        .says("indexed the ledger's records");
    assert_eq!(s.rev("hotfix-ledger:facts"), index_tree);
    s.assert_index_current(&s.work);
    s.assert_index_current(&s.origin);
    // With nothing to index, sync writes no index commit.
    let tip = s.rev("hotfix-ledger");
    s.hotfix(&["sync"]).ok();
    assert_eq!(s.rev("hotfix-ledger"), tip);

    // A record changed by hand leaves its index line stale: the report reads the record.
    let record = s.git(&["show", "hotfix-ledger:records/v1.0.1.jsonl"]);
    let verified = r#"{"schema":1,"type":"verified","id":"v1.0.1","at":"2026-01-01T08:00:00Z","by":"Ann <ann@example.com>","note":"by hand"}"#;
    let file = s.home().join("v1.0.1.jsonl");
    std::fs::write(&file, format!("{record}\n{verified}\n")).unwrap();
    // ... and lines of garbage in another record's shard are skipped. (Shards are two hex
    // digits of the FNV-1a hash of the id: v1.0.1 is in 0b, v1.0.2 in 9e.)
    let other_shard = "facts/v4/9e.jsonl";
    let garbage = s.home().join("shard.jsonl");
    let shard_text = s.git(&["show", &format!("hotfix-ledger:{other_shard}")]);
    std::fs::write(&garbage, format!("not json\n{shard_text}\n[1,2]\n")).unwrap();
    s.edit_ledger("by hand", |git| {
        let blob = git(&["hash-object", "-w", file.to_str().unwrap()]);
        git(&[
            "update-index",
            "--cacheinfo",
            &format!("100644,{blob},records/v1.0.1.jsonl"),
        ]);
        let blob = git(&["hash-object", "-w", garbage.to_str().unwrap()]);
        git(&[
            "update-index",
            "--cacheinfo",
            &format!("100644,{blob},{other_shard}"),
        ]);
    });
    let edited = report(&s, &[]);
    assert_eq!(
        edited["verified"],
        json!({"count": 2, "of": 3, "share": 0.6667})
    );
    // Detected 22:00, verified 08:00: ten hours, beside v2.0.1's two.
    assert_eq!(
        edited["detection_to_verified"],
        json!({"count": 2, "median_minutes": 360.0, "p90_minutes": 600.0, "share_under_target": 0.5, "under_target": 1})
    );
    let mut expected = from_index.clone();
    expected["verified"] = edited["verified"].clone();
    expected["detection_to_verified"] = edited["detection_to_verified"].clone();
    expected["recovery_distribution"] = edited["recovery_distribution"].clone();
    for h in expected["hotfixes"].as_array_mut().unwrap() {
        if h["id"] == "v1.0.1" {
            h["verified"] = json!(true);
            h["verified_at"] = json!("2026-01-01T08:00:00Z");
        }
    }
    assert_eq!(edited, expected);
    // The next sync brings the stale line up to date and drops the garbage.
    s.hotfix(&["sync"]).ok();
    s.assert_index_current(&s.work);
    let line = s
        .index_in(&s.work)
        .into_iter()
        .find(|(id, _, _)| id == "v1.0.1")
        .unwrap();
    assert_eq!(line.2[9], json!(true), "verified, in the rebuilt line");
    let _ = std::fs::remove_file(&cache);
    assert_eq!(report(&s, &[]), edited);

    // A record removed by hand: its index line is never read, and the tag v1.0.1 is then an
    // untracked patch release like any other.
    s.edit_ledger("remove v1.0.1", |git| {
        git(&["rm", "-q", "--cached", "records/v1.0.1.jsonl"]);
    });
    let removed = report(&s, &[]);
    assert_eq!(
        (removed["total"].clone(), removed["tracked"].clone()),
        (json!(5), json!(2))
    );
    let v101 = removed["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "v1.0.1")
        .unwrap();
    assert_eq!(v101["tracked"], false);
    // The ledger is append-only: origin still holds the record, so sync does not push the
    // removal but restores it (issue 12, item 13), and indexes it again.
    s.hotfix(&["sync"])
        .ok()
        .says("removed lines of 1 record(s) (v1.0.1)");
    s.assert_index_current(&s.work);
    assert!(s.index_in(&s.work).iter().any(|(id, _, _)| id == "v1.0.1"));
    assert_eq!(report(&s, &[])["tracked"], json!(3));
}

const AUDIT: [&str; 5] = ["audit", "--since", "2025-12", "--until", "2026-02"];

fn audit(s: &Sandbox, extra: &[&str]) -> Out {
    let mut args = AUDIT.to_vec();
    args.extend_from_slice(extra);
    at(s, "2026-03-01T00:00:00Z", &args)
}

/// The audit reads the ledger's audit index where its lines name the records' current blobs,
/// the records where they do not, and only the records with `--from-records`: every path gives
/// the same document, and a line that says otherwise than its record is named. The built-in
/// markdown, written directly, is what the template itself renders.
#[test]
fn the_audit_index_and_the_records_give_the_same_audit() {
    let s = scenario();
    s.assert_index_current(&s.work);
    let lines = s.index_at(&s.work, "facts/audit-v2");
    assert_eq!(lines.len(), 3, "{lines:?}");
    let v101 = &lines.iter().find(|(id, _, _)| id == "v1.0.1").unwrap().2;
    // The trail's fields by position (`Trail`'s order): its shipper, then its tag.
    let fields = v101.as_array().expect("a trail line is an array");
    assert_eq!(fields[10], "v1.0.1", "{v101}");
    assert!(
        fields[9].as_str().is_some_and(|s| s.contains("Olga")),
        "{v101}"
    );

    let indexed = audit(&s, &["--format", "json"]);
    assert!(
        !indexed.stderr.contains("audit index"),
        "{}",
        indexed.stderr
    );
    let from_index = doc(&indexed);
    assert_eq!(from_index["totals"]["rows"], 6, "{from_index:#}");
    assert_eq!(
        doc(&audit(&s, &["--format", "json", "--from-records"])),
        from_index
    );

    // The markdown written directly is, byte for byte, the built-in template evaluated (an
    // override with the same text).
    let written = audit(&s, &[]);
    written.ok();
    s.commit(
        &[(
            ".hotfix/templates/audit.md",
            include_str!("../templates/audit.md"),
        )],
        "the audit template, as built in",
    );
    s.push_main();
    let templated = audit(&s, &[]);
    assert_eq!(templated.ok().stdout, written.stdout);
    assert!(written.stdout.contains("## v1.0.1\n"), "{}", written.stdout);

    // A ledger without the audit index (an older hotfix wrote it): read from the records.
    s.edit_ledger("drop the audit index", |git| {
        git(&["rm", "-r", "-q", "--cached", "facts/audit-v2"]);
    });
    let unindexed = audit(&s, &["--format", "json"]);
    unindexed.says("read 3 record(s) that the ledger's audit index does not cover");
    assert_eq!(doc(&unindexed), from_index);
    s.hotfix(&["sync"])
        .ok()
        .says("indexed the ledger's records");
    s.assert_index_current(&s.work);
    assert_eq!(s.index_at(&s.work, "facts/audit-v2"), lines);

    // A line edited by hand, its blob id kept: `--from-records` reads the record, and names it.
    let shard = "facts/audit-v2/0b.jsonl"; // v1.0.1's shard (FNV-1a of the id)
    let text = s.git(&["show", &format!("hotfix-ledger:{shard}")]);
    assert!(text.contains("\"v1.0.1\""), "{text}");
    s.put_ledger_file(shard, &text.replace("Olga Oncall", "Mallory"), "forge");
    // The default audit believes the line (the index has the records' trust, no more), so it
    // shows the forged shipper ...
    let believed = doc(&audit(&s, &["--format", "json"]));
    assert_ne!(believed, from_index);
    assert!(believed.to_string().contains("Mallory"), "{believed:#}");
    // ... `--from-records` reads the record, and names the line ...
    let checked = audit(&s, &["--format", "json", "--from-records"]);
    checked.says("the ledger's audit index says otherwise than the record of v1.0.1");
    assert_eq!(doc(&checked), from_index);
    // ... and `sync` derives every line again, so the forged one is replaced.
    s.hotfix(&["sync"])
        .ok()
        .says("indexed the ledger's records");
    assert_eq!(s.index_at(&s.work, "facts/audit-v2"), lines);
    assert_eq!(doc(&audit(&s, &["--format", "json"])), from_index);

    // A record changed by hand: its line is stale, so the audit reads the record.
    let record = s.git(&["show", "hotfix-ledger:records/v1.0.2.jsonl"]);
    let retro = r#"{"schema":1,"type":"retro","id":"v1.0.2","at":"2026-02-20T08:00:00Z","by":"Ann <ann@example.com>","file":"retros/v1.0.2.md"}"#;
    s.put_ledger_file(
        "records/v1.0.2.jsonl",
        &format!("{record}\n{retro}\n"),
        "by hand",
    );
    let edited = doc(&audit(&s, &["--format", "json"]));
    let row = edited["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "v1.0.2")
        .unwrap();
    assert_eq!(row["retro"]["detail"], "retros/v1.0.2.md", "{row:#}");
    assert!(
        !row["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("no retro")),
        "{row:#}"
    );
}

#[test]
fn a_rate_over_no_data_is_not_applicable_and_every_rate_says_n_of_n() {
    // Only untracked patch tags: nothing to know about rollbacks, verification or retros.
    let s = Sandbox::empty();
    s.commit(&[("a", "a\n")], "init");
    s.git(&["tag", "-a", "v1.0.0", "-m", "x"]);
    for i in 1..=3 {
        s.commit(&[("a", &format!("a{i}\n"))], "fix");
        s.git_at(
            "2026-01-15T00:00:00Z",
            &["tag", "-a", &format!("v1.0.{i}"), "-m", "x"],
        );
    }
    s.publish();
    let out = at(
        &s,
        "2026-03-01T00:00:00Z",
        &["report", "--since", "2026-01", "--until", "2026-02"],
    );
    out.ok();
    assert!(
        out.stdout
            .contains("rollbacks: 0 of 0 tracked (n/a failed-change rate)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("verified: 0 of 0 tracked (n/a); retros: 0 of 0 (n/a)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("modified picks (changed lines differ from the source): 0 of 0 (n/a)"),
        "{}",
        out.stdout
    );
}
