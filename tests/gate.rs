//! `hotfix check` as a CI gate: provenance proved from the repository, range mode on a detached
//! HEAD, shallow clones, JSON and GitHub Actions output, and proving the regression test.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Out, Sandbox, numbered, rule, run_hotfix};
use serde_json::Value;

fn json(out: &Out) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.all()))
}

#[test]
fn json_document_field_by_field_for_a_clean_pick() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let head = s.rev("HEAD");
    let out = s.hotfix(&[
        "check",
        "--format",
        "json",
        "--reviewer",
        "Rita <rita@example.com>",
    ]);
    out.ok();
    let doc = json(&out);
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["id"], "v1.1.1");
    assert_eq!(doc["base"], "v1.1.0");
    assert_eq!(doc["head"], head);
    assert_eq!(doc["verdict"], "pass");
    assert_eq!(
        doc["stats"],
        serde_json::json!({"commits": 1, "files": 2, "added": 2, "deleted": 1})
    );
    let c = &doc["commits"][0];
    assert_eq!(c["id"], head);
    assert_eq!(c["subject"], "fix: crash");
    assert_eq!(c["author"]["email"], "ann@example.com");
    assert_eq!(c["provenance"]["kind"], "picked");
    assert_eq!(c["provenance"]["source"], fix);
    assert_eq!(c["provenance"]["origin"], fix);
    assert_eq!(c["provenance"]["chain"], serde_json::json!([fix]));
    assert_eq!(c["provenance"]["clean"], true);
    assert_eq!(
        c["paths"],
        serde_json::json!(["src/app.txt", "tests/app_test.txt"])
    );
    let ids: Vec<&str> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "base-is-release",
            "from-mainline",
            "no-merges",
            "release-paths",
            "max-commits",
            "max-files",
            "max-lines",
            "scope",
            "regression-test",
            "reviewed",
            "approved",
            "version-free",
            "rollback-target",
            "tests-pass"
        ]
    );
    let rt = rule(&doc, "regression-test");
    assert_eq!(rt["verdict"], "pass");
    assert_eq!(rt["items"][0]["path"], "tests/app_test.txt");
    assert_eq!(rt["items"][0]["note"], "test path (matches **/tests/**)");
    let rv = rule(&doc, "reviewed");
    assert_eq!(rv["detail"], "1 of 1 required reviewer(s)");
    assert_eq!(rule(&doc, "tests-pass")["verdict"], "skip");
}

#[test]
fn a_conflict_resolved_pick_is_modified_with_its_difference_shown() {
    let (s, _fix) = Sandbox::released();
    let refactored = numbered(10).replace("line 3\n", "line 3 refactored\n");
    s.commit(&[("src/app.txt", &refactored)], "refactor");
    let fix = s.commit(
        &[
            (
                "src/app.txt",
                &refactored.replace("line 3 refactored\n", "line 3 refactored fixed\n"),
            ),
            ("tests/app_test.txt", "test 1\nregression\n"),
        ],
        "fix line 3",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).code(3);
    s.write(
        "src/app.txt",
        &numbered(10).replace("line 3\n", "line 3 fixed\n"),
    );
    s.write("tests/app_test.txt", "test 1\nregression\n");
    s.git(&["add", "src/app.txt", "tests/app_test.txt"]);
    s.hotfix(&["pick", "--continue"]).ok();
    let out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    out.ok();
    let doc = json(&out);
    let r = rule(&doc, "from-mainline");
    assert_eq!(r["verdict"], "warn");
    let note = r["items"][0]["note"].as_str().unwrap();
    assert!(note.contains("modified"), "{note}");
    assert!(
        note.contains("-+line 3 refactored fixed"),
        "the source's line: {note}"
    );
    assert!(note.contains("++line 3 fixed"), "the pick's line: {note}");
    assert_eq!(doc["commits"][0]["provenance"]["clean"], false);
    assert!(!note.contains("index "), "no blob-id noise: {note}");
    // The human output gives one line per modified pick, and the difference with --diff.
    let out = s.hotfix(&["check", "--reviewer", "rita"]);
    out.ok().says("line(s) of difference; --diff shows them");
    assert!(!out.stdout.contains("+line 3 fixed"), "{}", out.stdout);
    s.hotfix(&["check", "--reviewer", "rita", "--diff"])
        .ok()
        .says("+line 3 fixed");
    s.hotfix(&["-v", "status"]).ok().says("+line 3 fixed");
    // With allow-modified = false it fails.
    let cfg = s.config_file("strict.toml", "[policy]\nallow-modified = false\n");
    let out = s.hotfix(&[
        "check",
        "--format",
        "json",
        "--reviewer",
        "rita",
        "--config",
        &cfg,
    ]);
    out.code(1);
    assert_eq!(rule(&json(&out), "from-mainline")["verdict"], "fail");
}

