//! `hotfix check`: ship's verdict without side effects, for people and CI.

use semver::Version;
use serde::Serialize;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::gather::{GatherOptions, gather};
use crate::git::{Oid, ReleaseTag};
use crate::policy::{self, RuleResult, Summary};
use crate::version::version_from_branch;
use crate::{testrun, ui, workflow};

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
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The release tag the hotfix grows from.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// The hotfix head (default HEAD).
    #[arg(long, value_name = "REF")]
    pub head: Option<String>,

    /// Counts a reviewer (unverified), as `ship --reviewer` does.
    #[arg(long, value_name = "WHO", value_parser = crate::text::single_line)]
    pub reviewer: Vec<String>,

    /// Output format: `github` adds workflow commands (`::error file=...::`) and appends a
    /// summary to `$GITHUB_STEP_SUMMARY` when it is set; `junit` prints JUnit XML, one test case
    /// per rule, for GitLab, Jenkins, Azure Pipelines and CircleCI.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// In a shallow clone, fetches the missing history first (`git fetch --unshallow --tags`).
    #[arg(long)]
    pub fetch: bool,

    /// Shows each modified pick's whole difference from its source (as `-v` does), not only
    /// how many lines differ.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    Junit,
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

/// Fetches what a shallow CI checkout lacks: the full history and the tags, mainline, and the
/// ledger.
fn fetch_history(ctx: &Ctx) -> Result<()> {
    let dir = ctx.repo.command_dir();
    let remote = ctx.remote();
    let mut args = vec!["fetch", "--quiet", "--tags"];
    if ctx.repo.is_shallow() {
        args.push("--unshallow");
    }
    args.push(remote);
    let tracking = format!("+refs/heads/*:refs/remotes/{remote}/*");
    args.push(&tracking);
    ui::note(format!("fetching history: git {}", args.join(" ")));
    let out = crate::git::cli::run(&dir, &args, crate::git::cli::NETWORK_TIMEOUT)?;
    if !out.success {
        return Err(
            Error::external(format!("fetching the history from {remote} failed"))
                .cause(out.stderr.trim().to_string())
                .hint(format!("check that `git fetch {remote}` works here")),
        );
    }
    if let Some(w) = ctx.ledger().pull()?.and_then(|m| m.warning()) {
        ui::warn(w);
    }
    Ok(())
}

/// GitHub shows about ten annotations of each level per step; the rest are only in the log.
const ANNOTATIONS_PER_LEVEL: usize = 10;
/// At most this many of a rule's items get an annotation of their own.
const ITEMS_PER_RULE: usize = 3;

/// Renders the verdicts as GitHub Actions workflow commands, so that what GitHub shows is what
/// matters: first one annotation per failing rule (every one of them, whatever the count),
/// then one per warning rule, then, while each level has room among the ten GitHub shows, up
/// to three items of each rule (the largest files first for the size rules, `file=` for a
/// path). The full detail is in the step summary. A notice with the verdict ends it.
pub fn github_commands(s: &Summary, results: &[RuleResult]) -> Vec<String> {
    let level = |r: &RuleResult| match r.verdict {
        policy::Verdict::Fail => Some("error"),
        policy::Verdict::Warn => Some("warning"),
        _ => None,
    };
    let mut out = Vec::new();
    let mut used = std::collections::HashMap::<&str, usize>::new();
    for pass in ["error", "warning"] {
        for r in results.iter().filter(|r| level(r) == Some(pass)) {
            // A rule with one item says it in its own annotation.
            let line = match &r.items[..] {
                [item] => annotation(pass, r, item, true),
                items => {
                    let more = match items.len() {
                        0 => String::new(),
                        n => format!(" ({n} items; the step summary lists them all)"),
                    };
                    format!(
                        "::{pass} title={}::{}",
                        workflow::property(&format!("hotfix {}", r.id)),
                        workflow::data(&format!("{}{more}", r.detail))
                    )
                }
            };
            out.push(line);
            *used.entry(pass).or_default() += 1;
        }
    }
    for pass in ["error", "warning"] {
        for r in results
            .iter()
            .filter(|r| level(r) == Some(pass) && r.items.len() > 1)
        {
            for item in r.items.iter().take(ITEMS_PER_RULE) {
                let n = used.entry(pass).or_default();
                if *n >= ANNOTATIONS_PER_LEVEL {
                    break;
                }
                *n += 1;
                out.push(annotation(pass, r, item, false));
            }
        }
    }
    let verdict = if policy::passes(results) {
        "pass"
    } else {
        "fail"
    };
    out.push(format!(
        "::notice title=hotfix check::{}",
        workflow::data(&format!("{} on {}: {verdict}", s.id, s.base.tag))
    ));
    out
}

