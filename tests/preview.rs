//! `hotfix preview` on a repository with five release lines: clean, applied, clean through a
//! rename, chain through a newer line's pick, and not-applicable; nothing is changed.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;
use serde_json::Value;

/// A file of 20 lines whose lines 1-7 say `first`, 8-14 `second`, 15-16 `a` and 17-20 a tail
/// every version shares: each rename on mainline changes seven lines, so mainline's file is
/// like line 1.1's but not like line 1.0's.
fn file(first: &str, second: &str) -> String {
    let mut s = String::new();
    for i in 1..=16 {
        let tag = match i {
            1..=7 => first,
            8..=14 => second,
            _ => "a",
        };
        s.push_str(&format!("{tag}-{i}\n"));
    }
    for i in 17..=20 {
        s.push_str(&format!("tail {i}\n"));
    }
    s
}

/// v0.9.0 (no src/), v1.0.0 (src/a.txt), v1.1.0 (renamed to b.txt, 7 lines changed), v1.2.0
/// (renamed to c.txt, 7 more), v1.3.0, then the fix on mainline; v1.2.1 already has it.
fn five_lines() -> (Sandbox, String) {
    let s = Sandbox::empty();
    s.commit(&[("README", "x\n")], "init");
    s.git(&["tag", "-a", "v0.9.0", "-m", "v0.9.0"]);
    s.commit(&[("src/a.txt", &file("a", "a"))], "add");
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.git(&["mv", "src/a.txt", "src/b.txt"]);
    s.commit(&[("src/b.txt", &file("b", "a"))], "rename to b");
    s.git(&["tag", "-a", "v1.1.0", "-m", "v1.1.0"]);
    s.git(&["mv", "src/b.txt", "src/c.txt"]);
    s.commit(&[("src/c.txt", &file("b", "c"))], "rename to c");
    s.git(&["tag", "-a", "v1.2.0", "-m", "v1.2.0"]);
    s.commit(
        &[(
            ".hotfix.toml",
            "[release]\nsupported = [\"1.3\", \"1.2\", \"1.1\", \"1.0\", \"0.9\"]\n",
        )],
        "policy",
    );
    s.git(&["tag", "-a", "v1.3.0", "-m", "v1.3.0"]);
    let fix = s.commit(
        &[(
            "src/c.txt",
            &file("b", "c").replace("tail 19\n", "tail 19 fixed\n"),
        )],
        "fix: tail",
    );
    s.git(&["switch", "-q", "-c", "release/1.2", "v1.2.0"]);
    s.git(&["cherry-pick", "-x", &fix]);
    s.git(&["tag", "-a", "v1.2.1", "-m", "v1.2.1"]);
    s.git(&["switch", "-q", "main"]);
    s.publish();
    (s, fix)
}

