//! Every use of git2 lives here: repository discovery, refs, tags, mainline, ancestry, diffs,
//! identity. `cli` runs the `git` program for what must honour the user's own git set-up
//! (fetch, push, worktrees, signing).

// The one place that may hold libgit2's types (clippy.toml disallows them everywhere else).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

pub mod apply;
pub mod cli;
pub mod diff;
pub mod message;
mod objects;
pub mod par;
pub mod pick;
pub mod provenance;
mod refs;
pub mod sandbox;
pub mod worktree;

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository, Signature, StatusOptions};
use serde::Serialize;

/// An object id. It is the one git2 type that crosses the boundary of this module: a plain
/// 20-byte value with no handle on the repository, so holding one does nothing to git.
pub use git2::Oid;
pub use objects::summary_of;
use semver::Version;

use crate::error::{Error, Result};
use crate::version::Line;

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

/// What a tag object proves (see `Repo::tag_evidence`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagEvidence {
    pub annotated: bool,
    /// `Name <email>` of an annotated tag's tagger.
    pub tagger: Option<String>,
    /// The tagger's time, else the commit's, in Unix seconds.
    pub time: i64,
    pub commit: Oid,
    /// `pgp`, `ssh` or `x509` when the message carries a signature.
    pub signature: Option<&'static str>,
}

impl TagRef {
    pub fn line(&self) -> Line {
        Line::of(&self.version)
    }

