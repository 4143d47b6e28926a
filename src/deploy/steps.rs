//! The steps of `hotfix deploy` and of `hotfix rollback --env` with `[deploy]` set: what is
//! refused before anything runs, where a re-run goes on from, each step's record, and the
//! outcome with its exit code.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::{Health, Release, Runner};
use crate::config::{FILE_NAME, Source};
use crate::context::{Ctx, Globals};
use crate::deploy;
use crate::error::{Error, Result, failpoint};
use crate::git::cli;
use crate::ledger::{
    Baseline, DeployFailed, DeployStep, Deployed, Deploying, Interrupted, OverrideRecord, Record,
    RolledBack, Shipped, Verified,
};
use crate::shell::{self, Ended};
use crate::text::single_line_view as shown;
use crate::ui;

/// What `hotfix deploy` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub id: String,
    pub env: Option<String>,
    pub no_rollback: bool,
    pub no_health_check: bool,
    pub dry_run: bool,
    pub again: bool,
    pub take_over: bool,
    pub overrides: Vec<String>,
    pub reason: Option<String>,
}

/// Where a run begins.
#[derive(Debug, Clone)]
enum Stage {
    /// A new deploy: the baseline first.
    Fresh,
    /// `deploying` is recorded: the command ran, or was cut short.
    Command,
    /// `deployed` is recorded: the health checks and the validation.
    Health,
    /// `deploy_failed` named a rollback to this tag.
    Rollback { to: String, reason: String },
    /// Verified there already: nothing to do.
    Done,
}

/// How the run ended, with the sentence that says what production is in.
enum Outcome {
    Verified(String),
    Unchecked(String),
    RolledBack(String),
    Attention(String),
}

/// Everything a run needs, decided before anything runs.
struct Plan {
    record: Record,
    shipped: Shipped,
    env: String,
    target: Release,
    /// The tag serving there now (`HOTFIX_FROM_TAG`).
    from: Option<String>,
    /// What the ledger says serves there now (for a re-run, `from` is what served before).
    serving: Option<String>,
    /// Where a rollback goes: the last verified there, else the hotfix's `rollback_to`.
    rollback_to: String,
    /// The releases of `from` and of the rollback's targets, as the commands see them (read
    /// once, from the records `plan` read).
    releases: Vec<Release>,
    stage: Stage,
    /// The baseline recorded by the `deploying` a re-run goes on from.
    baseline: Option<Baseline>,
    health: bool,
    rollback: bool,
    overrides: Vec<OverrideRecord>,
}

pub fn run(globals: &Globals, ctx: &Ctx, args: &Options) -> Result<()> {
    let cfg = ctx.config.deploy.clone();
    if cfg.command.trim().is_empty() {
        return Err(Error::usage("there is no deploy command to run")
            .cause(format!("[deploy] command is empty in {}", ctx.source))
            .hint(format!(
                "set [deploy] command in {FILE_NAME} on mainline; a deploy done by hand is recorded with `hotfix deployed {}`",
                shown(&args.id)
            )));
    }
    let env = ctx.environment(args.env.as_deref())?;
    let health = !args.no_health_check;
    if health && cfg.health_check.trim().is_empty() {
        return Err(Error::usage(format!("there is no health check for {env}"))
            .cause(format!(
                "[deploy] health-check is empty in {}: without it nothing can tell that the hotfix is serving",
                ctx.source
            ))
            .hint(format!(
                "set [deploy] health-check in {FILE_NAME} on mainline, or deploy with --no-health-check (recorded as deployed, never verified)"
            )));
    }
    let overrides = overrides(args)?;
    let _lock = ctx.repo.lock_state("deploy", "`hotfix deploy`")?;
    let remote = ctx.remote().to_string();
    if !ctx.repo.has_remote(&remote) {
        return Err(Error::usage(format!("no remote named '{remote}'"))
            .cause("a deploy needs the tag on the remote, and tells other clones through the remote's ledger")
            .hint(format!(
                "add it (git remote add {remote} URL), or set [release] remote in {FILE_NAME}"
            )));
    }
    // The remote's ledger first: another clone's deploy, and this hotfix's own last step.
    // Steps a killed run recorded here and had not pushed yet go out now.
    refused(crate::publish::publish(ctx))?;
    let plan = plan(ctx, args, env, health, overrides, false)?;
    if matches!(plan.stage, Stage::Done) {
        ui::out(format!(
            "{} is verified in {} already: nothing ran (to deploy it again: hotfix deploy {} --env {} --again)",
            plan.target.tag, plan.env, plan.record.id, plan.env
        ));
        return Ok(());
    }
    tag_on_remote(ctx, &plan)?;
    print_plan(ctx, &plan);
    if args.dry_run {
        ui::out("dry run: nothing ran and nothing was recorded");
        return Ok(());
    }
    let question = format!("Deploy {} to {}?", plan.target.tag, plan.env);
    confirm(globals, "deploy", &question, &plan)?;
    let interrupt = deploy::catch_interrupts()?;
    let worktree = mainline_worktree(ctx, "deploy")?;
    let mut secrets = shell::secret_values();
    secrets.sort();
    secrets.dedup();
    let runner = Runner {
        config: &cfg,
        env: plan.env.clone(),
        dir: worktree.path(),
        interrupt,
        secrets,
        progress: ui::interactive(),
        run_file: ctx.repo.common_state_dir().join("deploy-command"),
    };
    let outcome = execute(ctx, &plan, &runner)?;
    drop(worktree);
    failpoint("deploy-before-publish");
    share(ctx, "the outcome");
    finish(outcome)
}

