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
            {"month": "2026-01", "total": 3, "tracked": 3, "untracked": 0, "level": "warn", "incidents": 2, "releases": 3, "moving_average": 0.6667},
            {"month": "2026-02", "total": 0, "tracked": 0, "untracked": 0, "level": "healthy", "incidents": 0, "releases": 0, "moving_average": 0.6667},
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
            "month,total,tracked,untracked,level,incidents,releases,open_past_target,minor_releases,minor_releases_hotfixed_within_30_days\n2026-01,3,3,0,warn,2,3,,0,0\n"
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
        csv.stdout.ends_with("\n2026-01,5,0,5,elevated,4,5,,0,0\n"),
        "{}",
        csv.stdout
    );
}

#[test]
fn an_incident_with_a_line_still_open_past_the_target_is_listed_with_its_open_lines() {
    let (s, fixes) = four_lines(2, "");
    // INC-7 on three lines, detected at 08:00; 2.1 and 2.0 ship at 09:30, 1.9 stays open.
    at(
        &s,
        "2026-01-10T09:00:00Z",
        &[
            "start",
            "--line",
            "2.1",
            "--line",
            "2.0",
            "--line",
            "1.9",
            "--incident",
            "INC-7",
            "--detected-at",
            "2026-01-10T08:00:00Z",
        ],
    )
    .ok();
    at(&s, "2026-01-10T09:10:00Z", &["pick", &fixes[0]]).ok();
    for line in ["2.1", "2.0"] {
        s.git(&["switch", "-q", &format!("hotfix/{line}.1")]);
        at(
            &s,
            "2026-01-10T09:30:00Z",
            &["ship", "--yes", "--reviewer", REVIEWER, "--line", line],
        )
        .ok();
    }
    assert_eq!(s.event_types("v1.9.1"), ["started", "picked"]);
    // INC-8, on one line, shipped within the hour: never listed.
    s.git(&["switch", "-q", "main"]);
    at(
        &s,
        "2026-01-10T09:40:00Z",
        &["start", "--line", "1.8", "--incident", "INC-8"],
    )
    .ok();
    at(&s, "2026-01-10T09:45:00Z", &["pick", &fixes[1]]).ok();
    at(
        &s,
        "2026-01-10T09:50:00Z",
        &["ship", "--yes", "--reviewer", REVIEWER],
    )
    .ok();

    let report = |now: &str, format: &str, extra: &[&str]| {
        let mut args = vec!["report", "--format", format, "--since", "2026-01"];
        args.extend_from_slice(extra);
        at(&s, now, &args)
    };
    // At 09:55 INC-7 is within its 2 hours (detected 08:00): not listed yet.
    let r = doc(&report("2026-01-10T09:55:00Z", "json", &[]));
    assert_eq!(r["open_incidents"], json!([]), "{r:#}");
    assert_eq!(r["open_at"], "2026-01-10T09:55:00Z");
    // At 13:00 it is, with 1.9 named open and the shipped lines beside it.
    let r = doc(&report("2026-01-10T13:00:00Z", "json", &[]));
    assert_eq!(
        r["open_incidents"],
        json!([{"id": "INC-7", "began_at": "2026-01-10T08:00:00Z", "open_minutes": 300,
                "open_lines": [{"line": "1.9", "id": "v1.9.1", "state": "in progress"}],
                "closed_lines": [{"line": "2.1", "id": "v2.1.1", "state": "shipped"},
                                 {"line": "2.0", "id": "v2.0.1", "state": "shipped"}]}])
    );
    // The incident's shipped releases still count once.
    assert_eq!(
        (r["incidents"].clone(), r["releases"].clone()),
        (json!(2), json!(3))
    );
    let table = report("2026-01-10T13:00:00Z", "table", &[]);
    table.ok();
    assert!(
        table.stdout.contains("incidents with a line open past 2h:\n  INC-7: began 2026-01-10 08:00, open 5h; open: 1.9 (v1.9.1); closed: 2.1 (v2.1.1, shipped), 2.0 (v2.0.1, shipped)\n"),
        "{}",
        table.stdout
    );
    let md = report("2026-01-10T13:00:00Z", "markdown", &[]);
    md.ok();
    assert!(
        md.stdout.contains("| INC-7 | 2026-01-10 08:00 | 5h | 1.9 (v1.9.1) | 2.1 (v2.1.1, shipped), 2.0 (v2.0.1, shipped) |"),
        "{}",
        md.stdout
    );
    let html = report("2026-01-10T13:00:00Z", "html", &[]);
    html.ok();
    assert!(
        html.stdout
            .contains("<td>INC-7</td><td>2026-01-10 08:00</td><td>5h</td><td class=\"alarm\">1.9 (v1.9.1)</td>"),
        "{}",
        html.stdout
    );
    let csv = report("2026-01-10T13:00:00Z", "csv", &[]);
    csv.ok();
    assert!(
        csv.stdout
            .ends_with("\n2026-01,3,3,0,healthy,2,3,INC-7 open on 1.9 (v1.9.1),0,0\n"),
        "{}",
        csv.stdout
    );
    // A longer target, and the line filter, leave it out or keep it.
    let cfg = s.config_file("target.toml", "[report]\ntarget = \"6h\"\n");
    let r = doc(&report("2026-01-10T13:00:00Z", "json", &["--config", &cfg]));
    assert_eq!(r["open_incidents"], json!([]));
    let r = doc(&report("2026-01-10T13:00:00Z", "json", &["--line", "1.8"]));
    assert_eq!(r["open_incidents"], json!([]));
    let r = doc(&report("2026-01-10T13:00:00Z", "json", &["--line", "1.9"]));
    assert_eq!(r["open_incidents"][0]["id"], "INC-7");
    // Skipped with a reason, the line is closed: nothing is open any more.
    at(
        &s,
        "2026-01-10T14:00:00Z",
        &[
            "skip-line",
            "1.9",
            "--incident",
            "INC-7",
            "--reason",
            "end of life",
        ],
    )
    .ok();
    assert_eq!(s.event_types("v1.9.1"), ["started", "picked", "skipped"]);
    let r = doc(&report("2026-01-10T15:00:00Z", "json", &[]));
    assert_eq!(r["open_incidents"], json!([]));
    report("2026-01-10T15:00:00Z", "table", &[])
        .ok()
        .says("no incident has a line open past 2h");
    // Many hotfixes in progress (written by hand: more than are read one by one) are read
    // from one listing of the records: INC-BULK has 20 lines open.
    s.edit_ledger("bulk", |git| {
        for k in 0..20 {
            let id = format!("v7.{k}.1");
            let line = format!(
                r#"{{"schema":1,"type":"started","id":"{id}","at":"2026-01-10T10:00:00Z","by":"A <a@x>","base":"v7.{k}.0","base_commit":"{zero}","branch":"hotfix/7.{k}.1","version":"7.{k}.1","line":"7.{k}","incident":"INC-BULK","severity":null,"detected_at":null,"summary":null}}"#,
                zero = "0".repeat(40)
            );
            let file = s.home().join(format!("bulk-{k}.jsonl"));
            std::fs::write(&file, format!("{line}\n")).unwrap();
            let blob = git(&["hash-object", "-w", file.to_str().unwrap()]);
            git(&[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("100644,{blob},records/{id}.jsonl"),
            ]);
        }
    });
    let r = doc(&report("2026-01-10T15:00:00Z", "json", &[]));
    assert_eq!(r["open_incidents"].as_array().unwrap().len(), 1, "{r:#}");
    assert_eq!(r["open_incidents"][0]["id"], "INC-BULK");
    assert_eq!(r["open_incidents"][0]["began_at"], "2026-01-10T10:00:00Z");
    assert_eq!(r["open_incidents"][0]["open_minutes"], 300);
    assert_eq!(
        r["open_incidents"][0]["open_lines"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
    // A report whose --until is past is judged at the end of that month.
    let r = doc(&at(
        &s,
        "2026-03-01T00:00:00Z",
        &[
            "report", "--format", "json", "--since", "2026-01", "--until", "2026-01",
        ],
    ));
    assert_eq!(r["open_at"], "2026-02-01T00:00:00Z");
    assert_eq!(r["open_incidents"][0]["id"], "INC-BULK");
    // From 10:00 on 10 January to the end of January: 21 days and 14 hours.
    assert_eq!(
        r["open_incidents"][0]["open_minutes"],
        21 * 24 * 60 + 14 * 60
    );
}

#[test]
fn report_missing_lists_a_fix_on_the_supported_lines_that_neither_have_it_nor_skipped_it() {
    let supported = "[release]\nsupported = [\"2.1\", \"2.0\", \"1.9\", \"1.8\"]\n";
    let (s, fixes) = four_lines(1, supported);
    let fix = &fixes[0];
    // INC-9 on 2.1, 2.0 and 1.9; 1.9 is skipped with a reason, the fix picked on the others;
    // 2.1 ships (its tag has the pick), 2.0 stays open (its branch has it).
    s.hotfix(&[
        "start",
        "--line",
        "2.1",
        "--line",
        "2.0",
        "--line",
        "1.9",
        "--incident",
        "INC-9",
    ])
    .ok();
    s.hotfix(&["skip-line", "1.9", "--reason", "the parser is not in 1.9"])
        .ok();
    s.hotfix(&["pick", fix]).ok();
    assert_eq!(s.event_types("v2.0.1"), ["started", "picked"]);
    assert_eq!(s.event_types("v1.9.1"), ["started", "skipped"]);
    s.hotfix(&["ship", "--yes", "--reviewer", REVIEWER, "--line", "2.1"])
        .ok();
    assert!(s.event_types("v2.1.1").contains(&"shipped".to_string()));

    let missing = |format: &str| s.hotfix(&["report", "--missing", "--format", format]);
    let d = doc(&missing("json"));
    assert_eq!(d["supported"], json!(["2.1", "2.0", "1.9", "1.8"]));
    let by_line: Vec<(String, String, usize, usize, usize)> = d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_str().unwrap().to_string(),
                l["newest"].as_str().unwrap().to_string(),
                l["missing"].as_array().unwrap().len(),
                l["skipped"].as_array().unwrap().len(),
                l["applied"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(
        by_line,
        [
            ("2.1".into(), "v2.1.1".into(), 0, 0, 1),
            ("2.0".into(), "v2.0.0".into(), 0, 0, 1),
            ("1.9".into(), "v1.9.0".into(), 0, 1, 0),
            ("1.8".into(), "v1.8.0".into(), 1, 0, 0),
        ]
    );
    assert_eq!(
        d["lines"][3]["missing"][0],
        json!({"source": fix, "subject": "fix: crash 0", "picked_on": ["2.1", "2.0"], "incidents": ["INC-9"]})
    );
    assert_eq!(
        d["lines"][2]["skipped"][0]["reason"],
        "the parser is not in 1.9"
    );
    let table = missing("table");
    table.ok();
    assert!(
        table.stdout.contains(&format!(
            "line 1.8 (v1.8.0): 1 fix(es) missing (0 applied)\n  missing  {} fix: crash 0 (picked onto 2.1, 2.0; INC-9)\n",
            &fix[..10]
        )),
        "{}",
        table.stdout
    );
    assert!(
        table
            .stdout
            .contains("line 1.9 (v1.9.0): nothing missing (0 applied, 1 skipped)"),
        "{}",
        table.stdout
    );
    // A pick onto 1.8 without a trailer (found by its patch-id), released: nothing missing.
    untracked_release(
        &s,
        "release/1.8",
        "v1.8.0",
        fix,
        "v1.8.1",
        "2026-03-10T12:00:00Z",
    );
    let d = doc(&missing("json"));
    for l in d["lines"].as_array().unwrap() {
        assert_eq!(l["missing"], json!([]), "{l}");
    }
    assert_eq!(d["lines"][3]["applied"], 1);
    missing("table")
        .ok()
        .says("line 1.8 (v1.8.1): nothing missing (1 applied)");
    // Bad combinations say what to do instead.
    s.hotfix(&["report", "--missing", "--format", "csv"])
        .code(2)
        .says("--format table or --format json");
    s.hotfix(&["report", "--missing", "--since", "2026-01"])
        .code(2);
}