fn lines(doc: &Value) -> Vec<(String, String)> {
    doc["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_str().unwrap().to_string(),
                l["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_line_gets_its_state_and_nothing_changes() {
    let (s, fix) = five_lines();
    let before = s.state();
    let out = s.hotfix(&["preview", &fix, "--format", "json"]);
    out.ok();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        lines(&doc),
        [
            ("1.3", "clean"),
            ("1.2", "applied"),
            ("1.1", "clean"),
            ("1.0", "chain"),
            ("0.9", "not-applicable"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let l = &doc["lines"];
    assert_eq!(l[1]["base"], "v1.2.1");
    assert_eq!(l[3]["via"], "1.1");
    assert_eq!(l[4]["paths"], serde_json::json!(["src/c.txt"]));
    assert_eq!(doc["commits"], serde_json::json!([fix]));
    // Nothing changed: refs, HEAD, index, working tree.
    assert_eq!(s.state(), before);
    // git itself agrees on the two that decide the chain.
    let parent = s.rev(&format!("{fix}~1"));
    assert!(!s.git_ok(&[
        "merge-tree",
        "--write-tree",
        "--merge-base",
        &parent,
        "v1.0.0",
        &fix
    ]));
    assert!(s.git_ok(&[
        "merge-tree",
        "--write-tree",
        "--merge-base",
        &parent,
        "v1.1.0",
        &fix
    ]));
    // The human output names the next step for the line without the file.
    s.hotfix(&["preview", &fix])
        .ok()
        .says("applies on 1.1's pick")
        .says("hotfix skip-line 0.9 --reason");
}

#[test]
fn require_clean_fails_unless_every_line_is_clean_and_lines_can_be_named() {
    let (s, fix) = five_lines();
    s.hotfix(&["preview", &fix, "--require", "clean"])
        .code(1)
        .says("not clean on every line: 1.0 (chain), 0.9 (not-applicable)");
    s.hotfix(&[
        "preview",
        &fix,
        "--line",
        "1.3",
        "--line",
        "1.2",
        "--require",
        "clean",
    ])
    .ok();
    // A direct conflict: a line whose file has the fix's line changed otherwise.
    s.git(&["switch", "-q", "-c", "release/1.3", "v1.3.0"]);
    s.commit(
        &[(
            "src/c.txt",
            &file("b", "c").replace("tail 19\n", "tail 19 local\n"),
        )],
        "local change",
    );
    s.git(&["tag", "-a", "v1.3.1", "-m", "v1.3.1"]);
    let out = s.hotfix(&["preview", &fix, "--line", "1.3", "--format", "json"]);
    out.ok();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["lines"][0]["state"], "conflict");
    assert_eq!(doc["lines"][0]["paths"], serde_json::json!(["src/c.txt"]));
    // Bad input: an unknown commit, a bad line.
    s.hotfix(&["preview", "nosuchcommit"])
        .code(2)
        .says("unknown commit");
    s.hotfix(&["preview", &fix, "--line", "one"])
        .code(2)
        .says("not a release line");
}

#[test]
fn github_format_writes_the_matrix_to_the_step_summary() {
    let (s, fix) = five_lines();
    let summary = s.config_file("summary.md", "");
    let out = s.hotfix_env(
        &["preview", &fix, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    out.ok();
    assert!(
        out.stdout.contains("::notice title=hotfix preview 1.0::conflicts on v1.0.0 directly, applies on 1.1's pick (chain)"),
        "{}",
        out.stdout
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| line | base | state | detail |"), "{md}");
    assert!(md.contains("| 1.2 | v1.2.1 | applied |"), "{md}");
    assert!(md.contains("| 0.9 | v0.9.0 | not-applicable |"), "{md}");
}

#[test]
fn supported_lines_come_from_the_config_and_bad_values_are_refused() {
    let (s, fix) = five_lines();
    let cfg = s.config_file("two.toml", "[release]\nsupported = \"newest:2\"\n");
    let out = s.hotfix(&["preview", &fix, "--config", &cfg, "--format", "json"]);
    out.ok();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(lines(&doc).len(), 2);
    assert_eq!(doc["lines"][0]["line"], "1.3");
    for bad in ["\"newest:0\"", "\"latest\"", "[\"1.x\"]", "[]"] {
        let cfg = s.config_file("bad.toml", &format!("[release]\nsupported = {bad}\n"));
        s.hotfix(&["preview", &fix, "--config", &cfg])
            .code(2)
            .says("bad value for release.supported");
    }
}

#[test]
fn init_adds_a_preview_job_for_pull_requests_to_mainline() {
    let (s, _fix) = five_lines();
    s.hotfix(&["init", "--ci", "github", "--force"]).ok();
    let wf = s.read(".github/workflows/hotfix.yml");
    assert!(wf.contains("branches: [\"release/**\", \"main\"]"), "{wf}");
    assert!(wf.contains("  preview:"), "{wf}");
    assert!(wf.contains("github.base_ref == 'main'"), "{wf}");
    assert!(
        wf.contains("hotfix preview ${{ github.event.pull_request.base.sha }}..${{ github.event.pull_request.head.sha }} --format github"),
        "{wf}"
    );
}

#[test]
fn pick_on_an_incident_goes_onto_every_open_line_with_chains_and_waits_per_line() {
    let (s, fix) = five_lines();
    s.hotfix(&["start", "--lines", "supported", "--incident", "INC-5"])
        .ok();
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.3.1");
    let before_09 = s.rev("hotfix/0.9.1");
    let out = s.hotfix(&["pick", &fix]);
    // 0.9 lacks the file: it waits, and the exit code says a line waits.
    out.code(3).says("line 0.9 waits");
    // The checked-out line went through the working tree; it is clean and checked out.
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.3.1");
    assert_eq!(s.git(&["status", "--porcelain"]), "");
    let msg = |b: &str| s.git(&["log", "-1", "--format=%B", b]);
    assert!(msg("hotfix/1.3.1").contains(&format!("(cherry picked from commit {fix})")));
    // 1.2 has it already: no commit. 1.1 took it through the rename.
    assert_eq!(s.rev("hotfix/1.2.2"), s.rev("v1.2.1^{commit}"));
    // ...and that closes the line by itself, with the reason.
    assert_eq!(s.event_types("v1.2.2"), ["started", "skipped"]);
    let closed = &s.events("v1.2.2")[1];
    assert!(
        closed["reason"].as_str().unwrap().starts_with("applied:"),
        "{closed}"
    );
    assert_eq!(
        s.git(&["show", "hotfix/1.1.1:src/b.txt"]).lines().nth(18),
        Some("tail 19 fixed")
    );
    // 1.0 took the chain: 1.1's pick, with both trailers.
    let m10 = msg("hotfix/1.0.1");
    let p11 = s.rev("hotfix/1.1.1");
    assert!(
        m10.contains(&format!("(cherry picked from commit {fix})")),
        "{m10}"
    );
    assert!(
        m10.contains(&format!("(cherry picked from commit {p11})")),
        "{m10}"
    );
    assert_eq!(
        s.git(&["show", "hotfix/1.0.1:src/a.txt"]).lines().nth(18),
        Some("tail 19 fixed")
    );
    assert_eq!(
        s.rev("hotfix/0.9.1"),
        before_09,
        "a waiting line is left as it was"
    );
    // Each line's record has its pick.
    for id in ["v1.3.1", "v1.1.1", "v1.0.1"] {
        assert_eq!(s.event_types(id), ["started", "picked"], "{id}");
    }
    assert_eq!(s.event_types("v0.9.1"), ["started"]);
    // The chain passes from-mainline on 1.0.
    s.git(&["switch", "-q", "hotfix/1.0.1"]);
    let (out, doc) = s.check_json(&[]);
    assert_eq!(
        common::rule(&doc, "from-mainline")["verdict"],
        "pass",
        "{}",
        out.all()
    );
    // status says 0.9 cannot take the fix, and offers skip-line with a reason filled in.
    s.hotfix(&["status"])
        .ok()
        .says("not-applicable")
        .says("hotfix skip-line 0.9 --reason \"the files the fix changes are not on 0.9\"");
    // 0.9 is skipped with its reason; a pick onto one named line works from anywhere.
    s.hotfix(&["skip-line", "0.9", "--reason", "src/ is not in 0.9"])
        .ok();
    s.hotfix(&["pick", &fix, "--line", "1.1"])
        .ok()
        .says("already picked");
}

#[test]
fn a_fix_whose_files_the_line_has_in_part_is_a_conflict_not_skippable() {
    let (s, _fix) = five_lines();
    // One commit touching the shared README and a file only 1.0 and later have.
    let both = s.commit(
        &[("README", "x\nmore\n"), ("src/c.txt", "replaced\n")],
        "fix: two places",
    );
    let out = s.hotfix(&["preview", &both, "--line", "0.9", "--format", "json"]);
    out.ok();
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["lines"][0]["state"], "conflict", "{doc}");
    // No line judged: --require clean cannot pass.
    s.hotfix(&["preview", &both, "--line", "7.7", "--require", "clean"])
        .code(2)
        .says("no line to judge");
}
