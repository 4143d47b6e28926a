//! `hotfix rollback`: records (and optionally performs) the rollback of a shipped hotfix.

use semver::Version;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::git::{Oid, RefUpdate};
use crate::ledger::{Revert, RolledBack, Shipped};
use crate::ui;

/// Rolls a shipped hotfix back, or records that it was: a failed change, counted in reports.
///
/// With `[deploy] command` set, it runs `rollback-command` (default: `command`) in --env with
/// the rollback target's variables: the last version verified there, else the release the
/// hotfix replaced. It health-checks the result and records `rolled_back`.
///
/// Without `[deploy]`, it records the rollback to the previous release (redeploy that tag).
/// With --revert it reverts the hotfix's commits on its branch and tags the next patch version
/// as the rollback release, so the line moves forward instead of backwards.
///
/// Examples:
///   hotfix rollback v1.4.3 --env production --yes
///   hotfix rollback v1.4.3 --reason "checkout latency doubled"
///   hotfix rollback v1.4.3 --revert --reason "checkout latency doubled"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id (v1.4.3) or version (1.4.3).
    pub id: String,

    /// Reverts the hotfix's commits on its branch and tags the next patch as the rollback release.
    #[arg(long)]
    pub revert: bool,

    /// Why it is rolled back.
    #[arg(long, value_name = "TEXT", value_parser = crate::text::single_line)]
    pub reason: Option<String>,

    /// The environment, one of `deploy.environments`; default: the last of them.
    #[arg(long, value_name = "NAME", value_parser = crate::text::single_line)]
    pub env: Option<String>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix rollback`")?;
    if !args.revert && !ctx.config.deploy.command.trim().is_empty() {
        return crate::deploy::rollback(
            globals,
            &ctx,
            &args.id,
            args.env.as_deref(),
            args.reason.as_deref(),
        );
    }
    let env = ctx.environment(args.env.as_deref())?;
    let (record, shipped) = ctx.shipped_record(&args.id, "roll back")?;
    let last_env = ctx.config.deploy.production().to_string();
    if let Some(crate::ledger::DeployStep::RolledBack(rb)) = record.deploy_step(&env, &last_env) {
        ui::out(format!(
            "{} is already recorded as rolled back to {} in {env}",
            record.id, rb.to
        ));
        return Ok(());
    }
    let revert = if args.revert {
        let branch = record.started().map(|s| s.branch).unwrap_or_else(|| {
            crate::version::expand(
                &ctx.config.release.hotfix_branch,
                &version_of(&ctx, &shipped),
            )
        });
        Some(revert(&ctx, &shipped, &branch, args.reason.as_deref())?)
    } else {
        None
    };
    let event = RolledBack {
        reason: args.reason.clone(),
        to: shipped.rollback_to.clone(),
        revert: revert.clone(),
        env: Some(env),
        ..Default::default()
    };
    ctx.record_event("rolled_back", &record.id, &event)?;
    ui::out(format!(
        "recorded: {} rolled back to {}",
        record.id, shipped.rollback_to
    ));
    match revert {
        Some(r) => {
            ui::out(format!(
                "reverted {} commit(s); tagged {} as the rollback release",
                r.commits.len(),
                r.tag
            ));
            ui::note(format!(
                "deploy {}, then publish: git push --atomic {} {} {} {}",
                r.tag,
                ctx.remote(),
                record.started().map(|s| s.branch).unwrap_or_default(),
                r.tag,
                ctx.config.release.ledger
            ));
        }
        None => ui::note(format!(
            "redeploy {} (git switch --detach {}); `hotfix sync` publishes the record",
            shipped.rollback_to, shipped.rollback_to
        )),
    }
    Ok(())
}

fn version_of(ctx: &Ctx, shipped: &Shipped) -> Version {
    ctx.config
        .release
        .tag
        .release_version(&shipped.tag)
        .unwrap_or_else(|| Version::new(0, 0, 0))
}

/// Reverts the hotfix's commits (newest first) on its branch and tags the next free patch.
fn revert(ctx: &Ctx, shipped: &Shipped, branch: &str, reason: Option<&str>) -> Result<Revert> {
    let repo = &ctx.repo;
    let tagged = repo.tag_target(&shipped.tag).ok_or_else(|| {
        Error::usage(format!("the tag {} is not in this clone", shipped.tag))
            .cause("the revert commits grow from the shipped tag")
            .hint(format!("fetch it: git fetch --tags {}", ctx.remote()))
    })?;
    let target = repo.tag_target(&shipped.rollback_to).ok_or_else(|| {
        Error::usage(format!(
            "the rollback target {} is not in this clone",
            shipped.rollback_to
        ))
        .cause("reverting needs the release the hotfix replaced")
        .hint(format!("fetch it: git fetch --tags {}", ctx.remote()))
    })?;
    let refname = format!("refs/heads/{branch}");
    let tip = match repo.local_branch(branch) {
        Some(t) => t,
        None => {
            if repo.update_ref(
                &refname,
                tagged,
                None,
                "hotfix rollback: branch at the shipped tag",
            )? == RefUpdate::Raced
            {
                return Err(
                    Error::usage(format!("{branch} appeared while hotfix made it"))
                        .cause("another process created the branch at the same time")
                        .hint("run the rollback again"),
                );
            }
            tagged
        }
    };
    let checked_out = repo.head_branch().as_deref() == Some(branch);
    if checked_out {
        repo.ensure_clean("revert on the checked-out hotfix branch")?;
    }
    if !repo.is_ancestor(tagged, tip)? {
        return Err(
            Error::usage(format!("{branch} does not contain {}", shipped.tag))
                .cause("the revert commits must grow from the shipped tag")
                .hint(format!(
                    "move the branch back: git branch -f {branch} {}",
                    shipped.tag
                )),
        );
    }
    let target_tree = repo.commit_info(target)?.tree;
    let mut head = tip;
    let mut made = Vec::new();
    // A re-run after an interruption finds the reverts already made.
    if !(tip != tagged && repo.commit_info(tip)?.tree == target_tree) {
        let commits: Vec<Oid> = repo.range(target, tagged)?.into_iter().rev().collect();
        for c in commits {
            let commit = repo.commit_info(c)?;
            if commit.is_merge() {
                continue; // a merge's changes are reverted through the commits it brought in
            }
            let message = format!(
                "Revert \"{}\"\n\nThis reverts commit {c}.\n",
                commit.subject()
            );
            head = repo.revert_onto(c, head, &message)?.ok_or_else(|| {
                Error::usage(format!("reverting {} conflicts", repo.short(c)))
                    .cause("the branch changed after the hotfix in a way the revert cannot undo cleanly")
                    .hint(format!("revert by hand on {branch} (git revert), then tag and record the rollback"))
            })?;
            made.push(head.to_string());
        }
        if repo.commit_info(head)?.tree != target_tree {
            ui::warn(format!(
                "after the reverts {branch} still differs from {}: it carried commits besides the hotfix",
                shipped.rollback_to
            ));
        }
        if repo.update_ref(&refname, head, Some(tip), "hotfix rollback --revert")?
            == RefUpdate::Raced
        {
            return Err(
                Error::usage(format!("{branch} moved while hotfix reverted it"))
                    .cause("another process changed the branch at the same time")
                    .hint("run the rollback again"),
            );
        }
        if checked_out {
            repo.checkout_safe(head)?;
        }
    } else {
        made = repo
            .range(tagged, tip)?
            .into_iter()
            .map(|o| o.to_string())
            .collect();
    }
    // The rollback release: the next free patch after the hotfix.
    let pattern = &ctx.config.release.tag;
    let existing = repo
        .tag_refs(pattern)?
        .into_iter()
        .find(|t| repo.tag_target(&t.name) == Some(head) && t.version > version_of(ctx, shipped));
    let tag = match existing {
        Some(t) => t.name,
        None => {
            let mut v = version_of(ctx, shipped);
            let name = loop {
                v.patch += 1;
                let name = pattern.format(&v);
                if repo.tag_target(&name).is_none() {
                    break name;
                }
            };
            let reason = reason.map(|r| format!("{r}\n\n")).unwrap_or_default();
            let message = format!(
                "{name}: rollback of {}\n\n{reason}Hotfix-Rollback-Of: {}\nHotfix-Rollback-To: {}\n",
                shipped.tag, shipped.tag, shipped.rollback_to
            );
            repo.create_annotated_tag(&name, head, &message)?;
            name
        }
    };
    Ok(Revert { tag, commits: made })
}
