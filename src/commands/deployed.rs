//! `hotfix deployed`: records a deployment of a shipped hotfix.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::ledger::{self, Deployed};
use crate::timeparse::parse_time;
use crate::ui;

/// Records that a shipped hotfix was deployed (detection-to-deploy time comes from it).
///
/// Examples:
///   hotfix deployed v1.4.3
///   hotfix deployed v1.4.3 --at "20m ago" --env eu-west
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id (v1.4.3) or version (1.4.3).
    pub id: String,

    /// When it was deployed: RFC 3339 or relative ("20m ago"); default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// The environment deployed to, one of `deploy.environments`; default: the last of them.
    #[arg(long, value_name = "NAME", value_parser = crate::text::single_line)]
    pub env: Option<String>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix deployed`")?;
    let env = ctx.environment(args.env.as_deref())?;
    let (record, _) = ctx.shipped_record(&args.id, "record a deployment of")?;
    let now = ledger::now(&ctx.repo)?;
    let at = match &args.at {
        Some(t) => parse_time(t, now)?,
        None => now,
    };
    if let Some(shipped_at) = record.ship_time() {
        if at < shipped_at {
            return Err(Error::usage(format!(
                "{} cannot have been deployed at {}: it shipped at {}",
                record.id,
                at.format("%Y-%m-%dT%H:%M:%SZ"),
                shipped_at.format("%Y-%m-%dT%H:%M:%SZ")
            ))
            .cause("a deployment follows the tag")
            .hint("give the deployment's time with --at (RFC 3339 or \"20m ago\")"));
        }
    }
    let event = Deployed {
        deployed_at: at,
        env: env.clone(),
        ..Default::default()
    };
    ctx.record_event("deployed", &record.id, &event)?;
    ui::out(format!(
        "recorded: {} deployed to {} at {}",
        record.id,
        env,
        at.format("%Y-%m-%dT%H:%M:%SZ")
    ));
    ui::note(format!(
        "next: validate it, then `hotfix verify {} --env {env}`",
        record.id
    ));
    Ok(())
}
