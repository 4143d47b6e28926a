//! `hotfix init --ci gitlab`: a `.gitlab-ci.yml` job that is valid YAML, names the branches of
//! the configuration, and whose script, run as a GitLab runner runs it (a clone of the pipeline's
//! branch alone, detached), fetches what the check needs and publishes a JUnit report.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Out, Sandbox, hermetic};
use serde_json::Value;

fn yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// Runs one line of a job's script with `sh`, with this build's `hotfix` first on PATH and the
/// variables GitLab sets.
fn sh(dir: &Path, home: &Path, line: &str, vars: &[(&str, &str)]) -> Out {
    let bin = Path::new(env!("CARGO_BIN_EXE_hotfix")).parent().unwrap();
    let mut cmd = Command::new("sh");
    hermetic(&mut cmd, home);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd
        .env("PATH", path)
        .current_dir(dir)
        .args(["-c", line])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_job_names_the_configured_branches_and_is_valid_yaml() {
    let (s, _fix) = Sandbox::released();
    let cfg = s.config_file(
        "team.toml",
        "[release]\nhotfix-branch = \"fix/{version}\"\nbranch = \"rel.{line}\"\nledger = \"audit-log\"\nremote = \"upstream\"\nmainline = \"trunk\"\n",
    );
    s.hotfix(&["init", "--ci", "gitlab", "--config", &cfg]).ok();
    let text = s.read(".gitlab-ci.yml");
    let doc = yaml(&text);
    let job = &doc["hotfix-check"];
    assert_eq!(job["variables"]["GIT_DEPTH"], "0", "{text}");
    let ifs: Vec<&str> = job["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["if"].as_str().unwrap())
        .collect();
    assert_eq!(
        ifs,
        [
            r#"$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_TARGET_BRANCH_NAME =~ /^rel\.[0-9]+\.[0-9]+$/"#,
            r"$CI_COMMIT_BRANCH =~ /^fix\/[0-9]+\.[0-9]+\.[0-9]+$/ && $CI_OPEN_MERGE_REQUESTS",
            r"$CI_COMMIT_BRANCH =~ /^fix\/[0-9]+\.[0-9]+\.[0-9]+$/",
        ]
    );
    assert_eq!(job["rules"][1]["when"], "never");
    let script = strings(&job["script"]);
    assert_eq!(
        script[0],
        "git fetch --quiet --tags upstream '+refs/heads/*:refs/remotes/upstream/*'"
    );
    assert_eq!(
        script[1],
        "git fetch --quiet upstream +refs/heads/audit-log:refs/heads/audit-log || true"
    );
    assert!(script[2].starts_with(
        "hotfix check --format junit --head \"${CI_MERGE_REQUEST_SOURCE_BRANCH_SHA:-$CI_COMMIT_SHA}\" > hotfix-check.xml"
    ));
    assert_eq!(job["artifacts"]["when"], "always");
    assert_eq!(job["artifacts"]["reports"]["junit"], "hotfix-check.xml");
    let preview = &doc["hotfix-preview"];
    assert_eq!(
        preview["rules"][0]["if"],
        r#"$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_TARGET_BRANCH_NAME == "trunk""#
    );
    // The regexes are the ones GitLab will run (RE2 syntax, as the regex crate reads it).
    let re = regex::Regex::new(r"^fix\/[0-9]+\.[0-9]+\.[0-9]+$").unwrap();
    assert!(re.is_match("fix/1.2.3") && !re.is_match("hotfix/1.2.3") && !re.is_match("fix/x"));

    // Kept unless --force, as every file init writes.
    s.hotfix(&["init", "--ci", "gitlab"])
        .code(2)
        .says("already exists");
    // --force with --ci replaces the workflow and keeps the policy it follows.
    std::fs::write(
        s.path(".hotfix.toml"),
        "[release]\nhotfix-branch = \"urgent/{version}\"\n",
    )
    .unwrap();
    s.hotfix(&["init", "--ci", "gitlab", "--force"]).ok();
    assert_eq!(
        s.read(".hotfix.toml"),
        "[release]\nhotfix-branch = \"urgent/{version}\"\n"
    );
    assert!(s.read(".gitlab-ci.yml").contains("/^urgent\\/[0-9]+"));
}

#[test]
fn the_script_run_as_a_runner_runs_it_fetches_what_the_check_needs() {
    let (s, fix) = Sandbox::started();
    s.hotfix(&["pick", &fix]).ok();
    s.git(&["push", "-q", "origin", "hotfix/1.1.1", "hotfix-ledger"]);
    s.hotfix(&["init", "--ci", "gitlab"]).ok();
    let doc = yaml(&s.read(".gitlab-ci.yml"));
    let script = strings(&doc["hotfix-check"]["script"]);

    // A runner's clone: the pipeline's branch only, no tags, HEAD detached at its tip.
    let runner = s.home().join("runner");
    std::fs::create_dir(&runner).unwrap();
    s.git_in(&runner, &["init", "-q"]);
    s.git_in(
        &runner,
        &["remote", "add", "origin", s.origin.to_str().unwrap()],
    );
    s.git_in(
        &runner,
        &[
            "fetch",
            "-q",
            "--no-tags",
            "origin",
            "+refs/heads/hotfix/1.1.1:refs/remotes/origin/hotfix/1.1.1",
        ],
    );
    s.git_in(&runner, &["checkout", "-q", "--detach", "FETCH_HEAD"]);
    let head = s.git_in(&runner, &["rev-parse", "HEAD"]);

    // Without the job's fetches, there is nothing to judge from.
    let vars = [
        ("CI_COMMIT_SHA", head.as_str()),
        ("CI_COMMIT_BRANCH", "hotfix/1.1.1"),
    ];
    sh(&runner, &s.home(), "hotfix check --format junit", &vars)
        .code(2)
        .says("no release tags");

    for line in &script[..2] {
        sh(&runner, &s.home(), line, &vars).ok();
    }
    assert_eq!(
        s.git_in(&runner, &["rev-parse", "refs/heads/hotfix-ledger"]),
        s.rev("hotfix-ledger")
    );
    // No reviewer is named in CI here, so the check fails on `reviewed` alone, and the job
    // prints the report to its log as it fails.
    let out = sh(&runner, &s.home(), script[2], &vars);
    out.code(1);
    let xml = std::fs::read_to_string(runner.join("hotfix-check.xml")).unwrap();
    assert!(out.stdout.contains(&xml), "{}", out.all());
    let report = roxmltree::Document::parse(&xml).unwrap();
    let failed: Vec<&str> = report
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| n.attribute("type").unwrap())
        .collect();
    assert_eq!(failed, ["reviewed"], "{xml}");
    let head_property = report
        .descendants()
        .find(|n| n.has_tag_name("property") && n.attribute("name") == Some("head"))
        .unwrap();
    assert_eq!(head_property.attribute("value"), Some(head.as_str()));
}

#[test]
fn the_template_is_overridden_from_mainline() {
    let (s, _fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix/templates/ci-gitlab.yml",
            "team-check:\n  rules:\n    - if: '$CI_COMMIT_BRANCH =~ {{ hotfix_regex }}'\n  script:\n    - hotfix check --format junit > out.xml\n",
        )],
        "our own CI job",
    );
    s.publish();
    s.hotfix(&["init", "--ci", "gitlab"]).ok();
    let doc = yaml(&s.read(".gitlab-ci.yml"));
    assert!(doc.get("hotfix-check").is_none(), "{doc}");
    assert_eq!(
        doc["team-check"]["rules"][0]["if"],
        r"$CI_COMMIT_BRANCH =~ /^hotfix\/[0-9]+\.[0-9]+\.[0-9]+$/"
    );
}
