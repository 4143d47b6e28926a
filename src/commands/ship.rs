//! `hotfix ship`: judges every rule, tags the patch release, records it, and optionally pushes
//! everything in one atomic push.
//!
//! Each step is idempotent, so re-running ship after an interruption finishes the job: an
//! existing tag at the head is reused, a recorded `shipped` event is not written twice, and the
//! push is repeated until it lands.

use serde::Serialize;

use crate::context::{Ctx, Current, Globals};
use crate::error::{Error, Result};
use crate::gather::{GatherOptions, gather};
use crate::git::cli;
use crate::git::pick::PickState;
use crate::ledger::{self, Event, OverrideRecord, ReviewerRecord, RuleRecord, Shipped, Stats};
use crate::policy::{self, LocalTag, Override, Provenance, Summary, Verdict};
use crate::version::{Line, expand_line};
use crate::{render, testrun, ui};

/// Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.
///
/// Shows the plan and asks for confirmation on a terminal; without one it needs --yes.
/// With --push, the hotfix branch, tag, release branch (fast-forward only) and ledger land in
/// one atomic push. Re-running ship after an interruption finishes the job.
///
/// Examples:
///   hotfix ship --reviewer "Rita <rita@example.com>" --push
///   hotfix ship --dry-run
///   hotfix ship --override regression-test --reason "test lands in INC-4521 follow-up" --yes
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A reviewer who is not an author (repeatable); counts as unverified.
    #[arg(long, value_name = "WHO")]
    pub reviewer: Vec<String>,

    /// Overrides a failing rule (repeatable); needs --reason. Recorded and counted in reports.
    #[arg(long = "override", value_name = "RULE", requires = "reason")]
    pub overrides: Vec<String>,

    /// Why the overridden rules are bent.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Pushes branch, tag, release branch and ledger in one atomic push.
    #[arg(long)]
    pub push: bool,

    /// Creates the GitHub release for the tag, with notes from templates/release-notes.md
    /// (needs GITHUB_TOKEN, and the tag on GitHub: use it with --push).
    #[arg(long)]
    pub github_release: bool,

    /// Signs the tag with your git signing key (through the git program).
    #[arg(long)]
    pub sign: bool,

    /// Prints the plan and changes nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// What the tag message template receives.
#[derive(Serialize)]
struct TagContext {
    id: String,
    line: String,
    base: String,
    rollback_to: String,
    summary: Option<String>,
    incident: Option<String>,
    severity: Option<String>,
    picks: Vec<TagPick>,
    reviewers: Vec<String>,
    overrides: Vec<OverrideRecord>,
}

#[derive(Serialize)]
struct TagPick {
    subject: String,
    short: String,
    origin_short: Option<String>,
    clean: bool,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    let repo = &ctx.repo;
    repo.workdir()?;
    let overrides = overrides(&args)?;
    if PickState::load(repo)?.is_some() {
        return Err(Error::usage("a pick is in progress")
            .cause("a `hotfix pick` stopped and is waiting; shipping now would tag half a hotfix")
            .hint(
                "finish it with `hotfix pick --continue`, or undo it with `hotfix pick --abort`",
            ));
    }
    let current = ctx.current()?;
    repo.ensure_no_git_operation()?;
    ctx.ensure_unlocked()?;
    repo.ensure_not_shallow("ship", ctx.remote())?;
    repo.ensure_clean("ship")?;
    let shipper = repo.me()?;

    // A hotfix already tagged and recorded at this head only has the push left to do.
    let record = ctx.ledger().record(&current.id)?;
    let already = record.as_ref().and_then(|r| r.shipped()).filter(|s| {
        s.commit == current.head.to_string() && repo.tag_target(&s.tag) == Some(current.head)
    });
    if let Some(shipped) = already {
        ui::note(format!(
            "{} is already tagged and recorded at {}",
            shipped.tag,
            repo.short(current.head)
        ));
        if args.push && !args.dry_run {
            push(&ctx, &current)?;
            ui::out(format!("pushed {} to {}", shipped.tag, ctx.remote()));
        } else if !args.push && !args.github_release {
            ui::note("nothing left to do here; `hotfix ship --push` publishes it");
        }
        if !args.dry_run {
            publish_on_github(&ctx, &current, args.push, args.github_release)?;
        }
        print_rollback(&shipped.tag, &shipped.rollback_to);
        return Ok(());
    }

