//! What an audit needs of one record: every step of a hotfix, as its events say, in one value
//! that the ledger's audit index holds ready-made (`index`). Pure: no git here. `audit` adds
//! what the record cannot say: what the tag proves, the environment that counts as production,
//! and the steps that are missing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_tuple::{Deserialize_tuple, Serialize_tuple};

use super::event::{
    Abandoned, Approved, DeployFailed, Deployed, Event, Imported, Retro, ReviewerRecord,
    RolledBack, Verified,
};
use super::record::Record;

/// A record's audit trail: who started it and declared what, who shipped it under which policy,
/// and every deployment, validation, rollback, retro and abandonment recorded since. In the
/// index it is an array of its fields in this order, its own times as Unix seconds: ten thousand
/// of them parse in a fraction of the time named fields and RFC 3339 times take. The order is
/// the index's format: moving, adding or removing a field needs a new `TrailIndex::DIR`.
#[derive(Debug, Clone, Serialize_tuple, Deserialize_tuple, PartialEq)]
pub struct Trail {
    pub state: String,
    pub line: Option<String>,
    pub incident: Option<String>,
    pub severity: Severity,
    pub summary: Option<String>,
    #[serde(with = "when")]
    pub detected_at: Option<DateTime<Utc>>,
    #[serde(with = "when")]
    pub started_at: Option<DateTime<Utc>>,
    pub started_by: Option<String>,
    /// The first ship, else the imported release's time.
    #[serde(with = "when")]
    pub shipped_at: Option<DateTime<Utc>>,
    pub shipper: Option<String>,
    /// The release tag the record names (shipped or imported).
    pub tag: Option<String>,
    /// The `approved` rule's verdict at ship time, and its detail.
    pub approval_rule: Option<String>,
    pub approvals: Vec<Approval>,
    pub reviewers: Vec<Person>,
    pub overrides: Vec<Override>,
    pub policy: Option<Box<Policy>>,
    pub deployments: Vec<Step>,
    /// Validations and rollbacks: an `env` of none is an event written before environments,
    /// which counts for production.
    pub verifications: Vec<Step>,
    pub rollbacks: Vec<Step>,
    pub retro: Option<Box<Step>>,
    pub actions: Actions,
    pub abandoned: Option<Box<Step>>,
    /// For a release that predates the tool: where its row came from (`hotfix import`).
    pub imported: Option<Box<Step>>,
}

/// The severity, as the shipper declared it at start: nothing proves it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Severity {
    pub value: Option<String>,
    /// Who declared it: the person who started the hotfix.
    pub declared_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Approval {
    pub name: String,
    pub source: String,
    pub verified: bool,
    /// Counted by `approved` when the hotfix shipped.
    pub counted: bool,
    /// Recorded after the ship.
    pub after_ship: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Person {
    pub name: String,
    pub source: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Override {
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Policy {
    pub source: String,
    pub commit: Option<String>,
    pub digest: Option<String>,
}

/// One recorded step: who recorded it, when, where, and what it says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    pub by: String,
    pub at: DateTime<Utc>,
    pub env: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Actions {
    pub open: usize,
    pub of: usize,
}

/// A time as Unix seconds, or `[seconds, nanoseconds]` when it has a fraction; none as null.
/// Not chrono's `ts_seconds_option` (it drops the fraction, so the index would say otherwise
/// than the record) nor `ts_nanoseconds_option` (it cannot hold a time past 2262, which a
/// record may carry, and the index must hold every record's line).
mod when {
    use chrono::{DateTime, Utc};
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            None => s.serialize_none(),
            Some(t) if t.timestamp_subsec_nanos() == 0 => s.serialize_i64(t.timestamp()),
            Some(t) => s.collect_seq([t.timestamp(), i64::from(t.timestamp_subsec_nanos())]),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        d.deserialize_any(When)
    }

    struct When;

    fn at<E: Error>(secs: i64, nanos: u32) -> Result<Option<DateTime<Utc>>, E> {
        DateTime::from_timestamp(secs, nanos)
            .map(Some)
            .ok_or_else(|| E::custom("a time out of range"))
    }

    impl<'de> Visitor<'de> for When {
        type Value = Option<DateTime<Utc>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("null, Unix seconds, or [seconds, nanoseconds]")
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
            at(v, 0)
        }
        fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
            at(i64::try_from(v).map_err(E::custom)?, 0)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let secs: i64 = seq
                .next_element()?
                .ok_or_else(|| A::Error::invalid_length(0, &self))?;
            let nanos: u32 = seq
                .next_element()?
                .ok_or_else(|| A::Error::invalid_length(1, &self))?;
            if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                return Err(A::Error::invalid_length(3, &self));
            }
            at(secs, nanos)
        }
    }
}

fn step(e: &Event, env: Option<String>, detail: String) -> Step {
    Step {
        by: e.by.clone(),
        at: e.at,
        env,
        detail,
    }
}

