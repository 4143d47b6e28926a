//! `hotfix pick`: the cherry-pick cases from git's and libgit2's own test suites
//! (../shared/cherry-pick-cases.md), each against a real repository.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]
// Tests build and inspect repositories with git2 directly; the boundary is for src/.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

mod common;

use common::{Sandbox, numbered};

/// A released repository with, on mainline after v1.1.0: a refactor of line 3 (not for the
/// hotfix), a fix on top of it that therefore conflicts on the release line, and a clean fix.
struct Conflicting {
    s: Sandbox,
    clean: String,
    conflicting: String,
    clean2: String,
}

fn conflicting() -> Conflicting {
    let (s, clean) = Sandbox::released();
    let refactored = numbered(10).replace("line 3\n", "line 3 refactored\n");
    s.commit(&[("src/app.txt", &refactored)], "refactor line 3");
    let conflicting = s.commit(
        &[(
            "src/app.txt",
            &refactored.replace("line 3 refactored\n", "line 3 refactored and fixed\n"),
        )],
        "fix: line 3 again\n\nBody of the fix.",
    );
    let clean2 = s.commit(&[("src/other.txt", "other fix\n")], "fix: other");
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    Conflicting {
        s,
        clean,
        conflicting,
        clean2,
    }
}

fn state_file(s: &Sandbox) -> std::path::PathBuf {
    s.path(".git/hotfix/pick.json")
}

#[test]
fn case01_conflict_stops_with_exit_3_and_the_three_ways_on() {
    let c = conflicting();
    let s = &c.s;
    let head = s.rev("HEAD");
    let out = s.hotfix(&["pick", &c.conflicting]);
    out.code(3)
        .says("src/app.txt")
        .says("--continue")
        .says("--skip")
        .says("--abort");
    assert_eq!(s.rev("HEAD"), head, "HEAD unchanged");
    let stages = s.git(&["ls-files", "-u", "src/app.txt"]);
    let nums: Vec<&str> = stages
        .lines()
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(nums, ["1", "2", "3"], "{stages}");
    let file = s.read("src/app.txt");
    assert!(
        file.contains("<<<<<<<") && file.contains(">>>>>>>"),
        "{file}"
    );
    assert!(state_file(s).exists());
}

#[test]
fn case02_dirty_tree_is_refused_before_anything_changes() {
    let c = conflicting();
    let s = &c.s;
    s.write("src/app.txt", "my unsaved work\n");
    let before = s.state();
    s.hotfix(&["pick", &c.clean])
        .code(2)
        .says("uncommitted changes")
        .says("src/app.txt");
    assert_eq!(s.state(), before);
    assert_eq!(s.read("src/app.txt"), "my unsaved work\n");
    assert!(!state_file(s).exists());
}

#[test]
fn case03_only_timestamps_changed_is_not_dirty() {
    let c = conflicting();
    let s = &c.s;
    let f = std::fs::File::options()
        .write(true)
        .open(s.path("src/app.txt"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3600))
        .unwrap();
    drop(f);
    s.hotfix(&["pick", &c.clean]).ok().says("picked");
}

#[test]
fn case04_untracked_files_are_left_alone() {
    let c = conflicting();
    let s = &c.s;
    s.write("notes.txt", "my notes\n");
    s.hotfix(&["pick", &c.clean]).ok();
    assert_eq!(s.read("notes.txt"), "my notes\n");
    s.hotfix(&["pick", &c.conflicting]).code(3);
    s.hotfix(&["pick", "--abort"]).ok();
    assert_eq!(s.read("notes.txt"), "my notes\n");
}

#[test]
fn case05_continue_with_unresolved_conflicts_is_refused() {
    let c = conflicting();
    let s = &c.s;
    s.hotfix(&["pick", &c.conflicting]).code(3);
    let before = s.state();
    let saved = std::fs::read(state_file(s)).unwrap();
    s.hotfix(&["pick", "--continue"])
        .code(3)
        .says("unresolved conflicts")
        .says("git add");
    assert_eq!(s.state(), before);
    assert_eq!(std::fs::read(state_file(s)).unwrap(), saved);
}