/// Pushes the ledger so other clones see `what`; a failure is a warning, never the outcome.
fn share(ctx: &Ctx, what: &str) {
    if let Err(e) = crate::publish::publish(ctx) {
        ui::warn(format!(
            "{what} is recorded here but not on {}: {e}; `hotfix sync` publishes it",
            ctx.remote()
        ));
    }
}

/// Prints the sentence about production and gives the exit code.
fn finish(outcome: Outcome) -> Result<()> {
    match outcome {
        Outcome::Verified(s) | Outcome::Unchecked(s) => {
            ui::out(s);
            Ok(())
        }
        Outcome::RolledBack(s) => {
            ui::out(&s);
            Err(Error::rolled_back(s).quiet())
        }
        Outcome::Attention(s) => {
            ui::out(&s);
            Err(Error::external(s).quiet())
        }
    }
}

/// A failure before anything ran is a refusal (exit 2), whatever its kind.
fn refused<T>(r: Result<T>) -> Result<T> {
    r.map_err(|mut e| {
        e.kind = crate::error::Kind::Usage;
        e.hint = Some(format!(
            "{}nothing was deployed",
            e.hint.map(|h| format!("{h}; ")).unwrap_or_default()
        ));
        e
    })
}

fn overrides(args: &Options) -> Result<Vec<OverrideRecord>> {
    if let Some(bad) = args.overrides.iter().find(|o| *o != "env-order") {
        return Err(Error::usage(format!(
            "`{}` is not a rule deploy can bend",
            shown(bad)
        ))
        .cause("deploy has one rule to bend: env-order (every environment before this one is verified)")
        .hint("use --override env-order --reason TEXT"));
    }
    let Some(rule) = args.overrides.first() else {
        if args.reason.is_some() {
            return Err(Error::usage("--reason is given without --override")
                .cause("a reason explains a bent rule, and no rule was named")
                .hint("add --override env-order, or leave out --reason"));
        }
        return Ok(Vec::new());
    };
    match &args.reason {
        Some(r) if !r.trim().is_empty() => Ok(vec![OverrideRecord {
            rule: rule.clone(),
            reason: r.clone(),
        }]),
        _ => Err(Error::usage("--override needs --reason")
            .cause("a bent rule is recorded with why, for the audit")
            .hint("add --reason TEXT")),
    }
}

/// Decides where the run begins from what is recorded, refusing what must not run.
fn plan(
    ctx: &Ctx,
    args: &Options,
    env: String,
    health: bool,
    overrides: Vec<OverrideRecord>,
    rolling_back: bool,
) -> Result<Plan> {
    let cfg = &ctx.config.deploy;
    let last_env = cfg.production().to_string();
    let (record, shipped) = ctx.shipped_record(&args.id, "deploy")?;
    let records = ctx.ledger().records()?;
    // Environments in order: each needs the one before it verified.
    let position = cfg.environments.iter().position(|e| *e == env).unwrap_or(0);
    for earlier in &cfg.environments[..position] {
        let (step, _) = deploy::own_step(&record, earlier, &last_env);
        if matches!(step, Some(DeployStep::Verified(_))) || !overrides.is_empty() || rolling_back {
            continue;
        }
        return Err(Error::usage(format!(
            "{} is not verified in {earlier}, which comes before {env}",
            record.id
        ))
        .cause(format!(
            "deploy.environments is an order ({}): each environment needs the one before it verified",
            cfg.environments.join(", ")
        ))
        .hint(format!(
            "deploy there first (hotfix deploy {} --env {earlier}), or bend the rule: --override env-order --reason TEXT",
            record.id
        )));
    }
    let view = deploy::env_view(&records, &env, &last_env, &record.id);
    if let Some(u) = view.unfinished.first() {
        return Err(Error::usage(format!(
            "another deploy to {env} is unfinished: {}",
            u.id
        ))
        .cause(format!(
            "its last step is `{}`, recorded at {} by {}; two deploys to one environment at once would fight",
            u.step,
            u.at.format("%Y-%m-%dT%H:%M:%SZ"),
            shown(&u.by)
        ))
        .hint(format!(
            "finish it first, from the clone that began it: hotfix deploy {} --env {env} goes on from its last step (or roll it back: hotfix rollback {} --env {env})",
            u.id, u.id
        )));
    }
    let (step, began) = deploy::own_step(&record, &env, &last_env);
    let again = |what: &str| -> Result<Stage> {
        if args.again {
            return Ok(Stage::Fresh);
        }
        Err(
            Error::usage(format!("{}'s deploy to {env} {what}", record.id))
                .cause("a re-run goes on from an unfinished deploy; this one has ended")
                .hint(format!(
                    "to deploy it again, add --again: hotfix deploy {} --env {env} --again",
                    record.id
                )),
        )
    };
    let stage = match &step {
        None => Stage::Fresh,
        // The job is done: a re-run says so and runs nothing (exit 0).
        Some(DeployStep::Verified(_)) if !args.again => Stage::Done,
        Some(DeployStep::Verified(_)) => Stage::Fresh,
        Some(DeployStep::RolledBack(rb)) => again(&format!("was rolled back to {}", rb.to))?,
        Some(DeployStep::Failed(f)) => match &f.rollback_to {
            Some(to) => Stage::Rollback {
                to: to.clone(),
                reason: f.reason.clone(),
            },
            None => again(&format!("failed ({}) and was not rolled back", f.reason))?,
        },
        Some(DeployStep::Deploying(_)) => {
            if !health && !args.again {
                return Err(Error::usage(format!(
                    "{}'s deploy to {env} began and did not finish",
                    record.id
                ))
                .cause("without a health check, nothing can tell whether the deploy command finished, and running it twice blindly is not safe")
                .hint(format!(
                    "check {env} by hand; then record it (hotfix deployed {} --env {env}), or run the deploy again with --again",
                    record.id
                )));
            }
            Stage::Command
        }
        Some(DeployStep::Deployed(_)) if health => Stage::Health,
        Some(DeployStep::Deployed(_)) => again("is deployed already")?,
        Some(DeployStep::Interrupted(_)) => Stage::Command, // own_step leaves these out
    };
    let resumed = !matches!(stage, Stage::Fresh | Stage::Done);
    if resumed && !rolling_back {
        claim(ctx, &record.id, &env, began.as_ref(), args.take_over)?;
    }
    let (from, baseline) = match (&began, resumed) {
        (Some(b), true) => (b.from.clone(), Some(b.baseline)),
        _ => (view.serving.clone(), None),
    };
    let rollback_to = view
        .last_verified
        .clone()
        .filter(|t| *t != shipped.tag)
        .unwrap_or_else(|| shipped.rollback_to.clone());
    let target = release(ctx, &records, &shipped.tag, Some(&shipped.commit));
    let mut releases: Vec<Release> = Vec::new();
    let mut wanted: Vec<&str> = vec![rollback_to.as_str()];
    wanted.extend(from.as_deref());
    if let Stage::Rollback { to, .. } = &stage {
        wanted.push(to);
    }
    for tag in wanted {
        if releases.iter().any(|r| r.tag == tag) {
            continue;
        }
        if ctx.repo.tag_target(tag).is_none() {
            // Another clone shipped it: fetch the tag, so its variables name its commit.
            let spec = format!("refs/tags/{tag}:refs/tags/{tag}");
            let _ = cli::fetch(&ctx.repo.command_dir(), ctx.remote(), &[&spec]);
        }
        if ctx.repo.tag_target(tag).is_none() {
            return Err(Error::usage(format!(
                "the tag {tag} is neither in this clone nor on {}",
                ctx.remote()
            ))
            .cause(format!(
                "{tag} is what {env} serves or would roll back to, and the commands need its commit"
            ))
            .hint(format!(
                "nothing ran; fetch it (git fetch {} tag {tag}), or check the ledger with `hotfix show`",
                ctx.remote()
            )));
        }
        releases.push(release(ctx, &records, tag, None));
    }
    Ok(Plan {
        record,
        env,
        target,
        from,
        rollback_to,
        releases,
        serving: view.serving.clone(),
        stage,
        baseline,
        health,
        rollback: cfg.auto_rollback && !args.no_rollback,
        overrides,
        shipped,
    })
}

