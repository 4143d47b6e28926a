//! What the user names as a fix: a commit, a range `A..B` (oldest first), or a pull request
//! `#N` (its merge, squash or rebased commits once merged; its own commits before).

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::git::{CommitInfo, Oid};

/// What to do with a pull request that is not merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmerged {
    /// Refuse it: a hotfix carries only fixes merged on mainline (`pick`).
    Refuse,
    /// Take its commits as they are (`preview`, before the merge).
    HeadCommits,
}

/// One commit to pick, with what the user named it by.
pub struct Source {
    pub spec: String,
    pub oid: Oid,
    /// The parent to pick a merge against, when the source decides it (a merged pull request).
    pub mainline: Option<u32>,
    pub pr: Option<u64>,
}

/// Resolves one source: a commit, a range `A..B` (oldest first), or a pull request `#N`.
pub fn resolve(ctx: &Ctx, spec: &str, unmerged: Unmerged) -> Result<Vec<Source>> {
    let repo = &ctx.repo;
    let plain = |oid: Oid| Source {
        spec: spec.to_string(),
        oid,
        mainline: None,
        pr: None,
    };
    if let Some(n) = spec.strip_prefix('#') {
        let n: u64 = n.parse().map_err(|_| {
            Error::usage(format!("'{spec}' is not a pull request number"))
                .cause("a pull request is named #N, N a whole number")
                .hint("for example hotfix pick '#123' (quoted: # starts a comment in most shells)")
        })?;
        return pull_request_sources(ctx, n, unmerged);
    }
    if spec.contains("...") {
        return Err(Error::usage(format!("'{spec}' is a symmetric range"))
            .cause("A...B mixes both sides; a pick takes commits from one line of history")
            .hint("use A..B: the commits reachable from B and not from A"));
    }
    if let Some((a, b)) = spec.split_once("..") {
        let from = repo.resolve_commit(if a.is_empty() { "HEAD" } else { a })?;
        let to = repo.resolve_commit(if b.is_empty() { "HEAD" } else { b })?;
        let list = repo.range(from, to)?;
        if list.is_empty() {
            return Err(Error::usage(format!("the range {spec} holds no commits"))
                .cause(format!(
                    "everything reachable from {b} is reachable from {a}"
                ))
                .hint("check the order: A..B lists what B has and A lacks"));
        }
        return Ok(list.into_iter().map(plain).collect());
    }
    Ok(vec![plain(repo.resolve_commit(spec)?)])
}

/// Finds what a merged pull request brought to mainline: its merge commit (picked against its
/// first parent), its squash commit, or its rebased commits (oldest first).
fn pull_request_sources(ctx: &Ctx, n: u64, unmerged: Unmerged) -> Result<Vec<Source>> {
    let gh = ctx.github()?;
    let pull = gh.pull(n)?;
    let merged = pull
        .get("merged")
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
        || pull.get("merged_at").is_some_and(|v| !v.is_null());
    if !merged && unmerged == Unmerged::HeadCommits {
        // Not merged yet (`preview` on the fix's own pull request): its commits, oldest
        // first, as this clone has them.
        let mut out = Vec::new();
        for c in gh.pull_commits(n)? {
            let Some(sha) = c.get("sha").and_then(|v| v.as_str()) else {
                continue;
            };
            let oid = ctx.repo.resolve_commit(sha).map_err(|e| {
                e.hint(format!(
                    "the commits of #{n} are not in this clone: check out the pull request's head with its history"
                ))
            })?;
            out.push(Source {
                spec: format!("#{n}"),
                oid,
                mainline: None,
                pr: Some(n),
            });
        }
        return Ok(out);
    }
    if !merged {
        let state = pull
            .get("state")
            .and_then(|v| v.as_str())
            .unwrap_or("unknown");
        return Err(
            Error::usage(format!("pull request #{n} is not merged (it is {state})"))
                .cause("a hotfix carries only fixes already merged on mainline")
                .hint("merge it first, then pick it"),
        );
    }
    let sha = pull
        .get("merge_commit_sha")
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::external(format!("GitHub gave no merge commit for #{n}")))?;
    let oid = ctx.repo.resolve_commit(sha).map_err(|e| {
        e.hint(format!(
            "the merge of #{n} is not in this clone yet: git fetch {}",
            ctx.remote()
        ))
    })?;
    let source = |oid: Oid, mainline: Option<u32>| Source {
        spec: format!("#{n}"),
        oid,
        mainline,
        pr: Some(n),
    };
    let merge = ctx.repo.commit_info(oid)?;
    if merge.is_merge() {
        return Ok(vec![source(oid, Some(1))]);
    }
    // One commit on mainline: a squash, or a rebase of the pull request's commits onto it.
    let commits = gh.pull_commits(n)?;
    if commits.len() <= 1 {
        return Ok(vec![source(oid, None)]);
    }
    let subjects: Vec<String> = commits
        .iter()
        .map(|c| {
            c.pointer("/commit/message")
                .and_then(|m| m.as_str())
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let mut walked = Vec::new();
    let mut at: CommitInfo = merge;
    for _ in 0..subjects.len() {
        walked.push((at.id, at.subject().to_string()));
        if at.parents.len() != 1 {
            break;
        }
        at = ctx.repo.commit_info(at.parents[0])?;
    }
    walked.reverse();
    let rebased =
        walked.len() == subjects.len() && walked.iter().zip(&subjects).all(|((_, a), b)| a == b);
    if rebased {
        return Ok(walked.into_iter().map(|(o, _)| source(o, None)).collect());
    }
    Ok(vec![source(oid, None)])
}
