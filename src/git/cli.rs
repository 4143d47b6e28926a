//! Runs the `git` program for fetch, push, ls-remote, worktrees and signed tags, so the user's
//! credential helpers, SSH configuration, hooks and signing keys apply.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// What a finished `git` command printed.
#[derive(Debug)]
pub struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The last line git wrote to stderr: its error, for a message.
    pub fn last_error(&self) -> String {
        self.stderr.trim().lines().last().unwrap_or("").to_string()
    }
}

/// Runs `git ARGS` in `dir`, bounded in time; a command that outlives `timeout` is killed.
pub fn run(dir: &Path, args: &[&str], timeout: Duration) -> Result<Output> {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        // Without a terminal a credential prompt would hang the run; fail instead.
        cmd.env("GIT_TERMINAL_PROMPT", "0");
    }
    let mut child = cmd.spawn().map_err(|e| {
        Error::usage("cannot run the git program")
            .cause(format!("`git {}` could not start: {e}", args.join(" ")))
            .hint("install git (fetch and push go through it, so your credentials and hooks apply)")
    })?;
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(
                Error::external(format!("`git {}` took too long", args.join(" ")))
                    .cause(format!(
                        "it did not finish within {}s and was stopped",
                        timeout.as_secs()
                    ))
                    .hint("check your network and the remote, then run the command again"),
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Ok(Output {
        success: status.success(),
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    })
}

/// The default bound for commands that talk to a remote.
pub const NETWORK_TIMEOUT: Duration = Duration::from_secs(120);

/// A detached worktree at one commit in a temporary folder, made with `git worktree add` and
/// removed (with `git worktree prune`) when dropped.
pub struct TempWorktree {
    gitdir: std::path::PathBuf,
    path: std::path::PathBuf,
    _tmp: tempfile::TempDir,
}

