//! The facts index: what a report needs of each record, kept on the ledger branch beside the
//! records, so that a report in any clone reads a few hundred small files instead of one file per
//! hotfix.
//!
//! `facts/v4/<xx>.jsonl` holds one line per record whose id falls in shard `xx` (two hex digits
//! of an FNV-1a hash of the id, so at most 256 files): `[id, record blob id, facts]`, sorted by
//! id. A line counts only while its blob id is the record file's current blob id, so a record
//! changed by a writer that does not know the index (an older hotfix, a hand edit) is simply
//! read again: the index can fall behind, never mislead. Every ledger write updates the lines of
//! the records it touches; merges and `hotfix sync` bring the whole index up to date. The `v4`
//! changes whenever what a line holds or how facts are derived changes, and the files of an
//! older version are then ignored.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::facts::{Facts, facts};
use crate::error::Result;
use crate::git::{Oid, Repo};

/// Where the index lives on the ledger branch.
pub const DIR: &str = "facts/v4";

/// Every file under this folder is derived from the records (by any version of hotfix): merges
/// rebuild it rather than uniting its lines.
pub const DERIVED: &str = "facts/";

/// A record's facts as a compact JSON array, times as Unix seconds: parsing thousands of these
/// costs a fraction of parsing events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compact(
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Vec<String>,
    bool,
    Option<String>,
    bool,
    bool,
    usize,
    usize,
    Vec<CompactEnv>,
    Option<String>,
    (usize, usize),
);

/// Per environment: its name (none before environments), deployed, verified, rolled back.
type CompactEnv = (Option<String>, Option<i64>, Option<i64>, bool);

fn secs(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp())
}

fn time(s: Option<i64>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::from_timestamp(s, 0))
}

impl From<&Facts> for Compact {
    fn from(f: &Facts) -> Compact {
        Compact(
            f.line.clone(),
            f.severity.clone(),
            f.incident.clone(),
            secs(f.detected_at),
            secs(f.ship_time),
            secs(f.deployed_at),
            f.overrides.clone(),
            f.rolled_back,
            f.revert_tag.clone(),
            f.verified,
            f.retro,
            f.picks,
            f.conflicted_picks,
            f.envs
                .iter()
                .map(|e| {
                    (
                        e.env.clone(),
                        secs(e.deployed_at),
                        secs(e.verified_at),
                        e.rolled_back,
                    )
                })
                .collect(),
            f.shipper.clone(),
            (f.actions, f.open_actions),
        )
    }
}

impl Compact {
    /// The facts of the record `id`.
    pub fn into_facts(self, id: String) -> Facts {
        Facts {
            id,
            line: self.0,
            severity: self.1,
            incident: self.2,
            detected_at: time(self.3),
            ship_time: time(self.4),
            deployed_at: time(self.5),
            overrides: self.6,
            rolled_back: self.7,
            revert_tag: self.8,
            verified: self.9,
            retro: self.10,
            picks: self.11,
            conflicted_picks: self.12,
            envs: self
                .13
                .into_iter()
                .map(|(env, d, v, rolled_back)| super::facts::EnvFacts {
                    env,
                    deployed_at: time(d),
                    verified_at: time(v),
                    rolled_back,
                })
                .collect(),
            shipper: self.14,
            actions: self.15.0,
            open_actions: self.15.1,
            damage: Vec::new(),
        }
    }
}

/// One line of a shard.
#[derive(Serialize, Deserialize)]
struct Line(String, String, Compact);

/// The shard a record's line lives in: the low byte of the FNV-1a hash of its id.
fn shard_number(id: &str) -> u8 {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h & 0xff) as u8
}

/// The shard a record's line lives in, as its file is named (two hex digits).
pub fn shard(id: &str) -> String {
    format!("{:02x}", shard_number(id))
}

fn shard_path(shard: &str) -> String {
    format!("{DIR}/{shard}.jsonl")
}

fn parse_line(line: &[u8]) -> Option<(String, Oid, Compact)> {
    let Line(id, blob, facts) = serde_json::from_slice(line).ok()?;
    Some((id, Oid::from_str(&blob).ok()?, facts))
}

