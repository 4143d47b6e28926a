//! The context every command runs in: the global flags, the repository, the configuration in
//! force (read from mainline), and the hotfix in progress on the checked-out branch.

use std::path::PathBuf;

use semver::Version;

use crate::config::{Config, FILE_NAME, Source};
use crate::error::{Error, Result};
use crate::git::{BranchTip, Oid, ReleaseTag, Repo, TagRef};
use crate::github::Github;
use crate::ledger::{Ledger, Record, Shipped, Started};
use crate::version::{Line, version_from_branch};

/// The global flags that every command honours.
#[derive(Debug, Clone, Default)]
pub struct Globals {
    pub dir: Option<PathBuf>,
    /// Every `-C` given, for commands that span repositories (`report`).
    pub dirs: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub yes: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// An open repository with its configuration in force.
pub struct Ctx {
    pub repo: Repo,
    pub config: Config,
    pub source: Source,
    pub globals: Globals,
}

impl Ctx {
    /// Opens the repository and reads the configuration: `--config FILE` when given, else
    /// `.hotfix.toml` at the tip of mainline, else the defaults.
    pub fn load(globals: &Globals) -> Result<Ctx> {
        let dir = match &globals.dir {
            Some(d) => d.clone(),
            None => std::env::current_dir()?,
        };
        if !dir.exists() {
            return Err(Error::usage(format!("{} does not exist", dir.display()))
                .cause("-C names a folder that is not there")
                .hint("check the path given to -C"));
        }
        let repo = Repo::discover(&dir)?;
        let (config, source) = match &globals.config {
            Some(path) => Config::from_file(path)?,
            None => read_from_mainline(&repo)?,
        };
        Ok(Ctx {
            repo,
            config,
            source,
            globals: globals.clone(),
        })
    }

    /// Opens the repository for a command that writes refs or the ledger (`doing` names it):
    /// such a command works under mainline's policy only, so `--config FILE` is refused. It is
    /// for trying a change: with `check`, `status`, `report` or `ship --dry-run`.
    pub fn load_writer(globals: &Globals, doing: &str) -> Result<Ctx> {
        if let Some(path) = &globals.config {
            return Err(Error::usage(format!("{doing} does not take --config"))
                .cause(format!(
                    "it writes the repository or the ledger, which happens under the policy in force: {FILE_NAME} on mainline, not {}",
                    path.display()
                ))
                .hint("try the file with `hotfix check --config FILE` or `hotfix ship --dry-run --config FILE`; to change the policy, merge it to mainline"));
        }
        Ctx::load(globals)
    }

    pub fn mainline(&self) -> Result<BranchTip> {
        mainline_of(&self.repo, &self.config)
    }

    pub fn ledger(&self) -> Ledger<'_> {
        Ledger::new(&self.repo, &self.config.release.ledger, self.remote())
    }

    pub fn remote(&self) -> &str {
        &self.config.release.remote
    }

    /// Refuses leftover lock files on what hotfix is about to write: the index, HEAD, the
    /// checked-out branch and the ledger.
    pub fn ensure_unlocked(&self) -> Result<()> {
        let branch = self.repo.head_branch().map(|b| format!("refs/heads/{b}"));
        let ledger = format!("refs/heads/{}", self.config.release.ledger);
        let mut refs = vec![ledger.as_str()];
        if let Some(b) = &branch {
            refs.push(b);
        }
        self.repo.ensure_unlocked(&refs)
    }

    /// Lists the release tags under the configured pattern, refusing a repository with none.
    pub fn tag_refs(&self) -> Result<Vec<TagRef>> {
        let tags = self.repo.tag_refs(&self.config.release.tag)?;
        if tags.is_empty() {
            let example = self.config.release.tag.format(&Version::new(1, 0, 0));
            return Err(Error::usage("no release tags found")
                .cause(format!(
                    "no tag matches the release pattern '{}' with a release version (for example {example})",
                    self.config.release.tag
                ))
                .hint(format!(
                    "fetch the tags (git fetch --tags {}), or set [release] tag in {FILE_NAME} to your tag pattern",
                    self.remote()
                )));
        }
        Ok(tags)
    }

