//! Every use of git2 lives here: repository discovery, refs, tags, mainline, ancestry, diffs,
//! identity. `cli` runs the `git` program for what must honour the user's own git set-up
//! (fetch, push, worktrees, signing).

// The one place that may hold libgit2's types (clippy.toml disallows them everywhere else).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

pub mod cli;
pub mod diff;
pub mod message;
pub mod par;
pub mod pick;
pub mod provenance;
pub mod sandbox;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use git2::{BranchType, ErrorCode, Repository, Signature, Sort, StatusOptions};
use serde::Serialize;

/// An object id. It is the one git2 type that crosses the boundary of this module: a plain
/// 20-byte value with no handle on the repository, so holding one does nothing to git.
pub use git2::Oid;
use semver::Version;

use crate::error::{Error, Result};
use crate::version::{Line, TagPattern};

/// A release tag: a tag whose name follows the configured pattern with a release version.
#[derive(Debug, Clone)]
pub struct ReleaseTag {
    pub name: String,
    pub version: Version,
    /// The commit the tag points at (peeled).
    pub commit: Oid,
}

impl ReleaseTag {
    pub fn line(&self) -> Line {
        Line::of(&self.version)
    }
}

/// A release tag known by name and version only; `Repo::peel` finds its commit. Listing tags
/// this way reads refs alone, so a repository with thousands of tags costs no object reads.
#[derive(Debug, Clone)]
pub struct TagRef {
    pub name: String,
    pub version: Version,
    /// What the ref points at: the tag object of an annotated tag, the commit of a light one.
    pub target: Option<Oid>,
}

impl TagRef {
    pub fn line(&self) -> Line {
        Line::of(&self.version)
    }
}

/// A branch resolved to its ref and tip; `display` is what messages call it (`origin/main`).
#[derive(Debug, Clone)]
pub struct BranchTip {
    pub display: String,
    pub refname: String,
    pub tip: Oid,
}

/// A person as git records one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

impl Person {
    /// Returns the person a git signature names.
    fn of(sig: &Signature<'_>) -> Person {
        Person {
            name: sig.name().unwrap_or("").to_string(),
            email: sig.email().unwrap_or("").to_string(),
        }
    }

    /// Parses `Name <email>`, `email` or a bare name.
    pub fn parse(text: &str) -> Person {
        let t = text.trim();
        if let (Some(open), Some(close)) = (t.find('<'), t.rfind('>')) {
            if open < close {
                return Person {
                    name: t[..open].trim().to_string(),
                    email: t[open + 1..close].trim().to_string(),
                };
            }
        }
        if t.contains('@') && !t.contains(' ') {
            return Person {
                name: String::new(),
                email: t.to_string(),
            };
        }
        Person {
            name: t.to_string(),
            email: String::new(),
        }
    }

    /// Tells whether two records name the same person: same email, same name, or a bare
    /// name that is the other's email user.
    pub fn same_as(&self, other: &Person) -> bool {
        let eq = |a: &str, b: &str| !a.is_empty() && a.eq_ignore_ascii_case(b);
        let user = |e: &str| e.split('@').next().unwrap_or("").to_string();
        eq(&self.email, &other.email)
            || eq(&self.name, &other.name)
            || (self.email.is_empty() && eq(&self.name, &user(&other.email)))
            || (other.email.is_empty() && eq(&other.name, &user(&self.email)))
    }
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.name.is_empty(), self.email.is_empty()) {
            (false, false) => write!(f, "{} <{}>", self.name, self.email),
            (false, true) => write!(f, "{}", self.name),
            _ => write!(f, "{}", self.email),
        }
    }
}

/// What the commands read of a commit.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: Oid,
    pub parents: Vec<Oid>,
    pub tree: Oid,
    /// The whole message, lossily decoded.
    pub message: String,
    /// The first paragraph of the message, as git shows it in one-line lists.
    pub summary: String,
    pub author: Person,
    /// The committer's time, in Unix seconds.
    pub time: i64,
}

impl CommitInfo {
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }

    /// The summary: the first paragraph of the message, on one line.
    pub fn subject(&self) -> &str {
        &self.summary
    }
}

/// A file in a tree: its blob and whether it is executable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileEntry {
    pub blob: Oid,
    pub executable: bool,
}

