//! Collects the facts the policy rules judge: the hotfix's commits and where each came from,
//! its diff, its reviewers, its tags here and on the remote, and its rollback target.
//!
//! Facts only: nothing here prints or prompts (the caller shows progress), and nothing runs the
//! test command (`testrun` does, when the caller asks). Everything is bounded by the hotfix's own
//! commits plus ancestry checks: refs are listed, history is never walked from the root.

use std::collections::HashSet;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::git::message::{subject, trailer_values};
use crate::git::provenance::{self, Provenance};
use crate::git::{Oid, Person, ReleaseTag, cli};
use crate::policy::{BaseInfo, CommitSummary, LocalTag, RemoteTag, Reviewer, Summary};
use crate::version::{Line, expand, expand_line};

/// What `gather` needs beyond the range.
#[derive(Debug, Default)]
pub struct GatherOptions {
    pub reviewers: Vec<String>,
    pub shipper: Option<Person>,
    pub ask_remote: bool,
    /// Reads the hotfix pull request's approvals when a GitHub token is set.
    pub github: bool,
    /// Judges a hotfix whose tag is already at the head by that tag (`check`, `status`): its
    /// reviewers count and its tagger is the shipper. `ship` compares the tag with what it is
    /// given instead.
    pub shipped_tag: bool,
}

/// Collects the facts the rules judge for the hotfix `id` = base..head. `tests_run` is left
/// empty: `testrun::for_policy` fills it when the caller runs the tests.
pub fn gather(
    ctx: &Ctx,
    id: &str,
    base: &ReleaseTag,
    head: Oid,
    opts: &GatherOptions,
) -> Result<Summary> {
    let repo = &ctx.repo;
    let remote_query = opts.ask_remote.then(|| RemoteQuery::start(ctx, id));
    let mainline = ctx.mainline()?;
    let is_ancestor = repo.is_ancestor(base.commit, head)?;
    let commits = if is_ancestor {
        repo.range(base.commit, head)?
    } else {
        Vec::new()
    };

    // Commits without a trailer, looked for among mainline's commits in one pass after.
    let mut untrailed: Vec<(usize, crate::git::CommitInfo)> = Vec::new();
    let release_paths = &ctx.config.policy.release_paths;
    let mut summaries = Vec::new();
    let mut reviewers: Vec<Reviewer> = opts
        .reviewers
        .iter()
        .map(|r| Reviewer {
            person: Person::parse(r),
            source: "flag".into(),
            verified: false,
            excluded: None,
        })
        .collect();
    // What the record says: the severity declared at start, and the approvals given by name.
    let record = ctx.ledger().record(id)?;
    let mut severity = record
        .as_ref()
        .and_then(|r| r.started())
        .and_then(|s| s.severity);
    let mut approvals: Vec<Reviewer> = record
        .iter()
        .flat_map(|r| r.approvals())
        // One line each: a name goes into the tag's trailers, where a line break would forge one.
        .filter(|a| crate::text::single_line(&a.approver).is_ok() && !a.approver.trim().is_empty())
        .map(|a| Reviewer {
            person: Person::parse(&a.approver),
            // The ledger is a record, not evidence: an approval is verified only by GitHub,
            // asked now.
            source: a.source,
            verified: false,
            excluded: None,
        })
        .collect();
    for oid in &commits {
        let c = repo.commit_info(*oid)?;
        let merge = if c.is_merge() {
            Some(provenance::merge_check(repo, &c)?)
        } else {
            None
        };
        let provenance = if merge.is_some() {
            Provenance::Merge
        } else {
            provenance::provenance(repo, &c, &mainline)?
        };
        if provenance == Provenance::NoTrailer {
            let paths = repo.commit_paths(*oid)?;
            // A commit of release paths only (notes, a version bump) needs no source.
            let release_only = !release_paths.is_empty()
                && !paths.is_empty()
                && paths.iter().all(|p| release_paths.is_match(p));
            if !release_only {
                untrailed.push((summaries.len(), c.clone()));
            }
        }
        if merge.is_none() {
            reviewers.extend(claims(&c.message, "Reviewed-by", "trailer"));
            approvals.extend(claims(&c.message, "Hotfix-Approved-By", "trailer"));
        }
        summaries.push(CommitSummary {
            id: oid.to_string(),
            short: repo.short(*oid),
            subject: subject(&c.message).to_string(),
            author: c.author.clone(),
            provenance,
            merge,
            paths: if c.is_merge() {
                Vec::new()
            } else {
                repo.commit_paths(*oid)?
            },
        });
    }

    if !untrailed.is_empty() {
        let since = repo.mainline_since(base.commit, mainline.tip)?;
        let wanted: Vec<&crate::git::CommitInfo> = untrailed.iter().map(|(_, c)| c).collect();
        let found = provenance::match_all(repo, &wanted, &since)?;
        for ((i, _), m) in untrailed.iter().zip(found) {
            if let Some(m) = m {
                summaries[*i].provenance = m;
            }
        }
    }

    if opts.github && crate::github::Github::configured() {
        let approvers = &ctx.config.policy.approvers;
        for a in github_approvals(ctx, id, head, &summaries)? {
            reviewers.push(a.as_review());
            // A review approves the hotfix only from someone listed to approve.
            let listed = approvers
                .iter()
                .filter_map(|x| x.strip_prefix('@'))
                .any(|l| l.eq_ignore_ascii_case(&a.login));
            if listed {
                approvals.push(a.as_approval());
            }
        }
    }
    let riding = riding_commits(ctx, id, base, head, &commits)?;
    let changes = if is_ancestor {
        repo.changes(base.commit, head)?
    } else {
        Vec::new()
    };
    let local_tag = match repo.tag_target(id) {
        None => LocalTag::Free,
        Some(t) if t == head => LocalTag::AtHead,
        Some(_) => LocalTag::Elsewhere,
    };
    // A shipped hotfix is judged by what its own tag says: the reviewers ship counted, and the
    // tagger as the shipper (in CI the runner is not who shipped).
    let mut shipper = opts.shipper.clone();
    let mut shipped_overrides = Vec::new();
    if opts.shipped_tag && local_tag == LocalTag::AtHead {
        if let Some(tag) = shipped_tag(ctx, id) {
            reviewers.extend(tag.reviewers);
            approvals.extend(tag.approvals);
            severity = severity.or(tag.severity);
            shipper = tag.tagger.or(shipper);
            shipped_overrides = tag.overrides;
        }
    }
    let remote_tag = match remote_query {
        None => RemoteTag::NotAsked,
        Some(q) => q.finish(head)?,
    };
    let rollback_to = previous_release(ctx, id)?;
    Ok(Summary {
        id: id.to_string(),
        base: BaseInfo {
            tag: base.name.clone(),
            is_release: ctx.config.release.tag.release_version(&base.name).is_some(),
            is_ancestor,
            riding,
        },
        head: head.to_string(),
        commits: summaries,
        changes,
        reviewers,
        severity,
        approvals,
        shipper,
        local_tag,
        remote_tag,
        rollback_to,
        tests_run: None,
        shipped_overrides,
    })
}

