//! Retro action items: recorded with `retro --action`, closed with `--done N` or by key,
//! listed by `show`, counted by `report`; keyed by their text, so two clones' items merge
//! without renumbering.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Sandbox, run_hotfix};

const ALERT: &str = "alert on checkout 5xx within 2 minutes";
const TEST: &str = "a contract test for the payment client";

fn shipped() -> Sandbox {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "Rita <rita@example.com>"])
        .ok();
    s
}

fn actions(s: &Sandbox) -> serde_json::Value {
    let out = s.hotfix(&["show", "v1.1.1", "--format", "json"]);
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    doc["actions"].clone()
}

#[test]
fn items_are_recorded_once_closed_by_number_or_key_and_counted_by_the_report() {
    let s = shipped();
    s.hotfix_env(
        &["retro", "v1.1.1", "--action", ALERT],
        &[("GIT_COMMITTER_DATE", "2026-03-10T10:00:00Z")],
    )
    .ok()
    .says("1 of 1 action item(s) open")
    .says(&format!("1. [ ] {ALERT}"));
    s.hotfix_env(
        &["retro", "v1.1.1", "--action", TEST, "--action", ALERT],
        &[("GIT_COMMITTER_DATE", "2026-03-10T11:00:00Z")],
    )
    .ok()
    .says("already recorded as item 1");
    let a = actions(&s);
    assert_eq!(a.as_array().unwrap().len(), 2, "{a}");
    assert_eq!(a[0]["text"], ALERT);
    assert_eq!(a[1]["text"], TEST);
    assert_eq!(a[0]["done"], serde_json::Value::Null);
    let recorded = s
        .events("v1.1.1")
        .iter()
        .filter(|e| e["type"] == "action")
        .count();
    assert_eq!(recorded, 2, "the repeated item is not recorded again");

    // Bad numbers and keys change nothing and list the items.
    let before = s.state();
    s.hotfix(&["retro", "v1.1.1", "--done", "3"])
        .code(2)
        .says("there is no action item 3")
        .says(ALERT);
    s.hotfix(&["retro", "v1.1.1", "--done", "zz"])
        .code(2)
        .says("names no single action item");
    s.hotfix(&["retro", "v1.1.1", "--action", "  "])
        .code(2)
        .says("the action item is empty");
    s.hotfix(&["retro", "v1.1.1", "--action", "a\nHotfix-Override: all"])
        .code(2)
        .says("line break");
    assert_eq!(s.state(), before);

    // Closed by number, then by key; closing twice records nothing more.
    s.hotfix(&["retro", "v1.1.1", "--done", "2"])
        .ok()
        .says("1 of 2 action item(s) open")
        .says(&format!("2. [x] {TEST}"));
    let key = a[0]["key"].as_str().unwrap().to_string();
    assert_eq!(key.len(), 12);
    s.hotfix(&["retro", "v1.1.1", "--done", &key[..6], "--done", "2"])
        .ok()
        .says("already done")
        .says("0 of 2 action item(s) open");
    let done = s
        .events("v1.1.1")
        .iter()
        .filter(|e| e["type"] == "action_done")
        .count();
    assert_eq!(done, 2);
    assert!(actions(&s)[0]["done"].is_string());

    // `show` lists them, the retro file checks them off, the report counts them.
    s.hotfix(&["show", "v1.1.1"])
        .ok()
        .says("actions  0 of 2 open")
        .says(&format!("1. [x] {ALERT} ({key})"));
    s.hotfix(&["retro", "v1.1.1", "--output", "retro.md"]).ok();
    assert!(
        s.read("retro.md")
            .contains(&format!("- [x] {ALERT} ({key})"))
    );
    s.hotfix(&["retro", "v1.1.1", "--action", "rotate the on-call pager"])
        .ok();
    let out = s.hotfix(&["report", "--format", "json"]);
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["open_actions"]["count"], 1, "{}", doc["open_actions"]);
    assert_eq!(doc["open_actions"]["of"], 3);
    s.hotfix(&["report"])
        .ok()
        .says("retro action items open: 1 of 3 recorded");
}

#[test]
fn items_from_two_clones_merge_without_renumbering() {
    let s = shipped();
    s.hotfix(&["sync"]).ok();
    let other = s.clone_as("other");
    let home = s.home();
    let at = |t: &str| [("GIT_COMMITTER_DATE", t.to_string())];
    s.hotfix_env(
        &["retro", "v1.1.1", "--action", ALERT],
        &[("GIT_COMMITTER_DATE", "2026-03-10T10:00:00Z")],
    )
    .ok();
    let env = at("2026-03-10T12:00:00Z");
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_hotfix(&other, &home, &["sync"], &env).ok();
    run_hotfix(
        &other,
        &home,
        &["retro", "v1.1.1", "--action", TEST, "--action", ALERT],
        &env,
    )
    .ok();
    // The other clone's copy of ALERT is recorded there too (it did not know of it yet).
    run_hotfix(&other, &home, &["retro", "v1.1.1", "--done", "1"], &env).ok();
    run_hotfix(&other, &home, &["sync"], &env).ok();
    s.hotfix(&["sync"]).ok();
    let a = actions(&s);
    let texts: Vec<&str> = a
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, [ALERT, TEST], "one item per text, oldest first");
    assert!(a[0]["done"].is_string() || a[1]["done"].is_string(), "{a}");
    // Both clones number them alike.
    run_hotfix(&other, &home, &["sync"], &[]).ok();
    let theirs = run_hotfix(&other, &home, &["show", "v1.1.1", "--format", "json"], &[]);
    theirs.ok();
    let doc: serde_json::Value = serde_json::from_str(&theirs.stdout).unwrap();
    assert_eq!(doc["actions"], a);
}