/// One item of a rule as a workflow command, on one line (an interdiff belongs in the step
/// summary), with `file=` when the item is a path; `with_detail` leads with the rule's detail.
fn annotation(level: &str, r: &RuleResult, item: &policy::Item, with_detail: bool) -> String {
    let title = workflow::property(&format!("hotfix {}", r.id));
    let note = item.note.lines().next().unwrap_or_default();
    let note = if with_detail {
        format!("{}: {note}", r.detail)
    } else {
        note.to_string()
    };
    let what = match item.commit_id() {
        Some(c) => format!("{} {note}", &c[..c.len().min(10)]),
        None => note,
    };
    match item.file().filter(|p| !p.contains(' ')) {
        Some(p) => format!(
            "::{level} file={},title={title}::{}",
            workflow::property(p),
            workflow::data(&what)
        ),
        None => {
            let label = item.label();
            let text = if item.commit_id().is_none() && !label.is_empty() {
                format!("{label}: {what}")
            } else {
                what
            };
            format!("::{level} title={title}::{}", workflow::data(&text))
        }
    }
}

/// Renders the markdown summary appended to `$GITHUB_STEP_SUMMARY`.
pub fn github_summary(ctx: &Ctx, s: &Summary, results: &[RuleResult]) -> String {
    let (files, added, deleted) = policy::size(&s.changes, &ctx.config);
    let verdict = if policy::passes(results) {
        "pass"
    } else {
        "fail"
    };
    let mut md = format!(
        "## hotfix check: {} on {}: {verdict}\n\n{} commit(s), {files} file(s), +{added} -{deleted}\n\n| rule | verdict | detail |\n| --- | --- | --- |\n",
        s.id,
        s.base.tag,
        s.commits.iter().filter(|c| !c.is_merge()).count()
    );
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
    for r in results {
        md.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.id,
            r.verdict.as_str(),
            cell(&r.detail)
        ));
    }
    md.push('\n');
    // Every item of every failing or warning rule, which the annotations only sample.
    for r in results.iter().filter(|r| {
        matches!(r.verdict, policy::Verdict::Fail | policy::Verdict::Warn) && !r.items.is_empty()
    }) {
        md.push_str(&format!("### `{}`: {}\n\n", r.id, r.verdict.as_str()));
        for item in &r.items {
            let mut lines = item.note.lines();
            let first = lines.next().unwrap_or_default();
            md.push_str(&format!(
                "- `{}` {}\n",
                item.label().replace('`', "'"),
                cell(first)
            ));
            let rest: Vec<String> = lines
                .map(|l| format!("  {}", l.replace("```", "'''")))
                .collect();
            if !rest.is_empty() {
                md.push_str(&format!(
                    "  <details><summary>{} more line(s)</summary>\n\n  ```diff\n{}\n  ```\n  </details>\n",
                    rest.len(),
                    rest.join("\n")
                ));
            }
        }
        if let Some(h) = &r.hint {
            md.push_str(&format!("\nhint: {}\n", cell(h)));
        }
        md.push('\n');
    }
    md
}

