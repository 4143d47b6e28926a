//! `hotfix deploy` against a real HTTP service on 127.0.0.1: the team's deploy script swaps
//! releases with one rename (blue/green), the health check asks the service which version it
//! serves, and a request loop counts failed requests while the swap happens.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Out, Sandbox};
use hotfix::service::{self, Service};

/// A shipped and pushed hotfix v1.1.1, a service serving 1.1.0, and the deploy config on main.
struct Prod {
    s: Sandbox,
    root: PathBuf,
    service: Service,
    /// Every command run appends its HOTFIX_* variables here, then `---`.
    log: PathBuf,
}

const DEPLOY: &str = r#"[deploy]
environments = ENVS
command = "env | grep '^HOTFIX_' | sort >> \"$DEPLOY_LOG\"; echo --- >> \"$DEPLOY_LOG\"; sh deploy/deploy.sh"
health-check = "sh deploy/health.sh"
timeout = "20s"
health-timeout = "2s"
health-interval = "100ms"
validate-for = "VALIDATE"
EXTRA
"#;

fn prod_with(envs: &str, validate: &str, extra: &str, broken: bool) -> Prod {
    let (s, fix) = Sandbox::released();
    let config = DEPLOY
        .replace("ENVS", envs)
        .replace("VALIDATE", validate)
        .replace("EXTRA", extra);
    s.commit(
        &[
            (".hotfix.toml", &config),
            ("deploy/deploy.sh", service::DEPLOY_SCRIPT),
            ("deploy/health.sh", service::HEALTH_SCRIPT),
        ],
        "deploy scripts",
    );
    let bad = broken.then(|| {
        s.commit(
            &[
                ("app/health", "broken\n"),
                ("tests/health_test.txt", "health\n"),
            ],
            "fix: health endpoint",
        )
    });
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    if let Some(b) = bad {
        s.hotfix(&["pick", &b]).ok();
    }
    s.hotfix(&["ship", "--yes", "--reviewer", "rita", "--push"])
        .ok();
    let root = s.tmp.path().join("service");
    service::install(&root, "1.1.0", "ok").unwrap();
    let service = Service::start(&root, Duration::from_secs(120)).unwrap();
    let log = s.tmp.path().join("deploy.log");
    Prod {
        s,
        root,
        service,
        log,
    }
}

fn prod(validate: &str, broken: bool) -> Prod {
    prod_with("[\"production\"]", validate, "", broken)
}

impl Prod {
    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("SERVICE_ROOT".into(), self.root.display().to_string()),
            ("SERVICE_URL".into(), self.service.url()),
            ("DEPLOY_LOG".into(), self.log.display().to_string()),
        ]
    }

    fn hotfix(&self, args: &[&str]) -> Out {
        self.hotfix_with(args, &[])
    }

    fn hotfix_with(&self, args: &[&str], more: &[(&str, &str)]) -> Out {
        let mut env = self.env();
        env.extend(more.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.s.hotfix_env(args, &env)
    }

    /// Commits on main (the config in force) and pushes it.
    fn on_main(&self, files: &[(&str, &str)], message: &str) -> String {
        self.s.git(&["switch", "-q", "main"]);
        let c = self.s.commit(files, message);
        self.s.push_main();
        c
    }

    /// Rewrites `.hotfix.toml` on main.
    fn config(&self, edit: impl Fn(String) -> String) {
        self.s.git(&["switch", "-q", "main"]);
        let text = edit(self.s.read(".hotfix.toml"));
        self.on_main(&[(".hotfix.toml", &text)], "deploy config");
    }

    fn serving(&self) -> (u16, String) {
        service::get(self.service.addr(), "/version").unwrap()
    }

    /// The HOTFIX_* variables of each command run, in order.
    fn runs(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .split("---\n")
            .filter(|r| !r.trim().is_empty())
            .map(str::to_string)
            .collect()
    }

    fn types(&self) -> Vec<String> {
        self.s.event_types("v1.1.1")
    }

    fn event(&self, kind: &str) -> serde_json::Value {
        self.s
            .events("v1.1.1")
            .into_iter()
            .rev()
            .find(|e| e["type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} event in {:?}", self.types()))
    }

    /// Counts failed requests to /version while `during` runs, and the versions seen.
    fn watched<T>(&self, during: impl FnOnce() -> T) -> (T, usize, Vec<String>) {
        let addr = self.service.addr();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let looper = std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(60);
            let (mut failed, mut seen) = (0usize, Vec::<String>::new());
            while !flag.load(Ordering::SeqCst) && Instant::now() < until {
                match service::get(addr, "/version") {
                    Ok((200, v)) => {
                        if seen.last() != Some(&v) {
                            seen.push(v);
                        }
                    }
                    _ => failed += 1,
                }
            }
            (failed, seen)
        });
        let out = during();
        stop.store(true, Ordering::SeqCst);
        let (failed, seen) = looper.join().unwrap();
        (out, failed, seen)
    }
}