#[test]
fn different_surrounding_lines_are_clean_and_different_changed_lines_are_modified() {
    let (s, _fix) = Sandbox::released();
    // On the release line, a line two away from the fix differs from mainline.
    s.git(&["switch", "-q", "-c", "release/1.1", "v1.1.0"]);
    s.commit(
        &[(
            "src/app.txt",
            &numbered(10).replace("line 7\n", "line seven\n"),
        )],
        "release-only tweak",
    );
    s.git(&["tag", "-a", "v1.1.1", "-m", "v1.1.1"]);
    s.git(&["switch", "-q", "main"]);
    let fixed = s.read("src/app.txt").replace("line 5\n", "line 5 fixed\n");
    let fix = s.commit(
        &[("src/app.txt", &fixed), ("tests/t.txt", "t\n")],
        "fix line 5",
    );
    s.git(&["push", "-q", "origin", "main", "--tags"]);
    s.git(&["fetch", "-q", "origin"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    assert_ne!(
        s.git(&["show", "-U3", "--format=", "HEAD", "--", "src/app.txt"]),
        s.git(&["show", "-U3", "--format=", &fix, "--", "src/app.txt"]),
        "the context lines differ"
    );
    let out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    out.ok();
    assert_eq!(rule(&json(&out), "from-mainline")["verdict"], "pass");
    assert_eq!(json(&out)["commits"][0]["provenance"]["clean"], true);
    // Amending the pick's changed lines makes it modified.
    s.write(
        "src/app.txt",
        &numbered(10)
            .replace("line 5\n", "line 5 fixed differently\n")
            .replace("line 7\n", "line seven\n"),
    );
    s.git(&["commit", "-q", "-a", "--amend", "--no-edit"]);
    let out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    assert_eq!(rule(&json(&out), "from-mainline")["verdict"], "warn");
}

#[test]
fn a_chain_of_picks_through_another_release_line_ends_on_mainline() {
    let (s, fix) = Sandbox::released();
    s.git(&["tag", "-a", "v1.2.0", "-m", "v1.2.0", "main~2"]);
    // main -> release/1.2 -> the 1.1 hotfix, each pick adding its trailer.
    s.git(&["switch", "-q", "-c", "release/1.2", "v1.2.0"]);
    s.git(&["cherry-pick", "-x", &fix]);
    let on_12 = s.rev("HEAD");
    s.git(&["push", "-q", "origin", "release/1.2", "--tags"]);
    s.git(&["fetch", "-q", "origin"]);
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.git(&["cherry-pick", "-x", &on_12]);
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert!(msg.contains(&fix) && msg.contains(&on_12), "{msg}");
    let out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    out.ok();
    let p = &json(&out)["commits"][0]["provenance"];
    assert_eq!(p["kind"], "picked");
    assert_eq!(p["source"], on_12);
    assert_eq!(p["origin"], fix);
    assert_eq!(p["chain"], serde_json::json!([on_12, fix]));
}

#[test]
fn a_detached_head_is_checked_as_ci_checks_it() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let head = s.rev("HEAD");
    s.git(&["checkout", "-q", "--detach", &head]);
    let out = s.hotfix(&["check", "--format", "json", "--reviewer", "rita"]);
    out.ok();
    let doc = json(&out);
    assert_eq!(doc["base"], "v1.1.0");
    assert_eq!(doc["id"], "v1.1.1");
    // CI names the branch in GITHUB_REF_NAME.
    let out = s.hotfix_env(
        &["check", "--format", "json", "--reviewer", "rita"],
        &[("GITHUB_REF_NAME", "hotfix/1.1.4")],
    );
    assert_eq!(json(&out)["id"], "v1.1.4");
    // Range mode: the base must be a release tag.
    let out = s.hotfix(&[
        "check",
        "--format",
        "json",
        "--reviewer",
        "rita",
        "--base",
        "v1.1.0",
        "--head",
        &head,
    ]);
    out.ok();
    s.hotfix(&["check", "--base", "main", "--head", &head])
        .code(2)
        .says("not a release tag");
}

#[test]
fn a_shallow_clone_gets_the_explanation_and_fetch_then_succeeds() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.git(&["push", "-q", "origin", "hotfix/1.1.1"]);
    let ci = s.shallow_clone(Some("hotfix/1.1.1"), "ci");
    let out = run_hotfix(&ci, &s.home(), &["check", "--reviewer", "rita"], &[]);
    out.code(2)
        .says("shallow clone")
        .says("--fetch")
        .says("fetch-depth: 0")
        .says("git fetch --unshallow --tags origin");
    run_hotfix(
        &ci,
        &s.home(),
        &["check", "--fetch", "--reviewer", "rita"],
        &[],
    )
    .ok()
    .says("verdict: pass");
}

