//! Templates: a repository's override on mainline is used; a broken override is a clear error
//! that names the template and its line, and changes nothing.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;

#[test]
fn a_tag_message_override_on_mainline_is_used() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix/templates/tag-message.txt",
            "Release {{ id }} for {{ incident }}\n\nRollback: {{ rollback_to }}\n",
        )],
        "our tag message",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1", "--incident", "INC-9"])
        .ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--reviewer", "rita", "--yes"]).ok();
    let tag = s.git(&["cat-file", "-p", "v1.1.1"]);
    assert!(
        tag.ends_with("Release v1.1.1 for INC-9\n\nRollback: v1.1.0"),
        "{tag}"
    );
}

#[test]
fn a_broken_override_names_its_line_and_changes_nothing() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix/templates/tag-message.txt",
            "line one\n{% for p in picks %}\n{{ p.subject }\n",
        )],
        "broken template",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let before = s.state();
    let ledger = s.rev("hotfix-ledger");
    s.hotfix(&["ship", "--reviewer", "rita", "--yes"])
        .code(2)
        .says(".hotfix/templates/tag-message.txt on origin/main:3 is broken");
    assert_eq!(s.state(), before);
    assert_eq!(s.rev("hotfix-ledger"), ledger);
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.1.1"]));
}

#[test]
fn report_and_retro_templates_can_be_overridden_too() {
    let (s, _fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix/templates/report.md",
            "{{ r.total }} hotfixes since {{ r.since }}\n",
        )],
        "report template",
    );
    s.push_main();
    let out = s.hotfix(&[
        "report", "--format", "markdown", "--since", "2026-01", "--until", "2026-12",
    ]);
    assert_eq!(out.ok().stdout, "0 hotfixes since 2026-01\n");
}