#[test]
fn case06_22_continue_after_resolving_commits_with_author_message_trailer() {
    let c = conflicting();
    let s = &c.s;
    s.hotfix(&["pick", &c.conflicting]).code(3);
    s.write(
        "src/app.txt",
        &numbered(10).replace("line 3\n", "line 3 fixed by hand\n"),
    );
    s.git(&["add", "src/app.txt"]);
    s.hotfix_env(
        &["pick", "--continue"],
        &[
            ("GIT_COMMITTER_NAME", "Carl Committer"),
            ("GIT_COMMITTER_EMAIL", "carl@example.com"),
        ],
    )
    .ok()
    .says("picked");
    let msg = s.git(&["log", "-1", "--format=%B"]);
    assert_eq!(
        msg,
        format!(
            "fix: line 3 again\n\nBody of the fix.\n\n(cherry picked from commit {})",
            c.conflicting
        )
    );
    assert!(
        !msg.contains("Conflicts"),
        "case 22: no conflict comments: {msg}"
    );
    assert_eq!(
        s.git(&["log", "-1", "--format=%an|%cn"]),
        "Ann Author|Carl Committer"
    );
    assert_eq!(
        s.read("src/app.txt"),
        numbered(10).replace("line 3\n", "line 3 fixed by hand\n")
    );
    assert!(!state_file(s).exists());
    assert!(!s.path(".git/CHERRY_PICK_HEAD").exists());
    let ev = s.events("v1.1.1");
    let picked: Vec<_> = ev.iter().filter(|e| e["type"] == "picked").collect();
    assert_eq!(picked.len(), 1);
    assert_eq!(
        picked[0]["clean"], false,
        "a resolved conflict that changed the lines is not clean"
    );
    assert_eq!(picked[0]["commit"], s.rev("HEAD"));
}

#[test]
fn case07_a_resolution_that_leaves_nothing_is_refused_and_skip_drops_it() {
    let c = conflicting();
    let s = &c.s;
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &c.conflicting, &c.clean2]).code(3);
    s.git(&["checkout", "--ours", "src/app.txt"]);
    s.git(&["add", "src/app.txt"]);
    s.hotfix(&["pick", "--continue"])
        .code(2)
        .says("empty")
        .says("--skip");
    assert_eq!(s.rev("HEAD"), head);
    s.hotfix(&["pick", "--skip"]).ok().says("skipped");
    // The queued commit after it was picked; no empty commit was made.
    assert_eq!(s.rev("HEAD^"), head);
    assert_eq!(s.git(&["log", "-1", "--format=%s"]), "fix: other");
    assert!(!state_file(s).exists());
}

#[test]
fn case08_skip_with_nothing_in_progress() {
    let c = conflicting();
    c.s.hotfix(&["pick", "--skip"])
        .code(2)
        .says("nothing to skip");
    c.s.hotfix(&["pick", "--continue"])
        .code(2)
        .says("nothing to continue");
    c.s.hotfix(&["pick", "--abort"])
        .code(2)
        .says("nothing to abort");
}

#[test]
fn case09_13_abort_restores_exactly_the_state_before_the_whole_pick() {
    let c = conflicting();
    let s = &c.s;
    let before = s.state();
    let head = s.rev("HEAD");
    // The first commit applies, the second stops, the third stays queued.
    s.hotfix(&["pick", &c.clean, &c.conflicting, &c.clean2])
        .code(3)
        .says("1 more commit(s) are queued");
    assert_eq!(
        s.rev("HEAD^"),
        head,
        "the first pick landed before the stop"
    );
    let st: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state_file(s)).unwrap()).unwrap();
    assert_eq!(st["todo"].as_array().unwrap().len(), 2);
    assert_eq!(st["todo"][1]["source"], c.clean2);
    s.hotfix(&["pick", "--abort"]).ok();
    assert_eq!(s.state(), before);
    assert_eq!(s.rev("HEAD"), head);
    assert!(!state_file(s).exists());
    assert!(!s.path(".git/CHERRY_PICK_HEAD").exists());
    // Nothing was recorded for picks that were undone.
    assert_eq!(s.event_types("v1.1.1"), ["started"]);
}

