//! The audit's document: the rows with their period and totals (JSON, and what the markdown and
//! HTML templates receive), and its CSV.

use serde::Serialize;

use crate::audit::Row;
use crate::metrics::Month;

#[derive(Debug, Serialize)]
pub struct Document<'a> {
    pub schema: u32,
    pub since: Month,
    pub until: Month,
    /// The environment that counts as production (the last of `deploy.environments`).
    pub production: &'a str,
    /// Where today's policy comes from (each row names the policy it shipped under).
    pub policy_now: String,
    pub totals: Totals,
    pub hotfixes: &'a [Row],
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub rows: usize,
    /// Patch tags without a record.
    pub no_record: usize,
    /// Rows with at least one missing step.
    pub incomplete: usize,
    pub overridden: usize,
    pub unsigned_tags: usize,
}

impl<'a> Document<'a> {
    pub fn new(
        rows: &'a [Row],
        since: Month,
        until: Month,
        production: &'a str,
        policy_now: &impl std::fmt::Display,
    ) -> Document<'a> {
        Document {
            schema: 1,
            since,
            until,
            production,
            policy_now: policy_now.to_string(),
            totals: Totals {
                rows: rows.len(),
                no_record: rows.iter().filter(|r| !r.record).count(),
                incomplete: rows.iter().filter(|r| !r.missing.is_empty()).count(),
                overridden: rows.iter().filter(|r| !r.overrides.is_empty()).count(),
                unsigned_tags: rows
                    .iter()
                    .filter(|r| r.tag.as_ref().is_some_and(|t| t.signature.is_none()))
                    .count(),
            },
            hotfixes: rows,
        }
    }
}

/// The document as the markdown template reads it: every string from the ledger or a tag made
/// safe for a table cell (`|` escaped, line breaks as spaces), so a reason cannot add a column
/// or a row.
pub fn for_markdown(doc: &Document) -> serde_json::Value {
    fn cellsafe(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::String(s) => Value::String(s.replace('|', "\\|").replace(['\n', '\r'], " ")),
            Value::Array(a) => Value::Array(a.into_iter().map(cellsafe).collect()),
            Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, v)| (k, cellsafe(v))).collect())
            }
            other => other,
        }
    }
    cellsafe(serde_json::to_value(doc).expect("serializes"))
}

/// One line per row; lists joined with `; `; an empty cell says `none`, so nothing is blank.
pub fn csv(rows: &[Row]) -> String {
    let header = [
        "id",
        "record",
        "state",
        "line",
        "incident",
        "severity (declared by the shipper)",
        "severity declared by",
        "detected at",
        "started at",
        "shipped at",
        "shipper",
        "tag",
        "tag signed",
        "approval rule",
        "approvers",
        "reviewers",
        "overrides",
        "policy in force",
        "deployed",
        "validated",
        "rollbacks",
        "retro",
        "open action items",
        "missing",
        "imported",
    ];
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    };
    let list = |items: Vec<String>| (!items.is_empty()).then(|| items.join("; "));
    let verified = |v: bool| if v { "verified" } else { "unverified" };
    let steps = |steps: &[crate::audit::Step]| {
        list(
            steps
                .iter()
                .map(|s| {
                    format!(
                        "{}{} by {} at {}",
                        s.env
                            .as_deref()
                            .map(|e| format!("{e}: "))
                            .unwrap_or_default(),
                        s.detail,
                        s.by,
                        s.at.format("%Y-%m-%dT%H:%M:%SZ")
                    )
                })
                .collect(),
        )
    };
    let mut out = header.join(",") + "\n";
    for r in rows {
        let cells: Vec<Option<String>> = vec![
            Some(r.id.clone()),
            Some(if r.record { "yes" } else { "no record" }.into()),
            Some(r.state.clone()),
            r.line.clone(),
            r.incident.clone(),
            r.severity.value.clone(),
            r.severity.declared_by.clone(),
            time(r.detected_at),
            time(r.started_at),
            time(r.shipped_at),
            r.shipper.clone(),
            r.tag.as_ref().map(|t| t.name.clone()),
            r.tag.as_ref().map(|t| {
                t.signature
                    .clone()
                    .unwrap_or_else(|| "unsigned".to_string())
            }),
            r.approval_rule.clone(),
            list(
                r.approvals
                    .iter()
                    .map(|a| {
                        format!(
                            "{} ({}, {}{}{})",
                            a.name,
                            a.source,
                            verified(a.verified),
                            if a.counted { ", counted" } else { "" },
                            if a.after_ship { ", after the ship" } else { "" }
                        )
                    })
                    .collect(),
            ),
            list(
                r.reviewers
                    .iter()
                    .map(|p| format!("{} ({}, {})", p.name, p.source, verified(p.verified)))
                    .collect(),
            ),
            list(
                r.overrides
                    .iter()
                    .map(|o| format!("{}: {}", o.rule, o.reason))
                    .collect(),
            ),
            r.policy.as_ref().map(|p| {
                let mut s = p.source.clone();
                if let Some(c) = &p.commit {
                    s.push_str(&format!(" at {}", &c[..c.len().min(12)]));
                }
                if let Some(d) = &p.digest {
                    s.push_str(&format!(" ({d})"));
                }
                s
            }),
            steps(&r.deployments),
            steps(&r.verifications),
            steps(&r.rollbacks),
            r.retro
                .as_ref()
                .map(|s| format!("{} by {} at {}", s.detail, s.by, s.at.format("%Y-%m-%d"))),
            Some(format!("{} of {}", r.actions.open, r.actions.of)),
            list(r.missing.clone()),
            r.imported
                .as_ref()
                .map(|s| format!("{} by {} at {}", s.detail, s.by, s.at.format("%Y-%m-%d"))),
        ];
        let line: Vec<String> = cells
            .into_iter()
            .map(|c| cell(c.as_deref().unwrap_or("none")))
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// A CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return first) gets a leading `'`: the text comes from commits and
/// the ledger, which anyone who can push writes.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
    }

    #[test]
    fn markdown_cells_cannot_add_columns_or_rows() {
        let rows = [crate::audit::untracked(
            "v1.0.1",
            &crate::git::TagEvidence {
                annotated: true,
                tagger: Some("Eve | x\n| forged | row".into()),
                time: 0,
                commit: crate::git::Oid::from_str("1111111111111111111111111111111111111111")
                    .unwrap(),
                signature: None,
            },
            "1.0".into(),
        )];
        let m = Month::parse("2026-01").unwrap();
        let doc = Document::new(&rows, m, m, "production", &"builtin");
        let v = for_markdown(&doc);
        assert_eq!(v["hotfixes"][0]["shipper"], "Eve \\| x \\| forged \\| row");
    }
}
