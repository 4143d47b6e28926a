//! One incident on several release lines: conflicts on lines that are not checked out wait in
//! their own worktrees and are resolved there, lines that need a chain wait on the newer line,
//! a kill at any step is finished by a re-run, and ship publishes the lines in one atomic push.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;

/// Three lines whose `f.txt` differs: 1.2 has mainline's `B2`, 1.1 and 1.0 the older `B1`
/// (1.0 also lacks `g.txt`). The fix on mainline changes `B2`, so it is clean on 1.2, a real
/// conflict on 1.1, and on 1.0 it conflicts directly but applies through 1.1's resolved pick.
fn three_lines() -> (Sandbox, String) {
    let s = Sandbox::empty();
    s.commit(&[("f.txt", "A\nB1\nC\n"), ("README", "r\n")], "init");
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.commit(&[("g.txt", "g\n")], "add g");
    s.git(&["tag", "-a", "v1.1.0", "-m", "v1.1.0"]);
    s.commit(&[("f.txt", "A\nB2\nC\n")], "B2");
    s.commit(
        &[(
            ".hotfix.toml",
            "[release]\nsupported = [\"1.2\", \"1.1\", \"1.0\"]\n",
        )],
        "policy",
    );
    s.git(&["tag", "-a", "v1.2.0", "-m", "v1.2.0"]);
    let fix = s.commit(&[("f.txt", "A\nB2 fixed\nC\n")], "fix: B");
    s.publish();
    (s, fix)
}

fn msg(s: &Sandbox, rev: &str) -> String {
    s.git(&["log", "-1", "--format=%B", rev])
}

fn worktree(s: &Sandbox, line: &str) -> std::path::PathBuf {
    s.path(&format!(".git/hotfix/worktrees/{line}"))
}

/// Resolves 1.1's conflict in its worktree as a person would: the fixed line, then `git add`.
fn resolve(s: &Sandbox, wt: &std::path::Path) {
    std::fs::write(wt.join("f.txt"), "A\nB1 fixed\nC\n").unwrap();
    s.git_in(wt, &["add", "f.txt"]);
}

/// What a kill inside `git worktree add` leaves of 1.1's worktree: locked "initializing".
fn half_made_worktree(s: &Sandbox) {
    std::fs::create_dir_all(s.path(".git/hotfix/worktrees")).unwrap();
    s.git(&[
        "worktree",
        "add",
        "-q",
        "--lock",
        "--reason",
        "initializing",
        ".git/hotfix/worktrees/1.1",
        "hotfix/1.1.1",
    ]);
}

