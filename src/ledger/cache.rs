//! A local, content-addressed cache for `hotfix report`: the date of each tag keyed by its
//! object id, and the facts of ledger records that the ledger's facts index does not cover
//! (written by an older hotfix, or by hand), keyed by their blob id. Both keys name immutable
//! objects, so an entry can never be stale; a changed record or a moved tag simply misses.
//! It lives in `.git/hotfix/report-cache.json`, is never shared, and is rebuilt if unreadable.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::facts::Facts;
use super::index::Compact;
use crate::git::{Oid, Repo};

const VERSION: u32 = 6;

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
        self.records
            .get(&blob.to_string())
            .map(|c| c.clone().into_facts(String::new()))
    }

    pub fn put_record(&mut self, blob: Oid, facts: &Facts) {
        if !facts.damage.is_empty() {
            return; // read again every time, so every report names the damage
        }
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