/// What a compare-and-swap ref update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefUpdate {
    Moved,
    /// The ref was not where the caller expected: another writer moved it.
    Raced,
}

/// One edit of `Repo::tree_edit`: a path's components, and the blob to put there or `None`.
type Edit<'p> = (Vec<&'p str>, Option<Oid>);

/// An open repository with the helpers the commands share.
pub struct Repo {
    /// The libgit2 handle; private to this module, so every use of git2 stays in `src/git/`.
    pub(in crate::git) git: Repository,
}

impl Repo {
    /// Opens the repository that contains `path`, as git does.
    pub fn discover(path: &Path) -> Result<Repo> {
        match Repository::discover(path) {
            Ok(git) => Ok(Repo { git }),
            Err(e) if e.code() == ErrorCode::NotFound => Err(Error::usage(format!(
                "{} is not inside a git repository",
                path.display()
            ))
            .cause("hotfix works on a git repository and found none here or in any parent folder")
            .hint("run it inside your project's clone, or pass -C PATH")),
            Err(e) => Err(Error::usage(format!(
                "cannot open the git repository at {}",
                path.display()
            ))
            .cause(e.message().to_string())
            .hint("check that the folder is a readable git repository")),
        }
    }

    /// Returns the working tree's root, refusing a bare repository.
    pub fn workdir(&self) -> Result<PathBuf> {
        self.git.workdir().map(Path::to_path_buf).ok_or_else(|| {
            Error::usage("this repository has no working tree (it is bare)")
                .cause("start, pick and ship check out and commit files")
                .hint("run hotfix in a clone with a working tree")
        })
    }

    /// Returns the repository's git folder (`.git`).
    pub fn gitdir(&self) -> PathBuf {
        self.git.path().to_path_buf()
    }

    /// Returns the folder to run the git program in: the working tree, or the git folder of a
    /// bare repository.
    pub fn command_dir(&self) -> PathBuf {
        self.git.workdir().unwrap_or(self.git.path()).to_path_buf()
    }

    /// Tells whether this is a shallow clone.
    pub fn is_shallow(&self) -> bool {
        self.git.is_shallow()
    }

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

    /// Returns the folder where hotfix keeps its own state (`.git/hotfix`).
    pub fn state_dir(&self) -> PathBuf {
        self.git.path().join("hotfix")
    }

