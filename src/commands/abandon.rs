//! `hotfix abandon`: records that a started hotfix will not ship.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::ledger::Abandoned;
use crate::ui;

/// Records that a started hotfix will not ship; the next start takes the next patch version.
///
/// The branch and the record are kept (the version is not reused, so the record stays whole);
/// delete the branch with git when you no longer need it.
///
/// Examples:
///   hotfix abandon --reason "fixed by a config change instead"
///   hotfix abandon v1.4.3
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The hotfix id; default: the hotfix on the checked-out branch.
    pub id: Option<String>,

    /// Why it will not ship.
    #[arg(long, value_name = "TEXT", value_parser = crate::text::single_line)]
    pub reason: Option<String>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix abandon`")?;
    let id = match &args.id {
        Some(id) => ctx.find_record(id)?.id,
        None => ctx.current()?.id,
    };
    let record = ctx.find_record(&id)?;
    if record.shipped().is_some() {
        return Err(Error::usage(format!("cannot abandon {id}: it has shipped"))
            .cause("a shipped hotfix is in the release history")
            .hint(format!(
                "to undo it, roll it back: hotfix rollback {id} --reason \"...\""
            )));
    }
    if record.has("abandoned") {
        ui::out(format!("{id} is already abandoned"));
        return Ok(());
    }
    ctx.record_event(
        "abandoned",
        &id,
        &Abandoned {
            reason: args.reason.clone(),
        },
    )?;
    ui::out(format!("recorded: {id} abandoned"));
    if let Some(b) = record.started().map(|s| s.branch) {
        ui::note(format!(
            "the branch {b} is kept; delete it with `git branch -D {b}` when done"
        ));
    }
    Ok(())
}
