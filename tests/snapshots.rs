//! What users read, snapshotted with insta: `--help` of every command, `status` at each stage of
//! a hotfix, and the ship plan. Review every change with `cargo insta review`.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;

const COMMANDS: &[&str] = &[
    "init",
    "start",
    "pick",
    "status",
    "check",
    "ship",
    "approve",
    "pr",
    "list",
    "show",
    "sync",
    "deploy",
    "deployed",
    "verify",
    "rollback",
    "abandon",
    "retro",
    "runbook",
    "report",
    "audit",
    "import",
    "demo",
    "completions",
    "man",
];

#[test]
fn help_of_every_command() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help", s.hotfix(&["--help"]).ok().stdout.as_str());
    for c in COMMANDS {
        let out = s.hotfix(&[c, "--help"]);
        out.ok();
        assert!(
            out.stdout.contains("Example"),
            "`hotfix {c} --help` shows an example:\n{}",
            out.stdout
        );
        insta::assert_snapshot!(format!("help-{c}"), out.stdout.as_str());
    }
}

#[test]
fn status_at_each_stage_and_the_ship_plan() {
    let (s, fix) = Sandbox::released();
    s.hotfix(&[
        "start",
        "--incident",
        "INC-7",
        "--severity",
        "sev2",
        "--detected-at",
        "45m ago",
    ])
    .ok();
    insta::assert_snapshot!("status-started", s.hotfix(&["status"]).ok().stdout.as_str());
    s.hotfix(&["pick", &fix]).ok();
    insta::assert_snapshot!("status-picked", s.hotfix(&["status"]).ok().stdout.as_str());
    insta::assert_snapshot!(
        "ship-plan",
        s.hotfix(&["ship", "--reviewer", "Rita <rita@example.com>", "--dry-run"])
            .ok()
            .stdout
            .as_str()
    );
    s.hotfix(&["ship", "--reviewer", "Rita <rita@example.com>", "--yes"])
        .ok();
    insta::assert_snapshot!("status-shipped", s.hotfix(&["status"]).ok().stdout.as_str());
}
