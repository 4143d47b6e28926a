//! Each policy rule failing on a real repository: exit code 1 and the rule named.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::collections::HashMap;

use common::{Out, Sandbox};

/// Parses `check --format json` into rule id -> verdict.
fn verdicts(out: &Out) -> HashMap<String, String> {
    let doc: serde_json::Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.all()));
    assert_eq!(doc["schema"], 1);
    doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check(s: &Sandbox, extra: &[&str]) -> (Out, HashMap<String, String>) {
    let (out, _) = s.check_json(extra);
    let v = verdicts(&out);
    (out, v)
}

#[test]
fn a_good_hotfix_passes() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let (out, v) = check(&s, &[]);
    out.ok();
    assert!(v.values().all(|x| x == "pass" || x == "skip"), "{v:?}");
    assert_eq!(v.len(), 14);
}

#[test]
fn base_is_release_fails_when_queued_release_branch_commits_ride_along() {
    let (s, fix) = Sandbox::released();
    // release/1.1 holds a backport queued for the next release.
    s.git(&["switch", "-q", "-c", "release/1.1", "v1.1.0"]);
    s.git(&["cherry-pick", "-x", "main"]);
    s.git(&["push", "-q", "origin", "release/1.1"]);
    s.git(&["fetch", "-q", "origin"]);
    // Someone branches from the release branch instead of the tag, and picks the fix.
    s.git(&["switch", "-q", "-c", "hotfix/1.1.1"]);
    s.git(&["cherry-pick", "-x", &fix]);
    let (out, v) = check(&s, &[]);
    out.code(1);
    assert_eq!(v["base-is-release"], "fail");
    assert!(
        out.stdout.contains("queued on the release branch"),
        "{}",
        out.stdout
    );
    // `hotfix start` branches from the tag and names the queued commit instead.
    s.git(&["switch", "-q", "main"]);
    s.git(&["branch", "-D", "hotfix/1.1.1"]);
    s.hotfix(&["start", "--line", "1.1"])
        .ok()
        .says("not part of this hotfix")
        .says("later feature");
    assert_eq!(s.rev("HEAD"), s.rev("v1.1.0^{commit}"));
}

#[test]
fn from_mainline_fails_for_no_trailer_and_for_a_trailer_naming_a_commit_off_mainline() {
    let (s, _fix) = Sandbox::started();
    s.commit(
        &[("src/app.txt", "hand edit\n"), ("tests/t.txt", "t\n")],
        "hand-made change",
    );
    let (out, v) = check(&s, &[]);
    out.code(1);
    assert_eq!(v["from-mainline"], "fail");
    assert_eq!(v["release-paths"], "fail");
    assert!(out.stdout.contains("has no cherry-pick trailer"));

    let (s, _fix) = Sandbox::released();
    s.git(&["switch", "-q", "-c", "topic", "v1.1.0"]);
    let off = s.commit(&[("src/topic.txt", "t\n")], "unmerged work");
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    let msg = format!("typed by hand\n\n(cherry picked from commit {off})");
    s.commit(&[("src/topic.txt", "t\n"), ("tests/t.txt", "t\n")], &msg);
    let (out, v) = check(&s, &[]);
    out.code(1);
    assert_eq!(v["from-mainline"], "fail");
    assert!(out.stdout.contains("not on mainline"), "{}", out.stdout);
}

#[test]
fn no_merges_fails_for_an_evil_merge_and_allows_a_plain_one() {
    let (s, fix) = Sandbox::started();
    // A pull request merged into the hotfix branch, exactly git's merge: allowed.
    s.git(&["switch", "-q", "-c", "pr", "v1.1.0"]);
    s.git(&["cherry-pick", "-x", &fix]);
    s.git(&["switch", "-q", "hotfix/1.1.1"]);
    s.commit(&[("CHANGELOG.md", "notes\n")], "release notes");
    s.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #9",
        "pr",
    ]);
    let cfg = s.config_file(
        "policy.toml",
        "[policy]\nrelease-paths = [\"CHANGELOG.md\"]\n",
    );
    let (out, v) = check(&s, &["--config", &cfg]);
    out.ok();
    assert_eq!(v["no-merges"], "pass");
    // The same merge with a change of its own: refused, and named.
    s.write("src/evil.txt", "sneaked in\n");
    s.git(&["add", "src/evil.txt"]);
    s.git(&["commit", "-q", "--amend", "--no-edit"]);
    let evil = s.rev("HEAD");
    let (out, v) = check(&s, &["--config", &cfg]);
    out.code(1);
    assert_eq!(v["no-merges"], "fail");
    assert!(out.stdout.contains(&evil), "{}", out.stdout);
}

#[test]
fn release_paths_allow_untrailed_release_notes_only() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.commit(&[("CHANGELOG.md", "1.1.1: fix crash\n")], "changelog");
    let cfg = s.config_file(
        "policy.toml",
        "[policy]\nrelease-paths = [\"CHANGELOG.md\", \"VERSION\"]\n",
    );
    let (out, v) = check(&s, &["--config", &cfg]);
    out.ok();
    assert_eq!(v["release-paths"], "pass");
    assert_eq!(v["from-mainline"], "pass");
    s.commit(
        &[("CHANGELOG.md", "more\n"), ("src/app.txt", "sneak\n")],
        "changelog and code",
    );
    let (out, v) = check(&s, &["--config", &cfg]);
    out.code(1);
    assert_eq!(v["release-paths"], "fail");
}