#[test]
fn case10_27_abort_and_continue_refuse_when_the_branch_moved_meanwhile() {
    let c = conflicting();
    let s = &c.s;
    s.hotfix(&["pick", &c.conflicting]).code(3);
    let elsewhere = s.rev("origin/main");
    s.git(&["update-ref", "refs/heads/hotfix/1.1.1", &elsewhere]);
    s.hotfix(&["pick", "--abort"])
        .code(2)
        .says("will not abort");
    assert_eq!(
        s.rev("hotfix/1.1.1"),
        elsewhere,
        "never reset over a commit the pick did not make"
    );
    s.git(&["add", "src/app.txt"]);
    s.hotfix(&["pick", "--continue"]).code(2).says("moved");
    assert_eq!(s.rev("hotfix/1.1.1"), elsewhere);
}

#[test]
fn case11_a_new_pick_while_one_is_stopped_is_refused() {
    let c = conflicting();
    let s = &c.s;
    s.hotfix(&["pick", &c.conflicting]).code(3);
    let saved = std::fs::read(state_file(s)).unwrap();
    s.hotfix(&["pick", &c.clean2])
        .code(2)
        .says("already in progress")
        .says("--continue");
    assert_eq!(std::fs::read(state_file(s)).unwrap(), saved);
    s.hotfix(&["start"]).code(2).says("pick is in progress");
    s.hotfix(&["ship", "--yes"])
        .code(2)
        .says("pick is in progress");
    s.hotfix(&["status"]).ok().says("pick is in progress");
}

#[test]
fn case12_killed_at_any_point_the_next_command_continues_or_aborts() {
    for point in [
        "pick-after-commit",
        "pick-after-checkout",
        "pick-after-ref",
        "pick-after-record",
    ] {
        for finish in ["--continue", "--abort"] {
            let c = conflicting();
            let s = &c.s;
            let head = s.rev("HEAD");
            let killed = s.hotfix_env(&["pick", &c.clean], &[("HOTFIX_FAILPOINT", point)]);
            assert_ne!(killed.code, 0, "{point}");
            s.hotfix(&["pick", &c.clean2])
                .code(2)
                .says("already in progress");
            s.hotfix(&["status"]).ok().says("pick is in progress");
            s.hotfix(&["pick", finish]).ok();
            assert!(!state_file(s).exists(), "{point} {finish}");
            assert_eq!(
                s.git(&["status", "--porcelain"]),
                "",
                "{point} {finish}: clean tree"
            );
            if finish == "--abort" {
                assert_eq!(s.rev("HEAD"), head, "{point}");
            } else {
                assert_eq!(s.rev("HEAD^"), head, "{point}: exactly one pick");
                assert!(
                    s.git(&["log", "-1", "--format=%B"])
                        .contains(&format!("(cherry picked from commit {})", c.clean))
                );
                let picked = s
                    .event_types("v1.1.1")
                    .iter()
                    .filter(|t| *t == "picked")
                    .count();
                assert_eq!(picked, 1, "{point}: one picked event");
            }
        }
    }
}

#[test]
fn case14_a_source_already_on_the_branch_is_skipped_without_an_empty_commit() {
    let c = conflicting();
    let s = &c.s;
    s.hotfix(&["pick", &c.clean]).ok();
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &c.clean]).ok().says("already picked");
    assert_eq!(s.rev("HEAD"), head);
    // The same change under another sha on mainline: it comes out empty and is skipped.
    s.git(&["switch", "-q", "main"]);
    s.git(&["revert", "--no-edit", &c.clean2]);
    let again = s.commit(&[("src/other.txt", "other fix\n")], "fix: other, again");
    s.push_main();
    s.git(&["switch", "-q", "hotfix/1.1.1"]);
    s.hotfix(&["pick", &c.clean2]).ok();
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &again])
        .ok()
        .says("already on the branch");
    assert_eq!(s.rev("HEAD"), head);
}

