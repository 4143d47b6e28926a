//! `hotfix report` counting incidents and releases apart: one incident on several lines,
//! incidents inferred from untracked tags, incidents with a line still open past
//! `report.target`, and `report --missing`. Real repositories; the JSON's numbers and the
//! ledger are asserted, not only the text.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Out, Sandbox, numbered};
use serde_json::{Value, json};

fn at(s: &Sandbox, time: &str, args: &[&str]) -> Out {
    s.hotfix_env(
        args,
        &[("GIT_COMMITTER_DATE", time), ("GIT_AUTHOR_DATE", time)],
    )
}

fn doc(out: &Out) -> Value {
    out.ok();
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.all()))
}

const REVIEWER: &str = "Rita <rita@example.com>";

/// Four lines tagged on mainline, each from the one before: v1.8.0, v1.9.0, v2.0.0, v2.1.0
/// (each adds a file of its own, so `src/app.txt` is the same on every line), then `fixes` on
/// mainline, each changing one line of `src/app.txt` and adding a test. Returns the fixes'
/// shas, in order.
fn four_lines(fixes: usize, config: &str) -> (Sandbox, Vec<String>) {
    let s = Sandbox::empty();
    s.commit(
        &[
            ("src/app.txt", &numbered(40)),
            ("tests/app_test.txt", "test\n"),
            (".hotfix.toml", config),
        ],
        "init",
    );
    s.git(&["tag", "-a", "v1.8.0", "-m", "v1.8.0"]);
    for (n, line) in ["1.9", "2.0", "2.1"].iter().enumerate() {
        s.commit(&[(&format!("src/feature{n}.txt"), "feature\n")], "feature");
        s.git(&["tag", "-a", &format!("v{line}.0"), "-m", line]);
    }
    let mut shas = Vec::new();
    let mut app = numbered(40);
    for i in 0..fixes {
        let n = 3 + i * 5;
        app = app.replace(&format!("line {n}\n"), &format!("line {n} fixed\n"));
        shas.push(s.commit(
            &[
                ("src/app.txt", &app),
                (&format!("tests/fix{i}_test.txt"), "test fix\n"),
            ],
            &format!("fix: crash {i}"),
        ));
    }
    s.publish();
    (s, shas)
}

/// Ships the open lines of the checked-out incident one by one, newest first, at `time`: each
/// but the last with `--line`, as `ship` asks.
fn ship_lines(s: &Sandbox, time: &str, lines: &[&str]) {
    for (i, line) in lines.iter().enumerate() {
        let branch = s
            .git(&[
                "branch",
                "--list",
                &format!("hotfix/{line}.*"),
                "--format=%(refname:short)",
            ])
            .lines()
            .last()
            .unwrap()
            .to_string();
        s.git(&["switch", "-q", &branch]);
        let mut args = vec!["ship", "--yes", "--reviewer", REVIEWER];
        if i + 1 < lines.len() {
            args.extend(["--line", line]);
        }
        at(s, time, &args).ok();
    }
}

