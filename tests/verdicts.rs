//! Verdicts on the patterns real projects' histories hold (issue 13): test markers as the
//! language means them, vendored code, defaults pinned by an old `init`, backports without a
//! trailer, chained picks, pull requests judged at their head, shipped hotfixes re-checked.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Sandbox, numbered, rule};

/// A Go-shaped repository released as v1.0.0, with `files` committed on mainline as the fix,
/// and a hotfix for 1.0.1 with that fix picked.
fn go_hotfix(files: &[(&str, &str)]) -> Sandbox {
    let s = Sandbox::empty();
    s.commit(
        &[
            ("go.mod", "module example.com/shop\n"),
            ("pkg/server.go", "package pkg\n\nfunc Serve() {}\n"),
        ],
        "init",
    );
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    let fix = s.commit(files, "fix: serve waits for the listener");
    s.publish();
    s.hotfix(&["start", "--line", "1.0"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s
}

#[test]
fn regression_test_fails_for_markers_in_ordinary_code_docs_and_vendored_files() {
    let s = go_hotfix(&[
        (
            "pkg/server.go",
            "package pkg\n\nfunc Serve() {\n\tt.Wait()\n\tparts := strings.Split(s, \",\")\n\tos.Exit(1)\n}\n",
        ),
        (
            "vendor/golang.org/x/net/CONTRIBUTING.md",
            "Write a test:\n\nfunc TestSomething(t *testing.T) {}\nit(\"works\")\n",
        ),
        (
            "vendor/golang.org/x/net/http2/frame_test.go",
            "package http2\n\nfunc TestFrame(t *testing.T) {}\n",
        ),
        ("docs/testing.md", "func TestExample(t *testing.T) {}\n"),
        // A dependency bump in the tests' own module is not a test.
        (
            "tests/go.mod",
            "module example.com/shop/tests\n\nrequire golang.org/x/net v0.9.0\n",
        ),
        ("tests/go.sum", "golang.org/x/net v0.9.0 h1:abc=\n"),
    ]);
    let (out, doc) = s.check_json(&[]);
    out.code(1);
    let rt = rule(&doc, "regression-test");
    assert_eq!(rt["verdict"], "fail", "{rt}");
    assert_eq!(rt["detail"], "the hotfix changes no test");
}

#[test]
fn regression_test_names_the_file_and_line_of_a_marker() {
    let s = go_hotfix(&[
        (
            "pkg/server.go",
            "package pkg\n\nfunc Serve() {}\n\nfunc helper() {}\n",
        ),
        (
            "pkg/server_inline.go",
            "package pkg\n\n// a test kept beside the code, as some projects do\nfunc TestServeWaits(t *testing.T) {\n}\n",
        ),
    ]);
    let (out, doc) = s.check_json(&[]);
    out.ok();
    let rt = rule(&doc, "regression-test");
    assert_eq!(rt["verdict"], "pass", "{rt}");
    assert_eq!(rt["items"][0]["path"], "pkg/server_inline.go");
    assert_eq!(
        rt["items"][0]["note"],
        "line 4 starts a test with func Test: func TestServeWaits(t *testing.T) {"
    );
    // The human output names them too.
    s.hotfix(&["check", "--reviewer", "Rita <rita@example.com>"])
        .ok()
        .says("tests changed: pkg/server_inline.go:4");
}

#[test]
fn markers_from_the_config_follow_the_same_rules() {
    let s = go_hotfix(&[(
        "pkg/server.go",
        "package pkg\n\nfunc Serve() {\n\tscenario(x)\n}\n",
    )]);
    let cfg = s.config_file("markers.toml", "[policy]\ntest-markers = [\"scenario(\"]\n");
    let (_, doc) = s.check_json(&["--config", &cfg]);
    assert_eq!(rule(&doc, "regression-test")["verdict"], "fail");
    let s = go_hotfix(&[(
        "pkg/server.go",
        "package pkg\n\nfunc Serve() {\n\tscenario(\"serve waits\", func() {})\n}\n",
    )]);
    let cfg = s.config_file("markers.toml", "[policy]\ntest-markers = [\"scenario(\"]\n");
    let (_, doc) = s.check_json(&["--config", &cfg]);
    let rt = rule(&doc, "regression-test");
    assert_eq!(rt["verdict"], "pass", "{rt}");
    assert_eq!(rt["items"][0]["path"], "pkg/server.go");
}

#[test]
fn vendored_code_does_not_count_toward_the_size_limits() {
    let big = numbered(3000);
    let s = go_hotfix(&[
        ("pkg/server.go", "package pkg\n\nfunc Serve() { wait() }\n"),
        (
            "pkg/server_test.go",
            "package pkg\n\nfunc TestServe(t *testing.T) {}\n",
        ),
        ("vendor/golang.org/x/net/http2/frame.go", &big),
        ("third_party/zlib/inflate.c", &big),
        ("web/node_modules/left-pad/index.js", &big),
        ("go.work.sum", &big),
    ]);
    let (out, doc) = s.check_json(&[]);
    out.ok();
    let ml = rule(&doc, "max-lines");
    assert_eq!(ml["verdict"], "pass", "{ml}");
    let mf = rule(&doc, "max-files");
    assert_eq!(mf["verdict"], "pass", "{mf}");
}

#[test]
fn init_writes_defaults_as_comments_and_check_names_a_key_pinned_to_an_old_default() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["init"]).ok();
    let text = s.read(".hotfix.toml");
    assert!(text.contains("# max-lines = 200"), "{text}");
    // The one decision init makes for a new repository: which severities are hotfixes.
    let set: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .collect();
    assert_eq!(set, ["hotfix-severities = [\"sev1\", \"sev2\"]"], "{text}");
    // A file an older init wrote pins the old size-ignore and markers.
    let old = "[policy]\nsize-ignore = [\"**/*.lock\", \"**/package-lock.json\", \"**/go.sum\", \"**/CHANGELOG.md\"]\ntest-markers = [\"#[test]\", \"#[tokio::test]\", \"def test_\", \"func Test\", \"it(\", \"test(\", \"@Test\", \"[Fact]\"]\nmax-lines = 200\n";
    s.commit(&[(".hotfix.toml", old)], "policy from an old init");
    s.push_main();
    s.git(&["switch", "-q", "hotfix/1.1.1"]);
    let out = s.hotfix(&["check", "--reviewer", "Rita <rita@example.com>"]);
    out.ok();
    assert_eq!(
        out.stderr
            .matches("is exactly the default that older versions of `hotfix init` wrote")
            .count(),
        2,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("policy.size-ignore in .hotfix.toml on origin/main")
    );
    assert!(out.stderr.contains("**/vendor/**"));
    assert!(!out.stdout.contains("older versions"), "notes go to stderr");
}

