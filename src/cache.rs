//! A local, content-addressed cache for `hotfix report`: the facts of each ledger record keyed
//! by its blob id, and the date of each tag keyed by its object id. Both keys name immutable
//! objects, so an entry can never be stale; a changed record or a moved tag simply misses.
//! It lives in `.git/hotfix/report-cache.json`, is never shared, and is rebuilt if unreadable.

use std::collections::HashMap;
use std::path::PathBuf;

use git2::Oid;
use serde::{Deserialize, Serialize};

use crate::git::Repo;
use crate::ledger::Facts;

const VERSION: u32 = 2;

/// A record's facts as a compact JSON array, times as Unix seconds: parsing thousands of these
/// costs a fraction of parsing RFC 3339 strings in objects.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Compact(
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
);

fn secs(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp())
}

fn time(s: Option<i64>) -> Option<chrono::DateTime<chrono::Utc>> {
    s.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
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
        )
    }
}

impl From<&Compact> for Facts {
    fn from(c: &Compact) -> Facts {
        Facts {
            id: String::new(),
            line: c.0.clone(),
            severity: c.1.clone(),
            incident: c.2.clone(),
            detected_at: time(c.3),
            ship_time: time(c.4),
            deployed_at: time(c.5),
            overrides: c.6.clone(),
            rolled_back: c.7,
            revert_tag: c.8.clone(),
            verified: c.9,
            retro: c.10,
            picks: c.11,
            conflicted_picks: c.12,
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ReportCache {
    version: u32,
    records: HashMap<String, Compact>,
    tags: HashMap<String, i64>,
    #[serde(skip)]
    dirty: bool,
    #[serde(skip)]
    path: Option<PathBuf>,
}

impl ReportCache {
    /// Loads the cache of a repository; a missing, unreadable or older cache starts empty.
    pub fn load(repo: &Repo) -> ReportCache {
        let path = repo.state_dir().join("report-cache.json");
        let mut cache = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<ReportCache>(&b).ok())
            .filter(|c| c.version == VERSION)
            .unwrap_or_default();
        cache.version = VERSION;
        cache.path = Some(path);
        cache
    }

    pub fn record(&self, blob: Oid) -> Option<Facts> {
        self.records.get(&blob.to_string()).map(Facts::from)
    }

    pub fn put_record(&mut self, blob: Oid, facts: &Facts) {
        self.records.insert(blob.to_string(), Compact::from(facts));
        self.dirty = true;
    }

    pub fn tag(&self, object: Oid) -> Option<i64> {
        self.tags.get(&object.to_string()).copied()
    }

    pub fn put_tag(&mut self, object: Oid, seconds: i64) {
        self.tags.insert(object.to_string(), seconds);
        self.dirty = true;
    }

    /// Writes the cache back if it grew (write, then rename); failing to is not an error, the
    /// next report just reads more.
    pub fn save(&self) {
        let (true, Some(path)) = (self.dirty, &self.path) else {
            return;
        };
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = path.with_extension("json.tmp");
        if let Ok(bytes) = serde_json::to_vec(self) {
            if std::fs::write(&tmp, bytes).is_ok() {
                let _ = std::fs::rename(&tmp, path);
            }
        }
    }
}