#[test]
fn case15_an_empty_source_is_refused_unless_asked() {
    let (s, _fix) = Sandbox::released();
    s.git(&["commit", "-q", "--allow-empty", "-m", "empty"]);
    let empty = s.rev("HEAD");
    s.push_main();
    s.hotfix(&["start"]).ok();
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &empty]).code(2).says("changes nothing");
    assert_eq!(s.rev("HEAD"), head);
    s.hotfix(&["pick", &empty, "--allow-empty"]).ok();
    assert_eq!(s.rev("HEAD^"), head);
}

#[test]
fn case16_merge_commits_need_mainline() {
    let (s, _fix) = Sandbox::released();
    s.git(&["switch", "-q", "-c", "topic", "v1.1.0"]);
    let inside = s.commit(
        &[
            ("src/merged.txt", "merged fix\n"),
            ("tests/merged_test.txt", "t\n"),
        ],
        "fix in a topic",
    );
    s.git(&["switch", "-q", "main"]);
    s.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #7 from topic",
        "topic",
    ]);
    let merge = s.rev("HEAD");
    s.push_main();
    s.hotfix(&["start"]).ok();
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &merge]).code(2).says("--mainline 1");
    s.hotfix(&["pick", &merge, "--mainline", "3"])
        .code(2)
        .says("out of range");
    s.hotfix(&["pick", &inside, "--mainline", "1"])
        .code(2)
        .says("not a merge");
    assert_eq!(s.rev("HEAD"), head);
    s.hotfix(&["pick", &merge, "--mainline", "1"]).ok();
    assert_eq!(s.rev("HEAD^"), head);
    assert_eq!(s.read("src/merged.txt"), "merged fix\n");
    assert_eq!(
        s.git(&["rev-list", "--count", "--merges", "v1.1.0..HEAD"])
            .trim(),
        "0"
    );
}

#[test]
fn case17_a_change_follows_a_rename_and_both_renaming_conflicts() {
    let (s, _fix) = Sandbox::released();
    s.git(&["mv", "src/app.txt", "src/core.txt"]);
    s.git(&["commit", "-q", "-m", "rename app to core"]);
    let fix = s.commit(
        &[(
            "src/core.txt",
            &numbered(10).replace("line 7\n", "line 7 fixed\n"),
        )],
        "fix line 7",
    );
    s.push_main();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    assert!(
        s.read("src/app.txt").contains("line 7 fixed"),
        "the change followed the rename"
    );
    assert!(!s.path("src/core.txt").exists());

    // Both sides rename the same file differently: a conflict.
    let (s, _fix) = Sandbox::released();
    s.git(&["mv", "src/app.txt", "src/main.txt"]);
    let rename = s.commit(&[], "rename app to main");
    s.push_main();
    s.hotfix(&["start"]).ok();
    s.git(&["mv", "src/app.txt", "src/other.txt"]);
    s.git(&["commit", "-q", "-m", "rename on the line"]);
    s.hotfix(&["pick", &rename]).code(3);
}