#[test]
fn the_test_output_keeps_stdout_and_stderr_in_the_order_written_into_the_ledger() {
    let (s, fix) = Sandbox::released();
    let command =
        "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo out $i; echo err $i >&2; done; exit 1";
    s.commit(
        &[(
            ".hotfix.toml",
            &format!("[policy]\ntest-command = \"{command}\"\n"),
        )],
        "policy: run the tests",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let expected: Vec<String> = (1..=12)
        .flat_map(|i| [format!("out {i}"), format!("err {i}")])
        .collect();
    let expected = expected[expected.len() - 20..].join("\n");
    let (out, doc) = s.check_json(&[]);
    out.code(1);
    let tp = rule(&doc, "tests-pass");
    assert_eq!(tp["verdict"], "fail");
    assert_eq!(tp["items"][0]["note"], expected.as_str());
    s.hotfix(&[
        "ship",
        "--yes",
        "--reviewer",
        "Rita <rita@example.com>",
        "--override",
        "tests-pass",
        "--reason",
        "flaky runner",
    ])
    .ok();
    let shipped = s
        .events("v1.1.1")
        .into_iter()
        .find(|e| e["type"] == "shipped")
        .unwrap();
    assert_eq!(shipped["tests_run"]["output_tail"], expected.as_str());
}

#[test]
fn the_identity_comes_from_the_config_file_git_itself_reads() {
    let (s, fix) = Sandbox::released();
    // ~/.gitconfig names one person, GIT_CONFIG_GLOBAL another: git uses the second.
    std::fs::write(
        s.home().join(".gitconfig"),
        "[user]\n\tname = Hank Home\n\temail = hank@example.com\n",
    )
    .unwrap();
    let global = s.home().join("global.gitconfig");
    std::fs::write(
        &global,
        "[user]\n\tname = Gina Global\n\temail = gina@example.com\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotfix"));
        common::hermetic(&mut cmd, &s.home());
        cmd.env_remove("GIT_COMMITTER_NAME")
            .env_remove("GIT_COMMITTER_EMAIL")
            .env("GIT_CONFIG_GLOBAL", &global)
            .current_dir(s.path(""))
            .args(args)
            .stdin(std::process::Stdio::null());
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["start", "--line", "1.1"]);
    run(&["pick", &fix]);
    assert_eq!(
        s.git(&["log", "-1", "--format=%cn <%ce>", "hotfix/1.1.1"]),
        "Gina Global <gina@example.com>"
    );
    let by: Vec<String> = s
        .events("v1.1.1")
        .iter()
        .map(|e| e["by"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(by.iter().all(|b| b.contains("gina@example.com")), "{by:?}");
    // Without any identity, the error says so and what to do.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotfix"));
    common::hermetic(&mut cmd, &s.home());
    let out = cmd
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", s.home().join("nowhere"))
        .env("EMAIL", "")
        .current_dir(s.path(""))
        .args(["abandon", "--reason", "test"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("git does not know who you are"), "{err}");
    assert!(err.contains("fatal:"), "git's own reason is given: {err}");
}

/// A repository whose mainline fixes `grant()` in src/auth.rs after the v1.0.0 release.
fn auth_repo() -> (Sandbox, String) {
    let s = Sandbox::empty();
    let auth = "fn check() {}\n\nfn grant() {\n    allow();\n}\n\nfn audit() {\n    log();\n}\n";
    s.commit(
        &[("src/auth.rs", auth), ("tests/auth.rs", "// tests\n")],
        "init",
    );
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.commit(&[("src/other.rs", "later\n")], "unrelated work");
    let fix = s.commit(
        &[
            (
                "src/auth.rs",
                &auth.replace("    allow();\n", "    verify();\n    allow();\n"),
            ),
            (
                "tests/auth.rs",
                "// tests\n#[test]\nfn grant_verifies() {}\n",
            ),
        ],
        "fix: grant verifies first",
    );
    s.commit(&[("src/more.rs", "more\n")], "more work");
    s.publish();
    s.hotfix(&["start", "--line", "1.0"]).ok();
    (s, fix)
}

#[test]
fn a_backport_without_a_trailer_is_matched_by_patch_id_and_confirmed() {
    let (s, fix) = auth_repo();
    // Plain `git cherry-pick`, no -x: the same change, no trailer.
    s.git(&["cherry-pick", &fix]);
    assert!(
        !s.git(&["log", "-1", "--format=%B"])
            .contains("cherry picked")
    );
    let (out, doc) = s.check_json(&[]);
    out.ok();
    let fm = rule(&doc, "from-mainline");
    assert_eq!(fm["verdict"], "pass", "{fm}");
    assert!(
        fm["detail"]
            .as_str()
            .unwrap()
            .contains("1 matched by patch-id")
    );
    let note = fm["items"][0]["note"].as_str().unwrap();
    assert!(note.contains(&fix[..10]), "{note}");
    assert!(note.contains("git cherry-pick -x"), "{note}");
    assert_eq!(fm["items"][0]["commit"], s.rev("HEAD").as_str());
    assert_eq!(rule(&doc, "release-paths")["verdict"], "pass");

    // A pull request that rebased the fix: new author date and committer, same change.
    let (s, fix) = auth_repo();
    let patch = s.git(&["format-patch", "-1", "--stdout", &fix]);
    let patch = patch.replace("fix: grant verifies first", "Grant verifies first (#41)");
    s.git_in_stdin(&["am", "-q", "--ignore-date"], &(patch + "\n"));
    let (out, doc) = s.check_json(&[]);
    out.ok();
    assert_eq!(rule(&doc, "from-mainline")["verdict"], "pass");
}

#[test]
fn the_same_lines_in_the_wrong_place_do_not_pass_for_a_backport() {
    let (s, fix) = auth_repo();
    // The fix's line added in audit() instead of grant(): the same -U0 patch text (patch-ids
    // ignore line numbers), so the same patch-id, but another program.
    let before = s.read("src/auth.rs");
    let wrong = before.replace("    log();\n", "    verify();\n    log();\n");
    s.commit(
        &[
            ("src/auth.rs", &wrong),
            (
                "tests/auth.rs",
                "// tests\n#[test]\nfn grant_verifies() {}\n",
            ),
        ],
        "fix: grant verifies first",
    );
    let ours = s.git_in_stdin(&["patch-id", "--stable"], &s.git(&["show", "-U0", "HEAD"]));
    let theirs = s.git_in_stdin(&["patch-id", "--stable"], &s.git(&["show", "-U0", &fix]));
    assert_eq!(
        ours.split(' ').next(),
        theirs.split(' ').next(),
        "git itself calls them the same patch"
    );
    let (out, doc) = s.check_json(&[]);
    out.code(1);
    let fm = rule(&doc, "from-mainline");
    assert_eq!(fm["verdict"], "fail", "{fm}");
    assert!(
        fm["items"][0]["note"]
            .as_str()
            .unwrap()
            .contains("has no cherry-pick trailer"),
        "{fm}"
    );
}

#[test]
fn a_modified_pick_stays_in_view_when_another_commit_fails_from_mainline() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    // The pick is amended by hand: it keeps its trailer, its lines now differ from the source.
    s.write(
        "src/app.txt",
        &s.read("src/app.txt")
            .replace("line 5\n", "line 5 tweaked\n"),
    );
    s.git(&["commit", "-q", "-a", "--amend", "--no-edit"]);
    let modified = s.rev("HEAD");
    s.commit(&[("src/extra.txt", "typed by hand\n")], "hand-made change");
    let (out, doc) = s.check_json(&[]);
    out.code(1);
    let fm = rule(&doc, "from-mainline");
    assert_eq!(fm["verdict"], "fail");
    assert!(
        fm["detail"]
            .as_str()
            .unwrap()
            .contains("1 pick(s) also differ from their source"),
        "{fm}"
    );
    let commits: Vec<&str> = fm["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["commit"].as_str().unwrap())
        .collect();
    assert_eq!(commits, [s.rev("HEAD").as_str(), modified.as_str()]);
}

#[test]
fn pick_takes_a_chained_backport_that_from_mainline_accepts() {
    let (s, fix) = Sandbox::released();
    // The fix is already backported to release/1.1 with -x; line 1.0 takes that backport.
    s.git(&["switch", "-q", "-c", "release/1.1", "v1.1.0"]);
    s.git(&["cherry-pick", "-x", &fix]);
    let backport = s.rev("HEAD");
    // And a copy without a trailer, as a plain `git cherry-pick` leaves it.
    s.git(&["switch", "-q", "-c", "release/1.1-plain", "v1.1.0"]);
    s.git_at("2026-03-11T09:00:00Z", &["cherry-pick", &fix]);
    assert_ne!(s.rev("HEAD"), fix);
    let plain = s.rev("HEAD");
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.0"]).ok();
    s.hotfix(&["pick", &backport])
        .ok()
        .says("is a backport of mainline's");
    let message = s.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.contains(&format!("(cherry picked from commit {fix})")),
        "{message}"
    );
    assert!(
        message.contains(&format!("(cherry picked from commit {backport})")),
        "{message}"
    );
    let (out, doc) = s.check_json(&[]);
    out.ok();
    let fm = rule(&doc, "from-mainline");
    assert_eq!(fm["verdict"], "pass", "{fm}");

    s.hotfix(&["abandon", "v1.0.1", "--reason", "try the plain copy"])
        .ok();
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.0"]).ok();
    let branch = s.git(&["branch", "--show-current"]);
    s.hotfix(&["pick", &plain])
        .ok()
        .says("is a backport of mainline's");
    let (out, doc) = s.check_json(&[]);
    out.ok();
    assert_eq!(rule(&doc, "from-mainline")["verdict"], "pass");

    // A commit off mainline that leads nowhere is still refused, with nothing changed.
    s.git(&["switch", "-q", "-c", "topic", "v1.0.0"]);
    let stray = s.commit(&[("src/stray.txt", "x\n")], "unmerged work");
    s.git(&["switch", "-q", &branch]);
    let before = s.state();
    s.hotfix(&["pick", &stray])
        .code(2)
        .says("is not on mainline");
    assert_eq!(s.state(), before);
}

#[test]
fn after_a_pushed_ship_check_and_status_judge_the_hotfix_by_its_own_tag() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&[
        "ship",
        "--yes",
        "--push",
        "--reviewer",
        "Rita <rita@example.com>",
    ])
    .ok();
    s.hotfix(&["status"])
        .ok()
        .says("v1.1.1 is shipped and pushed; once it is deployed: hotfix deployed v1.1.1");
    // CI on the push of the hotfix branch: a fresh clone, the runner's identity, no --reviewer.
    let ci = s.clone_as("ci");
    s.git_in(&ci, &["switch", "-q", "hotfix/1.1.1"]);
    let env = [
        ("GIT_COMMITTER_NAME", "github-actions"),
        ("GIT_COMMITTER_EMAIL", "actions@github.com"),
    ];
    let out = common::run_hotfix(&ci, &s.home(), &["check", "--format", "json"], &env);
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rv = rule(&doc, "reviewed");
    assert_eq!(rv["verdict"], "pass", "{rv}");
    assert!(rv["items"].to_string().contains("tag v1.1.1"), "{rv}");
    // The tagger is the shipper: a tag naming its own tagger as reviewer does not count.
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let msg =
        "v1.1.1: hand-made\n\nHotfix-Id: v1.1.1\nReviewed-by: Olga Oncall <olga@example.com>\n";
    s.git(&["tag", "-a", "v1.1.1", "-m", msg]);
    let out = s.hotfix_env(
        &["check", "--format", "json"],
        &[
            ("GIT_COMMITTER_NAME", "Runner"),
            ("GIT_COMMITTER_EMAIL", "ci@example.com"),
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rv = rule(&doc, "reviewed");
    assert_eq!(rv["verdict"], "fail", "{rv}");
    assert!(rv["items"].to_string().contains("the shipper"), "{rv}");
    // A lightweight tag at the head says nothing about reviews.
    s.git(&["tag", "-d", "v1.1.1"]);
    s.git(&["tag", "v1.1.1"]);
    let (_, doc) = {
        let out = s.hotfix(&["check", "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        (out, doc)
    };
    assert_eq!(rule(&doc, "reviewed")["verdict"], "fail");
}

#[test]
fn a_pull_request_run_judges_the_pushed_head_not_the_merge_actions_checks_out() {
    let (s, fix) = Sandbox::released();
    // release/1.1 has a backport queued for the next release.
    s.git(&["switch", "-q", "-c", "release/1.1", "v1.1.0"]);
    s.git(&["cherry-pick", "-x", "main"]);
    s.git(&["push", "-q", "origin", "release/1.1"]);
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let head = s.rev("HEAD");
    s.git(&["push", "-q", "origin", "hotfix/1.1.1"]);
    // What actions/checkout gives on pull_request: the merge into the release branch's tip.
    s.git(&["switch", "-q", "--detach", "release/1.1"]);
    s.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #7",
        "hotfix/1.1.1",
    ]);
    let event = s.config_file(
        "event.json",
        &format!("{{\"pull_request\": {{\"number\": 7, \"head\": {{\"sha\": \"{head}\", \"ref\": \"hotfix/1.1.1\"}}}}}}"),
    );
    let env = [
        ("GITHUB_HEAD_REF", "hotfix/1.1.1"),
        ("GITHUB_EVENT_PATH", event.as_str()),
        ("GITHUB_EVENT_NAME", "pull_request"),
    ];
    let args = [
        "check",
        "--format",
        "json",
        "--reviewer",
        "Rita <rita@example.com>",
    ];
    let out = s.hotfix_env(&args, &env);
    out.ok();
    assert!(
        out.stderr.contains("judging the pull request's head"),
        "{}",
        out.stderr
    );
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["id"], "v1.1.1");
    assert_eq!(doc["head"], head.as_str());
    for id in ["base-is-release", "from-mainline", "release-paths"] {
        assert_eq!(rule(&doc, id)["verdict"], "pass", "{id}");
    }
    // Without the event, the remote-tracking branch of GITHUB_HEAD_REF names the head.
    s.git(&["fetch", "-q", "origin"]);
    let out = s.hotfix_env(&args, &env[..1]);
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["head"], head.as_str());
    // A head the clone lacks is an error that says how to check it out.
    let missing = s.config_file(
        "missing.json",
        "{\"pull_request\": {\"head\": {\"sha\": \"1234567890123456789012345678901234567890\"}}}",
    );
    s.hotfix_env(
        &args,
        &[
            ("GITHUB_HEAD_REF", "hotfix/1.1.1"),
            ("GITHUB_EVENT_PATH", &missing),
        ],
    )
    .code(2)
    .says("fetch-depth: 0");
}

