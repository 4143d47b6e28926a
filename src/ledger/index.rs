//! The ledger's indexes: what reports and audits need of each record, kept on the ledger
//! branch beside the records, so that a report or an audit in any clone reads a few hundred
//! small files instead of one file per hotfix.
//!
//! Each index (a `Kind`) lives in its own folder under `facts/`: the report's facts in
//! `facts/v4`, the audit's trails in `facts/audit-v2`. `<dir>/<xx>.jsonl` holds one line per
//! record whose id falls in shard `xx` (two hex digits of an FNV-1a hash of the id, so at most
//! 256 files): `[id, record blob id, value]`, sorted by id. A line counts only while its blob id
//! is the record file's current blob id, so a record changed by a writer that does not know the
//! index (an older hotfix, a hand edit) is simply read again: the index can fall behind, never
//! mislead. Every ledger write updates the lines of the records it touches; merges and
//! `hotfix sync` bring the whole index up to date (`sync` also derives every line again and
//! replaces one that says otherwise than its record). A folder's version changes whenever what a
//! line holds or how it is derived changes, and the files of an older version are then
//! ignored.
//!
//! An index is derived data with the trust of the records it derives from: whoever can push
//! the ledger branch can write either. `hotfix audit --from-records` derives every row from the
//! records and names any line that says otherwise.

use std::collections::BTreeMap;
use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::facts::{Facts, facts};
use super::record::parse_record;
use super::trail::{Trail, trail};
use crate::error::Result;
use crate::git::{Oid, Repo};

/// One index: where it lives, what a line holds, and how a record's line is derived.
pub trait Kind {
    /// Its folder on the ledger branch, under `DERIVED`.
    const DIR: &'static str;
    type Line: Serialize + DeserializeOwned + PartialEq + Send + Sync;
    /// A record file's line, or none for a damaged record: every reader reads it, and says so.
    fn derive(id: &str, content: &[u8]) -> Option<Self::Line>;
}

/// The report's facts (`Compact`).
pub struct FactsIndex;

impl Kind for FactsIndex {
    const DIR: &'static str = "facts/v4";
    type Line = Compact;
    fn derive(id: &str, content: &[u8]) -> Option<Compact> {
        let read = facts(id, content);
        read.damage.is_empty().then(|| Compact::from(&read))
    }
}

/// The audit's trails.
pub struct TrailIndex;

impl TrailIndex {
    /// A record file's trail, and the lines of it that could not be read: the one derivation
    /// behind the index's lines and the rows read from the records themselves, so the two can
    /// only disagree where a line was edited.
    pub fn from_record(id: &str, content: &[u8]) -> (Box<Trail>, Vec<String>) {
        let record = parse_record(id, content);
        (Box::new(trail(&record)), record.damage)
    }
}

impl Kind for TrailIndex {
    const DIR: &'static str = "facts/audit-v2";
    /// Boxed: a trail is large, and ten thousand of them move through a map and a sort.
    type Line = Box<Trail>;
    fn derive(id: &str, content: &[u8]) -> Option<Box<Trail>> {
        let (trail, damage) = Self::from_record(id, content);
        damage.is_empty().then_some(trail)
    }
}

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

fn shard_path<K: Kind>(shard: &str) -> String {
    format!("{}/{shard}.jsonl", K::DIR)
}

fn parse_line<L: DeserializeOwned>(line: &[u8]) -> Option<(String, Oid, L)> {
    let (id, blob, value): (String, &str, L) = serde_json::from_slice(line).ok()?;
    Some((id, Oid::from_str(blob).ok()?, value))
}

fn write_line<L: Serialize>(id: &str, blob: Oid, value: &L) -> String {
    serde_json::to_string(&(id, blob.to_string(), value)).expect("index lines always serialize")
}

/// The lines of an index, by record id. An id may have several lines (a hand edit): the first
/// is kept by id, the others apart.
pub struct Index<K: Kind> {
    lines: HashMap<String, (Oid, K::Line)>,
    more: Vec<(String, Oid, K::Line)>,
    /// Shards holding a line that does not parse or does not belong in them.
    broken: Vec<String>,
}

impl<K: Kind> Default for Index<K> {
    fn default() -> Self {
        Index {
            lines: HashMap::new(),
            more: Vec::new(),
            broken: Vec::new(),
        }
    }
}

