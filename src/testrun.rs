//! The test command (`policy.test-command`) run for `tests-pass`: on the hotfix head in a
//! temporary worktree, and with `policy.prove-regression` on the base with only the hotfix's
//! test files applied, where a regression test worth its name fails.

use std::path::Path;
use std::time::Duration;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::git::cli::TempWorktree;
use crate::git::diff::FileChange;
use crate::git::{FileEntry, Oid, ReleaseTag};
use crate::policy::{TestOutcome, TestRun};

/// Runs the tests the policy asks for on the hotfix base..head, when a test command is set.
/// `phase` hears what is being run, for the caller's progress display.
pub fn for_policy(
    ctx: &Ctx,
    base: &ReleaseTag,
    head: Oid,
    changes: &[FileChange],
    is_ancestor: bool,
    phase: &mut dyn FnMut(String),
) -> Result<Option<TestRun>> {
    let command = &ctx.config.policy.test_command;
    if command.trim().is_empty() {
        return Ok(None);
    }
    phase(format!("running `{command}` on the hotfix head"));
    let mut run = run_tests(ctx, head, &[])?;
    if ctx.config.policy.prove_regression && is_ancestor {
        phase(format!(
            "running `{command}` on {} with only the test changes",
            base.name
        ));
        run.before = Some(prove_regression(ctx, base, head, changes)?);
    }
    Ok(Some(run))
}

/// Runs the test command on the base with only the hotfix's test files (paths matching
/// `policy.tests`, neither prose nor vendored) taken from the head: a regression test worth its name fails there.
fn prove_regression(
    ctx: &Ctx,
    base: &ReleaseTag,
    head: Oid,
    changes: &[FileChange],
) -> Result<TestOutcome> {
    let policy = &ctx.config.policy;
    let mut overlay = Vec::new();
    let mut names = Vec::new();
    for c in changes
        .iter()
        .filter(|c| crate::evidence::is_test_path(policy, &c.path))
    {
        let entry = ctx.repo.file_entry_at(head, &c.path)?;
        overlay.push((c.path.clone(), entry));
        names.push(c.path.clone());
    }
    let run = run_tests(ctx, base.commit, &overlay)?;
    Ok(TestOutcome {
        passed: run.passed,
        output_tail: run.output_tail,
        tests: names,
    })
}

/// Runs `policy.test-command` on `commit` in a temporary worktree, bounded by
/// `policy.test-timeout`; `overlay` replaces files first (the head's file, or `None` to
/// delete). The worktree is removed afterwards.
fn run_tests(ctx: &Ctx, commit: Oid, overlay: &[(String, Option<FileEntry>)]) -> Result<TestRun> {
    let command = ctx.config.policy.test_command.clone();
    let worktree = TempWorktree::add(&ctx.repo, commit, "hotfix-tests-", "for the tests")?;
    let (passed, output) = apply_overlay(ctx, worktree.path(), overlay).and_then(|()| {
        run_shell(
            &command,
            worktree.path(),
            ctx.config
                .policy
                .test_timeout
                .duration()
                .to_std()
                .unwrap_or(Duration::from_secs(1800)),
        )
    })?;
    drop(worktree);
    let tail: Vec<&str> = output.lines().rev().take(20).collect();
    Ok(TestRun {
        command,
        passed,
        output_tail: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        before: None,
    })
}

fn apply_overlay(ctx: &Ctx, dir: &Path, overlay: &[(String, Option<FileEntry>)]) -> Result<()> {
    for (path, entry) in overlay {
        let target = dir.join(path);
        match entry {
            None => {
                let _ = std::fs::remove_file(&target);
            }
            Some(entry) => {
                let content = ctx.repo.blob(entry.blob)?;
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&target, content)?;
                #[cfg(unix)]
                if entry.executable {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))?;
                }
            }
        }
    }
    Ok(())
}

fn run_shell(command: &str, dir: &Path, timeout: Duration) -> Result<(bool, String)> {
    use std::process::{Command, Stdio};
    let out_file = tempfile::NamedTempFile::new()?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out_file.reopen()?)
        .stderr(out_file.reopen()?)
        .spawn()
        .map_err(|e| Error::usage("cannot run the test command").cause(e.to_string()))?;
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break Some(s);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = std::fs::read_to_string(out_file.path()).unwrap_or_default();
    match status {
        Some(s) => Ok((s.success(), output)),
        None => Ok((
            false,
            format!(
                "{output}\n(stopped after {}s: policy.test-timeout)",
                timeout.as_secs()
            ),
        )),
    }
}