fn write_line(id: &str, blob: Oid, facts: &Compact) -> String {
    serde_json::to_string(&Line(id.to_string(), blob.to_string(), facts.clone()))
        .expect("facts always serialize")
}

/// The lines of an index, by record id. An id may have several lines (a hand edit): the first
/// is kept by id, the others apart.
#[derive(Default)]
pub struct Index {
    lines: HashMap<String, (Oid, Compact)>,
    more: Vec<(String, Oid, Compact)>,
    /// Shards holding a line that does not parse or does not belong in them.
    broken: Vec<String>,
}

impl Index {
    /// Reads the index of a ledger tree, on every core; unreadable files and lines are skipped
    /// (their records are then read instead) and their shards noted for rewriting.
    pub fn read(repo: &Repo, root: Oid) -> Result<Index> {
        let mut index = Index::default();
        // An index that cannot be read is no index: the records are read instead.
        let Ok(files) = repo.tree_files(root, DIR, false) else {
            return Ok(index);
        };
        let shards: Vec<(String, Oid)> = files
            .into_iter()
            .filter_map(|(name, oid)| Some((name.strip_suffix(".jsonl")?.to_string(), oid)))
            .collect();
        let parsed = crate::git::par::map(&repo.gitdir(), &shards, |repo, (name, oid)| {
            let Ok(number) = u8::from_str_radix(name, 16) else {
                return (Vec::new(), true);
            };
            repo.with_blob(*oid, |content| {
                let mut broken = name.len() != 2;
                let mut lines = Vec::new();
                for line in content.split(|b| *b == b'\n') {
                    match parse_line(line) {
                        Some(l) if shard_number(&l.0) == number => lines.push(l),
                        _ => broken |= !line.is_empty(),
                    }
                }
                (lines, broken)
            })
            .unwrap_or((Vec::new(), true))
        })?;
        index
            .lines
            .reserve(parsed.iter().map(|(l, _)| l.len()).sum());
        for ((name, _), (lines, broken)) in shards.into_iter().zip(parsed) {
            if broken {
                index.broken.push(name);
            }
            for (id, oid, facts) in lines {
                match index.lines.entry(id) {
                    Entry::Vacant(e) => {
                        e.insert((oid, facts));
                    }
                    Entry::Occupied(e) => index.more.push((e.key().clone(), oid, facts)),
                }
            }
        }
        Ok(index)
    }

    /// Takes the facts indexed for record `id` at blob `blob`, if there are any.
    pub fn take(&mut self, id: &str, blob: Oid) -> Option<Compact> {
        if matches!(self.lines.get(id), Some((b, _)) if *b == blob) {
            return self.lines.remove(id).map(|(_, c)| c);
        }
        let at = self
            .more
            .iter()
            .position(|(i, b, _)| i == id && *b == blob)?;
        Some(self.more.swap_remove(at).2)
    }

    /// Whether the index holds exactly one line for `id`, and it is for `blob`.
    fn is_current(&self, id: &str, blob: Oid) -> bool {
        matches!(self.lines.get(id), Some((b, _)) if *b == blob)
            && !self.more.iter().any(|(i, _, _)| i == id)
    }

    /// Whether the index holds any line for `id`.
    fn has(&self, id: &str) -> bool {
        self.lines.contains_key(id) || self.more.iter().any(|(i, _, _)| i == id)
    }

    fn ids(&self) -> impl Iterator<Item = &String> {
        self.lines.keys()
    }
}

/// A record's new line, or `None` to drop its line.
pub type Change = (String, Option<(Oid, Compact)>);

