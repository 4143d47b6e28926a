//! Reading and writing objects: commits, trees and blobs, by id. Writes add objects only;
//! no ref, index or file changes here (see `refs` for those).

use std::collections::BTreeMap;
use std::path::Path;

use git2::Signature;

use super::{CommitInfo, FileEntry, Oid, Person, Repo};
use crate::error::Result;

/// One edit of `Repo::tree_edit`: a path's components, and the blob to put there or `None`.
type Edit<'p> = (Vec<&'p str>, Option<Oid>);

impl Repo {
    /// Reads a commit.
    pub fn commit_info(&self, oid: Oid) -> Result<CommitInfo> {
        let c = self.git.find_commit(oid)?;
        Ok(CommitInfo {
            id: oid,
            parents: c.parent_ids().collect(),
            tree: c.tree_id(),
            message: String::from_utf8_lossy(c.message_raw_bytes()).into_owned(),
            summary: summary_of(&c),
            author: Person::of(&c.author()),
            time: c.time().seconds(),
        })
    }

    /// Reads a blob's bytes.
    pub fn blob(&self, oid: Oid) -> Result<Vec<u8>> {
        Ok(self.git.find_blob(oid)?.content().to_vec())
    }

    /// Finds the file at `path` in a commit's tree, if there is one.
    pub fn file_entry_at(&self, commit: Oid, path: &str) -> Result<Option<FileEntry>> {
        let tree = self.git.find_commit(commit)?.tree()?;
        let Ok(entry) = tree.get_path(Path::new(path)) else {
            return Ok(None);
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(None);
        }
        Ok(Some(FileEntry {
            blob: entry.id(),
            executable: entry.filemode() == i32::from(git2::FileMode::BlobExecutable),
        }))
    }

    /// Reads the file at `path` in a commit's tree: its bytes, or `None` when the commit has no
    /// file there.
    pub fn file_at(&self, commit: Oid, path: &str) -> Result<Option<Vec<u8>>> {
        match self.file_entry_at(commit, path)? {
            Some(entry) => Ok(Some(self.blob(entry.blob)?)),
            None => Ok(None),
        }
    }

    /// Applies many edits to a tree at once and returns the new tree: each edit is a path
    /// (`a/b/c`) and the blob to write there, or `None` to remove it. Every changed tree is
    /// written once, however many of its entries change, and a tree left empty is dropped.
    pub fn tree_edit(&self, base: Option<Oid>, edits: &[(String, Option<Oid>)]) -> Result<Oid> {
        let edits: Vec<Edit<'_>> = edits
            .iter()
            .map(|(p, b)| (p.split('/').collect(), *b))
            .collect();
        let base = match base {
            Some(t) => Some(self.git.find_tree(t)?),
            None => None,
        };
        match self.tree_edit_at(base.as_ref(), &edits)? {
            Some(t) => Ok(t),
            None => Ok(self.git.treebuilder(None)?.write()?),
        }
    }