#[test]
fn thresholds_and_trend_count_incidents_with_releases_beside_them() {
    let (s, fixes) = four_lines(2, "");
    // INC-9 on two lines, shipped together; then another incident on one line.
    at(
        &s,
        "2026-01-10T09:00:00Z",
        &[
            "start",
            "--line",
            "2.1",
            "--line",
            "2.0",
            "--incident",
            "INC-9",
            "--detected-at",
            "2026-01-10T08:00:00Z",
        ],
    )
    .ok();
    at(&s, "2026-01-10T09:10:00Z", &["pick", &fixes[0]]).ok();
    ship_lines(&s, "2026-01-10T09:30:00Z", &["2.1", "2.0"]);
    s.git(&["switch", "-q", "main"]);
    at(&s, "2026-01-20T09:00:00Z", &["start", "--line", "2.1"]).ok();
    at(&s, "2026-01-20T09:10:00Z", &["pick", &fixes[1]]).ok();
    at(
        &s,
        "2026-01-20T09:30:00Z",
        &["ship", "--yes", "--reviewer", REVIEWER],
    )
    .ok();
    for id in ["v2.1.1", "v2.0.1"] {
        assert_eq!(s.events(id)[0]["incident"], "INC-9", "{id}");
        assert!(s.event_types(id).contains(&"shipped".to_string()), "{id}");
    }
    assert_eq!(s.events("v2.1.2")[0]["incident"], "INC-20260120-1");

    // Three releases in January, two incidents: above warn (1), not above alarm (2).
    let cfg = s.config_file("levels.toml", "[report]\nwarn = 1\nalarm = 2\n");
    let report = |format: &str| {
        at(
            &s,
            "2026-02-15T00:00:00Z",
            &[
                "report", "--format", format, "--since", "2026-01", "--until", "2026-02",
                "--config", &cfg,
            ],
        )
    };
    let r = doc(&report("json"));
    assert_eq!(
        (r["total"].clone(), r["releases"].clone()),
        (json!(3), json!(3))
    );
    assert_eq!(r["incidents"], 2);
    assert_eq!(r["inferred_incidents"], 0);
    assert_eq!(
        r["months"],
        json!([
            {"month": "2026-01", "total": 3, "tracked": 3, "untracked": 0, "level": "warn", "incidents": 2, "releases": 3},
            {"month": "2026-02", "total": 0, "tracked": 0, "untracked": 0, "level": "healthy", "incidents": 0, "releases": 0},
        ])
    );
    assert_eq!(r["trend"]["change"], 2);
    assert_eq!(r["trend"]["incidents"], 2);
    assert_eq!(r["trend"]["releases"], 3);
    assert!(
        r["guidance"][0]
            .as_str()
            .unwrap()
            .starts_with("Warning: more than 1 incidents in a month"),
        "{}",
        r["guidance"]
    );
    assert_eq!(
        r["grouped_incidents"],
        json!([{"id": "INC-9", "inferred": false, "tracked": true, "month": "2026-01",
               "first_release_at": "2026-01-10T09:30:00Z", "lines": ["2.1", "2.0"],
               "releases": ["v2.0.1", "v2.1.1"]}]),
        "the other incident is one release: its hotfix's incident_id names it"
    );
    let counted: Vec<(&str, &str)> = r["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap(),
                h["incident_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("v2.0.1", "INC-9"),
            ("v2.1.1", "INC-9"),
            ("v2.1.2", "INC-20260120-1")
        ]
    );
    // The line filter: line 2.0 had one incident, one release.
    let out = at(
        &s,
        "2026-02-15T00:00:00Z",
        &[
            "report", "--format", "json", "--since", "2026-01", "--until", "2026-02", "--line",
            "2.0",
        ],
    );
    let r = doc(&out);
    assert_eq!(
        (r["incidents"].clone(), r["releases"].clone()),
        (json!(1), json!(1))
    );

    // Every format shows both counts.
    let table = report("table");
    table.ok();
    assert!(
        table
            .stdout
            .contains("2026-01          2         3        3          0  "),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("WARN"), "{}", table.stdout);
    assert!(
        table
            .stdout
            .contains("incident INC-9: 2 release(s) on 2.1, 2.0 (v2.0.1, v2.1.1)"),
        "{}",
        table.stdout
    );
    let md = report("markdown");
    md.ok();
    assert!(
        md.stdout.contains("| 2026-01 | 2 | 3 | 3 | 0 | **warn** |"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("| INC-9 | 2.1, 2.0 | v2.0.1, v2.1.1 |"),
        "{}",
        md.stdout
    );
    let csv = report("csv");
    csv.ok();
    assert!(
        csv.stdout.starts_with(
            "month,total,tracked,untracked,level,incidents,releases\n2026-01,3,3,0,warn,2,3\n"
        ),
        "{}",
        csv.stdout
    );
    let html = report("html");
    html.ok();
    assert!(
        html.stdout
            .contains("<td>2026-01</td><td class=\"n\">2</td><td class=\"n\">3</td>"),
        "{}",
        html.stdout
    );
    assert!(
        html.stdout
            .contains("<title>2026-01: 2 incident(s), 3 release(s)</title>"),
        "{}",
        html.stdout
    );
}

/// Cherry-picks `fix` (without `-x`: only the patch-id tells) onto `branch`, made at `from`
/// if it does not exist, and tags the result `tag`, the tag dated `date`.
fn untracked_release(s: &Sandbox, branch: &str, from: &str, fix: &str, tag: &str, date: &str) {
    if s.git_ok(&[
        "rev-parse",
        "-q",
        "--verify",
        &format!("refs/heads/{branch}"),
    ]) {
        s.git(&["switch", "-q", branch]);
    } else {
        s.git(&["switch", "-q", "-c", branch, from]);
    }
    s.git_at(date, &["cherry-pick", fix]);
    s.git_at(date, &["tag", "-a", tag, "-m", tag]);
    s.git(&["switch", "-q", "main"]);
}

#[test]
fn untracked_tags_on_other_lines_within_48_hours_sharing_a_picked_fix_are_one_inferred_incident() {
    let (s, fixes) = four_lines(3, "");
    // The same fix on 2.1 and, 10 hours later, on 2.0: one incident, two releases.
    untracked_release(
        &s,
        "release/2.1",
        "v2.1.0",
        &fixes[0],
        "v2.1.1",
        "2026-01-10T08:00:00Z",
    );
    untracked_release(
        &s,
        "release/2.0",
        "v2.0.0",
        &fixes[0],
        "v2.0.1",
        "2026-01-10T18:00:00Z",
    );
    // The same fix on 1.9 three days later: an incident of its own.
    untracked_release(
        &s,
        "release/1.9",
        "v1.9.0",
        &fixes[0],
        "v1.9.1",
        "2026-01-13T08:00:00Z",
    );
    // Two tags 5 hours apart with unrelated fixes: two incidents.
    untracked_release(
        &s,
        "release/2.1",
        "v2.1.1",
        &fixes[1],
        "v2.1.2",
        "2026-01-25T08:00:00Z",
    );
    untracked_release(
        &s,
        "release/2.0",
        "v2.0.1",
        &fixes[2],
        "v2.0.2",
        "2026-01-25T13:00:00Z",
    );
    // The picks are copies, not the same commits: only their patch-ids match.
    assert_ne!(s.rev("v2.1.1^{commit}"), s.rev("v2.0.1^{commit}"));
    assert!(
        !s.git(&["log", "-1", "--format=%B", "v2.0.1"])
            .contains("cherry picked")
    );

    let run = |format: &str| {
        at(
            &s,
            "2026-02-15T00:00:00Z",
            &[
                "report", "--format", format, "--since", "2026-01", "--until", "2026-01",
            ],
        )
    };
    let r = doc(&run("json"));
    assert_eq!(r["releases"], 5, "{r:#}");
    assert_eq!(r["untracked"], 5);
    assert_eq!(r["incidents"], 4);
    assert_eq!(r["inferred_incidents"], 1);
    assert_eq!(r["months"][0]["incidents"], 4);
    assert_eq!(r["months"][0]["releases"], 5);
    // Only the inferred incident has several releases; the three others are one each.
    assert_eq!(
        r["grouped_incidents"],
        json!([{"id": "v2.1.1", "inferred": true, "tracked": false, "month": "2026-01",
                "first_release_at": "2026-01-10T08:00:00Z", "lines": ["2.1", "2.0"],
                "releases": ["v2.1.1", "v2.0.1"]}])
    );
    let counted: Vec<(&str, &str, bool)> = r["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap(),
                h["incident_id"].as_str().unwrap(),
                h["inferred"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("v2.1.1", "v2.1.1", true),
            ("v2.0.1", "v2.1.1", true),
            ("v1.9.1", "v1.9.1", false),
            ("v2.1.2", "v2.1.2", false),
            ("v2.0.2", "v2.0.2", false),
        ]
    );
    let v201 = r["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "v2.0.1")
        .unwrap();
    assert_eq!(v201["incident_id"], "v2.1.1");
    assert_eq!(v201["inferred"], true);
    assert_eq!(
        v201["incident"],
        Value::Null,
        "no incident is recorded for it"
    );
    // Every format marks it inferred.
    let table = run("table");
    table.ok();
    assert!(
        table.stdout.contains(
            "4 incident(s) (1 inferred from untracked tags on several lines), 5 release(s)"
        ),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("incident v2.1.1 (inferred): 2 release(s) on 2.1, 2.0 (v2.1.1, v2.0.1)"),
        "{}",
        table.stdout
    );
    let md = run("markdown");
    md.ok();
    assert!(
        md.stdout
            .contains("| v2.1.1 (inferred) | 2.1, 2.0 | v2.1.1, v2.0.1 |"),
        "{}",
        md.stdout
    );
    let html = run("html");
    html.ok();
    assert!(
        html.stdout.contains("<td>v2.1.1 (inferred)</td>"),
        "{}",
        html.stdout
    );
    let csv = run("csv");
    csv.ok();
    assert!(
        csv.stdout.ends_with("\n2026-01,5,0,5,elevated,4,5\n"),
        "{}",
        csv.stdout
    );
}
