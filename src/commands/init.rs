//! `hotfix init`: writes a commented `.hotfix.toml`, and optionally a CI workflow.

use std::path::Path;

use serde::Serialize;

use crate::config::{Config, FILE_NAME};
use crate::context::Globals;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::{render, ui};

/// Writes a commented .hotfix.toml, and with --ci a CI workflow.
///
/// The file holds every key with its default. The workflow (`--ci github`) runs
/// `hotfix check` on hotfix branches with the history it needs.
///
/// Commit the files on mainline: the policy in force is always mainline's.
///
/// Examples:
///   hotfix init && git add .hotfix.toml && git commit -m "Add hotfix policy"
///   hotfix init --ci github
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Also writes a CI workflow that gates hotfix branches.
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub ci: Option<Ci>,

    /// Overwrites existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    Github,
}

/// What the workflow template receives.
#[derive(Serialize)]
struct Workflow {
    hotfix_glob: String,
    release_glob: String,
    remote: String,
    ledger: String,
    /// The mainline branch, whose pull requests get a `preview` of the supported lines.
    mainline: String,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let dir = match &globals.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()?,
    };
    let repo = Repo::discover(&dir)?;
    let root = repo.workdir()?;
    let path = root.join(FILE_NAME);
    // The workflow names the branches of the configuration in force: `--config FILE`, else
    // the file this command keeps or writes.
    let mut config = match &globals.config {
        Some(file) => {
            let (c, source) = Config::from_file(file)?;
            if args.ci.is_some() {
                ui::note(format!("the workflow follows {source}"));
            }
            c
        }
        None => Config::default(),
    };
    if path.exists() && !args.force {
        if args.ci.is_none() {
            return Err(Error::usage(format!("{} already exists", path.display()))
                .cause("init does not overwrite a configuration you may have edited")
                .hint("edit it, or pass --force to replace it with the commented defaults"));
        }
        if globals.config.is_none() {
            config = Config::from_file(&path)?.0;
        }
        ui::note(format!("keeping {}", path.display()));
    } else {
        std::fs::write(&path, render::builtin("hotfix.toml"))
            .map_err(|e| Error::file(&path, "write", &e))?;
        ui::out(format!("wrote {}", path.display()));
    }
    if let Some(Ci::Github) = args.ci {
        let wf = root.join(".github/workflows/hotfix.yml");
        // Mainline's branch name: configured, else what the repository says, else `main`.
        let mainline = repo
            .mainline(&config.release.mainline, &config.release.remote)
            .ok()
            .map(|m| {
                m.refname
                    .rsplit_once(&format!("refs/remotes/{}/", config.release.remote))
                    .map(|(_, b)| b.to_string())
                    .or_else(|| m.refname.strip_prefix("refs/heads/").map(str::to_string))
                    .unwrap_or(m.display)
            })
            .unwrap_or_else(|| "main".into());
        write_workflow(&wf, &config, &mainline, args.force)?;
        ui::out(format!("wrote {}", wf.display()));
    }
    if config.release.supported.count() == 1 {
        ui::warn(format!(
            "release.supported names one line ({}): `hotfix preview` and `start --lines supported` judge only it; list the lines the team supports, such as supported = [\"2.2\", \"2.1\"]",
            serde_json::to_string(&config.release.supported).unwrap_or_default()
        ));
    }
    ui::note("next: commit the files on mainline and push them");
    ui::note(
        "then write the team's runbook from this policy: hotfix runbook --output docs/hotfix-runbook.md",
    );
    Ok(())
}

fn write_workflow(path: &Path, config: &Config, mainline: &str, force: bool) -> Result<()> {
    if path.exists() && !force {
        return Err(Error::usage(format!("{} already exists", path.display()))
            .cause("init does not overwrite a workflow you may have edited")
            .hint("pass --force to replace it"));
    }
    let glob = |pattern: &str| {
        let cut = pattern.find('{').unwrap_or(pattern.len());
        format!("{}**", &pattern[..cut])
    };
    let context = Workflow {
        hotfix_glob: glob(&config.release.hotfix_branch),
        release_glob: glob(&config.release.branch),
        remote: config.release.remote.clone(),
        ledger: config.release.ledger.clone(),
        mainline: mainline.to_string(),
    };
    let text = render::render_text(
        "built-in template ci-github.yml",
        render::builtin("ci-github.yml"),
        &context,
    )?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text).map_err(|e| Error::file(path, "write", &e))?;
    Ok(())
}
