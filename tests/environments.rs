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
