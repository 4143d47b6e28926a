//! The GitHub client: octocrab on a Tokio runtime that exists only while a call is made.
//!
//! The token comes from `GITHUB_TOKEN` or `GH_TOKEN` and is never printed, logged or stored.
//! The API base comes from `GITHUB_API_URL` (GitHub Enterprise, and tests against a local
//! server). octocrab is built without its retry layer: its default retries a POST after a 5xx,
//! which creates duplicates. Instead every write is preceded by a read that finds what an
//! earlier run already made, so a re-run is safe.

use std::future::Future;
use std::time::Duration;

use octocrab::Octocrab;
use serde_json::Value;

use crate::config;
use crate::error::{Error, Result};
use crate::git::Person;
use crate::policy::Reviewer;

/// A repository on GitHub, with the credentials to reach it.
pub struct Github {
    pub owner: String,
    pub repo: String,
    base: String,
    token: Option<String>,
}

/// The token from the environment, if any.
fn token() -> Option<String> {
    ["GITHUB_TOKEN", "GH_TOKEN"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|t| !t.trim().is_empty())
}

/// Parses `owner/name` out of a GitHub remote URL in its https or ssh forms.
pub fn parse_slug(url: &str) -> Option<(String, String)> {
    let u = url.trim().trim_end_matches('/');
    let u = u.strip_suffix(".git").unwrap_or(u);
    let path = if let Some(rest) = u.split_once("://").map(|(_, r)| r) {
        // https://github.com/o/r, ssh://git@github.com/o/r, https://user@ghe.example/o/r
        rest.split_once('/')?.1.to_string()
    } else {
        // git@github.com:o/r
        u.split_once(':')?.1.to_string()
    };
    let mut parts = path.rsplitn(3, '/');
    let name = parts.next()?.to_string();
    let owner = parts.next()?.to_string();
    (!owner.is_empty() && !name.is_empty()).then_some((owner, name))
}

impl Github {
    /// Tells whether GitHub is to be used: a token is set.
    pub fn configured() -> bool {
        token().is_some()
    }

