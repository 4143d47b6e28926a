//! `hotfix start`: choosing the base and the version.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;

fn tagged(tags: &[&str], pattern_config: Option<&str>) -> Sandbox {
    let s = Sandbox::empty();
    if let Some(c) = pattern_config {
        s.commit(&[(".hotfix.toml", c)], "config");
    }
    for (i, t) in tags.iter().enumerate() {
        s.commit(&[("f.txt", &format!("{i}\n"))], &format!("release {t}"));
        s.git(&["tag", "-a", t, "-m", t]);
    }
    s.publish();
    s
}

#[test]
fn semver_order_not_date_or_string_order_picks_the_newest_line() {
    // Tagged in this order: 1.10.0 is newest by semver although 1.9.3 came later.
    let s = tagged(&["v1.2.0", "v1.10.0", "v1.9.0", "v1.9.3"], None);
    s.hotfix(&["start"]).ok().says("started hotfix v1.10.1");
    assert_eq!(s.rev("HEAD"), s.rev("v1.10.0^{commit}"));
}

#[test]
fn line_flag_and_version_argument() {
    let s = tagged(&["v1.9.0", "v1.9.3", "v1.10.0"], None);
    s.hotfix(&["start", "--line", "1.9"]).ok().says("v1.9.4");
    assert_eq!(s.rev("HEAD"), s.rev("v1.9.3^{commit}"));
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "1.9.7"])
        .ok()
        .says("started hotfix v1.9.7");
    assert_eq!(s.git(&["symbolic-ref", "--short", "HEAD"]), "hotfix/1.9.7");
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "v1.9.2"])
        .code(2)
        .says("not after v1.9.3");
    s.hotfix(&["start", "1.9.3"]).code(2).says("already exists");
    s.hotfix(&["start", "--line", "3.1"])
        .code(2)
        .says("no release on line 3.1");
    s.hotfix(&["start", "--line", "banana"])
        .code(2)
        .says("not a release line");
}

#[test]
fn prefixed_tags_and_pre_releases() {
    let s = tagged(
        &["web/v9.0.0", "api/v1.4.0", "api/v1.4.1", "api/v1.5.0-rc.1"],
        Some("[release]\ntag = \"api/v{version}\"\n"),
    );
    s.hotfix(&["start"]).ok().says("started hotfix api/v1.4.2");
    let ev = s.events("api/v1.4.2");
    assert_eq!(ev[0]["base"], "api/v1.4.1");
    assert_eq!(
        s.git(&["ls-tree", "-r", "--name-only", "hotfix-ledger", "records/"]),
        "records/api/v1.4.2.jsonl"
    );
    // The id with a slash has its line in the facts index too.
    s.assert_index_current(&s.work);
    assert_eq!(s.index_in(&s.work)[0].0, "api/v1.4.2");
}

#[test]
fn the_next_free_patch_skips_taken_versions() {
    let s = tagged(&["v2.0.0", "v2.0.1"], None);
    // Someone has a hotfix/2.0.2 branch with work on it: that version is taken.
    s.git(&["switch", "-q", "-c", "hotfix/2.0.2", "v2.0.1"]);
    s.commit(&[("x.txt", "x\n")], "work in progress");
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start"])
        .ok()
        .says("started hotfix v2.0.3")
        .says("hotfix/2.0.2 already exists");
    assert_eq!(s.rev("HEAD"), s.rev("v2.0.1^{commit}"));
}

#[test]
fn detected_at_accepts_rfc3339_and_relative_times() {
    let s = tagged(&["v1.0.0"], None);
    s.hotfix(&["start", "--detected-at", "2026-03-10T12:30:00+02:00"])
        .ok();
    assert_eq!(s.events("v1.0.1")[0]["detected_at"], "2026-03-10T10:30:00Z");
    s.git(&["switch", "-q", "main"]);
    s.hotfix(&["start", "--line", "1.0", "--detected-at", "yesterday-ish"])
        .code(2)
        .says("45m ago");
    s.hotfix(&["start", "--line", "1.0", "--severity", "sev9"])
        .code(2);
}

#[test]
fn a_start_killed_after_branching_is_finished_by_running_it_again() {
    let s = tagged(&["v1.0.0"], None);
    // Simulate a kill after the branch was made: the branch exists at the tag, no record.
    s.git(&["branch", "hotfix/1.0.1", "v1.0.0"]);
    s.hotfix(&["start"]).ok().says("started hotfix v1.0.1");
    assert_eq!(s.event_types("v1.0.1"), ["started"]);
}