fn types_of(kinds: &[&str]) -> Vec<String> {
    kinds.iter().map(|k| k.to_string()).collect()
}

fn after_ship(p: &Prod) -> Vec<String> {
    let t = p.types();
    let at = t.iter().position(|k| k == "shipped").unwrap();
    t[at + 1..].to_vec()
}

#[test]
fn a_good_hotfix_is_deployed_without_a_failed_request_and_verified() {
    let p = prod("300ms", false);
    // Commands run with the remote ledger consulted, from mainline's config only.
    let file =
        p.s.config_file("other.toml", "[deploy]\ncommand = \"true\"\n");
    p.hotfix(&["deploy", "v1.1.1", "--yes", "--config", &file])
        .code(2)
        .says("does not take --config");
    let (out, failed, seen) = p.watched(|| p.hotfix(&["deploy", "v1.1.1", "--yes"]));
    out.ok()
        .says("v1.1.1 is serving in production and verified");
    assert_eq!(failed, 0, "requests failed during the swap");
    assert_eq!(seen, ["1.1.0", "1.1.1"], "the loop saw the swap");
    assert_eq!(p.serving(), (200, "1.1.1".into()));
    assert_eq!(
        after_ship(&p),
        types_of(&["deploying", "deployed", "verified"])
    );
    let deploying = p.event("deploying");
    assert_eq!(deploying["env"], "production");
    assert_eq!(deploying["baseline"], "unknown");
    let deployed = p.event("deployed");
    assert_eq!(deployed["exit"], 0);
    assert!(
        deployed["output_tail"]
            .as_str()
            .unwrap()
            .contains("now serving 1.1.1"),
        "{deployed}"
    );
    let verified = p.event("verified");
    assert!(verified["checks"].as_u64().unwrap() >= 2, "{verified}");
    // The variables of the one command run.
    let runs = p.runs();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let commit = p.s.git(&["rev-parse", "v1.1.1^{commit}"]);
    for line in [
        "HOTFIX_ACTION=deploy".to_string(),
        "HOTFIX_ID=v1.1.1".into(),
        "HOTFIX_VERSION=1.1.1".into(),
        "HOTFIX_TAG=v1.1.1".into(),
        format!("HOTFIX_COMMIT={commit}"),
        "HOTFIX_ENV=production".into(),
        "HOTFIX_FROM_TAG=".into(),
        "HOTFIX_ROLLBACK_TO=v1.1.0".into(),
    ] {
        assert!(
            runs[0].lines().any(|l| l == line),
            "{line} not in {}",
            runs[0]
        );
    }
    // The remote ledger has every step.
    let remote =
        p.s.git_in(&p.s.origin, &["show", "hotfix-ledger:records/v1.1.1.jsonl"]);
    assert!(remote.contains("\"type\":\"verified\""), "{remote}");
    // A re-run finds the job done: it runs nothing, and says how to deploy again.
    p.hotfix(&["deploy", "v1.1.1", "--yes"])
        .ok()
        .says("is verified in production already: nothing ran")
        .says("--again");
    assert_eq!(p.runs().len(), 1);
}

