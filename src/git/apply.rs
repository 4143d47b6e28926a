//! Applying a change to another tree in memory, as `git merge-tree --write-tree` does: a
//! three-way merge of trees with rename detection, written to the object database only (no
//! ref, no index, no working tree is touched). `preview` judges each release line with it.

use super::{Oid, Repo};
use crate::error::Result;

/// What applying a change onto a tree gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// It applies; `tree` is the result.
    Clean { tree: Oid },
    /// It applies but changes nothing: the line has it already.
    Empty,
    /// It conflicts on these paths; `absent` lists those the tree does not have at all.
    Conflict {
        paths: Vec<String>,
        absent: Vec<String>,
    },
}

impl Repo {
    /// Applies the change `before` → `after` onto `onto` (all trees): a cherry-pick of trees,
    /// with renames followed, so a fix to a file moved on the line still lands.
    pub fn apply_change(&self, before: Oid, after: Oid, onto: Oid) -> Result<Applied> {
        let (ancestor, theirs, ours) = (
            self.git.find_tree(before)?,
            self.git.find_tree(after)?,
            self.git.find_tree(onto)?,
        );
        let mut opts = git2::MergeOptions::new();
        opts.find_renames(true).rename_threshold(50);
        let mut index = self
            .git
            .merge_trees(&ancestor, &ours, &theirs, Some(&opts))?;
        if index.has_conflicts() {
            let mut paths = Vec::new();
            let mut absent = Vec::new();
            for conflict in index.conflicts()? {
                let conflict = conflict?;
                let entry = conflict
                    .their
                    .as_ref()
                    .or(conflict.ancestor.as_ref())
                    .or(conflict.our.as_ref());
                let Some(entry) = entry else { continue };
                let path = String::from_utf8_lossy(&entry.path).into_owned();
                if conflict.our.is_none() {
                    absent.push(path.clone());
                }
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
            return Ok(Applied::Conflict { paths, absent });
        }
        let tree = index.write_tree_to(&self.git)?;
        if tree == onto {
            return Ok(Applied::Empty);
        }
        Ok(Applied::Clean { tree })
    }

    /// Tells whether the change `before` → `after` (trees) does not apply to the tree `onto`
    /// because every path it touches, followed through renames, is absent there. A change
    /// that also touches files the tree has is a conflict to resolve, not this.
    pub fn not_applicable(&self, before: Oid, after: Oid, onto: Oid) -> Result<bool> {
        let Applied::Conflict { paths, absent } = self.apply_change(before, after, onto)? else {
            return Ok(false);
        };
        if absent.len() != paths.len() {
            return Ok(false);
        }
        for p in self.tree_paths_between(before, after)? {
            if self.tree_has(onto, &p)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Tells whether the commit `source` (against parent `mainline` for a merge) is not
    /// applicable onto the commit `onto` (see `not_applicable`).
    pub fn pick_not_applicable(
        &self,
        source: Oid,
        mainline: Option<u32>,
        onto: Oid,
    ) -> Result<bool> {
        let Some(before) = self.parent_tree(source, mainline)? else {
            return Ok(false);
        };
        let after = self.git.find_commit(source)?.tree_id();
        let onto = self.git.find_commit(onto)?.tree_id();
        self.not_applicable(before, after, onto)
    }

    /// Tells whether the commit `onto` has the change of `source` already: applying it there
    /// changes nothing. Only tree objects are written.
    pub fn has_change(&self, source: Oid, mainline: Option<u32>, onto: Oid) -> Result<bool> {
        let Some(before) = self.parent_tree(source, mainline)? else {
            return Ok(false);
        };
        let after = self.git.find_commit(source)?.tree_id();
        let onto = self.git.find_commit(onto)?.tree_id();
        Ok(self.apply_change(before, after, onto)? == Applied::Empty)
    }

    /// Tells whether a tree has a file (or folder) at `path`.
    pub fn tree_has(&self, tree: Oid, path: &str) -> Result<bool> {
        Ok(self
            .git
            .find_tree(tree)?
            .get_path(std::path::Path::new(path))
            .is_ok())
    }
}

/// What picking a commit onto a branch in memory gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// The pick commit, written but not yet on any ref.
    Commit(Oid),
    /// The branch has the change already.
    Empty,
    /// It conflicts on these paths.
    Conflict(Vec<String>),
}

impl Repo {
    /// Cherry-picks `source` (against parent `mainline` for a merge) onto the commit `onto`
    /// without an index or a working tree: the source's author and message plus the
    /// `(cherry picked from commit …)` trailer, the committer git would record. Nothing but
    /// objects is written; the caller moves the branch.
    pub fn pick_onto(&self, source: Oid, mainline: Option<u32>, onto: Oid) -> Result<Picked> {
        let src = self.git.find_commit(source)?;
        let parent = self.git.find_commit(onto)?;
        let mut index = self.git.cherrypick_commit(
            &src,
            &parent,
            mainline.unwrap_or(0),
            Some(&super::pick::merge_options()),
        )?;
        if index.has_conflicts() {
            let mut paths = Vec::new();
            for c in index.conflicts()? {
                let c = c?;
                if let Some(e) = c.our.as_ref().or(c.their.as_ref()).or(c.ancestor.as_ref()) {
                    let p = String::from_utf8_lossy(&e.path).into_owned();
                    if !paths.contains(&p) {
                        paths.push(p);
                    }
                }
            }
            return Ok(Picked::Conflict(paths));
        }
        let tree = index.write_tree_to(&self.git)?;
        if tree == parent.tree_id() {
            return Ok(Picked::Empty);
        }
        let message = String::from_utf8_lossy(src.message_raw_bytes()).into_owned();
        let message = super::message::append_picked_from(&message, &source.to_string());
        let committer = self.signature()?;
        let tree = self.git.find_tree(tree)?;
        Ok(Picked::Commit(self.git.commit(
            None,
            &src.author(),
            &committer,
            &message,
            &tree,
            &[&parent],
        )?))
    }
}