    fn tree_edit_at(
        &self,
        base: Option<&git2::Tree<'_>>,
        edits: &[Edit<'_>],
    ) -> Result<Option<Oid>> {
        let mut builder = self.git.treebuilder(base)?;
        let mut deeper: BTreeMap<&str, Vec<Edit<'_>>> = BTreeMap::new();
        for (path, blob) in edits {
            match path.as_slice() {
                [] => {}
                [name] => match blob {
                    Some(b) => {
                        builder.insert(name, *b, git2::FileMode::Blob.into())?;
                    }
                    None => {
                        if builder.get(name)?.is_some() {
                            builder.remove(name)?;
                        }
                    }
                },
                [dir, rest @ ..] => deeper.entry(dir).or_default().push((rest.to_vec(), *blob)),
            }
        }
        for (dir, sub_edits) in deeper {
            let sub = match base.and_then(|t| t.get_name(dir)) {
                Some(e) if e.kind() == Some(git2::ObjectType::Tree) => {
                    Some(self.git.find_tree(e.id())?)
                }
                _ => None,
            };
            match self.tree_edit_at(sub.as_ref(), &sub_edits)? {
                Some(id) => {
                    builder.insert(dir, id, git2::FileMode::Tree.into())?;
                }
                None => {
                    if builder.get(dir)?.is_some() {
                        builder.remove(dir)?;
                    }
                }
            }
        }
        if builder.is_empty() {
            return Ok(None);
        }
        Ok(Some(builder.write()?))
    }

    /// Returns a commit's tree.
    pub fn tree_of(&self, commit: Oid) -> Result<Oid> {
        Ok(self.git.find_commit(commit)?.tree_id())
    }

    /// Lists the files below the folder `under` of a tree (`""` for the whole tree) as (path
    /// below `under`, blob), in tree order; `recursive` goes into subfolders too. A missing
    /// folder has no files.
    pub fn tree_files(
        &self,
        tree: Oid,
        under: &str,
        recursive: bool,
    ) -> Result<Vec<(String, Oid)>> {
        let root = self.git.find_tree(tree)?;
        let dir = if under.is_empty() {
            root
        } else {
            match root.get_path(Path::new(under)) {
                Ok(e) if e.kind() == Some(git2::ObjectType::Tree) => self.git.find_tree(e.id())?,
                _ => return Ok(Vec::new()),
            }
        };
        let mut out = Vec::with_capacity(dir.len());
        self.collect_files(&dir, "", recursive, &mut out)?;
        Ok(out)
    }

    fn collect_files(
        &self,
        tree: &git2::Tree<'_>,
        prefix: &str,
        recursive: bool,
        out: &mut Vec<(String, Oid)>,
    ) -> Result<()> {
        for entry in tree.iter() {
            let Ok(name) = entry.name() else { continue };
            match entry.kind() {
                Some(git2::ObjectType::Tree) if recursive => {
                    let sub = self.git.find_tree(entry.id())?;
                    self.collect_files(&sub, &format!("{prefix}{name}/"), true, out)?;
                }
                Some(git2::ObjectType::Blob) => out.push((format!("{prefix}{name}"), entry.id())),
                _ => {}
            }
        }
        Ok(())
    }

    /// Lists the names at the top of a tree, files and folders alike.
    pub fn tree_names(&self, tree: Oid) -> Result<Vec<String>> {
        let tree = self.git.find_tree(tree)?;
        Ok(tree
            .iter()
            .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
            .collect())
    }

    /// Finds the blob at `path` in a tree, if there is one.
    pub fn blob_at(&self, tree: Oid, path: &str) -> Result<Option<Oid>> {
        let tree = self.git.find_tree(tree)?;
        Ok(match tree.get_path(Path::new(path)) {
            Ok(e) if e.kind() == Some(git2::ObjectType::Blob) => Some(e.id()),
            _ => None,
        })
    }

    /// Runs `f` on a blob's bytes where the object database holds them, without a copy.
    pub fn with_blob<T>(&self, oid: Oid, f: impl FnOnce(&[u8]) -> T) -> Result<T> {
        Ok(f(self.git.find_blob(oid)?.content()))
    }

    /// Writes a blob and returns its id.
    pub fn write_blob(&self, content: &[u8]) -> Result<Oid> {
        Ok(self.git.blob(content)?)
    }

    /// Makes a commit of `tree` with these parents, by the current identity, without touching
    /// any ref, index or file; returns its id.
    pub fn commit_tree(&self, tree: Oid, parents: &[Oid], message: &str) -> Result<Oid> {
        let sig = self.signature()?;
        self.commit_tree_as(tree, parents, message, &sig, &sig)
    }

    pub(in crate::git) fn commit_tree_as(
        &self,
        tree: Oid,
        parents: &[Oid],
        message: &str,
        author: &Signature<'_>,
        committer: &Signature<'_>,
    ) -> Result<Oid> {
        let tree = self.git.find_tree(tree)?;
        let parents = parents
            .iter()
            .map(|p| self.git.find_commit(*p))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        Ok(self
            .git
            .commit(None, author, committer, message, &tree, &refs)?)
    }

    /// Reverts `commit` on top of `onto` in memory and commits the result by the current
    /// identity; returns the new commit, or `None` when the revert conflicts (nothing written
    /// but objects).
    pub fn revert_onto(&self, commit: Oid, onto: Oid, message: &str) -> Result<Option<Oid>> {
        let c = self.git.find_commit(commit)?;
        let ours = self.git.find_commit(onto)?;
        let mut index = self.git.revert_commit(&c, &ours, 0, None)?;
        if index.has_conflicts() {
            return Ok(None);
        }
        let tree = index.write_tree_to(&self.git)?;
        Ok(Some(self.commit_tree(tree, &[onto], message)?))
    }
}

/// Returns a commit's subject line, lossily decoded.
pub fn summary_of(c: &git2::Commit<'_>) -> String {
    String::from_utf8_lossy(c.summary_bytes().unwrap_or_default()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::Repository;

    #[test]
    fn tree_edit_writes_nested_paths_and_drops_emptied_trees() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::from_git(Repository::init_bare(dir.path()).unwrap());
        let a = repo.git.blob(b"a\n").unwrap();
        let b = repo.git.blob(b"b\n").unwrap();
        let put = |p: &str, o: Option<Oid>| (p.to_string(), o);
        let t = repo
            .tree_edit(
                None,
                &[
                    put("x/y/a", Some(a)),
                    put("x/b", Some(b)),
                    put("c", Some(a)),
                ],
            )
            .unwrap();
        let at = |t: Oid, p: &str| repo.blob_at(t, p).unwrap();
        assert_eq!(at(t, "x/y/a"), Some(a));
        assert_eq!(at(t, "x/b"), Some(b));
        assert_eq!(at(t, "c"), Some(a));
        // Removing x's last files removes x; a missing path is no error; c is replaced.
        let u = repo
            .tree_edit(
                Some(t),
                &[
                    put("x/y/a", None),
                    put("x/b", None),
                    put("q/r", None),
                    put("c", Some(b)),
                ],
            )
            .unwrap();
        assert_eq!(
            repo.tree_files(u, "", true).unwrap(),
            vec![("c".to_string(), b)]
        );
        // Removing everything leaves the empty tree.
        let e = repo.tree_edit(Some(u), &[put("c", None)]).unwrap();
        assert_eq!(repo.git.find_tree(e).unwrap().len(), 0);
    }
}