#[test]
fn a_failing_health_check_rolls_back_automatically() {
    let p = prod("0s", true);
    let (out, failed, seen) = p.watched(|| p.hotfix(&["deploy", "v1.1.1", "--yes"]));
    out.code(5)
        .says("was rolled back: v1.1.0 is serving and healthy");
    assert_eq!(failed, 0);
    assert_eq!(seen, ["1.1.0", "1.1.1", "1.1.0"]);
    assert_eq!(p.serving(), (200, "1.1.0".into()));
    assert_eq!(
        after_ship(&p),
        types_of(&["deploying", "deployed", "deploy_failed", "rolled_back"])
    );
    let failed_event = p.event("deploy_failed");
    assert_eq!(failed_event["rollback_to"], "v1.1.0");
    let rb = p.event("rolled_back");
    assert_eq!(rb["automatic"], true);
    assert_eq!(rb["restored"], true);
    assert_eq!(rb["to"], "v1.1.0");
    assert_eq!(rb["env"], "production");
    // The rollback's variables describe its target.
    let runs = p.runs();
    assert_eq!(runs.len(), 2, "{runs:?}");
    for line in [
        "HOTFIX_ACTION=rollback",
        "HOTFIX_TAG=v1.1.0",
        "HOTFIX_VERSION=1.1.0",
        "HOTFIX_ID=v1.1.0",
        "HOTFIX_FROM_TAG=v1.1.1",
        "HOTFIX_ROLLBACK_TO=v1.1.0",
    ] {
        assert!(
            runs[1].lines().any(|l| l == line),
            "{line} not in {}",
            runs[1]
        );
    }
    // After a rollback, a re-run needs --again.
    p.hotfix(&["deploy", "v1.1.1", "--yes"])
        .code(2)
        .says("was rolled back to v1.1.0")
        .says("--again");
    assert_eq!(p.runs().len(), 2);
    p.s.hotfix(&["show", "v1.1.1"])
        .ok()
        .says("production  rolled back to v1.1.0, automatically, healthy");
    // --again deploys it again: the same failure, the same rollback.
    p.hotfix(&["deploy", "v1.1.1", "--yes", "--again"]).code(5);
    assert_eq!(p.runs().len(), 4);
    assert_eq!(p.serving().1, "1.1.0");
}

#[test]
fn a_rollback_that_fails_too_exits_4() {
    let p = prod_with(
        "[\"production\"]",
        "0s",
        "rollback-command = \"echo cannot reach the cluster; exit 7\"",
        true,
    );
    p.hotfix(&["deploy", "v1.1.1", "--yes"])
        .code(4)
        .says("the rollback to v1.1.0 failed too")
        .says("A person is needed");
    assert_eq!(p.serving(), (200, "1.1.1".into()));
    let rb = p.event("rolled_back");
    assert_eq!(rb["restored"], false);
    assert_eq!(rb["automatic"], true);
}

#[test]
fn an_unhealthy_production_is_not_rolled_back_into() {
    let p = prod("0s", false);
    p.hotfix(&["deploy", "v1.1.1", "--yes"]).ok();
    // v1.1.1 goes bad in production; the next hotfix is broken too.
    std::fs::write(p.root.join("releases/1.1.1/HEALTH"), "broken\n").unwrap();
    let second = p.on_main(
        &[("app/health", "broken\n"), ("tests/h_test.txt", "h\n")],
        "fix: more",
    );
    p.s.hotfix(&["start", "--line", "1.1"]).ok();
    p.s.hotfix(&["pick", &second]).ok();
    p.s.hotfix(&["ship", "--yes", "--reviewer", "rita", "--push"])
        .ok();
    p.hotfix(&["deploy", "v1.1.2", "--yes"])
        .code(4)
        .says("was unhealthy too")
        .says("no rollback was tried");
    let events = p.s.events("v1.1.2");
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(!kinds.contains(&"rolled_back"), "{kinds:?}");
    let deploying = events.iter().find(|e| e["type"] == "deploying").unwrap();
    assert_eq!(deploying["baseline"], "unhealthy");
    assert_eq!(deploying["from"], "v1.1.1");
    let failed = events
        .iter()
        .find(|e| e["type"] == "deploy_failed")
        .unwrap();
    assert!(failed.get("rollback_to").is_none(), "{failed}");
    assert_eq!(p.serving(), (200, "1.1.2".into()));
}