#[test]
fn case18_mode_changes_and_symlinks_survive() {
    let (s, _fix) = Sandbox::released();
    s.write("run.sh", "#!/bin/sh\necho hi\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(s.path("run.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    s.git(&["add", "run.sh"]);
    std::os::unix::fs::symlink("src/app.txt", s.path("link")).unwrap();
    s.git(&["add", "link"]);
    s.git(&["commit", "-q", "-m", "script and link"]);
    let fix = s.rev("HEAD");
    s.push_main();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let tree = s.git(&["ls-tree", "HEAD", "run.sh", "link"]);
    assert!(
        tree.contains("100755 blob") && tree.contains("run.sh"),
        "{tree}"
    );
    assert!(
        tree.contains("120000 blob") && tree.contains("link"),
        "{tree}"
    );
    assert!(
        std::fs::symlink_metadata(s.path("link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_ne!(
        std::fs::metadata(s.path("run.sh"))
            .unwrap()
            .permissions()
            .mode()
            & 0o111,
        0
    );
}

#[test]
fn case19_a_binary_conflict_is_reported_without_markers() {
    let s = Sandbox::empty();
    s.write("img.bin", "\0\x01\x02base");
    s.git(&["add", "img.bin"]);
    s.git(&["commit", "-q", "-m", "init"]);
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.write("img.bin", "\0\x01\x02main change");
    s.git(&["commit", "-q", "-am", "main changes image"]);
    s.write("img.bin", "\0\x01\x02main fix");
    s.git(&["commit", "-q", "-am", "fix image"]);
    let fix = s.rev("HEAD");
    s.publish();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).code(3).says("img.bin");
    assert!(!s.read("img.bin").contains("<<<<<<<"));
    assert!(!s.git(&["ls-files", "-u", "img.bin"]).is_empty());
}

#[test]
fn case20_crlf_and_gitattributes_give_no_spurious_changes() {
    let s = Sandbox::empty();
    s.write(".gitattributes", "*.txt text eol=crlf\n");
    s.write("a.txt", "one\r\ntwo\r\nthree\r\n");
    s.git(&["add", "."]);
    s.git(&["commit", "-q", "-m", "init"]);
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    s.write("a.txt", "one\r\ntwo fixed\r\nthree\r\n");
    s.git(&["commit", "-q", "-am", "fix two"]);
    let fix = s.rev("HEAD");
    s.publish();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    assert_eq!(s.git(&["status", "--porcelain"]), "");
    assert_eq!(s.read("a.txt"), "one\r\ntwo fixed\r\nthree\r\n");
    assert_eq!(s.git(&["diff", "--stat", &fix, "HEAD", "--", "a.txt"]), "");
}

#[test]
fn case21_trailer_joins_an_existing_trailer_block() {
    let (s, _fix) = Sandbox::released();
    let fix = s.commit(
        &[("src/x.txt", "x\n")],
        "fix: x\n\nExplain it.\n\nSigned-off-by: Ann Author <ann@example.com>",
    );
    s.push_main();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    assert_eq!(
        s.git(&["log", "-1", "--format=%B"]),
        format!(
            "fix: x\n\nExplain it.\n\nSigned-off-by: Ann Author <ann@example.com>\n(cherry picked from commit {fix})"
        )
    );
}

#[test]
fn case23_submodule_pointer_changes_are_picked() {
    let s = Sandbox::empty();
    s.commit(&[("README", "r\n")], "init");
    let a = s.rev("HEAD");
    s.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{a},vendor/lib"),
    ]);
    // An uninitialized submodule is an empty folder in the working tree, as git leaves it.
    std::fs::create_dir_all(s.path("vendor/lib")).unwrap();
    s.git(&["commit", "-q", "-m", "add submodule"]);
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    let b = s.commit(&[("README", "r2\n")], "unrelated");
    s.git(&[
        "update-index",
        "--cacheinfo",
        &format!("160000,{b},vendor/lib"),
    ]);
    s.git(&["commit", "-q", "-m", "bump submodule"]);
    let bump = s.rev("HEAD");
    s.publish();
    s.hotfix(&["start"]).ok();
    s.hotfix(&["pick", &bump]).ok();
    let tree = s.git(&["ls-tree", "HEAD", "vendor/lib"]);
    assert!(tree.starts_with(&format!("160000 commit {b}")), "{tree}");
}

