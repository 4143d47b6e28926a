//! Diffs: patch-ids over changed lines only, per-file stats, and the added lines that test
//! markers are searched in.

use git2::{Diff, DiffFindOptions, DiffOptions, Oid, Patch, Tree};

use crate::error::Result;
use crate::git::Repo;

/// One changed file between two trees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileChange {
    pub path: String,
    /// The path before a rename, when the file was renamed.
    pub old_path: Option<String>,
    pub added: usize,
    pub deleted: usize,
    pub binary: bool,
    /// The lines this change adds, each with its number in the new file (without the leading
    /// `+`), for test markers.
    #[serde(skip)]
    pub added_lines: Vec<(u32, String)>,
}

impl Repo {
    /// Returns the tree diff between two trees with rename detection, as `git diff -M` sees it.
    fn tree_diff(
        &self,
        old: Option<&Tree<'_>>,
        new: Option<&Tree<'_>>,
        context: u32,
    ) -> Result<Diff<'_>> {
        let mut opts = DiffOptions::new();
        opts.context_lines(context).ignore_submodules(false);
        let mut diff = self.git.diff_tree_to_tree(old, new, Some(&mut opts))?;
        let mut find = DiffFindOptions::new();
        find.renames(true).rename_threshold(50);
        diff.find_similar(Some(&mut find))?;
        Ok(diff)
    }

    /// Returns the tree a commit is compared against: its parent `mainline` (1-based) for a
    /// merge, its only parent otherwise, or none for a root commit.
    pub fn parent_tree(&self, commit: Oid, mainline: Option<u32>) -> Result<Option<Oid>> {
        let c = self.git.find_commit(commit)?;
        let idx = mainline.unwrap_or(1).saturating_sub(1) as usize;
        if c.parent_count() == 0 {
            return Ok(None);
        }
        Ok(Some(c.parent(idx)?.tree_id()))
    }

    /// Computes the stable patch-id of a commit over its changed lines only, as
    /// `git show -U0 COMMIT | git patch-id --stable` does, so that the same fix applied with
    /// different surrounding lines has the same id.
    pub fn patch_id(&self, commit: Oid, mainline: Option<u32>) -> Result<Option<Oid>> {
        let c = self.git.find_commit(commit)?;
        let new = c.tree()?;
        let old = match self.parent_tree(commit, mainline)? {
            Some(t) => Some(self.git.find_tree(t)?),
            None => None,
        };
        self.trees_patch_id(old.as_ref(), &new)
    }

    /// Computes the stable patch-id of the change between two trees (`None` when they are equal).
    pub fn trees_patch_id(&self, old: Option<&Tree<'_>>, new: &Tree<'_>) -> Result<Option<Oid>> {
        let diff = self.tree_diff(old, Some(new), 0)?;
        if diff.deltas().len() == 0 {
            return Ok(None);
        }
        Ok(Some(diff.patchid(None)?))
    }

    /// Returns the patch text of a commit with no context lines, for showing how a pick differs
    /// from its source.
    pub fn patch_text(&self, commit: Oid, mainline: Option<u32>) -> Result<String> {
        let new = self.git.find_commit(commit)?.tree_id();
        self.trees_patch_text(self.parent_tree(commit, mainline)?, new)
    }

    /// Returns the patch text between two trees with no context lines.
    pub fn trees_patch_text(&self, old: Option<Oid>, new: Oid) -> Result<String> {
        let new = self.git.find_tree(new)?;
        let old = match old {
            Some(t) => Some(self.git.find_tree(t)?),
            None => None,
        };
        let diff = self.tree_diff(old.as_ref(), Some(&new), 0)?;
        let mut out = String::new();
        diff.print(git2::DiffFormat::Patch, |_, _, line| {
            let content = String::from_utf8_lossy(line.content());
            match line.origin() {
                '+' | '-' | ' ' => out.push(line.origin()),
                _ => {}
            }
            out.push_str(&content);
            true
        })?;
        Ok(out)
    }

    /// Lists the files changed between two commits' trees with added and deleted line counts.
    pub fn changes(&self, base: Oid, head: Oid) -> Result<Vec<FileChange>> {
        let old = self.git.find_commit(base)?.tree()?;
        let new = self.git.find_commit(head)?.tree()?;
        self.tree_changes(Some(&old), &new)
    }

    /// Lists every path a commit changes against its parent `mainline` (1-based; the only
    /// parent otherwise), both sides of a rename included.
    pub fn changed_paths(
        &self,
        commit: Oid,
        mainline: Option<u32>,
    ) -> Result<std::collections::BTreeSet<String>> {
        let new = self.git.find_commit(commit)?.tree()?;
        let old = match self.parent_tree(commit, mainline)? {
            Some(t) => Some(self.git.find_tree(t)?),
            None => None,
        };
        let diff = self.tree_diff(old.as_ref(), Some(&new), 0)?;
        let mut out = std::collections::BTreeSet::new();
        for d in diff.deltas() {
            for f in [d.old_file(), d.new_file()] {
                if let Some(p) = f.path() {
                    out.insert(p.to_string_lossy().into_owned());
                }
            }
        }
        Ok(out)
    }

    /// Lists the files a single commit changes against its first parent.
    pub fn commit_paths(&self, commit: Oid) -> Result<Vec<String>> {
        let c = self.git.find_commit(commit)?;
        let new = c.tree()?;
        let old = match c.parent_count() {
            0 => None,
            _ => Some(c.parent(0)?.tree()?),
        };
        let diff = self.tree_diff(old.as_ref(), Some(&new), 0)?;
        Ok(diff
            .deltas()
            .filter_map(|d| d.new_file().path().or(d.old_file().path()))
            .map(|p| p.to_string_lossy().into_owned())
            .collect())
    }

    fn tree_changes(&self, old: Option<&Tree<'_>>, new: &Tree<'_>) -> Result<Vec<FileChange>> {
        let diff = self.tree_diff(old, Some(new), 0)?;
        let mut out = Vec::new();
        for idx in 0..diff.deltas().len() {
            let delta = diff.get_delta(idx).expect("index is within deltas().len()");
            let path_of =
                |f: git2::DiffFile<'_>| f.path().map(|p| p.to_string_lossy().into_owned());
            let new_path = path_of(delta.new_file());
            let old_path = path_of(delta.old_file());
            let path = new_path.clone().or(old_path.clone()).unwrap_or_default();
            let renamed = delta.status() == git2::Delta::Renamed;
            let mut change = FileChange {
                path,
                old_path: if renamed { old_path } else { None },
                added: 0,
                deleted: 0,
                binary: delta.flags().is_binary(),
                added_lines: Vec::new(),
            };
            if let Some(patch) = Patch::from_diff(&diff, idx)? {
                change.binary |= patch.delta().flags().is_binary();
                let (_, adds, dels) = patch.line_stats()?;
                change.added = adds;
                change.deleted = dels;
                for h in 0..patch.num_hunks() {
                    for l in 0..patch.num_lines_in_hunk(h)? {
                        let line = patch.line_in_hunk(h, l)?;
                        if line.origin() == '+' {
                            change.added_lines.push((
                                line.new_lineno().unwrap_or(0),
                                String::from_utf8_lossy(line.content())
                                    .trim_end()
                                    .to_string(),
                            ));
                        }
                    }
                }
            }
            out.push(change);
        }
        Ok(out)
    }
}
