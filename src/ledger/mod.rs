//! The ledger: an append-only event log of every hotfix, kept on its own branch.
//!
//! The branch (`hotfix-ledger` by default) never shares history with code. It holds one file per
//! hotfix, `records/<id>.jsonl`, one JSON event per line. It is written with plumbing only
//! (blobs, trees, a commit and a compare-and-swap ref update), so the user's working tree, index
//! and current branch are never touched. Concurrent writers merge by the union of lines, the
//! approach git-appraise takes with its notes: nothing is ever lost.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use git2::{Oid, Repository, Tree};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::git::{RefUpdate, Repo};

pub mod index;

/// The version of the event format; fields are only ever added, never renamed.
pub const SCHEMA: u32 = 1;

/// One line of a record file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub schema: u32,
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(flatten)]
    pub data: Map<String, Value>,
}

impl Event {
    /// Builds an event from a typed payload.
    pub fn new<P: Serialize>(
        kind: &str,
        id: &str,
        by: &str,
        at: DateTime<Utc>,
        payload: &P,
    ) -> Event {
        let data = match serde_json::to_value(payload) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        Event {
            schema: SCHEMA,
            kind: kind.to_string(),
            id: id.to_string(),
            at,
            by: by.to_string(),
            data,
        }
    }

    /// Reads the payload as a typed struct; fields it does not know are ignored.
    pub fn payload<P: DeserializeOwned>(&self) -> Option<P> {
        serde_json::from_value(Value::Object(self.data.clone())).ok()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Started {
    pub base: String,
    pub base_commit: String,
    pub branch: String,
    pub version: String,
    pub line: String,
    pub incident: Option<String>,
    pub severity: Option<String>,
    pub detected_at: Option<DateTime<Utc>>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Picked {
    pub source: String,
    pub commit: String,
    pub subject: String,
    pub pr: Option<u64>,
    /// True when the pick's changed lines equal its source's (patch-id over changed lines).
    pub clean: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Stats {
    pub commits: usize,
    pub files: usize,
    pub added: usize,
    pub deleted: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReviewerRecord {
    pub name: String,
    pub source: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RuleRecord {
    pub id: String,
    pub verdict: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct OverrideRecord {
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Shipped {
    pub tag: String,
    pub commit: String,
    pub rollback_to: String,
    pub stats: Stats,
    pub paths: Vec<String>,
    pub tests: Vec<String>,
    pub reviewers: Vec<ReviewerRecord>,
    pub rules: Vec<RuleRecord>,
    pub overrides: Vec<OverrideRecord>,
    /// The test command's runs (`tests-pass`), when one is configured.
    #[serde(default)]
    pub tests_run: Option<crate::policy::TestRun>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Deployed {
    /// When the deployment happened (the event's `at` is when it was recorded).
    pub deployed_at: DateTime<Utc>,
    pub env: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Verified {
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Revert {
    /// The rollback release's tag.
    pub tag: String,
    /// The revert commits, oldest first.
    pub commits: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RolledBack {
    pub reason: Option<String>,
    /// The release that is redeployed.
    pub to: String,
    pub revert: Option<Revert>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Retro {
    pub file: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Abandoned {
    pub reason: Option<String>,
}

/// A release that predates the tool, recorded so reports count it with its times.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Imported {
    pub tag: String,
    pub shipped_at: DateTime<Utc>,
}

/// A hotfix as the fold of its events.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: String,
    pub events: Vec<Event>,
}

impl Record {
    fn last<P: DeserializeOwned>(&self, kind: &str) -> Option<P> {
        self.events
            .iter()
            .rev()
            .find(|e| e.kind == kind)
            .and_then(Event::payload)
    }

    fn first_event(&self, kind: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.kind == kind)
    }

    pub fn started(&self) -> Option<Started> {
        self.last("started")
    }

    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.first_event("started").map(|e| e.at)
    }

    pub fn shipped(&self) -> Option<Shipped> {
        self.last("shipped")
    }

    pub fn shipped_at(&self) -> Option<DateTime<Utc>> {
        self.first_event("shipped").map(|e| e.at)
    }

    /// Lists the picks, one per resulting commit (a pick recorded twice counts once).
    pub fn picks(&self) -> Vec<Picked> {
        let mut seen = HashSet::new();
        self.events
            .iter()
            .filter(|e| e.kind == "picked")
            .filter_map(Event::payload::<Picked>)
            .filter(|p| seen.insert(p.commit.clone()))
            .collect()
    }

    /// Returns when the hotfix shipped: the first `shipped` event, else an `imported` one.
    pub fn ship_time(&self) -> Option<DateTime<Utc>> {
        self.shipped_at()
            .or_else(|| self.last::<Imported>("imported").map(|i| i.shipped_at))
    }

    /// Returns the first deployment's time.
    pub fn deployed_at(&self) -> Option<DateTime<Utc>> {
        self.events
            .iter()
            .filter(|e| e.kind == "deployed")
            .filter_map(Event::payload::<Deployed>)
            .map(|d| d.deployed_at)
            .min()
    }

    pub fn rolled_back(&self) -> Option<RolledBack> {
        self.last("rolled_back")
    }

    pub fn has(&self, kind: &str) -> bool {
        self.events.iter().any(|e| e.kind == kind)
    }

    /// Names where the hotfix stands, from the furthest event in its life.
    pub fn state(&self) -> &'static str {
        for (kind, state) in [
            ("rolled_back", "rolled back"),
            ("verified", "verified"),
            ("deployed", "deployed"),
            ("shipped", "shipped"),
            ("imported", "imported"),
            ("abandoned", "abandoned"),
        ] {
            if self.has(kind) {
                return state;
            }
        }
        "in progress"
    }
}

/// What a report needs of one record, read in a single typed pass over its lines (about five
/// times faster than folding full events, which matters with thousands of records).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub id: String,
    pub line: Option<String>,
    pub severity: Option<String>,
    pub incident: Option<String>,
    pub detected_at: Option<DateTime<Utc>>,
    pub ship_time: Option<DateTime<Utc>>,
    pub deployed_at: Option<DateTime<Utc>>,
    pub overrides: Vec<String>,
    pub rolled_back: bool,
    pub revert_tag: Option<String>,
    pub verified: bool,
    pub retro: bool,
    pub picks: usize,
    pub conflicted_picks: usize,
}

/// One event line with only the fields `Facts` reads; every other field is skipped unparsed,
/// strings are borrowed from the line, and times are parsed only where a fact needs them.
#[derive(Deserialize)]
struct Light<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    at: std::borrow::Cow<'a, str>,
    line: Option<String>,
    severity: Option<String>,
    incident: Option<String>,
    #[serde(borrow)]
    detected_at: Option<std::borrow::Cow<'a, str>>,
    commit: Option<String>,
    clean: Option<bool>,
    overrides: Option<Vec<LightOverride>>,
    #[serde(borrow)]
    deployed_at: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    shipped_at: Option<std::borrow::Cow<'a, str>>,
    revert: Option<LightRevert>,
}

fn time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[derive(Deserialize)]
struct LightOverride {
    rule: String,
}

#[derive(Deserialize)]
struct LightRevert {
    tag: String,
}

/// Reads a record file's facts; lines that are not events are skipped, as `parse_record` does.
pub fn facts(id: &str, content: &[u8]) -> Facts {
    let mut f = Facts {
        id: id.to_string(),
        ..Facts::default()
    };
    let mut started_at: Option<DateTime<Utc>> = None;
    let mut shipped_at: Option<DateTime<Utc>> = None;
    let mut shipped_last: Option<DateTime<Utc>> = None;
    let mut imported: Option<DateTime<Utc>> = None;
    let mut pick_commits: Vec<(String, bool)> = Vec::new();
    for line in content.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let Ok(e) = serde_json::from_slice::<Light>(line) else {
            continue;
        };
        match e.kind.as_ref() {
            "started" => {
                let Some(at) = time(&e.at) else { continue };
                if started_at.is_none_or(|s| at >= s) {
                    started_at = Some(at);
                    f.line = e.line;
                    f.severity = e.severity;
                    f.incident = e.incident;
                    f.detected_at = e.detected_at.as_deref().and_then(time);
                }
            }
            "picked" => {
                if let Some(c) = e.commit {
                    if !pick_commits.iter().any(|(p, _)| *p == c) {
                        pick_commits.push((c, e.clean.unwrap_or(true)));
                    }
                }
            }
            "shipped" => {
                let Some(at) = time(&e.at) else { continue };
                shipped_at = Some(shipped_at.map_or(at, |s| s.min(at)));
                if shipped_last.is_none_or(|s| at >= s) {
                    shipped_last = Some(at);
                    f.overrides = e
                        .overrides
                        .unwrap_or_default()
                        .into_iter()
                        .map(|o| o.rule)
                        .collect();
                }
            }
            "imported" => {
                imported = e
                    .shipped_at
                    .as_deref()
                    .and_then(time)
                    .or_else(|| time(&e.at))
            }
            "deployed" => {
                let Some(d) = e
                    .deployed_at
                    .as_deref()
                    .and_then(time)
                    .or_else(|| time(&e.at))
                else {
                    continue;
                };
                f.deployed_at = Some(f.deployed_at.map_or(d, |x| x.min(d)));
            }
            "rolled_back" => {
                f.rolled_back = true;
                if let Some(r) = e.revert {
                    f.revert_tag = Some(r.tag);
                }
            }
            "verified" => f.verified = true,
            "retro" => f.retro = true,
            _ => {}
        }
    }
    f.ship_time = shipped_at.or(imported);
    f.picks = pick_commits.len();
    f.conflicted_picks = pick_commits.iter().filter(|(_, clean)| !clean).count();
    f
}

/// Lists every file under `tree` as (path below `prefix`, blob), in tree order.
fn files(
    git: &Repository,
    tree: &Tree<'_>,
    prefix: &str,
    out: &mut Vec<(String, Oid)>,
) -> Result<()> {
    for entry in tree.iter() {
        let Ok(name) = entry.name() else { continue };
        match entry.kind() {
            Some(git2::ObjectType::Tree) => {
                let sub = git.find_tree(entry.id())?;
                files(git, &sub, &format!("{prefix}{name}/"), out)?;
            }
            Some(git2::ObjectType::Blob) => out.push((format!("{prefix}{name}"), entry.id())),
            _ => {}
        }
    }
    Ok(())
}

/// Lists the record files of a ledger tree as (id, blob), sorted by id.
fn record_files(git: &Repository, root: &Tree<'_>) -> Result<Vec<(String, Oid)>> {
    let mut out = Vec::new();
    if let Some(entry) = root.get_name("records") {
        if entry.kind() == Some(git2::ObjectType::Tree) {
            files(git, &git.find_tree(entry.id())?, "", &mut out)?;
        }
    }
    let mut out: Vec<(String, Oid)> = out
        .into_iter()
        .filter_map(|(path, blob)| Some((path.strip_suffix(".jsonl")?.to_string(), blob)))
        .collect();
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The error for a record file the object database cannot give back.
fn unreadable(id: &str, e: &git2::Error) -> Error {
    Error::usage(format!(
        "cannot read the ledger's record for {id} (records/{id}.jsonl)"
    ))
    .cause(e.message().to_string())
    .hint("check the repository with `git fsck`; `git fetch` brings back objects the remote has")
}

/// Reads every record's facts for a report, sorted by id: from the ledger's facts index where
/// its line names the record's current blob, else from the local cache (keyed by blob id, so
/// never stale), else from the record itself, on every core. Those read from their record come
/// with their blob id, for the cache. It needs no `Repo`, so it can run beside other work.
pub fn read_facts(
    git: &Repository,
    tip: Option<Oid>,
    cache: &crate::cache::ReportCache,
) -> Result<Vec<(Facts, Option<Oid>)>> {
    let Some(tip) = tip else {
        return Ok(Vec::new());
    };
    let root = git.find_commit(tip)?.tree()?;
    let records = record_files(git, &root)?;
    let mut index = index::Index::read(git, &root)?;
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
    let read = crate::git::par::map(git.path(), &missing, |git, (id, blob)| {
        git.find_blob(*blob)
            .map(|content| (facts(id, content.content()), Some(*blob)))
            .map_err(|e| (id.clone(), e))
    })?;
    for r in read {
        let (id, e) = match r {
            Ok(f) => {
                out.push(f);
                continue;
            }
            Err(failed) => failed,
        };
        return Err(unreadable(&id, &e));
    }
    out.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
    Ok(out)
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
        self.repo
            .git
            .find_reference(refname)
            .ok()
            .and_then(|r| r.target())
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
        let tree = self.repo.git.find_commit(tip)?.tree()?;
        let Ok(entry) = tree.get_path(std::path::Path::new(&Self::record_path(id))) else {
            return Ok(None);
        };
        let blob = self
            .repo
            .git
            .find_blob(entry.id())
            .map_err(|e| unreadable(id, &e))?;
        Ok(Some(parse_record(id, blob.content())))
    }

    /// Reads every record, sorted by id.
    pub fn records(&self) -> Result<Vec<Record>> {
        let Some(tip) = self.tip() else {
            return Ok(Vec::new());
        };
        let tree = self.repo.git.find_commit(tip)?.tree()?;
        record_files(&self.repo.git, &tree)?
            .into_iter()
            .map(|(id, blob)| {
                let content = self
                    .repo
                    .git
                    .find_blob(blob)
                    .map_err(|e| unreadable(&id, &e))?;
                Ok(parse_record(&id, content.content()))
            })
            .collect()
    }

    /// How many records the ledger holds.
    pub fn count(&self) -> Result<usize> {
        let Some(tip) = self.tip() else {
            return Ok(0);
        };
        let tree = self.repo.git.find_commit(tip)?.tree()?;
        Ok(record_files(&self.repo.git, &tree)?.len())
    }

    /// Brings the ledger's facts index up to date with its records, in a new ledger commit if
    /// anything changed. Returns whether it did.
    pub fn reindex(&self) -> Result<bool> {
        self.ensure_not_checked_out()?;
        let Some(tip) = self.local_tip() else {
            return Ok(false);
        };
        let root = self.repo.git.find_commit(tip)?.tree()?;
        let Some(tree) = self.reindexed(&root, &mut [])? else {
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

    /// The tree `root` with its facts index brought up to date, if that changes it.
    fn reindexed(&self, root: &Tree<'_>, others: &mut [index::Index]) -> Result<Option<Oid>> {
        let records = record_files(&self.repo.git, root)?;
        let (changes, broken) = index::refresh(self.repo, root, &records, others)?;
        if changes.is_empty() && broken.is_empty() {
            return Ok(None);
        }
        let edits = index::edits(self.repo, Some(root), changes, &broken)?;
        Ok(Some(self.repo.tree_edit(Some(root), &edits)?))
    }

    /// Appends one event to its record in a new ledger commit. The ref moves by
    /// compare-and-swap, so a concurrent writer in this clone is retried, never overwritten.
    pub fn append(&self, event: &Event) -> Result<()> {
        self.ensure_not_checked_out()?;
        let line = serde_json::to_string(event).expect("events always serialize");
        let path = Self::record_path(&event.id);
        for _ in 0..5 {
            let local = self.local_tip();
            let tip = local.or_else(|| self.remote_tip());
            let root = match tip {
                Some(t) => Some(self.repo.git.find_commit(t)?.tree()?),
                None => None,
            };
            let mut content = match &root {
                Some(tree) => match tree.get_path(std::path::Path::new(&path)) {
                    Ok(entry) => self.repo.git.find_blob(entry.id())?.content().to_vec(),
                    Err(_) => Vec::new(),
                },
                None => Vec::new(),
            };
            if !content.is_empty() && !content.ends_with(b"\n") {
                content.push(b'\n');
            }
            content.extend_from_slice(line.as_bytes());
            content.push(b'\n');
            let blob = self.repo.git.blob(&content)?;
            // The record and its line in the facts index change in the same commit.
            let indexed = index::Compact::from(&facts(&event.id, &content));
            let mut edits = index::edits(
                self.repo,
                root.as_ref(),
                vec![(event.id.clone(), Some((blob, indexed)))],
                &[],
            )?;
            edits.push((path.clone(), Some(blob)));
            let tree = self.repo.tree_edit(root.as_ref(), &edits)?;
            let message = format!("hotfix: {} {}", event.kind, event.id);
            let parents: Vec<Oid> = tip.into_iter().collect();
            let commit = self.repo.commit_tree(tree, &parents, &message)?;
            match self
                .repo
                .update_ref(&self.refname(), commit, local, &message)?
            {
                RefUpdate::Moved => return Ok(()),
                RefUpdate::Raced => continue,
            }
        }
        Err(
            Error::usage("the ledger kept changing while hotfix wrote to it")
                .cause("another process appended to the ledger five times in a row")
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

    fn ensure_not_checked_out(&self) -> Result<()> {
        if self.repo.head_branch().as_deref() == Some(self.branch.as_str()) {
            return Err(Error::usage(format!("the ledger branch {} is checked out", self.branch))
                .cause("hotfix writes the ledger without touching your working tree, which it cannot do to the checked-out branch")
                .hint("switch to another branch (git switch main), then run the command again"));
        }
        Ok(())
    }

    /// Merges another ledger commit into this ledger by the union of each file's lines and
    /// moves the ledger ref to the result. Returns the new tip.
    pub fn merge_from(&self, theirs: Oid) -> Result<Oid> {
        self.ensure_not_checked_out()?;
        let Some(ours) = self.local_tip() else {
            self.repo.git.reference(
                &self.refname(),
                theirs,
                false,
                "hotfix: ledger from remote",
            )?;
            return Ok(theirs);
        };
        if self.repo.is_ancestor(theirs, ours)? {
            return Ok(ours);
        }
        if self.repo.is_ancestor(ours, theirs)? {
            self.repo.git.reference_matching(
                &self.refname(),
                theirs,
                true,
                ours,
                "hotfix: ledger fast-forward",
            )?;
            return Ok(theirs);
        }
        let our_tree = self.repo.git.find_commit(ours)?.tree()?;
        let their_tree = self.repo.git.find_commit(theirs)?.tree()?;
        let (mut ours_list, mut theirs_list) = (Vec::new(), Vec::new());
        files(&self.repo.git, &our_tree, "", &mut ours_list)?;
        files(&self.repo.git, &their_tree, "", &mut theirs_list)?;
        let our_files: BTreeMap<String, Oid> = ours_list.into_iter().collect();
        let their_files: BTreeMap<String, Oid> = theirs_list.into_iter().collect();
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
                    let a = self.repo.git.find_blob(*o)?.content().to_vec();
                    let b = self.repo.git.find_blob(*t)?.content().to_vec();
                    edits.push((
                        path.clone(),
                        Some(self.repo.git.blob(&union_lines(&a, &b))?),
                    ));
                }
                None => edits.push((path.clone(), Some(*t))),
            }
        }
        let merged = self.repo.tree_edit(Some(&our_tree), &edits)?;
        let merged = self.repo.git.find_tree(merged)?;
        let mut others = [index::Index::read(&self.repo.git, &their_tree)?];
        let tree = match self.reindexed(&merged, &mut others)? {
            Some(t) => self.repo.git.find_tree(t)?,
            None => merged,
        };
        let message = "hotfix: merge ledger (union of records)";
        let commit = self.repo.commit_tree(tree.id(), &[ours, theirs], message)?;
        self.repo.git.reference_matching(
            &self.refname(),
            commit,
            true,
            ours,
            "hotfix: merge ledger",
        )?;
        Ok(commit)
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

/// Parses a record file; lines that are not events are skipped (and reported by `warnings`).
fn parse_record(id: &str, content: &[u8]) -> Record {
    let text = String::from_utf8_lossy(content);
    let mut events: Vec<Event> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    events.sort_by_key(|e| e.at);
    Record {
        id: id.to_string(),
        events,
    }
}

/// Builds the `by` field: the git identity of whoever records the event.
pub fn by(repo: &Repo) -> Result<String> {
    Ok(repo.me()?.to_string())
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

    #[test]
    fn events_keep_unknown_fields_and_round_trip() {
        let line = r#"{"schema":1,"type":"picked","id":"v1.0.1","at":"2026-11-22T01:00:00Z","by":"A <a@x>","source":"abc","commit":"def","subject":"fix","pr":null,"clean":true,"future":"x"}"#;
        let e: Event = serde_json::from_str(line).unwrap();
        let p: Picked = e.payload().unwrap();
        assert_eq!(p.source, "abc");
        assert!(p.clean);
        assert_eq!(e.data["future"], "x");
        let again: Event = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(again, e);
    }

    #[test]
    fn record_state_follows_the_furthest_event() {
        let ev = |kind: &str, sec: i64| {
            Event::new(
                kind,
                "v1",
                "A",
                DateTime::from_timestamp(sec, 0).unwrap(),
                &Map::new(),
            )
        };
        let r = Record {
            id: "v1".into(),
            events: vec![ev("started", 1), ev("shipped", 2)],
        };
        assert_eq!(r.state(), "shipped");
        let r = Record {
            id: "v1".into(),
            events: vec![ev("started", 1)],
        };
        assert_eq!(r.state(), "in progress");
    }
}