    let mut summary = gather(
        &ctx,
        &current.id,
        &current.base,
        current.head,
        &GatherOptions {
            reviewers: args.reviewer.clone(),
            shipper: Some(shipper.clone()),
            ask_remote: true,
            github: true,
        },
    )?;
    if summary.commits.is_empty() {
        return Err(
            Error::usage(format!("{} has no commits to ship", current.branch))
                .cause(format!("the branch is still at {}", current.base.name))
                .hint("pick the fix first: hotfix pick <sha>"),
        );
    }
    summary.tests_run = ui::with_progress(|phase| {
        testrun::for_policy(
            &ctx,
            &current.base,
            current.head,
            &summary.changes,
            summary.base.is_ancestor,
            phase,
        )
    })?;
    let results = policy::evaluate(&summary, &ctx.config, &overrides);
    for o in &overrides {
        if results
            .iter()
            .any(|r| r.id == o.rule && r.verdict != Verdict::Overridden)
        {
            ui::warn(format!(
                "--override {}: the rule does not fail, so nothing is overridden",
                o.rule
            ));
        }
    }
    let applied: Vec<OverrideRecord> = results
        .iter()
        .filter(|r| r.verdict == Verdict::Overridden)
        .map(|r| OverrideRecord {
            rule: r.id.to_string(),
            reason: r.override_reason.clone().unwrap_or_default(),
        })
        .collect();

    // The plan.
    let refspecs = refspecs(&ctx, &current)?;
    ui::print_check(
        &summary,
        &results,
        policy::size(&summary.changes, &ctx.config),
        globals.verbose,
    );
    ui::out("");
    ui::out("plan:");
    for c in summary.commits.iter().filter(|c| !c.is_merge()) {
        ui::out(format!(
            "  pick     {} {} ({})",
            c.short,
            c.subject,
            c.provenance.describe()
        ));
    }
    ui::out(format!(
        "  tag      {} at {} (annotated{})",
        current.id,
        repo.short(current.head),
        if args.sign { ", signed" } else { "" }
    ));
    ui::out(format!(
        "  record   shipped event in the ledger ({})",
        ctx.config.release.ledger
    ));
    if args.push {
        ui::out(format!("  push     to {}, atomically:", ctx.remote()));
        for r in &refspecs.specs {
            ui::out(format!("             {r}"));
        }
        for n in &refspecs.notes {
            ui::out(format!("           {n}"));
        }
    }
    ui::out(format!("  rollback to {}", current.base.name));

