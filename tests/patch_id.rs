//! Patch-ids match `git show -U0 COMMIT | git patch-id --stable`, which `from-mainline` relies
//! on to tell a clean pick from a modified one.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]
// Tests build and inspect repositories with git2 directly; the boundary is for src/.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Sandbox, hermetic, numbered};

fn git_patch_id(s: &Sandbox, commit: &str) -> Option<String> {
    let show = s.git(&["show", "-U0", "--format=", commit]);
    let mut cmd = Command::new("git");
    hermetic(&mut cmd, &s.home());
    let mut child = cmd
        .current_dir(&s.work)
        .args(["patch-id", "--stable"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("commit {commit}\n{show}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .map(str::to_string)
}

#[test]
fn patch_ids_equal_gits_over_changed_lines_only() {
    let s = Sandbox::empty();
    s.commit(
        &[
            ("a.txt", &numbered(30)),
            ("b.txt", "b\n"),
            ("c.txt", "gone soon\n"),
        ],
        "init",
    );
    let mut commits = vec![];
    commits.push(
        s.commit(
            &[(
                "a.txt",
                &numbered(30)
                    .replace("line 5\n", "five\n")
                    .replace("line 25\n", "twenty-five\n"),
            )],
            "two hunks",
        ),
    );
    commits.push(s.commit(&[("new/d.txt", "d1\nd2\n")], "add"));
    s.git(&["rm", "-q", "c.txt"]);
    commits.push(s.commit(&[], "delete"));
    commits.push(s.commit(
        &[("b.txt", "b\nb2\n"), ("a.txt", &numbered(31))],
        "two files",
    ));
    let repo = hotfix::git::Repo::discover(&s.work).unwrap();
    for c in commits {
        let ours = repo
            .patch_id(git2::Oid::from_str(&c).unwrap(), None)
            .unwrap()
            .map(|o| o.to_string());
        assert_eq!(ours, git_patch_id(&s, &c), "commit {c}");
    }
}

#[test]
fn same_change_with_different_context_has_the_same_id() {
    let s = Sandbox::empty();
    s.commit(&[("a.txt", &numbered(10))], "init");
    let a = s.commit(
        &[("a.txt", &numbered(10).replace("line 5\n", "line 5 fixed\n"))],
        "fix on one side",
    );
    s.git(&["reset", "-q", "--hard", "HEAD~1"]);
    s.commit(
        &[("a.txt", &numbered(10).replace("line 4\n", "line four\n"))],
        "context differs",
    );
    let b = s.commit(
        &[(
            "a.txt",
            &numbered(10)
                .replace("line 4\n", "line four\n")
                .replace("line 5\n", "line 5 fixed\n"),
        )],
        "fix on the other",
    );
    let repo = hotfix::git::Repo::discover(&s.work).unwrap();
    let id = |c: &str| {
        repo.patch_id(git2::Oid::from_str(c).unwrap(), None)
            .unwrap()
    };
    assert_eq!(id(&a), id(&b));
}