impl Plan {
    /// A release `plan` read (`from`, or a rollback's target).
    fn release(&self, tag: &str) -> Release {
        self.releases
            .iter()
            .find(|r| r.tag == tag)
            .cloned()
            .unwrap_or_else(|| Release {
                id: tag.to_string(),
                tag: tag.to_string(),
                version: String::new(),
                commit: String::new(),
            })
    }
}

/// The runs of `deploy` this clone began (`.git/hotfix/deploy-runs`, one per line).
fn runs_file(ctx: &Ctx) -> std::path::PathBuf {
    ctx.repo.common_state_dir().join("deploy-runs")
}

fn remember_run(ctx: &Ctx, run: &str) -> Result<()> {
    use std::io::Write;
    let path = runs_file(ctx);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::file(&path, "write", &e))?;
    writeln!(f, "{run}").map_err(|e| Error::file(&path, "write", &e))
}

/// Refuses to go on from a deploy that another clone began: it may still be running there.
/// `--take-over` makes it this clone's.
fn claim(ctx: &Ctx, id: &str, env: &str, began: Option<&Deploying>, take_over: bool) -> Result<()> {
    let Some(run) = began.and_then(|b| b.run.as_deref()) else {
        return Ok(()); // begun by an older hotfix, before runs were named
    };
    let mine = std::fs::read_to_string(runs_file(ctx))
        .unwrap_or_default()
        .lines()
        .any(|l| l.trim() == run);
    if mine {
        return Ok(());
    }
    if take_over {
        ui::warn(format!(
            "taking over the deploy of {id} to {env} begun in another clone"
        ));
        return remember_run(ctx, run);
    }
    Err(Error::usage(format!(
        "{id}'s deploy to {env} was begun in another clone and is not finished"
    ))
    .cause("it may still be running there; two runs of one deploy side by side would fight")
    .hint(format!(
        "go on from the clone that began it (hotfix deploy {id} --env {env} there); if that run is dead, take it over here: hotfix deploy {id} --env {env} --take-over"
    )))
}

/// A release as the commands see it.
fn release(ctx: &Ctx, records: &[Record], tag: &str, commit: Option<&str>) -> Release {
    let id = records
        .iter()
        .find(|r| r.tag().as_deref() == Some(tag))
        .map(|r| r.id.clone())
        .unwrap_or_else(|| tag.to_string());
    Release {
        id,
        tag: tag.to_string(),
        version: ctx
            .config
            .release
            .tag
            .release_version(tag)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        commit: commit
            .map(str::to_string)
            .or_else(|| ctx.repo.tag_target(tag).map(|o| o.to_string()))
            .unwrap_or_default(),
    }
}

