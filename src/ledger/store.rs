//! The ledger's git store: the branch, reads of its records, appends by compare-and-swap,
//! the union merge with another clone's ledger, and its exchange with the remote. Every write
//! to the ledger goes through here, with plumbing only: the working tree, the index and the
//! checked-out branch are never touched.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};

use super::cache::ReportCache;
use super::event::Event;
use super::facts::{Facts, facts};
use super::index;
use super::record::{Record, parse_record};
use super::trail::Trail;
use crate::error::{Error, Result};
use crate::git::{Oid, RefUpdate, Repo, cli};

/// Where the records live on the ledger branch.
const RECORDS: &str = "records";

/// Lists the record files of a ledger tree as (id, blob), sorted by id.
fn record_files(repo: &Repo, root: Oid) -> Result<Vec<(String, Oid)>> {
    record_files_guard(repo, root)?;
    let mut out: Vec<(String, Oid)> = repo
        .tree_files(root, RECORDS, true)?
        .into_iter()
        .filter_map(|(path, blob)| Some((path.strip_suffix(".jsonl")?.to_string(), blob)))
        .collect();
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Refuses a ledger tree whose `records` is a file rather than the folder of records.
fn record_files_guard(repo: &Repo, root: Oid) -> Result<()> {
    if repo.blob_at(root, RECORDS)?.is_some() {
        return Err(Error::usage("the ledger's records/ is a file, not a folder")
            .cause("someone committed a file named records on the ledger branch, so no record can be read")
            .hint("look at it with `git show hotfix-ledger:records`, and point the ledger branch back at a commit with the records folder (`git log hotfix-ledger`)"));
    }
    Ok(())
}

/// The error for a record file the object database cannot give back.
fn unreadable(id: &str, e: Error) -> Error {
    Error::usage(format!(
        "cannot read the ledger's record for {id} (records/{id}.jsonl)"
    ))
    .cause(e.cause.unwrap_or(e.message))
    .hint("check the repository with `git fsck`; `git fetch` brings back objects the remote has")
}

/// Reads every record's facts for a report, sorted by id: from the ledger's facts index where
/// its line names the record's current blob, else from the local cache (keyed by blob id, so
/// never stale), else from the record itself, on every core. Those read from their record come
/// with their blob id, for the cache. It needs only a repository handle, so it can run beside
/// other work on a handle of its own.
pub fn read_facts(
    repo: &Repo,
    tip: Option<Oid>,
    cache: &ReportCache,
) -> Result<Vec<(Facts, Option<Oid>)>> {
    let Some(tip) = tip else {
        return Ok(Vec::new());
    };
    let root = repo.tree_of(tip)?;
    let records = record_files(repo, root)?;
    let mut index = index::Index::<index::FactsIndex>::read(repo, root)?;
    let mut out = Vec::with_capacity(records.len());
    let mut missing: Vec<(String, Oid)> = Vec::new();
    for (id, blob) in records {
        if let Some(c) = index.take(&id, blob) {
            out.push((c.into_facts(id), None));
        } else if let Some(mut f) = cache.record(blob) {
            f.id = id;
            out.push((f, None));
        } else {
            missing.push((id, blob));
        }
    }
    if missing.is_empty() {
        return Ok(out);
    }
    let read = crate::git::par::map(&repo.gitdir(), &missing, |repo, (id, blob)| {
        repo.with_blob(*blob, |content| (facts(id, content), Some(*blob)))
            .map_err(|e| (id.clone(), e))
    })?;
    for r in read {
        match r {
            Ok(f) => out.push(f),
            Err((id, e)) => return Err(unreadable(&id, e)),
        }
    }
    out.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
    Ok(out)
}

/// Reads every record's audit trail, sorted by id: from the ledger's audit index where its line
/// names the record's current blob, else from the record itself, on every core, with what of
/// it could not be read (`line 3: ...`). With `from_records`, every trail is derived from its
/// record, and the ids of index lines that say otherwise are returned too. It needs only a
/// repository handle, so it can run beside other work on a handle of its own.
pub fn read_trails(repo: &Repo, tip: Option<Oid>, from_records: bool) -> Result<Trails> {
    let mut out = Trails::default();
    let Some(tip) = tip else {
        return Ok(out);
    };
    let root = repo.tree_of(tip)?;
    let records = record_files(repo, root)?;
    let mut index = index::Index::<index::TrailIndex>::read(repo, root)?;
    out.trails.reserve(records.len());
    let mut missing: Vec<(String, Oid, Option<Box<Trail>>)> = Vec::new();
    for (id, blob) in records {
        match index.take(&id, blob) {
            Some(t) if !from_records => out.trails.push((id, t, Vec::new())),
            indexed => missing.push((id, blob, indexed)),
        }
    }
    let read = crate::git::par::map(&repo.gitdir(), &missing, |repo, (id, blob, _)| {
        repo.with_blob(*blob, |content| index::TrailIndex::from_record(id, content))
            .map_err(|e| unreadable(id, e))
    })?;
    for ((id, _, indexed), r) in missing.into_iter().zip(read) {
        let (t, damage) = r?;
        match indexed {
            Some(i) if i != t => out.disagree.push(id.clone()),
            Some(_) => {}
            None => out.unindexed += usize::from(damage.is_empty()),
        }
        out.trails.push((id, t, damage));
    }
    out.trails.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// What `read_trails` found.
#[derive(Default)]
pub struct Trails {
    /// Each record's id, trail, and the lines of it that could not be read.
    pub trails: Vec<(String, Box<Trail>, Vec<String>)>,
    /// Records whose audit index line says something their record does not.
    pub disagree: Vec<String>,
    /// Records read because the index has no current line for them.
    pub unindexed: usize,
}

/// Reads and appends the ledger branch of one repository.
///
/// A clone that has no ledger branch of its own yet (a fresh `git clone`) reads the remote's,
/// `refs/remotes/<remote>/<branch>`, and its first write builds on it, as `git switch` would
/// create a branch from its remote-tracking one.
pub struct Ledger<'r> {
    repo: &'r Repo,
    branch: String,
    remote: String,
}

impl<'r> Ledger<'r> {
    pub fn new(repo: &'r Repo, branch: &str, remote: &str) -> Ledger<'r> {
        Ledger {
            repo,
            branch: branch.to_string(),
            remote: remote.to_string(),
        }
    }

    pub fn refname(&self) -> String {
        format!("refs/heads/{}", self.branch)
    }

    pub fn branch(&self) -> &str {
        &self.branch
    }

    /// The local ledger branch's tip: what writes compare-and-swap.
    fn local_tip(&self) -> Option<Oid> {
        self.target(&self.refname())
    }

    /// The remote-tracking ledger's tip, as of the last fetch.
    fn remote_tip(&self) -> Option<Oid> {
        self.target(&format!("refs/remotes/{}/{}", self.remote, self.branch))
    }

    fn target(&self, refname: &str) -> Option<Oid> {
        self.repo.ref_target(refname)
    }

    /// The tip reads start from: the local ledger, else the remote-tracking one.
    fn tip(&self) -> Option<Oid> {
        self.local_tip().or_else(|| self.remote_tip())
    }

    /// Returns the ledger's tip commit, if the ledger exists here or on the remote (as fetched).
    pub fn tip_commit(&self) -> Option<Oid> {
        self.tip()
    }

    /// Says so when the remote-tracking ledger has events the local ledger has not merged (a
    /// `git fetch` since the last `hotfix sync`): reads see only the local ledger's.
    pub fn unmerged_remote(&self) -> Option<String> {
        let (local, remote) = (self.local_tip()?, self.remote_tip()?);
        if local == remote || self.repo.is_ancestor(remote, local).unwrap_or(true) {
            return None;
        }
        Some(format!(
            "{}/{} has ledger events this clone has not merged; run `hotfix sync` to include them",
            self.remote, self.branch
        ))
    }

    fn record_path(id: &str) -> String {
        format!("records/{id}.jsonl")
    }

    /// Reads one record, if it exists.
    pub fn record(&self, id: &str) -> Result<Option<Record>> {
        let Some(tip) = self.tip() else {
            return Ok(None);
        };
        let tree = self.repo.tree_of(tip)?;
        record_files_guard(self.repo, tree)?;
        let Some(blob) = self.repo.blob_at(tree, &Self::record_path(id))? else {
            return Ok(None);
        };
        let record = self
            .repo
            .with_blob(blob, |content| parse_record(id, content))
            .map_err(|e| unreadable(id, e))?;
        Ok(Some(record))
    }

    /// Reads every record, sorted by id, on every core.
    pub fn records(&self) -> Result<Vec<Record>> {
        let Some(tip) = self.tip() else {
            return Ok(Vec::new());
        };
        let files = record_files(self.repo, self.repo.tree_of(tip)?)?;
        crate::git::par::map(&self.repo.gitdir(), &files, |repo, (id, blob)| {
            repo.with_blob(*blob, |content| parse_record(id, content))
                .map_err(|e| unreadable(id, e))
        })?
        .into_iter()
        .collect()
    }

    /// How many records the ledger holds.
    pub fn count(&self) -> Result<usize> {
        let Some(tip) = self.tip() else {
            return Ok(0);
        };
        Ok(record_files(self.repo, self.repo.tree_of(tip)?)?.len())
    }

    /// Brings the ledger's facts index up to date with its records, in a new ledger commit if
    /// anything changed. Returns whether it did.
    pub fn reindex(&self) -> Result<bool> {
        self.ensure_not_checked_out()?;
        let Some(tip) = self.local_tip() else {
            return Ok(false);
        };
        let root = self.ledger_tree(tip)?;
        let Some(tree) = self.reindexed(root, None, true)? else {
            return Ok(false);
        };
        let message = "hotfix: index the ledger";
        let commit = self.repo.commit_tree(tree, &[tip], message)?;
        // Raced: another writer moved the ledger. Its write indexed what it touched, and the
        // next sync indexes the rest.
        Ok(self
            .repo
            .update_ref(&self.refname(), commit, Some(tip), message)?
            == RefUpdate::Moved)
    }

    /// The tree `root` with its indexes brought up to date, if that changes it: lines of the
    /// indexes of `theirs` (the other side of a merge) are taken where they match. With
    /// `verify`, every line is derived again (`index::refresh`).
    fn reindexed(&self, root: Oid, theirs: Option<Oid>, verify: bool) -> Result<Option<Oid>> {
        let records = record_files(self.repo, root)?;
        let mut edits = self.refreshed::<index::FactsIndex>(root, &records, theirs, verify)?;
        edits.extend(self.refreshed::<index::TrailIndex>(root, &records, theirs, verify)?);
        if edits.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.repo.tree_edit(Some(root), &edits)?))
    }

    /// The edits that bring one index of `root` up to date.
    fn refreshed<K: index::Kind>(
        &self,
        root: Oid,
        records: &[(String, Oid)],
        theirs: Option<Oid>,
        verify: bool,
    ) -> Result<Vec<(String, Option<Oid>)>> {
        let mut others: Vec<index::Index<K>> = match theirs {
            Some(tree) => vec![index::Index::read(self.repo, tree)?],
            None => Vec::new(),
        };
        let (changes, broken) = index::refresh::<K>(self.repo, root, records, &mut others, verify)?;
        if changes.is_empty() && broken.is_empty() {
            return Ok(Vec::new());
        }
        index::edits::<K>(self.repo, Some(root), changes, &broken)
    }

    /// The commit that appends `event` to its record on top of `tip` (none: the first commit).
    fn event_commit(&self, tip: Option<Oid>, event: &Event) -> Result<Oid> {
        let message = format!("hotfix: {} {}", event.kind, event.id);
        self.events_commit(tip, std::slice::from_ref(event), &message)
    }

    /// The one commit that appends every event to its record, in order, on top of `tip`: the
    /// records and their lines in the facts index change together, or not at all.
    fn events_commit(&self, tip: Option<Oid>, events: &[Event], message: &str) -> Result<Oid> {
        let root = match tip {
            Some(t) => Some(self.ledger_tree(t)?),
            None => None,
        };
        // Each record's new content, in the order the records first appear.
        let mut contents: Vec<(String, Vec<u8>)> = Vec::new();
        for event in events {
            let at = match contents.iter().position(|(id, _)| *id == event.id) {
                Some(i) => i,
                None => {
                    let path = Self::record_path(&event.id);
                    let mut content = match root {
                        Some(tree) => match self.repo.blob_at(tree, &path)? {
                            Some(blob) => self.repo.blob(blob)?,
                            None => Vec::new(),
                        },
                        None => Vec::new(),
                    };
                    if !content.is_empty() && !content.ends_with(b"\n") {
                        content.push(b'\n');
                    }
                    contents.push((event.id.clone(), content));
                    contents.len() - 1
                }
            };
            let line = serde_json::to_string(event).expect("events always serialize");
            contents[at].1.extend_from_slice(line.as_bytes());
            contents[at].1.push(b'\n');
        }
        let mut written = Vec::with_capacity(contents.len());
        for (id, content) in &contents {
            written.push((
                id.as_str(),
                self.repo.write_blob(content)?,
                content.as_slice(),
            ));
        }
        let mut edits = index::edits_written::<index::FactsIndex>(self.repo, root, &written)?;
        edits.extend(index::edits_written::<index::TrailIndex>(
            self.repo, root, &written,
        )?);
        edits.extend(
            written
                .iter()
                .map(|(id, blob, _)| (Self::record_path(id), Some(*blob))),
        );
        let tree = self.repo.tree_edit(root, &edits)?;
        let parents: Vec<Oid> = tip.into_iter().collect();
        self.repo.commit_tree(tree, &parents, message)
    }

    /// Appends one event to its record in a new ledger commit, first on the remote: `push`
    /// gets the commit (on top of the local ledger, which `pull` just merged the remote's
    /// into) and says whether the remote took it; only then does the local ledger move to it.
    /// A push refused because the remote moved (another clone's write) returns `false`, and
    /// the local ledger is left as it was, so the caller can pull, look again and retry.
    pub fn append_remote_first(
        &self,
        event: &Event,
        push: impl FnOnce(Oid) -> Result<bool>,
    ) -> Result<bool> {
        self.ensure_not_checked_out()?;
        let local = self.local_tip();
        let tip = local.or_else(|| self.remote_tip());
        let commit = self.event_commit(tip, event)?;
        if !push(commit)? {
            return Ok(false);
        }
        let message = format!("hotfix: {} {}", event.kind, event.id);
        let tracking = format!("refs/remotes/{}/{}", self.remote, self.branch);
        let _ = self.repo.update_ref(
            &tracking,
            commit,
            self.remote_tip(),
            "hotfix: pushed the ledger",
        );
        if self
            .repo
            .update_ref(&self.refname(), commit, local, &message)?
            == RefUpdate::Raced
        {
            // A local writer appended meanwhile: keep both by the union merge.
            self.merge_from(commit)?;
        }
        Ok(true)
    }

    /// Appends one event to its record in a new ledger commit. The ref moves by
    /// compare-and-swap, so a concurrent writer in this clone is retried, never overwritten.
    pub fn append(&self, event: &Event) -> Result<()> {
        let message = format!("hotfix: {} {}", event.kind, event.id);
        self.append_all(std::slice::from_ref(event), &message)
    }

    /// Appends every event in one ledger commit (`message`), by compare-and-swap as `append`
    /// does: all of them are recorded, or none.
    pub fn append_all(&self, events: &[Event], message: &str) -> Result<()> {
        self.ensure_not_checked_out()?;
        let started = std::time::Instant::now();
        for attempt in 0u32.. {
            let local = self.local_tip();
            let tip = local.or_else(|| self.remote_tip());
            let commit = self.events_commit(tip, events, message)?;
            match self
                .repo
                .update_ref(&self.refname(), commit, local, message)?
            {
                RefUpdate::Moved => return Ok(()),
                RefUpdate::Raced if started.elapsed() < APPEND_PATIENCE => backoff(attempt),
                RefUpdate::Raced => break,
            }
        }
        let lock = self.repo.gitdir().join(format!("{}.lock", self.refname()));
        if let Some(age) = crate::git::lock_age(&lock) {
            return Err(crate::git::held_lock(&lock, age));
        }
        Err(
            Error::usage("the ledger kept changing while hotfix wrote to it")
                .cause(format!(
                    "other writers kept appending for {}s",
                    APPEND_PATIENCE.as_secs()
                ))
                .hint("run the command again"),
        )
    }

    /// Appends an event unless its record already holds an equal one (same type and payload),
    /// so that re-running an interrupted command never duplicates history.
    pub fn append_once(&self, event: &Event) -> Result<bool> {
        if let Some(rec) = self.record(&event.id)? {
            if rec
                .events
                .iter()
                .any(|e| e.kind == event.kind && e.data == event.data)
            {
                return Ok(false);
            }
        }
        self.append(event)?;
        Ok(true)
    }

    /// Returns the tree of a ledger commit, refusing one that holds anything but records and
    /// the facts index: a ledger branch moved onto code history (`git branch -f hotfix-ledger
    /// main`) must not be written on top of, or the ledger would share history with the code.
    fn ledger_tree(&self, commit: Oid) -> Result<Oid> {
        let tree = self.repo.tree_of(commit)?;
        let stray: Vec<String> = self
            .repo
            .tree_names(tree)?
            .into_iter()
            .filter(|n| n != RECORDS && n != index::DERIVED.trim_end_matches('/'))
            .collect();
        if stray.is_empty() {
            // A file named `records` would be replaced by the folder a write makes: refused.
            record_files_guard(self.repo, tree)?;
            return Ok(tree);
        }
        let shown = stray.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        Err(Error::usage(format!(
            "the ledger branch {} does not hold a ledger",
            self.branch
        ))
        .cause(format!(
            "its commit {} holds {shown}: it points at code history, and writing on it would mix the ledger into the code",
            self.repo.short(commit)
        ))
        .hint(format!(
            "point it back at the ledger (git reflog {0} shows where it was: git branch -f {0} <commit>), or name another branch in [release] ledger",
            self.branch
        )))
    }

    fn ensure_not_checked_out(&self) -> Result<()> {
        if self.repo.head_branch().as_deref() == Some(self.branch.as_str()) {
            return Err(Error::usage(format!("the ledger branch {} is checked out", self.branch))
                .cause("hotfix writes the ledger without touching your working tree, which it cannot do to the checked-out branch")
                .hint("switch to another branch (git switch main), then run the command again"));
        }
        Ok(())
    }

    /// Merges another ledger commit into this ledger by the union of each file's lines and
    /// moves the ledger ref to the result.
    ///
    /// When one side simply extends the other, the ledger fast-forwards (or stays), unless
    /// that would lose lines: a record removed or cut short on one side (`git rm` in another
    /// clone) is kept by a union merge instead, and `Merged::restored` names it.
    pub fn merge_from(&self, theirs: Oid) -> Result<Merged> {
        self.ensure_not_checked_out()?;
        self.ledger_tree(theirs)?;
        if let Some(ours) = self.local_tip() {
            self.ledger_tree(ours)?;
        }
        let Some(ours) = self.local_tip() else {
            self.moved(self.repo.update_ref(
                &self.refname(),
                theirs,
                None,
                "hotfix: ledger from remote",
            )?)?;
            return Ok(Merged::at(theirs));
        };
        let our_tree = self.repo.tree_of(ours)?;
        let their_tree = self.repo.tree_of(theirs)?;
        let mut parents = vec![ours, theirs];
        let restored;
        if self.repo.is_ancestor(theirs, ours)? {
            restored = self.lost_records(their_tree, our_tree)?;
            if restored.is_empty() {
                return Ok(Merged::at(ours));
            }
            parents.pop(); // theirs is already in our history: only its lines come back
        } else if self.repo.is_ancestor(ours, theirs)? {
            restored = self.lost_records(our_tree, their_tree)?;
            if restored.is_empty() {
                self.moved(self.repo.update_ref(
                    &self.refname(),
                    theirs,
                    Some(ours),
                    "hotfix: ledger fast-forward",
                )?)?;
                return Ok(Merged::at(theirs));
            }
        } else {
            restored = Vec::new();
        }
        let our_files: BTreeMap<String, Oid> = self
            .repo
            .tree_files(our_tree, "", true)?
            .into_iter()
            .collect();
        let their_files: BTreeMap<String, Oid> = self
            .repo
            .tree_files(their_tree, "", true)?
            .into_iter()
            .collect();
        // Files are merged by the union of their lines, except the facts index, which is
        // derived: it is brought up to date below from both sides' lines.
        let mut edits: Vec<(String, Option<Oid>)> = Vec::new();
        for (path, t) in &their_files {
            if path.starts_with(index::DERIVED) {
                continue;
            }
            match our_files.get(path) {
                Some(o) if o == t => {}
                Some(o) => {
                    let (a, b) = (self.repo.blob(*o)?, self.repo.blob(*t)?);
                    edits.push((
                        path.clone(),
                        Some(self.repo.write_blob(&union_lines(&a, &b))?),
                    ));
                }
                None => edits.push((path.clone(), Some(*t))),
            }
        }
        let merged = self.repo.tree_edit(Some(our_tree), &edits)?;
        let tree = self
            .reindexed(merged, Some(their_tree), false)?
            .unwrap_or(merged);
        let message = if restored.is_empty() {
            "hotfix: merge ledger (union of records)".to_string()
        } else {
            format!(
                "hotfix: merge ledger (union of records, keeping lines one side dropped: {})",
                restored.join(", ")
            )
        };
        let commit = self.repo.commit_tree(tree, &parents, &message)?;
        self.moved(self.repo.update_ref(
            &self.refname(),
            commit,
            Some(ours),
            "hotfix: merge ledger",
        )?)?;
        Ok(Merged {
            tip: commit,
            restored,
        })
    }

    /// Lists the records of tree `from` that tree `to` removes or loses lines of.
    fn lost_records(&self, from: Oid, to: Oid) -> Result<Vec<String>> {
        let after: BTreeMap<String, Oid> = record_files(self.repo, to)?.into_iter().collect();
        let mut lost = Vec::new();
        for (id, blob) in record_files(self.repo, from)? {
            let kept = match after.get(&id) {
                None => false,
                Some(b) if *b == blob => true,
                Some(b) => {
                    let (old, new) = (self.repo.blob(blob)?, self.repo.blob(*b)?);
                    let new: HashSet<&[u8]> = new.split(|c| *c == b'\n').collect();
                    old.split(|c| *c == b'\n')
                        .all(|l| l.is_empty() || new.contains(l))
                }
            };
            if !kept {
                lost.push(id);
            }
        }
        Ok(lost)
    }

    /// Fetches the remote's ledger (when the remote has one) and merges it into the local
    /// ledger. Returns the merge, or `None` when there is no remote or it has no ledger.
    pub fn pull(&self) -> Result<Option<Merged>> {
        if !self.repo.has_remote(&self.remote) {
            return Ok(None);
        }
        let dir = self.repo.command_dir();
        let refname = self.refname();
        let listed = cli::run(
            &dir,
            &["ls-remote", "--heads", &self.remote, &refname],
            cli::NETWORK_TIMEOUT,
        )?;
        if !listed.success {
            return Err(Error::external(format!("cannot reach {}", self.remote))
                .cause(listed.stderr.trim().to_string())
                .hint(format!(
                    "check that `git fetch {}` works from this clone",
                    self.remote
                )));
        }
        if listed.stdout.trim().is_empty() {
            return Ok(None); // the remote has no ledger yet
        }
        let tracking = format!("refs/remotes/{}/{}", self.remote, self.branch);
        cli::fetch(&dir, &self.remote, &[&format!("+{refname}:{tracking}")])?;
        match self.repo.ref_target(&tracking) {
            Some(t) => Ok(Some(self.merge_from(t)?)),
            None => Ok(None),
        }
    }

    /// Lists the `shipped` events the local ledger holds and the remote-tracking one does not,
    /// as (hotfix id, tag, commit): what a push of the ledger would publish.
    pub fn unpublished_ships(&self) -> Result<Vec<(String, String, String)>> {
        let Some(local) = self.local_tip() else {
            return Ok(Vec::new());
        };
        let remote = match self.remote_tip() {
            Some(r) if r == local => return Ok(Vec::new()),
            Some(r) => Some(self.repo.tree_of(r)?),
            None => None,
        };
        let theirs: BTreeMap<String, Oid> = match remote {
            Some(t) => record_files(self.repo, t)?.into_iter().collect(),
            None => BTreeMap::new(),
        };
        let mut out = Vec::new();
        for (id, blob) in record_files(self.repo, self.repo.tree_of(local)?)? {
            let published = match theirs.get(&id) {
                Some(b) if *b == blob => continue,
                Some(b) => self.repo.with_blob(*b, |c| parse_record(&id, c))?.events,
                None => Vec::new(),
            };
            let ours = self.repo.with_blob(blob, |c| parse_record(&id, c))?;
            for e in ours.events.iter().filter(|e| e.kind == "shipped") {
                if published
                    .iter()
                    .any(|p| p.kind == e.kind && p.data == e.data)
                {
                    continue;
                }
                if let Some(s) = e.payload::<super::event::Shipped>() {
                    out.push((id.clone(), s.tag, s.commit));
                }
            }
        }
        Ok(out)
    }

    /// Turns a lost compare-and-swap into an error that says what to do.
    fn moved(&self, update: RefUpdate) -> Result<()> {
        match update {
            RefUpdate::Moved => Ok(()),
            RefUpdate::Raced => Err(Error::usage(format!(
                "the ledger branch {} moved while hotfix merged into it",
                self.branch
            ))
            .cause("another hotfix command wrote to the ledger at the same time")
            .hint("run the command again")),
        }
    }
}

