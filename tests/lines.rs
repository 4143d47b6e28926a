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
    // status names the worktree.
    s.hotfix(&["status"]).ok().says(&wt.display().to_string());

    // Resolve in the worktree, continue from the main one by naming the line.
    std::fs::write(wt.join("f.txt"), "A\nB1 fixed\nC\n").unwrap();
    s.git_in(&wt, &["add", "f.txt"]);
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
