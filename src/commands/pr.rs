//! `hotfix pr`: pushes the hotfix branch and opens its pull request into the release branch;
//! on an incident, one per line, each linking the others.

use serde::Serialize;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::gather::{GatherOptions, gather};
use crate::git::cli;
use crate::git::pick::PickState;
use crate::github::Github;
use crate::ledger::Stats;
use crate::policy::{self, Summary};
use crate::version::{Line, expand_line};
use crate::{render, ui};

/// Pushes the hotfix branch and opens its pull request into the release branch.
///
/// The release branch is created at the base tag when it does not exist; reviewers are
/// requested and labels set.
///
/// The body comes from templates/pr-body.md: incident, picks with their source pull requests,
/// size, rule verdicts and the rollback target. Running it again updates nothing twice: an
/// existing pull request is reused.
///
/// On an incident of several lines, every open line gets its own pull request into its own
/// release branch, and each one's body links the others.
///
/// Example: GITHUB_TOKEN=... hotfix pr --reviewer rita
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A GitHub login to request a review from (repeatable); default: github.reviewers.
    #[arg(long, value_name = "LOGIN")]
    pub reviewer: Vec<String>,
}

/// A pick as the pull request body and the release notes show it.
#[derive(Debug, Serialize)]
pub struct PickRow {
    pub subject: String,
    pub short: String,
    pub origin: String,
    pub origin_short: String,
    pub pr: Option<u64>,
    pub clean: bool,
}

