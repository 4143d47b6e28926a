//! `hotfix approve`: records who approved a hotfix, for the `approved` rule.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::ui;

/// Records an approval of a hotfix: needed when its severity is not one of
/// policy.hotfix-severities (rule `approved`).
///
/// The approval is recorded as unverified: it says what someone was told. Only an approval on
/// the hotfix pull request on GitHub by a listed @login is verified. An approval by whoever
/// ships does not count; that is judged at ship time.
///
/// Example: hotfix approve v1.4.3 --by "Erin Lead <erin@example.com>"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id (v1.4.3) or version (1.4.3).
    pub id: String,

    /// Who approved: "Name <email>", an email, or @github-login (one of policy.approvers when
    /// that is set).
    #[arg(long, value_name = "WHO", required = true, value_parser = crate::text::single_line)]
    pub by: String,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix approve`")?;
    let record = ctx.find_record(&args.id)?;
    if record.abandoned().is_some() || record.skipped().is_some() {
        return Err(Error::usage(format!(
            "cannot approve {}: it was {}",
            record.id,
            record.state()
        ))
        .cause("an approval is for a hotfix that may still ship")
        .hint("start a new hotfix with `hotfix start --approved-by WHO`"));
    }
    let approval = ctx.approval(&args.by)?;
    if record
        .approvals()
        .iter()
        .any(|a| a.approver == approval.approver)
    {
        ui::out(format!(
            "{} is already recorded as approved by {}",
            record.id, approval.approver
        ));
        return Ok(());
    }
    ctx.record_event("approved", &record.id, &approval)?;
    ui::out(format!(
        "recorded: {} approved by {} (unverified)",
        record.id, approval.approver
    ));
    if record.shipped().is_some() {
        ui::note(format!(
            "{} has shipped already: the approval is recorded after the ship, and `hotfix audit` shows it so",
            record.id
        ));
    } else {
        ui::note(format!(
            "next: `hotfix check` judges the approval; `hotfix ship` counts it unless {} ships it",
            approval.approver
        ));
    }
    Ok(())
}