    if !policy::passes(&results) {
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| r.verdict == Verdict::Fail)
            .map(|r| r.id)
            .collect();
        return Err(Error::policy(format!("not shipped: rules failed: {}", failed.join(", ")))
            .cause("the discipline this repository set in .hotfix.toml is not met")
            .hint(format!(
                "fix what the hints say, or bend a rule in the open: --override {} --reason \"...\"",
                failed[0]
            )));
    }
    if args.dry_run {
        ui::out("");
        ui::out("dry run: nothing changed");
        return Ok(());
    }
    if !globals.yes {
        if !ui::interactive() {
            return Err(Error::usage(
                "ship needs confirmation, and there is no terminal to ask on",
            )
            .cause("shipping tags a release; it is never done without a yes")
            .hint("run it again with --yes to confirm (--dry-run shows the plan only)"));
        }
        let default = applied.is_empty();
        if !ui::confirm(&format!("Ship {}?", current.id), default)? {
            ui::out("not shipped: nothing changed");
            return Ok(());
        }
    }

    // 1. The tag.
    let counted: Vec<ReviewerRecord> = counted_reviewers(&summary, &results);
    if summary.local_tag == LocalTag::Free {
        let message = tag_message(&ctx, &current, &summary, &counted, &applied)?;
        create_tag(&ctx, &current, &message, args.sign)?;
    }
    crate::error::failpoint("ship-after-tag");
    // 2. The record.
    let (files, added, deleted) = policy::size(&summary.changes, &ctx.config);
    let shipped = Shipped {
        tag: current.id.clone(),
        commit: current.head.to_string(),
        rollback_to: current.base.name.clone(),
        stats: Stats {
            commits: summary.commits.iter().filter(|c| !c.is_merge()).count(),
            files,
            added,
            deleted,
        },
        paths: summary.changes.iter().map(|c| c.path.clone()).collect(),
        tests: policy::test_evidence(&summary, &ctx.config)
            .into_iter()
            .filter_map(|i| i.path)
            .collect(),
        reviewers: counted,
        rules: results
            .iter()
            .map(|r| RuleRecord {
                id: r.id.to_string(),
                verdict: r.verdict.as_str().to_string(),
                detail: r.detail.clone(),
            })
            .collect(),
        overrides: applied,
        tests_run: summary.tests_run.clone(),
    };
    let ledger = ctx.ledger();
    let by = shipper.to_string();
    ledger.append(&Event::new(
        "shipped",
        &current.id,
        &by,
        ledger::now(repo)?,
        &shipped,
    ))?;
    crate::error::failpoint("ship-after-record");
    ui::out(format!(
        "tagged {} at {}",
        current.id,
        repo.short(current.head)
    ));
    // 3. The push.
    if args.push {
        push(&ctx, &current)?;
        ui::out(format!("pushed {} to {}", current.id, ctx.remote()));
    } else {
        ui::note("not pushed; publish with `hotfix ship --push`");
    }
    publish_on_github(&ctx, &current, args.push, args.github_release)?;
    print_rollback(&current.id, &current.base.name);
    Ok(())
}

/// The GitHub side of shipping, each step safe to repeat: the release (created only when the
/// tag has none), and with `github.comment-on-source` a comment on each source pull request
/// (made only when the pull request has none for this tag).
fn publish_on_github(ctx: &Ctx, current: &Current, pushed: bool, release: bool) -> Result<()> {
    let comment = ctx.config.github.comment_on_source;
    let commenting = comment && crate::github::Github::configured();
    if !release && !commenting {
        return Ok(());
    }
    let gh = ctx.github()?;
    let record = ctx.ledger().record(&current.id)?;
    let started = current.started.clone().unwrap_or_default();
    let mut picks = Vec::new();
    for p in record.as_ref().map(|r| r.picks()).unwrap_or_default() {
        let pr = match p.pr {
            Some(n) => Some(n),
            None => gh
                .pulls_of_commit(&p.source)?
                .iter()
                .find(|x| x.get("merged_at").is_some_and(|m| !m.is_null()))
                .and_then(|x| x.get("number").and_then(serde_json::Value::as_u64)),
        };
        picks.push(serde_json::json!({"subject": p.subject, "pr": pr, "source": p.source}));
    }
    if release {
        if !pushed {
            let dir = ctx.repo.workdir()?;
            if !matches!(
                cli::remote_tag(&dir, ctx.remote(), &current.id)?,
                Ok(Some(_))
            ) {
                return Err(Error::usage(format!("{} is not on {} yet", current.id, ctx.remote()))
                    .cause("a GitHub release is made for a tag GitHub has; otherwise GitHub would tag its default branch")
                    .hint("add --push: hotfix ship --push --github-release"));
            }
        }
        match gh.release_by_tag(&current.id)? {
            Some(r) => ui::note(format!(
                "the GitHub release of {} exists already: {}",
                current.id,
                r.get("html_url")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("")
            )),
            None => {
                let context = serde_json::json!({
                    "id": current.id,
                    "line": Line::of(&current.version).to_string(),
                    "summary": started.summary,
                    "incident": started.incident,
                    "severity": started.severity,
                    "rollback_to": current.base.name,
                    "picks": picks,
                });
                let body = render::render(Some(ctx), "release-notes.md", &context)?;
                let made = gh.create_release(&current.id, &current.id, &body)?;
                ui::out(format!(
                    "GitHub release {}: {}",
                    current.id,
                    made.get("html_url")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("")
                ));
            }
        }
    }
    if comment {
        let marker = format!("<!-- hotfix:{} -->", current.id);
        for p in &picks {
            let Some(n) = p.get("pr").and_then(serde_json::Value::as_u64) else {
                continue;
            };
            let done = gh.comments(n)?.iter().any(|c| {
                c.get("body")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|b| b.contains(&marker))
            });
            if !done {
                let body = format!(
                    "Picked into {} (hotfix on {}) by {}.\n\n{marker}",
                    current.id,
                    Line::of(&current.version),
                    ctx.repo.me()?.name
                );
                gh.comment(n, &body)?;
            }
        }
    }
    Ok(())
}

