//! A record: the fold of one hotfix's events into where it stands. Pure: no git here.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::event::{
    Abandoned, Action, ActionDone, Approved, DeployFailed, Deployed, Deploying, Dropped, Event,
    Imported, Interrupted, Picked, Retro, RolledBack, Shipped, Skipped, Started, Verified,
};

/// A hotfix as the fold of its events.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: String,
    pub events: Vec<Event>,
    /// What could not be read, line by line (`line 3: not an event (...)`): such lines are
    /// left out of the fold, and the commands that read records say so.
    #[serde(skip)]
    pub damage: Vec<String>,
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

    /// Lists the picks, one per resulting commit (a pick recorded twice counts once), leaving
    /// out those a later `dropped` event undid (a commit picked again after that counts again).
    pub fn picks(&self) -> Vec<Picked> {
        let mut out: Vec<Picked> = Vec::new();
        for e in &self.events {
            match e.kind.as_str() {
                "picked" => {
                    if let Some(p) = e.payload::<Picked>() {
                        if !out.iter().any(|o| o.commit == p.commit) {
                            out.push(p);
                        }
                    }
                }
                "dropped" => {
                    if let Some(d) = e.payload::<Dropped>() {
                        out.retain(|p| !d.commits.contains(&p.commit));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The release tag the record is about: the shipped tag, else an imported one.
    pub fn tag(&self) -> Option<String> {
        self.shipped()
            .map(|s| s.tag)
            .or_else(|| self.last::<Imported>("imported").map(|i| i.tag))
    }

    /// Returns when the hotfix shipped: the first `shipped` event, else an `imported` one.
    pub fn ship_time(&self) -> Option<DateTime<Utc>> {
        self.shipped_at()
            .or_else(|| self.last::<Imported>("imported").map(|i| i.shipped_at))
    }

    /// Where the deployment to `env` stands: its last recorded step (`deploying`, `deployed`,
    /// `deploy_failed`, `verified`, `rolled_back` or `interrupted` naming that environment),
    /// which a re-run of `deploy` goes on from. Events from before environments, with no
    /// `env`, count for the last environment `last_env`.
    pub fn deploy_step(&self, env: &str, last_env: &str) -> Option<DeployStep> {
        let named = |e: Option<&str>| e.unwrap_or(last_env) == env;
        self.events.iter().rev().find_map(|e| {
            let step = match e.kind.as_str() {
                "deploying" => DeployStep::Deploying(e.payload::<Deploying>()?),
                "deployed" => DeployStep::Deployed(e.payload::<Deployed>()?),
                "deploy_failed" => DeployStep::Failed(e.payload::<DeployFailed>()?),
                "verified" => DeployStep::Verified(e.payload::<Verified>()?),
                "rolled_back" => DeployStep::RolledBack(e.payload::<RolledBack>()?),
                "interrupted" => DeployStep::Interrupted(e.payload::<Interrupted>()?),
                _ => return None,
            };
            named(step.env()).then_some(step)
        })
    }

    /// The recorded deployments, oldest first.
    pub fn deployments(&self) -> Vec<Deployed> {
        self.events
            .iter()
            .filter(|e| e.kind == "deployed")
            .filter_map(Event::payload::<Deployed>)
            .collect()
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

    /// The last `skipped` event: the line will not get the incident's fix.
    pub fn skipped(&self) -> Option<Skipped> {
        self.last("skipped")
    }

    /// Tells whether the hotfix is closed: shipped (or imported), abandoned, or its line skipped.
    pub fn is_closed(&self) -> bool {
        self.has("shipped") || self.has("imported") || self.has("abandoned") || self.has("skipped")
    }

    /// The last `abandoned` event, when the hotfix was given up.
    pub fn abandoned(&self) -> Option<Abandoned> {
        self.last("abandoned")
    }

    pub fn rolled_back(&self) -> Option<RolledBack> {
        self.last("rolled_back")
    }

    /// The approvals given by name, in the order they were recorded.
    pub fn approvals(&self) -> Vec<Approved> {
        self.events
            .iter()
            .filter(|e| e.kind == "approved")
            .filter_map(Event::payload)
            .collect()
    }

    /// The retro's action items, oldest first (the display number is the position here), each
    /// once however often it was recorded, with when it was done.
    pub fn actions(&self) -> Vec<ActionItem> {
        let mut events: Vec<&Event> = self.events.iter().collect();
        events.sort_by_key(|e| e.at);
        let mut out: Vec<ActionItem> = Vec::new();
        // Items recorded in the same second in two clones keep one order whichever merged
        // first: by time, then by key.
        for e in &events {
            if e.kind != "action" {
                continue;
            }
            if let Some(a) = e.payload::<Action>() {
                if !out.iter().any(|o| o.key == a.key) {
                    out.push(ActionItem {
                        key: a.key,
                        text: a.text,
                        at: e.at,
                        done: None,
                    });
                }
            }
        }
        out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key.cmp(&b.key)));
        for e in &events {
            if e.kind != "action_done" {
                continue;
            }
            if let Some(d) = e.payload::<ActionDone>() {
                if let Some(item) = out.iter_mut().find(|o| o.key == d.key && o.done.is_none()) {
                    item.done = Some(e.at);
                }
            }
        }
        out
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
            ("skipped", "skipped"),
        ] {
            if self.has(kind) {
                return state;
            }
        }
        "in progress"
    }
}

/// A retro's action item as the record folds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionItem {
    pub key: String,
    pub text: String,
    pub at: DateTime<Utc>,
    pub done: Option<DateTime<Utc>>,
}

/// Parses a record file; lines that are not events are skipped (and reported by `warnings`).
pub fn parse_record(id: &str, content: &[u8]) -> Record {
    let mut events = Vec::new();
    let mut damage = Vec::new();
    for (n, raw) in content.split(|b| *b == b'\n').enumerate() {
        let Ok(line) = std::str::from_utf8(raw) else {
            damage.push(format!("line {}: not UTF-8 text", n + 1));
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Event>(line) {
            // An event of a known type with fields of the wrong type is left out of the fold
            // (the line stays in the file): folding it would count it half.
            Ok(e) => match wrong_fields(&e) {
                Some(why) => damage.push(format!("line {}: a {} event {why}", n + 1, e.kind)),
                None => events.push(e),
            },
            Err(e) => damage.push(format!("line {}: not an event ({e})", n + 1)),
        }
    }
    events.sort_by_key(|e| e.at);
    Record {
        id: id.to_string(),
        events,
        damage,
    }
}

/// One step of a deployment to an environment, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum DeployStep {
    Deploying(Deploying),
    Deployed(Deployed),
    Failed(DeployFailed),
    Verified(Verified),
    RolledBack(RolledBack),
    Interrupted(Interrupted),
}

impl DeployStep {
    /// The environment the step names (older `verified` and `rolled_back` events name none).
    pub fn env(&self) -> Option<&str> {
        match self {
            DeployStep::Deploying(d) => Some(&d.env),
            DeployStep::Deployed(d) => Some(&d.env),
            DeployStep::Failed(d) => Some(&d.env),
            DeployStep::Verified(v) => v.env.as_deref(),
            DeployStep::RolledBack(r) => r.env.as_deref(),
            DeployStep::Interrupted(i) => Some(&i.env),
        }
    }

    /// True when the step leaves a deploy unfinished: begun and not ended (a kill), or
    /// interrupted. Another hotfix's deploy to the same environment waits on it. A deployment
    /// recorded by hand, or with `--no-health-check`, ends at `deployed` and is finished.
    pub fn unfinished(&self) -> bool {
        matches!(self, DeployStep::Deploying(_) | DeployStep::Interrupted(_))
    }
}

/// Says what is wrong with an event of a known type whose fields do not have their types
/// (the fold would skip it in silence).
fn wrong_fields(e: &Event) -> Option<String> {
    fn check<P: DeserializeOwned>(e: &Event) -> Option<String> {
        serde_json::from_value::<P>(serde_json::Value::Object(e.data.clone()))
            .err()
            .map(|err| format!("with fields of the wrong type ({err})"))
    }
    match e.kind.as_str() {
        "started" => check::<Started>(e),
        "picked" => check::<Picked>(e),
        "shipped" => check::<Shipped>(e),
        "deployed" => check::<Deployed>(e),
        "verified" => check::<Verified>(e),
        "rolled_back" => check::<RolledBack>(e),
        "retro" => check::<Retro>(e),
        "abandoned" => check::<Abandoned>(e),
        "imported" => check::<Imported>(e),
        "dropped" => check::<Dropped>(e),
        "skipped" => check::<Skipped>(e),
        "deploying" => check::<Deploying>(e),
        "deploy_failed" => check::<DeployFailed>(e),
        "interrupted" => check::<Interrupted>(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    #[test]
    fn the_deploy_step_is_the_last_event_naming_the_environment() {
        let ev = |kind: &str, sec: i64, data: serde_json::Value| {
            let serde_json::Value::Object(map) = data else {
                unreachable!("the test gives objects")
            };
            Event::new(
                kind,
                "v1",
                "A",
                DateTime::from_timestamp(sec, 0).unwrap(),
                &map,
            )
        };
        let at = "2026-01-01T00:00:00Z";
        let r = Record {
            id: "v1".into(),
            events: vec![
                ev("shipped", 1, serde_json::json!({})),
                ev(
                    "deploying",
                    2,
                    serde_json::json!({"env": "staging", "command": "./d", "from": null, "baseline": "unknown"}),
                ),
                ev(
                    "deployed",
                    3,
                    serde_json::json!({"env": "staging", "deployed_at": at}),
                ),
                // Written before environments: no env, so it counts for the last one.
                ev("verified", 4, serde_json::json!({"note": null})),
                ev(
                    "deploying",
                    5,
                    serde_json::json!({"env": "production", "command": "./d", "from": "v0", "baseline": "healthy"}),
                ),
            ],
            damage: Vec::new(),
        };
        let staging = r.deploy_step("staging", "production").unwrap();
        assert!(matches!(staging, DeployStep::Deployed(ref d) if d.env == "staging"));
        assert!(!staging.unfinished());
        let prod = r.deploy_step("production", "production").unwrap();
        assert!(
            matches!(prod, DeployStep::Deploying(ref d) if d.baseline == super::super::event::Baseline::Healthy)
        );
        assert!(prod.unfinished());
        assert_eq!(r.deploy_step("eu", "production"), None);
        // The env-less verified is production's when production is the last environment...
        let only_old = Record {
            id: "v1".into(),
            events: vec![ev("verified", 4, serde_json::json!({"note": "ok"}))],
            damage: Vec::new(),
        };
        assert!(matches!(
            only_old.deploy_step("production", "production"),
            Some(DeployStep::Verified(_))
        ));
        // ...and no other environment's.
        assert_eq!(only_old.deploy_step("staging", "production"), None);
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
            damage: vec![],
        };
        assert_eq!(r.state(), "shipped");
        let r = Record {
            id: "v1".into(),
            events: vec![ev("started", 1)],
            damage: vec![],
        };
        assert_eq!(r.state(), "in progress");
    }
}