    /// Finds the hotfix in progress from the checked-out branch.
    /// The hotfix in progress on the checked-out branch, refused if it was abandoned: an
    /// abandoned hotfix gets no more picks and no ship (`doing` names what was refused).
    pub fn open_hotfix(&self, doing: &str) -> Result<Current> {
        let current = self.current()?;
        let record = self.ledger().record(&current.id)?;
        if let Some(k) = record.as_ref().and_then(|r| r.skipped()) {
            return Err(Error::usage(format!(
                "cannot {doing}: line {} was skipped for its incident",
                k.line
            ))
            .cause(format!("its record says the line does not get the fix ({})", k.reason))
            .hint("if that changed, start the line again as a new hotfix: hotfix start --line X.Y --incident ID"));
        }
        if let Some(a) = record.and_then(|r| r.abandoned()) {
            return Err(
                Error::usage(format!("cannot {doing}: {} was abandoned", current.id))
                    .cause(format!(
                        "its record says it will not ship ({})",
                        a.reason.as_deref().unwrap_or("no reason given")
                    ))
                    .hint("start a new hotfix with `hotfix start`, which takes the next version"),
            );
        }
        Ok(current)
    }

    /// The records of an incident's hotfixes: every record whose `started` names it.
    pub fn incident(&self, incident: &str) -> Result<Vec<crate::ledger::Record>> {
        Ok(self
            .ledger()
            .records()?
            .into_iter()
            .filter(|r| {
                r.started()
                    .and_then(|s| s.incident)
                    .is_some_and(|i| i == incident)
            })
            .collect())
    }

    pub fn current(&self) -> Result<Current> {
        let pattern = &self.config.release.hotfix_branch;
        let branch = self.repo.head_branch();
        let version = branch
            .as_deref()
            .and_then(|b| version_from_branch(pattern, b));
        let (Some(branch), Some(version)) = (branch.clone(), version) else {
            let on = branch
                .map(|b| format!("you are on branch '{b}'"))
                .unwrap_or_else(|| "HEAD is detached".into());
            let existing = self.hotfix_branches();
            let hint = match existing.first() {
                Some(b) => format!(
                    "switch to one (git switch {b}), or start a new one with `hotfix start`"
                ),
                None => "start one with `hotfix start`".to_string(),
            };
            return Err(Error::usage("no hotfix in progress")
                .cause(format!("{on}, which is not a hotfix branch ({pattern})"))
                .hint(hint));
        };
        self.hotfix_at(branch, version, self.repo.head_commit()?)
    }

    /// The hotfix of another line's branch (`started.branch` of its record), as `current`
    /// would see it checked out: its head is the branch tip.
    pub fn hotfix_on(&self, branch: &str) -> Result<Current> {
        let pattern = &self.config.release.hotfix_branch;
        let version = version_from_branch(pattern, branch).ok_or_else(|| {
            Error::usage(format!("{branch} is not a hotfix branch"))
                .cause(format!("hotfix branches are named {pattern}"))
                .hint("check the record with `hotfix show ID`")
        })?;
        let head = self.repo.local_branch(branch).ok_or_else(|| {
            Error::usage(format!("the branch {branch} is not in this clone"))
                .cause("its hotfix is recorded, but the branch is missing here")
                .hint(format!(
                    "fetch it: git fetch {0} {branch}:{branch}",
                    self.remote()
                ))
        })?;
        self.hotfix_at(branch.to_string(), version, head)
    }

    fn hotfix_at(&self, branch: String, version: Version, head: Oid) -> Result<Current> {
        let id = self.config.release.tag.format(&version);
        let started = self.ledger().record(&id)?.and_then(|r| r.started());
        let tags = self.tag_refs()?;
        let base = match &started {
            Some(s) => {
                let t = tags.iter().find(|t| t.name == s.base).ok_or_else(|| {
                    Error::usage(format!("the base tag {} of {id} is gone", s.base))
                        .cause("the ledger says the hotfix started from it, but no such tag exists here")
                        .hint(format!("fetch the tags: git fetch --tags {}", self.remote()))
                })?;
                self.repo.peel(t)?
            }
            None => self.base_for(&tags, &version, head)?,
        };
        Ok(Current {
            id,
            version,
            branch,
            base,
            started,
            head,
        })
    }

