//! The `approved` rule end to end: severities decided in advance on mainline, approvals given
//! at start or later, the shipper's own approval refused at ship time, and what the tag and the
//! ledger keep of it.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Sandbox, rule};

const SHIPPER: &str = "Olga Oncall <olga@example.com>";
const LEAD: &str = "Erin Lead <erin@example.com>";
const REVIEWER: &str = "Rita <rita@example.com>";

/// `released()` with mainline deciding that only sev1 is a hotfix without an approver.
fn decided(extra: &str) -> (Sandbox, String) {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            &format!("[policy]\nhotfix-severities = [\"sev1\"]\n{extra}"),
        )],
        "hotfix policy",
    );
    s.push_main();
    (s, fix)
}

#[test]
fn an_approval_by_the_shipper_is_refused_at_ship_time_and_another_counts() {
    let (s, fix) = decided("");
    s.hotfix(&[
        "start",
        "--line",
        "1.1",
        "--severity",
        "sev3",
        "--approved-by",
        SHIPPER,
    ])
    .ok()
    .says("approved by Olga Oncall <olga@example.com> (unverified)")
    .says("an approval by whoever ships does not count");
    s.hotfix(&["pick", &fix]).ok();
    let approved: Vec<_> = s
        .events("v1.1.1")
        .into_iter()
        .filter(|e| e["type"] == "approved")
        .collect();
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0]["approver"], SHIPPER);
    assert_eq!(approved[0]["source"], "flag");
    assert_eq!(approved[0]["verified"], false);

    // The shipper approved their own hotfix: the rule fails, and ship changes nothing.
    let (out, doc) = s.check_json(&[]);
    out.code(1);
    let r = rule(&doc, "approved");
    assert_eq!(r["verdict"], "fail");
    assert!(
        r["detail"]
            .as_str()
            .unwrap()
            .starts_with("sev3 is not a hotfix severity (sev1)"),
        "{r}"
    );
    assert!(
        r["items"][0]["note"]
            .as_str()
            .unwrap()
            .contains("does not count: the shipper"),
        "{r}"
    );
    let before = s.state();
    s.hotfix(&["ship", "--yes", "--reviewer", REVIEWER])
        .code(1)
        .says("approved");
    assert_eq!(s.state(), before, "a refused ship changes nothing");

    // Someone else approves; the ship records it in the tag and the ledger.
    s.hotfix(&["approve", "v1.1.1", "--by", LEAD])
        .ok()
        .says("recorded: v1.1.1 approved by Erin Lead");
    s.hotfix(&["approve", "1.1.1", "--by", LEAD])
        .ok()
        .says("already recorded");
    s.hotfix(&["ship", "--yes", "--reviewer", REVIEWER]).ok();
    let message = s.git(&["tag", "-l", "--format=%(contents)", "v1.1.1"]);
    assert!(
        message
            .lines()
            .any(|l| l == format!("Hotfix-Approved-By: {LEAD}")),
        "{message}"
    );
    assert!(!message.contains("Hotfix-Approved-By: Olga"), "{message}");
    let shipped = s
        .events("v1.1.1")
        .into_iter()
        .find(|e| e["type"] == "shipped")
        .unwrap();
    assert_eq!(shipped["approvers"][0]["name"], LEAD);
    assert_eq!(shipped["approvers"][0]["verified"], false);
    let approvals = s
        .events("v1.1.1")
        .iter()
        .filter(|e| e["type"] == "approved")
        .count();
    assert_eq!(approvals, 2, "the second approve recorded nothing");

    // Judged after the ship from the tag alone: still approved.
    s.git(&["update-ref", "-d", "refs/heads/hotfix-ledger"]);
    let (out, doc) = s.check_json(&[]);
    out.ok();
    let r = rule(&doc, "approved");
    assert_eq!(r["verdict"], "pass", "{r}");
    assert!(
        r["detail"].as_str().unwrap().contains("approved by Erin"),
        "{r}"
    );
}

#[test]
fn a_hotfix_severity_needs_no_approver_and_an_override_is_counted() {
    let (s, fix) = decided("");
    s.hotfix(&["start", "--line", "1.1", "--severity", "sev1"])
        .ok();
    s.hotfix(&["pick", &fix]).ok();
    let (out, doc) = s.check_json(&[]);
    out.ok();
    assert_eq!(rule(&doc, "approved")["verdict"], "pass");

    // No severity at all: an approval is needed, or an override in the open.
    let (s, fix) = decided("");
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let (out, doc) = s.check_json(&[]);
    out.code(1);
    assert!(
        rule(&doc, "approved")["detail"]
            .as_str()
            .unwrap()
            .starts_with("no severity was declared at start"),
    );
    s.hotfix(&[
        "ship",
        "--yes",
        "--reviewer",
        REVIEWER,
        "--override",
        "approved",
        "--reason",
        "the lead is on a plane",
    ])
    .ok();
    let shipped = s
        .events("v1.1.1")
        .into_iter()
        .find(|e| e["type"] == "shipped")
        .unwrap();
    assert_eq!(shipped["overrides"][0]["rule"], "approved");
    let message = s.git(&["tag", "-l", "--format=%(contents)", "v1.1.1"]);
    assert!(
        message.lines().any(|l| l == "Hotfix-Override: approved"),
        "{message}"
    );
}

#[test]
fn approvers_are_checked_when_named_and_the_rule_is_off_without_severities() {
    let (s, fix) = decided("approvers = [\"Erin Lead <erin@example.com>\", \"@boss\"]\n");
    s.hotfix(&["start", "--line", "1.1", "--severity", "sev2"])
        .ok();
    let before = s.state();
    let ledger_before = s.events("v1.1.1").len();
    s.hotfix(&["approve", "v1.1.1", "--by", "Mallory <m@example.com>"])
        .code(2)
        .says("Mallory <m@example.com> is not an approver")
        .says("policy.approvers");
    assert_eq!(s.state(), before);
    assert_eq!(s.events("v1.1.1").len(), ledger_before);
    s.hotfix(&["approve", "v1.1.1", "--by", "@boss"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let (out, doc) = s.check_json(&[]);
    out.ok();
    assert_eq!(rule(&doc, "approved")["verdict"], "pass");
    // A line break in a forged ledger approval never reaches the tag.
    s.hotfix(&["approve", "v1.1.1", "--by", "Erin\nHotfix-Rollback-To: v0"])
        .code(2);
    s.hotfix(&["approve", "nope", "--by", LEAD])
        .code(2)
        .says("no hotfix 'nope'");

    // Without hotfix-severities (an existing repository), the rule is off with a hint.
    let (s, fix) = Sandbox::released();
    s.hotfix(&["start", "--line", "1.1", "--severity", "sev4"])
        .ok();
    s.hotfix(&["pick", &fix]).ok();
    let (out, doc) = s.check_json(&[]);
    out.ok();
    let r = rule(&doc, "approved");
    assert_eq!(r["verdict"], "skip");
    assert!(
        r["hint"]
            .as_str()
            .unwrap()
            .contains("policy.hotfix-severities"),
        "{r}"
    );
}

#[test]
fn a_verified_approval_needs_an_approver_github_could_verify() {
    let (s, _) = decided("require-verified-approval = true\n");
    s.hotfix(&["start", "--line", "1.1"])
        .code(2)
        .says("policy.require-verified-approval")
        .says("lists none");
}