#[test]
fn a_kill_during_the_soak_is_finished_by_a_re_run_without_deploying_twice() {
    let p = prod("400ms", false);
    let out = p.hotfix_with(
        &["deploy", "v1.1.1", "--yes"],
        &[("HOTFIX_FAILPOINT", "deploy-during-soak")],
    );
    assert_ne!(out.code, 0, "{}", out.all());
    assert_eq!(after_ship(&p), types_of(&["deploying", "deployed"]));
    // Another hotfix's deploy to production would wait on this one.
    p.hotfix(&["deploy", "v1.1.1", "--yes"])
        .ok()
        .says("verified");
    assert_eq!(
        after_ship(&p),
        types_of(&["deploying", "deployed", "verified"])
    );
    assert_eq!(p.runs().len(), 1, "the deploy command ran once");
}

#[test]
fn a_real_kill_during_the_deploy_command_is_rechecked_before_running_again() {
    let pidfile = tempfile::NamedTempFile::new().unwrap();
    let p = prod("0s", false);
    p.config(|c| {
        c.replace(
            "sh deploy/deploy.sh\"",
            "sh deploy/deploy.sh; if [ -n \\\"$HANG\\\" ]; then sleep 300 & echo $! > \\\"$PIDFILE\\\"; wait; fi\"",
        )
    });
    // The deploy swaps, then hangs: killed with -9 while it hangs.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotfix"));
    common::hermetic(&mut cmd, &p.s.home());
    for (k, v) in p.env() {
        cmd.env(k, v);
    }
    let mut child = cmd
        .current_dir(&p.s.work)
        .args(["deploy", "v1.1.1", "--yes"])
        .env("HANG", "1")
        .env("PIDFILE", pidfile.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    while p.serving().1 != "1.1.1" && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // kill -9 leaves the command's own process group running: the re-run stops it first.
    let until = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(pidfile.path())
        .unwrap_or_default()
        .trim()
        .is_empty()
        && Instant::now() < until
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let leftover: i32 = std::fs::read_to_string(pidfile.path())
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let alive = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| !s.contains(") Z"))
            .unwrap_or(false)
    };
    assert!(alive(leftover), "the command outlived the kill");
    assert_eq!(p.serving().1, "1.1.1");
    assert_eq!(after_ship(&p), types_of(&["deploying"]));
    // The re-run sees v1.1.1 serving: it records the deploy and validates, without a second run.
    p.hotfix(&["deploy", "v1.1.1", "--yes"])
        .ok()
        .says("was still running")
        .says("the deploy had finished");
    let until = Instant::now() + Duration::from_secs(5);
    while alive(leftover) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !alive(leftover),
        "the killed run's command {leftover} is still running"
    );
    assert_eq!(
        after_ship(&p),
        types_of(&["deploying", "deployed", "verified"])
    );
    assert_eq!(p.runs().len(), 1);
}

#[test]
fn a_deploy_that_hangs_past_its_timeout_is_stopped_with_its_children_then_rolled_back() {
    let pidfile = tempfile::NamedTempFile::new().unwrap();
    let p = prod_with("[\"production\"]", "0s", "", false);
    // The command on main starts a child and hangs, on the deploy only.
    p.config(|c| {
        c.replace("timeout = \"20s\"", "timeout = \"1s\"").replace(
            "sh deploy/deploy.sh\"",
            "if [ \\\"$HOTFIX_ACTION\\\" = deploy ]; then sleep 300 & echo $! > \\\"$PIDFILE\\\"; wait; fi; sh deploy/deploy.sh\"",
        )
    });
    let out = p.hotfix_with(
        &["deploy", "v1.1.1", "--yes"],
        &[("PIDFILE", pidfile.path().to_str().unwrap())],
    );
    out.code(5).says("ran past deploy.timeout");
    let failed = p.event("deploy_failed");
    assert!(failed["exit"].is_null(), "{failed}");
    assert_eq!(p.event("rolled_back")["restored"], true);
    assert_eq!(p.serving().1, "1.1.0");
    let pid: i32 = std::fs::read_to_string(pidfile.path())
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    assert!(
        stat.is_empty() || stat.contains(") Z"),
        "the child {pid} survived: {stat}"
    );
}