#[test]
fn github_output_line_by_line_and_the_step_summary() {
    let (s, _fix) = Sandbox::started();
    let no_test = s.rev("origin/main");
    s.hotfix(&["pick", &no_test]).ok();
    s.commit(&[("notes.txt", "n\n")], "hand-made, no trailer");
    let summary = s.config_file("summary.md", "earlier step\n");
    let out = s.hotfix_env(
        &["check", "--format", "github", "--reviewer", "rita"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    out.code(1);
    // The human report is fenced off (`::stop-commands::TOKEN` ... `::TOKEN::`), then the
    // workflow commands follow.
    let all: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with("::")).collect();
    let token = all[0].strip_prefix("::stop-commands::").unwrap();
    assert_eq!(token.len(), 32);
    assert_eq!(all[1], format!("::{token}::"));
    let commands = &all[2..];
    let head = s.rev("HEAD");
    assert_eq!(
        commands,
        [
            format!("::error title=hotfix from-mainline::{} 1 commit(s) are not picks of mainline fixes: \"hand-made, no trailer\" has no cherry-pick trailer, and no mainline commit since the line forked has its changes", &head[..10]).as_str(),
            format!("::error title=hotfix release-paths::{} 1 commit(s) without a trailer touch paths outside policy.release-paths: touches notes.txt", &head[..10]).as_str(),
            "::error title=hotfix regression-test::the hotfix changes no test",
            "::notice title=hotfix check::v1.1.1 on v1.1.0: fail",
        ]
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n## hotfix check: v1.1.1 on v1.1.0: fail\n"),
        "{md}"
    );
    assert!(md.contains("| rule | verdict | detail |"), "{md}");
    assert!(
        md.contains("| `regression-test` | fail | the hotfix changes no test |"),
        "{md}"
    );
    assert!(
        md.contains("| `max-commits` | pass | 2 commit(s) (limit 5) |"),
        "{md}"
    );

    // A path item carries file=, and data is escaped.
    let cfg = s.config_file("deny.toml", "[policy]\ndeny = [\"notes.txt\"]\n");
    let out = s.hotfix(&[
        "check",
        "--format",
        "github",
        "--reviewer",
        "rita",
        "--config",
        &cfg,
    ]);
    assert!(
        out.stdout.lines().any(|l| l == "::error file=notes.txt,title=hotfix scope::1 path(s) out of scope: matches policy.deny glob \"notes.txt\""),
        "{}",
        out.stdout
    );
}

#[test]
fn prove_regression_runs_the_test_before_and_after_the_fix() {
    let s = Sandbox::empty();
    s.commit(
        &[
            ("src/calc.sh", "answer() { echo 41; }\n"),
            (
                "tests/check.sh",
                ". ./src/calc.sh\n[ \"$(answer)\" -gt 0 ]\n",
            ),
        ],
        "init",
    );
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    let fix = s.commit(
        &[
            ("src/calc.sh", "answer() { echo 42; }\n"),
            (
                "tests/check.sh",
                ". ./src/calc.sh\n[ \"$(answer)\" = 42 ]\n",
            ),
        ],
        "fix: the answer is 42",
    );
    let weak = s.commit(
        &[
            ("src/calc.sh", "answer() { echo 42; } # tidy\n"),
            ("tests/other.sh", "true\n"),
        ],
        "tidy with a test that proves nothing",
    );
    // The policy lives on mainline: ship judges under it (it refuses --config).
    let policy = "[policy]\ntest-command = \"sh tests/check.sh\"\nprove-regression = true\n";
    s.commit(&[(".hotfix.toml", policy)], "policy: prove regressions");
    s.publish();
    let cfg = s.config_file("prove.toml", policy);
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let out = s.hotfix(&[
        "check",
        "--format",
        "json",
        "--reviewer",
        "rita",
        "--config",
        &cfg,
    ]);
    out.ok();
    let r = rule(&json(&out), "tests-pass").clone();
    assert_eq!(r["verdict"], "pass");
    assert!(
        r["detail"]
            .as_str()
            .unwrap()
            .contains("fails on v1.0.0 with only the test changes (tests/check.sh)"),
        "{r}"
    );
    // Ship records both outcomes.
    s.hotfix(&["ship", "--reviewer", "rita", "--yes"]).ok();
    let ev = s.events("v1.0.1");
    let shipped = ev.iter().find(|e| e["type"] == "shipped").unwrap();
    assert_eq!(shipped["tests_run"]["passed"], true);
    assert_eq!(shipped["tests_run"]["before"]["passed"], false);
    assert_eq!(
        shipped["tests_run"]["before"]["tests"],
        serde_json::json!(["tests/check.sh"])
    );

    // A test that passes without the fix proves nothing: the next hotfix (from v1.0.1) adds a
    // test file that the test command does not even run.
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.0"]).ok().says("v1.0.2");
    s.hotfix(&["pick", &weak]).ok();
    let out = s.hotfix(&[
        "check",
        "--format",
        "json",
        "--reviewer",
        "rita",
        "--config",
        &cfg,
    ]);
    out.code(1);
    let doc = json(&out);
    let r = rule(&doc, "tests-pass");
    assert_eq!(r["verdict"], "fail");
    assert!(
        r["detail"]
            .as_str()
            .unwrap()
            .contains("does not catch the bug"),
        "{r}"
    );
}

#[test]
fn init_ci_github_writes_a_workflow_with_the_history_it_needs() {
    let (s, _fix) = Sandbox::released();
    s.hotfix(&["init", "--ci", "github"]).ok();
    let wf = s.read(".github/workflows/hotfix.yml");
    assert!(wf.contains("fetch-depth: 0"), "{wf}");
    assert!(wf.contains("branches: [\"hotfix/**\"]"), "{wf}");
    assert!(wf.contains("branches: [\"release/**\", \"main\"]"), "{wf}");
    assert!(wf.contains("hotfix check --format github"), "{wf}");
    assert!(wf.contains("refs/heads/hotfix-ledger"), "{wf}");
    assert!(s.path(".hotfix.toml").exists());
    s.hotfix(&["init", "--ci", "github"])
        .code(2)
        .says("already exists");
    s.hotfix(&["init", "--ci", "github", "--force"]).ok();
}
