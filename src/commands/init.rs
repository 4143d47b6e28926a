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
/// The file holds every key with its default. The workflow (`--ci github`, or `--ci gitlab`
/// for a `.gitlab-ci.yml` job that publishes a JUnit report) runs `hotfix check` on hotfix
/// branches with the history it needs. Both come from templates a repository can override
/// (`ci-github.yml`, `ci-gitlab.yml`).
///
/// Commit the files on mainline: the policy in force is always mainline's.
///
/// Examples:
///   hotfix init && git add .hotfix.toml && git commit -m "Add hotfix policy"
///   hotfix init --ci github
///   hotfix init --ci gitlab
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Also writes a CI workflow that gates hotfix branches.
    #[arg(long, value_enum, value_name = "SERVICE")]
    pub ci: Option<Ci>,

    /// Overwrites existing files: the workflow with --ci (the policy is kept, and the workflow
    /// follows it), else .hotfix.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    Github,
    Gitlab,
}

impl Ci {
    /// The file written, relative to the work tree, and its template.
    fn file_and_template(self) -> (&'static str, &'static str) {
        match self {
            Ci::Github => (".github/workflows/hotfix.yml", "ci-github.yml"),
            Ci::Gitlab => (".gitlab-ci.yml", "ci-gitlab.yml"),
        }
    }
}

