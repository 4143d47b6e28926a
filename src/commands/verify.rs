//! `hotfix verify`: records post-deployment validation.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::ledger::Verified;
use crate::ui;

/// Records that a deployed hotfix was validated in production.
///
/// Example: hotfix verify v1.4.3 --note "error rate back to baseline"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id (v1.4.3) or version (1.4.3).
    pub id: String,

    /// What was checked.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// The environment validated, one of `deploy.environments`; default: the last of them.
    #[arg(long, value_name = "NAME", value_parser = crate::text::single_line)]
    pub env: Option<String>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix verify`")?;
    let env = ctx.environment(args.env.as_deref())?;
    let (record, _) = ctx.shipped_record(&args.id, "verify")?;
    let deployed_there = record.deployments().iter().any(|d| d.env == env);
    if !deployed_there {
        return Err(Error::usage(format!(
            "cannot verify {} in {env}: no deployment there is recorded",
            record.id
        ))
        .cause("validation checks a deployed hotfix, in the environment it was deployed to")
        .hint(format!(
            "record the deployment first: hotfix deployed {} --env {env}",
            record.id
        )));
    }
    ctx.record_event(
        "verified",
        &record.id,
        &Verified {
            note: args.note.clone(),
            env: Some(env.clone()),
            ..Default::default()
        },
    )?;
    ui::out(format!("recorded: {} verified in {env}", record.id));
    ui::note(format!(
        "next: the post-incident review, `hotfix retro {} --output retro-{}.md`",
        record.id,
        record.id.replace('/', "-")
    ));
    Ok(())
}