#[test]
fn case25_sources_as_short_sha_tag_and_range_and_ambiguous_refused() {
    let c = conflicting();
    let s = &c.s;
    // A range, oldest first: the clean fix and the later feature (v1.1.0..main~3).
    s.hotfix(&["pick", "v1.1.0..origin/main~3"]).ok();
    let subjects = s.git(&["log", "--format=%s", "v1.1.0..HEAD"]);
    assert_eq!(subjects, "later feature\nfix: crash");
    // A tag naming a commit on mainline.
    s.git(&["tag", "fix-other", &c.clean2]);
    s.hotfix(&["pick", "fix-other"]).ok();
    assert_eq!(s.git(&["log", "-1", "--format=%s"]), "fix: other");
    // An ambiguous short sha is refused by name.
    let prefix = &c.conflicting[..4];
    let repo = git2::Repository::open(&s.work).unwrap();
    let mut n = 0u64;
    loop {
        let content = format!("filler {n}");
        let id = git2::Oid::hash_object(git2::ObjectType::Blob, content.as_bytes()).unwrap();
        if id.to_string().starts_with(prefix) {
            repo.blob(content.as_bytes()).unwrap();
            break;
        }
        n += 1;
    }
    let head = s.rev("HEAD");
    s.hotfix(&["pick", prefix])
        .code(2)
        .says("ambiguous")
        .says("more characters");
    assert_eq!(s.rev("HEAD"), head);
}

#[test]
fn case26_a_source_not_on_mainline_is_refused() {
    let (s, _fix) = Sandbox::released();
    // A fix committed on local main but not pushed: origin/main is mainline, so not merged yet.
    let local = s.commit(&[("src/local.txt", "l\n")], "local fix");
    s.hotfix(&["start"]).ok();
    let before = s.state();
    s.hotfix(&["pick", &local])
        .code(2)
        .says("not on mainline (origin/main)")
        .says("git fetch");
    assert_eq!(s.state(), before);
}

#[test]
fn case28_a_stale_lock_file_is_named_with_the_command_to_clear_it() {
    let c = conflicting();
    let s = &c.s;
    // Stale: left by a process killed minutes ago (a young lock is a live writer's, waited
    // for and never called left behind).
    std::fs::write(s.path(".git/index.lock"), "").unwrap();
    std::fs::File::options()
        .write(true)
        .open(s.path(".git/index.lock"))
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(300))
        .unwrap();
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &c.clean])
        .code(2)
        .says("index.lock")
        .says("rm ");
    assert_eq!(s.rev("HEAD"), head);
    assert!(!state_file(s).exists(), "refused before anything was saved");
    std::fs::remove_file(s.path(".git/index.lock")).unwrap();
    s.hotfix(&["pick", &c.clean]).ok();
}

#[test]
fn case04b_an_untracked_file_in_the_way_is_explained_and_continue_retries() {
    let c = conflicting();
    let s = &c.s;
    // The clean fix creates src/other.txt; an untracked file of that name is in the way.
    s.write("src/other.txt", "mine\n");
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &c.clean2])
        .code(2)
        .says("overwrite files")
        .says("--continue");
    assert_eq!(s.rev("HEAD"), head);
    assert_eq!(
        s.read("src/other.txt"),
        "mine\n",
        "the untracked file is not lost"
    );
    std::fs::rename(s.path("src/other.txt"), s.path("mine.txt")).unwrap();
    s.hotfix(&["pick", "--continue"]).ok().says("picked");
    assert_eq!(s.read("src/other.txt"), "other fix\n");
    assert_eq!(s.rev("HEAD^"), head);
}

/// Issue 12, item 10: `--abort` and `--skip` undo only what the pick touched, as
/// `git cherry-pick --abort` does: an edit of your own to another file is kept.
#[test]
fn abort_and_skip_keep_unrelated_edits() {
    let c = conflicting();
    let s = &c.s;
    let head = s.rev("HEAD");
    s.hotfix(&["pick", &c.clean, &c.conflicting]).code(3);
    s.write("src/feature.txt", "my own work\n");
    s.hotfix(&["pick", "--abort"]).ok();
    assert_eq!(s.rev("HEAD"), head);
    assert_eq!(
        s.read("src/feature.txt"),
        "my own work\n",
        "the unrelated edit is kept"
    );
    assert_eq!(
        s.read("src/app.txt"),
        numbered(10),
        "the pick's changes are undone"
    );
    assert_eq!(s.git(&["status", "--porcelain"]), " M src/feature.txt");
    assert!(!state_file(s).exists());
    s.git(&["checkout", "--", "src/feature.txt"]);

    s.hotfix(&["pick", &c.conflicting]).code(3);
    s.write("src/feature.txt", "more of my work\n");
    s.hotfix(&["pick", "--skip"]).ok();
    assert_eq!(s.rev("HEAD"), head);
    assert_eq!(s.read("src/feature.txt"), "more of my work\n");
    assert_eq!(s.read("src/app.txt"), numbered(10));
    assert_eq!(s.git(&["status", "--porcelain"]), " M src/feature.txt");
}

