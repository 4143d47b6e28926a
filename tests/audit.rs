//! `hotfix audit` against hotfixes made end to end: each field of the evidence is checked
//! against what was done, the missing steps are named, and a patch tag made without `hotfix`
//! is listed as "no record".

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;
use serde_json::Value;

const LEAD: &str = "Erin Lead <erin@example.com>";
const REVIEWER: &str = "Rita <rita@example.com>";
const SHIPPER: &str = "Olga Oncall <olga@example.com>";
const PERIOD: [&str; 4] = ["--since", "2026-01", "--until", "2026-06"];

fn audit(s: &Sandbox, format: &str) -> String {
    let mut args = vec!["audit", "--format", format];
    args.extend(PERIOD);
    let out = s.hotfix(&args);
    out.ok();
    out.stdout.clone()
}

fn row<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["hotfixes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id} in {doc}"))
}

/// An ssh key and the git config that signs tags with it.
fn ssh_signing(s: &Sandbox) -> Vec<String> {
    let key = s.home().join("signing_key");
    let status = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "olga", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs (openssh-client)");
    assert!(status.success());
    vec![
        "-c".into(),
        "gpg.format=ssh".into(),
        "-c".into(),
        format!("user.signingkey={}", key.display()),
    ]
}

#[test]
fn every_field_matches_what_was_done_and_missing_steps_are_named() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            "[policy]\nhotfix-severities = [\"sev1\"]\n[deploy]\nenvironments = [\"staging\", \"production\"]\n",
        )],
        "policy",
    );
    s.push_main();
    let policy_commit = s.rev("origin/main");

    // v1.1.1: sev3 (needs an approver), approved, reviewed, deployed, validated, a retro with
    // an open item; then rolled back in production.
    s.hotfix(&[
        "start",
        "--line",
        "1.1",
        "--incident",
        "INC-7",
        "--severity",
        "sev3",
        "--detected-at",
        "2026-03-10T11:15:00Z",
        "--approved-by",
        LEAD,
    ])
    .ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", REVIEWER, "--push"])
        .ok();
    for env in ["staging", "production"] {
        s.hotfix(&["deployed", "v1.1.1", "--env", env]).ok();
        s.hotfix(&[
            "verify",
            "v1.1.1",
            "--env",
            env,
            "--note",
            "checkout answers 200",
        ])
        .ok();
    }
    s.hotfix(&["retro", "v1.1.1", "--output", "retro.md"]).ok();
    s.hotfix(&["retro", "v1.1.1", "--action", "alert on 5xx"])
        .ok();
    s.hotfix(&[
        "rollback",
        "v1.1.1",
        "--env",
        "production",
        "--reason",
        "errors | up again",
    ])
    .ok();

    // v1.0.1 is tagged by hand, signed, with no record; v1.0.2 is started and no more.
    let mut tag = ssh_signing(&s);
    tag.extend(
        ["tag", "-s", "-m", "quick fix", "v1.0.1", "v1.0.0^{commit}"]
            .iter()
            .map(|a| a.to_string()),
    );
    s.git(&tag.iter().map(String::as_str).collect::<Vec<_>>());
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.0", "--severity", "sev1"])
        .ok();

    let doc: Value = serde_json::from_str(&audit(&s, "json")).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["production"], "production");
    assert_eq!(doc["totals"]["rows"], 3, "{}", doc["totals"]);
    assert_eq!(doc["totals"]["no_record"], 1);
    assert_eq!(
        doc["totals"]["unsigned_tags"], 1,
        "v1.1.1's tag is not signed"
    );

    let h = row(&doc, "v1.1.1");
    assert_eq!(h["record"], true);
    assert_eq!(h["state"], "rolled back");
    assert_eq!(h["line"], "1.1");
    assert_eq!(h["incident"], "INC-7");
    assert_eq!(h["severity"]["value"], "sev3");
    assert_eq!(h["severity"]["declared_by"], SHIPPER);
    assert_eq!(h["detected_at"], "2026-03-10T11:15:00Z");
    assert_eq!(h["started_at"], "2026-03-10T12:00:00Z");
    assert_eq!(h["started_by"], SHIPPER);
    assert_eq!(h["shipper"], SHIPPER);
    assert_eq!(h["tag"]["name"], "v1.1.1");
    assert_eq!(h["tag"]["commit"], s.rev("v1.1.1^{commit}"));
    assert_eq!(h["tag"]["annotated"], true);
    assert_eq!(h["tag"]["signature"], Value::Null);
    assert_eq!(h["tag"]["tagger"], SHIPPER);
    assert_eq!(h["approvals"][0]["name"], LEAD);
    assert_eq!(h["approvals"][0]["verified"], false);
    assert_eq!(h["approvals"][0]["counted"], true);
    assert_eq!(h["approvals"][0]["after_ship"], false);
    assert!(
        h["approval_rule"].as_str().unwrap().starts_with("pass"),
        "{}",
        h["approval_rule"]
    );
    assert_eq!(h["reviewers"][0]["name"], REVIEWER);
    assert_eq!(h["reviewers"][0]["source"], "flag");
    assert_eq!(h["reviewers"][0]["verified"], false);
    assert_eq!(h["overrides"], serde_json::json!([]));
    assert_eq!(h["policy"]["source"], "mainline");
    assert_eq!(h["policy"]["commit"], policy_commit);
    assert!(
        h["policy"]["digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let envs = |key: &str| -> Vec<String> {
        h[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {} {}", d["env"].as_str().unwrap(), d["by"], d["detail"]))
            .collect()
    };
    assert_eq!(
        envs("deployments"),
        [
            format!("staging \"{SHIPPER}\" \"deployed (recorded by hand)\""),
            format!("production \"{SHIPPER}\" \"deployed (recorded by hand)\""),
        ]
    );
    assert_eq!(
        envs("verifications"),
        [
            format!("staging \"{SHIPPER}\" \"checkout answers 200\""),
            format!("production \"{SHIPPER}\" \"checkout answers 200\""),
        ]
    );
    assert_eq!(h["rollbacks"].as_array().unwrap().len(), 1);
    assert_eq!(h["rollbacks"][0]["env"], "production");
    assert_eq!(h["rollbacks"][0]["detail"], "to v1.1.0: errors | up again");
    assert_eq!(h["retro"]["detail"], "retro.md");
    assert_eq!(h["actions"], serde_json::json!({"open": 1, "of": 1}));
    assert_eq!(
        h["missing"],
        serde_json::json!(["1 of 1 retro action item(s) open"])
    );

    let t = row(&doc, "v1.0.1");
    assert_eq!(t["record"], false);
    assert_eq!(t["state"], "no record");
    assert_eq!(t["tag"]["signature"], "ssh");
    assert_eq!(t["tag"]["commit"], s.rev("v1.0.0^{commit}"));
    assert!(t["missing"][0].as_str().unwrap().starts_with("no record"));

    let open = row(&doc, "v1.0.2");
    assert_eq!(open["state"], "in progress");
    assert!(
        open["incident"].as_str().unwrap().starts_with("INC-"),
        "start names one"
    );
    assert_eq!(
        open["missing"],
        serde_json::json!(["no detection time", "not shipped"])
    );

    // CSV: a header and one line per row; nothing blank; the reason's | kept, quoted where needed.
    let csv = audit(&s, "csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[0].starts_with("id,record,state,line,incident,severity (declared by the shipper)")
    );
    let v111 = lines.iter().find(|l| l.starts_with("v1.1.1,")).unwrap();
    assert!(
        v111.contains("production: to v1.1.0: errors | up again"),
        "{v111}"
    );
    assert!(!v111.contains(",,"), "no blank cell: {v111}");
    assert!(lines.iter().any(|l| l.starts_with("v1.0.1,no record,")));

    // Markdown: one section each; the | in the reason cannot add a column.
    let md = audit(&s, "markdown");
    assert!(md.contains("## v1.0.1: no record"), "{md}");
    assert!(
        md.contains("sev3 (declared by the shipper: Olga Oncall"),
        "{md}"
    );
    assert!(md.contains("errors \\| up again"), "{md}");
    assert!(md.contains("| Tag | v1.0.1 at"), "{md}");
    assert!(md.contains("signed (ssh)"), "{md}");

    // HTML escapes what it shows.
    let html = audit(&s, "html");
    assert!(html.contains("<table id=\"audit\">"));
    assert!(
        html.contains("Erin Lead &lt;erin@example.com&gt;"),
        "{html}"
    );
}

#[test]
fn an_override_and_an_approval_after_the_ship_are_shown_as_such() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(".hotfix.toml", "[policy]\nhotfix-severities = [\"sev1\"]\n")],
        "policy",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
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
    s.hotfix(&["approve", "v1.1.1", "--by", LEAD]).ok();
    let doc: Value = serde_json::from_str(&audit(&s, "json")).unwrap();
    let h = row(&doc, "v1.1.1");
    assert_eq!(
        h["overrides"],
        serde_json::json!([{"rule": "approved", "reason": "the lead is on a plane"}])
    );
    assert_eq!(h["approvals"][0]["counted"], false);
    assert_eq!(h["approvals"][0]["after_ship"], true);
    assert_eq!(h["severity"]["value"], Value::Null);
    let missing: Vec<&str> = h["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(missing.contains(&"no severity declared"), "{missing:?}");
    assert!(
        missing.contains(&"not deployed to production"),
        "{missing:?}"
    );
    assert!(
        missing.contains(&"not validated in production"),
        "{missing:?}"
    );
    assert!(missing.contains(&"no retro"), "{missing:?}");
    assert!(
        missing
            .iter()
            .any(|m| m.starts_with("no approval that counted (overridden")),
        "{missing:?}"
    );
    assert_eq!(doc["totals"]["overridden"], 1);

    // Bad months are refused with how to write them, and nothing is printed.
    s.hotfix(&["audit", "--since", "2026-13"])
        .code(2)
        .says("is not a month");
    s.hotfix(&["audit", "--since", "2026-06", "--until", "2026-01"])
        .code(2)
        .says("is after");
}
