//! Property tests for every parser of input hotfix does not control (issue 12): the config, the
//! trailers, the time forms, tag patterns, ledger event lines and the pick state file. Any input
//! gives a value or a clear error, never a panic; and what hotfix writes, it reads back.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

use chrono::{DateTime, Utc};
use hotfix::config::Config;
use hotfix::git::message::{append_picked_from, picked_from, trailer_values};
use hotfix::git::pick::PickState;
use hotfix::ledger::{facts, parse_record};
use hotfix::timeparse::{parse_duration, parse_time};
use hotfix::version::{Line, TagPattern};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T03:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Text that looks like the input in question more often than random bytes would.
fn texty(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(pieces).prop_map(str::to_string),
            any::<String>(),
            "[ -~]{0,8}",
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn config_text_gives_a_config_or_an_error(text in texty(&[
        "[policy]\n", "[release]\n", "[report]\n", "[github]\n", "[templates]\n", "max-lines = ",
        "tag = \"", "{version}", "\"\n", "size-ignore = [\"", "**/", "[", "]", "test-timeout = \"",
        "5000000000000d", "2h", "target = ", "warn = 9\n", "alarm = 1\n", "é", "\n", "=", "'''",
    ])) {
        if let Err(e) = Config::parse(&text, "f") {
            prop_assert!(!e.message.is_empty());
            prop_assert!(e.hint.is_some(), "{e}");
        }
    }

    #[test]
    fn trailers_parse_from_any_message(message in texty(&[
        "(cherry picked from commit ", "0123456789abcdef0123456789abcdef01234567", ")", "\n",
        "\n\n", "Reviewed-by: ", "Rita <r@x>", ":", " ", "é",
    ])) {
        let _ = picked_from(&message);
        let _ = trailer_values(&message, "Reviewed-by");
        // Whatever the message, a trailer hotfix adds is read back as the last one.
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let names = picked_from(&append_picked_from(&message, sha));
        prop_assert_eq!(names.last().map(String::as_str), Some(sha));
    }

    #[test]
    fn times_and_durations_give_a_value_or_an_error(text in texty(&[
        "ago", " ", "now", "m", "h", "d", "w", "s", "hours", "99999999", "9223372036854775807",
        "2026-11-22T01:40:00Z", "+01:00", "T", "-", ":", "é",
    ])) {
        let _ = parse_duration(&text);
        match parse_time(&text, now()) {
            Ok(t) => prop_assert!(t <= now() + chrono::Duration::minutes(5)),
            Err(e) => prop_assert!(e.hint.is_some()),
        }
    }

    #[test]
    fn tag_patterns_and_versions_give_a_value_or_an_error(
        pattern in texty(&["v", "{version}", "api/", "-", "..", "*", "/", " ", "é"]),
        tag in texty(&["v", "1.4.3", "1.", "0", "-rc.1", "+build", "api/", "é"]),
    ) {
        if let Ok(p) = TagPattern::parse(&pattern) {
            if let Some(v) = p.release_version(&tag) {
                prop_assert!(v.pre.is_empty());
                prop_assert_eq!(p.release_version(&p.format(&v)), Some(v));
            }
            let _ = p.parse_user_version(&tag);
        }
        let _ = Line::parse(&tag);
    }

    #[test]
    fn ledger_lines_give_events_or_named_damage(lines in prop::collection::vec(texty(&[
        "{\"schema\":1,\"type\":\"", "shipped", "started", "picked", "deployed", "\",\"id\":\"v1\",",
        "\"at\":\"2026-11-22T01:00:00Z\",", "\"by\":\"x\"", "}", "\"line\":", "42", "null", "[", "é",
    ]), 0..6)) {
        let content = lines.join("\n");
        let r = parse_record("v1", content.as_bytes());
        let f = facts("v1", content.as_bytes());
        let non_blank = lines.iter().flat_map(|l| l.split('\n')).filter(|l| !l.trim().is_empty()).count();
        // Every line is either an event of the fold or named as damage, never dropped unsaid.
        prop_assert_eq!(r.events.len() + r.damage.len(), non_blank);
        let _ = (r.state(), r.picks(), r.shipped(), f.ship_time);
    }

    #[test]
    fn pick_state_files_give_a_state_or_an_error(text in texty(&[
        "{\"schema\":1,", "\"hotfix\":\"v1.1.1\",", "\"branch\":\"refs/heads/hotfix/1.1.1\",",
        "\"orig_head\":\"", "\"current_head\":\"", "abc", "0123456789abcdef0123456789abcdef01234567",
        "\",", "\"todo\":[", "{\"source\":\"", "\"mainline\":null,\"pr\":null}", "]", ",\"done\":[]",
        ",\"stopped\":true,\"allow_empty\":false}", "é",
    ])) {
        if let Ok(st) = PickState::parse(&text) {
            // A state that parses is one the code may index into: full ids everywhere.
            for id in [&st.orig_head, &st.current_head].into_iter().chain(st.todo.iter().map(|t| &t.source)) {
                prop_assert_eq!(id.len(), 40);
            }
        }
    }
}

#[test]
fn a_valid_pick_state_round_trips() {
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let text = format!(
        r#"{{"schema":1,"hotfix":"v1.1.1","branch":"refs/heads/hotfix/1.1.1","orig_head":"{sha}","current_head":"{sha}","todo":[{{"source":"{sha}","mainline":null,"pr":null}}],"done":[],"stopped":true,"allow_empty":false}}"#
    );
    let st = PickState::parse(&text).unwrap();
    assert_eq!(st.todo.len(), 1);
    assert!(
        PickState::parse(&text.replace(sha, "abc"))
            .unwrap_err()
            .contains("not a full commit id")
    );
}