/// What the annotated tag a ship made says about its hotfix.
struct ShippedTag {
    reviewers: Vec<Reviewer>,
    approvals: Vec<Reviewer>,
    severity: Option<String>,
    tagger: Option<Person>,
    overrides: Vec<crate::policy::Override>,
}

/// Reads the tag `id` as the one `hotfix ship` made: annotated, with a `Hotfix-Id: ID` trailer
/// (checked by the caller to point at the head). A lightweight or hand-made tag says nothing.
/// Its `Reviewed-by:` trailers count as unverified, like a commit's: the tag is git's own
/// record of the ship, not the ledger's claim.
fn shipped_tag(ctx: &Ctx, id: &str) -> Option<ShippedTag> {
    let message = ctx.repo.tag_message(id)?;
    if !trailer_values(&message, "Hotfix-Id")
        .iter()
        .any(|v| v == id)
    {
        return None;
    }
    let source = format!("tag {id}");
    let reviewers = claims(&message, "Reviewed-by", &source);
    let approvals = claims(&message, "Hotfix-Approved-By", &source);
    let severity = trailer_values(&message, "Hotfix-Severity").pop();
    // Each `Hotfix-Override: RULE`, with the reason the tag's body gives (`- RULE: reason`).
    let overrides = trailer_values(&message, "Hotfix-Override")
        .into_iter()
        .map(|rule| {
            let reason = message
                .lines()
                .find_map(|l| l.strip_prefix(&format!("- {rule}: ")))
                .map(str::to_string)
                .unwrap_or_else(|| format!("recorded in the tag {id}"));
            crate::policy::Override { rule, reason }
        })
        .collect();
    Some(ShippedTag {
        reviewers,
        approvals,
        severity,
        tagger: ctx.repo.tagger(id),
        overrides,
    })
}

/// Reads the people a message's `key:` trailers name, as unverified claims from `source`.
fn claims(message: &str, key: &str, source: &str) -> Vec<Reviewer> {
    trailer_values(message, key)
        .iter()
        .map(|r| Reviewer {
            person: Person::parse(r),
            source: source.to_string(),
            verified: false,
            excluded: None,
        })
        .collect()
}