/// Refuses a tag the remote does not have at the shipped commit: what is deployed is what
/// everyone can fetch.
fn tag_on_remote(ctx: &Ctx, plan: &Plan) -> Result<()> {
    let remote = ctx.remote();
    let tag = &plan.shipped.tag;
    match cli::remote_tag(&ctx.repo.command_dir(), remote, tag)? {
        Ok(Some(sha)) if sha == plan.shipped.commit => Ok(()),
        Ok(Some(sha)) => Err(Error::usage(format!(
            "{remote} has {tag} at another commit"
        ))
        .cause(format!(
            "the record says {tag} is {}, but {remote}'s tag points at {}",
            &plan.shipped.commit[..plan.shipped.commit.len().min(10)],
            &sha[..sha.len().min(10)]
        ))
        .hint("nothing was deployed; find out which is right (git ls-remote --tags) before deploying")),
        Ok(None) => Err(Error::usage(format!("{tag} is not on {remote}"))
            .cause("a deploy ships what everyone can fetch: the tag must be published first")
            .hint(format!(
                "publish it: hotfix ship --push on the hotfix branch (or git push --atomic {remote} {tag} {})",
                ctx.config.release.ledger
            ))),
        Err(message) => Err(Error::usage(format!("cannot ask {remote} for {tag}"))
            .cause(message)
            .hint(format!(
                "nothing was deployed; check that `git ls-remote {remote}` works, then run the deploy again"
            ))),
    }
}

fn print_plan(ctx: &Ctx, plan: &Plan) {
    let cfg = &ctx.config.deploy;
    let from = plan.from.as_deref().unwrap_or("nothing recorded");
    let what = if plan.record.id == plan.target.tag {
        plan.record.id.clone()
    } else {
        format!("{} ({})", plan.record.id, plan.target.tag)
    };
    ui::out(format!(
        "deploy {what} to {} (serving now: {from})",
        plan.env
    ));
    let pattern = &ctx.config.release.tag;
    if let (Some(f), Some(new)) = (
        plan.from
            .as_deref()
            .and_then(|f| Some((f, pattern.release_version(f)?))),
        pattern.release_version(&plan.target.tag),
    ) {
        let (from_tag, old) = f;
        if crate::version::Line::of(&old) != crate::version::Line::of(&new) {
            ui::warn(format!(
                "{} serves {from_tag}, of another release line than {}: check that this is the line it should run",
                plan.env, plan.target.tag
            ));
        } else if old > new {
            ui::warn(format!(
                "{} serves {from_tag}, newer than {}: this deploy goes back",
                plan.env, plan.target.tag
            ));
        }
    }
    let mut steps: Vec<String> = Vec::new();
    match &plan.stage {
        Stage::Fresh => {
            steps.push(match (&plan.from, plan.health) {
                (Some(f), true) => format!("baseline: the health check for {f}, serving now"),
                _ => "baseline: unknown (nothing recorded as deployed there)".into(),
            });
            steps.push(format!(
                "record `deploying`, pushed to {} first",
                ctx.remote()
            ));
        }
        Stage::Command => steps.push(if plan.health {
            "go on from `deploying`: check whether it is serving; if not, run the command again"
                .into()
        } else {
            "go on from `deploying`: run the command again (--again)".into()
        }),
        Stage::Health => steps.push("go on from `deployed`: the health checks".into()),
        Stage::Rollback { to, .. } => steps.push(format!(
            "go on from `deploy_failed`: finish the rollback to {to}"
        )),
        Stage::Done => steps.push("nothing: it is verified there already".into()),
    }
    if matches!(plan.stage, Stage::Fresh | Stage::Command) {
        steps.push(format!(
            "deploy: $ {}  (timeout {})",
            shown(&cfg.command),
            deploy::human(cfg.timeout.duration())
        ));
    }
    if !matches!(plan.stage, Stage::Rollback { .. }) {
        if plan.health {
            steps.push(format!(
                "health check until it passes (up to {}, every {}): $ {}",
                deploy::human(cfg.health_timeout.duration()),
                deploy::human(cfg.health_interval.duration()),
                shown(&cfg.health_check)
            ));
            steps.push(format!(
                "validate for {}, then record `verified`",
                deploy::human(cfg.validate_for.duration())
            ));
        } else {
            steps.push(
                "no health check (--no-health-check): record `deployed`, never `verified`".into(),
            );
        }
    }
    for (n, s) in steps.iter().enumerate() {
        ui::out(format!("  {}. {s}", n + 1));
    }
    ui::out(format!(
        "  variables: HOTFIX_ACTION=deploy HOTFIX_ID={} HOTFIX_VERSION={} HOTFIX_TAG={} HOTFIX_COMMIT={} HOTFIX_ENV={} HOTFIX_FROM_TAG={} HOTFIX_ROLLBACK_TO={}",
        plan.target.id,
        plan.target.version,
        plan.target.tag,
        plan.target.commit,
        plan.env,
        plan.from.as_deref().unwrap_or(""),
        plan.rollback_to
    ));
    let rollback = rollback_command(cfg);
    ui::out(if plan.rollback {
        format!(
            "  on failure: roll back to {} with $ {} (HOTFIX_ACTION=rollback, the variables describing {})",
            plan.rollback_to,
            shown(rollback),
            plan.rollback_to
        )
    } else {
        format!(
            "  on failure: no rollback ({}); exit 4",
            if cfg.auto_rollback {
                "--no-rollback"
            } else {
                "deploy.auto-rollback is off"
            }
        )
    });
    for o in &plan.overrides {
        ui::out(format!("  override {}: {}", o.rule, shown(&o.reason)));
    }
}

fn rollback_command(cfg: &crate::config::Deploy) -> &str {
    if cfg.rollback_command.trim().is_empty() {
        &cfg.command
    } else {
        &cfg.rollback_command
    }
}

