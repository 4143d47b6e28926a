//! The linked worktrees where a line of an incident that is not checked out waits on a
//! conflict: `.git/hotfix/worktrees/<line>` in the repository's common git folder, one per line,
//! made with `git worktree add` and removed once its pick is finished or aborted.

use std::path::{Path, PathBuf};

use super::Repo;
use super::cli::{NETWORK_TIMEOUT, run};
use crate::error::{Error, Result};

/// A worktree git knows, as `git worktree list --porcelain` describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Worktree {
    pub path: PathBuf,
    /// The branch checked out there (`refs/heads/...`), if any.
    pub branch: Option<String>,
    /// Locked "initializing": `git worktree add` was killed while it made it (a lock of
    /// another reason is somebody's, and is not this).
    pub half_made: bool,
}

impl Repo {
    /// Returns the folder where hotfix keeps what every worktree of this clone shares
    /// (`.git/hotfix` of the main git folder): the locks and the line worktrees.
    pub fn common_state_dir(&self) -> PathBuf {
        self.git.commondir().join("hotfix")
    }

    /// Where line `line`'s conflicts are resolved.
    pub fn line_worktree_path(&self, line: &str) -> PathBuf {
        self.common_state_dir().join("worktrees").join(line)
    }

    /// Tells whether a pick is stopped in line `line`'s worktree (its state saved there).
    /// A folder that is not a worktree (half made) holds none.
    pub fn line_pick_stopped(&self, line: &str) -> Result<bool> {
        let path = self.line_worktree_path(line);
        if !path.join(".git").exists() {
            return Ok(false);
        }
        let Ok(there) = Repo::discover(&path) else {
            return Ok(false);
        };
        Ok(super::pick::PickState::load(&there)?.is_some())
    }

    /// Lists the worktrees of this clone (the main one first), after pruning those whose
    /// folders are gone (removed by hand).
    pub fn worktrees(&self) -> Result<Vec<Worktree>> {
        let _ = run(
            self.git.commondir(),
            &["worktree", "prune"],
            NETWORK_TIMEOUT,
        );
        let out = run(
            self.git.commondir(),
            &["worktree", "list", "--porcelain"],
            NETWORK_TIMEOUT,
        )?;
        if !out.success {
            return Err(Error::usage("cannot list the worktrees of this clone")
                .cause(out.stderr.trim().to_string())
                .hint("check `git worktree list`"));
        }
        Ok(parse_worktrees(&out.stdout))
    }

    /// The worktree other than this one where `branch` (`refs/heads/...`) is checked out.
    pub fn checked_out_elsewhere(&self, branch: &str) -> Result<Option<PathBuf>> {
        let here = self.git.workdir().map(canonical);
        Ok(self
            .worktrees()?
            .into_iter()
            .filter(|w| w.branch.as_deref() == Some(branch))
            .map(|w| w.path)
            .find(|p| Some(canonical(p)) != here))
    }

