//! The interactive flows, driven in a real pseudo-terminal (rexpect): `hotfix pick` with no
//! argument filters mainline's commits, ticks two and confirms; `hotfix ship` answered No
//! changes nothing. Without a terminal the same commands fail with exit code 2 and name the
//! flag to pass.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::process::Command;

use common::Sandbox;
use rexpect::session::{PtySession, spawn_command};

const DOWN: &str = "\x1b[B";

/// Sends keys and flushes them, with a pause so the prompt reads them one at a time.
fn keys(p: &mut PtySession, k: &str) {
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send(k).unwrap();
    p.flush().unwrap();
}

fn pty(s: &Sandbox, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotfix"));
    common::hermetic(&mut cmd, &s.home());
    cmd.env("TERM", "xterm").current_dir(&s.work).args(args);
    spawn_command(cmd, Some(20_000)).unwrap()
}

/// Three fixes on mainline after the release, and one feature.
fn with_fixes() -> (Sandbox, Vec<String>) {
    let (s, crash) = Sandbox::released();
    let a = s.commit(
        &[("src/a.txt", "a\n"), ("tests/a_test.txt", "a\n")],
        "fix: rounding of totals (#31)",
    );
    let b = s.commit(&[("src/b.txt", "b\n")], "fix: empty cart crash (#32)");
    s.commit(&[("src/c.txt", "c\n")], "feature: gift cards");
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    (s, vec![crash, a, b])
}

#[test]
fn pick_offers_a_filtered_multi_select_and_picks_in_mainline_order() {
    let (s, fixes) = with_fixes();
    let mut p = pty(&s, &["pick"]);
    p.exp_string("Filter").unwrap();
    p.send_line("fix").unwrap();
    p.exp_string("Select the fixes").unwrap();
    // Newest first: "empty cart crash", "rounding of totals", "fix: crash". Tick the first two.
    p.exp_string("empty cart crash").unwrap();
    keys(&mut p, " ");
    keys(&mut p, DOWN);
    keys(&mut p, " ");
    keys(&mut p, "\r");
    p.exp_string("Pick 2 commit(s) onto hotfix/1.1.1?").unwrap();
    keys(&mut p, "y");
    p.exp_eof().unwrap();
    let subjects = s.git(&["log", "--format=%s", "v1.1.0..HEAD"]);
    assert_eq!(
        subjects,
        "fix: empty cart crash (#32)\nfix: rounding of totals (#31)"
    );
    let msg = s.git(&["log", "-1", "--format=%B", "HEAD~1"]);
    assert!(msg.contains(&fixes[1]), "{msg}");
    assert_eq!(s.event_types("v1.1.1"), ["started", "picked", "picked"]);
}

#[test]
fn ship_answered_no_changes_nothing() {
    let (s, fixes) = with_fixes();
    s.hotfix(&["pick", &fixes[0]]).ok();
    let before = s.state();
    let ledger = s.rev("hotfix-ledger");
    let mut p = pty(&s, &["ship", "--reviewer", "rita"]);
    p.exp_string("Ship v1.1.1?").unwrap();
    keys(&mut p, "n");
    p.exp_string("not shipped: nothing changed").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(s.state(), before);
    assert_eq!(s.rev("hotfix-ledger"), ledger);
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.1.1"]));
}

#[test]
fn without_a_terminal_a_missing_answer_names_the_flag() {
    let (s, fixes) = with_fixes();
    s.hotfix(&["pick"])
        .code(2)
        .says("hotfix pick <sha>")
        .says("--pr N");
    s.hotfix(&["pick", &fixes[0]]).ok();
    s.hotfix(&["ship", "--reviewer", "rita"])
        .code(2)
        .says("--yes");
    // --no-input refuses even where a terminal would have asked.
    let mut p = pty(&s, &["pick", "--no-input"]);
    p.exp_string("name the commits to pick").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn start_asks_for_the_line_incident_severity_and_detection_time() {
    let (s, _fix) = Sandbox::released();
    s.git(&["tag", "-a", "v1.0.1", "-m", "v1.0.1", "v1.0.0"]);
    let mut p = pty(&s, &["start"]);
    p.exp_string("Which release line").unwrap();
    p.exp_string("1.0  (latest v1.0.1").unwrap();
    keys(&mut p, DOWN); // the newest line (1.1) is first; take 1.0
    keys(&mut p, "\r");
    p.exp_string("Incident id").unwrap();
    keys(&mut p, "INC-77\r");
    p.exp_string("Severity").unwrap();
    keys(&mut p, "\x1b[A\x1b[A\x1b[A"); // from "not set" up to sev2
    std::thread::sleep(std::time::Duration::from_millis(150));
    keys(&mut p, "\r");
    p.exp_string("Detected when?").unwrap();
    keys(&mut p, "30m ago\r");
    p.exp_string("started hotfix v1.0.2").unwrap();
    p.exp_eof().unwrap();
    let ev = &s.events("v1.0.2")[0];
    assert_eq!(ev["line"], "1.0");
    assert_eq!(ev["incident"], "INC-77");
    assert_eq!(ev["severity"], "sev2");
    assert_eq!(ev["detected_at"], "2026-03-10T11:30:00Z");
}

const START_1_1_4: &[&str] = &[
    "start",
    "1.1.4",
    "--incident",
    "INC-1",
    "--severity",
    "sev2",
    "--detected-at",
    "now",
];

#[test]
fn start_of_a_version_that_skips_patches_asks_first_and_no_changes_nothing() {
    let (s, _fix) = Sandbox::released();
    let before = s.state();
    let mut p = pty(&s, START_1_1_4);
    p.exp_string("1.1.4 skips 1.1.1 to 1.1.3").unwrap();
    keys(&mut p, "n");
    p.exp_eof().unwrap();
    assert_eq!(s.state(), before);
    let mut p = pty(&s, START_1_1_4);
    p.exp_string("Start 1.1.4 anyway?").unwrap();
    keys(&mut p, "y");
    p.exp_eof().unwrap();
    assert_eq!(s.git(&["branch", "--show-current"]), "hotfix/1.1.4");
}
