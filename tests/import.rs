//! `hotfix import`: past hotfixes from a CSV or JSON file (the examples in
//! `tests/fixtures/import/`), recorded so that reports and `audit` count them and credit their
//! shippers; bad rows refuse the whole file, re-runs add nothing, and a shipped hotfix's own
//! record is never overwritten.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `released()` plus the hand-made patch tags the fixtures name: v1.0.1 tagged 2026-01-05
/// 10:00 UTC, v1.0.2 on 2026-01-20 10:00 UTC.
fn with_past_tags() -> Sandbox {
    let (s, _fix) = Sandbox::released();
    let base = s.rev("v1.0.0^{commit}");
    s.git_at(
        "2026-01-05T10:00:00Z",
        &["tag", "-a", "v1.0.1", "-m", "v1.0.1", &base],
    );
    s.git_at(
        "2026-01-20T10:00:00Z",
        &["tag", "-a", "v1.0.2", "-m", "v1.0.2", &base],
    );
    s
}

fn ledger_tip(s: &Sandbox) -> String {
    s.git(&["rev-parse", "-q", "--verify", "refs/heads/hotfix-ledger"])
}

fn try_ledger_tip(s: &Sandbox) -> Option<String> {
    std::process::Command::new("git")
        .current_dir(&s.work)
        .args(["rev-parse", "-q", "--verify", "refs/heads/hotfix-ledger"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

#[test]
fn a_csv_history_is_recorded_counted_and_credited() {
    let s = with_past_tags();
    let csv = fixture("past-hotfixes.csv");

    // A time without a zone needs --timezone: refused by line, nothing written.
    let before = try_ledger_tip(&s);
    s.hotfix(&["import", &csv])
        .code(2)
        .says("past-hotfixes.csv:2: detected_at '2026-01-05 09:00': a time without a zone needs --timezone");
    assert_eq!(try_ledger_tip(&s), before);

    // --dry-run says what it would record, and records nothing.
    let dry = s.hotfix(&["import", &csv, "--timezone", "Europe/Berlin", "--dry-run"]);
    dry.ok();
    assert!(
        dry.stdout.contains("would import v1.0.1 (line 1.0, incident INC-100, shipped by Dana Dev <dana@example.com>): shipped 2026-01-05T10:00:00+00:00, deployed to production 2026-01-05T11:00:00+00:00, verified 2026-01-05T12:00:00+00:00"),
        "{}",
        dry.stdout
    );
    assert_eq!(try_ledger_tip(&s), before);

    s.hotfix(&["import", &csv, "--timezone", "Europe/Berlin"])
        .ok();
    let tip = ledger_tip(&s);
    assert_eq!(
        s.git(&["log", "-1", "--format=%s", "hotfix-ledger"]),
        "hotfix: import 2 hotfix(es) from past-hotfixes.csv",
        "one commit for the whole file"
    );
    let first = s.events("v1.0.1");
    assert_eq!(kinds(&first), ["imported", "deployed", "verified"]);
    let i = &first[0];
    assert_eq!(i["tag"], "v1.0.1");
    assert_eq!(i["shipped_at"], "2026-01-05T10:00:00Z");
    assert_eq!(i["commit"], s.rev("v1.0.0^{commit}"));
    assert_eq!(i["line"], "1.0");
    assert_eq!(i["incident"], "INC-100");
    assert_eq!(i["severity"], "sev1");
    // 09:00 in Berlin in January is 08:00 UTC.
    assert_eq!(i["detected_at"], "2026-01-05T08:00:00Z");
    assert_eq!(i["shipper"], "Dana Dev <dana@example.com>");
    assert_eq!(i["source"], "past-hotfixes.csv:2");
    assert_eq!(i["by"], "Olga Oncall <olga@example.com>", "who imported it");
    assert_eq!(first[1]["deployed_at"], "2026-01-05T11:00:00Z");
    assert_eq!(first[1]["env"], "production");
    assert_eq!(first[2]["at"], "2026-01-05T12:00:00Z");
    let second = s.events("v1.0.2");
    assert_eq!(kinds(&second), ["imported", "deployed", "rolled_back"]);
    assert_eq!(
        second[2]["to"], "v1.0.1",
        "the release before it on its line"
    );

    // The report counts the history and credits its shippers.
    let out = s.hotfix(&[
        "report", "--format", "json", "--since", "2026-01", "--until", "2026-01",
    ]);
    out.ok();
    let r: Value = serde_json::from_str(&out.stdout).unwrap();
    let h = |id: &str| {
        r["hotfixes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(h("v1.0.1")["tracked"], true);
    assert_eq!(h("v1.0.1")["shipper"], "Dana Dev <dana@example.com>");
    assert_eq!(h("v1.0.1")["incident"], "INC-100");
    assert_eq!(h("v1.0.1")["detected_at"], "2026-01-05T08:00:00Z");
    assert_eq!(h("v1.0.1")["verified_at"], "2026-01-05T12:00:00Z");
    assert_eq!(h("v1.0.2")["last_env_rolled_back"], true);
    assert_eq!(
        r["change_failure"],
        serde_json::json!({"count": 1, "of": 2, "share": 0.5})
    );
    let shippers: Vec<&str> = r["on_call"]["shippers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        shippers,
        ["Dana Dev <dana@example.com>", "Erin Ops <erin@example.com>"]
    );

    // So does the audit, which names where the row came from.
    let out = s.hotfix(&[
        "audit", "--format", "json", "--since", "2026-01", "--until", "2026-01",
    ]);
    out.ok();
    let a: Value = serde_json::from_str(&out.stdout).unwrap();
    let row = a["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "v1.0.1")
        .unwrap();
    assert_eq!(row["record"], true, "{row}");
    assert_eq!(row["shipper"], "Dana Dev <dana@example.com>", "{row}");
    assert_eq!(row["incident"], "INC-100", "{row}");
    assert_eq!(row["detected_at"], "2026-01-05T08:00:00Z", "{row}");
    assert_eq!(
        row["severity"],
        serde_json::json!({"value": "sev1", "declared_by": "the import file, past-hotfixes.csv:2"})
    );
    assert_eq!(
        row["imported"]["detail"],
        "imported from past-hotfixes.csv:2"
    );

    // Again: nothing added.
    let again = s.hotfix(&["import", &csv, "--timezone", "Europe/Berlin"]);
    again.ok();
    assert!(
        again.stdout.contains(
            "imported 0 hotfix(es) from past-hotfixes.csv; 2 imported before, unchanged; 0 differ"
        ),
        "{}",
        again.stdout
    );
    assert_eq!(ledger_tip(&s), tip);

    // A row that differs from what was imported is reported, and left as recorded.
    let edited = s.config_file(
        "past-hotfixes.csv",
        &std::fs::read_to_string(&csv)
            .unwrap()
            .replace("Dana Dev <dana@example.com>", "Dana D. <dana@example.com>"),
    );
    let out = s.hotfix(&["import", &edited, "--timezone", "Europe/Berlin"]);
    out.ok();
    assert!(
        out.stderr.contains("past-hotfixes.csv:2: v1.0.1 differs from what was imported: shipper: 'Dana Dev <dana@example.com>' recorded, 'Dana D. <dana@example.com>' in the file"),
        "{}",
        out.all()
    );
    assert_eq!(ledger_tip(&s), tip);
}

#[test]
fn a_bad_row_or_a_shipped_hotfix_refuses_the_whole_file() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "Rita <rita@example.com>"])
        .ok();
    let base = s.rev("v1.0.0^{commit}");
    s.git_at(
        "2026-01-05T10:00:00Z",
        &["tag", "-a", "v1.0.1", "-m", "v1.0.1", &base],
    );
    let tip = ledger_tip(&s);
    let records = s.git(&["ls-tree", "-r", "--name-only", "hotfix-ledger", "records/"]);
    let cases = [
        (
            "tag,shipper\nv1.0.1,Dana\nv1.1.1,Olga\n",
            "rows.csv:3: v1.1.1 has its record already (shipped with `hotfix ship`)",
        ),
        (
            "tag\nv1.0.1\nv9.9.9\n",
            "rows.csv:3: v9.9.9 is not a release tag in this clone",
        ),
        (
            "tag\nv1.0.1\nv1.1.0\n",
            "rows.csv:3: v1.1.0 is a minor release, not a hotfix",
        ),
        (
            "tag,deployed_at\nv1.0.1,2026-01-05T09:00:00Z\n",
            "rows.csv:2: deployed_at 2026-01-05T09:00:00+00:00 is before v1.0.1 was tagged",
        ),
        (
            "tag,verified_at\nv1.0.1,2026-01-06T09:00:00Z\n",
            "rows.csv:2: verified_at without deployed_at",
        ),
        ("tag,when\nv1.0.1,x\n", "rows.csv:1: unknown column 'when'"),
        (
            "tag,rolled_back\nv1.0.1,maybe\n",
            "rows.csv:2: rolled_back 'maybe' is not true or false",
        ),
    ];
    for (content, says) in cases {
        let file = s.config_file("rows.csv", content);
        s.hotfix(&["import", &file]).code(2).says(says);
        assert_eq!(ledger_tip(&s), tip, "{content}");
    }
    assert_eq!(
        s.git(&["ls-tree", "-r", "--name-only", "hotfix-ledger", "records/"]),
        records
    );
    // The shipped hotfix's record is as `ship` left it.
    assert!(!kinds(&s.events("v1.1.1")).contains(&"imported"));
    // An unknown zone is refused with the nearest names.
    let file = s.config_file("rows.csv", "tag\nv1.0.1\n");
    s.hotfix(&["import", &file, "--timezone", "Europe/Berln"])
        .code(2)
        .says("Europe/Berlin");
}

#[test]
fn the_json_example_records_what_the_csv_does() {
    let a = with_past_tags();
    a.hotfix(&[
        "import",
        &fixture("past-hotfixes.csv"),
        "--timezone",
        "Europe/Berlin",
    ])
    .ok();
    let b = with_past_tags();
    b.hotfix(&[
        "import",
        &fixture("past-hotfixes.json"),
        "--timezone",
        "Europe/Berlin",
    ])
    .ok();
    for id in ["v1.0.1", "v1.0.2"] {
        let strip = |events: Vec<Value>| -> Vec<Value> {
            events
                .into_iter()
                .map(|mut e| {
                    e.as_object_mut().unwrap().remove("source");
                    e.as_object_mut().unwrap().remove("reason");
                    e.as_object_mut().unwrap().remove("note");
                    e
                })
                .collect()
        };
        assert_eq!(strip(a.events(id)), strip(b.events(id)), "{id}");
    }
    assert_eq!(b.events("v1.0.2")[0]["source"], "past-hotfixes.json:5");
}

#[test]
fn two_imports_at_once_record_each_row_once() {
    let s = with_past_tags();
    let csv = fixture("past-hotfixes.csv");
    let runs: Vec<common::Out> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| s.hotfix(&["import", &csv, "--timezone", "Europe/Berlin"])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(runs.iter().any(|o| o.code == 0), "{runs:?}");
    for o in &runs {
        assert!(
            o.code == 0 || o.stderr.contains("another `hotfix import` is running"),
            "{o:?}"
        );
    }
    // Whichever order they ran in, a second run finds everything imported.
    s.hotfix(&["import", &csv, "--timezone", "Europe/Berlin"])
        .ok();
    for id in ["v1.0.1", "v1.0.2"] {
        let events = s.events(id);
        assert_eq!(
            kinds(&events).iter().filter(|k| **k == "imported").count(),
            1,
            "{id}: {events:?}"
        );
    }
}

#[test]
fn imported_history_is_dated_when_it_happened_and_checked_against_the_tag() {
    let s = with_past_tags();
    // Detected after the tag, or rolled back with no deployment: refused, nothing written.
    let before = try_ledger_tip(&s);
    for (content, says) in [
        (
            "tag,detected_at\nv1.0.1,2026-01-06T00:00:00Z\n",
            "rows.csv:2: detected_at 2026-01-06T00:00:00+00:00 is after v1.0.1 was tagged",
        ),
        (
            "tag,rolled_back\nv1.0.2,yes\n",
            "rows.csv:2: rolled_back without deployed_at",
        ),
    ] {
        let file = s.config_file("rows.csv", content);
        s.hotfix(&["import", &file]).code(2).says(says);
        assert_eq!(try_ledger_tip(&s), before);
    }
    s.hotfix(&[
        "import",
        &fixture("past-hotfixes.csv"),
        "--timezone",
        "Europe/Berlin",
    ])
    .ok();
    // The deployment and the rollback carry the times the file gives, not the import's, so
    // the imported past never reads as what production serves now.
    let events = s.events("v1.0.2");
    assert_eq!(events[1]["at"], "2026-01-20T10:30:00Z");
    assert_eq!(events[2]["at"], "2026-01-20T10:30:00Z");
    assert_eq!(events[0]["at"], "2026-03-10T12:00:00Z", "the import itself");
}

#[test]
fn a_hotfix_shipped_in_another_clone_is_refused_too() {
    let (s, fix) = Sandbox::started();
    let other = s.clone_as("other");
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&[
        "ship",
        "--yes",
        "--reviewer",
        "Rita <rita@example.com>",
        "--push",
    ])
    .ok();
    // The other clone has the new tag, not the ledger that records it.
    s.git_in(
        &other,
        &["fetch", "-q", "origin", "+refs/tags/*:refs/tags/*"],
    );
    let file = s.config_file("rows.csv", "tag,shipper\nv1.1.1,Somebody\n");
    common::run_hotfix(&other, &s.home(), &["import", &file], &[])
        .code(2)
        .says("v1.1.1 has its record already (shipped with `hotfix ship`)");
}