/// Resolves what to judge: the range and the hotfix id.
pub struct Target {
    pub id: String,
    pub base: ReleaseTag,
    pub head: Oid,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let mut ctx = Ctx::load(globals)?;
    if args.fetch {
        fetch_history(&ctx)?;
        ctx = Ctx::load(globals)?;
    }
    ctx.repo.ensure_not_shallow("check a hotfix", ctx.remote()).map_err(|e| {
        let hint = format!(
            "run `hotfix check --fetch`, or fetch it yourself: git fetch --unshallow --tags {}; in GitHub Actions set `fetch-depth: 0` on actions/checkout",
            ctx.remote()
        );
        e.hint(hint)
    })?;
    for (key, new) in ctx.config.old_defaults() {
        ui::note(format!(
            "{key} in {} is exactly the default that older versions of `hotfix init` wrote; today's default is [{}]. Delete the key to follow the defaults, or keep it if you chose it",
            ctx.source,
            new.iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let target = target(&ctx, args.base.as_deref(), args.head.as_deref())?;
    let shipper = ctx.repo.me().ok();
    let opts = GatherOptions {
        reviewers: args.reviewer.clone(),
        shipper,
        ask_remote: true,
        github: true,
        shipped_tag: true,
    };
    let mut summary = gather(&ctx, &target.id, &target.base, target.head, &opts)?;
    summary.tests_run = ui::with_progress(|phase| {
        testrun::for_policy(
            &ctx,
            &target.base,
            target.head,
            &summary.changes,
            summary.base.is_ancestor,
            phase,
        )
    })?;
    let results = policy::evaluate(&summary, &ctx.config, &summary.shipped_overrides).results;
    let ok = policy::passes(&results);
    match args.format {
        CheckFormat::Json => ui::out(
            serde_json::to_string_pretty(&report(&ctx, &summary, &results)).expect("serializes"),
        ),
        CheckFormat::Junit => {
            let suite = crate::render::junit::Suite {
                id: &summary.id,
                base: &summary.base.tag,
                head: &summary.head,
                verdict: if ok { "pass" } else { "fail" },
            };
            ui::out(crate::render::junit::junit(&suite, &results).trim_end());
        }
        CheckFormat::Human => ui::print_check(
            &summary,
            &results,
            policy::size(&summary.changes, &ctx.config),
            ui::Show::new(globals.verbose, args.diff),
        ),
        CheckFormat::Github => {
            // The human report quotes the repository (paths, subjects): none of it may be read
            // as a workflow command.
            workflow::fenced(|| {
                ui::print_check(
                    &summary,
                    &results,
                    policy::size(&summary.changes, &ctx.config),
                    ui::Show::new(globals.verbose, args.diff),
                )
            });
            for line in github_commands(&summary, &results) {
                ui::out(line);
            }
            workflow::append_summary(&github_summary(&ctx, &summary, &results))?;
        }
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

/// Finds the range to judge: `--base`/`--head`, the hotfix in progress, or in CI the release
/// tag the detached head grows from.
pub fn target(ctx: &Ctx, base: Option<&str>, head: Option<&str>) -> Result<Target> {
    let pr_head = match head {
        Some(_) => None,
        None => pull_request_head(ctx)?,
    };
    let head_oid = match (head, pr_head) {
        (Some(h), _) => ctx.repo.resolve_commit(h)?,
        (None, Some(h)) => h,
        (None, None) => ctx.repo.head_commit()?,
    };
    let tags = ctx.tag_refs()?;
    if let Some(b) = base {
        let pattern = &ctx.config.release.tag;
        let tag = tags.iter().find(|t| t.name == b).ok_or_else(|| {
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
        let tag = ctx.repo.peel(tag)?;
        let id = id_for(ctx, &tag, head, head_oid);
        return Ok(Target {
            id,
            base: tag,
            head: head_oid,
        });
    }
    // The hotfix checked out, unless CI named the pull request's head, which wins.
    if head.is_none() && pr_head.is_none() {
        if let Ok(current) = ctx.current() {
            return Ok(Target {
                id: current.id,
                base: current.base,
                head: current.head,
            });
        }
    }
    let base = describe(
        ctx,
        &ctx.repo.release_tags(&ctx.config.release.tag)?,
        head_oid,
    )?;
    let id = id_for(ctx, &base, head, head_oid);
    ui::note(format!(
        "checking {}..{} as hotfix {id}: {} is the nearest release tag (--base and --head name the range)",
        base.name,
        ctx.repo.short(head_oid),
        base.name
    ));
    Ok(Target {
        id,
        base,
        head: head_oid,
    })
}

/// On a GitHub `pull_request` run, finds the pull request's own head. Actions checks out the
/// pull request merged into the tip of its base branch, which brings along every commit queued
/// on the release branch; the hotfix is the head that was pushed. The event's
/// `pull_request.head.sha` names it, else the remote-tracking branch of `GITHUB_HEAD_REF`.
fn pull_request_head(ctx: &Ctx) -> Result<Option<Oid>> {
    let Some(branch) = std::env::var("GITHUB_HEAD_REF")
        .ok()
        .filter(|b| !b.is_empty())
    else {
        return Ok(None);
    };
    let from_event = match std::env::var_os("GITHUB_EVENT_PATH") {
        None => None,
        Some(p) => {
            let sha = std::fs::read(&p)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| {
                    v["pull_request"]["head"]["sha"]
                        .as_str()
                        .map(str::to_string)
                });
            if sha.is_none() {
                ui::warn(format!(
                    "GITHUB_EVENT_PATH ({}) gives no pull_request.head.sha; judging {}/{branch} instead",
                    std::path::Path::new(&p).display(),
                    ctx.remote()
                ));
            }
            sha
        }
    };
    let tracking = format!("refs/remotes/{}/{branch}", ctx.remote());
    let (spec, said) = match from_event {
        Some(sha) => (sha, "the event's pull_request.head.sha"),
        None => (tracking, "GITHUB_HEAD_REF"),
    };
    let head = ctx.repo.resolve_commit(&spec).map_err(|e| {
        e.hint(format!(
            "the pull request's head ({spec}, from {said}) is not in this clone: check it out with actions/checkout `ref: ${{{{ github.event.pull_request.head.sha }}}}` and `fetch-depth: 0` (`hotfix init --ci github` writes that workflow)"
        ))
    })?;
    if ctx.repo.head_commit().ok() != Some(head) {
        ui::note(format!(
            "judging the pull request's head {} ({branch}), not the merge Actions checked out",
            ctx.repo.short(head)
        ));
    }
    Ok(Some(head))
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
        // GitLab: a merge request's source branch, else the pipeline's branch.
        std::env::var("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME").ok(),
        std::env::var("CI_COMMIT_BRANCH").ok(),
    ];
    for n in names.into_iter().flatten() {
        if let Some(v) = version_from_branch(pattern, &n) {
            if crate::version::Line::of(&v) == base.line() {
                return ctx.config.release.tag.format(&v);
            }
        }
    }
    // A tag already at the head names it (a shipped hotfix re-checked).
    let later = ctx
        .repo
        .tag_refs(&ctx.config.release.tag)
        .unwrap_or_default();
    let at_head = later
        .iter()
        .filter(|t| t.line() == base.line() && t.version > base.version)
        .find(|t| ctx.repo.tag_target(&t.name) == Some(head_oid));
    if let Some(t) = at_head {
        return t.name.clone();
    }
    let mut v = base.version.clone();
    v.patch += 1;
    ctx.config.release.tag.format(&v)
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
    // Breadth-first from the head: the tagged commit with the fewest commits between it and
    // the head wins, as in `git describe`. A tag at the head itself is a shipped hotfix being
    // re-checked; its base is the release before it.
    let mut queue = std::collections::VecDeque::from([head]);
    let mut seen = std::collections::HashSet::from([head]);
    while let Some(oid) = queue.pop_front() {
        if oid != head {
            if let Some(t) = by_commit.get(&oid) {
                return Ok((*t).clone());
            }
        }
        if seen.len() > 10_000 {
            break;
        }
        for parent in ctx.repo.commit_info(oid)?.parents {
            if seen.insert(parent) {
                queue.push_back(parent);
            }
        }
    }
    Err(Error::usage("cannot tell which release this head patches")
        .cause("no release tag is reachable within 10,000 commits of the head")
        .hint("name it: hotfix check --base v1.4.2 --head HEAD"))
}
