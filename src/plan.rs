//! The ship plan: what `hotfix ship` will do, as a value. A pure function builds it from the
//! facts (`Summary`), the policy's judgement (`Evaluation`), the configuration and what is known
//! of the remote; `ship` shows it, asks, then carries it out. `--dry-run` prints the same plan
//! the real run executes, so the two cannot drift apart. No I/O happens here.

use serde::Serialize;

use crate::config::{Config, Source};
use crate::ledger::{
    OverrideRecord, PolicyInForce, ReviewerRecord, RuleRecord, Shipped, Started, Stats,
};
use crate::policy::{self, Evaluation, Summary};
use crate::version::{Line, expand_line};

/// Where the line's release branch stands on the remote, against the hotfix head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseBranch {
    /// The remote has no such branch.
    Absent,
    /// It is at the hotfix head already.
    AtHead,
    /// The hotfix head contains it: the push fast-forwards it.
    FastForward,
    /// It holds commits the hotfix does not: it is left alone.
    Diverged,
}

/// What ship needs of the hotfix beyond the summary.
#[derive(Debug, Clone)]
pub struct Hotfix<'a> {
    pub id: &'a str,
    pub branch: &'a str,
    pub line: Line,
    pub base: &'a str,
    pub head: &'a str,
    pub started: Option<&'a Started>,
    /// Where the policy in force came from.
    pub policy: &'a Source,
}

/// What the tag message template receives.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TagContext {
    pub id: String,
    pub line: String,
    pub base: String,
    pub rollback_to: String,
    pub summary: Option<String>,
    pub incident: Option<String>,
    pub severity: Option<String>,
    pub picks: Vec<TagPick>,
    pub reviewers: Vec<String>,
    pub approvers: Vec<String>,
    pub overrides: Vec<OverrideRecord>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TagPick {
    pub subject: String,
    pub short: String,
    pub origin_short: Option<String>,
    pub clean: bool,
}

/// The one atomic push: its refspecs, and what it leaves out and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    pub specs: Vec<String>,
    pub notes: Vec<String>,
}

/// Everything `ship` does, in order: tag, record, push.
#[derive(Debug, Clone)]
pub struct ShipPlan {
    /// The picks, one line each, as the plan shows them.
    pub picks: Vec<String>,
    /// The tag to create, or `None` when the hotfix's tag is at the head already.
    pub tag: Option<TagContext>,
    /// The `shipped` event.
    pub shipped: Shipped,
    pub push: Push,
    /// The rules that fail: the plan is not carried out while there are any.
    pub failed: Vec<&'static str>,
    /// Overrides given for rules that do not fail, to warn about.
    pub unused_overrides: Vec<String>,
}

/// Lists what `ship --push` sends: hotfix branch, tag, release branch when it fast-forwards,
/// and the ledger.
pub fn push(hotfix: &Hotfix<'_>, config: &Config, release: ReleaseBranch) -> Push {
    let mut specs = vec![
        format!("refs/heads/{0}:refs/heads/{0}", hotfix.branch),
        format!("refs/tags/{0}:refs/tags/{0}", hotfix.id),
    ];
    let mut notes = Vec::new();
    let name = expand_line(&config.release.branch, hotfix.line);
    match release {
        ReleaseBranch::FastForward => specs.push(format!("{}:refs/heads/{name}", hotfix.head)),
        ReleaseBranch::Diverged => notes.push(format!(
            "{name} is left alone: it holds commits the hotfix does not, so it cannot fast-forward"
        )),
        ReleaseBranch::AtHead | ReleaseBranch::Absent => {}
    }
    let ledger = &config.release.ledger;
    specs.push(format!("refs/heads/{ledger}:refs/heads/{ledger}"));
    Push { specs, notes }
}

/// Says where the policy came from, as the `shipped` event records it.
pub fn policy_in_force(source: &Source) -> PolicyInForce {
    match source {
        Source::Default { commit } => PolicyInForce {
            source: "builtin".into(),
            commit: commit.clone(),
            blob: None,
            digest: None,
        },
        Source::Mainline {
            commit,
            blob,
            digest,
            ..
        } => PolicyInForce {
            source: "mainline".into(),
            commit: Some(commit.clone()),
            blob: Some(blob.clone()),
            digest: Some(digest.clone()),
        },
        Source::File { digest, .. } => PolicyInForce {
            source: "file".into(),
            commit: None,
            blob: None,
            digest: Some(digest.clone()),
        },
    }
}

