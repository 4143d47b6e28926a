//! `hotfix skip-line`: records that one line of an incident will not get the fix, and why.

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::ledger::Skipped;
use crate::ui;
use crate::version::Line;

/// Records that a line of the incident will not get the fix, and why: the whole line is
/// dropped from the incident (unlike `pick --skip`, which drops one commit of a pick).
///
/// The incident is the checked-out hotfix's, or --incident. Every line of an incident ends up
/// shipped, skipped with a reason, or abandoned; `ship` refuses while a line is still open.
///
/// Examples:
///   hotfix skip-line 1.9 --reason "the vulnerable parser is not in 1.9"
///   hotfix skip-line 2.0 --incident INC-9 --reason "end of life"
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The line that will not get the fix (MAJOR.MINOR).
    #[arg(value_name = "X.Y")]
    pub line: String,

    /// Why the line does not get it (recorded, and shown by `status` and reports).
    #[arg(long, value_name = "TEXT", required = true, value_parser = crate::text::single_line)]
    pub reason: String,

    /// The incident; default: the checked-out hotfix's.
    #[arg(long, value_name = "ID", value_parser = crate::text::single_line)]
    pub incident: Option<String>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load_writer(globals, "`hotfix skip-line`")?;
    // Never beside a pick or a ship: a line skipped while they run could still get the fix,
    // or be shipped and skipped at once.
    let _lock = ctx.repo.lock_state("lines", crate::git::LINES_LOCK)?;
    let line = Line::parse(&args.line)?.to_string();
    if args.reason.trim().is_empty() {
        return Err(Error::usage("the reason is empty")
            .cause("a skipped line is a decision someone will ask about")
            .hint("say why, such as --reason \"the parser is not in this line\""));
    }
    let incident = match &args.incident {
        Some(i) => i.clone(),
        None => {
            let current = ctx.current()?;
            ctx.ledger()
                .record(&current.id)?
                .and_then(|r| r.started())
                .and_then(|s| s.incident)
                .ok_or_else(|| {
                    Error::usage(format!("{} has no incident", current.id))
                        .cause("skip-line drops a line from an incident")
                        .hint("name it: --incident ID")
                })?
        }
    };
    let members = ctx.incident(&incident)?;
    // The line's open hotfix (an abandoned or shipped one of the same line is history), else
    // the newest of that line, for the messages below.
    let on_line: Vec<&crate::ledger::Record> = members
        .iter()
        .filter(|r| r.started().is_some_and(|s| s.line == line))
        .collect();
    let Some(record) = on_line
        .iter()
        .find(|r| !r.is_closed())
        .or_else(|| on_line.last())
        .copied()
    else {
        let lines: Vec<String> = members
            .iter()
            .filter_map(|r| r.started().map(|s| s.line))
            .collect();
        return Err(
            Error::usage(format!("incident {incident} has no hotfix on line {line}"))
                .cause(format!(
                    "its lines are: {}",
                    if lines.is_empty() {
                        "none".into()
                    } else {
                        lines.join(", ")
                    }
                ))
                .hint("name one of its lines"),
        );
    };
    if record.has("shipped") {
        return Err(Error::usage(format!(
            "cannot skip line {line}: {} has shipped",
            record.id
        ))
        .cause("a shipped line has the fix")
        .hint(format!("to undo it: hotfix rollback {}", record.id)));
    }
    if let Some(s) = record.skipped() {
        ui::out(format!("line {line} is already skipped ({})", s.reason));
        return Ok(());
    }
    if record.has("abandoned") {
        return Err(Error::usage(format!(
            "line {line} has no open hotfix in incident {incident}: {} was abandoned",
            record.id
        ))
        .cause("a skip closes an open line")
        .hint("nothing to do: an abandoned hotfix is closed already"));
    }
    // A pick stopped on the line waits in its worktree: the resolution there is somebody's
    // work, so it is finished or aborted first, never thrown away by a skip.
    let worktree = ctx.repo.line_worktree_path(&line);
    if ctx.repo.line_pick_stopped(&line)? {
        return Err(Error::usage(format!(
            "cannot skip line {line}: a pick onto it is stopped in {}",
            worktree.display()
        ))
        .cause("the conflict resolution in that worktree would be left behind")
        .hint(format!(
            "undo it first (hotfix pick --abort --line {line}), then skip the line"
        )));
    }
    ctx.repo.remove_line_worktree(&line)?;
    ctx.record_event(
        "skipped",
        &record.id,
        &Skipped {
            line: line.clone(),
            reason: args.reason.clone(),
        },
    )?;
    ui::out(format!(
        "recorded: line {line} ({}) skipped for incident {incident}",
        record.id
    ));
    Ok(())
}