/// The trail of a record, from its events alone.
pub fn trail(record: &Record) -> Trail {
    let started = record.started();
    let started_event = record.events.iter().find(|e| e.kind == "started");
    let shipped = record.shipped();
    let ship_time = record.ship_time();
    let shipped_event = record.events.iter().find(|e| e.kind == "shipped");

    let counted: Vec<&ReviewerRecord> = shipped.iter().flat_map(|s| &s.approvers).collect();
    let mut approvals: Vec<Approval> = Vec::new();
    let shipped_at_index = record.events.iter().position(|e| e.kind == "shipped");
    for (i, e) in record.events.iter().enumerate() {
        if e.kind != "approved" {
            continue;
        }
        let Some(a) = e.payload::<Approved>() else {
            continue;
        };
        if approvals
            .iter()
            .any(|x| x.name == a.approver && x.source == a.source)
        {
            continue;
        }
        approvals.push(Approval {
            counted: counted.iter().any(|c| c.name == a.approver),
            // Later than the ship, or in the same second and written after it.
            after_ship: ship_time.is_some_and(|t| {
                e.at > t || (e.at == t && shipped_at_index.is_some_and(|s| i > s))
            }),
            name: a.approver,
            source: a.source,
            verified: a.verified,
        });
    }
    // Approvals ship counted from elsewhere (a trailer, a GitHub review).
    for c in &counted {
        if !approvals.iter().any(|a| a.name == c.name) {
            approvals.push(Approval {
                name: c.name.clone(),
                source: c.source.clone(),
                verified: c.verified,
                counted: true,
                after_ship: false,
            });
        }
    }

    let mut deployments = Vec::new();
    let mut verifications = Vec::new();
    let mut rollbacks = Vec::new();
    let mut retro = None;
    let mut abandoned = None;
    for e in &record.events {
        match e.kind.as_str() {
            "deployed" => {
                if let Some(d) = e.payload::<Deployed>() {
                    let how = if d.duration_s.is_some() {
                        "deployed (hotfix deploy)"
                    } else {
                        "deployed (recorded by hand)"
                    };
                    let mut s = step(e, Some(d.env.clone()), how.into());
                    s.at = d.deployed_at;
                    deployments.push(s);
                }
            }
            "deploy_failed" => {
                if let Some(f) = e.payload::<DeployFailed>() {
                    deployments.push(step(e, Some(f.env), format!("failed: {}", f.reason)));
                }
            }
            "verified" => {
                let v = e.payload::<Verified>().unwrap_or_default();
                let detail = match (&v.note, v.checks) {
                    (Some(n), _) => n.clone(),
                    (None, Some(c)) => format!("{c} health check(s) passed"),
                    (None, None) => "verified".into(),
                };
                verifications.push(step(e, v.env, detail));
            }
            "rolled_back" => {
                if let Some(r) = e.payload::<RolledBack>() {
                    let mut detail = format!("to {}", r.to);
                    if r.automatic {
                        detail.push_str(", automatically");
                    }
                    if let Some(why) = &r.reason {
                        detail.push_str(&format!(": {why}"));
                    }
                    rollbacks.push(step(e, r.env, detail));
                }
            }
            "retro" if retro.is_none() => {
                let file = e.payload::<Retro>().map(|r| r.file).unwrap_or_default();
                retro = Some(Box::new(step(e, None, file)));
            }
            "abandoned" if abandoned.is_none() => {
                let why = e
                    .payload::<Abandoned>()
                    .and_then(|a| a.reason)
                    .unwrap_or_else(|| "no reason given".into());
                abandoned = Some(Box::new(step(e, None, why)));
            }
            _ => {}
        }
    }
    let items = record.actions();
    let actions = Actions {
        open: items.iter().filter(|i| i.done.is_none()).count(),
        of: items.len(),
    };
    let approval_rule = shipped.as_ref().and_then(|s| {
        s.rules
            .iter()
            .find(|r| r.id == "approved")
            .map(|r| format!("{}: {}", r.verdict, r.detail))
    });
    // A release from before the tool: the import file says what `started` and `shipped` would.
    let imported_event = record.events.iter().find(|e| e.kind == "imported");
    let imported = imported_event.and_then(|e| e.payload::<Imported>());
    let from_import = started.is_none() && imported.is_some();
    Trail {
        state: record.state().to_string(),
        line: started
            .as_ref()
            .map(|s| s.line.clone())
            .or_else(|| imported.as_ref().and_then(|i| i.line.clone())),
        incident: match (&started, &imported) {
            (Some(s), _) => s.incident.clone(),
            (None, Some(i)) => i.incident.clone(),
            _ => None,
        },
        severity: match (&started, &imported) {
            (None, Some(i)) => Severity {
                value: i.severity.clone(),
                declared_by: i
                    .severity
                    .as_ref()
                    .map(|_| format!("the import file, {}", i.source)),
            },
            _ => Severity {
                value: started.as_ref().and_then(|s| s.severity.clone()),
                declared_by: started_event.map(|e| e.by.clone()),
            },
        },
        summary: started.as_ref().and_then(|s| s.summary.clone()),
        detected_at: match (&started, &imported) {
            (Some(s), _) => s.detected_at,
            (None, Some(i)) => i.detected_at,
            _ => None,
        },
        started_at: started_event.map(|e| e.at),
        started_by: started_event.map(|e| e.by.clone()),
        shipped_at: ship_time,
        shipper: shipped_event.map(|e| e.by.clone()).or_else(|| {
            from_import
                .then(|| imported.as_ref().and_then(|i| i.shipper.clone()))
                .flatten()
        }),
        tag: shipped.as_ref().map(|s| s.tag.clone()).or(record.tag()),
        approval_rule,
        approvals,
        reviewers: shipped
            .iter()
            .flat_map(|s| &s.reviewers)
            .map(|r| Person {
                name: r.name.clone(),
                source: r.source.clone(),
                verified: r.verified,
            })
            .collect(),
        overrides: shipped
            .iter()
            .flat_map(|s| &s.overrides)
            .map(|o| Override {
                rule: o.rule.clone(),
                reason: o.reason.clone(),
            })
            .collect(),
        policy: shipped.as_ref().and_then(|s| s.policy.clone()).map(|p| {
            Box::new(Policy {
                source: p.source,
                commit: p.commit,
                digest: p.digest,
            })
        }),
        deployments,
        verifications,
        rollbacks,
        retro,
        actions,
        abandoned,
        imported: imported_event
            .zip(imported.as_ref())
            .map(|(e, i)| Box::new(step(e, None, format!("imported from {}", i.source)))),
    }
}
