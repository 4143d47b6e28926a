//! Deploying: what the ledger says about an environment (the version serving there, the last
//! verified one, the deploys left unfinished), and the runner of the team's deploy, rollback
//! and health-check commands (`[deploy]`), with the `HOTFIX_*` variables, the timeouts, the
//! interrupt and the redacted output tail.
//!
//! The steps themselves, their records and their exit codes are in `steps`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::config::Deploy;
use crate::ledger::{DeployStep, Deploying, Record, RolledBack};
use crate::shell;

mod steps;
pub use steps::{Options, rollback, run};

/// A release as the commands see it (`HOTFIX_ID`, `HOTFIX_TAG`, `HOTFIX_VERSION`,
/// `HOTFIX_COMMIT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub id: String,
    pub tag: String,
    pub version: String,
    pub commit: String,
}

/// What the ledger says about one environment.
#[derive(Debug, Clone, Default)]
pub struct EnvView {
    /// The tag serving there: the last deployed, or rolled back to.
    pub serving: Option<String>,
    /// The last tag verified there and not rolled back since, leaving out the hotfix asked
    /// about: the automatic rollback's target.
    pub last_verified: Option<String>,
    /// Other hotfixes whose deploy there is begun and not ended.
    pub unfinished: Vec<Unfinished>,
}

/// Another hotfix's deploy that stands unfinished in an environment.
#[derive(Debug, Clone)]
pub struct Unfinished {
    pub id: String,
    /// `deploying` or `interrupted`.
    pub step: &'static str,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// Tells whether an event names `env`; one without `env` (written before environments) counts
/// for the last environment.
fn names(e: &crate::ledger::Event, env: &str, last_env: &str) -> bool {
    e.data
        .get("env")
        .and_then(|v| v.as_str())
        .unwrap_or(last_env)
        == env
}

/// Reads an environment's state from every record; events without `env` count for the last
/// environment, `last_env`. `except` is the hotfix being deployed.
pub fn env_view(records: &[Record], env: &str, last_env: &str, except: &str) -> EnvView {
    let in_env = |e: &crate::ledger::Event| names(e, env, last_env);
    // (when, record id, record tag, kind, rolled back to)
    type Step<'r> = (
        DateTime<Utc>,
        &'r str,
        Option<String>,
        &'r str,
        Option<String>,
    );
    let mut steps: Vec<Step> = Vec::new();
    for r in records {
        let tag = r.tag();
        for e in &r.events {
            if !matches!(e.kind.as_str(), "deployed" | "verified" | "rolled_back") || !in_env(e) {
                continue;
            }
            let to = (e.kind == "rolled_back")
                .then(|| e.payload::<RolledBack>().map(|rb| rb.to))
                .flatten();
            steps.push((e.at, &r.id, tag.clone(), e.kind.as_str(), to));
        }
    }
    steps.sort_by_key(|s| s.0);
    let mut view = EnvView::default();
    let mut verified: Vec<(&str, String)> = Vec::new();
    for (_, id, tag, kind, to) in steps {
        match kind {
            "deployed" => view.serving = tag,
            "rolled_back" => {
                view.serving = to;
                verified.retain(|(v, _)| *v != id);
            }
            _ => {
                if let Some(t) = tag {
                    verified.retain(|(v, _)| *v != id);
                    verified.push((id, t));
                }
            }
        }
    }
    // A target is a version whose own last step there is `verified`: one deployed again since
    // and failed, or rolled back, is not.
    view.last_verified = verified
        .into_iter()
        .rev()
        .filter(|(id, _)| *id != except)
        .find(|(id, _)| {
            records.iter().any(|r| {
                r.id == *id && matches!(r.deploy_step(env, last_env), Some(DeployStep::Verified(_)))
            })
        })
        .map(|(_, t)| t);
    for r in records.iter().filter(|r| r.id != except) {
        let Some(step) = r.deploy_step(env, last_env) else {
            continue;
        };
        if !step.unfinished() {
            continue;
        }
        let kind = match step {
            DeployStep::Deploying(_) => "deploying",
            _ => "interrupted",
        };
        if let Some(e) = r.events.iter().rev().find(|e| e.kind == kind && in_env(e)) {
            view.unfinished.push(Unfinished {
                id: r.id.clone(),
                step: kind,
                at: e.at,
                by: e.by.clone(),
            });
        }
    }
    view
}