fn print_rollback(tag: &str, to: &str) {
    ui::out(format!(
        "rollback: redeploy {to}   (git switch --detach {to}); {tag} stays recorded"
    ));
}

fn overrides(args: &Args) -> Result<Vec<Override>> {
    if args.reason.is_some() && args.overrides.is_empty() {
        return Err(Error::usage("--reason without --override")
            .cause("a reason explains an override")
            .hint("add --override RULE, or drop --reason"));
    }
    let reason = args.reason.clone().unwrap_or_default();
    if !args.overrides.is_empty() && reason.trim().is_empty() {
        return Err(Error::usage("--reason is empty")
            .cause("an override is recorded and counted; it needs a reason people can read")
            .hint("--reason \"what makes this acceptable\""));
    }
    args.overrides
        .iter()
        .flat_map(|o| o.split(','))
        .map(|rule| {
            let rule = rule.trim();
            if !policy::is_rule(rule) {
                let ids: Vec<&str> = policy::RULES.iter().map(|(r, _)| *r).collect();
                return Err(Error::usage(format!("--override {rule}: no such rule"))
                    .cause(format!("the rules are: {}", ids.join(", ")))
                    .hint("name the rule id as check prints it"));
            }
            Ok(Override {
                rule: rule.to_string(),
                reason: reason.clone(),
            })
        })
        .collect()
}

fn counted_reviewers(summary: &Summary, results: &[policy::RuleResult]) -> Vec<ReviewerRecord> {
    let Some(rule) = results.iter().find(|r| r.id == "reviewed") else {
        return Vec::new();
    };
    let counted: Vec<&String> = rule
        .items
        .iter()
        .filter(|i| i.note.starts_with("counts"))
        .filter_map(|i| i.path.as_ref())
        .collect();
    summary
        .reviewers
        .iter()
        .filter(|r| counted.contains(&&r.person.to_string()))
        .fold(Vec::new(), |mut acc: Vec<ReviewerRecord>, r| {
            if !acc.iter().any(|a| a.name == r.person.to_string()) {
                acc.push(ReviewerRecord {
                    name: r.person.to_string(),
                    source: r.source.clone(),
                    verified: r.verified,
                });
            }
            acc
        })
}

