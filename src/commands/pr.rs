//! `hotfix pr`: pushes the hotfix branch and opens its pull request into the release branch.

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
    let dir = ctx.repo.workdir()?;
    let remote = ctx.remote().to_string();
    let release = expand_line(&ctx.config.release.branch, Line::of(&current.version));

    // The release branch: created at the base tag when the remote does not have it.
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

    let summary = gather(
        &ctx,
        &current.id,
        &current.base,
        current.head,
        &GatherOptions::default(),
    )?;
    let results = policy::evaluate(&summary, &ctx.config, &[]).results;
    let existing = gh
        .find_pull(&current.branch, &release)?
        .filter(|p| p.get("state").and_then(serde_json::Value::as_str) == Some("open"));
    let pull = match existing {
        Some(p) => {
            ui::note("the pull request exists already; reusing it");
            p
        }
        None => {
            let started = current.started.clone().unwrap_or_default();
            let picks = pick_rows(&ctx, Some(&gh), &current.id, &summary)?;
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
            let body = render::render(Some(&ctx), "pr-body.md", &context)?;
            let title = match started
                .summary
                .as_deref()
                .or(picks.first().map(|p| p.subject.as_str()))
            {
                Some(s) => format!("Hotfix {}: {s}", current.id),
                None => format!("Hotfix {}", current.id),
            };
            gh.create_pull(&title, &current.branch, &release, &body)?
        }
    };
    let number = pull
        .get("number")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let reviewers = if args.reviewer.is_empty() {
        ctx.config.github.reviewers.clone()
    } else {
        args.reviewer.clone()
    };
    if !reviewers.is_empty() {
        gh.request_reviewers(number, &reviewers)?;
    }
    if !ctx.config.github.labels.is_empty() {
        gh.add_labels(number, &ctx.config.github.labels)?;
    }
    let url = pull
        .get("html_url")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    ui::out(format!("pull request #{number} into {release}: {url}"));
    if !reviewers.is_empty() {
        ui::out(format!("  reviewers requested: {}", reviewers.join(", ")));
    }
    ui::note("next: once it is approved on its current head, `hotfix ship --push`");
    Ok(())
}
