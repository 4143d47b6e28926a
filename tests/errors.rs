//! Bad input: a clear error (what, why, what to do), exit code 2, and nothing changed.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Sandbox, run_hotfix};

/// Asserts that an error has its three parts.
fn explained(out: &common::Out) {
    assert!(out.stderr.contains("error: "), "{}", out.stderr);
    assert!(out.stderr.contains("cause: "), "{}", out.stderr);
    assert!(out.stderr.contains("hint: "), "{}", out.stderr);
}

#[test]
fn not_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_hotfix(tmp.path(), tmp.path(), &["start"], &[]);
    out.code(2).says("not inside a git repository");
    explained(&out);
    let out = run_hotfix(
        tmp.path(),
        tmp.path(),
        &["-C", "/no/such/dir", "status"],
        &[],
    );
    out.code(2).says("does not exist");
}

#[test]
fn no_release_tags() {
    let s = Sandbox::empty();
    s.commit(&[("a.txt", "a\n")], "init");
    s.git(&["tag", "v1.0.0-rc.1"]);
    s.publish();
    let before = s.state();
    let out = s.hotfix(&["start"]);
    out.code(2)
        .says("no release tags found")
        .says("git fetch --tags");
    explained(&out);
    assert_eq!(s.state(), before);
}

#[test]
fn unknown_commit_and_source_off_mainline() {
    let (s, _fix) = Sandbox::released();
    s.hotfix(&["start"]).ok();
    let before = s.state();
    let out = s.hotfix(&["pick", "deadbeef"]);
    out.code(2).says("unknown commit 'deadbeef'");
    explained(&out);
    let out = s.hotfix(&["pick", "v1.1.0..v1.0.0"]);
    out.code(2).says("holds no commits");
    assert_eq!(s.state(), before);
}

#[test]
fn dirty_tree_on_start() {
    let (s, _fix) = Sandbox::released();
    s.write("src/app.txt", "wip\n");
    let before = s.state();
    let out = s.hotfix(&["start"]);
    out.code(2).says("uncommitted changes");
    explained(&out);
    assert_eq!(s.state(), before);
    assert_eq!(s.read("src/app.txt"), "wip\n");
}

#[test]
fn malformed_config_names_key_and_line() {
    let (s, _fix) = Sandbox::released();
    s.commit(
        &[(".hotfix.toml", "[policy]\nmax-lines = 10\nmax-lnes = 5\n")],
        "bad config",
    );
    s.push_main();
    let before = s.state();
    let out = s.hotfix(&["start"]);
    out.code(2)
        .says(".hotfix.toml on origin/main:3")
        .says("max-lnes");
    explained(&out);
    assert_eq!(s.state(), before);
    let bad = s.config_file("bad.toml", "[release]\ntag = \"release\"\n");
    s.hotfix(&["--config", &bad, "list"])
        .code(2)
        .says("release.tag");
    s.hotfix(&["--config", "/no/such.toml", "list"])
        .code(2)
        .says("cannot read");
}

#[test]
fn version_whose_tag_exists() {
    let (s, _fix) = Sandbox::released();
    let before = s.state();
    let out = s.hotfix(&["start", "1.1.0"]);
    out.code(2).says("already exists");
    explained(&out);
    assert_eq!(s.state(), before);
}

#[test]
fn pick_and_ship_with_no_hotfix_in_progress() {
    let (s, fix) = Sandbox::released();
    let before = s.state();
    for args in [
        vec!["pick", fix.as_str()],
        vec!["ship", "--yes"],
        vec!["status"],
    ] {
        let out = s.hotfix(&args);
        out.code(2)
            .says("no hotfix in progress")
            .says("hotfix start");
        explained(&out);
    }
    assert_eq!(s.state(), before);
}

#[test]
fn shallow_clone_is_explained() {
    let (s, _fix) = Sandbox::released();
    let shallow = s.shallow_clone(None, "shallow");
    let out = run_hotfix(&shallow, &s.home(), &["start"], &[]);
    out.code(2).says("shallow clone").says("--unshallow");
    explained(&out);
}

#[test]
fn usage_errors_exit_2() {
    let (s, _fix) = Sandbox::released();
    s.hotfix(&["frobnicate"]).code(2);
    s.hotfix(&["pick", "--continue", "abc"]).code(2);
    s.hotfix(&["ship", "--reason", "x", "--yes"]).code(2);
    s.hotfix(&["--help"]).ok().says("Exit codes");
}

#[test]
fn a_ledger_record_the_object_database_lacks_is_named_not_skipped() {
    let (s, _fix) = Sandbox::released();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    // A ledger commit whose record names a blob the repository then loses (a broken copy).
    let file = s.home().join("record.jsonl");
    std::fs::write(&file, "{\"lost\": true}\n").unwrap();
    let blob = s.git(&["hash-object", "-w", file.to_str().unwrap()]);
    s.edit_ledger("broken", |git| {
        git(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{blob},records/v1.0.1.jsonl"),
        ]);
    });
    std::fs::remove_file(s.path(&format!(".git/objects/{}/{}", &blob[..2], &blob[2..]))).unwrap();
    let before = s.state();
    for args in [
        &["report"][..],
        &["list"],
        &["show", "v1.0.1"],
        &["report", "--format", "json"],
    ] {
        let out = s.hotfix(args);
        out.code(2)
            .says("cannot read the ledger's record for v1.0.1 (records/v1.0.1.jsonl)")
            .says("git fsck");
        explained(&out);
    }
    assert_eq!(s.state(), before);
}