/// Where this hotfix's own deploy to an environment stands, for a re-run: the last step that
/// is not an interruption (an interruption only says the step before it was cut short), and
/// the `deploying` event that began it.
pub fn own_step(
    record: &Record,
    env: &str,
    last_env: &str,
) -> (Option<DeployStep>, Option<Deploying>) {
    let named = |e: &crate::ledger::Event| names(e, env, last_env);
    let mut trimmed = record.clone();
    trimmed
        .events
        .retain(|e| !(e.kind == "interrupted" && named(e)));
    let step = trimmed.deploy_step(env, last_env);
    let began = record
        .events
        .iter()
        .rev()
        .find(|e| e.kind == "deploying" && named(e))
        .and_then(|e| e.payload::<Deploying>());
    (step, began)
}

/// Says in a few words where a deploy to an environment stands, for `show` and `status`.
pub fn describe(step: Option<&DeployStep>) -> String {
    match step {
        None => "not deployed".into(),
        Some(DeployStep::Deploying(d)) => format!(
            "deploying: begun, not finished (baseline {})",
            match d.baseline {
                crate::ledger::Baseline::Healthy => "healthy",
                crate::ledger::Baseline::Unhealthy => "unhealthy",
                crate::ledger::Baseline::Unknown => "unknown",
            }
        ),
        Some(DeployStep::Deployed(_)) => "deployed, not verified".into(),
        Some(DeployStep::Failed(f)) => match &f.rollback_to {
            Some(to) => format!("failed ({}); the rollback to {to} did not finish", f.reason),
            None => format!("failed ({}), not rolled back", f.reason),
        },
        Some(DeployStep::Verified(v)) => match v.checks {
            Some(n) => format!("verified ({n} health check(s))"),
            None => "verified".into(),
        },
        Some(DeployStep::RolledBack(r)) => format!(
            "rolled back to {}{}{}",
            r.to,
            if r.automatic { ", automatically" } else { "" },
            match r.restored {
                Some(true) => ", healthy",
                Some(false) => ", NOT healthy",
                None => "",
            }
        ),
        Some(DeployStep::Interrupted(i)) => format!("interrupted during the {} step", i.step),
    }
}

/// Each configured environment with its last recorded step, in order.
pub fn per_env(record: &Record, envs: &[String]) -> Vec<(String, Option<DeployStep>)> {
    let last = envs.last().map(String::as_str).unwrap_or("production");
    envs.iter()
        .map(|e| (e.clone(), record.deploy_step(e, last)))
        .collect()
}

/// The health check's verdict over a stretch of checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Passed (`checks` runs in all).
    Healthy { checks: u32 },
    /// Did not pass in time, or failed during the validation; the last run's output tail.
    Unhealthy { checks: u32, tail: String },
    /// Ctrl-C or TERM stopped it.
    Interrupted,
}

/// Runs the `[deploy]` commands in one folder (the temporary worktree at mainline).
pub struct Runner<'a> {
    pub config: &'a Deploy,
    pub env: String,
    pub dir: &'a Path,
    pub interrupt: &'a AtomicBool,
    /// Values the kept output must not show.
    pub secrets: Vec<String>,
    /// Shows the health checks' progress (a terminal).
    pub progress: bool,
    /// Where the running command's process group is written down (`.git/hotfix/deploy-command`),
    /// so a re-run after a kill can stop what the killed run left running.
    pub run_file: std::path::PathBuf,
}

/// The environment marker of the commands one run of hotfix starts.
const RUN_MARK: &str = "HOTFIX_RUN_ID";

