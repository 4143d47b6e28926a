//! The audit evidence of emergency changes: one row per hotfix, from its record and what its
//! tag proves, with every step that is missing named. Pure: the command reads the ledger and
//! the tags, this decides what they show.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::git::TagEvidence;
use crate::ledger::{
    Abandoned, Approved, DeployFailed, Deployed, Event, Record, Retro, RolledBack, Verified,
};

/// One hotfix, or one patch tag without a record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub id: String,
    /// False for a patch tag that has no record in the ledger: an emergency change nobody
    /// recorded.
    pub record: bool,
    pub state: String,
    pub line: Option<String>,
    pub incident: Option<String>,
    pub severity: Severity,
    pub summary: Option<String>,
    pub detected_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub started_by: Option<String>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub shipper: Option<String>,
    pub tag: Option<Tag>,
    /// The `approved` rule's verdict at ship time, and its detail.
    pub approval_rule: Option<String>,
    pub approvals: Vec<Approval>,
    pub reviewers: Vec<Person>,
    pub overrides: Vec<Override>,
    pub policy: Option<Policy>,
    pub deployments: Vec<Step>,
    pub verifications: Vec<Step>,
    pub rollbacks: Vec<Step>,
    pub retro: Option<Step>,
    pub actions: Actions,
    pub abandoned: Option<Step>,
    /// For a release that predates the tool: where its row came from (`hotfix import`), and
    /// who imported it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<Step>,
    /// Every step the discipline asks for that this hotfix lacks, in words.
    pub missing: Vec<String>,
}