/// Confirms on a terminal; without one, `--yes` is needed. `doing` is `deploy` or `rollback`.
fn confirm(globals: &Globals, doing: &str, question: &str, plan: &Plan) -> Result<()> {
    if globals.yes {
        return Ok(());
    }
    if !ui::interactive() {
        return Err(Error::usage(format!("{doing} needs --yes without a terminal"))
            .cause(format!(
                "it runs the {doing} command against a real environment, and nothing can confirm that here"
            ))
            .hint(format!(
                "look at the plan (hotfix deploy {} --env {} --dry-run), then run it with --yes",
                plan.record.id, plan.env
            )));
    }
    if !ui::confirm(question, false)? {
        return Err(Error::usage(format!("{doing} cancelled")).hint("nothing ran"));
    }
    Ok(())
}

/// A temporary worktree at the mainline commit whose configuration is in force: the commands
/// run from there, so a hotfix branch cannot rewrite its own deploy or health check.
fn mainline_worktree(ctx: &Ctx, doing: &str) -> Result<cli::TempWorktree> {
    // A deploy killed at any instruction leaves its worktree: the deploy lock is ours, so
    // every worktree of a deploy or rollback is a leftover.
    for leftover in ["hotfix-deploy-", "hotfix-rollback-"] {
        cli::TempWorktree::clear_stale(&ctx.repo, leftover);
    }
    let commit = match &ctx.source {
        Source::Mainline { commit, .. }
        | Source::Default {
            commit: Some(commit),
        } => ctx.repo.resolve_commit(commit)?,
        Source::Default { commit: None } | Source::File { .. } => {
            return Err(Error::usage(format!("there is no mainline to run the {doing} from"))
                .cause("the deploy, rollback and health-check commands run from mainline's tip, so a hotfix branch cannot change them")
                .hint("fetch mainline (git fetch), or set [release] mainline in .hotfix.toml"));
        }
    };
    cli::TempWorktree::add(
        &ctx.repo,
        commit,
        &format!("hotfix-{doing}-"),
        &format!("for the {doing}"),
    )
}

/// Runs the steps from where the plan begins to the outcome.
fn execute(ctx: &Ctx, plan: &Plan, runner: &Runner) -> Result<Outcome> {
    let orphan = runner.stop_orphan();
    let mut baseline = plan.baseline.unwrap_or_default();
    let mut stage = plan.stage.clone();
    loop {
        stage = match stage {
            Stage::Fresh => {
                if let Some(from) = plan.from.as_deref().filter(|_| plan.health) {
                    ui::note(format!("baseline: the health of {from}, serving now"));
                }
                baseline = match check_baseline(ctx, plan, runner)? {
                    Some(b) => b,
                    None => {
                        return Err(Error::usage("interrupted before the deploy began")
                            .cause(format!(
                                "nothing was deployed or recorded: {} serves {} as before",
                                plan.env,
                                plan.from.as_deref().unwrap_or("what it served")
                            ))
                            .hint(format!(
                                "run it again when ready: hotfix deploy {} --env {}",
                                plan.record.id, plan.env
                            )));
                    }
                };
                ui::note(format!("baseline: {}", baseline_word(baseline)));
                record_deploying(ctx, plan, baseline)?;
                failpoint("deploy-after-deploying");
                Stage::Command
            }
            Stage::Command => match command_step(ctx, plan, runner, baseline, orphan)? {
                Ok(next) => next,
                Err(outcome) => return Ok(outcome),
            },
            Stage::Health => {
                if !plan.health {
                    return Ok(Outcome::Unchecked(format!(
                        "{} is deployed to {} and not verified: no health check ran. Check it, then record it: hotfix verify {} --env {}",
                        plan.target.tag, plan.env, plan.record.id, plan.env
                    )));
                }
                let started = Instant::now();
                let vars = target_vars(plan, runner);
                ui::note(format!("health check of {}", plan.target.tag));
                match runner.watch(&vars, &plan.target.tag, true)? {
                    Health::Healthy { checks } => {
                        record(
                            ctx,
                            plan,
                            "verified",
                            &Verified {
                                note: Some(format!("health check passed {checks} time(s)")),
                                env: Some(plan.env.clone()),
                                checks: Some(checks),
                                duration_s: Some(started.elapsed().as_secs()),
                            },
                        )?;
                        return Ok(Outcome::Verified(format!(
                            "{} is serving in {} and verified ({checks} health check(s) passed). Next: hotfix retro {}",
                            plan.target.tag, plan.env, plan.record.id
                        )));
                    }
                    Health::Interrupted => return interrupted(ctx, plan, "health"),
                    Health::Unhealthy { checks, tail } => {
                        let reason = format!(
                            "the health check of {} did not pass ({checks} check(s))",
                            plan.target.tag
                        );
                        ui::warn(&reason);
                        if !tail.is_empty() {
                            ui::note(format!("its last output:\n{tail}"));
                        }
                        match failed(ctx, plan, runner, baseline, reason, None, Some(tail), 0)? {
                            Ok(next) => next,
                            Err(outcome) => return Ok(outcome),
                        }
                    }
                }
            }
            Stage::Rollback { to, reason } => {
                return roll_back(ctx, plan, runner, &to, &reason, true, orphan);
            }
            Stage::Done => {
                return Ok(Outcome::Verified(format!(
                    "{} is verified in {} already",
                    plan.target.tag, plan.env
                )));
            }
        };
    }
}