    /// Finds the newest release on the version's line, below it, that the head contains.
    pub fn base_for(&self, tags: &[TagRef], version: &Version, head: Oid) -> Result<ReleaseTag> {
        let line = Line::of(version);
        for t in tags
            .iter()
            .rev()
            .filter(|t| t.line() == line && t.version < *version)
        {
            let Ok(t) = self.repo.peel(t) else { continue };
            if self.repo.is_ancestor(t.commit, head)? {
                return Ok(t);
            }
        }
        Err(Error::usage(format!(
            "no release on line {line} below {version} is in this branch's history"
        ))
        .cause("a hotfix branch grows from the release tag it patches")
        .hint("start hotfixes with `hotfix start`, which branches from the release tag"))
    }

    /// Finds a hotfix's record by id (its tag) or version (`1.4.3`, `v1.4.3`).
    pub fn find_record(&self, id: &str) -> Result<Record> {
        let ledger = self.ledger();
        if let Some(r) = ledger.record(id)? {
            return Ok(r);
        }
        if let Ok(v) = self.config.release.tag.parse_user_version(id) {
            if let Some(r) = ledger.record(&self.config.release.tag.format(&v))? {
                return Ok(r);
            }
        }
        Err(Error::usage(format!("no hotfix '{id}' in the ledger"))
            .cause(format!(
                "the ledger branch {} has no record of that id",
                self.config.release.ledger
            ))
            .hint("`hotfix list` shows the recorded hotfixes; `hotfix sync` fetches the ledger from the remote"))
    }

    /// Finds a shipped hotfix's record, refusing one that has not shipped.
    pub fn shipped_record(&self, id: &str, doing: &str) -> Result<(Record, Shipped)> {
        let record = self.find_record(id)?;
        match record.shipped() {
            Some(s) => Ok((record, s)),
            None => Err(
                Error::usage(format!("cannot {doing} {}: it has not shipped", record.id))
                    .cause(format!("its record says: {}", record.state()))
                    .hint(format!(
                        "ship it first (hotfix ship on {}), or check the id with `hotfix list`",
                        record.id
                    )),
            ),
        }
    }

    /// Builds the GitHub client for this repository: `[github]` config, else the remote's URL.
    pub fn github(&self) -> Result<Github> {
        let url = self.repo.remote_url(self.remote());
        Github::new(&self.config.github, self.remote(), url.as_deref())
    }

    /// The environment a command names with `--env`, checked against `deploy.environments`;
    /// without `--env`, the last of them (production, usually).
    pub fn environment(&self, named: Option<&str>) -> Result<String> {
        let envs = &self.config.deploy.environments;
        self.config
            .deploy
            .environment(named)
            .map(str::to_string)
            .ok_or_else(|| {
                Error::usage(format!(
                    "unknown environment '{}'",
                    crate::text::single_line_view(named.unwrap_or(""))
                ))
                .cause(format!(
                    "deploy.environments in {} names: {}",
                    self.source,
                    envs.join(", ")
                ))
                .hint(format!(
                    "use one of those, or add it to [deploy] environments in {FILE_NAME} on mainline"
                ))
            })
    }