/// Issue 12, item 12: killed after the picks were recorded, `--abort` removes the commits and
/// records a `dropped` event, so the record folds them away instead of keeping ghost picks.
#[test]
fn abort_after_a_kill_records_the_undo_as_dropped() {
    let c = conflicting();
    let s = &c.s;
    let head = s.rev("HEAD");
    s.hotfix_env(
        &["pick", &c.clean],
        &[("HOTFIX_FAILPOINT", "pick-after-record")],
    );
    assert!(
        state_file(s).exists(),
        "killed before the state was cleared"
    );
    let picked = s.events("v1.1.1");
    let made: Vec<String> = picked
        .iter()
        .filter(|e| e["type"] == "picked")
        .map(|e| e["commit"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(made.len(), 1);
    s.hotfix(&["pick", "--abort"]).ok();
    assert_eq!(s.rev("HEAD"), head);
    let events = s.events("v1.1.1");
    let dropped = events.iter().find(|e| e["type"] == "dropped").unwrap();
    assert_eq!(dropped["commits"], serde_json::json!(made));
    let show = s.hotfix(&["show", "v1.1.1", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(doc["picks"], serde_json::json!([]));
    // Picked again, it counts once, as a new commit.
    s.hotfix(&["pick", &c.clean]).ok();
    let show = s.hotfix(&["show", "v1.1.1", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(doc["picks"].as_array().unwrap().len(), 1);
}

/// Issue 12, item 11: killed halfway through writing a large pick's files, the pick goes on
/// with `--continue` (the half-written files are its own, not "untracked files in the way"),
/// and `--abort` removes exactly the files the pick wrote, keeping a file of yours.
#[test]
fn a_kill_in_the_middle_of_a_large_checkout_resumes_and_aborts_cleanly() {
    for finish in ["--continue", "--abort"] {
        let (s, _) = Sandbox::released();
        let files: Vec<(String, String)> = (0..200)
            .map(|i| (format!("src/gen/f{i:03}.txt"), format!("generated {i}\n")))
            .collect();
        let mut all: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        all.push(("tests/gen_test.txt", "test\n"));
        let big = s.commit(&all, "fix: generated tables");
        s.push_main();
        s.hotfix(&["start", "--line", "1.1"]).ok();
        let head = s.rev("HEAD");
        s.write("notes.txt", "mine, untracked\n");
        let killed = s.hotfix_env(
            &["pick", &big],
            &[("HOTFIX_FAILPOINT", "pick-mid-checkout")],
        );
        assert_ne!(killed.code, 0);
        let written = (0..200)
            .filter(|i| s.path(&format!("src/gen/f{i:03}.txt")).exists())
            .count();
        assert!(
            written > 0 && written < 201,
            "killed halfway: {written} files written"
        );
        assert_eq!(s.rev("HEAD"), head, "the branch has not moved yet");
        s.hotfix(&["pick", finish]).ok();
        assert!(!state_file(&s).exists());
        assert_eq!(
            s.read("notes.txt"),
            "mine, untracked\n",
            "{finish}: your file is kept"
        );
        assert_eq!(
            s.git(&["status", "--porcelain"]),
            "?? notes.txt",
            "{finish}"
        );
        if finish == "--abort" {
            assert_eq!(s.rev("HEAD"), head);
            assert!(
                !s.path("src/gen").exists(),
                "every file the pick wrote is gone"
            );
        } else {
            assert_eq!(s.rev("HEAD^"), head);
            assert_eq!(
                s.git(&["ls-tree", "-r", "--name-only", "HEAD", "src/gen"])
                    .lines()
                    .count(),
                200
            );
            assert_eq!(s.read("src/gen/f199.txt"), "generated 199\n");
        }
    }
}