#[test]
fn preconditions_are_refused_with_exit_2_and_nothing_runs() {
    let p = prod_with("[\"staging\", \"production\"]", "0s", "", false);
    let before = p.types();
    let refused = |args: &[&str], says: &str| {
        p.hotfix(args).code(2).says(says);
        assert_eq!(p.types(), before, "{args:?} wrote to the ledger");
        assert!(p.runs().is_empty(), "{args:?} ran a command");
    };
    refused(
        &["deploy", "v1.1.1", "--yes", "--env", "qa"],
        "unknown environment 'qa'",
    );
    refused(
        &["deploy", "v1.1.1", "--yes"],
        "is not verified in staging, which comes before production",
    );
    refused(
        &["deploy", "v1.1.1", "--yes", "--override", "env-order"],
        "--override needs --reason",
    );
    refused(
        &[
            "deploy",
            "v1.1.1",
            "--yes",
            "--override",
            "tests",
            "--reason",
            "x",
        ],
        "not a rule deploy can bend",
    );
    refused(
        &["deploy", "v1.1.1", "--env", "staging"],
        "needs --yes without a terminal",
    );
    // A lock naming a live pid that started at another time is left over: taken over. One
    // naming only a live pid is held, and the error says how to clear it.
    let lock = p.s.work.join(".git/hotfix/deploy.lock");
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    std::fs::write(&lock, "1 999999999").unwrap();
    p.hotfix(&["deploy", "v1.1.1", "--env", "staging", "--dry-run"])
        .ok();
    std::fs::write(&lock, "1").unwrap();
    refused(
        &["deploy", "v1.1.1", "--env", "staging", "--dry-run"],
        "rm ",
    );
    std::fs::remove_file(&lock).unwrap();
    // The dry run shows the steps, the exact commands and the rollback target.
    p.hotfix(&["deploy", "v1.1.1", "--env", "staging", "--dry-run"])
        .ok()
        .says("$ sh deploy/health.sh")
        .says("deploy/deploy.sh")
        .says("roll back to v1.1.0")
        .says("nothing ran");
    assert_eq!(p.types(), before);
    assert!(p.runs().is_empty());
    // The tag must be on the remote.
    p.s.git(&["push", "-q", "origin", ":refs/tags/v1.1.1"]);
    refused(
        &["deploy", "v1.1.1", "--yes", "--env", "staging"],
        "v1.1.1 is not on origin",
    );
    p.s.git(&["push", "-q", "origin", "v1.1.1"]);
    // An empty health check needs --no-health-check.
    p.config(|c| c.replace("health-check = \"sh deploy/health.sh\"", ""));
    refused(
        &["deploy", "v1.1.1", "--yes", "--env", "staging"],
        "--no-health-check",
    );
    p.hotfix(&[
        "deploy",
        "v1.1.1",
        "--yes",
        "--env",
        "staging",
        "--no-health-check",
    ])
    .ok()
    .says("not verified");
    assert_eq!(after_ship(&p), types_of(&["deploying", "deployed"]));
    // Staging is deployed, not verified: production needs the override, which is recorded.
    p.hotfix(&["deploy", "v1.1.1", "--yes", "--no-health-check"])
        .code(2)
        .says("is not verified in staging");
    p.hotfix(&[
        "deploy",
        "v1.1.1",
        "--yes",
        "--no-health-check",
        "--override",
        "env-order",
        "--reason",
        "staging is down",
    ])
    .ok();
    let deploying = p.event("deploying");
    assert_eq!(deploying["env"], "production");
    assert_eq!(
        deploying["overrides"],
        serde_json::json!([{"rule": "env-order", "reason": "staging is down"}])
    );
    p.s.hotfix(&["show", "v1.1.1"])
        .ok()
        .says("staging     deployed, not verified")
        .says("production  deployed, not verified");
}