/// What the workflow templates receive. The `_regex`, `_refspec` and `_quoted` values are
/// ready to paste: escaped for a GitLab expression inside a YAML single-quoted string, and
/// for the shell.
#[derive(Serialize)]
struct Workflow {
    hotfix_glob: String,
    release_glob: String,
    remote: String,
    ledger: String,
    /// The mainline branch, whose pull requests get a `preview` of the supported lines.
    mainline: String,
    /// `/^hotfix\//`: a GitLab regex literal for the hotfix branches.
    hotfix_regex: String,
    release_regex: String,
    /// `"main"`: mainline as a GitLab string literal.
    mainline_quoted: String,
    /// Every branch of the remote into its remote-tracking refs, shell-quoted.
    heads_refspec: String,
    /// The ledger branch into the local branch of the same name, shell-quoted.
    ledger_refspec: String,
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
    // With --ci, --force replaces the workflow and keeps the policy: the workflow is written
    // from it. `hotfix init --force` alone resets the policy.
    if path.exists() && (!args.force || args.ci.is_some()) {
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
    if let Some(ci) = args.ci {
        let (file, template) = ci.file_and_template();
        let wf = root.join(file);
        // Mainline's branch name: configured (even before this clone has it), else what the
        // repository says, else `main`.
        let configured = Some(config.release.mainline.clone()).filter(|m| !m.is_empty());
        let mainline = configured
            .or_else(|| {
                repo.mainline("", &config.release.remote).ok().map(|m| {
                    m.refname
                        .rsplit_once(&format!("refs/remotes/{}/", config.release.remote))
                        .map(|(_, b)| b.to_string())
                        .or_else(|| m.refname.strip_prefix("refs/heads/").map(str::to_string))
                        .unwrap_or(m.display)
                })
            })
            .unwrap_or_else(|| "main".into());
        // A repository's own template on mainline wins, as for every template.
        let ctx = crate::context::Ctx::load(globals).ok();
        write_workflow(&wf, template, ctx.as_ref(), &config, &mainline, args.force)?;
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

fn write_workflow(
    path: &Path,
    template: &str,
    ctx: Option<&crate::context::Ctx>,
    config: &Config,
    mainline: &str,
    force: bool,
) -> Result<()> {
    if path.exists() && !force {
        return Err(Error::usage(format!("{} already exists", path.display()))
            .cause("init does not overwrite a workflow you may have edited")
            .hint("pass --force to replace it"));
    }
    let glob = |pattern: &str| {
        let cut = pattern.find('{').unwrap_or(pattern.len());
        format!("{}**", &pattern[..cut])
    };
    let remote = &config.release.remote;
    let ledger = &config.release.ledger;
    let context = Workflow {
        hotfix_glob: glob(&config.release.hotfix_branch),
        release_glob: glob(&config.release.branch),
        remote: shell_quote(remote),
        ledger: ledger.clone(),
        mainline: mainline.to_string(),
        hotfix_regex: gitlab_branch_regex(&config.release.hotfix_branch),
        release_regex: gitlab_branch_regex(&config.release.branch),
        mainline_quoted: yaml_single(&format!(
            "\"{}\"",
            mainline.replace('\\', "\\\\").replace('"', "\\\"")
        )),
        heads_refspec: shell_quote(&format!("+refs/heads/*:refs/remotes/{remote}/*")),
        ledger_refspec: shell_quote(&format!("+refs/heads/{ledger}:refs/heads/{ledger}")),
    };
    let text = render::render(ctx, template, &context)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text).map_err(|e| Error::file(path, "write", &e))?;
    Ok(())
}

/// A GitLab regex literal matching exactly the branch names of `pattern`, `{line}` and
/// `{version}` as numbers (`release/{line}` gives `/^release\/[0-9]+\.[0-9]+$/`), ready for a
/// YAML single-quoted string.
fn gitlab_branch_regex(pattern: &str) -> String {
    let number = "[0-9]+";
    let mut re = String::from("^");
    let mut rest = pattern;
    while !rest.is_empty() {
        let (literal, placeholder, after) = match rest.find('{') {
            Some(i) => {
                let close = rest[i..].find('}').map_or(rest.len(), |j| i + j + 1);
                (&rest[..i], &rest[i..close], &rest[close..])
            }
            None => (rest, "", ""),
        };
        re.push_str(&regex::escape(literal));
        re.push_str(&match placeholder {
            "{version}" => format!("{number}\\.{number}\\.{number}"),
            "{line}" => format!("{number}\\.{number}"),
            "" => String::new(),
            other => regex::escape(other),
        });
        rest = after;
    }
    re.push('$');
    yaml_single(&format!("/{}/", re.replace('/', "\\/")))
}

/// Text for the inside of a YAML single-quoted string: a quote is doubled.
fn yaml_single(text: &str) -> String {
    text.replace('\'', "''")
}

/// A word for `sh`: quoted when it needs to be.
fn shell_quote(word: &str) -> String {
    shlex::try_quote(word)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| format!("'{}'", word.replace('\0', "").replace('\'', "'\\''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_patterns_become_anchored_gitlab_regexes() {
        assert_eq!(
            gitlab_branch_regex("hotfix/{version}"),
            "/^hotfix\\/[0-9]+\\.[0-9]+\\.[0-9]+$/"
        );
        assert_eq!(
            gitlab_branch_regex("rel.{line}"),
            "/^rel\\.[0-9]+\\.[0-9]+$/"
        );
        assert_eq!(
            gitlab_branch_regex("it's/{line}"),
            "/^it''s\\/[0-9]+\\.[0-9]+$/"
        );
        // A placeholder first, or a suffix, is matched as written, not as "every branch".
        let re = |p: &str| {
            let lit = gitlab_branch_regex(p);
            regex::Regex::new(&lit[1..lit.len() - 1].replace("\\/", "/")).unwrap()
        };
        let line_x = re("{line}.x");
        assert!(line_x.is_match("1.4.x") && !line_x.is_match("main"));
        let fix = re("{version}-fix");
        assert!(fix.is_match("1.4.3-fix") && !fix.is_match("feature-fix"));
        let release = re("release/{line}");
        assert!(release.is_match("release/1.4") && !release.is_match("prerelease/1.4"));
    }

    #[test]
    fn shell_words_are_quoted() {
        assert_eq!(shell_quote("origin"), "origin");
        assert_eq!(
            shell_quote("+refs/heads/*:refs/remotes/origin/*"),
            "'+refs/heads/*:refs/remotes/origin/*'"
        );
        assert_eq!(shell_quote("a'b"), "\"a'b\"");
    }
}
