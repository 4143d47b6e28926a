//! `hotfix runbook`: the runbook is written from the policy in force on mainline, so what it
//! says matches what the gate enforces.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;

#[test]
fn the_runbook_says_this_repositorys_policy_and_deploy() {
    let (s, _) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            "[policy]\nmax-lines = 42\nmax-files = 3\nhotfix-severities = [\"sev1\"]\napprovers = [\"Erin Lead <erin@example.com>\", \"@boss\"]\ndeny = [\"migrations/**\"]\n[deploy]\nenvironments = [\"staging\", \"production\"]\ncommand = \"./deploy.sh\"\nhealth-check = \"curl -fsS localhost/health\"\n[release]\nledger = \"audit-trail\"\n",
        )],
        "policy",
    );
    s.push_main();
    let out = s.hotfix(&["runbook"]);
    out.ok();
    let text = &out.stdout;
    for expected in [
        "from the policy in .hotfix.toml on origin/main",
        "These severities are hotfixes: sev1.",
        "one of Erin Lead <erin@example.com>, @boss",
        "at most 5 commit(s), 3 file(s) and 42 changed line(s)",
        "never paths matching migrations/**",
        "deploys to staging, then production",
        "It runs `./deploy.sh`",
        "`curl -fsS localhost/health` until it passes",
        "rolls back by itself",
        "hotfix rollback ID --env production",
        "the branch `audit-trail` on `origin`",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(!text.contains("{{"), "{text}");

    // --output writes the file, and no ref moves.
    let before = s.refs();
    s.hotfix(&["runbook", "--output", "docs/runbook.md"])
        .ok()
        .says("wrote docs/runbook.md");
    assert_eq!(s.read("docs/runbook.md"), *text);
    assert_eq!(s.refs(), before);

    // A template on mainline replaces the built-in one.
    s.commit(
        &[(
            ".hotfix/templates/runbook.md",
            "Ours: {{ policy.max_lines }} lines, approvers {{ policy.approvers | length }}\n",
        )],
        "our runbook",
    );
    s.push_main();
    s.hotfix(&["runbook"])
        .ok()
        .says("Ours: 42 lines, approvers 2");
}

#[test]
fn without_decided_severities_or_deploy_it_says_what_to_decide_and_record() {
    let (s, _) = Sandbox::released();
    let out = s.hotfix(&["runbook"]);
    out.ok();
    assert!(
        out.stdout.contains("`policy.hotfix-severities` is not"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("hotfix deployed ID --env production"));
    assert!(out.stdout.contains("hotfix verify ID --env production"));
    s.hotfix(&["init"]).ok().says("hotfix runbook --output");
}