    /// The newest of `tags` (sorted as `Repo::tag_refs` sorts them) on `version`'s line below
    /// it: what a hotfix of `version` rolls back to.
    pub fn previous_on_line<'t>(tags: &'t [TagRef], version: &Version) -> Option<&'t TagRef> {
        tags.iter()
            .rev()
            .find(|t| t.line() == Line::of(version) && t.version < *version)
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
        // `@login` names a GitHub account, not an address.
        if t.contains('@') && !t.contains(' ') && !t.starts_with('@') {
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

    /// Writes the person as git writes a signature, `Name <email>`, with `unknown` for a part
    /// git could not give (the ledger's `by`).
    pub fn signature_text(&self) -> String {
        let or_unknown = |s: &str| {
            if s.is_empty() {
                "unknown".to_string()
            } else {
                s.to_string()
            }
        };
        format!("{} <{}>", or_unknown(&self.name), or_unknown(&self.email))
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

/// A lock on one of hotfix's own steps in this clone (`.git/hotfix/<name>.lock`, holding the
/// process id), released when dropped. A lock whose process is gone is taken over.
pub struct StateLock {
    path: PathBuf,
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What a compare-and-swap ref update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefUpdate {
    Moved,
    /// The ref was not where the caller expected: another writer moved it.
    Raced,
}

/// What the `lines` lock says is running: every command that moves a hotfix branch or closes
/// a line takes it, so a pick, a ship and a skip-line never interleave.
pub const LINES_LOCK: &str = "`hotfix pick`, `ship` or `skip-line`";

/// An open repository with the helpers the commands share.
pub struct Repo {
    /// The libgit2 handle; private to this module, so every use of git2 stays in `src/git/`.
    pub(in crate::git) git: Repository,
    /// The remote's default branch, once asked (see `Repo::mainline`).
    pub(in crate::git) default_branch: std::cell::OnceCell<Option<String>>,
    /// Who git says is committing (name, email), once asked (see `Repo::signature`).
    pub(in crate::git) ident: std::cell::OnceCell<(String, String)>,
}

impl Repo {
    pub(in crate::git) fn from_git(git: Repository) -> Repo {
        Repo {
            git,
            default_branch: std::cell::OnceCell::new(),
            ident: std::cell::OnceCell::new(),
        }
    }

    /// Opens the repository that contains `path`, as git does.
    pub fn discover(path: &Path) -> Result<Repo> {
        match Repository::discover(path) {
            Ok(git) => Ok(Repo::from_git(git)),
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

    /// Takes the lock `name` for a step (`doing` says which, for the error when another process
    /// holds it). Unix: a lock whose process no longer runs was left by a kill, and is taken.
    /// The lock lives in the common git folder, so it holds across the clone's worktrees.
    pub fn lock_state(&self, name: &str, doing: &str) -> Result<StateLock> {
        let dir = self.common_state_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.lock"));
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    let me = std::process::id();
                    // The start time too: a pid the system gave to another process since is
                    // not the holder.
                    let _ = write!(f, "{me} {}", start_time(me).unwrap_or_default());
                    return Ok(StateLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let mut parts = text.split_whitespace();
                    let pid: Option<u32> = parts.next().and_then(|t| t.parse().ok());
                    let started: Option<u64> = parts.next().and_then(|t| t.parse().ok());
                    // No pid yet: its maker is between creating and writing it.
                    let alive = match pid {
                        Some(p) => {
                            Path::new(&format!("/proc/{p}")).exists()
                                && (started.is_none() || started == start_time(p))
                        }
                        None => lock_age(&path)
                            .is_some_and(|age| age < std::time::Duration::from_secs(10)),
                    };
                    if alive {
                        return Err(Error::usage(format!(
                            "another {doing} is running in this clone"
                        ))
                        .cause(format!(
                            "process {} holds {}",
                            pid.unwrap_or_default(),
                            path.display()
                        ))
                        .hint(format!(
                            "wait for it to finish, then run the command again (if process {} is not hotfix, remove the lock: rm {})",
                            pid.unwrap_or_default(),
                            path.display()
                        )));
                    }
                    // Left by a process that is gone: take it over.
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::usage(format!("cannot take the lock for {doing}"))
            .cause(format!("{} keeps appearing", path.display()))
            .hint("run the command again"))
    }

    /// Returns the folder where hotfix keeps its own state (`.git/hotfix`).
    pub fn state_dir(&self) -> PathBuf {
        self.git.path().join("hotfix")
    }

    /// Returns the signature that commits, tags and ledger events are made with: the committer
    /// from `GIT_COMMITTER_NAME`/`GIT_COMMITTER_EMAIL` when set, as git does, else `user.name`
    /// and `user.email`. `GIT_COMMITTER_DATE` (`@<seconds> <offset>` or RFC 3339) pins the time.
    pub(in crate::git) fn signature(&self) -> Result<Signature<'static>> {
        let (name, email) = self.committer()?;
        let sig = match std::env::var("GIT_COMMITTER_DATE")
            .ok()
            .and_then(|d| parse_git_date(&d))
        {
            Some((secs, offset)) => Signature::new(&name, &email, &git2::Time::new(secs, offset)),
            None => Signature::now(&name, &email),
        };
        Ok(sig?)
    }

    /// Asks git who commits here (`git var GIT_COMMITTER_IDENT`), so the identity is exactly
    /// the one git would record: `GIT_COMMITTER_*`, `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM`,
    /// `GIT_CONFIG_COUNT`, conditional includes and `committer.name` all apply, which libgit2's
    /// own configuration reader does not honour alike.
    fn committer(&self) -> Result<(String, String)> {
        if let Some(ident) = self.ident.get() {
            return Ok(ident.clone());
        }
        // Both set, they win over every configuration file, for git as here: no need to ask.
        if let (Ok(name), Ok(email)) = (
            std::env::var("GIT_COMMITTER_NAME"),
            std::env::var("GIT_COMMITTER_EMAIL"),
        ) {
            if !name.trim().is_empty() {
                return Ok(self.ident.get_or_init(|| (name, email)).clone());
            }
        }
        let dir = self.git.workdir().unwrap_or(self.git.path());
        let out = cli::run(
            dir,
            &["var", "GIT_COMMITTER_IDENT"],
            std::time::Duration::from_secs(30),
        )?;
        let parsed = out.success.then(|| parse_ident(&out.stdout)).flatten();
        let Some(ident) = parsed else {
            let why = out
                .stderr
                .lines()
                .find(|l| l.starts_with("fatal:"))
                .unwrap_or("git var GIT_COMMITTER_IDENT gave no identity")
                .to_string();
            return Err(Error::usage("git does not know who you are")
                .cause(format!("{why}; hotfix records who did what, as git records who committed"))
                .hint("git config --global user.name \"Your Name\" && git config --global user.email you@example.com"));
        };
        Ok(self.ident.get_or_init(|| ident).clone())
    }

    /// Returns who is running hotfix, as git would record them (see `signature`).
    pub fn me(&self) -> Result<Person> {
        Ok(Person::of(&self.signature()?))
    }

    /// Returns the time an event happens now, honouring `GIT_COMMITTER_DATE` so tests can pin
    /// it.
    pub fn now(&self) -> Result<chrono::DateTime<chrono::Utc>> {
        // The time alone: `signature()` would ask `git var` for the identity too, a process.
        let pinned = std::env::var("GIT_COMMITTER_DATE")
            .ok()
            .and_then(|d| parse_git_date(&d))
            .and_then(|(secs, _)| chrono::DateTime::from_timestamp(secs, 0));
        Ok(pinned.unwrap_or_else(chrono::Utc::now))
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
    ///
    /// A lock that a live process holds is short-lived: it is waited for, for up to two
    /// seconds. Only a lock older than a minute is called left behind, with the command to
    /// remove it; a younger one means another command is busy here.
    pub fn ensure_unlocked(&self, refs: &[&str]) -> Result<()> {
        // The index and HEAD are the worktree's own; refs live in the common git folder.
        let gitdir = self.git.path();
        let mut paths = vec![gitdir.join("index.lock"), gitdir.join("HEAD.lock")];
        paths.extend(
            refs.iter()
                .map(|r| self.git.commondir().join(format!("{r}.lock"))),
        );
        for path in paths {
            let waited = std::time::Instant::now();
            while path.exists() && waited.elapsed() < std::time::Duration::from_secs(2) {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            if let Some(age) = lock_age(&path) {
                return Err(held_lock(&path, age));
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

/// When process `pid` started, in clock ticks since boot (`/proc/PID/stat`, field 22).
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// How long a lock file has existed, if it exists.
pub fn lock_age(path: &Path) -> Option<std::time::Duration> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(modified.elapsed().unwrap_or_default())
}

/// The error for a lock file that is in the way: left behind (and safe to remove) when it is
/// older than a minute, else held by a command still running.
pub fn held_lock(path: &Path, age: std::time::Duration) -> Error {
    if age >= std::time::Duration::from_secs(60) {
        Error::usage(format!("git's lock file {} is in the way", path.display()))
            .cause(format!(
                "it is {}s old: a git or hotfix process was killed and left it behind",
                age.as_secs()
            ))
            .hint(format!(
                "if no git command is running, remove it: rm '{}'",
                path.display()
            ))
    } else {
        Error::usage(format!(
            "{} is locked by a command still running",
            path.display()
        ))
        .cause("another git or hotfix command is writing there right now")
        .hint("wait for it to finish, then run the command again")
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
/// Splits `Name <email> 1700000000 +0100` into name and email.
fn parse_ident(line: &str) -> Option<(String, String)> {
    let line = line.trim_end();
    let open = line.find('<')?;
    let close = open + line[open..].find('>')?;
    let name = line[..open].trim().to_string();
    let email = line[open + 1..close].to_string();
    (!name.is_empty()).then_some((name, email))
}

pub fn parse_git_date(text: &str) -> Option<(i64, i32)> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some((dt.timestamp(), dt.offset().local_minus_utc() / 60));
    }
    let t = t.strip_prefix('@').unwrap_or(t);
    let mut parts = t.split_whitespace();
    let secs: i64 = parts.next()?.parse().ok()?;
    let offset = match parts.next() {
        Some(o) if o.len() == 5 && o.is_ascii() => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let h: i32 = o[1..3].parse().ok()?;
            let m: i32 = o[3..5].parse().ok()?;
            sign * (h * 60 + m)
        }
        _ => 0,
    };
    Some((secs, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_dates_parse() {
        assert_eq!(parse_git_date("@1700000000 +0100"), Some((1700000000, 60)));
        assert_eq!(parse_git_date("1700000000 -0230"), Some((1700000000, -150)));
        assert_eq!(
            parse_git_date("2026-01-01T00:00:00Z"),
            Some((1767225600, 0))
        );
        assert_eq!(parse_git_date("not a date"), None);
        assert_eq!(
            parse_ident("Ann Lee <ann@example.com> 1700000000 +0100\n"),
            Some(("Ann Lee".into(), "ann@example.com".into()))
        );
        assert_eq!(parse_ident("<x@y> 1 +0000"), None);
        assert_eq!(parse_ident("garbage"), None);
        // Issue 12, item 20: a multi-byte character in the offset is no offset, not a panic.
        assert_eq!(parse_git_date("1700000000 +0é0"), Some((1700000000, 0)));
        assert_eq!(parse_git_date("@1700000000 +é"), Some((1700000000, 0)));
    }
}
