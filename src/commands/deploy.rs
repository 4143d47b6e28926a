//! `hotfix deploy`: runs the team's deploy command for a shipped hotfix, watches the health
//! check, rolls back by itself when it fails, and records every step (`crate::deploy`).

use crate::context::{Ctx, Globals};
use crate::deploy::Options;
use crate::error::Result;

/// Deploys a shipped hotfix with `[deploy] command`, health-checks it, and rolls back on failure.
///
/// The commands come from .hotfix.toml on mainline and run in a temporary worktree at that
/// commit, with HOTFIX_ACTION, HOTFIX_ID, HOTFIX_VERSION, HOTFIX_TAG, HOTFIX_COMMIT, HOTFIX_ENV,
/// HOTFIX_FROM_TAG and HOTFIX_ROLLBACK_TO set. Each step is recorded in the ledger; killed
/// halfway, a re-run goes on from the last recorded step.
///
/// Exit codes: 0 verified (or deployed, with --no-health-check), 2 refused and nothing ran,
/// 5 failed and rolled back to a healthy version, 4 production may be bad and a person is
/// needed (the rollback failed, none was tried, the deploy was interrupted, or its command
/// could not be stopped).
///
/// Examples:
///   hotfix deploy v1.4.3 --dry-run
///   hotfix deploy v1.4.3 --env staging --yes
///   hotfix deploy v1.4.3 --override env-order --reason "staging is down; INC-4521 is sev1"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id (v1.4.3) or version (1.4.3).
    pub id: String,

    /// The environment, one of `deploy.environments`; default: the last of them.
    #[arg(long, value_name = "NAME", value_parser = crate::text::single_line)]
    pub env: Option<String>,

    /// On failure, leaves production as it is instead of rolling back (exit 4).
    #[arg(long)]
    pub no_rollback: bool,

    /// Deploys without the health check: records `deployed`, never `verified`.
    #[arg(long)]
    pub no_health_check: bool,

    /// Prints the steps, the exact commands and the rollback target, and runs nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Deploys again after this environment's deploy ended (verified, failed or rolled back).
    #[arg(long)]
    pub again: bool,

    /// Goes on from a deploy another clone began and did not finish (when that run is dead).
    #[arg(long)]
    pub take_over: bool,

    /// Bends a rule for this deploy: `env-order` (an earlier environment is not verified).
    #[arg(long = "override", value_name = "RULE")]
    pub overrides: Vec<String>,

    /// Why the rule is bent (with --override).
    #[arg(long, value_name = "TEXT", value_parser = crate::text::single_line)]
    pub reason: Option<String>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix deploy`")?;
    let options = Options {
        id: args.id,
        env: args.env,
        no_rollback: args.no_rollback,
        no_health_check: args.no_health_check,
        dry_run: args.dry_run,
        again: args.again,
        take_over: args.take_over,
        overrides: args.overrides,
        reason: args.reason,
    };
    crate::deploy::run(globals, &ctx, &options)
}