impl<K: Kind> Index<K> {
    /// Reads the index of a ledger tree, on every core; unreadable files and lines are skipped
    /// (their records are then read instead) and their shards noted for rewriting.
    pub fn read(repo: &Repo, root: Oid) -> Result<Index<K>> {
        let mut index = Index::default();
        // An index that cannot be read is no index: the records are read instead.
        let Ok(files) = repo.tree_files(root, K::DIR, false) else {
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
                    match parse_line::<K::Line>(line) {
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
            for (id, oid, value) in lines {
                match index.lines.entry(id) {
                    Entry::Vacant(e) => {
                        e.insert((oid, value));
                    }
                    Entry::Occupied(e) => index.more.push((e.key().clone(), oid, value)),
                }
            }
        }
        Ok(index)
    }

    /// Takes the line indexed for record `id` at blob `blob`, if there is one.
    pub fn take(&mut self, id: &str, blob: Oid) -> Option<K::Line> {
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
pub type Change<L> = (String, Option<(Oid, L)>);

/// What `refresh` finds: the changes, and the shards to rewrite without their broken lines.
pub type Refresh<L> = (Vec<Change<L>>, Vec<String>);

/// Turns changes to the index into edits of the ledger tree `root`: each shard touched, and
/// each shard in `rewrite`, is read, changed and written once, keeping only its good lines.
pub fn edits<K: Kind>(
    repo: &Repo,
    root: Option<Oid>,
    changes: Vec<Change<K::Line>>,
    rewrite: &[String],
) -> Result<Vec<(String, Option<Oid>)>> {
    let mut by_shard: BTreeMap<String, Vec<Change<K::Line>>> =
        rewrite.iter().map(|s| (s.clone(), Vec::new())).collect();
    for (id, line) in changes {
        by_shard.entry(shard(&id)).or_default().push((id, line));
    }
    let mut out = Vec::new();
    for (shard, changes) in by_shard {
        let path = shard_path::<K>(&shard);
        let mut lines: BTreeMap<String, String> = BTreeMap::new();
        let blob = match root {
            Some(t) => repo.blob_at(t, &path)?,
            None => None,
        };
        if let Some(blob) = blob {
            if let Ok(content) = repo.blob(blob) {
                for line in content.split(|b| *b == b'\n') {
                    if let Some((id, oid, value)) = parse_line::<K::Line>(line) {
                        if self::shard(&id) == shard {
                            lines.insert(id.clone(), write_line(&id, oid, &value));
                        }
                    }
                }
            }
        }
        for (id, line) in changes {
            match line {
                Some((blob, value)) => {
                    let text = write_line(&id, blob, &value);
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

/// The edits that index records just written, each line derived from the record's content:
/// `(id, blob, content)`.
pub fn edits_written<K: Kind>(
    repo: &Repo,
    root: Option<Oid>,
    written: &[(&str, Oid, &[u8])],
) -> Result<Vec<(String, Option<Oid>)>> {
    let lines = written
        .iter()
        .map(|(id, blob, content)| (id.to_string(), K::derive(id, content).map(|l| (*blob, l))))
        .collect();
    edits::<K>(repo, root, lines, &[])
}

/// The changes that bring the index of `root` up to date with its records, and the shards to
/// rewrite without their broken lines: lines of `others` (the index of the other side of a
/// merge) are used where their blob matches, and the line of any other record is derived from
/// the record itself, on every core. With `verify`, every record's line is derived again and a
/// current line that says otherwise (edited by hand, its blob id kept) is replaced.
pub fn refresh<K: Kind>(
    repo: &Repo,
    root: Oid,
    records: &[(String, Oid)],
    others: &mut [Index<K>],
    verify: bool,
) -> Result<Refresh<K::Line>> {
    let current = Index::<K>::read(repo, root)?;
    let mut changes = Vec::new();
    let mut present: HashSet<&str> = HashSet::with_capacity(records.len());
    let mut derive: Vec<(String, Oid)> = Vec::new();
    for (id, blob) in records {
        present.insert(id);
        if current.is_current(id, *blob) {
            if verify {
                derive.push((id.clone(), *blob));
            }
            continue;
        }
        match others.iter_mut().find_map(|o| o.take(id, *blob)) {
            Some(line) => changes.push((id.clone(), Some((*blob, line)))),
            None => derive.push((id.clone(), *blob)),
        }
    }
    let derived = crate::git::par::map(&repo.gitdir(), &derive, |repo, (id, blob)| {
        repo.with_blob(*blob, |content| K::derive(id, content))
    })?;
    for ((id, blob), line) in derive.into_iter().zip(derived) {
        // The line held for this very blob, to be kept if it says what the record says.
        let held = current
            .lines
            .get(&id)
            .filter(|_| current.is_current(&id, blob))
            .map(|(_, l)| l);
        match line? {
            Some(line) if held == Some(&line) => {}
            Some(line) => changes.push((id, Some((blob, line)))),
            // A damaged record gets no line: every reader reads it, and says so.
            None if current.has(&id) => changes.push((id, None)),
            None => {}
        }
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
        let (id, oid, c) = parse_line::<Compact>(text.as_bytes()).unwrap();
        assert_eq!((id.as_str(), oid), ("v1.0.1", blob));
        assert_eq!(c.into_facts(id), f);
        assert!(parse_line::<Compact>(b"not json").is_none());
        assert!(parse_line::<Compact>(br#"["v1","nothex",[]]"#).is_none());
    }

    #[test]
    fn trail_lines_are_arrays_with_unix_times_and_round_trip() {
        let record = concat!(
            r#"{"schema":1,"id":"v1.0.1","by":"Ann <ann@example.com>","type":"started","at":"2026-03-10T12:00:00.250Z","base":"v1.0.0","base_commit":"0000000000000000000000000000000000000000","branch":"hotfix/1.0.1","version":"1.0.1","line":"1.0","severity":"sev1","detected_at":"2026-03-10T11:00:00Z","summary":"a | pipe"}"#,
            "\n",
            r#"{"schema":1,"id":"v1.0.1","by":"Olga <olga@example.com>","type":"shipped","at":"2026-03-10T13:00:00Z","tag":"v1.0.1","commit":"2222222222222222222222222222222222222222","rollback_to":"v1.0.0","stats":{"commits":1,"files":1,"added":1,"deleted":0},"paths":["src/a"],"tests":[],"reviewers":[],"rules":[],"overrides":[{"rule":"regression-test","reason":"none"}]}"#,
            "\n"
        );
        let trail = TrailIndex::derive("v1.0.1", record.as_bytes()).expect("a whole record");
        assert_eq!(trail.shipper.as_deref(), Some("Olga <olga@example.com>"));
        let blob = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        let text = write_line("v1.0.1", blob, &trail);
        // Positional, and the times as seconds: the fraction kept beside them.
        assert!(
            text.contains(r#",{"#) && !text.contains(r#""state""#),
            "{text}"
        );
        assert!(text.contains("[1773144000,250000000]"), "{text}");
        assert!(text.contains(",1773147600,"), "{text}");
        let (id, oid, back) = parse_line::<Box<Trail>>(text.as_bytes()).unwrap();
        assert_eq!((id.as_str(), oid), ("v1.0.1", blob));
        assert_eq!(back, trail);
        // The positions are the format: pinned here, a new folder when they change.
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let fields = v[2].as_array().unwrap();
        assert_eq!(fields.len(), 23, "{text}");
        assert_eq!(fields[0], "shipped");
        assert_eq!(fields[1], "1.0");
        assert_eq!(fields[3]["value"], "sev1");
        assert_eq!(fields[4], "a | pipe");
        assert_eq!(fields[5], 1_773_140_400);
        assert_eq!(fields[7], "Ann <ann@example.com>");
        assert_eq!(fields[9], "Olga <olga@example.com>");
        assert_eq!(fields[10], "v1.0.1");
        assert_eq!(fields[14][0]["rule"], "regression-test");
        assert_eq!(fields[20]["of"], 0);
        // A line in another shape (the named fields of a development build) is no line: its
        // record is read instead.
        let named = serde_json::json!([
            "v1.0.1",
            blob.to_string(),
            {"state": "shipped", "tag": "v1.0.1", "severity": {"value": null, "declared_by": null},
             "actions": {"open": 0, "of": 0}}
        ])
        .to_string();
        assert!(parse_line::<Box<Trail>>(named.as_bytes()).is_none());
        // A time past what nanoseconds since 1970 can hold is a line like any other.
        let far = record.replace("2026-03-10T11:00:00Z", "3000-01-01T00:00:00.5Z");
        let trail = TrailIndex::derive("v1.0.1", far.as_bytes()).expect("a whole record");
        let text = write_line("v1.0.1", blob, &trail);
        assert_eq!(parse_line::<Box<Trail>>(text.as_bytes()).unwrap().2, trail);
        assert_eq!(
            trail.detected_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("3000-01-01T00:00:00.500+00:00")
        );
    }
}
