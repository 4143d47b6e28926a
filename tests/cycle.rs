//! The whole loop: start, pick, ship, push; the ledger; resuming after a kill; sync.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Sandbox, run_hotfix};

#[test]
fn full_cycle_start_pick_ship_push() {
    let (s, fix) = Sandbox::released();

    // start
    s.hotfix(&[
        "start",
        "--incident",
        "INC-7",
        "--severity",
        "sev2",
        "--detected-at",
        "45m ago",
        "--summary",
        "crash",
    ])
    .ok()
    .says("started hotfix v1.1.1");
    assert_eq!(s.git(&["symbolic-ref", "--short", "HEAD"]), "hotfix/1.1.1");
    assert_eq!(s.rev("hotfix/1.1.1"), s.rev("v1.1.0^{commit}"));
    let ev = s.events("v1.1.1");
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["type"], "started");
    assert_eq!(ev[0]["schema"], 1);
    assert_eq!(ev[0]["base"], "v1.1.0");
    assert_eq!(ev[0]["branch"], "hotfix/1.1.1");
    assert_eq!(ev[0]["version"], "1.1.1");
    assert_eq!(ev[0]["line"], "1.1");
    assert_eq!(ev[0]["incident"], "INC-7");
    assert_eq!(ev[0]["severity"], "sev2");
    assert_eq!(ev[0]["summary"], "crash");
    assert_eq!(ev[0]["detected_at"], "2026-03-10T11:15:00Z");
    assert_eq!(ev[0]["at"], "2026-03-10T12:00:00Z");
    assert_eq!(ev[0]["by"], "Olga Oncall <olga@example.com>");
    // The ledger never shares history with code, and the working tree is untouched by it.
    assert!(!s.git_ok(&["merge-base", "hotfix-ledger", "main"]));
    assert_eq!(s.git(&["status", "--porcelain"]), "");

    // pick
    s.hotfix(&["pick", &fix[..8]]).ok().says("picked");
    let head = s.rev("HEAD");
    assert_eq!(s.rev("HEAD^"), s.rev("v1.1.0^{commit}"));
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert_eq!(
        msg,
        format!("fix: crash\n\n(cherry picked from commit {fix})")
    );
    assert_eq!(
        s.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>"]),
        "Ann Author <ann@example.com>|Olga Oncall <olga@example.com>"
    );
    assert_eq!(
        s.git(&["diff", "--stat", &fix, "HEAD", "--", "src/app.txt", "tests"]),
        ""
    );
    let ev = s.events("v1.1.1");
    assert_eq!(ev[1]["type"], "picked");
    assert_eq!(ev[1]["source"], fix);
    assert_eq!(ev[1]["commit"], head);
    assert_eq!(ev[1]["subject"], "fix: crash");
    assert_eq!(ev[1]["clean"], true);

    // check
    s.hotfix(&["check"]).code(1).says("reviewed");
    s.hotfix(&["check", "--reviewer", "Rita <rita@example.com>"])
        .ok()
        .says("verdict: pass");

    // ship and push
    s.hotfix(&[
        "ship",
        "--reviewer",
        "Rita Reviewer <rita@example.com>",
        "--push",
        "--yes",
    ])
    .ok()
    .says("rollback: redeploy v1.1.0");
    assert_eq!(s.git(&["cat-file", "-t", "v1.1.1"]), "tag");
    assert_eq!(s.rev("v1.1.1^{commit}"), head);
    let tag = s.git(&["cat-file", "-p", "v1.1.1"]);
    assert!(
        tag.contains("tagger Olga Oncall <olga@example.com>"),
        "{tag}"
    );
    assert!(tag.contains("v1.1.1: hotfix on 1.1: crash"), "{tag}");
    let lines: Vec<&str> = tag.lines().collect();
    for trailer in [
        "Hotfix-Id: v1.1.1",
        "Hotfix-Incident: INC-7",
        "Hotfix-Base: v1.1.0",
        "Hotfix-Rollback-To: v1.1.0",
        "Reviewed-by: Rita Reviewer <rita@example.com>",
    ] {
        assert!(lines.contains(&trailer), "{trailer}\n{tag}");
    }
    assert!(
        tag.contains(&format!(
            "- fix: crash ({}, from {})",
            &head[..7],
            &fix[..10]
        )),
        "{tag}"
    );

    let ev = s.events("v1.1.1");
    assert_eq!(s.event_types("v1.1.1"), ["started", "picked", "shipped"]);
    let shipped = &ev[2];
    assert_eq!(shipped["tag"], "v1.1.1");
    assert_eq!(shipped["commit"], head);
    assert_eq!(shipped["rollback_to"], "v1.1.0");
    assert_eq!(shipped["stats"]["commits"], 1);
    assert_eq!(shipped["stats"]["files"], 2);
    assert_eq!(shipped["stats"]["added"], 2);
    assert_eq!(shipped["stats"]["deleted"], 1);
    assert_eq!(
        shipped["paths"],
        serde_json::json!(["src/app.txt", "tests/app_test.txt"])
    );
    assert_eq!(shipped["tests"], serde_json::json!(["tests/app_test.txt"]));
    assert_eq!(
        shipped["reviewers"][0]["name"],
        "Rita Reviewer <rita@example.com>"
    );
    assert_eq!(shipped["reviewers"][0]["source"], "flag");
    assert_eq!(shipped["reviewers"][0]["verified"], false);
    assert_eq!(shipped["rules"].as_array().unwrap().len(), 14);
    assert_eq!(shipped["overrides"], serde_json::json!([]));

    // The remote has everything, in one push.
    let remote = s.git_in(
        &s.origin,
        &["for-each-ref", "--format=%(refname) %(objectname)"],
    );
    assert!(
        remote.contains(&format!("refs/heads/hotfix/1.1.1 {head}")),
        "{remote}"
    );
    assert!(
        remote.contains(&format!("refs/tags/v1.1.1 {}", s.rev("v1.1.1"))),
        "{remote}"
    );
    assert!(
        remote.contains(&format!(
            "refs/heads/hotfix-ledger {}",
            s.rev("hotfix-ledger")
        )),
        "{remote}"
    );

    // list and show read the ledger.
    let list = s.hotfix(&["list", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&list.ok().stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["hotfixes"][0]["id"], "v1.1.1");
    assert_eq!(doc["hotfixes"][0]["state"], "shipped");
    assert_eq!(doc["hotfixes"][0]["picks"], 1);
    let show = s.hotfix(&["show", "1.1.1", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&show.ok().stdout).unwrap();
    assert_eq!(doc["id"], "v1.1.1");
    assert_eq!(doc["events"].as_array().unwrap().len(), 3);
    assert_eq!(doc["shipped"]["rollback_to"], "v1.1.0");
    s.hotfix(&["show", "v1.1.1"])
        .ok()
        .says("reviewed by Rita Reviewer");

    // A second ship has nothing left to do and duplicates nothing.
    s.hotfix(&["ship", "--push", "--yes"])
        .ok()
        .says("already tagged and recorded");
    assert_eq!(s.event_types("v1.1.1").len(), 3);
}

#[test]
fn dry_run_and_no_terminal_change_nothing() {
    let (s, fix) = Sandbox::released();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let before = s.state();
    let ledger = s.rev("hotfix-ledger");
    s.hotfix(&["ship", "--reviewer", "rita", "--dry-run"])
        .ok()
        .says("dry run: nothing changed");
    s.hotfix(&["ship", "--reviewer", "rita"])
        .code(2)
        .says("--yes");
    assert_eq!(s.state(), before);
    assert_eq!(s.rev("hotfix-ledger"), ledger);
    assert!(!s.git_ok(&["rev-parse", "--verify", "-q", "refs/tags/v1.1.1"]));
}

#[test]
fn ship_resumes_after_a_kill_at_every_step() {
    for point in ["ship-after-tag", "ship-after-record"] {
        let (s, fix) = Sandbox::released();
        s.hotfix(&["start"]).ok();
        s.hotfix(&["pick", &fix]).ok();
        let killed = s.hotfix_env(
            &["ship", "--reviewer", "rita", "--push", "--yes"],
            &[("HOTFIX_FAILPOINT", point)],
        );
        assert_ne!(
            killed.code, 0,
            "{point}: the failpoint must stop the process"
        );
        assert!(
            s.git_ok(&["rev-parse", "--verify", "-q", "refs/tags/v1.1.1"]),
            "{point}: the tag was made before the kill"
        );
        s.hotfix(&["ship", "--reviewer", "rita", "--push", "--yes"])
            .ok();
        let types = s.event_types("v1.1.1");
        assert_eq!(
            types.iter().filter(|t| *t == "shipped").count(),
            1,
            "{point}: {types:?}"
        );
        let remote = s.git_in(&s.origin, &["for-each-ref", "--format=%(refname)"]);
        assert!(remote.contains("refs/tags/v1.1.1"), "{point}: {remote}");
        assert!(
            remote.contains("refs/heads/hotfix-ledger"),
            "{point}: {remote}"
        );
        assert_eq!(s.rev("v1.1.1^{commit}"), s.rev("HEAD"));
    }
}

#[test]
fn a_rejected_push_exits_4_and_a_rerun_finishes() {
    let (s, fix) = Sandbox::released();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    // Someone else pushes a hotfix/1.1.1 branch first: the atomic push is refused as a whole.
    s.git(&["push", "-q", "origin", "main:refs/heads/hotfix/1.1.1"]);
    s.hotfix(&["ship", "--reviewer", "rita", "--push", "--yes"])
        .code(4)
        .says("nothing was pushed");
    let remote = s.git_in(&s.origin, &["for-each-ref", "--format=%(refname)"]);
    assert!(
        !remote.contains("refs/tags/v1.1.1"),
        "atomic: no tag without the branch\n{remote}"
    );
    assert!(!remote.contains("hotfix-ledger"), "{remote}");
    // The local tag and record stay; once the branch is cleared, the re-run completes.
    s.git(&["push", "-q", "origin", ":refs/heads/hotfix/1.1.1"]);
    s.hotfix(&["ship", "--push", "--yes"])
        .ok()
        .says("pushed v1.1.1");
    let remote = s.git_in(&s.origin, &["for-each-ref", "--format=%(refname)"]);
    assert!(remote.contains("refs/tags/v1.1.1"), "{remote}");
}

#[test]
fn two_clones_ship_then_sync_and_both_records_survive() {
    let (s, fix) = Sandbox::released();
    // A second release line, so each clone ships its own hotfix.
    s.git(&["tag", "-a", "v1.2.0", "-m", "v1.2.0", "main~1"]);
    s.git(&["push", "-q", "origin", "--tags"]);
    let other = s.clone_as("other");
    let home = s.home();

    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--reviewer", "rita", "--push", "--yes"])
        .ok();

    run_hotfix(&other, &home, &["start", "--line", "1.2"], &[]).ok();
    let later = s.rev("main");
    run_hotfix(&other, &home, &["pick", &later], &[]).ok();
    // Its ledger diverged from origin's: ship --push merges it in before the atomic push.
    run_hotfix(
        &other,
        &home,
        &[
            "ship",
            "--reviewer",
            "rita",
            "--push",
            "--yes",
            "--override",
            "regression-test",
            "--reason",
            "docs-only",
        ],
        &[],
    )
    .ok();

    // The first clone syncs and sees both.
    s.hotfix(&["sync"]).ok().says("2 record(s)");
    let files = s.git(&["ls-tree", "-r", "--name-only", "hotfix-ledger", "records/"]);
    assert_eq!(files, "records/v1.1.1.jsonl\nrecords/v1.2.1.jsonl");
    assert_eq!(s.records_in(&s.origin), s.records_in(&s.work));
    // The merged ledger's facts index names every merged record's blob, here and on origin.
    s.assert_index_current(&s.work);
    s.assert_index_current(&s.origin);
    let list = s.hotfix(&["list", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&list.ok().stdout).unwrap();
    assert_eq!(doc["hotfixes"].as_array().unwrap().len(), 2);
}

#[test]
fn concurrent_appends_to_one_record_merge_by_union() {
    let (s, _fix) = Sandbox::released();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["sync"]).ok();
    let other = s.clone_as("other");
    let home = s.home();
    // Both clones append to the same record without seeing each other.
    run_hotfix(&other, &home, &["start", "--line", "1.0"], &[]).ok();
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.0"]).ok();
    run_hotfix(&other, &home, &["sync"], &[]).ok();
    s.hotfix(&["sync"]).ok();
    let a = s.events("v1.1.1");
    let b = s.events("v1.0.1");
    assert_eq!(a.len(), 1);
    // The same hotfix started in both clones with identical events collapses to one line;
    // nothing is lost or duplicated.
    assert!(!b.is_empty() && b.len() <= 2, "{b:?}");
    // The united record has a new blob; its line in the facts index was rebuilt to match.
    s.assert_index_current(&s.work);
    assert_eq!(
        s.rev("hotfix-ledger"),
        s.git_in(&s.origin, &["rev-parse", "hotfix-ledger"])
    );
}

#[test]
fn editing_the_config_on_the_hotfix_branch_does_not_change_the_verdict() {
    let (s, fix) = Sandbox::released();
    // Mainline's policy: at most 1 changed line.
    s.git(&["switch", "-q", "main"]);
    s.commit(&[(".hotfix.toml", "[policy]\nmax-lines = 1\n")], "policy");
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["check", "--reviewer", "rita"])
        .code(1)
        .says("max-lines");
    // Loosening it on the hotfix branch changes nothing: mainline's file is in force.
    s.commit(
        &[(".hotfix.toml", "[policy]\nmax-lines = 1000\n")],
        "loosen",
    );
    let out = s.hotfix(&["check", "--reviewer", "rita", "--format", "json"]);
    out.code(1);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rule = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "max-lines")
        .unwrap();
    assert_eq!(rule["verdict"], "fail");
    // --config FILE reads a file instead, for trying a change.
    let try_cfg = s.path("try.toml");
    std::fs::write(
        &try_cfg,
        "[policy]\nmax-lines = 1000\nrelease-paths = [\".hotfix.toml\"]\n",
    )
    .unwrap();
    s.hotfix(&[
        "check",
        "--reviewer",
        "rita",
        "--config",
        try_cfg.to_str().unwrap(),
    ])
    .ok();
}

