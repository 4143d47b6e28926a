//! `hotfix check`: ship's verdict without side effects, for people and CI.

use git2::Oid;
use semver::Version;
use serde::Serialize;

use crate::commands::Format;
use crate::error::{Error, Result};
use crate::git::ReleaseTag;
use crate::hotfix::{Ctx, GatherOptions, Globals, gather};
use crate::policy::{self, Person, RuleResult, Summary};
use crate::ui;
use crate::version::version_from_branch;

/// Judges the hotfix against every policy rule, changing nothing; exit 1 when a rule fails.
///
/// On a hotfix branch it checks the hotfix in progress. In CI (detached HEAD) it finds the
/// release tag the head grows from; `--base` and `--head` name the range instead.
///
/// Examples:
///   hotfix check
///   hotfix check --format json
///   hotfix check --base v1.4.2 --head origin/hotfix/1.4.3
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The release tag the hotfix grows from.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// The hotfix head (default HEAD).
    #[arg(long, value_name = "REF")]
    pub head: Option<String>,

    /// Counts a reviewer (unverified), as `ship --reviewer` does.
    #[arg(long, value_name = "WHO")]
    pub reviewer: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// The JSON document `check --format json` prints (schema 1).
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub schema: u32,
    pub id: &'a str,
    pub base: &'a str,
    pub head: &'a str,
    pub verdict: &'static str,
    pub rules: &'a [RuleResult],
    pub commits: &'a [policy::CommitSummary],
    pub stats: Stats,
}

#[derive(Debug, Serialize)]
pub struct Stats {
    pub commits: usize,
    pub files: usize,
    pub added: usize,
    pub deleted: usize,
}

/// Resolves what to judge: the range and the hotfix id.
pub struct Target {
    pub id: String,
    pub base: ReleaseTag,
    pub head: Oid,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    ctx.repo
        .ensure_not_shallow("check a hotfix", ctx.remote())?;
    let target = target(&ctx, args.base.as_deref(), args.head.as_deref())?;
    let shipper = ctx.repo.identity().ok().map(|s| Person {
        name: s.name().unwrap_or("").to_string(),
        email: s.email().unwrap_or("").to_string(),
    });
    let opts = GatherOptions {
        reviewers: args.reviewer.clone(),
        shipper,
        ask_remote: true,
        run_tests: true,
    };
    let summary = gather(&ctx, &target.id, &target.base, target.head, &opts)?;
    let results = policy::evaluate(&summary, &ctx.config, &[]);
    let ok = policy::passes(&results);
    match args.format {
        Format::Json => ui::out(
            serde_json::to_string_pretty(&report(&ctx, &summary, &results)).expect("serializes"),
        ),
        Format::Human => print_human(&ctx, &summary, &results, globals.verbose),
    }
    if ok {
        Ok(())
    } else {
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| r.verdict == policy::Verdict::Fail)
            .map(|r| r.id)
            .collect();
        Err(Error::policy(format!("rules failed: {}", failed.join(", "))).quiet())
    }
}

pub fn report<'a>(ctx: &Ctx, s: &'a Summary, results: &'a [RuleResult]) -> Report<'a> {
    let (files, added, deleted) = policy::size(&s.changes, &ctx.config);
    Report {
        schema: 1,
        id: &s.id,
        base: &s.base.tag,
        head: &s.head,
        verdict: if policy::passes(results) {
            "pass"
        } else {
            "fail"
        },
        rules: results,
        commits: &s.commits,
        stats: Stats {
            commits: s.commits.iter().filter(|c| !c.is_merge()).count(),
            files,
            added,
            deleted,
        },
    }
}

pub fn print_human(ctx: &Ctx, s: &Summary, results: &[RuleResult], verbose: bool) {
    let (files, added, deleted) = policy::size(&s.changes, &ctx.config);
    ui::out(format!(
        "{} {}: {} on {} ({} commit(s), {files} file(s), +{added} -{deleted})",
        ui::paint("hotfix", ui::bold()),
        s.id,
        &s.head[..10],
        s.base.tag,
        s.commits.len()
    ));
    ui::print_rules(results, verbose);
    let warns = results
        .iter()
        .filter(|r| r.verdict == policy::Verdict::Warn)
        .count();
    let fails: Vec<&str> = results
        .iter()
        .filter(|r| r.verdict == policy::Verdict::Fail)
        .map(|r| r.id)
        .collect();
    if fails.is_empty() {
        ui::out(format!(
            "verdict: {}{}",
            ui::paint("pass", ui::green().bold()),
            if warns > 0 {
                format!(" ({warns} warning(s))")
            } else {
                String::new()
            }
        ));
    } else {
        ui::out(format!(
            "verdict: {} ({})",
            ui::paint("FAIL", ui::red().bold()),
            fails.join(", ")
        ));
    }
}

