//! `hotfix runbook`: the team's hotfix runbook, written from the policy in force.

use crate::context::{Ctx, Globals};
use crate::error::Result;
use crate::{render, ui};

/// Writes this repository's hotfix runbook from its policy: when to hotfix and who approves, the
/// commands with this repository's limits, how to deploy and roll back, where the record lives.
///
/// From templates/runbook.md (override it as .hotfix/templates/runbook.md on mainline). The
/// policy stays the source of truth: render the runbook again when it changes.
///
/// Example: hotfix runbook --output docs/hotfix-runbook.md
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Writes the runbook to FILE instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    let mainline = ctx
        .mainline()
        .map(|m| m.display)
        .unwrap_or_else(|_| "mainline".to_string());
    let mut context = snake_keys(serde_json::to_value(&ctx.config).expect("serializes"));
    context["source"] = serde_json::json!(ctx.source.to_string());
    context["mainline"] = serde_json::json!(mainline);
    let text = render::render(Some(&ctx), "runbook.md", &context)?;
    ui::deliver(args.output.as_deref(), &text)?;
    Ok(())
}

/// The configuration as a template reads it: `max-commits` becomes `max_commits`.
fn snake_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| (k.replace('-', "_"), snake_keys(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other,
    }
}