#[test]
fn init_writes_a_commented_config_that_parses_to_the_defaults() {
    let (s, _fix) = Sandbox::released();
    s.hotfix(&["init"]).ok();
    let text = s.read(".hotfix.toml");
    assert!(text.contains("# "));
    assert!(text.contains("max-lines = 200"));
    s.hotfix(&["init"]).code(2).says("already exists");
    // The written file is valid: check reads it with --config.
    s.hotfix(&[
        "check",
        "--config",
        s.path(".hotfix.toml").to_str().unwrap(),
        "--base",
        "v1.1.0",
        "--head",
        "v1.1.0",
    ])
    .code(1);
}

#[test]
fn a_fresh_clone_reads_and_extends_the_remote_ledger() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            "[deploy]\nenvironments = [\"staging\", \"prod\"]\n",
        )],
        "environments",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--reviewer", "rita", "--push", "--yes"])
        .ok();
    let pushed = s.git_in(&s.origin, &["rev-parse", "hotfix-ledger"]);
    let other = s.clone_as("fresh");
    let home = s.home();
    let local_ledger = |dir: &std::path::Path| {
        s.git_in(
            dir,
            &[
                "for-each-ref",
                "--format=%(objectname)",
                "refs/heads/hotfix-ledger",
            ],
        )
    };
    // No ledger branch of its own yet: reads come from origin/hotfix-ledger.
    assert_eq!(local_ledger(&other), "");
    let list = run_hotfix(&other, &home, &["list", "--format", "json"], &[]);
    let doc: serde_json::Value = serde_json::from_str(&list.ok().stdout).unwrap();
    assert_eq!(doc["hotfixes"][0]["id"], "v1.1.1");
    let month = [
        "report", "--format", "json", "--since", "2026-03", "--until", "2026-03",
    ];
    let report = |dir: &std::path::Path| {
        let out = run_hotfix(dir, &home, &month, &[]);
        let doc: serde_json::Value = serde_json::from_str(&out.ok().stdout).unwrap();
        (doc, out.stderr.clone())
    };
    let (doc, _) = report(&other);
    assert_eq!(
        (doc["total"].clone(), doc["tracked"].clone()),
        (1.into(), 1.into())
    );

    // Its first write builds on the remote's ledger, so its next push is a fast-forward.
    run_hotfix(&other, &home, &["deployed", "v1.1.1", "--env", "prod"], &[]).ok();
    let tip = local_ledger(&other);
    assert_eq!(
        s.git_in(&other, &["rev-parse", &format!("{tip}^")]),
        pushed,
        "the new ledger commit's parent is origin's ledger"
    );
    s.assert_index_current(&other);

    // Another clone's events arrive with a plain fetch: reads warn until sync merges them.
    s.hotfix(&["deployed", "v1.1.1", "--env", "staging"]).ok();
    s.hotfix(&["sync"]).ok();
    s.git_in(&other, &["fetch", "-q", "origin"]);
    let (_, stderr) = report(&other);
    assert!(
        stderr.contains("origin/hotfix-ledger has ledger events this clone has not merged"),
        "{stderr}"
    );
    run_hotfix(&other, &home, &["sync"], &[]).ok();
    let (doc, stderr) = report(&other);
    assert!(!stderr.contains("not merged"), "{stderr}");
    assert_eq!(doc["hotfixes"][0]["deployed_at"], "2026-03-10T12:00:00Z");
    let envs: Vec<String> = s
        .git_in(&other, &["show", "hotfix-ledger:records/v1.1.1.jsonl"])
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["env"].as_str().map(str::to_string)
        })
        .collect();
    assert_eq!(envs, ["prod", "staging"]);
}