    /// Builds the client for the repository: `github.repo`, else parsed from the URL of the
    /// remote named `remote` (`remote_url`).
    pub fn new(cfg: &config::Github, remote: &str, remote_url: Option<&str>) -> Result<Github> {
        let slug = if !cfg.repo.is_empty() {
            cfg.repo
                .split_once('/')
                .map(|(o, r)| (o.to_string(), r.to_string()))
        } else {
            remote_url.and_then(parse_slug)
        };
        let (owner, repo) = slug.ok_or_else(|| {
            Error::usage("cannot tell which GitHub repository this is")
                .cause(format!(
                    "github.repo is not set and the remote '{remote}' has no GitHub URL"
                ))
                .hint("set it in .hotfix.toml: [github] repo = \"owner/name\"")
        })?;
        let base = std::env::var("GITHUB_API_URL")
            .ok()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| "https://api.github.com".into());
        Ok(Github {
            owner,
            repo,
            base: base.trim_end_matches('/').to_string(),
            token: token(),
        })
    }

    fn require_token(&self) -> Result<()> {
        if self.token.is_some() {
            return Ok(());
        }
        Err(Error::usage("no GitHub token")
            .cause("GITHUB_TOKEN and GH_TOKEN are not set")
            .hint("export GITHUB_TOKEN with a token that can read and write pull requests and releases"))
    }

    /// Runs one batch of GitHub calls on a runtime made for it, bounded in time.
    fn call<T, F, Fut>(&self, what: &str, f: F) -> Result<T>
    where
        F: FnOnce(Octocrab) -> Fut,
        Fut: Future<Output = std::result::Result<T, octocrab::Error>>,
    {
        self.require_token()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::external("cannot start the GitHub client").cause(e.to_string()))?;
        let base = self.base.clone();
        let token = self.token.clone().unwrap_or_default();
        // HOTFIX_GITHUB_TIMEOUT (seconds) bounds each batch of calls; 60 by default.
        let limit = std::env::var("HOTFIX_GITHUB_TIMEOUT")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(60);
        let result = runtime.block_on(async move {
            let built = Octocrab::builder().base_uri(base.as_str()).and_then(|b| {
                b.personal_token(token)
                    .set_connect_timeout(Some(Duration::from_secs(10)))
                    .set_read_timeout(Some(Duration::from_secs(30)))
                    .build()
            });
            match built {
                Ok(client) => tokio::time::timeout(Duration::from_secs(limit), f(client)).await,
                Err(e) => Ok(Err(e)),
            }
        });
        match result {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.redact(self.explain(what, e))),
            Err(_) => Err(
                Error::external(format!("GitHub did not answer in time ({what})"))
                    .cause(format!("no answer from {} within {limit}s", self.base))
                    .hint("check your network (and GITHUB_API_URL), then run the command again"),
            ),
        }
    }

    /// Turns an octocrab error into one the user can act on; the token never appears.
    fn explain(&self, what: &str, e: octocrab::Error) -> Error {
        let octocrab::Error::GitHub { source, .. } = &e else {
            return Error::external(format!("cannot reach GitHub ({what})"))
                .cause(format!("{} at {}", first_line(&e.to_string()), self.base))
                .hint("check your network and GITHUB_API_URL, then run the command again");
        };
        let status = source.status_code.as_u16();
        let message = source.message.clone();
        let details = source
            .errors
            .as_ref()
            .map(|errs| {
                errs.iter()
                    .map(|v| {
                        v.get("message")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .filter(|d| !d.is_empty())
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let slug = format!("{}/{}", self.owner, self.repo);
        match status {
            401 => Error::external(format!("GitHub refused the token ({what})"))
                .cause(format!("401: {message}"))
                .hint("set GITHUB_TOKEN (or GH_TOKEN) to a valid token; `gh auth token` prints yours"),
            403 | 429 if message.to_lowercase().contains("rate limit") || source.rate_limit_reset.is_some() => {
                let reset = source
                    .rate_limit_reset_at()
                    .map(|t| format!(" until {}", t.format("%H:%M UTC")))
                    .unwrap_or_default();
                Error::external(format!("GitHub's rate limit is used up ({what})"))
                    .cause(format!("{status}: {message}"))
                    .hint(format!("wait{reset}, or use a token with a higher limit; nothing was changed on GitHub"))
            }
            403 => Error::external(format!("GitHub forbids this ({what})"))
                .cause(format!("403: {message}"))
                .hint(format!("the token needs access to {slug} (contents, pull requests)")),
            404 => Error::external(format!("GitHub found nothing ({what})"))
                .cause(format!("404 for {slug}: {message}"))
                .hint("check github.repo (or the remote URL) and that the token can see the repository"),
            422 => Error::external(format!("GitHub rejected the request ({what})"))
                .cause(format!("422: {message}{details}"))
                .hint("the message above says which field; fix it and run the command again"),
            s if s >= 500 => Error::external(format!("GitHub failed ({what})"))
                .cause(format!("{s}: {message}"))
                .hint("GitHub had a problem; run the command again in a moment (it finds what was already made)"),
            s => Error::external(format!("GitHub answered {s} ({what})")).cause(message),
        }
    }

    /// Takes the token out of everything an error says: a server may echo it back (in a
    /// message such as "Bearer <token> is not valid"), and errors reach the terminal.
    fn redact(&self, mut e: Error) -> Error {
        let Some(token) = self.token.as_deref().filter(|t| t.len() >= 4) else {
            return e;
        };
        let clean = |s: &mut String| {
            if s.contains(token) {
                *s = s.replace(token, "[token redacted]");
            }
        };
        clean(&mut e.message);
        if let Some(c) = e.cause.as_mut() {
            clean(c);
        }
        if let Some(h) = e.hint.as_mut() {
            clean(h);
        }
        e
    }

    fn route(&self, rest: &str) -> String {
        format!("/repos/{}/{}{rest}", self.owner, self.repo)
    }

    /// GETs a route; a 404 is `None`.
    fn get_opt(&self, what: &str, route: String) -> Result<Option<Value>> {
        self.call(what, |c| async move {
            match c.get::<Value, _, ()>(route, None).await {
                Ok(v) => Ok(Some(v)),
                Err(octocrab::Error::GitHub { source, .. })
                    if source.status_code.as_u16() == 404 =>
                {
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        })
    }

    fn get(&self, what: &str, route: String) -> Result<Value> {
        self.call(
            what,
            |c| async move { c.get::<Value, _, ()>(route, None).await },
        )
    }

    fn post(&self, what: &str, route: String, body: Value) -> Result<Value> {
        self.call(what, |c| async move {
            c.post::<Value, Value>(route, Some(&body)).await
        })
    }

    /// Reads a pull request.
    pub fn pull(&self, number: u64) -> Result<Value> {
        self.get(
            &format!("reading pull request #{number}"),
            self.route(&format!("/pulls/{number}")),
        )
    }

    /// Lists a pull request's commits (up to 250, GitHub's limit for this endpoint).
    pub fn pull_commits(&self, number: u64) -> Result<Vec<Value>> {
        let mut all = Vec::new();
        for page in 1..=3 {
            let v = self.get(
                &format!("listing the commits of pull request #{number}"),
                self.route(&format!("/pulls/{number}/commits?per_page=100&page={page}")),
            )?;
            let items = v.as_array().cloned().unwrap_or_default();
            let n = items.len();
            all.extend(items);
            if n < 100 {
                break;
            }
        }
        Ok(all)
    }

    /// Lists a pull request's reviews.
    pub fn reviews(&self, number: u64) -> Result<Vec<Value>> {
        let v = self.get(
            &format!("reading the reviews of pull request #{number}"),
            self.route(&format!("/pulls/{number}/reviews?per_page=100")),
        )?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// Finds the newest pull request, open or closed, from `head` (a branch of this repository)
    /// into `base`.
    pub fn find_pull(&self, head: &str, base: &str) -> Result<Option<Value>> {
        let v = self.get(
            "looking for the hotfix pull request",
            self.route(&format!(
                "/pulls?state=all&head={}:{head}&base={base}",
                self.owner
            )),
        )?;
        Ok(v.as_array().and_then(|a| a.first().cloned()))
    }

    pub fn create_pull(&self, title: &str, head: &str, base: &str, body: &str) -> Result<Value> {
        self.post(
            "opening the hotfix pull request",
            self.route("/pulls"),
            serde_json::json!({"title": title, "head": head, "base": base, "body": body}),
        )
    }

    /// Replaces a pull request's body.
    pub fn update_pull_body(&self, number: u64, body: &str) -> Result<Value> {
        let route = self.route(&format!("/pulls/{number}"));
        let body = serde_json::json!({ "body": body });
        self.call(
            &format!("updating pull request #{number}"),
            |c| async move { c.patch::<Value, _, _>(route, Some(&body)).await },
        )
    }

    /// Requests reviewers; GitHub answers with the pull request, which is not read here.
    pub fn request_reviewers(&self, number: u64, reviewers: &[String]) -> Result<()> {
        self.post(
            "requesting reviewers",
            self.route(&format!("/pulls/{number}/requested_reviewers")),
            serde_json::json!({ "reviewers": reviewers }),
        )
        .map(|_| ())
    }

    pub fn add_labels(&self, number: u64, labels: &[String]) -> Result<()> {
        self.post(
            "labelling the pull request",
            self.route(&format!("/issues/{number}/labels")),
            serde_json::json!({ "labels": labels }),
        )
        .map(|_| ())
    }

    pub fn comment(&self, number: u64, body: &str) -> Result<()> {
        self.post(
            &format!("commenting on pull request #{number}"),
            self.route(&format!("/issues/{number}/comments")),
            serde_json::json!({ "body": body }),
        )
        .map(|_| ())
    }

    /// Lists a pull request's (issue) comments.
    pub fn comments(&self, number: u64) -> Result<Vec<Value>> {
        let v = self.get(
            &format!("reading the comments of #{number}"),
            self.route(&format!("/issues/{number}/comments?per_page=100")),
        )?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// Finds the release of a tag.
    pub fn release_by_tag(&self, tag: &str) -> Result<Option<Value>> {
        self.get_opt(
            "looking for the release",
            self.route(&format!("/releases/tags/{tag}")),
        )
    }

    /// Creates a release; `latest` false keeps GitHub's "Latest" on the newer release (an
    /// old line's patch must not take it).
    pub fn create_release(&self, tag: &str, name: &str, body: &str, latest: bool) -> Result<Value> {
        self.post(
            "creating the release",
            self.route("/releases"),
            serde_json::json!({
                "tag_name": tag,
                "name": name,
                "body": body,
                "draft": false,
                "prerelease": false,
                "make_latest": if latest { "true" } else { "false" },
            }),
        )
    }

    /// Lists the pull requests a commit belongs to (none when GitHub does not know the commit).
    pub fn pulls_of_commit(&self, sha: &str) -> Result<Vec<Value>> {
        let v = self.get_opt(
            "finding the pull request of a commit",
            self.route(&format!("/commits/{sha}/pulls")),
        )?;
        Ok(v.and_then(|v| v.as_array().cloned()).unwrap_or_default())
    }

    /// Returns the GitHub login of a commit's author, when GitHub knows it.
    pub fn commit_author_login(&self, sha: &str) -> Result<Option<String>> {
        let v = self.get_opt("reading a commit", self.route(&format!("/commits/{sha}")))?;
        Ok(v.and_then(|c| {
            c.pointer("/author/login")
                .and_then(Value::as_str)
                .map(str::to_string)
        }))
    }

    /// Reads the approvals of the pull request from `branch` into `release`: the latest review
    /// of each user is the one that stands, as on GitHub, and each approval says what stands
    /// against it (given by whoever hotfix runs as, by the pull request's author, by the author
    /// of a picked commit, `origins`, or on another commit than `head`). The callers judge:
    /// `reviewed` and `approved` do not exclude the same people.
    pub fn approvals(
        &self,
        branch: &str,
        release: &str,
        head: &str,
        origins: &[&str],
    ) -> Result<Vec<PullApproval>> {
        let Some(pull) = self.find_pull(branch, release)? else {
            return Ok(Vec::new());
        };
        let number = pull.get("number").and_then(Value::as_u64).unwrap_or(0);
        let pr_author = pull
            .pointer("/user/login")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let owner = self.token_owner()?;
        let mut authors = std::collections::HashSet::new();
        for origin in origins {
            if let Some(login) = self.commit_author_login(origin)? {
                authors.insert(login);
            }
        }
        let text = |v: &Value, pointer: &str| {
            v.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let mut latest: Vec<(String, String, String)> = Vec::new();
        for r in self.reviews(number)? {
            let (login, state, commit) = (
                text(&r, "/user/login"),
                text(&r, "/state"),
                text(&r, "/commit_id"),
            );
            if login.is_empty() || state == "COMMENTED" || state == "PENDING" {
                continue; // comments neither give nor withdraw an approval
            }
            latest.retain(|(l, _, _)| *l != login);
            latest.push((login, state, commit));
        }
        Ok(latest
            .into_iter()
            .filter(|(_, state, _)| state == "APPROVED")
            .map(|(login, _, commit)| PullApproval {
                number,
                by_token_owner: owner.as_deref() == Some(login.as_str()),
                by_pull_author: login == pr_author,
                by_picked_author: authors.contains(&login),
                stale: (commit != head).then(|| commit.chars().take(10).collect()),
                login,
            })
            .collect())
    }

    /// Returns the login the token belongs to (`GET /user`): whoever runs hotfix with it, so
    /// their own approval never counts. `None` when GitHub will not say (the installation token
    /// of a GitHub Actions run answers 403: it belongs to no person).
    pub fn token_owner(&self) -> Result<Option<String>> {
        let answer = self.call("reading who the token belongs to", |c| async move {
            match c.get::<Value, _, ()>("/user", None).await {
                Ok(v) => Ok(Some(v)),
                Err(octocrab::Error::GitHub { source, .. })
                    if matches!(source.status_code.as_u16(), 403 | 404) =>
                {
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        })?;
        Ok(answer
            .as_ref()
            .and_then(|u| u.get("login"))
            .and_then(Value::as_str)
            .filter(|l| !l.is_empty())
            .map(str::to_string))
    }

    pub fn slug(&self) -> String {
        format!("{}/{}", self.owner, self.repo)
    }
}

/// An approval on the hotfix pull request, with what stands against it.
#[derive(Debug, Clone)]
pub struct PullApproval {
    pub login: String,
    pub number: u64,
    /// Given by whoever the token belongs to: who runs hotfix, the shipper.
    pub by_token_owner: bool,
    pub by_pull_author: bool,
    pub by_picked_author: bool,
    /// The commit approved, when it is not the current head.
    pub stale: Option<String>,
}

impl PullApproval {
    /// The approval as a review for `reviewed`, excluded as that rule excludes.
    pub fn as_review(&self) -> Reviewer {
        let why = if self.by_picked_author && !self.by_token_owner && !self.by_pull_author {
            Some("an author of a picked commit".to_string())
        } else {
            self.against_approval()
        };
        self.claim(why)
    }

    /// The approval for `approved`: only the shipper's own, or one of another commit, is
    /// excluded; the author of a picked fix may approve shipping it.
    pub fn as_approval(&self) -> Reviewer {
        self.claim(self.against_approval())
    }

    fn against_approval(&self) -> Option<String> {
        if self.by_token_owner {
            Some("the owner of the GitHub token hotfix runs with, who ships it".to_string())
        } else if self.by_pull_author {
            Some(format!("approves their own pull request #{}", self.number))
        } else {
            self.stale.as_ref().map(|c| {
                format!("approved {c}, not the current head; the pull request changed since")
            })
        }
    }

    fn claim(&self, excluded: Option<String>) -> Reviewer {
        Reviewer {
            person: Person {
                name: self.login.clone(),
                email: String::new(),
            },
            source: format!("github #{}", self.number),
            verified: true,
            excluded,
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_https_and_ssh_urls() {
        let s = |u| parse_slug(u).map(|(o, r)| format!("{o}/{r}"));
        assert_eq!(
            s("https://github.com/acme/shop.git").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(
            s("https://github.com/acme/shop").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(
            s("git@github.com:acme/shop.git").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(
            s("ssh://git@github.com/acme/shop.git").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(
            s("https://ghe.example.com/acme/shop/").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(s("/srv/git/shop.git"), None);
    }
}