#[test]
fn another_hotfix_deploying_on_the_remote_ledger_is_waited_for() {
    let p = prod("0s", false);
    // Another clone began deploying a hotfix to production and pushed its `deploying`.
    let other = p.s.clone_as("other");
    let line = r#"{"schema":1,"type":"deploying","id":"v9.9.9","at":"2026-03-10T12:00:00Z","by":"Bob <bob@example.com>","env":"production","command":"x","from":null,"baseline":"unknown"}"#;
    p.s.git_in(
        &other,
        &["fetch", "-q", "origin", "hotfix-ledger:hotfix-ledger"],
    );
    let wt = p.s.tmp.path().join("ledger-wt");
    p.s.git_in(
        &other,
        &[
            "worktree",
            "add",
            "-q",
            wt.to_str().unwrap(),
            "hotfix-ledger",
        ],
    );
    std::fs::write(wt.join("records/v9.9.9.jsonl"), format!("{line}\n")).unwrap();
    p.s.git_in(&wt, &["add", "-A"]);
    p.s.git_in(&wt, &["commit", "-qm", "deploying v9.9.9"]);
    p.s.git_in(&wt, &["push", "-q", "origin", "hotfix-ledger"]);
    p.hotfix(&["deploy", "v1.1.1", "--yes"])
        .code(2)
        .says("another deploy to production is unfinished: v9.9.9")
        .says("Bob");
    assert!(p.runs().is_empty());
    assert!(!p.types().contains(&"deploying".to_string()));
}