/// Turns changes to the index into edits of the ledger tree `root`: each shard touched, and
/// each shard in `rewrite`, is read, changed and written once, keeping only its good lines.
pub fn edits(
    repo: &Repo,
    root: Option<Oid>,
    changes: Vec<Change>,
    rewrite: &[String],
) -> Result<Vec<(String, Option<Oid>)>> {
    let mut by_shard: BTreeMap<String, Vec<Change>> =
        rewrite.iter().map(|s| (s.clone(), Vec::new())).collect();
    for (id, line) in changes {
        by_shard.entry(shard(&id)).or_default().push((id, line));
    }
    let mut out = Vec::new();
    for (shard, changes) in by_shard {
        let path = shard_path(&shard);
        let mut lines: BTreeMap<String, String> = BTreeMap::new();
        let blob = match root {
            Some(t) => repo.blob_at(t, &path)?,
            None => None,
        };
        if let Some(blob) = blob {
            if let Ok(content) = repo.blob(blob) {
                for line in content.split(|b| *b == b'\n') {
                    if let Some((id, oid, facts)) = parse_line(line) {
                        if self::shard(&id) == shard {
                            lines.insert(id.clone(), write_line(&id, oid, &facts));
                        }
                    }
                }
            }
        }
        for (id, line) in changes {
            match line {
                Some((blob, facts)) => {
                    let text = write_line(&id, blob, &facts);
                    lines.insert(id, text);
                }
                None => {
                    lines.remove(&id);
                }
            }
        }
        if lines.is_empty() {
            out.push((path, None));
        } else {
            let mut content = String::new();
            for line in lines.values() {
                content.push_str(line);
                content.push('\n');
            }
            out.push((path, Some(repo.write_blob(content.as_bytes())?)));
        }
    }
    Ok(out)
}

/// The changes that bring the index of `root` up to date with its records, and the shards to
/// rewrite without their broken lines: lines of `others` (the index of the other side of a
/// merge) are used where their blob matches, and the facts of any other record are read from
/// the record itself.
pub fn refresh(
    repo: &Repo,
    root: Oid,
    records: &[(String, Oid)],
    others: &mut [Index],
) -> Result<(Vec<Change>, Vec<String>)> {
    let current = Index::read(repo, root)?;
    let mut changes = Vec::new();
    let mut present: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (id, blob) in records {
        present.insert(id);
        if current.is_current(id, *blob) {
            continue;
        }
        let facts = match others.iter_mut().find_map(|o| o.take(id, *blob)) {
            Some(f) => f,
            None => {
                let read = repo.with_blob(*blob, |content| facts(id, content))?;
                if !read.damage.is_empty() {
                    // A damaged record gets no line: every report reads it, and says so.
                    if current.has(id) {
                        changes.push((id.clone(), None));
                    }
                    continue;
                }
                Compact::from(&read)
            }
        };
        changes.push((id.clone(), Some((*blob, facts))));
    }
    for id in current.ids() {
        if !present.contains(id.as_str()) {
            changes.push((id.clone(), None));
        }
    }
    Ok((changes, current.broken))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_two_hex_digits() {
        // FNV-1a of "v1.4.2" is fixed: the shard must never change between versions of hotfix.
        assert_eq!(shard("v1.4.2"), shard("v1.4.2"));
        assert_eq!(shard("").as_str(), "c5");
        assert_eq!(shard("a").as_str(), "2c");
        assert_eq!(shard("v1.0.1").as_str(), "0b");
        assert_eq!(shard("v1.0.2").as_str(), "9e");
        for id in ["v1.0.1", "release/2.3.4", "x"] {
            let s = shard(id);
            assert_eq!(s.len(), 2);
            assert!(s.chars().all(|c| c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn lines_round_trip() {
        let f = Facts {
            id: "v1.0.1".into(),
            line: Some("1.0".into()),
            severity: Some("sev1".into()),
            detected_at: DateTime::from_timestamp(1_700_000_000, 0),
            ship_time: DateTime::from_timestamp(1_700_003_600, 0),
            overrides: vec!["regression-test".into()],
            picks: 2,
            conflicted_picks: 1,
            ..Facts::default()
        };
        let blob = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        let text = write_line("v1.0.1", blob, &Compact::from(&f));
        let (id, oid, c) = parse_line(text.as_bytes()).unwrap();
        assert_eq!((id.as_str(), oid), ("v1.0.1", blob));
        assert_eq!(c.into_facts(id), f);
        assert!(parse_line(b"not json").is_none());
        assert!(parse_line(br#"["v1","nothex",[]]"#).is_none());
    }
}
