//! The audit evidence of emergency changes: one row per hotfix, from its record and what its
//! tag proves, with every step that is missing named. Pure: the command reads the ledger (each
//! record's `ledger::Trail`) and the tags, this decides what they show.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::git::TagEvidence;
pub use crate::ledger::{Actions, Approval, Override, Person, Policy, Severity, Step, Trail};

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
    pub policy: Option<Box<Policy>>,
    pub deployments: Vec<Step>,
    pub verifications: Vec<Step>,
    pub rollbacks: Vec<Step>,
    pub retro: Option<Box<Step>>,
    pub actions: Actions,
    pub abandoned: Option<Box<Step>>,
    /// For a release that predates the tool: where its row came from (`hotfix import`), and
    /// who imported it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<Box<Step>>,
    /// Every step the discipline asks for that this hotfix lacks, in words.
    pub missing: Vec<String>,
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

/// The row of a recorded hotfix: its trail (`ledger::trail`, from the record or the ledger's
/// audit index), what its tag proves in this clone (none when the tag is not here), and
/// `last_env`, the environment that counts as production.
pub fn row(id: String, trail: Trail, tag: Option<&TagEvidence>, last_env: &str) -> Row {
    // Validations and rollbacks written before environments count for production.
    let in_production = |mut steps: Vec<Step>| {
        for s in &mut steps {
            s.env.get_or_insert_with(|| last_env.to_string());
        }
        steps
    };
    let mut row = Row {
        id,
        record: true,
        state: trail.state,
        line: trail.line,
        incident: trail.incident,
        severity: trail.severity,
        summary: trail.summary,
        detected_at: trail.detected_at,
        started_at: trail.started_at,
        started_by: trail.started_by,
        shipped_at: trail.shipped_at,
        shipper: trail.shipper,
        tag: match (&trail.tag, tag) {
            (Some(name), Some(ev)) => Some(tag_row(name, ev)),
            _ => None,
        },
        approval_rule: trail.approval_rule,
        approvals: trail.approvals,
        reviewers: trail.reviewers,
        overrides: trail.overrides,
        policy: trail.policy,
        deployments: trail.deployments,
        verifications: in_production(trail.verifications),
        rollbacks: in_production(trail.rollbacks),
        retro: trail.retro,
        actions: trail.actions,
        abandoned: trail.abandoned,
        imported: trail.imported,
        missing: Vec::new(),
    };
    row.missing = missing(&row, trail.tag.as_deref(), last_env);
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
    use crate::ledger::{parse_record, trail};

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
        let r = row(record.id.clone(), trail(&record), None, "production");
        assert_eq!(r.severity.value.as_deref(), Some("sev2"));
        assert_eq!(r.severity.declared_by.as_deref(), Some("Olga <o@x>"));
        assert_eq!(
            r.missing,
            ["no incident id", "no detection time", "not shipped"]
        );
    }
}