/// Lists the hotfix's picks with the pull request each source came from: the one recorded at
/// pick time, else the one GitHub links the source commit to.
pub fn pick_rows(
    ctx: &Ctx,
    gh: Option<&Github>,
    id: &str,
    summary: &Summary,
) -> Result<Vec<PickRow>> {
    let recorded = ctx
        .ledger()
        .record(id)?
        .map(|r| r.picks())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for c in summary.commits.iter().filter(|c| !c.is_merge()) {
        let Some(origin) = c.provenance.origin() else {
            continue;
        };
        let clean = c.provenance.is_clean();
        let mut pr = recorded
            .iter()
            .find(|p| p.commit == c.id)
            .and_then(|p| p.pr);
        if pr.is_none() {
            if let Some(gh) = gh {
                pr = gh
                    .pulls_of_commit(origin)?
                    .iter()
                    .find(|p| p.get("merged_at").is_some_and(|m| !m.is_null()))
                    .and_then(|p| p.get("number").and_then(serde_json::Value::as_u64));
            }
        }
        rows.push(PickRow {
            subject: c.subject.clone(),
            short: c.short.clone(),
            origin: origin.to_string(),
            origin_short: origin[..10].to_string(),
            pr,
            clean,
        });
    }
    Ok(rows)
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix pr`")?;
    if PickState::load(&ctx.repo)?.is_some() {
        return Err(Error::usage("a pick is in progress")
            .cause("the pull request would show half a hotfix")
            .hint(
                "finish it with `hotfix pick --continue`, or undo it with `hotfix pick --abort`",
            ));
    }
    let current = ctx.current()?;
    let gh = ctx.github()?;
    let lines = lines(&ctx, current)?;
    // 1. Each line's branch is pushed and its pull request found or opened.
    let mut opened: Vec<Opened> = Vec::new();
    for c in lines {
        let (pull, made) = open_one(&ctx, &gh, &c)?;
        opened.push(Opened {
            current: c,
            pull,
            made,
        });
    }
    // 2. On an incident, each pull request links the others, in a block of its own that a
    //    re-run replaces (a body edited by hand keeps the rest).
    if opened.len() > 1 {
        let rows: Vec<(String, String, u64)> = opened
            .iter()
            .map(|o| {
                (
                    Line::of(&o.current.version).to_string(),
                    o.current.id.clone(),
                    number(&o.pull),
                )
            })
            .collect();
        let incident = opened[0]
            .current
            .started
            .as_ref()
            .and_then(|s| s.incident.clone())
            .unwrap_or_default();
        for o in &opened {
            let n = number(&o.pull);
            let block = links_block(&incident, &rows, n);
            let body = o
                .pull
                .get("body")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            let updated = with_block(body, &block);
            if updated != body {
                gh.update_pull_body(n, &updated)?;
            }
        }
    }
    // 3. Reviewers and labels.
    let reviewers = if args.reviewer.is_empty() {
        ctx.config.github.reviewers.clone()
    } else {
        args.reviewer.clone()
    };
    for o in &opened {
        let n = number(&o.pull);
        if !reviewers.is_empty() {
            gh.request_reviewers(n, &reviewers)?;
        }
        if !ctx.config.github.labels.is_empty() {
            gh.add_labels(n, &ctx.config.github.labels)?;
        }
        let release = expand_line(&ctx.config.release.branch, Line::of(&o.current.version));
        let url = o
            .pull
            .get("html_url")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        ui::out(format!(
            "pull request #{n} into {release}: {url}{}",
            if o.made { "" } else { " (reused)" }
        ));
    }
    if !reviewers.is_empty() {
        ui::out(format!("  reviewers requested: {}", reviewers.join(", ")));
    }
    ui::note("next: once it is approved on its current head, `hotfix ship --push`");
    Ok(())
}

/// One line's pull request, and whether this run opened it.
struct Opened {
    current: crate::context::Current,
    pull: serde_json::Value,
    made: bool,
}

fn number(pull: &serde_json::Value) -> u64 {
    pull.get("number")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
}

/// The checked-out hotfix, then the other open lines of its incident whose branches are
/// here, newest first.
fn lines(ctx: &Ctx, current: crate::context::Current) -> Result<Vec<crate::context::Current>> {
    let Some(incident) = current.started.as_ref().and_then(|s| s.incident.clone()) else {
        return Ok(vec![current]);
    };
    let mut others: Vec<(Line, String)> = ctx
        .incident(&incident)?
        .into_iter()
        .filter(|r| r.id != current.id && !r.is_closed())
        .filter_map(|r| {
            let s = r.started()?;
            Some((Line::parse(&s.line).ok()?, s.branch))
        })
        .collect();
    others.sort_by_key(|(l, _)| std::cmp::Reverse(*l));
    let mut out = vec![current];
    for (line, branch) in others {
        if ctx.repo.local_branch(&branch).is_none() {
            ui::warn(format!(
                "line {line}: {branch} is not in this clone; no pull request for it"
            ));
            continue;
        }
        out.push(ctx.hotfix_on(&branch)?);
    }
    Ok(out)
}

const LINKS_START: &str = "<!-- hotfix:lines -->";
const LINKS_END: &str = "<!-- /hotfix:lines -->";

/// The block that links an incident's other pull requests from pull request `me`.
fn links_block(incident: &str, rows: &[(String, String, u64)], me: u64) -> String {
    let mut out = format!(
        "{LINKS_START}\n**Incident {}: the same fix on every line**\n\n",
        incident.replace(['<', '>', '\n', '\r'], " ")
    );
    for (line, id, n) in rows {
        let this = if *n == me { " (this pull request)" } else { "" };
        out.push_str(&format!("- {line}: {id} in #{n}{this}\n"));
    }
    out.push_str(LINKS_END);
    out
}

/// Puts `block` into `body`: in place of the block a run put there before, else at the end.
fn with_block(body: &str, block: &str) -> String {
    if let (Some(a), Some(b)) = (body.find(LINKS_START), body.find(LINKS_END)) {
        if a < b {
            return format!("{}{block}{}", &body[..a], &body[b + LINKS_END.len()..]);
        }
    }
    if body.trim().is_empty() {
        return block.to_string();
    }
    format!("{}\n\n{block}\n", body.trim_end())
}

/// Pushes one line's hotfix branch (and creates its release branch at the base tag when the
/// remote has none), then finds its open pull request or opens one. True when opened now.
fn open_one(
    ctx: &Ctx,
    gh: &Github,
    current: &crate::context::Current,
) -> Result<(serde_json::Value, bool)> {
    let dir = ctx.repo.workdir()?;
    let remote = ctx.remote().to_string();
    let release = expand_line(&ctx.config.release.branch, Line::of(&current.version));
    let listed = cli::run(
        &dir,
        &[
            "ls-remote",
            "--heads",
            &remote,
            &format!("refs/heads/{release}"),
        ],
        cli::NETWORK_TIMEOUT,
    )?;
    if !listed.success {
        return Err(Error::external(format!("cannot reach {remote}"))
            .cause(listed.stderr.trim().to_string()));
    }
    let mut specs = vec![format!("refs/heads/{0}:refs/heads/{0}", current.branch)];
    if listed.stdout.trim().is_empty() {
        ui::note(format!(
            "creating {release} on {remote} at {}",
            current.base.name
        ));
        specs.push(format!("{}:refs/heads/{release}", current.base.commit));
    }
    cli::push_atomic(&dir, &remote, &specs)?;

    let existing = gh
        .find_pull(&current.branch, &release)?
        .filter(|p| p.get("state").and_then(serde_json::Value::as_str) == Some("open"));
    if let Some(p) = existing {
        ui::note(format!(
            "the pull request of {} exists already; reusing it",
            current.id
        ));
        return Ok((p, false));
    }
    let summary = gather(
        ctx,
        &current.id,
        &current.base,
        current.head,
        &GatherOptions::default(),
    )?;
    let results = policy::evaluate(&summary, &ctx.config, &[]).results;
    let started = current.started.clone().unwrap_or_default();
    let picks = pick_rows(ctx, Some(gh), &current.id, &summary)?;
    let (files, added, deleted) = policy::size(&summary.changes, &ctx.config);
    let context = serde_json::json!({
        "id": current.id,
        "summary": started.summary,
        "incident": started.incident,
        "severity": started.severity,
        "base": current.base.name,
        "rollback_to": current.base.name,
        "stats": Stats { commits: summary.commits.iter().filter(|c| !c.is_merge()).count(), files, added, deleted },
        "picks": picks,
        "rules": results.iter().map(|r| serde_json::json!({"id": r.id, "verdict": r.verdict.as_str(), "detail": r.detail.replace('|', "\\\\|")})).collect::<Vec<_>>(),
    });
    let body = render::render(Some(ctx), "pr-body.md", &context)?;
    let title = match started
        .summary
        .as_deref()
        .or(picks.first().map(|p| p.subject.as_str()))
    {
        Some(s) => format!("Hotfix {}: {s}", current.id),
        None => format!("Hotfix {}", current.id),
    };
    let mut made = gh.create_pull(&title, &current.branch, &release, &body)?;
    // What the body is now, for the links block (GitHub's answer may not echo it).
    made["body"] = serde_json::Value::String(body);
    Ok((made, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_links_block_is_added_once_and_replaced_in_place() {
        let rows = vec![
            ("1.2".to_string(), "v1.2.1".to_string(), 7),
            ("1.1".to_string(), "v1.1.1".to_string(), 8),
        ];
        let block = links_block("INC-1", &rows, 8);
        assert!(block.contains("- 1.2: v1.2.1 in #7\n"));
        assert!(block.contains("- 1.1: v1.1.1 in #8 (this pull request)\n"));
        let once = with_block("Body.\n", &block);
        assert_eq!(once, format!("Body.\n\n{block}\n"));
        let again = with_block(&once, &block);
        assert_eq!(again, once, "a re-run changes nothing");
        let other = links_block("INC-1", &rows[..1], 7);
        let replaced = with_block(&format!("{once}after\n"), &other);
        assert!(replaced.starts_with("Body.\n\n"));
        assert!(replaced.contains(&other) && !replaced.contains("#8"));
        assert!(replaced.ends_with("\nafter\n"), "{replaced}");
    }
}