/// Reads the approvals of the hotfix pull request (from the hotfix branch into the line's
/// release branch); see `Github::approvals` for which of them count.
fn github_approvals(
    ctx: &Ctx,
    id: &str,
    head: Oid,
    commits: &[CommitSummary],
) -> Result<Vec<crate::github::PullApproval>> {
    let Some(version) = ctx.config.release.tag.release_version(id) else {
        return Ok(Vec::new());
    };
    let branch = expand(&ctx.config.release.hotfix_branch, &version);
    let release = expand_line(&ctx.config.release.branch, Line::of(&version));
    let origins: Vec<&str> = commits
        .iter()
        .filter_map(|c| c.provenance.origin())
        .collect();
    ctx.github()?
        .approvals(&branch, &release, &head.to_string(), &origins)
}

/// Finds the newest release tag on the hotfix's line below its version: the rollback target.
fn previous_release(ctx: &Ctx, id: &str) -> Result<Option<String>> {
    let pattern = &ctx.config.release.tag;
    let Some(version) = pattern.release_version(id) else {
        return Ok(None);
    };
    let tags = ctx.repo.tag_refs(pattern)?;
    Ok(crate::git::TagRef::previous_on_line(&tags, &version).map(|t| t.name.clone()))
}

/// Finds commits queued on the release branch after the base tag that the hotfix carries.
///
/// Judged from git alone: a pick made for the hotfix is a new commit, never one of the release
/// branch's, so any commit the two share rides along. The one exception is a hotfix already
/// shipped and fast-forwarded into its release branch, which its own annotated tag proves (the
/// tag `id` at the head, carrying `Hotfix-Id: id`). The ledger is never asked: anyone who can
/// push can write it.
fn riding_commits(
    ctx: &Ctx,
    id: &str,
    base: &ReleaseTag,
    head: Oid,
    commits: &[Oid],
) -> Result<Vec<String>> {
    let name = expand_line(&ctx.config.release.branch, base.line());
    let Some(release) = ctx.repo.branch_tip(&name, ctx.remote()) else {
        return Ok(Vec::new());
    };
    if release.tip == base.commit || !ctx.repo.is_ancestor(base.commit, release.tip)? {
        return Ok(Vec::new());
    }
    if ctx.repo.is_ancestor(head, release.tip)? && shipped_at(ctx, id, head) {
        return Ok(Vec::new());
    }
    let queued: HashSet<Oid> = ctx
        .repo
        .range(base.commit, release.tip)?
        .into_iter()
        .collect();
    Ok(commits
        .iter()
        .filter(|c| queued.contains(c))
        .map(|c| c.to_string())
        .collect())
}

/// Tells whether the hotfix `id` shipped at `head`: its annotated tag points there and says
/// `Hotfix-Id: id`, as the tag `hotfix ship` makes does.
fn shipped_at(ctx: &Ctx, id: &str, head: Oid) -> bool {
    ctx.repo.tag_target(id) == Some(head)
        && ctx
            .repo
            .tag_message(id)
            .is_some_and(|m| trailer_values(&m, "Hotfix-Id").iter().any(|v| v == id))
}

/// Asks the remote for the tag in a background thread, so the network round trip overlaps the
/// local work; `RemoteQuery::finish` turns the answer into a verdict input.
enum RemoteQuery {
    NoRemote,
    Asked(std::thread::JoinHandle<Result<std::result::Result<Option<String>, String>>>),
}

impl RemoteQuery {
    fn start(ctx: &Ctx, id: &str) -> RemoteQuery {
        let remote = ctx.remote().to_string();
        if !ctx.repo.has_remote(&remote) {
            return RemoteQuery::NoRemote;
        }
        let dir = ctx.repo.command_dir();
        let id = id.to_string();
        RemoteQuery::Asked(std::thread::spawn(move || {
            cli::remote_tag(&dir, &remote, &id)
        }))
    }

    fn finish(self, head: Oid) -> Result<RemoteTag> {
        let handle = match self {
            RemoteQuery::NoRemote => return Ok(RemoteTag::NoRemote),
            RemoteQuery::Asked(h) => h,
        };
        let answer = handle
            .join()
            .map_err(|_| Error::external("asking the remote for the tag failed"))??;
        Ok(match answer {
            Err(message) => RemoteTag::Unknown(message),
            Ok(None) => RemoteTag::Free,
            Ok(Some(sha)) if sha == head.to_string() => RemoteTag::AtHead,
            Ok(Some(_)) => RemoteTag::Elsewhere,
        })
    }
}