/// The severity, as the shipper declared it at start: nothing proves it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Severity {
    pub value: Option<String>,
    /// Who declared it: the person who started the hotfix.
    pub declared_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tag {
    pub name: String,
    pub commit: String,
    pub annotated: bool,
    pub tagger: Option<String>,
    pub tagged_at: Option<DateTime<Utc>>,
    /// `pgp`, `ssh` or `x509` when the tag carries a signature (present; `git tag -v` checks
    /// it), none when it is unsigned.
    pub signature: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Approval {
    pub name: String,
    pub source: String,
    pub verified: bool,
    /// Counted by `approved` when the hotfix shipped.
    pub counted: bool,
    /// Recorded after the ship.
    pub after_ship: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Person {
    pub name: String,
    pub source: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Override {
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Policy {
    pub source: String,
    pub commit: Option<String>,
    pub digest: Option<String>,
}

/// One recorded step: who recorded it, when, where, and what it says.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub by: String,
    pub at: DateTime<Utc>,
    pub env: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Actions {
    pub open: usize,
    pub of: usize,
}

fn step(e: &Event, env: Option<String>, detail: String) -> Step {
    Step {
        by: e.by.clone(),
        at: e.at,
        env,
        detail,
    }
}

/// The row of a recorded hotfix. `tag` is what its tag proves in this clone (none when the tag
/// is not here); `last_env` is the environment that counts as production.
pub fn row(record: &Record, tag: Option<&TagEvidence>, last_env: &str) -> Row {
    let started = record.started();
    let started_event = record.events.iter().find(|e| e.kind == "started");
    let shipped = record.shipped();
    let ship_time = record.ship_time();
    let shipped_event = record.events.iter().find(|e| e.kind == "shipped");
    let env_of = |e: Option<&str>| e.unwrap_or(last_env).to_string();

    let counted: Vec<&crate::ledger::ReviewerRecord> =
        shipped.iter().flat_map(|s| &s.approvers).collect();
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
                verifications.push(step(e, Some(env_of(v.env.as_deref())), detail));
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
                    rollbacks.push(step(e, Some(env_of(r.env.as_deref())), detail));
                }
            }
            "retro" if retro.is_none() => {
                let file = e.payload::<Retro>().map(|r| r.file).unwrap_or_default();
                retro = Some(step(e, None, file));
            }
            "abandoned" if abandoned.is_none() => {
                let why = e
                    .payload::<Abandoned>()
                    .and_then(|a| a.reason)
                    .unwrap_or_else(|| "no reason given".into());
                abandoned = Some(step(e, None, why));
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
    let tag_name = shipped.as_ref().map(|s| s.tag.clone()).or(record.tag());
    // A release from before the tool: the import file says what `started` and `shipped` would.
    let imported_event = record.events.iter().find(|e| e.kind == "imported");
    let imported = imported_event.and_then(|e| e.payload::<crate::ledger::Imported>());
    let from_import = started.is_none() && imported.is_some();
    let mut row = Row {
        id: record.id.clone(),
        record: true,
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
        tag: match (&tag_name, tag) {
            (Some(name), Some(ev)) => Some(tag_row(name, ev)),
            _ => None,
        },
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
        policy: shipped
            .as_ref()
            .and_then(|s| s.policy.clone())
            .map(|p| Policy {
                source: p.source,
                commit: p.commit,
                digest: p.digest,
            }),
        deployments,
        verifications,
        rollbacks,
        retro,
        actions,
        abandoned,
        imported: imported_event
            .zip(imported.as_ref())
            .map(|(e, i)| step(e, None, format!("imported from {}", i.source))),
        missing: Vec::new(),
    };
    row.missing = missing(&row, tag_name.as_deref(), last_env);
    row
}

fn tag_row(name: &str, ev: &TagEvidence) -> Tag {
    Tag {
        name: name.to_string(),
        commit: ev.commit.to_string(),
        annotated: ev.annotated,
        tagger: ev.tagger.clone(),
        tagged_at: DateTime::from_timestamp(ev.time, 0),
        signature: ev.signature.map(str::to_string),
    }
}

/// The row of a patch tag no record names.
pub fn untracked(name: &str, ev: &TagEvidence, line: String) -> Row {
    let tag = tag_row(name, ev);
    Row {
        id: name.to_string(),
        record: false,
        state: "no record".into(),
        line: Some(line),
        incident: None,
        severity: Severity {
            value: None,
            declared_by: None,
        },
        summary: None,
        detected_at: None,
        started_at: None,
        started_by: None,
        shipped_at: tag.tagged_at,
        shipper: tag.tagger.clone(),
        tag: Some(tag),
        approval_rule: None,
        approvals: Vec::new(),
        reviewers: Vec::new(),
        overrides: Vec::new(),
        policy: None,
        deployments: Vec::new(),
        verifications: Vec::new(),
        rollbacks: Vec::new(),
        retro: None,
        actions: Actions { open: 0, of: 0 },
        abandoned: None,
        imported: None,
        missing: vec![
            "no record: a patch release tagged without `hotfix`; nothing shows who decided, reviewed, approved, deployed or validated it".into(),
        ],
    }
}

/// Names each step the discipline asks for that the row lacks.
fn missing(row: &Row, tag_name: Option<&str>, last_env: &str) -> Vec<String> {
    let mut out = Vec::new();
    if row.abandoned.is_some() {
        return out;
    }
    if row.state == "skipped" {
        return out;
    }
    if row.incident.is_none() {
        out.push("no incident id".to_string());
    }
    if row.severity.value.is_none() {
        out.push("no severity declared".to_string());
    }
    if row.detected_at.is_none() {
        out.push("no detection time".to_string());
    }
    if row.shipped_at.is_none() {
        out.push("not shipped".to_string());
        return out;
    }
    match (tag_name, &row.tag) {
        (Some(name), None) => out.push(format!(
            "the tag {name} is not in this clone: fetch the tags to see what it proves"
        )),
        (None, _) => out.push("no tag recorded".to_string()),
        _ => {}
    }
    let overridden = |rule: &str| row.overrides.iter().any(|o| o.rule == rule);
    if row.reviewers.is_empty() && !overridden("reviewed") {
        out.push("no reviewer".to_string());
    }
    if let Some(rule) = &row.approval_rule {
        if !rule.starts_with("pass") && !rule.starts_with("skip") {
            out.push(format!("no approval that counted ({rule})"));
        }
    }
    if row.policy.is_none() {
        out.push(if row.imported.is_some() {
            "the policy in force was not recorded (shipped before hotfix, imported)".to_string()
        } else {
            "the policy in force was not recorded (shipped by an older hotfix)".to_string()
        });
    }
    let in_last = |s: &Step| s.env.as_deref().unwrap_or(last_env) == last_env;
    let deployed = row
        .deployments
        .iter()
        .any(|s| in_last(s) && !s.detail.starts_with("failed"));
    if !deployed {
        out.push(format!("not deployed to {last_env}"));
    }
    if !row.verifications.iter().any(in_last) {
        out.push(format!("not validated in {last_env}"));
    }
    if row.retro.is_none() {
        out.push("no retro".to_string());
    }
    if row.actions.open > 0 {
        out.push(format!(
            "{} of {} retro action item(s) open",
            row.actions.open, row.actions.of
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::parse_record;

    fn ev(time: i64, signature: Option<&'static str>) -> TagEvidence {
        TagEvidence {
            annotated: true,
            tagger: Some("Olga Oncall <olga@example.com>".into()),
            time,
            commit: crate::git::Oid::from_str("1111111111111111111111111111111111111111").unwrap(),
            signature,
        }
    }

    #[test]
    fn an_untracked_tag_is_no_record_and_says_so() {
        let r = untracked("v1.2.3", &ev(1_700_000_000, None), "1.2".into());
        assert!(!r.record);
        assert_eq!(r.state, "no record");
        assert!(r.missing[0].starts_with("no record"));
        assert_eq!(r.tag.unwrap().signature, None);
    }

    #[test]
    fn a_started_hotfix_names_what_it_lacks() {
        let text = r#"{"schema":1,"type":"started","id":"v1.0.1","at":"2026-03-01T10:00:00Z","by":"Olga <o@x>","base":"v1.0.0","base_commit":"00","branch":"hotfix/1.0.1","version":"1.0.1","line":"1.0","incident":null,"severity":"sev2","detected_at":null,"summary":null}"#;
        let record = parse_record("v1.0.1", text.as_bytes());
        let r = row(&record, None, "production");
        assert_eq!(r.severity.value.as_deref(), Some("sev2"));
        assert_eq!(r.severity.declared_by.as_deref(), Some("Olga <o@x>"));
        assert_eq!(
            r.missing,
            ["no incident id", "no detection time", "not shipped"]
        );
    }
}