    /// Builds the `approved` event for an approval given by name (`start --approved-by`,
    /// `approve --by`), refusing a name that `policy.approvers` does not list: it could never
    /// count. Whether the approver is the shipper is judged at ship time; a note says so now.
    pub fn approval(&self, who: &str) -> Result<crate::ledger::Approved> {
        let approvers = &self.config.policy.approvers;
        let person = crate::git::Person::parse(who);
        if who.trim().is_empty() {
            return Err(Error::usage("the approver is empty")
                .hint("name who approved: --by \"Name <email>\" or --by @github-login"));
        }
        if !approvers.is_empty() && !crate::policy::listed(approvers, &person, false) {
            return Err(Error::usage(format!("{who} is not an approver"))
                .cause(format!(
                    "policy.approvers in {} lists: {}",
                    self.source,
                    approvers.join(", ")
                ))
                .hint("name one of them, or add the approver to policy.approvers on mainline"));
        }
        if self.config.policy.hotfix_severities.is_none() {
            crate::ui::note(
                "policy.hotfix-severities is not set, so the `approved` rule is off; the approval is recorded all the same",
            );
        }
        if self.repo.me().is_ok_and(|me| me.same_as(&person)) {
            crate::ui::note(format!(
                "{who} is you: an approval by whoever ships does not count (judged at ship time)"
            ));
        }
        Ok(crate::ledger::Approved {
            approver: who.trim().to_string(),
            source: "flag".into(),
            verified: false,
        })
    }

    /// Appends an event by the current identity, now.
    pub fn record_event<P: serde::Serialize>(
        &self,
        kind: &str,
        id: &str,
        payload: &P,
    ) -> Result<()> {
        let by = crate::ledger::by(&self.repo)?;
        let at = crate::ledger::now(&self.repo)?;
        self.ledger()
            .append(&crate::ledger::Event::new(kind, id, &by, at, payload))
    }

    /// Lists local hotfix branches, newest version first.
    pub fn hotfix_branches(&self) -> Vec<String> {
        let pattern = &self.config.release.hotfix_branch;
        let mut found: Vec<(Version, String)> = self
            .repo
            .local_branches()
            .into_iter()
            .filter_map(|n| version_from_branch(pattern, &n).map(|v| (v, n)))
            .collect();
        found.sort();
        found.into_iter().rev().map(|(_, n)| n).collect()
    }
}

/// Finds mainline as a configuration names it.
fn mainline_of(repo: &Repo, config: &Config) -> Result<BranchTip> {
    repo.mainline(&config.release.mainline, &config.release.remote)
}

/// Reads `.hotfix.toml` from the tip of mainline. Mainline is first found with the default
/// rules; if the file names another mainline, the file is read again from there.
fn read_from_mainline(repo: &Repo) -> Result<(Config, Source)> {
    let defaults = Config::default();
    let Ok(first) = mainline_of(repo, &defaults) else {
        return Ok((defaults, Source::Default { commit: None }));
    };
    let (config, source) = read_at(repo, &first)?;
    if !config.release.mainline.is_empty() || config.release.remote != defaults.release.remote {
        let second = mainline_of(repo, &config)?;
        if second.refname != first.refname {
            let (again, source) = read_at(repo, &second)?;
            return Ok((again, source));
        }
    }
    Ok((config, source))
}

fn read_at(repo: &Repo, branch: &BranchTip) -> Result<(Config, Source)> {
    let Some(entry) = repo.file_entry_at(branch.tip, FILE_NAME)? else {
        return Ok((
            Config::default(),
            Source::Default {
                commit: Some(branch.tip.to_string()),
            },
        ));
    };
    let content = repo.blob(entry.blob)?;
    let text = String::from_utf8_lossy(&content);
    let origin = format!("{FILE_NAME} on {}", branch.display);
    let config = Config::parse(&text, &origin).map_err(|e| {
        let hint = format!(
            "fix it on mainline, or try a corrected copy with --config FILE; {}",
            e.hint.clone().unwrap_or_default()
        );
        e.hint(hint)
    })?;
    Ok((
        config,
        Source::Mainline {
            branch: branch.display.clone(),
            commit: branch.tip.to_string(),
            blob: entry.blob.to_string(),
            digest: crate::config::digest(&content),
        },
    ))
}

/// The hotfix in progress on the checked-out branch.
#[derive(Debug, Clone)]
pub struct Current {
    pub id: String,
    pub version: Version,
    pub branch: String,
    pub base: ReleaseTag,
    pub started: Option<Started>,
    pub head: Oid,
}
