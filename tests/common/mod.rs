//! Test harness: real repositories in temporary directories, the real binary, a hermetic git
//! environment (no global or system config, pinned identity and dates).

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub const DATE: &str = "2026-03-10T12:00:00Z";

/// Applies the hermetic environment to a command.
pub fn hermetic(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ann Author")
        .env("GIT_AUTHOR_EMAIL", "ann@example.com")
        .env("GIT_COMMITTER_NAME", "Olga Oncall")
        .env("GIT_COMMITTER_EMAIL", "olga@example.com")
        .env("GIT_AUTHOR_DATE", DATE)
        .env("GIT_COMMITTER_DATE", DATE)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LANG", "C")
        .env("NO_COLOR", "1");
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr or stdout mentions `text`.
    pub fn says(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text) || self.stderr.contains(text),
            "expected output to mention {text:?}\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// A bare `origin` and a clone `work`, in one temporary directory.
pub struct Sandbox {
    pub tmp: TempDir,
    pub work: PathBuf,
    pub origin: PathBuf,
}

impl Sandbox {
    /// An empty clone of an empty bare origin, on branch main.
    pub fn empty() -> Sandbox {
        let tmp = tempfile::Builder::new()
            .prefix("hotfix-test-")
            .tempdir()
            .unwrap();
        let origin = tmp.path().join("origin.git");
        let work = tmp.path().join("work");
        let s = Sandbox { tmp, work, origin };
        s.git_in(
            s.tmp.path(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        s.git_in(s.tmp.path(), &["init", "-q", "-b", "main", "work"]);
        s.git(&["remote", "add", "origin", s.origin.to_str().unwrap()]);
        s
    }

    /// A repository with two releases and a fix merged on mainline:
    ///
    /// main: init [v1.0.0] - feature [v1.1.0] - fix: crash (src/app.txt + tests) - later feature
    pub fn released() -> (Sandbox, String) {
        let s = Sandbox::empty();
        s.commit(
            &[
                ("src/app.txt", &numbered(10)),
                ("tests/app_test.txt", "test 1\n"),
            ],
            "init",
        );
        s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
        s.commit(&[("src/feature.txt", "feature\n")], "feature");
        s.git(&["tag", "-a", "v1.1.0", "-m", "v1.1.0"]);
        let fix = s.commit(
            &[
                (
                    "src/app.txt",
                    &numbered(10).replace("line 3\n", "line 3 fixed\n"),
                ),
                ("tests/app_test.txt", "test 1\ntest crash\n"),
            ],
            "fix: crash",
        );
        s.commit(&[("src/later.txt", "later\n")], "later feature");
        s.publish();
        (s, fix)
    }

    /// `released()` with a hotfix started on line 1.1 (v1.1.1), the fix not yet picked.
    pub fn started() -> (Sandbox, String) {
        let (s, fix) = Sandbox::released();
        s.hotfix(&["start", "--line", "1.1"]).ok();
        (s, fix)
    }

    /// Pushes main and tags to origin and sets origin/HEAD.
    pub fn publish(&self) {
        self.git(&["push", "-q", "origin", "main", "--tags"]);
        self.git(&["fetch", "-q", "origin"]);
        self.git(&["remote", "set-head", "origin", "main"]);
    }

    /// Writes a configuration file outside the clone (for `--config`) and returns its path.
    pub fn config_file(&self, name: &str, text: &str) -> String {
        let p = self.home().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    /// Runs git with its author and committer dates pinned to `date` (RFC 3339).
    pub fn git_at(&self, date: &str, args: &[&str]) -> String {
        self.git_env(
            &[("GIT_COMMITTER_DATE", date), ("GIT_AUTHOR_DATE", date)],
            args,
        )
    }

    /// Runs git in the clone with extra environment variables; it must succeed.
    pub fn git_env(&self, env: &[(&str, &str)], args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home());
        let out = cmd
            .current_dir(&self.work)
            .envs(env.iter().copied())
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// Pushes main to origin and refreshes origin/main: the fix is now merged on mainline.
    pub fn push_main(&self) {
        self.git(&["push", "-q", "origin", "main"]);
        self.git(&["fetch", "-q", "origin"]);
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.work.join(rel)
    }

    pub fn home(&self) -> PathBuf {
        self.tmp.path().to_path_buf()
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home());
        let out = cmd.current_dir(dir).args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// Makes a clone of origin with one commit of history (`git clone --depth 1`), of
    /// `branch` when given, named `name` beside the sandbox's clone; returns its path.
    pub fn shallow_clone(&self, branch: Option<&str>, name: &str) -> PathBuf {
        let url = format!("file://{}", self.origin.display());
        let mut args = vec!["clone", "-q", "--depth", "1"];
        if let Some(b) = branch {
            args.extend(["--branch", b]);
        }
        args.extend([url.as_str(), name]);
        self.git_in(self.tmp.path(), &args);
        self.tmp.path().join(name)
    }

    /// Replaces a file of the ledger branch by hand (a commit made with plumbing, as another
    /// tool or an attacker would), e.g. `records/v1.0.1.jsonl`.
    pub fn put_ledger_file(&self, path: &str, content: &str, message: &str) {
        let file = self
            .home()
            .join(format!("ledger-file-{}", path.replace('/', "-")));
        std::fs::write(&file, content).unwrap();
        self.edit_ledger(message, |git| {
            let blob = git(&["hash-object", "-w", file.to_str().unwrap()]);
            git(&[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("100644,{blob},{path}"),
            ]);
        });
    }

    /// Runs git in the clone with `input` on its standard input.
    pub fn git_in_stdin(&self, args: &[&str], input: &str) -> String {
        use std::io::Write;
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home());
        let mut child = cmd
            .current_dir(&self.work)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.work, args)
    }

    /// Runs git and tells whether it succeeded (for probes such as `rev-parse --verify`).
    pub fn git_ok(&self, args: &[&str]) -> bool {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home());
        cmd.current_dir(&self.work)
            .args(args)
            .output()
            .unwrap()
            .status
            .success()
    }

    pub fn write(&self, rel: &str, content: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Writes files and commits them; returns the new commit's sha.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        for (p, c) in files {
            self.write(p, c);
            self.git(&["add", "--", p]);
        }
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.rev("HEAD")
    }

    pub fn rev(&self, r: &str) -> String {
        self.git(&["rev-parse", r])
    }

    pub fn hotfix(&self, args: &[&str]) -> Out {
        self.hotfix_env(args, &[])
    }

    pub fn hotfix_env(&self, args: &[&str], env: &[(&str, &str)]) -> Out {
        run_hotfix(&self.work, &self.home(), args, env)
    }

    /// Runs `check --format json` with Rita as the reviewer, and parses the document.
    pub fn check_json(&self, extra: &[&str]) -> (Out, serde_json::Value) {
        let mut args = vec![
            "check",
            "--format",
            "json",
            "--reviewer",
            "Rita <rita@example.com>",
        ];
        args.extend_from_slice(extra);
        let out = self.hotfix(&args);
        let doc =
            serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.all()));
        (out, doc)
    }

    /// Every ref and its target, for "nothing changed" assertions.
    pub fn refs(&self) -> String {
        self.git(&["for-each-ref", "--format=%(refname) %(objectname)"])
    }

    /// A fingerprint of everything a failed command must leave alone: refs, HEAD, index,
    /// working tree status.
    pub fn state(&self) -> String {
        format!(
            "{}\nHEAD {}\n{}\n{}",
            self.refs(),
            self.git(&["symbolic-ref", "-q", "HEAD"]),
            self.git(&["status", "--porcelain=v1", "--untracked-files=all"]),
            self.git(&["ls-files", "-s"])
        )
    }

    /// The ledger's events for one hotfix, parsed.
    pub fn events(&self, id: &str) -> Vec<serde_json::Value> {
        let text = self.git(&["show", &format!("hotfix-ledger:records/{id}.jsonl")]);
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The ledger's record files in a clone, as (id, blob id), sorted by id.
    pub fn records_in(&self, dir: &Path) -> Vec<(String, String)> {
        let text = self.git_in(dir, &["ls-tree", "-r", "hotfix-ledger", "records/"]);
        let mut out: Vec<(String, String)> = text
            .lines()
            .map(|l| {
                let (meta, path) = l.split_once('\t').unwrap();
                let blob = meta.split(' ').nth(2).unwrap().to_string();
                let id = path
                    .strip_prefix("records/")
                    .unwrap()
                    .strip_suffix(".jsonl")
                    .unwrap()
                    .to_string();
                (id, blob)
            })
            .collect();
        out.sort();
        out
    }

    /// The lines of the ledger's facts index in a clone, as (id, blob id, facts), sorted.
    pub fn index_in(&self, dir: &Path) -> Vec<(String, String, serde_json::Value)> {
        self.index_at(dir, "facts/v4")
    }

    /// The lines of one of the ledger's indexes (`facts/v4`, `facts/audit-v2`), sorted.
    pub fn index_at(&self, dir: &Path, folder: &str) -> Vec<(String, String, serde_json::Value)> {
        let names = self.git_in(
            dir,
            &[
                "ls-tree",
                "--name-only",
                "hotfix-ledger",
                &format!("{folder}/"),
            ],
        );
        let mut out = Vec::new();
        for name in names.lines().filter(|n| !n.is_empty()) {
            let text = self.git_in(dir, &["show", &format!("hotfix-ledger:{name}")]);
            for line in text.lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                out.push((
                    v[0].as_str().unwrap().to_string(),
                    v[1].as_str().unwrap().to_string(),
                    v[2].clone(),
                ));
            }
        }
        out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        out
    }

    /// Asserts that the facts index and the audit index of a clone have exactly one line per
    /// record each, naming the record's current blob.
    pub fn assert_index_current(&self, dir: &Path) {
        let records = self.records_in(dir);
        for folder in ["facts/v4", "facts/audit-v2"] {
            let index: Vec<(String, String)> = self
                .index_at(dir, folder)
                .into_iter()
                .map(|(id, blob, _)| (id, blob))
                .collect();
            assert_eq!(index, records, "{folder} does not match the records");
        }
    }

    /// Replaces the ledger's tip with a commit whose tree is changed by `edit`, run by git in a
    /// temporary index holding the ledger's tree: a ledger written by hand or by another tool.
    pub fn edit_ledger(&self, message: &str, edit: impl Fn(&dyn Fn(&[&str]) -> String)) {
        let index = self.tmp.path().join("ledger-index");
        let index_s = index.to_str().unwrap().to_string();
        let git = |args: &[&str]| self.git_env(&[("GIT_INDEX_FILE", &index_s)], args);
        git(&["read-tree", "hotfix-ledger"]);
        edit(&git);
        let tree = git(&["write-tree"]);
        let commit = git(&["commit-tree", &tree, "-p", "hotfix-ledger", "-m", message]);
        git(&["update-ref", "refs/heads/hotfix-ledger", &commit]);
        let _ = std::fs::remove_file(&index);
    }

    pub fn event_types(&self, id: &str) -> Vec<String> {
        self.events(id)
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect()
    }

    /// Clones origin into a second working copy next to `work`.
    pub fn clone_as(&self, name: &str) -> PathBuf {
        let dest = self.tmp.path().join(name);
        self.git_in(
            self.tmp.path(),
            &["clone", "-q", self.origin.to_str().unwrap(), name],
        );
        let _ = self.git_in(
            &dest,
            &[
                "fetch",
                "-q",
                "origin",
                "+refs/heads/*:refs/remotes/origin/*",
            ],
        );
        dest
    }
}

pub fn run_hotfix(dir: &Path, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotfix"));
    hermetic(&mut cmd, home);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("hotfix runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The result of rule `id` in a `check --format json` document.
pub fn rule<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no rule {id} in {doc}"))
}

/// `line 1\n` .. `line N\n`.
pub fn numbered(n: usize) -> String {
    (1..=n).map(|i| format!("line {i}\n")).collect()
}