/// How a command that did not succeed ended, after "the deploy command".
fn ended_text(ended: Ended) -> String {
    match ended {
        Ended::Exited(code) => format!("exited with {code}"),
        Ended::Signalled => "was ended by a signal".into(),
        Ended::TimedOut => "ran past deploy.timeout and was stopped".into(),
        Ended::Interrupted => "was interrupted".into(),
    }
}

fn baseline_word(b: Baseline) -> &'static str {
    match b {
        Baseline::Healthy => "healthy",
        Baseline::Unhealthy => "unhealthy",
        Baseline::Unknown => "unknown",
    }
}

/// The health of the version serving now; `None` when interrupted.
fn check_baseline(ctx: &Ctx, plan: &Plan, runner: &Runner) -> Result<Option<Baseline>> {
    let Some(from) = plan.from.as_deref().filter(|_| plan.health) else {
        return Ok(Some(Baseline::Unknown));
    };
    let serving = plan.release(from);
    let vars = runner.vars("deploy", &serving, Some(from), Some(&plan.rollback_to));
    let run = runner.check(
        &vars,
        deploy::std_duration(ctx.config.deploy.health_timeout.duration()),
    )?;
    Ok(match run.ended {
        Ended::Interrupted => None,
        _ if run.success() => Some(Baseline::Healthy),
        _ => Some(Baseline::Unhealthy),
    })
}

fn target_vars(plan: &Plan, runner: &Runner) -> Vec<(String, String)> {
    runner.vars(
        "deploy",
        &plan.target,
        plan.from.as_deref(),
        Some(&plan.rollback_to),
    )
}

/// Records `deploying` on the remote first (compare-and-swap), then here; a clone that wrote
/// in between is merged and looked at again: its deploy to this environment wins.
fn record_deploying(ctx: &Ctx, plan: &Plan, baseline: Baseline) -> Result<()> {
    let run = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    // Written down before it can be on the remote: a kill in between leaves a run this clone
    // knows as its own.
    remember_run(ctx, &run)?;
    let event = Deploying {
        env: plan.env.clone(),
        command: ctx.config.deploy.command.clone(),
        from: plan.from.clone(),
        baseline,
        overrides: plan.overrides.clone(),
        run: Some(run),
    };
    let by = crate::ledger::by(&ctx.repo)?;
    let dir = ctx.repo.command_dir();
    let remote = ctx.remote().to_string();
    let ledger = ctx.config.release.ledger.clone();
    let last_env = ctx.config.deploy.production().to_string();
    let tracking = format!("refs/remotes/{remote}/{ledger}");
    let mut stuck = 0;
    for _ in 0..5 {
        let at = crate::ledger::now(&ctx.repo)?;
        let e = crate::ledger::Event::new("deploying", &plan.record.id, &by, at, &event);
        let before = ctx.repo.ref_target(&tracking);
        let mut failure = String::new();
        let pushed = ctx.ledger().append_remote_first(&e, |commit| {
            let spec = format!("{commit}:refs/heads/{ledger}");
            let out = cli::run(
                &dir,
                &["push", "--porcelain", &remote, &spec],
                cli::NETWORK_TIMEOUT,
            )?;
            if !out.success {
                failure = out.last_error();
            }
            Ok(out.success)
        })?;
        if pushed {
            return Ok(());
        }
        // Refused: when the remote's ledger moved (another clone wrote first, or was writing
        // at the same moment), merge it and look again; when it did not, the push cannot work.
        refused(ctx.ledger().pull())?;
        if ctx.repo.ref_target(&tracking) == before {
            // A push that lost the ref's lock to another at the same instant: once more.
            stuck += 1;
            if stuck < 2 {
                std::thread::sleep(std::time::Duration::from_millis(300));
                continue;
            }
            return Err(Error::usage(format!("cannot record the deploy on {remote}"))
                .cause(failure)
                .hint("nothing was deployed; check that you can push to the remote, then run the deploy again"));
        }
        let records = ctx.ledger().records()?;
        let view = deploy::env_view(&records, &plan.env, &last_env, &plan.record.id);
        if let Some(u) = view.unfinished.first() {
            return Err(Error::usage(format!(
                "another deploy to {} began first: {}",
                plan.env, u.id
            ))
            .cause(format!(
                "{} recorded `deploying` on {remote} a moment before this clone",
                shown(&u.by)
            ))
            .hint(format!(
                "nothing was deployed; wait for it to end, then run: hotfix deploy {} --env {}",
                plan.record.id, plan.env
            )));
        }
    }
    Err(Error::usage(format!("the ledger on {remote} kept moving"))
        .cause("other clones kept writing while this deploy tried to record its start")
        .hint("nothing was deployed; run the deploy again"))
}

fn record<P: serde::Serialize>(ctx: &Ctx, plan: &Plan, kind: &str, payload: &P) -> Result<()> {
    ctx.record_event(kind, &plan.record.id, payload)
}

fn interrupted(ctx: &Ctx, plan: &Plan, step: &str) -> Result<Outcome> {
    record(
        ctx,
        plan,
        "interrupted",
        &Interrupted {
            env: plan.env.clone(),
            step: step.to_string(),
        },
    )?;
    Ok(Outcome::Attention(format!(
        "interrupted during the {step} step: {} may be between versions{}. Go on: hotfix deploy {} --env {}; or roll back: hotfix rollback {} --env {}",
        plan.env,
        if step == "rollback" {
            ", the rollback unfinished"
        } else {
            ", and nothing was rolled back"
        },
        plan.record.id,
        plan.env,
        plan.record.id,
        plan.env
    )))
}

