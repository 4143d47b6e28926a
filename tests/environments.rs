//! `[deploy] environments`: `deployed` and `verify` take `--env` from the list (its last entry
//! by default), and a bad `[deploy]` section is refused with its key and line.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::Sandbox;

fn shipped(config: &str) -> Sandbox {
    let (s, fix) = Sandbox::released();
    s.commit(&[(".hotfix.toml", config)], "config");
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"]).ok();
    s
}

#[test]
fn deployed_and_verify_take_their_environment_from_the_list() {
    let s = shipped("[deploy]\nenvironments = [\"staging\", \"production\"]\n");
    let before = s.event_types("v1.1.1");
    // Not in the list: refused, nothing written, the list named.
    s.hotfix(&["deployed", "v1.1.1", "--env", "prod"])
        .code(2)
        .says("unknown environment 'prod'")
        .says("staging, production");
    assert_eq!(s.event_types("v1.1.1"), before);
    s.hotfix(&["deployed", "v1.1.1", "--env", "staging"]).ok();
    // Verify defaults to the last environment, which has no deployment yet.
    s.hotfix(&["verify", "v1.1.1"])
        .code(2)
        .says("no deployment there")
        .says("hotfix deployed v1.1.1 --env production");
    s.hotfix(&["verify", "v1.1.1", "--env", "staging"]).ok();
    s.hotfix(&["deployed", "v1.1.1"]).ok().says("to production");
    s.hotfix(&["verify", "v1.1.1"])
        .ok()
        .says("verified in production");
    let ev = s.events("v1.1.1");
    let kinds: Vec<(String, String)> = ev
        .iter()
        .filter(|e| e["type"] == "deployed" || e["type"] == "verified")
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["env"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("deployed".into(), "staging".into()),
            ("verified".into(), "staging".into()),
            ("deployed".into(), "production".into()),
            ("verified".into(), "production".into()),
        ]
    );
}

#[test]
fn a_bad_deploy_section_is_refused_with_its_key_and_line() {
    for (config, key) in [
        ("[deploy]\nenvironments = []\n", "deploy.environments"),
        (
            "[deploy]\nenvironments = [\"a b\"]\n",
            "deploy.environments",
        ),
        (
            "[deploy]\nenvironments = [\"x\", \"x\"]\n",
            "deploy.environments",
        ),
        ("[deploy]\ntimeout = \"0s\"\n", "deploy.timeout"),
        (
            "[deploy]\nhealth-interval = \"10m\"\nhealth-timeout = \"5m\"\n",
            "deploy.health-interval",
        ),
        ("[deploy]\nsoak = \"1m\"\n", "soak"),
    ] {
        let (s, _) = Sandbox::released();
        let path = s.config_file("bad.toml", config);
        s.hotfix(&["check", "--config", &path])
            .code(2)
            .says(key)
            .says("bad.toml:");
    }
}

#[test]
fn reports_and_the_retro_count_the_last_environments_times() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            "[deploy]\nenvironments = [\"staging\", \"production\"]\n",
        )],
        "config",
    );
    s.push_main();
    s.hotfix(&[
        "start",
        "--line",
        "1.1",
        "--detected-at",
        "2026-03-10T11:00:00Z",
    ])
    .ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["ship", "--yes", "--reviewer", "rita"]).ok();
    let at = |time: &str, args: &[&str]| {
        s.hotfix_env(
            args,
            &[("GIT_COMMITTER_DATE", time), ("GIT_AUTHOR_DATE", time)],
        )
        .ok();
    };
    // Staging first (10 and 20 minutes after the ship), then production (40 and 60).
    at(
        "2026-03-10T12:10:00Z",
        &["deployed", "v1.1.1", "--env", "staging"],
    );
    at(
        "2026-03-10T12:20:00Z",
        &["verify", "v1.1.1", "--env", "staging"],
    );
    at("2026-03-10T12:40:00Z", &["deployed", "v1.1.1"]);
    at("2026-03-10T13:00:00Z", &["verify", "v1.1.1"]);
    let out = s.hotfix(&[
        "report", "--since", "2026-03", "--until", "2026-03", "--format", "json",
    ]);
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    // Detected at 11:00: deployed to production 1h40m later, verified there 2h later.
    assert_eq!(doc["detection_to_deploy"]["median_minutes"], 100.0);
    assert_eq!(doc["detection_to_verified"]["median_minutes"], 120.0);
    // Two hours exactly falls in 2h-4h (each bucket is [from, up to)); the others are empty.
    let buckets: Vec<(String, u64)> = doc["recovery_distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["label"].as_str().unwrap().to_string(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        buckets,
        [
            ("under 30m".to_string(), 0),
            ("30m-1h".into(), 0),
            ("1h-2h".into(), 0),
            ("2h-4h".into(), 1),
            ("4h-8h".into(), 0),
            ("8h-24h".into(), 0),
            ("over 24h".into(), 0),
        ]
    );
    let h = &doc["hotfixes"][0];
    assert_eq!(h["deployed_at"], "2026-03-10T12:40:00Z");
    assert_eq!(h["verified_at"], "2026-03-10T13:00:00Z");
    assert_eq!(
        doc["change_failure"],
        serde_json::json!({"count": 0, "of": 1, "share": 0.0})
    );
    // A rollback in staging is not a failed change in production; one in production is.
    let report = || {
        let out = s.hotfix(&[
            "report", "--since", "2026-03", "--until", "2026-03", "--format", "json",
        ]);
        out.ok();
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()
    };
    let later = |time: &str, args: &[&str]| {
        s.hotfix_env(
            args,
            &[("GIT_COMMITTER_DATE", time), ("GIT_AUTHOR_DATE", time)],
        )
    };
    later(
        "2026-03-10T13:10:00Z",
        &["rollback", "v1.1.1", "--env", "staging", "--reason", "slow"],
    )
    .ok();
    assert_eq!(report()["change_failure"]["count"], 0);
    later(
        "2026-03-10T13:20:00Z",
        &["rollback", "v1.1.1", "--reason", "slow there too"],
    )
    .ok()
    .says("rolled back to v1.1.0");
    later("2026-03-10T13:30:00Z", &["rollback", "v1.1.1"])
        .ok()
        .says("already recorded as rolled back to v1.1.0 in production");
    let doc = report();
    assert_eq!(
        doc["change_failure"],
        serde_json::json!({"count": 1, "of": 1, "share": 1.0})
    );
    s.hotfix(&["report", "--since", "2026-03", "--until", "2026-03"])
        .ok()
        .says("change failure rate: 1 of 1 deployed to the last environment")
        .says("recovery (detection to verified): median 2.0h");
    s.hotfix(&["retro", "v1.1.1"])
        .ok()
        .says("| Detection to deploy | 1h40m |")
        .says("| Detection to verified | 2h |")
        .says("verified in staging");
}

