//! The event schema: one JSON object per line of a record file. Fields are only ever added,
//! never renamed, and readers ignore the fields and types they do not know.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

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
    /// Every line the incident's start named, when it named several (for information).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
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
    /// The policy the rules were judged under.
    #[serde(default)]
    pub policy: Option<PolicyInForce>,
    /// The approvers `approved` counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvers: Vec<ReviewerRecord>,
}

/// Where the policy in force came from: `source` is `mainline`, `builtin` (no file on
/// mainline) or `file` (`--config`, which `ship` refuses, so only `check` would say it), with
/// mainline's commit, the file's blob and the SHA-256 of its bytes where they apply.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PolicyInForce {
    pub source: String,
    pub commit: Option<String>,
    pub blob: Option<String>,
    pub digest: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Deployed {
    /// When the deployment happened (the event's `at` is when it was recorded).
    pub deployed_at: DateTime<Utc>,
    pub env: String,
    /// How long the deploy command ran (absent when a person records the deployment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<u64>,
    /// The deploy command's exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// The redacted end of the command's output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tail: Option<String>,
}

/// The health of the version serving before a deploy.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Baseline {
    Healthy,
    Unhealthy,
    /// Nothing was recorded as deployed there, so there was nothing to check.
    #[default]
    Unknown,
}

/// A deploy has begun: recorded (and pushed) before the command runs, so another clone sees
/// it, and a re-run after a kill knows where it stood.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Deploying {
    pub env: String,
    pub command: String,
    /// The tag serving before (the last deployed to the environment), if any.
    pub from: Option<String>,
    pub baseline: Baseline,
    /// Rules bent for this deploy (`--override env-order --reason`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<OverrideRecord>,
    /// Names this run, so that only the clone that began it goes on from it (another clone
    /// needs `--take-over`): two clones must never run one deploy side by side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DeployFailed {
    pub env: String,
    pub duration_s: u64,
    /// The exit code; absent when the command was stopped (a timeout).
    pub exit: Option<i32>,
    pub output_tail: Option<String>,
    pub reason: String,
    /// The tag an automatic rollback goes to, recorded before it starts, so a re-run after a
    /// kill finishes that rollback. Absent when no rollback follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_to: Option<String>,
}

/// A deploy stopped by Ctrl-C or TERM at `step`; it never rolls back on its own.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Interrupted {
    pub env: String,
    pub step: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Verified {
    pub note: Option<String>,
    /// The environment validated (absent in records written before environments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// How many health checks passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks: Option<u32>,
    /// How long the validation took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<u64>,
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
    /// The environment rolled back (absent in records written before environments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// True when `deploy` rolled back by itself after a failure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub automatic: bool,
    /// Whether the health check passed on the version rolled back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Retro {
    pub file: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Abandoned {
    pub reason: Option<String>,
}

/// A line of an incident that will not get the fix, and why (`hotfix skip-line`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Skipped {
    pub line: String,
    pub reason: String,
}

/// Picks undone by `pick --abort` (or `--skip`): the commits are no longer on the branch.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Dropped {
    pub commits: Vec<String>,
}

/// A release that predates the tool, recorded so reports count it with its times.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Imported {
    pub tag: String,
    pub shipped_at: DateTime<Utc>,
    /// The commit the tag names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detected_at: Option<DateTime<Utc>>,
    /// Who shipped the release, as the import file names them (the event's `by` imported it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipper: Option<String>,
    /// The file and line the row came from (`hotfixes.csv:3`).
    #[serde(default)]
    pub source: String,
}

/// An approval given by name (`start --approved-by`, `hotfix approve --by`): a record of what
/// someone said, so never `verified`; only a GitHub approval, read when the rules are judged,
/// is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Approved {
    pub approver: String,
    /// `flag`, or `github #N`.
    pub source: String,
    pub verified: bool,
}

/// A retro's action item; `key` is `action_key(text)`, so the same item written in two clones
/// is one item, and a union merge never renumbers them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Action {
    pub key: String,
    pub text: String,
}

/// An action item done.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ActionDone {
    pub key: String,
}

/// The key of an action item: the first 12 hex digits of the SHA-256 of its text, trimmed.
pub fn action_key(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.trim().as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