/// The deploy command (or, going on from `deploying`, the check whether it finished).
fn command_step(
    ctx: &Ctx,
    plan: &Plan,
    runner: &Runner,
    baseline: Baseline,
    orphan: bool,
) -> Result<std::result::Result<Stage, Outcome>> {
    let vars = target_vars(plan, runner);
    if matches!(plan.stage, Stage::Command) && plan.health {
        ui::note(format!(
            "the deploy began earlier: is {} serving?",
            plan.target.tag
        ));
        let health = runner.serving(&vars, &plan.target.tag, orphan)?;
        if health == Health::Interrupted {
            return interrupted(ctx, plan, "deploy").map(Err);
        }
        if matches!(health, Health::Healthy { .. }) {
            ui::note(format!(
                "{} is serving: the deploy had finished",
                plan.target.tag
            ));
            record(
                ctx,
                plan,
                "deployed",
                &Deployed {
                    deployed_at: crate::ledger::now(&ctx.repo)?,
                    env: plan.env.clone(),
                    ..Default::default()
                },
            )?;
            return Ok(Ok(Stage::Health));
        }
        ui::note(format!(
            "{} is not serving: running the deploy again",
            plan.target.tag
        ));
    }
    ui::note(format!("deploy: $ {}", shown(&ctx.config.deploy.command)));
    let run = runner.command(&ctx.config.deploy.command, vars)?;
    failpoint("deploy-after-command");
    let duration_s = run.elapsed.as_secs();
    let reason = match run.ended {
        Ended::Exited(0) => {
            record(
                ctx,
                plan,
                "deployed",
                &Deployed {
                    deployed_at: crate::ledger::now(&ctx.repo)?,
                    env: plan.env.clone(),
                    duration_s: Some(duration_s),
                    exit: Some(0),
                    output_tail: runner.kept(&run.tail),
                },
            )?;
            failpoint("deploy-after-deployed");
            share(ctx, "the deploy");
            return Ok(Ok(Stage::Health));
        }
        Ended::Interrupted => return interrupted(ctx, plan, "deploy").map(Err),
        Ended::Exited(code) => format!("the deploy command exited with {code}"),
        Ended::Signalled => "a signal ended the deploy command".to_string(),
        Ended::TimedOut => {
            format!("the deploy command ran past deploy.timeout ({duration_s}s) and was stopped")
        }
    };
    ui::warn(&reason);
    let exit = match run.ended {
        Ended::Exited(c) => Some(c),
        _ => None,
    };
    if run.unstoppable {
        let reason = format!("{reason}; part of it could not be stopped");
        record(
            ctx,
            plan,
            "deploy_failed",
            &DeployFailed {
                env: plan.env.clone(),
                duration_s,
                exit,
                output_tail: runner.kept(&run.tail),
                reason: reason.clone(),
                rollback_to: None,
            },
        )?;
        return Ok(Err(Outcome::Attention(format!(
            "{} may be bad: {reason}, so no rollback was started (it would race the deploy). A person is needed: stop it by hand, then roll back: hotfix rollback {} --env {}",
            plan.env, plan.record.id, plan.env
        ))));
    }
    failed(
        ctx,
        plan,
        runner,
        baseline,
        reason,
        exit,
        runner.kept(&run.tail),
        duration_s,
    )
}

/// Records the failure and decides on the rollback.
#[allow(clippy::too_many_arguments)]
fn failed(
    ctx: &Ctx,
    plan: &Plan,
    runner: &Runner,
    baseline: Baseline,
    reason: String,
    exit: Option<i32>,
    tail: Option<String>,
    duration_s: u64,
) -> Result<std::result::Result<Stage, Outcome>> {
    let why_not = if baseline == Baseline::Unhealthy {
        Some(format!(
            "the version before ({}) was unhealthy too, so rolling back would restore a broken version",
            plan.from.as_deref().unwrap_or("unknown")
        ))
    } else if !plan.rollback {
        Some(if ctx.config.deploy.auto_rollback {
            "--no-rollback was given".to_string()
        } else {
            "deploy.auto-rollback is off".to_string()
        })
    } else {
        None
    };
    let event = DeployFailed {
        env: plan.env.clone(),
        duration_s,
        exit,
        output_tail: tail.and_then(|t| runner.kept(&t)),
        reason: reason.clone(),
        rollback_to: why_not.is_none().then(|| plan.rollback_to.clone()),
    };
    record(ctx, plan, "deploy_failed", &event)?;
    if let Some(why) = why_not {
        return Ok(Err(Outcome::Attention(format!(
            "{} may be bad: {reason}, and no rollback was tried: {why}. A person is needed: look at {} now; roll back with `hotfix rollback {} --env {}` when a good version is known",
            plan.env, plan.env, plan.record.id, plan.env
        ))));
    }
    failpoint("deploy-before-rollback");
    Ok(Ok(Stage::Rollback {
        to: plan.rollback_to.clone(),
        reason,
    }))
}

