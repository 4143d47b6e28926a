//! The test command (`policy.test-command`) run for `tests-pass`: on the hotfix head in a
//! temporary worktree, and with `policy.prove-regression` on the base with only the hotfix's
//! test files applied, where a regression test worth its name fails.

use std::path::Path;
use std::time::Duration;

use crate::context::Ctx;
use crate::error::Result;
use crate::git::cli::TempWorktree;
use crate::git::diff::FileChange;
use crate::git::{FileEntry, Oid, ReleaseTag};
use crate::policy::{TestOutcome, TestRun};
use crate::shell;

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
    let timeout = ctx
        .config
        .policy
        .test_timeout
        .duration()
        .to_std()
        .unwrap_or(Duration::from_secs(1800));
    apply_overlay(ctx, worktree.path(), overlay)?;
    let run = shell::run(&shell::Spec {
        command: &command,
        dir: worktree.path(),
        env: Vec::new(),
        timeout,
        grace: Duration::from_secs(5),
        stream: false,
        tail_lines: 20,
        interrupt: None,
        on_spawn: None,
    })?;
    drop(worktree);
    let passed = run.success();
    let mut output_tail = run.tail;
    if run.ended == shell::Ended::TimedOut {
        output_tail.push_str(&format!(
            "\n(stopped after {}s: policy.test-timeout)",
            timeout.as_secs()
        ));
    }
    Ok(TestRun {
        command,
        passed,
        output_tail,
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