#[test]
fn ctrl_c_records_interrupted_stops_the_command_and_never_rolls_back() {
    let pidfile = tempfile::NamedTempFile::new().unwrap();
    let p = prod("0s", false);
    p.config(|c| {
        c.replace(
            "sh deploy/deploy.sh\"",
            "sleep 300 & echo $! > \\\"$PIDFILE\\\"; wait\"",
        )
    });
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotfix"));
    common::hermetic(&mut cmd, &p.s.home());
    for (k, v) in p.env() {
        cmd.env(k, v);
    }
    let child = cmd
        .current_dir(&p.s.work)
        .args(["deploy", "v1.1.1", "--yes"])
        .env("PIDFILE", pidfile.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(pidfile.path())
        .unwrap_or_default()
        .trim()
        .is_empty()
        && Instant::now() < until
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    nix_kill(child.id() as i32);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(after_ship(&p), types_of(&["deploying", "interrupted"]));
    assert_eq!(p.event("interrupted")["step"], "deploy");
    let pid: i32 = std::fs::read_to_string(pidfile.path())
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    assert!(
        stat.is_empty() || stat.contains(") Z"),
        "the command {pid} survived: {stat}"
    );
    assert_eq!(
        p.serving().1,
        "1.1.0",
        "nothing was rolled back or deployed"
    );
}

/// Sends SIGINT, as Ctrl-C on a terminal does.
fn nix_kill(pid: i32) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn the_kept_output_is_redacted_and_rollback_by_hand_runs_the_rollback_command() {
    let p = prod("0s", false);
    p.config(|c| {
        c.replace(
            "sh deploy/deploy.sh\"",
            "echo token=$GITHUB_TOKEN db=$DB_PASSWORD url=$DATABASE_URL; printf 'bell\\\\007 \\\\033]0;title\\\\007\\\\n'; sh deploy/deploy.sh\"",
        )
    });
    p.hotfix_with(
        &["deploy", "v1.1.1", "--yes"],
        &[
            ("GITHUB_TOKEN", "ghp_abcdef123456"),
            ("DB_PASSWORD", "hunter2hunter2"),
            ("DATABASE_URL", "postgres://app:dbpw777@db.internal/x"),
        ],
    )
    .ok();
    let tail = p.event("deployed")["output_tail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        tail.contains("token=[redacted] db=[redacted] url=postgres://[redacted]@db.internal/x"),
        "{tail}"
    );
    assert!(
        !tail.contains('\u{7}') && !tail.contains('\u{1b}'),
        "{tail:?}"
    );
    assert!(tail.contains("bell"), "{tail}");
    assert!(!tail.contains("dbpw777"), "{tail}");

    assert!(
        !tail.contains("ghp_abcdef123456") && !tail.contains("hunter2"),
        "{tail}"
    );
    // Rolling back by hand runs the rollback command to the release before.
    p.hotfix(&[
        "rollback",
        "v1.1.1",
        "--env",
        "production",
        "--yes",
        "--reason",
        "latency",
    ])
    .ok()
    .says("v1.1.0 is serving and healthy");
    assert_eq!(p.serving().1, "1.1.0");
    let rb = p.event("rolled_back");
    assert_eq!(rb["automatic"], serde_json::Value::Null);
    assert_eq!(rb["restored"], true);
    assert_eq!(rb["reason"], "latency");
    // Rolled back already, it is no longer what serves: a second rollback is refused.
    p.hotfix(&["rollback", "v1.1.1", "--env", "production", "--yes"])
        .code(2)
        .says("v1.1.1 is not what production serves")
        .says("serves v1.1.0");
    assert_eq!(p.runs().len(), 2);
}

/// The worktrees git knows in the sandbox, the main one aside.
fn linked_worktrees(p: &Prod) -> usize {
    p.s.git(&["worktree", "list", "--porcelain"])
        .lines()
        .filter(|l| l.starts_with("worktree "))
        .count()
        - 1
}

#[test]
fn killed_at_every_step_a_re_run_finishes_the_job_and_never_runs_a_command_blindly() {
    // (fail-point, a broken hotfix, the deploy and rollback commands run in all, exit, events)
    let cases: [(&str, bool, usize, i32, &[&str]); 6] = [
        (
            "deploy-after-deploying",
            false,
            1,
            0,
            &["deploying", "deployed", "verified"],
        ),
        (
            "deploy-after-command",
            false,
            1,
            0,
            &["deploying", "deployed", "verified"],
        ),
        (
            "deploy-after-deployed",
            false,
            1,
            0,
            &["deploying", "deployed", "verified"],
        ),
        (
            "deploy-before-publish",
            false,
            1,
            0,
            &["deploying", "deployed", "verified"],
        ),
        (
            "deploy-before-rollback",
            true,
            2,
            5,
            &["deploying", "deployed", "deploy_failed", "rolled_back"],
        ),
        (
            "deploy-after-rollback-command",
            true,
            2,
            5,
            &["deploying", "deployed", "deploy_failed", "rolled_back"],
        ),
    ];
    for (point, broken, runs, code, events) in cases {
        let p = prod("0s", broken);
        let out = p.hotfix_with(
            &["deploy", "v1.1.1", "--yes"],
            &[("HOTFIX_FAILPOINT", point)],
        );
        assert_ne!(out.code, 0, "{point}: {}", out.all());
        // The killed run's worktree (none when it was killed after removing it).
        assert!(linked_worktrees(&p) <= 1, "{point}");
        let again = p.hotfix(&["deploy", "v1.1.1", "--yes"]);
        again.code(code);
        assert_eq!(after_ship(&p), types_of(events), "{point}");
        assert_eq!(p.runs().len(), runs, "{point}: {:?}", p.runs());
        assert_eq!(linked_worktrees(&p), 0, "{point}: worktrees left behind");
        let serving = if broken { "1.1.0" } else { "1.1.1" };
        assert_eq!(p.serving().1, serving, "{point}");
        // The remote ledger has the whole story.
        let remote =
            p.s.git_in(&p.s.origin, &["show", "hotfix-ledger:records/v1.1.1.jsonl"]);
        let last = events.last().unwrap();
        assert!(
            remote.contains(&format!("\"type\":\"{last}\"")),
            "{point}: {remote}"
        );
    }
}

#[test]
fn two_clones_deploying_two_hotfixes_at_once_one_deploys_and_the_other_is_refused() {
    let p = prod("0s", false);
    // A second hotfix, v1.0.1, shipped from the same clone; a second clone deploys it.
    let fix =
        p.s.git(&["log", "-1", "--format=%H", "--grep", "fix: crash", "main"]);
    p.s.hotfix(&["start", "--line", "1.0"]).ok();
    p.s.hotfix(&["pick", &fix]).ok();
    p.s.hotfix(&["ship", "--yes", "--reviewer", "rita", "--push"])
        .ok();
    p.config(|c| c.replace("sh deploy/deploy.sh\"", "sleep 1; sh deploy/deploy.sh\""));
    let other = p.s.clone_as("other");
    let spawn = |dir: &std::path::Path, id: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotfix"));
        common::hermetic(&mut cmd, &p.s.home());
        for (k, v) in p.env() {
            cmd.env(k, v);
        }
        cmd.current_dir(dir)
            .args(["deploy", id, "--yes"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn(&p.s.work, "v1.1.1");
    let b = spawn(&other, "v1.0.1");
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut codes = [a.status.code().unwrap(), b.status.code().unwrap()];
    codes.sort();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(codes, [0, 2], "{said}");
    assert!(said.contains("another deploy to production"), "{said}");
    assert_eq!(p.runs().len(), 1, "exactly one deploy command ran");
    // The remote ledger holds one deploy, finished.
    p.s.hotfix(&["sync"]).ok();
    let deploys: usize = ["v1.1.1", "v1.0.1"]
        .iter()
        .map(|id| {
            p.s.events(id)
                .iter()
                .filter(|e| e["type"] == "deploying")
                .count()
        })
        .sum();
    assert_eq!(deploys, 1);
}

#[test]
fn on_a_terminal_it_confirms_first_and_shows_the_health_checks_with_the_time_left() {
    use rexpect::session::spawn_command;
    let p = prod("1500ms", false);
    let pty = |answer: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hotfix"));
        common::hermetic(&mut cmd, &p.s.home());
        for (k, v) in p.env() {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm")
            .current_dir(&p.s.work)
            .args(["deploy", "v1.1.1"]);
        let mut session = spawn_command(cmd, Some(30_000)).unwrap();
        session.exp_string("Deploy v1.1.1 to production?").unwrap();
        std::thread::sleep(Duration::from_millis(150));
        session.send(answer).unwrap();
        session.flush().unwrap();
        session
    };
    // No: nothing ran, nothing recorded.
    let mut no = pty("n");
    no.exp_string("deploy cancelled").unwrap();
    no.exp_eof().unwrap();
    assert!(p.runs().is_empty());
    assert_eq!(after_ship(&p), Vec::<String>::new());
    // Yes: each step, the validation's checks and the time left, then the outcome.
    let mut yes = pty("y");
    yes.exp_string("deploy: $").unwrap();
    yes.exp_regex(r"validating v1\.1\.1: \d+ check\(s\) passed, \ds left")
        .unwrap();
    yes.exp_string("verified").unwrap();
    yes.exp_eof().unwrap();
    assert_eq!(
        after_ship(&p),
        types_of(&["deploying", "deployed", "verified"])
    );
}

#[test]
fn another_clone_goes_on_from_an_unfinished_deploy_only_with_take_over() {
    let p = prod("400ms", false);
    p.hotfix_with(
        &["deploy", "v1.1.1", "--yes"],
        &[("HOTFIX_FAILPOINT", "deploy-during-soak")],
    );
    assert_eq!(after_ship(&p), types_of(&["deploying", "deployed"]));
    // The kill left `deployed` on the remote; another clone sees a deploy it did not begin.
    let other = p.s.clone_as("other");
    let in_other = |args: &[&str]| {
        let env: Vec<(String, String)> = p.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        common::run_hotfix(&other, &p.s.home(), args, &env)
    };
    in_other(&["deploy", "v1.1.1", "--yes"])
        .code(2)
        .says("was begun in another clone")
        .says("--take-over");
    in_other(&["deploy", "v1.1.1", "--yes", "--take-over"])
        .ok()
        .says("verified");
    assert_eq!(p.runs().len(), 1, "the deploy command ran once");
    p.s.hotfix(&["sync"]).ok();
    assert_eq!(
        after_ship(&p),
        types_of(&["deploying", "deployed", "verified"])
    );
}
