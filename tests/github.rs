//! The GitHub integration against a local mock server (wiremock on 127.0.0.1), with real
//! GitHub response bodies from tests/fixtures/github. Each test asserts the requests the tool
//! made (method, path, body fields) and the repository and ledger it left.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{Out, Sandbox};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ghp_S3CRET_t0ken_never_shown_42";

fn fixture(name: &str) -> Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/github")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// A pull request body (GitHub's, from the fixture) with the fields a scenario needs.
fn pull(number: u64, merged: bool, merge_sha: &str, author: &str, head_ref: &str) -> Value {
    let mut p = fixture("pull_request_event.json")["payload"]["pull_request"].clone();
    p["number"] = json!(number);
    p["merged"] = json!(merged);
    p["merged_at"] = if merged {
        json!("2026-03-09T10:00:00Z")
    } else {
        Value::Null
    };
    p["state"] = json!(if merged { "closed" } else { "open" });
    p["merge_commit_sha"] = json!(merge_sha);
    p["user"]["login"] = json!(author);
    p["head"]["ref"] = json!(head_ref);
    p["html_url"] = json!(format!("https://github.com/acme/shop/pull/{number}"));
    p
}

fn review(login: &str, state: &str, commit: &str) -> Value {
    let mut r =
        fixture("GET_pulls_n_reviews.from-octocrab-get_pull_request_review.json")[0].clone();
    r["user"]["login"] = json!(login);
    r["state"] = json!(state);
    r["commit_id"] = json!(commit);
    r
}

/// A released repository whose mainline config names the GitHub repository.
fn repo() -> (Sandbox, String) {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(".hotfix.toml", "[github]\nrepo = \"acme/shop\"\n")],
        "github config",
    );
    s.push_main();
    (s, fix)
}

async fn hotfix(s: &Sandbox, server: &MockServer, args: &[&str]) -> Out {
    let work = s.work.clone();
    let home = s.home();
    let uri = server.uri();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::run_hotfix(
            &work,
            &home,
            &args,
            &[("GITHUB_API_URL", uri.as_str()), ("GITHUB_TOKEN", TOKEN)],
        )
    })
    .await
    .unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn token_header() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {TOKEN}").as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picks_a_pull_request_merged_with_a_merge_commit() {
    let (s, _fix) = repo();
    s.git(&["switch", "-q", "-c", "topic", "v1.1.0"]);
    s.commit(
        &[("src/pr.txt", "fix\n"), ("tests/pr_test.txt", "t\n")],
        "fix in a pull request",
    );
    s.git(&["switch", "-q", "main"]);
    s.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #1347 from acme/topic",
        "topic",
    ]);
    let merge = s.rev("HEAD");
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/pulls/1347"))
        .and(token_header())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(pull(1347, true, &merge, "dana", "topic")),
        )
        .expect(1)
        .mount(&server)
        .await;
    hotfix(&s, &server, &["pick", "#1347"]).await.ok();
    assert_eq!(s.read("src/pr.txt"), "fix\n");
    assert_eq!(
        s.git(&["rev-list", "--count", "--merges", "v1.1.0..HEAD"]),
        "0",
        "picked against parent 1"
    );
    assert!(
        s.git(&["log", "-1", "--format=%B"])
            .contains(&format!("(cherry picked from commit {merge})"))
    );
    let ev = s.events("v1.1.1");
    let picked = ev.iter().find(|e| e["type"] == "picked").unwrap();
    assert_eq!(picked["pr"], 1347);
    assert_eq!(picked["source"], merge);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picks_squashed_and_rebased_pull_requests() {
    let (s, _fix) = repo();
    let squash = s.commit(&[("src/sq.txt", "sq\n")], "Squashed fix (#21)");
    let r1 = s.commit(&[("src/r1.txt", "1\n")], "first rebased commit");
    let r2 = s.commit(&[("src/r2.txt", "2\n")], "second rebased commit");
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    let server = MockServer::start().await;
    let commits = |subjects: &[&str]| {
        let base = fixture("pull_request_commits.json")[0].clone();
        Value::Array(
            subjects
                .iter()
                .map(|m| {
                    let mut c = base.clone();
                    c["commit"]["message"] = json!(format!("{m}\n\nbody"));
                    c
                })
                .collect(),
        )
    };
    for (n, sha, subjects) in [
        (
            21u64,
            squash.clone(),
            vec!["work in progress", "address review"],
        ),
        (
            22,
            r2.clone(),
            vec!["first rebased commit", "second rebased commit"],
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/repos/acme/shop/pulls/{n}")))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(pull(n, true, &sha, "dana", "x")),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/repos/acme/shop/pulls/{n}/commits")))
            .respond_with(ResponseTemplate::new(200).set_body_json(commits(&subjects)))
            .mount(&server)
            .await;
    }
    let base = s.rev("HEAD");
    hotfix(&s, &server, &["pick", "--pr", "21", "#22"])
        .await
        .ok();
    let subjects = s.git(&["log", "--format=%s", &format!("{base}..HEAD")]);
    // Positional sources first, then --pr: #22's rebased commits oldest first, then #21's squash.
    assert_eq!(
        subjects,
        "Squashed fix (#21)\nsecond rebased commit\nfirst rebased commit"
    );
    let msg = s.git(&["log", "-1", "--format=%B", "HEAD~2"]);
    assert!(msg.contains(&r1), "{msg}");
    let prs: Vec<Value> = s
        .events("v1.1.1")
        .iter()
        .filter(|e| e["type"] == "picked")
        .map(|e| e["pr"].clone())
        .collect();
    assert_eq!(prs, [json!(22), json!(22), json!(21)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unmerged_pull_request_is_refused() {
    let (s, fix) = repo();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/pulls/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pull(5, false, &fix, "dana", "x")))
        .mount(&server)
        .await;
    let before = s.state();
    hotfix(&s, &server, &["pick", "#5"])
        .await
        .code(2)
        .says("not merged");
    assert_eq!(s.state(), before);
}