/// A configured span as people write it: `200ms`, `45s`, `5m`, `2h`.
pub fn human(d: chrono::Duration) -> String {
    let d = std_duration(d);
    let (ms, s) = (d.as_millis(), d.as_secs());
    if ms % 1000 != 0 || s == 0 {
        format!("{ms}ms")
    } else if s % 3600 == 0 {
        format!("{}h", s / 3600)
    } else if s % 60 == 0 {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// How long a command may run, from a configured span.
pub fn std_duration(d: chrono::Duration) -> Duration {
    d.to_std().unwrap_or(Duration::ZERO)
}

impl Runner<'_> {
    /// The variables a command sees: `target` is what it deploys (for a rollback, the version
    /// rolled back to), `from` the tag it replaces, `rollback_to` the tag a rollback would go to.
    pub fn vars(
        &self,
        action: &str,
        target: &Release,
        from: Option<&str>,
        rollback_to: Option<&str>,
    ) -> Vec<(String, String)> {
        [
            ("HOTFIX_ACTION", action),
            ("HOTFIX_ID", &target.id),
            ("HOTFIX_VERSION", &target.version),
            ("HOTFIX_TAG", &target.tag),
            ("HOTFIX_COMMIT", &target.commit),
            ("HOTFIX_ENV", &self.env),
            ("HOTFIX_FROM_TAG", from.unwrap_or("")),
            ("HOTFIX_ROLLBACK_TO", rollback_to.unwrap_or("")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    pub fn interrupted(&self) -> bool {
        self.interrupt.load(Ordering::SeqCst)
    }

    /// Runs the deploy or rollback command, its output streamed to stderr.
    pub fn command(
        &self,
        command: &str,
        vars: Vec<(String, String)>,
    ) -> crate::error::Result<shell::Run> {
        let nonce = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        );
        let mut env = vars;
        env.push((RUN_MARK.to_string(), nonce.clone()));
        let file = &self.run_file;
        let write_down = |pgid: u32| {
            let _ = std::fs::write(file, format!("{pgid} {RUN_MARK}={nonce}\n"));
        };
        let run = shell::run(&shell::Spec {
            command,
            dir: self.dir,
            env,
            timeout: std_duration(self.config.timeout.duration()),
            grace: Duration::from_secs(5),
            stream: true,
            tail_lines: 20,
            interrupt: Some(self.interrupt),
            on_spawn: Some(&write_down),
        });
        let _ = std::fs::remove_file(file);
        run
    }

    /// Stops a deploy or rollback command that a killed run left running (its process group
    /// is written down in the run file), before anything else looks at the environment: a
    /// re-run must not deploy beside it, nor judge health while it is still swapping.
    pub fn stop_orphan(&self) -> bool {
        let Ok(text) = std::fs::read_to_string(&self.run_file) else {
            return false;
        };
        let mut parts = text.split_whitespace();
        let (Some(pgid), Some(marker)) = (
            parts.next().and_then(|p| p.parse::<i32>().ok()),
            parts.next(),
        ) else {
            let _ = std::fs::remove_file(&self.run_file);
            return false;
        };
        let stopped = shell::stop_orphan(pgid, marker, Duration::from_secs(5));
        if stopped {
            crate::ui::warn(format!(
                "the command of an earlier run that was killed was still running (process group {pgid}): stopped it before going on"
            ));
        }
        let _ = std::fs::remove_file(&self.run_file);
        stopped
    }

    /// Whether `vars`' version serves, healthy, for a re-run deciding whether a cut-short
    /// command had finished: after stopping a command still running, one check tells (it will
    /// not finish now); otherwise checks until `health-timeout`, as a finished deploy may still
    /// be warming up.
    pub fn serving(
        &self,
        vars: &[(String, String)],
        what: &str,
        once: bool,
    ) -> crate::error::Result<Health> {
        if !once {
            return self.watch(vars, what, false);
        }
        let run = self.check(vars, std_duration(self.config.health_timeout.duration()))?;
        Ok(match run.ended {
            shell::Ended::Interrupted => Health::Interrupted,
            _ if run.success() => Health::Healthy { checks: 1 },
            _ => Health::Unhealthy {
                checks: 1,
                tail: shell::scrub(&shell::redact(&run.tail, &self.secrets)),
            },
        })
    }

    /// The output tail an event keeps: redacted, or none when `record-output` is off.
    pub fn kept(&self, tail: &str) -> Option<String> {
        (self.config.record_output && !tail.is_empty()).then(|| {
            // Secrets hidden, and control characters escaped line by line: the tail is read
            // back on terminals (`git show` of the ledger), where raw escapes would act.
            shell::scrub(&shell::redact(tail, &self.secrets))
                .lines()
                .map(crate::text::single_line_view)
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    /// One run of the health check, bounded by `limit`.
    pub fn check(
        &self,
        vars: &[(String, String)],
        limit: Duration,
    ) -> crate::error::Result<shell::Run> {
        shell::run(&shell::Spec {
            command: &self.config.health_check,
            dir: self.dir,
            env: vars.to_vec(),
            timeout: limit.max(Duration::from_secs(1)),
            grace: Duration::from_secs(2),
            stream: false,
            tail_lines: 10,
            interrupt: Some(self.interrupt),
            on_spawn: None,
        })
    }

    /// Runs the health check every `health-interval` until it passes or `health-timeout` runs
    /// out; then, when `soak` is set, keeps running it for `validate-for`, where any failure
    /// fails. `what` names the version for the progress line.
    pub fn watch(
        &self,
        vars: &[(String, String)],
        what: &str,
        soak: bool,
    ) -> crate::error::Result<Health> {
        let interval = std_duration(self.config.health_interval.duration());
        let budget = std_duration(self.config.health_timeout.duration());
        let start = Instant::now();
        let mut checks = 0u32;
        let bar = if self.progress {
            crate::ui::spinner(format!("health check of {what}"))
        } else {
            None
        };
        let say = |text: String| {
            if let Some(b) = &bar {
                b.set_message(text);
            }
        };
        let outcome = loop {
            let left = budget.saturating_sub(start.elapsed());
            say(format!(
                "health check of {what}: attempt {}, {}s left",
                checks + 1,
                left.as_secs()
            ));
            let run = self.check(vars, left)?;
            checks += 1;
            if run.ended == shell::Ended::Interrupted || self.interrupted() {
                break Health::Interrupted;
            }
            if run.success() {
                break Health::Healthy { checks };
            }
            let left = budget.saturating_sub(start.elapsed());
            if left.is_zero() {
                let timed_out = run.ended == shell::Ended::TimedOut;
                break Health::Unhealthy {
                    checks,
                    tail: format!(
                        "{}{}",
                        shell::scrub(&shell::redact(&run.tail, &self.secrets)),
                        if timed_out {
                            "\n(the health check did not answer in time)"
                        } else {
                            ""
                        }
                    ),
                };
            }
            // The last check falls on the deadline itself.
            if self.sleep(interval.min(left)) {
                break Health::Interrupted;
            }
        };
        let outcome = match outcome {
            Health::Healthy { checks: first } if soak => self.soak(vars, what, first, &say)?,
            other => other,
        };
        crate::ui::done(bar);
        Ok(outcome)
    }

    /// Keeps checking for `validate-for` after the first healthy answer.
    fn soak(
        &self,
        vars: &[(String, String)],
        what: &str,
        mut checks: u32,
        say: &dyn Fn(String),
    ) -> crate::error::Result<Health> {
        let length = std_duration(self.config.validate_for.duration());
        let interval = std_duration(self.config.health_interval.duration());
        let start = Instant::now();
        while start.elapsed() < length {
            let left = length.saturating_sub(start.elapsed());
            say(format!(
                "validating {what}: {checks} check(s) passed, {}s left",
                left.as_secs()
            ));
            if self.sleep(interval.min(left)) {
                return Ok(Health::Interrupted);
            }
            crate::error::failpoint("deploy-during-soak");
            let run = self.check(vars, std_duration(self.config.health_timeout.duration()))?;
            checks += 1;
            if run.ended == shell::Ended::Interrupted || self.interrupted() {
                return Ok(Health::Interrupted);
            }
            if !run.success() {
                return Ok(Health::Unhealthy {
                    checks,
                    tail: shell::scrub(&shell::redact(&run.tail, &self.secrets)),
                });
            }
        }
        Ok(Health::Healthy { checks })
    }

    /// Sleeps, waking early on an interrupt; returns true when interrupted.
    fn sleep(&self, d: Duration) -> bool {
        let until = Instant::now() + d;
        while Instant::now() < until {
            if self.interrupted() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20).min(until - Instant::now()));
        }
        self.interrupted()
    }
}

/// Catches Ctrl-C and TERM from here on: they set the flag instead of ending the process, so
/// the step under way is stopped and recorded (`interrupted`), never half-written.
pub fn catch_interrupts() -> crate::error::Result<&'static AtomicBool> {
    use std::sync::{Arc, OnceLock};
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    if let Some(f) = FLAG.get() {
        return Ok(f);
    }
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&flag))?;
    }
    Ok(FLAG.get_or_init(|| flag))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Event;

    fn event(kind: &str, id: &str, at: &str, data: serde_json::Value) -> Event {
        let mut e = Event::new(kind, id, "A <a@x>", at.parse().unwrap(), &data);
        e.kind = kind.to_string();
        e
    }

    fn record(id: &str, tag: &str, events: Vec<Event>) -> Record {
        let mut all = vec![event(
            "shipped",
            id,
            "2026-11-01T00:00:00Z",
            serde_json::json!({"tag": tag, "commit": "c", "rollback_to": "v1.0.0", "stats": {"commits":1,"files":1,"added":1,"deleted":0}, "paths": [], "tests": [], "reviewers": [], "rules": [], "overrides": []}),
        )];
        all.extend(events);
        Record {
            id: id.into(),
            events: all,
            damage: vec![],
        }
    }

    #[test]
    fn serving_follows_deploys_and_rollbacks_and_verified_skips_rolled_back() {
        let a = record(
            "v1.0.1",
            "v1.0.1",
            vec![
                event(
                    "deployed",
                    "v1.0.1",
                    "2026-11-02T00:00:00Z",
                    serde_json::json!({"deployed_at": "2026-11-02T00:00:00Z", "env": "production"}),
                ),
                event(
                    "verified",
                    "v1.0.1",
                    "2026-11-02T00:10:00Z",
                    serde_json::json!({"note": null, "env": "production"}),
                ),
            ],
        );
        let b = record(
            "v1.0.2",
            "v1.0.2",
            vec![
                event(
                    "deployed",
                    "v1.0.2",
                    "2026-11-03T00:00:00Z",
                    serde_json::json!({"deployed_at": "2026-11-03T00:00:00Z", "env": "production"}),
                ),
                event(
                    "verified",
                    "v1.0.2",
                    "2026-11-03T00:10:00Z",
                    serde_json::json!({"note": null}),
                ),
                event(
                    "rolled_back",
                    "v1.0.2",
                    "2026-11-03T01:00:00Z",
                    serde_json::json!({"reason": null, "to": "v1.0.1", "revert": null, "env": "production"}),
                ),
                event(
                    "deploying",
                    "v1.0.2",
                    "2026-11-04T00:00:00Z",
                    serde_json::json!({"env": "staging", "command": "x", "from": null, "baseline": "unknown"}),
                ),
            ],
        );
        let records = vec![a, b];
        let prod = env_view(&records, "production", "production", "v1.0.3");
        assert_eq!(prod.serving.as_deref(), Some("v1.0.1"));
        assert_eq!(prod.last_verified.as_deref(), Some("v1.0.1"));
        assert!(prod.unfinished.is_empty());
        let staging = env_view(&records, "staging", "production", "v1.0.3");
        assert_eq!(staging.serving, None);
        assert_eq!(staging.unfinished.len(), 1);
        assert_eq!(staging.unfinished[0].id, "v1.0.2");
        // Its own unfinished deploy is not another's.
        assert!(
            env_view(&records, "staging", "production", "v1.0.2")
                .unfinished
                .is_empty()
        );
    }
}