/// How long an append keeps retrying while other writers in this clone move the ledger.
const APPEND_PATIENCE: std::time::Duration = std::time::Duration::from_secs(20);

/// Waits before the next try of a lost compare-and-swap: exponentially longer, up to a fifth
/// of a second, with jitter so that writers racing each other spread out.
fn backoff(attempt: u32) {
    let base = 2u64.saturating_pow(attempt.min(8)).min(200);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()) % (base + 1))
        .unwrap_or(0);
    std::thread::sleep(std::time::Duration::from_millis(base + jitter));
}

/// What a merge of two ledgers did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The ledger's tip afterwards.
    pub tip: Oid,
    /// Records that one side had removed or cut short, kept whole by the union.
    pub restored: Vec<String>,
}

impl Merged {
    fn at(tip: Oid) -> Merged {
        Merged {
            tip,
            restored: Vec::new(),
        }
    }

    /// Says which records a side had dropped lines of, when there are any.
    pub fn warning(&self) -> Option<String> {
        (!self.restored.is_empty()).then(|| {
            format!(
                "one side of the ledger had removed lines of {} record(s) ({}); the merge kept every line, since the ledger is append-only",
                self.restored.len(),
                self.restored.join(", ")
            )
        })
    }
}

/// Returns the lines of `ours` followed by the lines of `theirs` that `ours` lacks.
pub fn union_lines(ours: &[u8], theirs: &[u8]) -> Vec<u8> {
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let mut out = Vec::with_capacity(ours.len() + theirs.len());
    for line in ours
        .split(|b| *b == b'\n')
        .chain(theirs.split(|b| *b == b'\n'))
    {
        if line.is_empty() || !seen.insert(line) {
            continue;
        }
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

/// Builds the `by` field: the git identity of whoever records the event.
pub fn by(repo: &Repo) -> Result<String> {
    Ok(repo.me()?.signature_text())
}

/// Returns the time an event happens now, honouring `GIT_COMMITTER_DATE` so tests can pin it.
pub fn now(repo: &Repo) -> Result<DateTime<Utc>> {
    repo.now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_keeps_every_line_once_in_order() {
        let a = b"1\n2\n3\n";
        let b = b"1\n2\n4\n";
        assert_eq!(union_lines(a, b), b"1\n2\n3\n4\n".to_vec());
        assert_eq!(union_lines(b"", b"x\n"), b"x\n".to_vec());
    }
}