/// Mounts the endpoints `hotfix pr` uses; the list of pull requests answers `first` once, then
/// `later`.
async fn pr_endpoints(server: &MockServer, first: Value, later: Value) {
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/pulls"))
        .and(query_param("head", "acme:hotfix/1.1.1"))
        .and(query_param("base", "release/1.1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/pulls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(later))
        .mount(server)
        .await;
    let mut pulls = fixture("GET_commits_sha_pulls.pull-request-simple-items.json");
    pulls[0]["number"] = json!(1347);
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(
            r"^/repos/acme/shop/commits/[0-9a-f]{40}/pulls$",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(pulls))
        .mount(server)
        .await;
}

fn opened() -> Value {
    let mut p = fixture("pull_requests_list.json")[0].clone();
    p["number"] = json!(9);
    p["state"] = json!("open");
    p["html_url"] = json!("https://github.com/acme/shop/pull/9");
    p["user"]["login"] = json!("olga");
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opens_the_hotfix_pull_request_with_reviewers_and_a_rerun_makes_no_duplicate() {
    let (s, fix) = repo();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let server = MockServer::start().await;
    pr_endpoints(&server, json!([]), json!([opened()])).await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/pulls"))
        .and(body_partial_json(
            json!({"head": "hotfix/1.1.1", "base": "release/1.1"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(opened()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/pulls/9/requested_reviewers"))
        .and(body_partial_json(json!({"reviewers": ["rita"]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture(
            "POST_requested_reviewers_201.pull-request-simple.json",
        )))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/issues/9/labels"))
        .and(body_partial_json(json!({"labels": ["hotfix"]})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("add-labels-to-issue.1.POST.200.json")),
        )
        .expect(2)
        .mount(&server)
        .await;
    hotfix(&s, &server, &["pr", "--reviewer", "rita"])
        .await
        .ok()
        .says("pull request #9 into release/1.1");
    // The release branch was created at the base tag, and the hotfix branch pushed.
    assert_eq!(
        s.git_in(&s.origin, &["rev-parse", "release/1.1"]),
        s.rev("v1.1.0^{commit}")
    );
    assert_eq!(
        s.git_in(&s.origin, &["rev-parse", "hotfix/1.1.1"]),
        s.rev("HEAD")
    );
    let created = requests(&server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/repos/acme/shop/pulls")
        .unwrap();
    let body: Value = serde_json::from_slice(&created.body).unwrap();
    assert_eq!(body["title"], "Hotfix v1.1.1: fix: crash");
    let text = body["body"].as_str().unwrap();
    assert!(text.contains("| Rollback target | v1.1.0 |"), "{text}");
    assert!(text.contains("fix: crash"), "{text}");
    assert!(
        text.contains("(#1347)"),
        "the source pull request is linked: {text}"
    );
    assert!(text.contains("| `regression-test` | pass |"), "{text}");
    // Again: the open pull request is found, none is created (expect(1) above).
    hotfix(&s, &server, &["pr", "--reviewer", "rita"])
        .await
        .ok()
        .says("reusing it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_gets_one_pull_request_per_line_each_linking_the_others() {
    let (s, fix) = repo();
    s.hotfix(&[
        "start",
        "--line",
        "1.1",
        "--line",
        "1.0",
        "--incident",
        "INC-2",
    ])
    .ok();
    s.hotfix(&["pick", &fix]).ok();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/pulls"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(
            r"^/repos/acme/shop/commits/[0-9a-f]{40}/pulls$",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    for (head, n) in [("hotfix/1.1.1", 9), ("hotfix/1.0.1", 10)] {
        let mut p = opened();
        p["number"] = json!(n);
        Mock::given(method("POST"))
            .and(path("/repos/acme/shop/pulls"))
            .and(body_partial_json(json!({"head": head})))
            .respond_with(ResponseTemplate::new(201).set_body_json(p.clone()))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path(format!("/repos/acme/shop/pulls/{n}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(p))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/repos/acme/shop/issues/{n}/labels")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(fixture("add-labels-to-issue.1.POST.200.json")),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let out = hotfix(&s, &server, &["pr"]).await;
    out.ok()
        .says("pull request #9 into release/1.1")
        .says("pull request #10 into release/1.0");
    server.verify().await;
    // Both branches are on the remote, and each body links the other line's pull request.
    for b in ["hotfix/1.1.1", "hotfix/1.0.1"] {
        assert_eq!(s.git_in(&s.origin, &["rev-parse", b]), s.rev(b), "{b}");
    }
    for (n, other) in [(9, "- 1.0: v1.0.1 in #10"), (10, "- 1.1: v1.1.1 in #9")] {
        let patch = requests(&server)
            .await
            .into_iter()
            .find(|r| {
                r.method.as_str() == "PATCH"
                    && r.url.path() == format!("/repos/acme/shop/pulls/{n}")
            })
            .unwrap();
        let body: Value = serde_json::from_slice(&patch.body).unwrap();
        let text = body["body"].as_str().unwrap();
        assert!(text.contains(other), "#{n}: {text}");
        assert!(
            text.contains(&format!("#{n} (this pull request)")),
            "#{n}: {text}"
        );
        assert!(text.contains("Incident INC-2"), "#{n}: {text}");
        assert!(
            text.contains("fix: crash"),
            "the template's body stays: {text}"
        );
    }
}

async fn review_endpoints(server: &MockServer, reviews: Value) {
    let mut pr = opened();
    pr["user"]["login"] = json!("olga");
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/pulls"))
        .and(query_param("state", "all"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([pr])))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/pulls/9/reviews"))
        .respond_with(ResponseTemplate::new(200).set_body_json(reviews))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(
            r"^/repos/acme/shop/commits/[0-9a-f]{40}$",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"sha": "x", "author": {"login": "ann"}})),
        )
        .mount(server)
        .await;
}

fn reviewed(out: &Out) -> Value {
    let doc: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.all()));
    doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "reviewed")
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_count_only_on_the_head_and_not_from_authors() {
    let (s, fix) = repo();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let head = s.rev("HEAD");
    let older = s.rev("HEAD~1");
    let server = MockServer::start().await;
    review_endpoints(
        &server,
        json!([
            review("rita", "APPROVED", &head),
            review("bob", "APPROVED", &older),
            review("olga", "APPROVED", &head),
            review("ann", "APPROVED", &head),
        ]),
    )
    .await;
    let out = hotfix(&s, &server, &["check", "--format", "json"]).await;
    out.ok();
    let r = reviewed(&out);
    assert_eq!(r["verdict"], "pass");
    let notes: Vec<String> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}: {}",
                i["path"].as_str().unwrap(),
                i["note"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(notes.len(), 4, "{notes:?}");
    assert!(
        notes[0].starts_with("rita: counts (github #9, verified)"),
        "{notes:?}"
    );
    assert!(
        notes[1].starts_with("bob: does not count: approved"),
        "{notes:?}"
    );
    assert!(
        notes[2].starts_with("olga: does not count: approves their own pull request"),
        "{notes:?}"
    );
    assert!(
        notes[3].starts_with("ann: does not count: an author of a picked commit"),
        "{notes:?}"
    );

    // Without rita's approval on the head, nothing counts.
    let server = MockServer::start().await;
    review_endpoints(
        &server,
        json!([
            review("bob", "APPROVED", &older),
            review("olga", "APPROVED", &head)
        ]),
    )
    .await;
    let out = hotfix(&s, &server, &["check", "--format", "json"]).await;
    out.code(1);
    assert_eq!(reviewed(&out)["verdict"], "fail");

    // require-verified-review: a --reviewer flag does not count, the GitHub approval does.
    let strict = s.config_file(
        "strict.toml",
        "[github]\nrepo = \"acme/shop\"\n[policy]\nrequire-verified-review = true\n",
    );
    let out = hotfix(
        &s,
        &server,
        &[
            "check",
            "--format",
            "json",
            "--reviewer",
            "carl",
            "--config",
            &strict,
        ],
    )
    .await;
    out.code(1);
    let server = MockServer::start().await;
    review_endpoints(
        &server,
        json!([
            review("rita", "CHANGES_REQUESTED", &older),
            review("rita", "APPROVED", &head)
        ]),
    )
    .await;
    let out = hotfix(
        &s,
        &server,
        &["check", "--format", "json", "--config", &strict],
    )
    .await;
    out.ok();
    assert_eq!(reviewed(&out)["verdict"], "pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_to_ship_with_a_github_release_and_the_token_appears_nowhere() {
    let (s, fix) = repo();
    let server = MockServer::start().await;
    review_endpoints(&server, json!([])).await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/releases/tags/v1.1.1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/releases/tags/v1.1.1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture("repos_releases_get_by_tag.json")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/releases"))
        .and(body_partial_json(
            json!({"tag_name": "v1.1.1", "name": "v1.1.1", "draft": false}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture("repos_releases_get_by_tag.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut outputs = String::new();
    for args in [
        vec!["start", "--line", "1.1", "--incident", "INC-1"],
        vec!["pick", fix.as_str()],
        vec!["check", "--reviewer", "rita"],
        vec![
            "ship",
            "--reviewer",
            "rita",
            "--push",
            "--github-release",
            "--yes",
        ],
        vec!["ship", "--push", "--github-release", "--yes"],
        vec!["show", "v1.1.1", "--format", "json"],
    ] {
        let out = hotfix(&s, &server, &args).await;
        out.ok();
        outputs.push_str(&out.all());
    }
    let made = requests(&server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/repos/acme/shop/releases")
        .unwrap();
    let body: Value = serde_json::from_slice(&made.body).unwrap();
    assert_eq!(body["make_latest"], "true", "v1.1.1 is the newest release");
    let notes = body["body"].as_str().unwrap();
    assert!(notes.contains("- fix: crash"), "{notes}");
    assert!(notes.contains("Rollback: redeploy v1.1.0."), "{notes}");
    assert!(outputs.contains("GitHub release v1.1.1"), "{outputs}");
    // Every request carried the token; no output, ledger line or tag does.
    assert!(requests(&server).await.iter().all(|r| {
        r.headers
            .get("authorization")
            .is_some_and(|v| v.to_str().unwrap().contains(TOKEN))
    }));
    assert!(!outputs.contains(TOKEN));
    let ledger = s.git(&["log", "-p", "hotfix-ledger"]);
    assert!(!ledger.contains(TOKEN));
    assert!(!s.git(&["cat-file", "-p", "v1.1.1"]).contains(TOKEN));
    assert!(
        !std::fs::read_to_string(s.path(".git/config"))
            .unwrap()
            .contains(TOKEN)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn github_errors_exit_4_and_leave_nothing_half_made() {
    let (s, fix) = repo();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();

    // 401 on the first call.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})))
        .mount(&server)
        .await;
    let out = hotfix(&s, &server, &["pick", "#7"]).await;
    out.code(4).says("refused the token");
    assert!(!out.all().contains(TOKEN));

    // 404: the pull request does not exist.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    hotfix(&s, &server, &["pick", "#404"])
        .await
        .code(4)
        .says("found nothing");

    // A server that does not answer in time.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(std::time::Duration::from_secs(5))
                .set_body_json(json!({})),
        )
        .mount(&server)
        .await;
    let work = s.work.clone();
    let home = s.home();
    let uri = server.uri();
    let out = tokio::task::spawn_blocking(move || {
        common::run_hotfix(
            &work,
            &home,
            &["pick", "#8"],
            &[
                ("GITHUB_API_URL", uri.as_str()),
                ("GITHUB_TOKEN", TOKEN),
                ("HOTFIX_GITHUB_TIMEOUT", "1"),
            ],
        )
    })
    .await
    .unwrap();
    out.code(4).says("did not answer in time");

    // 403 with rate-limit headers.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1773144000")
                .set_body_json(json!({"message": "API rate limit exceeded for user ID 1.", "documentation_url": "https://docs.github.com/rest"})),
        )
        .mount(&server)
        .await;
    hotfix(&s, &server, &["check", "--reviewer", "rita"])
        .await
        .code(4)
        .says("rate limit");

    // 422 on creating the pull request: nothing is left half-made, and a re-run goes through.
    let server = MockServer::start().await;
    pr_endpoints(&server, json!([]), json!([])).await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/pulls"))
        .respond_with(ResponseTemplate::new(422).set_body_json(fixture("errors.0.POST.422.json")))
        .expect(1)
        .mount(&server)
        .await;
    let out = hotfix(&s, &server, &["pr"]).await;
    out.code(4).says("Validation Failed");
    let posts = requests(&server)
        .await
        .into_iter()
        .filter(|r| r.method.as_str() == "POST")
        .count();
    assert_eq!(
        posts, 1,
        "no reviewers or labels requested for a pull request that was not made"
    );

    // 502 on creating the release: exactly one POST (no retry), exit 4, and the re-run (the
    // release still absent) creates it once.
    s.hotfix(&["ship", "--reviewer", "rita", "--push", "--yes"])
        .ok();
    let server = MockServer::start().await;
    review_endpoints(&server, json!([])).await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/releases/tags/v1.1.1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/releases"))
        .respond_with(ResponseTemplate::new(502).set_body_json(json!({"message": "Server Error"})))
        .expect(1)
        .mount(&server)
        .await;
    hotfix(&s, &server, &["ship", "--github-release", "--yes"])
        .await
        .code(4)
        .says("GitHub failed");
    server.verify().await;
    let server = MockServer::start().await;
    review_endpoints(&server, json!([])).await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/releases/tags/v1.1.1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/releases"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture("repos_releases_get_by_tag.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    hotfix(&s, &server, &["ship", "--github-release", "--yes"])
        .await
        .ok()
        .says("GitHub release v1.1.1");
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_lines_release_does_not_take_latest() {
    let (s, fix) = repo();
    let server = MockServer::start().await;
    review_endpoints(&server, json!([])).await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/releases/tags/v1.0.1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/releases"))
        .and(body_partial_json(
            json!({"tag_name": "v1.0.1", "make_latest": "false"}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture("repos_releases_get_by_tag.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    for args in [
        vec!["start", "--line", "1.0"],
        vec!["pick", fix.as_str()],
        vec![
            "ship",
            "--reviewer",
            "rita",
            "--push",
            "--github-release",
            "--yes",
        ],
    ] {
        hotfix(&s, &server, &args).await.ok();
    }
    // v1.1.0 is newer than v1.0.1: the release was made with make_latest false.
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ship_comments_once_on_each_source_pull_request_when_configured() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            "[github]\nrepo = \"acme/shop\"\ncomment-on-source = true\n",
        )],
        "config",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let server = MockServer::start().await;
    review_endpoints(&server, json!([])).await;
    let mut pulls = fixture("GET_commits_sha_pulls.pull-request-simple-items.json");
    pulls[0]["number"] = json!(1347);
    Mock::given(method("GET"))
        .and(path(format!("/repos/acme/shop/commits/{fix}/pulls")))
        .respond_with(ResponseTemplate::new(200).set_body_json(pulls))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/issues/1347/comments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop/issues/1347/comments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!([{"id": 1, "body": "Picked into v1.1.1\n\n<!-- hotfix:v1.1.1 -->"}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop/issues/1347/comments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .expect(1)
        .mount(&server)
        .await;
    hotfix(
        &s,
        &server,
        &["ship", "--reviewer", "rita", "--push", "--yes"],
    )
    .await
    .ok();
    hotfix(&s, &server, &["ship", "--push", "--yes"]).await.ok();
    let posted = requests(&server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    let body: Value = serde_json::from_slice(&posted.body).unwrap();
    let text = body["body"].as_str().unwrap();
    assert!(
        text.starts_with("Picked into v1.1.1 (hotfix on 1.1) by Olga Oncall."),
        "{text}"
    );
    assert!(
        !text.contains("olga@example.com"),
        "no email in a public comment: {text}"
    );
    server.verify().await;
}

#[test]
fn picking_a_pull_request_without_a_token_says_what_to_set() {
    let (s, _fix) = repo();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", "#12"]).code(2).says("GITHUB_TOKEN");
    s.hotfix(&["pick", "#abc"])
        .code(2)
        .says("not a pull request number");
}

/// Issue 12, item 6: the shipper is the token's owner, learnt from `GET /user`; their own
/// approval of the hotfix pull request never counts as a verified review.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_owners_own_approval_does_not_count() {
    let (s, fix) = repo();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    s.hotfix(&["pick", &fix]).ok();
    let head = s.rev("HEAD");
    let server = MockServer::start().await;
    let mut me = fixture("user_data.json");
    me["login"] = json!("sam");
    Mock::given(method("GET"))
        .and(path("/user"))
        .and(token_header())
        .respond_with(ResponseTemplate::new(200).set_body_json(me))
        .expect(1..)
        .mount(&server)
        .await;
    review_endpoints(&server, json!([review("sam", "APPROVED", &head)])).await;
    let out = hotfix(&s, &server, &["check", "--format", "json"]).await;
    out.code(1);
    let r = reviewed(&out);
    assert_eq!(r["verdict"], "fail");
    assert_eq!(r["items"][0]["path"], "sam");
    assert!(
        r["items"][0]["note"]
            .as_str()
            .unwrap()
            .starts_with("does not count: the owner of the GitHub token"),
        "{r}"
    );
    // Ship refuses as well, and tags and records nothing.
    let out = hotfix(&s, &server, &["ship", "--yes"]).await;
    out.code(1);
    assert!(!s.git_ok(&["rev-parse", "-q", "--verify", "refs/tags/v1.1.1"]));
    assert!(!s.event_types("v1.1.1").contains(&"shipped".to_string()));
    // Someone else's approval on the head counts.
    let server = MockServer::start().await;
    let mut me = fixture("user_data.json");
    me["login"] = json!("sam");
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me))
        .mount(&server)
        .await;
    review_endpoints(&server, json!([review("rita", "APPROVED", &head)])).await;
    hotfix(&s, &server, &["check"]).await.ok();
}

fn rule_of(out: &Out, id: &str) -> Value {
    let doc: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.all()));
    common::rule(&doc, id).clone()
}

/// Issue 16: a GitHub approval of the hotfix pull request is an approval only from a listed
/// `@login`, and then it is the verified one `require-verified-approval` asks for; a name
/// given by hand never is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_login_approving_on_github_is_a_verified_approval() {
    let (s, fix) = Sandbox::released();
    s.commit(
        &[(
            ".hotfix.toml",
            "[github]\nrepo = \"acme/shop\"\n[policy]\nhotfix-severities = [\"sev1\"]\napprovers = [\"@erin\"]\nrequire-verified-approval = true\n",
        )],
        "policy",
    );
    s.push_main();
    s.hotfix(&["start", "--line", "1.1", "--severity", "sev3"])
        .ok();
    s.hotfix(&["pick", &fix]).ok();
    s.hotfix(&["approve", "v1.1.1", "--by", "@erin"])
        .ok()
        .says("unverified");
    let head = s.rev("HEAD");

    // rita's review counts for `reviewed`, not as an approval; erin's hand-given one is
    // unverified.
    let server = MockServer::start().await;
    review_endpoints(&server, json!([review("rita", "APPROVED", &head)])).await;
    let out = hotfix(&s, &server, &["check", "--format", "json"]).await;
    out.code(1);
    assert_eq!(rule_of(&out, "reviewed")["verdict"], "pass");
    let r = rule_of(&out, "approved");
    assert_eq!(r["verdict"], "fail", "{r}");
    let notes = r["items"].to_string();
    assert!(notes.contains("unverified"), "{r}");
    assert!(!notes.contains("rita"), "a review is not an approval: {r}");

    // erin approves the pull request: verified, and the rule passes.
    let server = MockServer::start().await;
    review_endpoints(
        &server,
        json!([
            review("rita", "APPROVED", &head),
            review("erin", "APPROVED", &head)
        ]),
    )
    .await;
    let out = hotfix(&s, &server, &["check", "--format", "json"]).await;
    out.ok();
    let r = rule_of(&out, "approved");
    assert_eq!(r["verdict"], "pass", "{r}");
    assert!(r["detail"].as_str().unwrap().contains("erin"), "{r}");
    assert_eq!(r["items"][1]["path"], "erin", "{r}");
    assert_eq!(r["items"][1]["note"], "counts (github #9, verified)", "{r}");
}

/// Issue 12, item 9: an API error whose body echoes the token back is printed with the token
/// taken out, with `-v` too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_echoed_back_by_the_server_is_redacted() {
    let (s, _fix) = repo();
    s.hotfix(&["start", "--line", "1.1"]).ok();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "message": format!("Bearer {TOKEN} is not a valid credential"),
            "documentation_url": "https://docs.github.com/rest"
        })))
        .mount(&server)
        .await;
    for args in [&["pick", "#7"][..], &["-v", "pick", "#7"][..]] {
        let out = hotfix(&s, &server, args).await;
        out.code(4)
            .says("[token redacted] is not a valid credential");
        assert!(!out.all().contains(TOKEN), "{}", out.all());
    }
    assert_eq!(s.event_types("v1.1.1"), vec!["started".to_string()]);
}