#[test]
fn size_limits_fail_above_their_limit() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let cfg = s.config_file(
        "policy.toml",
        "[policy]\nmax-commits = 0\nmax-files = 1\nmax-lines = 2\n",
    );
    let (out, v) = check(&s, &["--config", &cfg]);
    out.code(1);
    assert_eq!(v["max-commits"], "fail");
    assert_eq!(v["max-files"], "fail");
    assert_eq!(v["max-lines"], "fail");
    assert!(out.stdout.contains("3 line(s) changed (limit 2)") || out.all().contains("limit 2"));
    // size-ignore leaves paths out of the sums.
    let cfg = s.config_file(
        "policy.toml",
        "[policy]\nmax-files = 1\nmax-lines = 2\nsize-ignore = [\"tests/**\"]\n",
    );
    let (_out, v) = check(&s, &["--config", &cfg]);
    assert_eq!(v["max-files"], "pass");
    assert_eq!(v["max-lines"], "pass");
}

#[test]
fn scope_fails_for_a_denied_path() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let cfg = s.config_file("policy.toml", "[policy]\ndeny = [\"src/app.txt\"]\n");
    let (out, v) = check(&s, &["--config", &cfg]);
    out.code(1);
    assert_eq!(v["scope"], "fail");
    let cfg = s.config_file("policy.toml", "[policy]\nallow = [\"docs/**\"]\n");
    let (_out, v) = check(&s, &["--config", &cfg]);
    assert_eq!(v["scope"], "fail");
}

#[test]
fn regression_test_fails_without_a_test_and_overrides_are_recorded() {
    let (s, _fix) = Sandbox::started();
    let no_test = s.rev("origin/main");
    s.hotfix(&["pick", &no_test]).ok();
    let (out, v) = check(&s, &[]);
    out.code(1);
    assert_eq!(v["regression-test"], "fail");
    s.hotfix(&["ship", "--reviewer", "rita", "--yes"])
        .code(1)
        .says("regression-test");
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.1.1"]));
    s.hotfix(&[
        "ship",
        "--reviewer",
        "rita",
        "--yes",
        "--override",
        "regression-test",
    ])
    .code(2);
    s.hotfix(&[
        "ship",
        "--reviewer",
        "rita",
        "--yes",
        "--override",
        "no-such-rule",
        "--reason",
        "x",
    ])
    .code(2)
    .says("no such rule");
    s.hotfix(&[
        "ship",
        "--reviewer",
        "rita",
        "--yes",
        "--override",
        "regression-test",
        "--reason",
        "test follows in INC-9",
    ])
    .ok();
    let ev = s.events("v1.1.1");
    let shipped = ev.iter().find(|e| e["type"] == "shipped").unwrap();
    assert_eq!(shipped["overrides"][0]["rule"], "regression-test");
    assert_eq!(shipped["overrides"][0]["reason"], "test follows in INC-9");
    let rule = shipped["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "regression-test")
        .unwrap();
    assert_eq!(rule["verdict"], "overridden");
    assert!(
        s.git(&["cat-file", "-p", "v1.1.1"])
            .contains("Hotfix-Override: regression-test")
    );
}

#[test]
fn reviewed_fails_for_an_author_or_the_shipper() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let out = s.hotfix(&[
        "check",
        "--format",
        "json",
        "--reviewer",
        "Ann Author <ann@example.com>",
    ]);
    out.code(1);
    assert_eq!(verdicts(&out)["reviewed"], "fail");
    let out = s.hotfix(&[
        "check",
        "--format",
        "json",
        "--reviewer",
        "olga@example.com",
    ]);
    out.code(1);
    assert_eq!(verdicts(&out)["reviewed"], "fail");
    assert!(out.stdout.contains("the shipper"));
}

#[test]
fn version_free_fails_when_the_tag_exists_on_the_remote() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.git(&["push", "-q", "origin", "main:refs/tags/v1.1.1"]);
    let (out, v) = check(&s, &[]);
    out.code(1);
    assert_eq!(v["version-free"], "fail");
    assert!(out.stdout.contains("already exists on the remote"));
}

#[test]
fn rollback_target_fails_when_the_hotfix_skips_a_release() {
    let (s, fix) = Sandbox::released();
    s.git(&["tag", "-a", "v1.1.1", "-m", "v1.1.1", "main~1"]);
    s.git(&["switch", "-q", "-c", "hotfix/1.1.2", "v1.1.0"]);
    s.git(&["cherry-pick", "-x", &fix]);
    let (out, v) = check(&s, &["--base", "v1.1.0", "--head", "hotfix/1.1.2"]);
    out.code(1);
    assert_eq!(v["rollback-target"], "fail");
    assert!(out.stdout.contains("v1.1.1"));
}

#[test]
fn tests_pass_runs_the_command_in_a_temporary_worktree() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    // The command sees the hotfix head's files, not the working tree's.
    s.write("src/app.txt", "uncommitted\n");
    let cfg = s.config_file(
        "policy.toml",
        "[policy]\ntest-command = \"grep -q 'line 3 fixed' src/app.txt\"\n",
    );
    let (out, v) = check(&s, &["--config", &cfg]);
    out.ok();
    assert_eq!(v["tests-pass"], "pass");
    let cfg = s.config_file(
        "policy.toml",
        "[policy]\ntest-command = \"echo boom; exit 3\"\n",
    );
    let (out, v) = check(&s, &["--config", &cfg]);
    out.code(1);
    assert_eq!(v["tests-pass"], "fail");
    assert!(out.stdout.contains("boom"));
    assert_eq!(
        s.git(&["worktree", "list"]).lines().count(),
        1,
        "the worktree is removed"
    );
}