    /// Checks `branch` (a short name) out in line `line`'s worktree, making the worktree
    /// when it is missing, and returns its path. A worktree that git still lists but whose
    /// folder is gone (removed by hand) is pruned first.
    pub fn add_line_worktree(&self, line: &str, branch: &str) -> Result<PathBuf> {
        let path = self.line_worktree_path(line);
        let common = self.git.commondir().to_path_buf();
        let half_made = self
            .worktrees()?
            .iter()
            .any(|w| w.half_made && canonical(&w.path) == canonical(&path));
        if half_made {
            self.remove_line_worktree(line)?;
        }
        if path.join(".git").exists() {
            return Ok(path);
        }
        if path.exists() {
            // A folder left by a kill before git finished making the worktree.
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(path.parent().expect("worktree paths have a parent"))?;
        let p = path.to_string_lossy().into_owned();
        let out = run(
            &common,
            &["worktree", "add", "--quiet", &p, branch],
            NETWORK_TIMEOUT,
        )?;
        if !out.success {
            return Err(Error::usage(format!(
                "cannot make a worktree for line {line}"
            ))
            .cause(out.stderr.trim().to_string())
            .hint(format!(
                "check `git worktree list`; a branch checked out elsewhere must be switched away there first (git switch --detach), then run the command again ({branch})"
            )));
        }
        Ok(path)
    }

    /// Removes line `line`'s worktree (refusing, as git does, when it holds changes). One
    /// that `git worktree add` left locked "initializing" (killed while it ran) is hotfix's own
    /// half-made one, and is removed with whatever it holds.
    pub fn remove_line_worktree(&self, line: &str) -> Result<()> {
        let path = self.line_worktree_path(line);
        if !path.exists() {
            return Ok(());
        }
        let common = self.git.commondir().to_path_buf();
        let p = path.to_string_lossy().into_owned();
        let half_made = self
            .worktrees()?
            .iter()
            .any(|w| w.half_made && canonical(&w.path) == canonical(&path));
        let args: &[&str] = if half_made {
            &["worktree", "remove", "-f", "-f", &p]
        } else {
            &["worktree", "remove", &p]
        };
        let out = run(&common, args, NETWORK_TIMEOUT)?;
        if !out.success && half_made {
            // So broken that git cannot remove it (no HEAD yet, a HEAD.lock): it is hotfix's
            // own, half made, and holds nobody's work; its folder and git's entry go by hand.
            self.forget_worktree(&path)?;
            return Ok(());
        }
        if !out.success {
            return Err(Error::usage(format!(
                "cannot remove the worktree of line {line}"
            ))
            .cause(out.stderr.trim().to_string())
            .hint(format!(
                "look at `git -C '{p}' status`; remove it with `git worktree remove -f -f '{p}'` once nothing there is needed"
            )));
        }
        Ok(())
    }
}

impl Repo {
    /// Removes a worktree's folder and git's entry for it (`.git/worktrees/NAME`, found by
    /// the `gitdir` file that points back at it), then prunes.
    fn forget_worktree(&self, path: &Path) -> Result<()> {
        let admin = self.git.commondir().join("worktrees");
        let target = canonical(path).join(".git");
        for entry in std::fs::read_dir(&admin).into_iter().flatten().flatten() {
            let points = std::fs::read_to_string(entry.path().join("gitdir"))
                .map(|t| {
                    canonical(Path::new(t.trim())) == target
                        || Path::new(t.trim()) == path.join(".git")
                })
                .unwrap_or(false);
            if points {
                std::fs::remove_dir_all(entry.path())?;
            }
        }
        if path.exists() {
            std::fs::remove_dir_all(path)?;
        }
        let _ = run(
            self.git.commondir(),
            &["worktree", "prune"],
            NETWORK_TIMEOUT,
        );
        Ok(())
    }
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// Parses `git worktree list --porcelain`: blocks of `worktree PATH`, `HEAD SHA`, then
/// `branch REF` or `detached`, separated by blank lines.
pub fn parse_worktrees(text: &str) -> Vec<Worktree> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let mut path = None;
        let mut branch = None;
        let mut half_made = false;
        for line in block.lines() {
            if let Some(p) = line.strip_prefix("worktree ") {
                path = Some(PathBuf::from(p));
            } else if let Some(b) = line.strip_prefix("branch ") {
                branch = Some(b.to_string());
            } else if line == "locked initializing" {
                half_made = true;
            }
        }
        if let Some(path) = path {
            out.push(Worktree {
                path,
                branch,
                half_made,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_lists_are_parsed() {
        let text = "worktree /r\nHEAD 1111\nbranch refs/heads/hotfix/2.1.4\n\nworktree /r/.git/hotfix/worktrees/2.0\nHEAD 2222\ndetached\nlocked initializing\n\n";
        assert_eq!(
            parse_worktrees(text),
            vec![
                Worktree {
                    path: "/r".into(),
                    branch: Some("refs/heads/hotfix/2.1.4".into()),
                    half_made: false,
                },
                Worktree {
                    path: "/r/.git/hotfix/worktrees/2.0".into(),
                    branch: None,
                    half_made: true,
                },
            ]
        );
    }
}