    /// Returns the signature that commits, tags and ledger events are made with: the committer
    /// from `GIT_COMMITTER_NAME`/`GIT_COMMITTER_EMAIL` when set, as git does, else `user.name`
    /// and `user.email`. `GIT_COMMITTER_DATE` (`@<seconds> <offset>` or RFC 3339) pins the time.
    pub(in crate::git) fn signature(&self) -> Result<Signature<'static>> {
        let cfg = self.git.config()?;
        let name = std::env::var("GIT_COMMITTER_NAME")
            .ok()
            .or_else(|| cfg.get_string("user.name").ok());
        let email = std::env::var("GIT_COMMITTER_EMAIL")
            .ok()
            .or_else(|| cfg.get_string("user.email").ok());
        let (Some(name), Some(email)) = (name, email) else {
            return Err(Error::usage("git does not know who you are")
                .cause("user.name and user.email are not set, and hotfix records who did what")
                .hint("git config --global user.name \"Your Name\" && git config --global user.email you@example.com"));
        };
        let sig = match std::env::var("GIT_COMMITTER_DATE")
            .ok()
            .and_then(|d| parse_git_date(&d))
        {
            Some((secs, offset)) => Signature::new(&name, &email, &git2::Time::new(secs, offset)),
            None => Signature::now(&name, &email),
        };
        Ok(sig?)
    }

    /// Returns who is running hotfix, as git would record them (see `signature`).
    pub fn me(&self) -> Result<Person> {
        Ok(Person::of(&self.signature()?))
    }

    /// Returns the time an event happens now, honouring `GIT_COMMITTER_DATE` so tests can pin
    /// it.
    pub fn now(&self) -> Result<chrono::DateTime<chrono::Utc>> {
        let sig = self.signature()?;
        Ok(chrono::DateTime::from_timestamp(sig.when().seconds(), 0)
            .unwrap_or_else(chrono::Utc::now))
    }

    /// Returns the short name of the checked-out branch, or `None` on a detached HEAD.
    pub fn head_branch(&self) -> Option<String> {
        let head = self.git.head().ok()?;
        if !head.is_branch() {
            return None;
        }
        head.shorthand().ok().map(str::to_string)
    }

    pub fn head_commit(&self) -> Result<Oid> {
        let head = self.git.head().map_err(|e| {
            Error::usage("this repository has no commits yet").cause(e.message().to_string())
        })?;
        Ok(head.peel_to_commit()?.id())
    }

    /// Refuses a working tree with changes to tracked files; untracked files are fine. `doing`
    /// completes "cannot ... with uncommitted changes".
    pub fn ensure_clean(&self, doing: &str) -> Result<()> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(false)
            .include_ignored(false)
            .exclude_submodules(true);
        let statuses = self.git.statuses(Some(&mut opts))?;
        let dirty: Vec<String> = statuses
            .iter()
            .filter(|s| !s.status().is_empty() && !s.status().contains(git2::Status::IGNORED))
            .filter_map(|s| s.path().ok().map(str::to_string))
            .collect();
        if dirty.is_empty() {
            return Ok(());
        }
        let mut shown = dirty.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        if dirty.len() > 5 {
            shown.push_str(&format!(" and {} more", dirty.len() - 5));
        }
        Err(
            Error::usage(format!("cannot {doing} with uncommitted changes"))
                .cause(format!("tracked files are modified: {shown}"))
                .hint(
                    "commit them, or set them aside with `git stash`, then run the command again",
                ),
        )
    }

    /// Refuses to go on while a git lock file is left over (a running or killed git process):
    /// libgit2 would fail halfway with a message that does not name the file.
    pub fn ensure_unlocked(&self, refs: &[&str]) -> Result<()> {
        let gitdir = self.git.path();
        let mut names = vec!["index.lock".to_string(), "HEAD.lock".to_string()];
        names.extend(refs.iter().map(|r| format!("{r}.lock")));
        for name in names {
            let path = gitdir.join(&name);
            if path.exists() {
                return Err(Error::usage(format!("git's lock file {} is in the way", path.display()))
                    .cause("another git process is running in this repository, or one was killed and left its lock behind")
                    .hint(format!("if no git command is running, remove it: rm '{}'", path.display())));
            }
        }
        Ok(())
    }

    /// Refuses to start work while git itself is in the middle of a merge, rebase or cherry-pick.
    pub fn ensure_no_git_operation(&self) -> Result<()> {
        let state = self.git.state();
        if state == git2::RepositoryState::Clean {
            return Ok(());
        }
        Err(Error::usage(format!("git is in the middle of an operation ({state:?})"))
            .cause("a merge, rebase, revert or cherry-pick started outside hotfix is not finished")
            .hint("finish it or abort it with git (for example `git cherry-pick --abort`), then run the command again"))
    }

    /// Finds mainline: `configured` (`release.mainline`) when set, else the remote's HEAD
    /// branch, else `main`, else `master`. The remote-tracking branch is preferred, so a fix
    /// that sits only on a local branch does not count as merged.
    pub fn mainline(&self, configured: &str, remote: &str) -> Result<BranchTip> {
        let name = if !configured.is_empty() {
            configured.to_string()
        } else if let Some(n) = self.remote_head_branch(remote) {
            n
        } else if self.branch_tip("main", remote).is_some() {
            "main".into()
        } else {
            "master".into()
        };
        self.branch_tip(&name, remote).ok_or_else(|| {
            Error::usage(format!("cannot find mainline (branch '{name}')"))
                .cause(format!(
                    "neither {remote}/{name} nor a local {name} exists; mainline is where fixes land first"
                ))
                .hint(format!(
                    "fetch it with `git fetch {remote}`, or name your mainline in .hotfix.toml: [release] mainline = \"develop\""
                ))
        })
    }

    fn remote_head_branch(&self, remote: &str) -> Option<String> {
        let r = self
            .git
            .find_reference(&format!("refs/remotes/{remote}/HEAD"))
            .ok()?;
        let target = r.symbolic_target().ok().flatten()?.to_string();
        target
            .strip_prefix(&format!("refs/remotes/{remote}/"))
            .map(str::to_string)
    }

    /// Resolves a branch name, preferring the remote-tracking branch over the local one.
    pub fn branch_tip(&self, name: &str, remote: &str) -> Option<BranchTip> {
        let candidates = if name.starts_with("refs/") {
            vec![name.to_string()]
        } else {
            vec![
                format!("refs/remotes/{remote}/{name}"),
                format!("refs/heads/{name}"),
            ]
        };
        candidates.into_iter().find_map(|refname| {
            let r = self.git.find_reference(&refname).ok()?;
            let tip = r.peel_to_commit().ok()?.id();
            let display = r.shorthand().unwrap_or(name).to_string();
            Some(BranchTip {
                display,
                refname,
                tip,
            })
        })
    }

    /// Lists the names of the local branches.
    pub fn local_branches(&self) -> Vec<String> {
        self.git
            .branches(Some(BranchType::Local))
            .into_iter()
            .flatten()
            .filter_map(|b| b.ok())
            .filter_map(|(b, _)| b.name().ok().flatten().map(str::to_string))
            .collect()
    }

    /// Returns the URL of a configured remote, if there is one.
    pub fn remote_url(&self, remote: &str) -> Option<String> {
        let r = self.git.find_remote(remote).ok()?;
        r.url().ok().map(str::to_string)
    }

    /// Tells whether a remote of this name is configured.
    pub fn has_remote(&self, remote: &str) -> bool {
        self.git.find_remote(remote).is_ok()
    }

    /// Reads the file at `path` in a commit's tree: its bytes, or `None` when the commit has no
    /// file there.
    pub fn file_at(&self, commit: Oid, path: &str) -> Result<Option<Vec<u8>>> {
        match self.file_entry_at(commit, path)? {
            Some(entry) => Ok(Some(self.blob(entry.blob)?)),
            None => Ok(None),
        }
    }

    /// Returns the local branch's tip, if the branch exists.
    pub fn local_branch(&self, name: &str) -> Option<Oid> {
        self.git
            .find_branch(name, BranchType::Local)
            .ok()
            .and_then(|b| b.get().target())
    }

    /// Lists release tags by name in semver order; see `tag_refs`.
    pub fn tag_refs(&self, pattern: &TagPattern) -> Result<Vec<TagRef>> {
        tag_refs(&self.git, pattern)
    }

    /// Returns the date of what a tag ref points at; see `object_time`.
    pub fn object_time(&self, target: Oid) -> Option<i64> {
        object_time(&self.git, target)
    }

    /// Finds the commit a release tag points at; a tag of a tree or blob is not a release.
    pub fn peel(&self, tag: &TagRef) -> Result<ReleaseTag> {
        let commit = self.tag_target(&tag.name).ok_or_else(|| {
            Error::usage(format!("the tag {} does not point at a commit", tag.name))
                .cause("a release tag names the commit that was released")
                .hint(format!("check it with `git cat-file -t {}`", tag.name))
        })?;
        Ok(ReleaseTag {
            name: tag.name.clone(),
            version: tag.version.clone(),
            commit,
        })
    }

    /// Lists release tags with their commits, oldest first. This reads one object per tag:
    /// use `tag_refs` where names suffice.
    pub fn release_tags(&self, pattern: &TagPattern) -> Result<Vec<ReleaseTag>> {
        Ok(self
            .tag_refs(pattern)?
            .iter()
            .filter_map(|t| self.peel(t).ok())
            .collect())
    }

    /// Returns a tag's date: its tagger's for an annotated tag, else its commit's.
    pub fn tag_date(&self, name: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        let target = self
            .git
            .find_reference(&format!("refs/tags/{name}"))
            .ok()?
            .target()?;
        chrono::DateTime::from_timestamp(object_time(&self.git, target)?, 0)
    }

    /// Tells whether a tag of this name exists locally, and where it points (peeled).
    pub fn tag_target(&self, name: &str) -> Option<Oid> {
        let r = self.git.find_reference(&format!("refs/tags/{name}")).ok()?;
        r.peel_to_commit().ok().map(|c| c.id())
    }

    /// Resolves what a user typed (sha, short sha, tag, branch, `HEAD~2`) to a commit.
    pub fn resolve_commit(&self, spec: &str) -> Result<Oid> {
        let obj = self.git.revparse_single(spec).map_err(|e| match e.code() {
            ErrorCode::Ambiguous => Error::usage(format!("'{spec}' is ambiguous"))
                .cause("more than one object in this repository starts with it")
                .hint("give more characters of the sha"),
            _ => Error::usage(format!("unknown commit '{spec}'"))
                .cause(format!(
                    "it names no commit, branch or tag in this repository ({})",
                    e.message()
                ))
                .hint(format!(
                    "check the sha; if the commit is on the remote, fetch it first: git fetch {}",
                    "origin"
                )),
        })?;
        let commit = obj.peel_to_commit().map_err(|_| {
            Error::usage(format!("'{spec}' is not a commit"))
                .cause(format!(
                    "it names a {}",
                    obj.kind().map(|k| k.str()).unwrap_or("object")
                ))
                .hint("name a commit: its sha, a branch or a tag of a commit")
        })?;
        Ok(commit.id())
    }

    /// Tells whether `ancestor` is reachable from `descendant` (a commit is its own ancestor).
    /// Bounded by the commits between the two, not by the whole history.
    pub fn is_ancestor(&self, ancestor: Oid, descendant: Oid) -> Result<bool> {
        if ancestor == descendant {
            return Ok(true);
        }
        Ok(self.git.graph_descendant_of(descendant, ancestor)?)
    }

    /// Lists the commits reachable from `head` but not from `base`, oldest first.
    pub fn range(&self, base: Oid, head: Oid) -> Result<Vec<Oid>> {
        let mut walk = self.git.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(head)?;
        walk.hide(base)?;
        Ok(walk.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Returns a short sha that stays readable in messages.
    pub fn short(&self, oid: Oid) -> String {
        self.git
            .find_object(oid, None)
            .ok()
            .and_then(|o| o.short_id().ok())
            .and_then(|b| b.as_str().ok().map(str::to_string))
            .unwrap_or_else(|| oid.to_string()[..10].to_string())
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
        let mut out = Vec::new();
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

    fn commit_tree_as(
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

    /// Moves `refname` to `new` by compare-and-swap: only if it still points at `expected`, or,
    /// with `expected` `None`, only if it does not exist yet. Returns `Raced` when another
    /// writer got there first, so the caller can read again and retry; nothing is overwritten.
    pub fn update_ref(
        &self,
        refname: &str,
        new: Oid,
        expected: Option<Oid>,
        message: &str,
    ) -> Result<RefUpdate> {
        let moved = match expected {
            Some(old) => self
                .git
                .reference_matching(refname, new, true, old, message),
            None => self.git.reference(refname, new, false, message),
        };
        match moved {
            Ok(_) => Ok(RefUpdate::Moved),
            Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Exists) => {
                Ok(RefUpdate::Raced)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Creates the annotated tag `name` on a commit, by the current identity. Refuses a name
    /// that exists already.
    pub fn create_annotated_tag(&self, name: &str, commit: Oid, message: &str) -> Result<Oid> {
        let target = self.git.find_object(commit, None)?;
        let tagger = self.signature()?;
        Ok(self.git.tag(name, &target, &tagger, message, false)?)
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

    /// Creates the local branch `name` at `commit`, unless it exists already.
    pub fn create_branch(&self, name: &str, commit: Oid) -> Result<()> {
        if self.local_branch(name).is_none() {
            let c = self.git.find_commit(commit)?;
            self.git.branch(name, &c, false)?;
        }
        Ok(())
    }

    /// Checks `commit`'s tree out safely (a modified file is never overwritten) and points
    /// HEAD at `branch` (a full ref name), as `git switch` does; with `branch` `None` only the
    /// files change.
    pub fn switch_to(&self, commit: Oid, branch: Option<&str>) -> Result<()> {
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.safe();
        let obj = self.git.find_object(commit, None)?;
        self.git.checkout_tree(&obj, Some(&mut checkout))?;
        if let Some(b) = branch {
            self.git.set_head(b)?;
        }
        Ok(())
    }

    /// Returns the merge base of two commits.
    pub fn merge_base(&self, a: Oid, b: Oid) -> Result<Oid> {
        Ok(self.git.merge_base(a, b)?)
    }

    /// Returns the object a ref points at directly (a tag object for an annotated tag).
    pub fn ref_target(&self, refname: &str) -> Option<Oid> {
        self.git.find_reference(refname).ok()?.target()
    }

    /// Refuses a shallow clone for work that needs history it does not have.
    pub fn ensure_not_shallow(&self, doing: &str, remote: &str) -> Result<()> {
        if !self.git.is_shallow() {
            return Ok(());
        }
        Err(Error::usage(format!("cannot {doing} in a shallow clone"))
            .cause("the history between the release tag and mainline is cut off, so ancestry and provenance cannot be proved")
            .hint(format!(
                "fetch the full history: git fetch --unshallow --tags {remote}  (in GitHub Actions: actions/checkout with fetch-depth: 0)"
            )))
    }
}

/// Sets libgit2 up as the commands need it; called once, at start.
pub fn init() {
    // git itself does not re-hash every object it reads; libgit2 does by default, which doubles
    // the cost of reading tags and commits in large repositories.
    git2::opts::strict_hash_verification(false);
}

/// Tells whether `name` is a valid branch name, as `git check-ref-format --branch` says.
pub fn is_valid_branch_name(name: &str) -> bool {
    git2::Reference::is_valid_name(&format!("refs/heads/{name}"))
}

/// Parses the dates git accepts in `GIT_COMMITTER_DATE` that tests and scripts use:
/// `@<seconds> <+hhmm>`, `<seconds> <+hhmm>` and RFC 3339. Returns seconds and offset minutes.
pub fn parse_git_date(text: &str) -> Option<(i64, i32)> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some((dt.timestamp(), dt.offset().local_minus_utc() / 60));
    }
    let t = t.strip_prefix('@').unwrap_or(t);
    let mut parts = t.split_whitespace();
    let secs: i64 = parts.next()?.parse().ok()?;
    let offset = match parts.next() {
        Some(o) if o.len() == 5 => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let h: i32 = o[1..3].parse().ok()?;
            let m: i32 = o[3..5].parse().ok()?;
            sign * (h * 60 + m)
        }
        _ => 0,
    };
    Some((secs, offset))
}

/// Returns a commit's subject line, lossily decoded.
pub fn summary_of(c: &git2::Commit<'_>) -> String {
    String::from_utf8_lossy(c.summary_bytes().unwrap_or_default()).into_owned()
}

/// Lists release tags by name in semver order (oldest first), reading ref names only.
fn tag_refs(git: &Repository, pattern: &TagPattern) -> Result<Vec<TagRef>> {
    let glob = format!("refs/tags/{}*", pattern.prefix());
    let mut tags = Vec::new();
    for r in git.references_glob(&glob)? {
        let Ok(r) = r else { continue };
        let Ok(full) = r.name() else { continue };
        let name = &full["refs/tags/".len()..];
        let Some(version) = pattern.release_version(name) else {
            continue;
        };
        tags.push(TagRef {
            name: name.to_string(),
            version,
            target: r.target(),
        });
    }
    tags.sort_by(|a, b| a.version.cmp(&b.version).then_with(|| a.name.cmp(&b.name)));
    Ok(tags)
}

/// Returns the date of what a tag ref points at, in seconds: the tagger's for an annotated tag
/// (the tagged commit's when it has no tagger), the commit's for a lightweight one. One object
/// read, or two for a tag without a tagger.
fn object_time(git: &Repository, target: Oid) -> Option<i64> {
    let obj = git.find_object(target, None).ok()?;
    Some(match obj.as_tag() {
        Some(tag) => match tag.tagger() {
            Some(sig) => sig.when().seconds(),
            None => tag.target().ok()?.peel_to_commit().ok()?.time().seconds(),
        },
        None => obj.peel_to_commit().ok()?.time().seconds(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_edit_writes_nested_paths_and_drops_emptied_trees() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo {
            git: Repository::init_bare(dir.path()).unwrap(),
        };
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

    #[test]
    fn git_dates_parse() {
        assert_eq!(parse_git_date("@1700000000 +0100"), Some((1700000000, 60)));
        assert_eq!(parse_git_date("1700000000 -0230"), Some((1700000000, -150)));
        assert_eq!(
            parse_git_date("2026-01-01T00:00:00Z"),
            Some((1767225600, 0))
        );
        assert_eq!(parse_git_date("not a date"), None);
    }
}