fn tag_message(
    ctx: &Ctx,
    current: &Current,
    summary: &Summary,
    reviewers: &[ReviewerRecord],
    overrides: &[OverrideRecord],
) -> Result<String> {
    let started = current.started.clone().unwrap_or_default();
    let context = TagContext {
        id: current.id.clone(),
        line: Line::of(&current.version).to_string(),
        base: current.base.name.clone(),
        rollback_to: current.base.name.clone(),
        summary: started.summary,
        incident: started.incident,
        severity: started.severity,
        picks: summary
            .commits
            .iter()
            .filter(|c| !c.is_merge())
            .map(|c| {
                let (origin_short, clean) = match &c.provenance {
                    Provenance::Picked { origin, clean, .. } => {
                        (Some(origin[..10].to_string()), *clean)
                    }
                    _ => (None, true),
                };
                TagPick {
                    subject: c.subject.clone(),
                    short: c.short.clone(),
                    origin_short,
                    clean,
                }
            })
            .collect(),
        reviewers: reviewers.iter().map(|r| r.name.clone()).collect(),
        overrides: overrides.to_vec(),
    };
    let text = render::render(Some(ctx), "tag-message.txt", &context)?;
    Ok(tidy(&text))
}

/// Collapses runs of blank lines and trims the ends, so template whitespace never shows.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.trim().lines() {
        let empty = line.trim().is_empty();
        if empty && blank {
            continue;
        }
        blank = empty;
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn create_tag(ctx: &Ctx, current: &Current, message: &str, sign: bool) -> Result<()> {
    let repo = &ctx.repo;
    if sign {
        let dir = repo.workdir()?;
        let mut file = tempfile::NamedTempFile::new()?;
        std::io::Write::write_all(&mut file, message.as_bytes())?;
        let path = file.path().to_string_lossy().into_owned();
        let head = current.head.to_string();
        let out = cli::run(
            &dir,
            &[
                "tag",
                "-s",
                "--cleanup=verbatim",
                "-F",
                &path,
                &current.id,
                &head,
            ],
            cli::NETWORK_TIMEOUT,
        )?;
        if !out.success {
            return Err(Error::usage(format!("signing the tag {} failed", current.id))
                .cause(out.stderr.trim().to_string())
                .hint("check your signing set-up (git config user.signingkey, gpg.format), or ship without --sign"));
        }
        return Ok(());
    }
    repo.create_annotated_tag(&current.id, current.head, message)?;
    Ok(())
}

struct Refspecs {
    specs: Vec<String>,
    notes: Vec<String>,
}

/// Lists what ship --push sends: hotfix branch, tag, release branch when it fast-forwards, and
/// the ledger.
fn refspecs(ctx: &Ctx, current: &Current) -> Result<Refspecs> {
    let mut specs = vec![
        format!("refs/heads/{0}:refs/heads/{0}", current.branch),
        format!("refs/tags/{0}:refs/tags/{0}", current.id),
    ];
    let mut notes = Vec::new();
    let release = expand_line(&ctx.config.release.branch, Line::of(&current.version));
    let remote_ref = format!("refs/remotes/{}/{release}", ctx.remote());
    match ctx.repo.ref_target(&remote_ref) {
        Some(tip) if tip == current.head => {}
        Some(tip) if ctx.repo.is_ancestor(tip, current.head)? => {
            specs.push(format!("{}:refs/heads/{release}", current.head));
        }
        Some(_) => notes.push(format!(
            "{release} is left alone: it holds commits the hotfix does not, so it cannot fast-forward"
        )),
        None => {}
    }
    let ledger = &ctx.config.release.ledger;
    specs.push(format!("refs/heads/{ledger}:refs/heads/{ledger}"));
    Ok(Refspecs { specs, notes })
}

/// Brings the remote's ledger in (union merge), then pushes everything in one atomic push.
fn push(ctx: &Ctx, current: &Current) -> Result<()> {
    let dir = ctx.repo.workdir()?;
    ctx.ledger().pull()?;
    let specs = refspecs(ctx, current)?;
    let spin = ui::spinner(format!("pushing to {}", ctx.remote()));
    let pushed = cli::push_atomic(&dir, ctx.remote(), &specs.specs);
    ui::done(spin);
    pushed
}