impl TempWorktree {
    /// Checks `commit` out in a new temporary folder whose name starts with `prefix`; `purpose`
    /// completes "cannot create a temporary worktree" (`for the tests`).
    pub fn add(
        repo: &super::Repo,
        commit: super::Oid,
        prefix: &str,
        purpose: &str,
    ) -> Result<TempWorktree> {
        let gitdir = repo.gitdir();
        let tmp = tempfile::Builder::new().prefix(prefix).tempdir()?;
        let path = tmp.path().join("worktree");
        let path_str = path.to_string_lossy().into_owned();
        let commit = commit.to_string();
        let add = run(
            &gitdir,
            &["worktree", "add", "--detach", "--quiet", &path_str, &commit],
            NETWORK_TIMEOUT,
        )?;
        if !add.success {
            return Err(Error::usage(format!("cannot create a temporary worktree {purpose}"))
                .cause(add.stderr.trim().to_string())
                .hint("check `git worktree list` and remove stale worktrees with `git worktree prune`"));
        }
        Ok(TempWorktree {
            gitdir,
            path,
            _tmp: tmp,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the temporary worktrees named `prefix…` that a killed process left behind (its
    /// `Drop` never ran). Only for a caller that holds the lock every maker of such worktrees
    /// takes, so none of them is in use.
    pub fn clear_stale(repo: &super::Repo, prefix: &str) {
        let Ok(worktrees) = repo.worktrees() else {
            return;
        };
        let gitdir = repo.gitdir();
        for w in worktrees {
            let Some(parent) = w.path.parent() else {
                continue;
            };
            let ours = parent
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
                && w.path.file_name().is_some_and(|n| n == "worktree");
            if !ours {
                continue;
            }
            let path = w.path.to_string_lossy().into_owned();
            let _ = run(
                &gitdir,
                &["worktree", "remove", "--force", "--force", &path],
                NETWORK_TIMEOUT,
            );
            let _ = std::fs::remove_dir_all(parent);
        }
        let _ = run(&gitdir, &["worktree", "prune"], NETWORK_TIMEOUT);
    }
}

impl Drop for TempWorktree {
    fn drop(&mut self) {
        let path = self.path.to_string_lossy().into_owned();
        let _ = run(
            &self.gitdir,
            &["worktree", "remove", "--force", &path],
            NETWORK_TIMEOUT,
        );
        let _ = run(&self.gitdir, &["worktree", "prune"], NETWORK_TIMEOUT);
    }
}

/// Asks the remote for a tag with `git ls-remote`: `Ok(Ok(Some(sha)))` names the object the
/// tag points at (peeled, so an annotated tag gives its commit), `Ok(Ok(None))` means the remote
/// has no such tag, and `Ok(Err(message))` means the remote could not be asked.
pub fn remote_tag(
    dir: &Path,
    remote: &str,
    tag: &str,
) -> Result<std::result::Result<Option<String>, String>> {
    let refname = format!("refs/tags/{tag}");
    let peeled = format!("{refname}^{{}}");
    let out = run(
        dir,
        &["ls-remote", remote, &refname, &peeled],
        Duration::from_secs(30),
    )?;
    if !out.success {
        return Ok(Err(out.last_error()));
    }
    let (mut direct, mut deref) = (None, None);
    for line in out.stdout.lines() {
        let mut parts = line.split_whitespace();
        let (Some(sha), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        if name == refname {
            direct = Some(sha.to_string());
        } else if name == peeled {
            deref = Some(sha.to_string());
        }
    }
    Ok(Ok(deref.or(direct)))
}

/// Asks the remote where each of `refs` (full names) stands, in one `git ls-remote`: the
/// object each points at (for a tag, the object the tag ref names, not peeled); a ref the
/// remote does not have is absent from the map.
pub fn remote_refs(
    dir: &Path,
    remote: &str,
    refs: &[String],
) -> Result<std::collections::HashMap<String, String>> {
    let mut args = vec!["ls-remote", remote];
    args.extend(refs.iter().map(String::as_str));
    let out = run(dir, &args, Duration::from_secs(60))?;
    if !out.success {
        return Err(Error::external(format!("cannot ask {remote} where its refs stand"))
            .cause(out.last_error())
            .hint(format!(
                "check that `git ls-remote {remote}` works, then run the command again; what was tagged and recorded stays, and the re-run pushes it"
            )));
    }
    Ok(out
        .stdout
        .lines()
        .filter_map(|l| {
            let mut p = l.split_whitespace();
            let (sha, name) = (p.next()?, p.next()?);
            refs.iter()
                .any(|r| r == name)
                .then(|| (name.to_string(), sha.to_string()))
        })
        .collect())
}

/// Asks the remote for all its tags in one `git ls-remote --tags`: tag name to the object it
/// points at, peeled (an annotated tag gives its commit); `Ok(Err(message))` when the remote
/// could not be asked.
pub fn remote_tags(
    dir: &Path,
    remote: &str,
) -> Result<std::result::Result<std::collections::HashMap<String, String>, String>> {
    let out = run(dir, &["ls-remote", "--tags", remote], NETWORK_TIMEOUT)?;
    if !out.success {
        return Ok(Err(out.last_error()));
    }
    let mut tags = std::collections::HashMap::new();
    for line in out.stdout.lines() {
        let mut parts = line.split_whitespace();
        let (Some(sha), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Some(name) = name.strip_prefix("refs/tags/") else {
            continue;
        };
        match name.strip_suffix("^{}") {
            // The peeled line comes after the tag's own and wins.
            Some(tag) => {
                tags.insert(tag.to_string(), sha.to_string());
            }
            None => {
                tags.entry(name.to_string())
                    .or_insert_with(|| sha.to_string());
            }
        }
    }
    Ok(Ok(tags))
}

/// Asks a remote which branch its HEAD points at (`git ls-remote --symref REMOTE HEAD`);
/// `None` when it cannot be asked or does not say.
pub fn remote_head(dir: &Path, remote: &str) -> Option<String> {
    let out = run(
        dir,
        &["ls-remote", "--symref", remote, "HEAD"],
        Duration::from_secs(30),
    )
    .ok()?;
    if !out.success {
        return None;
    }
    out.stdout.lines().find_map(|line| {
        let (target, name) = line.strip_prefix("ref: ")?.split_once('\t')?;
        (name.trim() == "HEAD")
            .then(|| target.strip_prefix("refs/heads/").map(str::to_string))
            .flatten()
    })
}

/// Pushes refspecs in one `git push --atomic`: all land or none does.
pub fn push_atomic(dir: &Path, remote: &str, refspecs: &[String]) -> Result<()> {
    let mut args = vec!["push", "--atomic", "--porcelain", remote];
    args.extend(refspecs.iter().map(String::as_str));
    let out = run(dir, &args, NETWORK_TIMEOUT)?;
    if out.success {
        return Ok(());
    }
    let rejected: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with('!')).collect();
    // What the remote said (a hook's reason comes as `remote: ...` lines) goes first.
    let said: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("remote:"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(10)
        .collect();
    let mut cause = String::new();
    if !said.is_empty() {
        cause = format!("{remote} said: {}", said.join(" / "));
    }
    let refused = if rejected.is_empty() {
        out.stderr.trim().to_string()
    } else {
        rejected.join("; ")
    };
    if said.is_empty() {
        cause = refused;
    } else if !rejected.is_empty() {
        cause = format!("{cause}; refused: {refused}");
    }
    Err(Error::external(format!("the push to {remote} was refused; nothing was pushed"))
        .cause(cause)
        .hint(format!(
            "the local tag and ledger are kept; fix the cause (`git fetch {remote}` if the remote moved), then run `hotfix ship --push` again to finish"
        )))
}

/// Fetches refspecs from a remote.
pub fn fetch(dir: &Path, remote: &str, refspecs: &[&str]) -> Result<()> {
    let mut args = vec!["fetch", "--quiet", "--no-write-fetch-head", remote];
    args.extend_from_slice(refspecs);
    let out = run(dir, &args, NETWORK_TIMEOUT)?;
    if out.success {
        return Ok(());
    }
    Err(Error::external(format!("fetching from {remote} failed"))
        .cause(out.stderr.trim().to_string())
        .hint(format!(
            "check that `git fetch {remote}` works from this clone, then run the command again"
        )))
}
