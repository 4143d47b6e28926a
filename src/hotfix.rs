//! The shared context of the commands: repository, configuration in force, the current hotfix,
//! and `gather`, which collects what the policy rules judge.
//!
//! Everything here is bounded by the hotfix's own commits plus ancestry checks: refs are listed,
//! history is never walked from the root.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::Oid;
use semver::Version;

use crate::config::{Config, FILE_NAME, Source};
use crate::error::{Error, Result};
use crate::git::message::{picked_from, subject, trailer_values};
use crate::git::{BranchTip, ReleaseTag, Repo, TagRef, cli};
use crate::ledger::{Ledger, Started};
use crate::policy::{
    BaseInfo, CommitSummary, LocalTag, MergeCheck, Person, Provenance, RemoteTag, Reviewer,
    Summary, TestRun,
};
use crate::version::{Line, expand_line, version_from_branch};

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
            Some(path) => (
                Config::from_file(path)?,
                Source::File(path.display().to_string()),
            ),
            None => read_from_mainline(&repo)?,
        };
        Ok(Ctx {
            repo,
            config,
            source,
            globals: globals.clone(),
        })
    }

    pub fn mainline(&self) -> Result<BranchTip> {
        self.repo.mainline(&self.config)
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
        let tags = self.repo.tag_refs(&self.config.tag_pattern())?;
        if tags.is_empty() {
            let example = self.config.tag_pattern().format(&Version::new(1, 0, 0));
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
        let id = self.config.tag_pattern().format(&version);
        let started = self.ledger().record(&id)?.and_then(|r| r.started());
        let tags = self.tag_refs()?;
        let head = self.repo.head_commit()?;
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
    pub fn find_record(&self, id: &str) -> Result<crate::ledger::Record> {
        let ledger = self.ledger();
        if let Some(r) = ledger.record(id)? {
            return Ok(r);
        }
        if let Ok(v) = self.config.tag_pattern().parse_user_version(id) {
            if let Some(r) = ledger.record(&self.config.tag_pattern().format(&v))? {
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
    pub fn shipped_record(
        &self,
        id: &str,
        doing: &str,
    ) -> Result<(crate::ledger::Record, crate::ledger::Shipped)> {
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
            .git
            .branches(Some(git2::BranchType::Local))
            .into_iter()
            .flatten()
            .filter_map(|b| b.ok())
            .filter_map(|(b, _)| b.name().ok().flatten().map(str::to_string))
            .filter_map(|n| version_from_branch(pattern, &n).map(|v| (v, n)))
            .collect();
        found.sort();
        found.into_iter().rev().map(|(_, n)| n).collect()
    }
}

/// Reads `.hotfix.toml` from the tip of mainline. Mainline is first found with the default
/// rules; if the file names another mainline, the file is read again from there.
fn read_from_mainline(repo: &Repo) -> Result<(Config, Source)> {
    let defaults = Config::default();
    let Ok(first) = repo.mainline(&defaults) else {
        return Ok((defaults, Source::Default));
    };
    let (config, source) = read_at(repo, &first)?;
    if !config.release.mainline.is_empty() || config.release.remote != defaults.release.remote {
        let second = repo.mainline(&config)?;
        if second.refname != first.refname {
            let (again, source) = read_at(repo, &second)?;
            return Ok((again, source));
        }
    }
    Ok((config, source))
}

fn read_at(repo: &Repo, branch: &BranchTip) -> Result<(Config, Source)> {
    let tree = repo.git.find_commit(branch.tip)?.tree()?;
    let Ok(entry) = tree.get_path(Path::new(FILE_NAME)) else {
        return Ok((Config::default(), Source::Default));
    };
    let blob = repo.git.find_blob(entry.id())?;
    let text = String::from_utf8_lossy(blob.content());
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

/// What `gather` needs beyond the range.
#[derive(Debug, Default)]
pub struct GatherOptions {
    pub reviewers: Vec<String>,
    pub shipper: Option<Person>,
    pub ask_remote: bool,
    pub run_tests: bool,
    /// Reads the hotfix pull request's approvals when a GitHub token is set.
    pub github: bool,
}

/// Collects the facts the rules judge for the hotfix `id` = base..head.
pub fn gather(
    ctx: &Ctx,
    id: &str,
    base: &ReleaseTag,
    head: Oid,
    opts: &GatherOptions,
) -> Result<Summary> {
    let repo = &ctx.repo;
    let remote_query = opts.ask_remote.then(|| RemoteQuery::start(ctx, id));
    let mainline = ctx.mainline()?;
    let is_ancestor = repo.is_ancestor(base.commit, head)?;
    let commits = if is_ancestor {
        repo.range(base.commit, head)?
    } else {
        Vec::new()
    };
    let recorded: HashSet<String> = ctx
        .ledger()
        .record(id)?
        .map(|r| r.picks().into_iter().map(|p| p.commit).collect())
        .unwrap_or_default();

    let mut summaries = Vec::new();
    let mut reviewers: Vec<Reviewer> = opts
        .reviewers
        .iter()
        .map(|r| Reviewer {
            person: Person::parse(r),
            source: "flag".into(),
            verified: false,
            excluded: None,
        })
        .collect();
    for oid in &commits {
        let c = repo.git.find_commit(*oid)?;
        let message = String::from_utf8_lossy(c.message_raw_bytes()).into_owned();
        let merge = if c.parent_count() > 1 {
            Some(merge_check(repo, &c)?)
        } else {
            None
        };
        let provenance = if merge.is_some() {
            Provenance::Merge
        } else {
            provenance(repo, &c, &message, &mainline)?
        };
        if merge.is_none() {
            for r in trailer_values(&message, "Reviewed-by") {
                reviewers.push(Reviewer {
                    person: Person::parse(&r),
                    source: "trailer".into(),
                    verified: false,
                    excluded: None,
                });
            }
        }
        summaries.push(CommitSummary {
            id: oid.to_string(),
            short: repo.short(*oid),
            subject: subject(&message).to_string(),
            author: Person {
                name: c.author().name().unwrap_or("").to_string(),
                email: c.author().email().unwrap_or("").to_string(),
            },
            provenance,
            merge,
            paths: if c.parent_count() > 1 {
                Vec::new()
            } else {
                repo.commit_paths(*oid)?
            },
        });
    }

    if opts.github && crate::github::Github::configured() {
        reviewers.extend(github_reviews(ctx, id, head, &summaries)?);
    }
    let riding = riding_commits(ctx, base, head, &commits, &recorded)?;
    let changes = if is_ancestor {
        repo.changes(base.commit, head)?
    } else {
        Vec::new()
    };
    let local_tag = match repo.tag_target(id) {
        None => LocalTag::Free,
        Some(t) if t == head => LocalTag::AtHead,
        Some(_) => LocalTag::Elsewhere,
    };
    let remote_tag = match remote_query {
        None => RemoteTag::NotAsked,
        Some(q) => q.finish(head)?,
    };
    let rollback_to = previous_release(ctx, id)?;
    let tests_run = if opts.run_tests && !ctx.config.policy.test_command.trim().is_empty() {
        let spin = crate::ui::spinner(format!(
            "running `{}` on the hotfix head",
            ctx.config.policy.test_command
        ));
        let mut run = run_tests(ctx, head, &[]);
        if let Ok(r) = run.as_mut() {
            if ctx.config.policy.prove_regression && is_ancestor {
                if let Some(s) = &spin {
                    s.set_message(format!(
                        "running `{}` on {} with only the test changes",
                        ctx.config.policy.test_command, base.name
                    ));
                }
                r.before = Some(prove_regression(ctx, base, head, &changes)?);
            }
        }
        crate::ui::done(spin);
        let run = run?;
        Some(run)
    } else {
        None
    };
    Ok(Summary {
        id: id.to_string(),
        base: BaseInfo {
            tag: base.name.clone(),
            is_release: ctx
                .config
                .tag_pattern()
                .release_version(&base.name)
                .is_some(),
            is_ancestor,
            riding,
        },
        head: head.to_string(),
        commits: summaries,
        changes,
        reviewers,
        shipper: opts.shipper.clone(),
        local_tag,
        remote_tag,
        rollback_to,
        tests_run,
    })
}

/// Reads the approvals of the hotfix pull request (from the hotfix branch into the line's
/// release branch). An approval counts, as verified, only when GitHub says it was given on the
/// current head by someone who is neither the pull request's author nor the author of a picked
/// commit; the others are returned with the reason they do not count. The latest review of
/// each user is the one that stands, as on GitHub.
fn github_reviews(
    ctx: &Ctx,
    id: &str,
    head: Oid,
    commits: &[CommitSummary],
) -> Result<Vec<Reviewer>> {
    let Some(version) = ctx.config.tag_pattern().release_version(id) else {
        return Ok(Vec::new());
    };
    let gh = crate::github::Github::from_ctx(ctx)?;
    let branch = crate::version::expand(&ctx.config.release.hotfix_branch, &version);
    let release = expand_line(&ctx.config.release.branch, Line::of(&version));
    let Some(pull) = gh.find_pull(&branch, &release)? else {
        return Ok(Vec::new());
    };
    let number = pull
        .get("number")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    let pr_author = pull
        .pointer("/user/login")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut authors = HashSet::new();
    for c in commits {
        if let Provenance::Picked { origin, .. } = &c.provenance {
            if let Some(login) = gh.commit_author_login(origin)? {
                authors.insert(login);
            }
        }
    }
    let mut latest: Vec<(String, String, String)> = Vec::new();
    for r in gh.reviews(number)? {
        let login = r
            .pointer("/user/login")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string();
        let state = r
            .get("state")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string();
        let commit = r
            .get("commit_id")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string();
        if login.is_empty() || state == "COMMENTED" || state == "PENDING" {
            continue; // comments neither give nor withdraw an approval
        }
        latest.retain(|(l, _, _)| *l != login);
        latest.push((login, state, commit));
    }
    let head = head.to_string();
    Ok(latest
        .into_iter()
        .filter(|(_, state, _)| state == "APPROVED")
        .map(|(login, _, commit)| {
            let excluded = if login == pr_author {
                Some(format!("approves their own pull request #{number}"))
            } else if authors.contains(&login) {
                Some("an author of a picked commit".to_string())
            } else if commit != head {
                Some(format!(
                    "approved {}, not the current head; the pull request changed since",
                    &commit[..commit.len().min(10)]
                ))
            } else {
                None
            };
            Reviewer {
                person: Person {
                    name: login,
                    email: String::new(),
                },
                source: format!("github #{number}"),
                verified: true,
                excluded,
            }
        })
        .collect())
}

/// Finds the newest release tag on the hotfix's line below its version: the rollback target.
fn previous_release(ctx: &Ctx, id: &str) -> Result<Option<String>> {
    let pattern = ctx.config.tag_pattern();
    let Some(version) = pattern.release_version(id) else {
        return Ok(None);
    };
    let tags = ctx.repo.tag_refs(&pattern)?;
    Ok(tags
        .iter()
        .rev()
        .find(|t| t.line() == Line::of(&version) && t.version < version)
        .map(|t| t.name.clone()))
}

/// Traces a commit's cherry-pick trailers back to mainline, following a chain of picks (each
/// pick names its immediate source last), and compares the pick with the mainline original.
fn provenance(
    repo: &Repo,
    c: &git2::Commit<'_>,
    message: &str,
    mainline: &BranchTip,
) -> Result<Provenance> {
    let names = picked_from(message);
    let Some(first) = names.last() else {
        return Ok(Provenance::NoTrailer);
    };
    let mut chain = Vec::new();
    let mut current = first.clone();
    for _ in 0..16 {
        let Ok(obj) = repo.git.revparse_single(&current) else {
            return Ok(Provenance::NotOnMainline {
                source: first.clone(),
                reason: format!("its trailer names {current}, which this clone does not have"),
            });
        };
        let Ok(src) = obj.peel_to_commit() else {
            return Ok(Provenance::NotOnMainline {
                source: first.clone(),
                reason: format!("its trailer names {current}, which is not a commit"),
            });
        };
        chain.push(src.id().to_string());
        if repo.is_ancestor(src.id(), mainline.tip)? {
            let mainline_parent = (src.parent_count() > 1).then_some(1);
            let ours = repo.patch_id(c.id(), None)?;
            let theirs = repo.patch_id(src.id(), mainline_parent)?;
            let clean = ours == theirs;
            let difference = if clean {
                None
            } else {
                Some(patch_difference(
                    &repo.patch_text(src.id(), mainline_parent)?,
                    &repo.patch_text(c.id(), None)?,
                ))
            };
            return Ok(Provenance::Picked {
                source: first.clone(),
                origin: src.id().to_string(),
                chain,
                clean,
                difference,
            });
        }
        let src_message = String::from_utf8_lossy(src.message_raw_bytes()).into_owned();
        match picked_from(&src_message).last() {
            Some(next) => current = next.clone(),
            None => {
                return Ok(Provenance::NotOnMainline {
                    source: first.clone(),
                    reason: format!(
                        "its trailer names {}, which is not on mainline ({}) and is not itself a pick",
                        &src.id().to_string()[..10],
                        mainline.display
                    ),
                });
            }
        }
    }
    Ok(Provenance::NotOnMainline {
        source: first.clone(),
        reason: "its chain of cherry-pick trailers is longer than 16 links".into(),
    })
}

/// Shows how a pick's patch differs from its source's, as a diff of the two patches.
pub fn patch_difference(source: &str, pick: &str) -> String {
    let diff = similar::TextDiff::from_lines(source, pick);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => continue,
        };
        out.push(sign);
        out.push_str(change.value());
        if !change.value().ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Tells whether a merge commit's tree is exactly git's own merge of its parents.
fn merge_check(repo: &Repo, c: &git2::Commit<'_>) -> Result<MergeCheck> {
    if c.parent_count() != 2 {
        return Ok(MergeCheck {
            clean: false,
            detail: format!(
                "an octopus merge of {} parents cannot be verified",
                c.parent_count()
            ),
        });
    }
    let (a, b) = (c.parent(0)?, c.parent(1)?);
    let mut index = repo.git.merge_commits(&a, &b, None)?;
    if index.has_conflicts() {
        return Ok(MergeCheck {
            clean: false,
            detail: "its parents conflict, so the merge carries a hand-made resolution".into(),
        });
    }
    let tree = index.write_tree_to(&repo.git)?;
    if tree == c.tree_id() {
        Ok(MergeCheck {
            clean: true,
            detail: "exactly git's merge of its parents".into(),
        })
    } else {
        let extra = repo
            .tree_paths_between(tree, c.tree_id())?
            .into_iter()
            .take(5)
            .collect::<Vec<_>>()
            .join(", ");
        Ok(MergeCheck {
            clean: false,
            detail: format!("it changes {extra} beyond git's merge of its parents"),
        })
    }
}

/// Finds commits queued on the release branch after the base tag that the hotfix carries
/// without having picked them for this hotfix.
fn riding_commits(
    ctx: &Ctx,
    base: &ReleaseTag,
    head: Oid,
    commits: &[Oid],
    recorded: &HashSet<String>,
) -> Result<Vec<String>> {
    let name = expand_line(&ctx.config.release.branch, base.line());
    let Some(release) = ctx.repo.branch_tip(&name, ctx.remote()) else {
        return Ok(Vec::new());
    };
    if release.tip == base.commit || !ctx.repo.is_ancestor(base.commit, release.tip)? {
        return Ok(Vec::new());
    }
    if recorded.is_empty() && ctx.repo.is_ancestor(head, release.tip)? {
        // The release branch already holds the whole hotfix (merged or fast-forwarded after
        // ship) and no record says which commits were picked: nothing to tell apart.
        return Ok(Vec::new());
    }
    let queued: HashSet<Oid> = ctx
        .repo
        .range(base.commit, release.tip)?
        .into_iter()
        .collect();
    Ok(commits
        .iter()
        .filter(|c| queued.contains(c) && !recorded.contains(&c.to_string()))
        .map(|c| c.to_string())
        .collect())
}

/// Asks the remote for the tag in a background thread, so the network round trip overlaps the
/// local work; `RemoteQuery::finish` turns the answer into a verdict input.
enum RemoteQuery {
    NoRemote,
    Asked(std::thread::JoinHandle<Result<std::result::Result<Option<String>, String>>>),
}

impl RemoteQuery {
    fn start(ctx: &Ctx, id: &str) -> RemoteQuery {
        let remote = ctx.remote().to_string();
        if !cli::has_remote(&ctx.repo.git, &remote) {
            return RemoteQuery::NoRemote;
        }
        let dir = ctx
            .repo
            .git
            .workdir()
            .unwrap_or(ctx.repo.git.path())
            .to_path_buf();
        let id = id.to_string();
        RemoteQuery::Asked(std::thread::spawn(move || {
            cli::remote_tag(&dir, &remote, &id)
        }))
    }

    fn finish(self, head: Oid) -> Result<RemoteTag> {
        let handle = match self {
            RemoteQuery::NoRemote => return Ok(RemoteTag::NoRemote),
            RemoteQuery::Asked(h) => h,
        };
        let answer = handle
            .join()
            .map_err(|_| Error::external("asking the remote for the tag failed"))??;
        Ok(match answer {
            Err(message) => RemoteTag::Unknown(message),
            Ok(None) => RemoteTag::Free,
            Ok(Some(sha)) if sha == head.to_string() => RemoteTag::AtHead,
            Ok(Some(_)) => RemoteTag::Elsewhere,
        })
    }
}

/// Runs the test command on the base with only the hotfix's test files (paths matching
/// `policy.tests`) taken from the head: a regression test worth its name fails there.
fn prove_regression(
    ctx: &Ctx,
    base: &ReleaseTag,
    head: Oid,
    changes: &[crate::git::diff::FileChange],
) -> Result<crate::policy::TestOutcome> {
    let tests = crate::config::build_globs(&ctx.config.policy.tests).expect("validated when read");
    let head_tree = ctx.repo.git.find_commit(head)?.tree()?;
    let mut overlay = Vec::new();
    let mut names = Vec::new();
    for c in changes.iter().filter(|c| tests.is_match(&c.path)) {
        let entry = head_tree
            .get_path(Path::new(&c.path))
            .ok()
            .map(|e| (e.id(), e.filemode()));
        overlay.push((c.path.clone(), entry));
        names.push(c.path.clone());
    }
    let run = run_tests(ctx, base.commit, &overlay)?;
    Ok(crate::policy::TestOutcome {
        passed: run.passed,
        output_tail: run.output_tail,
        tests: names,
    })
}

/// Runs `policy.test-command` on `commit` in a temporary worktree, bounded by
/// `policy.test-timeout`; `overlay` replaces files first (a blob and its mode, or `None` to
/// delete). The worktree is removed afterwards.
pub fn run_tests(
    ctx: &Ctx,
    commit: Oid,
    overlay: &[(String, Option<(Oid, i32)>)],
) -> Result<TestRun> {
    let command = ctx.config.policy.test_command.clone();
    let gitdir = ctx.repo.git.path().to_path_buf();
    let tmp = tempfile::Builder::new().prefix("hotfix-tests-").tempdir()?;
    let wt = tmp.path().join("worktree");
    let wt_str = wt.to_string_lossy().into_owned();
    let commit_str = commit.to_string();
    let add = cli::run(
        &gitdir,
        &[
            "worktree",
            "add",
            "--detach",
            "--quiet",
            &wt_str,
            &commit_str,
        ],
        cli::NETWORK_TIMEOUT,
    )?;
    if !add.success {
        return Err(Error::usage("cannot create a temporary worktree for the tests")
            .cause(add.stderr.trim().to_string())
            .hint("check `git worktree list` and remove stale worktrees with `git worktree prune`"));
    }
    let result = apply_overlay(ctx, &wt, overlay).and_then(|()| {
        run_shell(
            &command,
            &wt,
            ctx.config
                .test_timeout()
                .to_std()
                .unwrap_or(Duration::from_secs(1800)),
        )
    });
    let _ = cli::run(
        &gitdir,
        &["worktree", "remove", "--force", &wt_str],
        cli::NETWORK_TIMEOUT,
    );
    let _ = cli::run(&gitdir, &["worktree", "prune"], cli::NETWORK_TIMEOUT);
    let (passed, output) = result?;
    let tail: Vec<&str> = output.lines().rev().take(20).collect();
    Ok(TestRun {
        command,
        passed,
        output_tail: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        before: None,
    })
}

fn apply_overlay(ctx: &Ctx, dir: &Path, overlay: &[(String, Option<(Oid, i32)>)]) -> Result<()> {
    for (path, entry) in overlay {
        let target = dir.join(path);
        match entry {
            None => {
                let _ = std::fs::remove_file(&target);
            }
            Some((blob, mode)) => {
                let content = ctx.repo.git.find_blob(*blob)?;
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&target, content.content())?;
                #[cfg(unix)]
                if *mode == i32::from(git2::FileMode::BlobExecutable) {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))?;
                }
            }
        }
    }
    Ok(())
}

fn run_shell(command: &str, dir: &Path, timeout: Duration) -> Result<(bool, String)> {
    use std::process::{Command, Stdio};
    let out_file = tempfile::NamedTempFile::new()?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out_file.reopen()?)
        .stderr(out_file.reopen()?)
        .spawn()
        .map_err(|e| Error::usage("cannot run the test command").cause(e.to_string()))?;
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break Some(s);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = std::fs::read_to_string(out_file.path()).unwrap_or_default();
    match status {
        Some(s) => Ok((s.success(), output)),
        None => Ok((
            false,
            format!(
                "{output}\n(stopped after {}s: policy.test-timeout)",
                timeout.as_secs()
            ),
        )),
    }
}

impl Repo {
    /// Lists paths that differ between two trees.
    pub fn tree_paths_between(&self, a: Oid, b: Oid) -> Result<Vec<String>> {
        let ta = self.git.find_tree(a)?;
        let tb = self.git.find_tree(b)?;
        let diff = self.git.diff_tree_to_tree(Some(&ta), Some(&tb), None)?;
        Ok(diff
            .deltas()
            .filter_map(|d| d.new_file().path().or(d.old_file().path()))
            .map(|p| p.to_string_lossy().into_owned())
            .collect())
    }
}
