//! A record: the fold of one hotfix's events into where it stands. Pure: no git here.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::event::{Deployed, Event, Imported, Picked, RolledBack, Shipped, Started};

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

/// Parses a record file; lines that are not events are skipped (and reported by `warnings`).
pub fn parse_record(id: &str, content: &[u8]) -> Record {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

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