/// Runs the rollback command to `to`, health-checks it, and records `rolled_back`.
fn roll_back(
    ctx: &Ctx,
    plan: &Plan,
    runner: &Runner,
    to: &str,
    reason: &str,
    automatic: bool,
    orphan: bool,
) -> Result<Outcome> {
    let target = plan.release(to);
    let vars = runner.vars("rollback", &target, Some(&plan.target.tag), Some(to));
    let command = rollback_command(&ctx.config.deploy).to_string();
    // Going on from a rollback a kill cut short: when the target already serves, healthy,
    // the command is not run again.
    let resumed = automatic && matches!(plan.stage, Stage::Rollback { .. }) && plan.health;
    let done = resumed && {
        ui::note(format!("the rollback began earlier: is {to} serving?"));
        match runner.serving(&vars, to, orphan)? {
            Health::Interrupted => return interrupted(ctx, plan, "rollback"),
            h => matches!(h, Health::Healthy { .. }),
        }
    };
    let ran = if done {
        ui::note(format!("{to} is serving: the rollback had finished"));
        true
    } else {
        ui::note(format!("rolling back to {to}: $ {}", shown(&command)));
        let run = runner.command(&command, vars.clone())?;
        if run.ended == Ended::Interrupted {
            return interrupted(ctx, plan, "rollback");
        }
        failpoint("deploy-after-rollback-command");
        if !run.success() {
            ui::warn(format!("the rollback command {}", ended_text(run.ended)));
        }
        run.success()
    };
    let healthy = if ran && plan.health {
        match runner.watch(&vars, to, false)? {
            Health::Healthy { .. } => Some(true),
            Health::Unhealthy { .. } => Some(false),
            Health::Interrupted => return interrupted(ctx, plan, "rollback"),
        }
    } else if ran {
        None
    } else {
        Some(false)
    };
    // Judged by the health check: without one, nothing says whether it was restored.
    let restored = if ran { healthy } else { Some(false) };
    record(
        ctx,
        plan,
        "rolled_back",
        &RolledBack {
            reason: Some(reason.to_string()),
            to: to.to_string(),
            revert: None,
            env: Some(plan.env.clone()),
            automatic,
            restored,
        },
    )?;
    let hotfix = &plan.target.tag;
    Ok(match (ran, healthy) {
        (true, Some(true)) if !automatic => Outcome::Verified(format!(
            "{hotfix} was rolled back in {}: {to} is serving and healthy",
            plan.env
        )),
        (true, Some(true)) => Outcome::RolledBack(format!(
            "{hotfix} failed in {} ({reason}) and was rolled back: {to} is serving and healthy, as before. Find out why (the output above), then ship a new fix",
            plan.env
        )),
        (true, _) => Outcome::Attention(format!(
            "the rollback of {hotfix} to {to} in {} ran, but no health check confirms it. A person is needed: check {} by hand",
            plan.env, plan.env
        )),
        (false, _) if !automatic => Outcome::Attention(format!(
            "{} may be bad: the rollback of {hotfix} to {to} failed. A person is needed now: look at {} and restore a good version by hand",
            plan.env, plan.env
        )),
        (false, _) => Outcome::Attention(format!(
            "{} may be bad: {hotfix} failed in {} and the rollback to {to} failed too. A person is needed now: look at {} and restore a good version by hand",
            plan.env, plan.env, plan.env
        )),
    })
}

/// `hotfix rollback ID --env NAME` with `[deploy]` set: runs the rollback command to the last
/// verified version there (else `rollback_to`), health-checks it, records `rolled_back`.
pub fn rollback(
    globals: &Globals,
    ctx: &Ctx,
    id: &str,
    env: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    let args = Options {
        id: id.to_string(),
        env: env.map(str::to_string),
        no_rollback: false,
        no_health_check: ctx.config.deploy.health_check.trim().is_empty(),
        dry_run: false,
        again: true,
        take_over: false,
        overrides: Vec::new(),
        reason: None,
    };
    let env = ctx.environment(env)?;
    let _lock = ctx.repo.lock_state("deploy", "`hotfix deploy`")?;
    // An emergency rollback works while the git host is down: the ledger is read as it is here.
    if let Err(e) = ctx.ledger().pull() {
        ui::warn(format!(
            "cannot read {}'s ledger ({e}); going on with this clone's",
            ctx.remote()
        ));
    }
    let plan = plan(ctx, &args, env, !args.no_health_check, Vec::new(), true)?;
    if plan.serving.as_deref() != Some(plan.target.tag.as_str()) {
        return Err(Error::usage(format!(
            "{} is not what {} serves",
            plan.target.tag, plan.env
        ))
        .cause(format!(
            "the ledger says {} serves {}: rolling {} back would replace something else",
            plan.env,
            plan.serving.as_deref().unwrap_or("nothing recorded"),
            plan.target.tag
        ))
        .hint(format!(
            "nothing ran; roll back what serves there (hotfix rollback <that hotfix> --env {}), or, for a rollback done by hand, record it with `hotfix deployed` of the version it restored",
            plan.env
        )));
    }
    ui::out(format!(
        "roll {} back in {} to {} with $ {}",
        plan.target.tag,
        plan.env,
        plan.rollback_to,
        shown(rollback_command(&ctx.config.deploy))
    ));
    let question = format!("Roll {} back to {}?", plan.target.tag, plan.rollback_to);
    confirm(globals, "rollback", &question, &plan)?;
    let interrupt: &AtomicBool = deploy::catch_interrupts()?;
    let worktree = mainline_worktree(ctx, "rollback")?;
    let runner = Runner {
        config: &ctx.config.deploy,
        env: plan.env.clone(),
        dir: worktree.path(),
        interrupt,
        secrets: shell::secret_values(),
        progress: ui::interactive(),
        run_file: ctx.repo.common_state_dir().join("deploy-command"),
    };
    let reason = reason.unwrap_or("rolled back by hand");
    let orphan = runner.stop_orphan();
    let outcome = roll_back(
        ctx,
        &plan,
        &runner,
        &plan.rollback_to.clone(),
        reason,
        false,
        orphan,
    )?;
    drop(worktree);
    share(ctx, "the rollback");
    finish(outcome)
}