#[test]
fn a_conflict_on_a_line_not_checked_out_is_resolved_in_its_worktree_and_the_chain_follows() {
    let (s, fix) = three_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-W"])
        .ok();
    let base10 = s.rev("hotfix/1.0.1");
    let out = s.hotfix(&["pick", &fix]);
    out.code(3)
        .says("line 1.1 waits")
        .says("line 1.0 waiting on 1.1");
    // 1.2 is picked through the working tree, which stays clean and checked out.
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.2.1");
    assert_eq!(s.git(&["status", "--porcelain"]), "");
    assert_eq!(s.git(&["show", "hotfix/1.2.1:f.txt"]), "A\nB2 fixed\nC");
    // 1.1's conflict is in its worktree, with markers, on its branch.
    let wt = worktree(&s, "1.1");
    assert!(
        out.stderr.contains(&wt.display().to_string()),
        "{}",
        out.all()
    );
    let conflicted = std::fs::read_to_string(wt.join("f.txt")).unwrap();
    assert!(conflicted.contains("<<<<<<<"), "{conflicted}");
    assert_eq!(s.git_in(&wt, &["branch", "--show-current"]), "hotfix/1.1.1");
    // 1.0 waits, untouched; the records say so.
    assert_eq!(s.rev("hotfix/1.0.1"), base10);
    assert_eq!(s.event_types("v1.2.1"), ["started", "picked"]);
    assert_eq!(s.event_types("v1.1.1"), ["started"]);
    assert_eq!(s.event_types("v1.0.1"), ["started"]);
    // Ship refuses while lines are open, and writes nothing.
    let refs = s.refs();
    s.hotfix(&["ship", "--reviewer", "Rita <rita@example.com>", "--yes"])
        .code(1)
        .says("still open");
    assert_eq!(s.refs(), refs);
    // status names the worktree, and its next command ships this line alone while the
    // others are not ready.
    s.hotfix(&["status"])
        .ok()
        .says(&wt.display().to_string())
        .says("waiting on 1.1")
        .says("hotfix ship --line 1.2")
        .says("line(s) 1.1, 1.0 not ready");

    // Resolve in the worktree, continue from the main one by naming the line.
    resolve(&s, &wt);
    let out = s.hotfix(&["pick", "--continue", "--line", "1.1"]);
    out.ok().says("chain");
    assert!(!wt.exists(), "the worktree goes once its pick is done");
    let p11 = s.rev("hotfix/1.1.1");
    assert_eq!(s.git(&["show", "hotfix/1.1.1:f.txt"]), "A\nB1 fixed\nC");
    assert!(msg(&s, &p11).contains(&format!("(cherry picked from commit {fix})")));
    // 1.0 took the chain through 1.1's resolved pick: both trailers, its own file.
    let m10 = msg(&s, "hotfix/1.0.1");
    assert!(
        m10.contains(&format!("(cherry picked from commit {fix})")),
        "{m10}"
    );
    assert!(
        m10.contains(&format!("(cherry picked from commit {p11})")),
        "{m10}"
    );
    assert_eq!(s.git(&["show", "hotfix/1.0.1:f.txt"]), "A\nB1 fixed\nC");
    assert_eq!(s.git(&["rev-parse", "hotfix/1.0.1^"]), base10);
    assert_eq!(s.event_types("v1.1.1"), ["started", "picked"]);
    assert_eq!(s.event_types("v1.0.1"), ["started", "picked"]);
    let ev = s.events("v1.1.1");
    assert_eq!(ev[1]["commit"], p11.as_str());
    assert_eq!(ev[1]["source"], fix.as_str());
    // The main worktree never moved.
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.2.1");
    assert_eq!(s.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_line_pick_killed_at_each_step_is_finished_by_running_it_again() {
    for point in [
        "pick-line-worktree-made",
        "pick-line-before-record",
        "pick-after-commit",
    ] {
        let (s, fix) = three_lines();
        s.hotfix(&["start", "--lines", "supported", "--incident", "INC-K"])
            .ok();
        let out = s.hotfix_env(&["pick", &fix], &[("HOTFIX_FAILPOINT", point)]);
        assert_ne!(out.code, 0, "{point}: {}", out.all());
        // The re-run (or the continue) finishes: 1.1 waits in its worktree with markers.
        let wt = worktree(&s, "1.1");
        let again = if s.path(".git/hotfix/pick.json").exists() {
            s.hotfix(&["pick", "--continue"])
        } else {
            s.hotfix(&["pick", &fix])
        };
        assert_eq!(again.code, 3, "{point}: {}", again.all());
        assert!(
            std::fs::read_to_string(wt.join("f.txt"))
                .unwrap()
                .contains("<<<<<<<"),
            "{point}"
        );
        assert_eq!(s.event_types("v1.2.1"), ["started", "picked"], "{point}");
        assert_eq!(
            s.git(&["rev-list", "--count", "v1.2.0..hotfix/1.2.1"]),
            "1",
            "{point}: picked once"
        );
        // Abort the waiting line: its branch is back, its worktree gone, and a fresh pick
        // onto it stops in a new worktree again.
        let before = s.rev("hotfix/1.1.1");
        s.hotfix(&["pick", "--abort", "--line", "1.1"]).ok();
        assert!(!wt.exists(), "{point}");
        assert_eq!(s.rev("hotfix/1.1.1"), before, "{point}");
        s.hotfix(&["pick", &fix, "--line", "1.1"]).code(3);
        assert!(wt.join("f.txt").exists(), "{point}");
    }
}

#[test]
fn a_waiting_line_can_be_skipped_and_skip_line_keeps_a_stopped_resolution() {
    let (s, fix) = three_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-S"])
        .ok();
    s.hotfix(&["pick", &fix]).code(3);
    let wt = worktree(&s, "1.1");
    // A stopped pick is somebody's resolution: skip-line refuses until it is aborted.
    s.hotfix(&["skip-line", "1.1", "--reason", "end of life"])
        .code(2)
        .says("pick --abort --line 1.1");
    assert_eq!(s.event_types("v1.1.1"), ["started"]);
    // --skip drops the one commit in the worktree; the line has nothing then, and 1.0, no
    // longer waiting on a chain, stops on its own conflict in its own worktree.
    s.hotfix(&["pick", "--skip", "--line", "1.1"])
        .code(3)
        .says("line 1.0 waits");
    assert!(!wt.exists());
    assert_eq!(s.rev("hotfix/1.1.1"), s.rev("v1.1.0^{commit}"));
    assert!(worktree(&s, "1.0").join("f.txt").exists());
    // Now the line can be skipped.
    s.hotfix(&["skip-line", "1.1", "--reason", "end of life"])
        .ok();
    assert_eq!(s.event_types("v1.1.1"), ["started", "skipped"]);
    // Unknown line, or a line with nothing stopped: clear errors.
    s.hotfix(&["pick", "--continue", "--line", "1.1"])
        .code(2)
        .says("no pick waits on line 1.1");
    s.hotfix(&["pick", "--continue", "--line", "x"]).code(2);
}

/// The incident of `three_lines` with every line picked (1.1 resolved by hand, 1.0 chained).
fn three_lines_picked() -> (Sandbox, String) {
    let (s, fix) = three_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-P"])
        .ok();
    s.hotfix(&["pick", &fix]).code(3);
    let wt = worktree(&s, "1.1");
    resolve(&s, &wt);
    s.hotfix(&["pick", "--continue", "--line", "1.1"]).ok();
    (s, fix)
}

fn remote_refs(s: &Sandbox) -> String {
    s.git_in(
        &s.origin,
        &["for-each-ref", "--format=%(refname) %(objectname)"],
    )
}

const REVIEWER: &str = "Rita <rita@example.com>";

#[test]
fn ship_judges_each_line_with_its_own_overrides_and_all_or_nothing() {
    let (s, _fix) = three_lines_picked();
    let refs = s.refs();
    // No line has a regression test: the whole incident does not ship, nothing is written.
    s.hotfix(&["ship", "--reviewer", REVIEWER, "--yes"])
        .code(1)
        .says("rules failed on line(s) 1.2");
    assert_eq!(s.refs(), refs);
    // An override scoped to one line bends that line only: the others still fail.
    let out = s.hotfix(&[
        "ship",
        "--reviewer",
        REVIEWER,
        "--override",
        "regression-test",
        "--line",
        "1.0",
        "--reason",
        "the test needs a fixture 1.0 lacks",
        "--yes",
    ]);
    out.code(1)
        .says("1.2 (regression-test)")
        .says("1.1 (regression-test)");
    assert!(
        !out.stderr.contains("1.0 (regression-test)"),
        "{}",
        out.all()
    );
    assert_eq!(s.refs(), refs, "all or nothing: nothing written");
    // A scope on a line that does not ship is refused.
    s.hotfix(&[
        "ship",
        "--line",
        "1.2",
        "--override",
        "regression-test",
        "--line",
        "1.0",
        "--reason",
        "x",
        "--yes",
    ])
    .code(2)
    .says("line 1.0 is not shipped by this command");
    // With --line, the lines asked for ship; one that fails does not, and the exit is 1.
    let out = s.hotfix(&[
        "ship",
        "--reviewer",
        REVIEWER,
        "--line",
        "1.2",
        "--line",
        "1.0",
        "--override",
        "regression-test",
        "--line",
        "1.0",
        "--reason",
        "the test needs a fixture 1.0 lacks",
        "--yes",
    ]);
    out.code(1).says("not shipped: line(s) 1.2");
    assert!(s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.0.1"]));
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.2.1"]));
    let shipped = s.events("v1.0.1");
    let last = shipped.last().unwrap();
    assert_eq!(last["type"], "shipped");
    assert_eq!(last["overrides"][0]["rule"], "regression-test");
    let tag = s.git(&["cat-file", "-p", "v1.0.1"]);
    assert!(tag.contains("Hotfix-Override: regression-test"), "{tag}");
}

#[test]
fn ship_pushes_every_line_in_one_atomic_push_all_refs_or_none() {
    let (s, _fix) = three_lines_picked();
    // The remote's release/1.1 holds a commit the hotfix does not: it is left out, not forced.
    s.git(&[
        "push",
        "-q",
        "origin",
        "v1.1.0^{commit}:refs/heads/release/1.1",
    ]);
    s.git(&[
        "push",
        "-q",
        "origin",
        "v1.0.0^{commit}:refs/heads/release/1.0",
    ]);
    let other = s.git(&[
        "commit-tree",
        "-p",
        "v1.1.0^{commit}",
        "-m",
        "elsewhere",
        "v1.1.0^{tree}",
    ]);
    s.git(&[
        "push",
        "-q",
        "-f",
        "origin",
        &format!("{other}:refs/heads/release/1.1"),
    ]);
    // A hook that turns down one ref makes the whole push fail: nothing lands.
    let hook = s.origin.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\nwhile read old new ref; do [ \"$ref\" = refs/tags/v1.0.1 ] && { echo no 1.0 >&2; exit 1; }; done; exit 0\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .args(["+x", hook.to_str().unwrap()])
        .status()
        .unwrap();
    let before = remote_refs(&s);
    let ship = [
        "ship",
        "--reviewer",
        REVIEWER,
        "--override",
        "regression-test",
        "--reason",
        "tests follow in INC-P-2",
        "--push",
        "--yes",
    ];
    let out = s.hotfix(&ship);
    assert_eq!(out.code, 4, "{}", out.all());
    // The hook's own reason is shown; the plan, made from the remote's answer, never offered
    // to push the release branch that cannot fast-forward.
    out.says("no 1.0");
    assert!(
        !out.stdout.contains(":refs/heads/release/1.1"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(":refs/heads/release/1.0"),
        "{}",
        out.stdout
    );
    assert_eq!(
        remote_refs(&s),
        before,
        "an atomic push lands all or nothing"
    );
    // Tagged and recorded here; the re-run only pushes, and then everything lands at once.
    for id in ["v1.2.1", "v1.1.1", "v1.0.1"] {
        assert!(
            s.git_ok(&["rev-parse", "-q", "--verify", &format!("refs/tags/{id}")]),
            "{id}"
        );
        assert_eq!(s.event_types(id).last().unwrap(), "shipped", "{id}");
    }
    std::fs::remove_file(&hook).unwrap();
    let out = s.hotfix(&["ship", "--push", "--yes"]);
    out.ok()
        .says("one atomic push")
        .says("release/1.1 is left alone");
    let after = remote_refs(&s);
    for id in ["v1.2.1", "v1.1.1", "v1.0.1"] {
        assert!(after.contains(&format!("refs/tags/{id} ")), "{id}: {after}");
    }
    for b in ["hotfix/1.2.1", "hotfix/1.1.1", "hotfix/1.0.1"] {
        assert!(
            after.contains(&format!("refs/heads/{b} {}", s.rev(b))),
            "{b}: {after}"
        );
    }
    // release/1.0 fast-forwarded to its hotfix; release/1.1 kept the commit it had.
    assert!(after.contains(&format!("refs/heads/release/1.0 {}", s.rev("hotfix/1.0.1"))));
    assert!(after.contains(&format!("refs/heads/release/1.1 {other}")));
    // The remote ledger has the three records.
    assert!(after.contains("refs/heads/hotfix-ledger "), "{after}");
    assert_eq!(
        s.git(&["rev-parse", "origin/hotfix-ledger"]),
        s.rev("hotfix-ledger")
    );
}

#[test]
fn an_older_line_checked_out_takes_the_chain_and_waits_on_the_newer_line() {
    let (s, fix) = three_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-O"])
        .ok();
    s.git(&["switch", "-q", "hotfix/1.0.1"]);
    let base10 = s.rev("hotfix/1.0.1");
    s.hotfix(&["pick", &fix])
        .code(3)
        .says("line 1.1 waits")
        .says("line 1.0 waiting on 1.1");
    // Nothing stopped in the main worktree: 1.0 waits without a conflict of its own.
    assert!(!s.path(".git/hotfix/pick.json").exists());
    assert_eq!(s.git(&["status", "--porcelain"]), "");
    assert_eq!(s.rev("hotfix/1.0.1"), base10);
    // A plain --continue here names the line that waits.
    s.hotfix(&["pick", "--continue"])
        .code(2)
        .says("hotfix pick --continue --line 1.1");
    let wt = worktree(&s, "1.1");
    resolve(&s, &wt);
    // 1.0 is checked out here, so the cascade leaves it to a pick run here.
    s.hotfix(&["pick", "--continue", "--line", "1.1"])
        .code(3)
        .says("line 1.0 waits");
    assert_eq!(s.rev("hotfix/1.0.1"), base10);
    let p11 = s.rev("hotfix/1.1.1");
    s.hotfix(&["pick", &fix]).ok().says("chain");
    let m10 = msg(&s, "hotfix/1.0.1");
    assert!(
        m10.contains(&format!("(cherry picked from commit {fix})")),
        "{m10}"
    );
    assert!(
        m10.contains(&format!("(cherry picked from commit {p11})")),
        "{m10}"
    );
    assert_eq!(s.read("f.txt"), "A\nB1 fixed\nC\n");
    assert_eq!(s.git(&["status", "--porcelain"]), "");
    let ev = s.events("v1.0.1");
    assert_eq!(s.event_types("v1.0.1"), ["started", "picked"]);
    assert_eq!(
        ev[1]["source"],
        fix.as_str(),
        "the record names the mainline source"
    );
}

#[test]
fn worktrees_half_made_or_removed_by_hand_and_stale_ref_locks_do_not_wedge_the_incident() {
    let (s, fix) = three_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-H"])
        .ok();
    // What a kill inside `git worktree add` leaves: a worktree locked "initializing".
    std::fs::create_dir_all(s.path(".git/hotfix/worktrees")).unwrap();
    half_made_worktree(&s);
    s.hotfix(&["pick", &fix]).code(3).says("line 1.1 waits");
    let wt = worktree(&s, "1.1");
    assert!(
        std::fs::read_to_string(wt.join("f.txt"))
            .unwrap()
            .contains("<<<<<<<")
    );
    // The folder removed by hand: the next pick starts that line again.
    std::fs::remove_dir_all(&wt).unwrap();
    s.hotfix(&["pick", &fix]).code(3).says("line 1.1 waits");
    assert!(
        std::fs::read_to_string(wt.join("f.txt"))
            .unwrap()
            .contains("<<<<<<<")
    );
    // A ref lock left by a kill is named, with its removal, and nothing is picked.
    s.hotfix(&["pick", "--abort", "--line", "1.1"]).ok();
    let lock = s.path(".git/refs/heads/hotfix/1.1.1.lock");
    std::fs::write(&lock, "").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&lock)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let before = s.rev("hotfix/1.1.1");
    let out = s.hotfix(&["pick", &fix, "--line", "1.1"]);
    out.code(2).says("hotfix/1.1.1.lock");
    assert!(!out.stdout.contains("picked"), "{}", out.all());
    assert_eq!(s.rev("hotfix/1.1.1"), before);
}

#[test]
fn a_resolution_with_conflict_markers_is_refused_and_a_killed_cascade_is_finished() {
    let (s, fix) = three_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-M"])
        .ok();
    s.hotfix(&["pick", &fix]).code(3);
    let wt = worktree(&s, "1.1");
    // `git add` of the file as the conflict left it: refused, nothing moves.
    s.git_in(&wt, &["add", "f.txt"]);
    let before = (s.rev("hotfix/1.1.1"), s.rev("hotfix/1.0.1"));
    s.hotfix(&["pick", "--continue", "--line", "1.1"])
        .code(3)
        .says("conflict markers: f.txt:");
    assert_eq!((s.rev("hotfix/1.1.1"), s.rev("hotfix/1.0.1")), before);
    // Resolved, then killed in the cascade after 1.0's branch moved: the re-run records it.
    resolve(&s, &wt);
    let out = s.hotfix_env(
        &["pick", "--continue", "--line", "1.1"],
        &[("HOTFIX_FAILPOINT", "pick-line-before-record")],
    );
    assert_ne!(out.code, 0, "{}", out.all());
    assert_ne!(s.rev("hotfix/1.0.1"), before.1, "1.0's branch moved");
    assert_eq!(s.event_types("v1.0.1"), ["started"]);
    s.hotfix(&["pick", "--continue", "--line", "1.1"])
        .ok()
        .says("had finished");
    assert_eq!(s.event_types("v1.0.1"), ["started", "picked"]);
    assert_eq!(
        s.events("v1.0.1")[1]["commit"],
        s.rev("hotfix/1.0.1").as_str()
    );
    assert!(!wt.exists());
    // A pick, a ship or a skip-line while one of them runs is refused (the lock holds a live
    // pid: this test's), and nothing is written.
    let lock = s.path(".git/hotfix/lines.lock");
    std::fs::write(&lock, std::process::id().to_string()).unwrap();
    let before = s.state();
    for cmd in [
        vec!["pick", fix.as_str()],
        vec!["ship", "--yes", "--reviewer", REVIEWER],
        vec!["skip-line", "1.0", "--reason", "x"],
    ] {
        s.hotfix(&cmd)
            .code(2)
            .says("another `hotfix pick`, `ship` or `skip-line` is running");
    }
    assert_eq!(s.state(), before);
    std::fs::remove_file(&lock).unwrap();
}

#[test]
fn the_checked_out_line_that_has_the_fix_already_is_closed_as_applied() {
    let (s, fix) = three_lines();
    s.git(&["switch", "-q", "-c", "release/1.2", "v1.2.0"]);
    s.git(&["cherry-pick", "-x", &fix]);
    s.git(&["tag", "-a", "v1.2.1", "-m", "v1.2.1"]);
    s.git(&["switch", "-q", "main"]);
    s.publish();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-A"])
        .ok();
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.2.2");
    s.hotfix(&["pick", &fix])
        .code(3)
        .says("line 1.2: applied already; closed (v1.2.2)");
    assert_eq!(s.event_types("v1.2.2"), ["started", "skipped"]);
    assert_eq!(s.rev("hotfix/1.2.2"), s.rev("v1.2.1^{commit}"));
    // A hotfix of its own (no incident) is never closed that way.
    let (t, fix) = three_lines();
    t.git(&["switch", "-q", "-c", "release/1.2", "v1.2.0"]);
    t.git(&["cherry-pick", "-x", &fix]);
    t.git(&["tag", "-a", "v1.2.1", "-m", "v1.2.1"]);
    t.git(&["switch", "-q", "main"]);
    t.publish();
    t.hotfix(&["start", "--line", "1.2"]).ok();
    t.hotfix(&["pick", &fix]).ok();
    assert_eq!(t.event_types("v1.2.2"), ["started"]);
}

#[test]
fn kills_around_a_line_conflict_and_its_skip_are_finished_and_a_shipped_line_takes_no_pick() {
    let (s, fix) = three_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-K2"])
        .ok();
    // Killed after the state says "stopped" and before the conflict is written: --continue
    // runs the step again, and the markers appear.
    let out = s.hotfix_env(
        &["pick", &fix],
        &[("HOTFIX_FAILPOINT", "pick-before-conflict")],
    );
    assert_ne!(out.code, 0, "{}", out.all());
    let wt = worktree(&s, "1.1");
    assert!(
        !std::fs::read_to_string(wt.join("f.txt"))
            .unwrap()
            .contains("<<<<<<<")
    );
    s.hotfix(&["pick", "--continue", "--line", "1.1"])
        .code(3)
        .says("hotfix pick --continue --line 1.1");
    assert!(
        std::fs::read_to_string(wt.join("f.txt"))
            .unwrap()
            .contains("<<<<<<<")
    );
    // --skip killed before the older lines were picked on: the re-run finishes it.
    let out = s.hotfix_env(
        &["pick", "--skip", "--line", "1.1"],
        &[("HOTFIX_FAILPOINT", "pick-before-cascade")],
    );
    assert_ne!(out.code, 0, "{}", out.all());
    s.hotfix(&["pick", "--skip", "--line", "1.1"])
        .code(3)
        .says("had finished")
        .says("line 1.0 waits");
    assert!(!wt.exists());
    assert!(worktree(&s, "1.0").join("f.txt").exists());
    // A worktree so half made that git cannot remove it (no HEAD, a HEAD.lock) is cleared.
    s.hotfix(&["pick", "--abort", "--line", "1.0"]).ok();
    half_made_worktree(&s);
    let admin = s.path(".git/worktrees/1.1");
    std::fs::remove_file(admin.join("HEAD")).unwrap();
    std::fs::write(admin.join("HEAD.lock"), "").unwrap();
    s.hotfix(&["pick", &fix, "--line", "1.1"])
        .code(3)
        .says("line 1.1 waits");
    assert!(
        std::fs::read_to_string(wt.join("f.txt"))
            .unwrap()
            .contains("<<<<<<<")
    );
    s.hotfix(&["pick", "--abort", "--line", "1.1"]).ok();
    // A shipped line takes no more picks: the next fix is the next patch release.
    s.hotfix(&["skip-line", "1.1", "--reason", "end of life"])
        .ok();
    s.hotfix(&["skip-line", "1.0", "--reason", "end of life"])
        .ok();
    s.hotfix(&[
        "ship",
        "--reviewer",
        REVIEWER,
        "--override",
        "regression-test",
        "--reason",
        "x",
        "--yes",
    ])
    .ok();
    let other = s.commit(&[("g2.txt", "g2\n")], "fix: another");
    s.git(&["switch", "-q", "hotfix/1.2.1"]);
    let events = s.event_types("v1.2.1");
    s.hotfix(&["pick", &other])
        .code(2)
        .says("cannot pick: v1.2.1 has shipped")
        .says("hotfix start --line 1.2");
    assert_eq!(s.event_types("v1.2.1"), events);
}