/// Builds the ship plan.
pub fn plan(
    hotfix: &Hotfix<'_>,
    summary: &Summary,
    evaluation: &Evaluation,
    config: &Config,
    release: ReleaseBranch,
) -> ShipPlan {
    let commits: Vec<_> = summary.commits.iter().filter(|c| !c.is_merge()).collect();
    let records = |people: &[policy::Counted]| -> Vec<ReviewerRecord> {
        people
            .iter()
            .map(|r| ReviewerRecord {
                name: r.person.to_string(),
                source: r.source.clone(),
                verified: r.verified,
            })
            .collect()
    };
    let reviewers = records(&evaluation.reviewers);
    let approvers = records(&evaluation.approvers);
    let overrides: Vec<OverrideRecord> = evaluation
        .results
        .iter()
        .filter(|r| r.verdict == policy::Verdict::Overridden)
        .map(|r| OverrideRecord {
            rule: r.id.to_string(),
            reason: r.override_reason.clone().unwrap_or_default(),
        })
        .collect();
    let started = hotfix.started.cloned().unwrap_or_default();
    let tag = (summary.local_tag == policy::LocalTag::Free).then(|| TagContext {
        id: hotfix.id.to_string(),
        line: hotfix.line.to_string(),
        base: hotfix.base.to_string(),
        rollback_to: hotfix.base.to_string(),
        summary: started.summary.clone(),
        incident: started.incident.clone(),
        severity: started.severity.clone(),
        picks: commits
            .iter()
            .map(|c| {
                let origin_short = c
                    .provenance
                    .origin()
                    .map(|o| o[..o.len().min(10)].to_string());
                let clean = origin_short.is_none() || c.provenance.is_clean();
                TagPick {
                    subject: c.subject.clone(),
                    short: c.short.clone(),
                    origin_short,
                    clean,
                }
            })
            .collect(),
        reviewers: reviewers.iter().map(|r| r.name.clone()).collect(),
        approvers: approvers.iter().map(|r| r.name.clone()).collect(),
        overrides: overrides.clone(),
    });
    let (files, added, deleted) = policy::size(&summary.changes, config);
    let shipped = Shipped {
        tag: hotfix.id.to_string(),
        commit: hotfix.head.to_string(),
        rollback_to: hotfix.base.to_string(),
        stats: Stats {
            commits: commits.len(),
            files,
            added,
            deleted,
        },
        paths: summary.changes.iter().map(|c| c.path.clone()).collect(),
        tests: evaluation
            .tests
            .iter()
            .map(|t| t.path().to_string())
            .collect(),
        reviewers,
        approvers,
        rules: evaluation
            .results
            .iter()
            .map(|r| RuleRecord {
                id: r.id.to_string(),
                verdict: r.verdict.as_str().to_string(),
                detail: r.detail.clone(),
            })
            .collect(),
        overrides,
        tests_run: summary.tests_run.clone(),
        policy: Some(policy_in_force(hotfix.policy)),
    };
    ShipPlan {
        picks: commits
            .iter()
            .map(|c| format!("{} {} ({})", c.short, c.subject, c.provenance.describe()))
            .collect(),
        tag,
        shipped,
        push: push(hotfix, config, release),
        failed: evaluation.failed(),
        unused_overrides: evaluation
            .overrides_unused
            .iter()
            .map(|o| o.rule.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::Person;
    use crate::git::diff::FileChange;
    use crate::policy::{
        BaseInfo, CommitSummary, LocalTag, Override, Provenance, RemoteTag, Reviewer, evaluate,
    };

    fn summary() -> Summary {
        Summary {
            id: "v1.4.3".into(),
            base: BaseInfo {
                tag: "v1.4.2".into(),
                is_release: true,
                is_ancestor: true,
                riding: vec![],
            },
            head: "h".repeat(40),
            commits: vec![CommitSummary {
                id: "a".repeat(40),
                short: "aaaaaaa".into(),
                subject: "fix: crash".into(),
                author: Person::parse("Ann Author <ann@example.com>"),
                provenance: Provenance::Picked {
                    source: "s".repeat(40),
                    origin: "0123456789abcdef".repeat(2),
                    chain: vec![],
                    clean: true,
                    difference: None,
                },
                merge: None,
                paths: vec!["src/a.rs".into(), "tests/a.rs".into()],
            }],
            changes: vec![
                FileChange {
                    path: "src/a.rs".into(),
                    old_path: None,
                    added: 3,
                    deleted: 1,
                    binary: false,
                    added_lines: vec![],
                },
                FileChange {
                    path: "tests/a.rs".into(),
                    old_path: None,
                    added: 5,
                    deleted: 0,
                    binary: false,
                    added_lines: vec![],
                },
            ],
            reviewers: vec![
                Reviewer {
                    person: Person::parse("Rita <rita@example.com>"),
                    source: "flag".into(),
                    verified: false,
                    excluded: None,
                },
                Reviewer {
                    person: Person::parse("rita@example.com"),
                    source: "trailer".into(),
                    verified: false,
                    excluded: None,
                },
                Reviewer {
                    person: Person::parse("ann"),
                    source: "flag".into(),
                    verified: false,
                    excluded: None,
                },
            ],
            severity: None,
            approvals: Vec::new(),
            shipper: Some(Person::parse("Sam <sam@example.com>")),
            local_tag: LocalTag::Free,
            remote_tag: RemoteTag::Free,
            rollback_to: Some("v1.4.2".into()),
            tests_run: None,
            shipped_overrides: Vec::new(),
        }
    }

    const BUILTIN: Source = Source::Default { commit: None };

    fn hotfix(started: Option<&Started>) -> Hotfix<'_> {
        Hotfix {
            policy: &BUILTIN,
            id: "v1.4.3",
            branch: "hotfix/1.4.3",
            line: Line { major: 1, minor: 4 },
            base: "v1.4.2",
            head: "hhhhhhhhhh",
            started,
        }
    }

    #[test]
    fn the_record_holds_what_the_rules_decided() {
        let config = Config::default();
        let s = summary();
        let e = evaluate(&s, &config, &[]);
        let p = plan(&hotfix(None), &s, &e, &config, ReleaseBranch::Absent);
        assert!(p.failed.is_empty());
        // Rita counts once (flag and trailer name the same person); Ann is the author.
        assert_eq!(p.shipped.reviewers.len(), 1);
        assert_eq!(p.shipped.reviewers[0].name, "Rita <rita@example.com>");
        assert_eq!(p.shipped.reviewers[0].source, "flag");
        assert_eq!(p.shipped.tests, vec!["tests/a.rs".to_string()]);
        assert_eq!((p.shipped.stats.commits, p.shipped.stats.files), (1, 2));
        assert_eq!((p.shipped.stats.added, p.shipped.stats.deleted), (8, 1));
        assert_eq!(p.shipped.rules.len(), policy::RULES.len());
        assert!(p.shipped.overrides.is_empty());
        let tag = p.tag.expect("the tag is free, so the plan makes it");
        assert_eq!(tag.reviewers, vec!["Rita <rita@example.com>".to_string()]);
        assert_eq!(tag.picks[0].origin_short.as_deref(), Some("0123456789"));
        assert_eq!(
            p.picks,
            vec!["aaaaaaa fix: crash (clean, from 0123456789)".to_string()]
        );
    }

    #[test]
    fn overrides_are_recorded_only_where_they_bend_a_failing_rule() {
        let mut config = Config::default();
        config.policy.max_lines = 2;
        let s = summary();
        let o = |rule: &str| Override {
            rule: rule.into(),
            reason: "the customer is down".into(),
        };
        let e = evaluate(&s, &config, &[o("max-lines"), o("scope")]);
        let p = plan(&hotfix(None), &s, &e, &config, ReleaseBranch::Absent);
        assert!(p.failed.is_empty());
        assert_eq!(p.shipped.overrides.len(), 1);
        assert_eq!(p.shipped.overrides[0].rule, "max-lines");
        assert_eq!(p.unused_overrides, vec!["scope".to_string()]);
        assert_eq!(p.tag.expect("a tag").overrides, p.shipped.overrides);
        // Without the override the plan names the failing rule.
        let e = evaluate(&s, &config, &[]);
        let p = plan(&hotfix(None), &s, &e, &config, ReleaseBranch::Absent);
        assert_eq!(p.failed, vec!["max-lines"]);
    }

    #[test]
    fn the_push_fast_forwards_the_release_branch_only_when_it_can() {
        let config = Config::default();
        let h = hotfix(None);
        let p = push(&h, &config, ReleaseBranch::FastForward);
        assert_eq!(
            p.specs,
            vec![
                "refs/heads/hotfix/1.4.3:refs/heads/hotfix/1.4.3".to_string(),
                "refs/tags/v1.4.3:refs/tags/v1.4.3".to_string(),
                "hhhhhhhhhh:refs/heads/release/1.4".to_string(),
                "refs/heads/hotfix-ledger:refs/heads/hotfix-ledger".to_string(),
            ]
        );
        assert!(p.notes.is_empty());
        let p = push(&h, &config, ReleaseBranch::Diverged);
        assert_eq!(p.specs.len(), 3);
        assert!(p.notes[0].contains("release/1.4 is left alone"));
        assert_eq!(push(&h, &config, ReleaseBranch::AtHead).specs.len(), 3);
    }

    #[test]
    fn a_tag_already_at_the_head_is_not_made_again() {
        let config = Config::default();
        let mut s = summary();
        s.local_tag = LocalTag::AtHead;
        let started = Started {
            incident: Some("INC-7".into()),
            ..Started::default()
        };
        let e = evaluate(&s, &config, &[]);
        let p = plan(
            &hotfix(Some(&started)),
            &s,
            &e,
            &config,
            ReleaseBranch::Absent,
        );
        assert!(p.tag.is_none());
        assert_eq!(p.shipped.tag, "v1.4.3");
        let mut s = summary();
        s.local_tag = LocalTag::Free;
        let p = plan(
            &hotfix(Some(&started)),
            &s,
            &e,
            &config,
            ReleaseBranch::Absent,
        );
        assert_eq!(p.tag.expect("a tag").incident.as_deref(), Some("INC-7"));
    }
}