/// Finds the range to judge: `--base`/`--head`, the hotfix in progress, or in CI the release
/// tag the detached head grows from.
pub fn target(ctx: &Ctx, base: Option<&str>, head: Option<&str>) -> Result<Target> {
    let head_oid = match head {
        Some(h) => ctx.repo.resolve_commit(h)?,
        None => ctx.repo.head_commit()?,
    };
    let tags = ctx.release_tags()?;
    if let Some(b) = base {
        let pattern = ctx.config.tag_pattern();
        let tag = tags.iter().find(|t| t.name == b).cloned().ok_or_else(|| {
            Error::usage(format!("--base {b} is not a release tag"))
                .cause(format!(
                    "the base of a hotfix is a tag matching '{}' with a release version",
                    ctx.config.release.tag
                ))
                .hint(format!(
                    "name the release the hotfix patches, such as --base {}",
                    tags.last()
                        .map(|t| t.name.clone())
                        .unwrap_or_else(|| pattern.format(&Version::new(1, 0, 0)))
                ))
        })?;
        let id = id_for(ctx, &tag, head, head_oid);
        return Ok(Target {
            id,
            base: tag,
            head: head_oid,
        });
    }
    if head.is_none() {
        if let Ok(current) = ctx.current() {
            return Ok(Target {
                id: current.id,
                base: current.base,
                head: current.head,
            });
        }
    }
    let base = describe(ctx, &tags, head_oid)?;
    let id = id_for(ctx, &base, head, head_oid);
    Ok(Target {
        id,
        base,
        head: head_oid,
    })
}

/// Names the hotfix: from a hotfix branch name (the `--head` given, the checked-out branch, or
/// CI's `GITHUB_HEAD_REF`/`GITHUB_REF_NAME`), else the next patch after the base.
fn id_for(ctx: &Ctx, base: &ReleaseTag, head: Option<&str>, head_oid: Oid) -> String {
    let pattern = &ctx.config.release.hotfix_branch;
    let names = [
        head.map(|h| {
            h.rsplit_once(&format!("{}/", ctx.remote()))
                .map(|(_, b)| b)
                .unwrap_or(h)
                .to_string()
        }),
        ctx.repo.head_branch(),
        std::env::var("GITHUB_HEAD_REF").ok(),
        std::env::var("GITHUB_REF_NAME").ok(),
    ];
    for n in names.into_iter().flatten() {
        if let Some(v) = version_from_branch(pattern, &n) {
            if crate::version::Line::of(&v) == base.line() {
                return ctx.config.tag_pattern().format(&v);
            }
        }
    }
    // A tag already at the head names it (a shipped hotfix re-checked).
    let tags = ctx
        .repo
        .release_tags(&ctx.config.tag_pattern())
        .unwrap_or_default();
    if let Some(t) = tags
        .iter()
        .find(|t| t.commit == head_oid && t.version > base.version)
    {
        return t.name.clone();
    }
    let mut v = base.version.clone();
    v.patch += 1;
    ctx.config.tag_pattern().format(&v)
}

/// Finds the release tag a head grows from, as `git describe` does: the nearest tagged commit
/// walking back from the head. Bounded by the hotfix's own commits, not the whole history.
fn describe(ctx: &Ctx, tags: &[ReleaseTag], head: Oid) -> Result<ReleaseTag> {
    let mut by_commit: std::collections::HashMap<Oid, &ReleaseTag> =
        std::collections::HashMap::new();
    for t in tags {
        let e = by_commit.entry(t.commit).or_insert(t);
        if t.version > e.version {
            *e = t;
        }
    }
    // A tag at the head itself is the shipped hotfix; its base is the tag before it.
    // Date order is incremental in libgit2; topological order would first walk everything.
    let mut walk = ctx.repo.git.revwalk()?;
    walk.set_sorting(git2::Sort::TIME)?;
    walk.push(head)?;
    for (i, oid) in walk.enumerate() {
        let oid = oid?;
        if let Some(t) = by_commit.get(&oid) {
            if oid != head {
                return Ok((*t).clone());
            }
        }
        if i > 10_000 {
            break;
        }
    }
    Err(Error::usage("cannot tell which release this head patches")
        .cause("no release tag is reachable within 10,000 commits of the head")
        .hint("name it: hotfix check --base v1.4.2 --head HEAD"))
}