#[test]
fn on_call_load_folds_identities_and_counts_out_of_hours_across_a_dst_change() {
    let (s, _) = Sandbox::released();
    // Three fixes on main, the policy in Berlin time, and a .mailmap that folds Olga's old
    // address into her current one.
    let fixes: Vec<String> = (1..=3)
        .map(|i| {
            s.commit(
                &[
                    (&format!("src/f{i}.txt") as &str, "fix\n"),
                    (&format!("tests/f{i}_test.txt") as &str, "test\n"),
                ],
                &format!("fix: {i}"),
            )
        })
        .collect();
    s.commit(
        &[
            (".hotfix.toml", "[report]\ntimezone = \"Europe/Berlin\"\n"),
            (
                ".mailmap",
                "Olga Oncall <olga@example.com> olga <olga@old.example.com>\n",
            ),
        ],
        "config",
    );
    s.push_main();
    // Friday 27 March 07:30 UTC is 08:30 in Berlin (winter time): outside working hours.
    // Monday 30 March 07:30 UTC is 09:30 (summer time since the 29th): inside.
    // Saturday 4 April noon: a weekend.
    let ships = [
        ("2026-03-27T07:30:00Z", "olga", "olga@old.example.com"),
        ("2026-03-30T07:30:00Z", "Olga Oncall", "olga@example.com"),
        ("2026-04-04T12:00:00Z", "Ann Author", "ann@example.com"),
    ];
    for (fix, (at, name, email)) in fixes.iter().zip(ships) {
        let env = [
            ("GIT_COMMITTER_DATE", at),
            ("GIT_AUTHOR_DATE", at),
            ("GIT_COMMITTER_NAME", name),
            ("GIT_COMMITTER_EMAIL", email),
        ];
        s.hotfix_env(&["start", "--line", "1.1"], &env).ok();
        s.hotfix_env(&["pick", fix], &env).ok();
        s.hotfix_env(
            &["ship", "--yes", "--reviewer", "Rita <rita@example.com>"],
            &env,
        )
        .ok();
        s.git(&["switch", "-q", "main"]);
    }
    let out = s.hotfix(&[
        "report", "--since", "2026-03", "--until", "2026-04", "--format", "json",
    ]);
    out.ok();
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        doc["on_call"]["shippers"],
        serde_json::json!([
            {"name": "Olga Oncall <olga@example.com>", "count": 2, "previous": 0},
            {"name": "Ann Author <ann@example.com>", "count": 1, "previous": 0},
        ])
    );
    assert_eq!(
        doc["on_call"]["outside_hours"],
        serde_json::json!({"count": 2, "of": 3, "share": 0.6667})
    );
    // A late shift: 08:00-17:00 makes Friday's 08:30 a working hour.
    let cfg = s.config_file(
        "late.toml",
        "[report]\ntimezone = \"Europe/Berlin\"\nworking-hours = \"08:00-17:00\"\n",
    );
    let out = s.hotfix(&[
        "report", "--since", "2026-03", "--until", "2026-04", "--format", "json", "--config", &cfg,
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["on_call"]["outside_hours"]["count"], 1);
    let bad = s.config_file("bad.toml", "[report]\nworking-days = [\"Funday\"]\n");
    s.hotfix(&["report", "--config", &bad])
        .code(2)
        .says("report.working-days")
        .says("'Funday' is not a day");
}