#[test]
fn init_writes_a_workflow_that_checks_out_the_pull_request_head_with_a_read_token() {
    let (s, _fix) = Sandbox::released();
    let cfg = s.config_file(
        "team.toml",
        "[release]\nbranch = \"stable-{line}\"\nhotfix-branch = \"fix/{version}\"\n",
    );
    s.hotfix(&["--config", &cfg, "init", "--ci", "github"])
        .ok()
        .says("the workflow follows");
    let wf = s.read(".github/workflows/hotfix.yml");
    assert!(wf.contains("branches: [\"fix/**\"]"), "{wf}");
    assert!(wf.contains("branches: [\"stable-**\", \"main\"]"), "{wf}");
    assert!(
        wf.contains("ref: ${{ github.event.pull_request.head.sha || github.sha }}"),
        "{wf}"
    );
    assert!(wf.contains("fetch-depth: 0"), "{wf}");
    assert!(wf.contains("pull-requests: read"), "{wf}");
    assert!(
        wf.contains("GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"),
        "{wf}"
    );
}

#[test]
fn github_format_annotates_each_failing_rule_once_and_puts_the_detail_in_the_summary() {
    // A wide hotfix: 40 files, no test, no reviewer: max-files, max-lines, regression-test and
    // reviewed fail, and each of the first two has 40 items.
    let s = Sandbox::empty();
    let files: Vec<(String, String)> = (0..40)
        .map(|i| (format!("src/m{i:02}.go"), format!("package m\n// {i}\n")))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    s.commit(&refs, "init");
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    let wide: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("src/m{i:02}.go"),
                format!("package m\n// {i}\n{}", "x\n".repeat(i + 1)),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = wide.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    let fix = s.commit(&refs, "fix: everything");
    s.publish();
    s.hotfix(&["start", "--line", "1.0"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let summary = s.config_file("summary.md", "");
    let out = s.hotfix_env(
        &["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    out.code(1);
    let errors: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert!(errors.len() <= 10, "{} errors: {errors:#?}", errors.len());
    // Every failing rule has its annotation, and they come first.
    for (i, id) in ["max-files", "max-lines", "regression-test", "reviewed"]
        .iter()
        .enumerate()
    {
        assert!(
            errors[i].starts_with(&format!("::error title=hotfix {id}::")),
            "{i}: {errors:#?}"
        );
    }
    assert!(errors[0].contains("(40 items; the step summary lists them all)"));
    // The largest files are the ones annotated.
    assert!(
        errors[4].starts_with("::error file=src/m39.go,title=hotfix max-files::"),
        "{errors:#?}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("### `max-files`: fail"), "{md}");
    for i in 0..40 {
        assert!(
            md.contains(&format!("- `src/m{i:02}.go`")),
            "m{i:02} missing: {md}"
        );
    }
}

#[test]
fn the_check_header_counts_commits_as_max_commits_does() {
    let (s, fix) = Sandbox::started();
    s.git(&["switch", "-q", "-c", "pr", "v1.1.0"]);
    s.git(&["cherry-pick", "-x", &fix]);
    s.git(&["switch", "-q", "hotfix/1.1.1"]);
    s.commit(&[("CHANGELOG.md", "notes\n")], "release notes");
    s.git(&["merge", "-q", "--no-ff", "-m", "Merge pr", "pr"]);
    let out = s.hotfix(&["check", "--reviewer", "Rita <rita@example.com>"]);
    assert!(
        out.stdout.contains("(2 commit(s) and 1 merge(s),"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("max-commits      2 commit(s)"),
        "{}",
        out.stdout
    );
}

#[test]
fn start_says_what_it_skips_and_why() {
    let (s, _fix) = Sandbox::released();
    // No release/1.1 branch: said once, with the key that names it.
    let out = s.hotfix(&["start", "--line", "1.1"]);
    out.ok();
    assert!(
        out.stderr
            .contains("line 1.1 has no release branch release/1.1")
            && out
                .stderr
                .contains("set release.branch (now \"release/{line}\")"),
        "{}",
        out.stderr
    );
    // Abandoned, the next start skips that version and says why, not "to resume".
    s.hotfix(&["abandon", "v1.1.1", "--reason", "wrong line"])
        .ok();
    s.hotfix(&["show", "v1.1.1"])
        .ok()
        .says("abandoned wrong line");
    s.git(&["switch", "-q", "main"]);
    let out = s.hotfix(&["start", "--line", "1.1"]);
    out.ok();
    assert!(
        out.stderr
            .contains("v1.1.1 was abandoned (reason: wrong line); its branch hotfix/1.1.1 is kept; trying the next patch"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("to resume"), "{}", out.stderr);
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.1.2");
    // With its branch deleted too, the abandoned version is still not reused: its record
    // stays whole.
    s.hotfix(&["abandon", "--reason", "again"]).ok();
    s.git(&["switch", "-q", "main"]);
    s.git(&["branch", "-D", "hotfix/1.1.1", "hotfix/1.1.2"]);
    s.hotfix(&["start", "--line", "1.1"]).ok();
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.1.3");
    assert_eq!(s.event_types("v1.1.1"), ["started", "abandoned"]);
    // A version that skips patches is warned about without a terminal.
    s.git(&["switch", "-q", "main"]);
    let out = s.hotfix(&["start", "1.0.5"]);
    out.ok();
    assert!(
        out.stderr
            .contains("1.0.5 skips 1.0.1 to 1.0.4: the newest release on line 1.0 is v1.0.0"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_failed_ship_names_where_its_policy_came_from() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes"]).code(1).says(
        "cause: the policy in force (built-in defaults (no .hotfix.toml on mainline)) is not met",
    );
    let cfg = s.config_file("try.toml", "[policy]\nmin-reviewers = 2\n");
    s.hotfix(&["ship", "--dry-run", "--config", &cfg])
        .code(1)
        .says(&format!("cause: the policy in force ({cfg}) is not met"));
    s.git(&["switch", "-q", "main"]);
    s.commit(&[(".hotfix.toml", "[policy]\nmax-lines = 100\n")], "policy");
    s.push_main();
    s.git(&["switch", "-q", "hotfix/1.1.1"]);
    s.hotfix(&["ship", "--yes"])
        .code(1)
        .says("cause: the policy in force (.hotfix.toml on origin/main) is not met");
}

#[test]
fn a_resolved_backport_without_a_trailer_names_its_likely_source() {
    let (s, fix) = auth_repo();
    // The same fix by the same author, resolved by hand: other changed lines, no trailer.
    let auth = s.read("src/auth.rs");
    s.commit(
        &[
            (
                "src/auth.rs",
                &auth.replace("    allow();\n", "    verify_v1();\n    allow();\n"),
            ),
            (
                "tests/auth.rs",
                "// tests\n#[test]\nfn grant_verifies() {}\n",
            ),
        ],
        "fix: grant verifies first",
    );
    let (out, doc) = s.check_json(&[]);
    out.code(1);
    let fm = rule(&doc, "from-mainline");
    let note = fm["items"][0]["note"].as_str().unwrap();
    assert!(
        note.contains(&format!(
            "mainline's {} has the same subject and author",
            &fix[..10]
        )),
        "{note}"
    );
    assert!(
        note.contains(&format!("git cherry-pick -x {}", &fix[..10])),
        "{note}"
    );
    assert_eq!(doc["commits"][0]["provenance"]["kind"], "unmatched");
    assert_eq!(rule(&doc, "release-paths")["verdict"], "fail");
}

#[test]
fn an_abandoned_hotfix_gets_no_more_picks_no_ship_and_no_restart() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["abandon", "--reason", "superseded"]).ok();
    let before = s.state();
    s.hotfix(&["pick", &fix])
        .code(2)
        .says("cannot pick: v1.1.1 was abandoned");
    s.hotfix(&["ship", "--yes", "--reviewer", "Rita <rita@example.com>"])
        .code(2)
        .says("cannot ship: v1.1.1 was abandoned");
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "1.1.1"])
        .code(2)
        .says("v1.1.1 was abandoned");
    s.git(&["switch", "-q", "hotfix/1.1.1"]);
    assert_eq!(s.state(), before);
    assert_eq!(s.event_types("v1.1.1"), ["started", "abandoned"]);
}

#[test]
fn a_commit_that_is_itself_on_mainline_is_from_mainline() {
    let s = Sandbox::empty();
    s.commit(&[("src/a.txt", "a\n")], "init");
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.commit(
        &[("src/a.txt", "a fixed\n"), ("tests/a.txt", "t\n")],
        "fix: a",
    );
    s.publish();
    // The hotfix branch fast-forwarded onto mainline's fix itself.
    s.git(&["switch", "-q", "-c", "hotfix/1.0.1", "main"]);
    let (out, doc) = s.check_json(&[]);
    out.ok();
    assert_eq!(rule(&doc, "from-mainline")["verdict"], "pass");
}

#[test]
fn the_pull_request_head_wins_over_a_checked_out_hotfix_branch() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    let good = s.rev("HEAD");
    s.commit(&[("src/stray.txt", "x\n")], "stray");
    let event = s.config_file(
        "event.json",
        &format!("{{\"pull_request\": {{\"head\": {{\"sha\": \"{good}\"}}}}}}"),
    );
    let env = [
        ("GITHUB_HEAD_REF", "hotfix/1.1.1"),
        ("GITHUB_EVENT_PATH", event.as_str()),
    ];
    let out = s.hotfix_env(
        &[
            "check",
            "--format",
            "json",
            "--reviewer",
            "Rita <rita@example.com>",
        ],
        &env,
    );
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["head"], good.as_str());
    // A malformed event file is said, not silently replaced.
    let bad = s.config_file("bad.json", "{not json");
    s.git(&["push", "-q", "origin", "hotfix/1.1.1"]);
    s.git(&["fetch", "-q", "origin"]);
    let out = s.hotfix_env(
        &["check", "--format", "json"],
        &[
            ("GITHUB_HEAD_REF", "hotfix/1.1.1"),
            ("GITHUB_EVENT_PATH", bad.as_str()),
        ],
    );
    assert!(
        out.stderr.contains("gives no pull_request.head.sha"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_shipped_hotfix_is_judged_with_the_overrides_its_tag_records() {
    let (s, _fix) = Sandbox::started();
    // A pick with no test: regression-test fails unless overridden.
    let no_test = s.rev("origin/main");
    s.hotfix(&["pick", &no_test]).ok();
    s.hotfix(&[
        "ship",
        "--yes",
        "--push",
        "--reviewer",
        "Rita <rita@example.com>",
        "--override",
        "regression-test",
        "--reason",
        "test follows in 1.1.2",
    ])
    .ok();
    let ci = s.clone_as("ci");
    s.git_in(&ci, &["switch", "-q", "hotfix/1.1.1"]);
    let out = common::run_hotfix(&ci, &s.home(), &["check", "--format", "json"], &[]);
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rt = rule(&doc, "regression-test");
    assert_eq!(rt["verdict"], "overridden", "{rt}");
    assert_eq!(rt["override_reason"], "test follows in 1.1.2", "{rt}");
}

#[test]
fn repository_text_cannot_inject_workflow_commands() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    // A file whose name is a workflow command, in a hotfix too wide for max-files.
    let files: Vec<(String, String)> = (0..11)
        .map(|i| (format!("f{i}.txt"), format!("{i}\n")))
        .chain([("::stop-commands::pause".to_string(), "x\n".to_string())])
        .collect();
    for (p, c) in &files {
        s.write(p, c);
    }
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "wide"]);
    let out = s.hotfix(&["check", "--format", "github", "--reviewer", "rita"]);
    out.code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let token = lines[0].strip_prefix("::stop-commands::").unwrap();
    let resume = lines
        .iter()
        .position(|l| *l == format!("::{token}::"))
        .unwrap();
    let injected = lines
        .iter()
        .position(|l| l.trim_start().starts_with("::stop-commands::pause"))
        .unwrap();
    assert!(injected < resume, "the file name is inside the fence");
    let first_error = lines.iter().position(|l| l.starts_with("::error")).unwrap();
    assert!(first_error > resume, "{}", out.stdout);
}

#[test]
fn regression_test_ignores_other_languages_markers_and_changes_that_add_no_test() {
    // A Python comment that reads like a Rust attribute, a C file with a Python test line.
    let s = go_hotfix(&[
        ("pkg/tool.py", "#[test]\nprint('x')\n"),
        ("pkg/native.c", "def test_fake():\n"),
    ]);
    let (_, doc) = s.check_json(&[]);
    assert_eq!(rule(&doc, "regression-test")["verdict"], "fail");
    // Deleting a test, or an empty file in a test folder, is no new test.
    let s = Sandbox::empty();
    s.commit(
        &[
            ("src/a.py", "a\n"),
            ("tests/test_a.py", "def test_a():\n    pass\n"),
        ],
        "init",
    );
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.git(&["rm", "-q", "tests/test_a.py"]);
    let fix = s.commit(&[("src/a.py", "a fixed\n"), ("tests/.gitkeep", "")], "fix");
    s.publish();
    s.hotfix(&["start", "--line", "1.0"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let (_, doc) = s.check_json(&[]);
    assert_eq!(rule(&doc, "regression-test")["verdict"], "fail", "{doc}");
    // A Swift test, and an attribute with arguments, count.
    let s = go_hotfix(&[(
        "Tests/AppTests/Cart.swift",
        "final class CartTests: XCTestCase {\n    func testRefund() {}\n}\n",
    )]);
    let (_, doc) = s.check_json(&[]);
    assert_eq!(rule(&doc, "regression-test")["verdict"], "pass");
    let s = go_hotfix(&[(
        "src/lib.rs",
        "#[tokio::test(flavor = \"multi_thread\")]\nasync fn t() {}\n",
    )]);
    let (_, doc) = s.check_json(&[]);
    let rt = rule(&doc, "regression-test");
    assert_eq!(rt["verdict"], "pass");
    assert!(
        rt["items"][0]["note"]
            .as_str()
            .unwrap()
            .contains("line 1 starts a test with #[tokio::test]"),
        "{rt}"
    );
}

/// Three lines with releases: 1.0, 1.1 (v1.1.0) and 1.2 (v1.2.0, mainline's tip), then a fix
/// on mainline that all three lack; returns the fix.
fn three_lines() -> (Sandbox, String) {
    let (s, _fix) = Sandbox::released();
    s.git(&["tag", "-a", "v1.2.0", "-m", "v1.2.0"]);
    let fix = s.commit(
        &[
            ("src/feature.txt", "feature fixed\n"),
            ("tests/feature_test.txt", "test\n"),
        ],
        "fix: feature",
    );
    s.publish();
    (s, fix)
}

#[test]
fn start_on_several_lines_makes_one_hotfix_per_line_under_one_incident() {
    let (s, _fix) = three_lines();
    let out = s.hotfix(&[
        "start",
        "--line",
        "1.1",
        "--line",
        "1.2",
        "--line",
        "1.0",
        "--severity",
        "sev1",
    ]);
    out.ok().says("started incident INC-20260310-1 on 3 lines");
    // The newest line is checked out; every branch sits at its line's newest tag.
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.2.1");
    for (branch, tag) in [
        ("hotfix/1.2.1", "v1.2.0"),
        ("hotfix/1.1.1", "v1.1.0"),
        ("hotfix/1.0.1", "v1.0.0"),
    ] {
        assert_eq!(
            s.rev(branch),
            s.rev(&format!("{tag}^{{commit}}")),
            "{branch}"
        );
    }
    for id in ["v1.2.1", "v1.1.1", "v1.0.1"] {
        let ev = s.events(id);
        assert_eq!(ev.len(), 1, "{id}");
        assert_eq!(ev[0]["incident"], "INC-20260310-1");
        assert_eq!(ev[0]["severity"], "sev1");
        assert_eq!(ev[0]["lines"], serde_json::json!(["1.2", "1.1", "1.0"]));
    }
    // Started again, a line resumes its hotfix (same incident); a new hotfix the same day
    // gets the next number.
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.1"])
        .ok()
        .says("incident INC-20260310-1");
    s.hotfix(&["abandon", "v1.1.1", "--reason", "another way"])
        .ok();
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.1"])
        .ok()
        .says("started hotfix v1.1.2")
        .says("incident INC-20260310-2");
}

#[test]
fn start_on_several_lines_checks_every_line_before_writing_anything() {
    let (s, _fix) = three_lines();
    let before = s.state();
    s.hotfix(&["start", "--line", "1.2", "--line", "3.7"])
        .code(2)
        .says("no release on line 3.7");
    assert_eq!(s.state(), before);
    // Supported lines from the config; a re-run after a kill finishes under the same incident.
    let cfg = "[release]\nsupported = [\"1.2\", \"1.1\"]\n";
    s.commit(&[(".hotfix.toml", cfg)], "policy");
    s.push_main();
    s.hotfix_env(
        &["start", "--lines", "supported", "--incident", "INC-9"],
        &[],
    )
    .ok();
    assert_eq!(s.event_types("v1.2.1"), ["started"]);
    assert_eq!(s.event_types("v1.1.1"), ["started"]);
    // Killed after the first record: the second line's branch and record are missing.
    s.git(&["switch", "-q", "main"]);
    s.git(&["branch", "-D", "hotfix/1.1.1"]);
    s.edit_ledger("lose v1.1.1", |git| {
        git(&["rm", "-q", "--cached", "records/v1.1.1.jsonl"]);
    });
    s.hotfix(&["start", "--lines", "supported"])
        .ok()
        .says("incident INC-9");
    assert_eq!(s.event_types("v1.2.1"), ["started"], "not recorded twice");
    assert_eq!(s.events("v1.1.1")[0]["incident"], "INC-9");
}

#[test]
fn ship_refuses_while_another_line_of_the_incident_is_open_and_skip_line_closes_one() {
    let (s, fix) = three_lines();
    s.hotfix(&[
        "start",
        "--line",
        "1.2",
        "--line",
        "1.1",
        "--line",
        "1.0",
        "--incident",
        "INC-9",
    ])
    .ok();
    // This line only: the others keep their branches.
    s.hotfix(&["pick", &fix, "--line", "1.2"]).ok();
    assert_eq!(s.rev("hotfix/1.1.1"), s.rev("v1.1.0^{commit}"));
    let before = s.state();
    let ship = ["ship", "--yes", "--reviewer", "Rita <rita@example.com>"];
    s.hotfix(&ship)
        .code(1)
        .says("incident INC-9 has lines still open: 1.1 (nothing picked yet), 1.0 (nothing picked yet)")
        .says("--line X.Y");
    assert_eq!(s.state(), before, "nothing written");
    // --line ships a line whether checked out or not, once it is ready; with it, this line
    // ships alone on purpose.
    let mut wrong = ship.to_vec();
    wrong.extend(["--line", "1.1"]);
    s.hotfix(&wrong).code(1).says("1.1 (nothing picked yet)");
    assert_eq!(s.state(), before, "nothing written");
    let mut unknown = ship.to_vec();
    unknown.extend(["--line", "3.3"]);
    s.hotfix(&unknown).code(2).says("has no line 3.3");
    let mut alone = ship.to_vec();
    alone.extend(["--line", "1.2"]);
    s.hotfix(&alone).ok();
    assert!(s.event_types("v1.2.1").contains(&"shipped".to_string()));
    // Line 1.0 does not get the fix: skipped, with its reason.
    s.git(&["switch", "-q", "hotfix/1.1.1"]);
    s.hotfix(&["skip-line", "1.0"]).code(2).says("--reason");
    s.hotfix(&["skip-line", "3.3", "--reason", "x"])
        .code(2)
        .says("incident INC-9 has no hotfix on line 3.3");
    s.hotfix(&["skip-line", "1.0", "--reason", "end of life"])
        .ok()
        .says("line 1.0 (v1.0.1) skipped for incident INC-9");
    let skipped = s.events("v1.0.1");
    assert_eq!(skipped[1]["type"], "skipped");
    assert_eq!(skipped[1]["reason"], "end of life");
    s.hotfix(&["skip-line", "1.2", "--reason", "x"])
        .code(2)
        .says("has shipped");
    // status shows the incident's matrix.
    let out = s.hotfix(&["status"]);
    out.ok();
    assert!(
        out.stdout.contains("incident INC-9: 3 lines"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  1.2    v1.2.1         1  shipped         -"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  1.1    v1.1.1         0  in progress     hotfix pick <sha> *"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  1.0    v1.0.1         0  skipped         skipped: end of life"),
        "{}",
        out.stdout
    );
    // The last open line ships without --line.
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&ship).ok();
    s.hotfix(&["list"]).ok().says("skipped");
}

#[test]
fn the_demo_runs_both_scenes_to_the_end() {
    let s = Sandbox::empty();
    let dir = s.home().join("demo");
    let out = common::run_hotfix(
        &s.home(),
        &s.home(),
        &["demo", "--in", dir.to_str().unwrap()],
        &[],
    );
    out.ok();
    let origin = dir.join("origin.git");
    let tags = s.git_in(&origin, &["tag", "--list", "v1.*"]);
    for t in ["v1.1.2", "v1.0.1", "v1.1.3"] {
        assert!(tags.lines().any(|l| l == t), "{t} not pushed: {tags}");
    }
    let incident: Vec<String> = ["v1.0.1", "v1.1.3"]
        .iter()
        .map(|id| {
            s.git_in(
                &origin,
                &["show", &format!("hotfix-ledger:records/{id}.jsonl")],
            )
        })
        .collect();
    for r in &incident {
        assert!(r.contains("\"incident\":\"INC-4533\""), "{r}");
        assert!(r.contains("\"type\":\"shipped\""), "{r}");
    }
}

#[test]
fn multi_line_attacks_are_refused_before_anything_is_written() {
    let (s, fix) = three_lines();
    // A started line keeps its incident: no split by a second start.
    s.hotfix(&["start", "--line", "1.2", "--incident", "INC-A"])
        .ok();
    s.git(&["switch", "-q", "main"]);
    let before = s.state();
    s.hotfix(&[
        "start",
        "--line",
        "1.2",
        "--line",
        "1.1",
        "--incident",
        "INC-B",
    ])
    .code(2)
    .says("v1.2.1 was started under incident INC-A, not INC-B");
    assert_eq!(s.state(), before);
    // A branch in the way of one line stops the start before any line is written.
    s.git(&["branch", "hotfix/1.0.1/old", "v1.0.0"]);
    let before = s.state();
    s.hotfix(&[
        "start",
        "--line",
        "1.2",
        "--line",
        "1.1",
        "--line",
        "1.0",
        "--incident",
        "INC-A",
    ])
    .code(2)
    .says("the branch hotfix/1.0.1/old is in the way");
    assert_eq!(s.state(), before);
    s.git(&["branch", "-D", "hotfix/1.0.1/old"]);
    // A skipped line cannot be shipped.
    s.hotfix(&[
        "start",
        "--line",
        "1.2",
        "--line",
        "1.1",
        "--incident",
        "INC-A",
    ])
    .ok();
    s.hotfix(&["pick", &fix, "--line", "1.2"]).ok();
    s.hotfix(&["skip-line", "1.2", "--reason", "not needed"])
        .ok();
    s.hotfix(&[
        "ship",
        "--yes",
        "--line",
        "1.2",
        "--reviewer",
        "Rita <rita@example.com>",
    ])
    .code(2)
    .says("line 1.2 was skipped");
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.2.1"]));
    // The largest patch number is an error, not a crash.
    s.git(&["switch", "-q", "main"]);
    s.git(&["tag", "-a", "v1.3.18446744073709551615", "-m", "x"]);
    s.hotfix(&["start", "--line", "1.3"])
        .code(2)
        .says("no patch version left");
}

#[test]
fn two_starts_at_once_do_not_mix_records() {
    let (s, _fix) = three_lines();
    let runs: Vec<_> = ["INC-A", "INC-B"]
        .iter()
        .map(|inc| {
            let (work, home, inc) = (s.work.clone(), s.home(), inc.to_string());
            std::thread::spawn(move || {
                common::run_hotfix(
                    &work,
                    &home,
                    &[
                        "start",
                        "--line",
                        "1.2",
                        "--line",
                        "1.1",
                        "--incident",
                        &inc,
                    ],
                    &[],
                )
            })
        })
        .collect();
    let outs: Vec<_> = runs.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(outs.iter().any(|o| o.code == 0), "{}", outs[0].all());
    for id in ["v1.2.1", "v1.1.1"] {
        let ev = s.events(id);
        assert_eq!(ev.len(), 1, "{id}: {ev:?}");
    }
    assert_eq!(
        s.events("v1.2.1")[0]["incident"],
        s.events("v1.1.1")[0]["incident"]
    );
}

#[test]
fn a_pick_onto_another_line_killed_before_its_record_is_recorded_by_the_rerun() {
    let (s, fix) = three_lines();
    s.hotfix(&[
        "start",
        "--line",
        "1.2",
        "--line",
        "1.1",
        "--incident",
        "INC-K",
    ])
    .ok();
    let out = s.hotfix_env(
        &["pick", &fix],
        &[("HOTFIX_FAILPOINT", "pick-line-before-record")],
    );
    assert_ne!(out.code, 0);
    let moved = s.rev("hotfix/1.1.1");
    assert_ne!(moved, s.rev("v1.1.0^{commit}"), "the branch moved");
    assert_eq!(
        s.event_types("v1.1.1"),
        ["started"],
        "the kill came before the record"
    );
    s.hotfix(&["pick", &fix]).ok();
    assert_eq!(s.rev("hotfix/1.1.1"), moved, "not picked twice");
    assert_eq!(s.event_types("v1.1.1"), ["started", "picked"]);
    assert_eq!(s.events("v1.1.1")[1]["commit"], moved.as_str());
    assert_eq!(s.event_types("v1.2.1"), ["started", "picked"]);
}
