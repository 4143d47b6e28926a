//! `hotfix preview`: which release lines a fix applies to, before anyone is paged. Changes
//! nothing: every pick is a three-way merge of trees in memory, with renames followed.

use serde::Serialize;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::git::Oid;
use crate::git::apply::Applied;
use crate::sources::{Unmerged, resolve};
use crate::version::Line;
use crate::{ui, workflow};

/// Says, for each supported release line, whether a fix applies: clean, conflict (with the
/// paths), applied (the line has it), not-applicable (the files are absent), or chain (it
/// conflicts directly but applies on a newer line's pick).
///
/// The lines are `--line` (repeatable), else `release.supported`. Each line is judged at its
/// newest release tag, newest line first, the commits in order. Nothing is written: no ref,
/// no index, no working tree. Meant for CI on the fix's own pull request to mainline.
///
/// Examples:
///   hotfix preview 3f2c1ab
///   hotfix preview '#412' --format github
///   hotfix preview main~3..main --line 2.2 --line 2.1 --require clean
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The fix: a commit, a range A..B, or a pull request '#N' (merged or not).
    #[arg(required = true, value_name = "COMMIT|#PR")]
    pub commits: Vec<String>,

    /// A line to judge (repeatable); default: release.supported.
    #[arg(long, value_name = "X.Y")]
    pub line: Vec<String>,

    /// Output format: `github` adds workflow commands and a matrix in `$GITHUB_STEP_SUMMARY`.
    #[arg(long, value_enum, default_value_t = PreviewFormat::Human)]
    pub format: PreviewFormat,

    /// Exits 1 unless every line is clean (or already has the fix).
    #[arg(long, value_enum, value_name = "STATE")]
    pub require: Option<Require>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PreviewFormat {
    Human,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Require {
    Clean,
}

/// What a fix does on one line, from best to worst news for the on-call engineer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Applied,
    Clean,
    NotApplicable,
    Chain,
    Conflict,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Clean => "clean",
            State::NotApplicable => "not-applicable",
            State::Chain => "chain",
            State::Conflict => "conflict",
        }
    }
}

#[derive(Debug, Serialize)]
struct CommitResult {
    commit: String,
    state: State,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    paths: Vec<String>,
    /// For `chain`: the line whose pick it applies on.
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<String>,
}

#[derive(Debug, Serialize)]
struct LineResult {
    line: String,
    base: String,
    state: State,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    paths: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<String>,
    commits: Vec<CommitResult>,
}

#[derive(Debug, Serialize)]
struct Document {
    schema: u32,
    commits: Vec<String>,
    lines: Vec<LineResult>,
}

/// One change to apply: the source and its trees before and after.
struct Change {
    oid: Oid,
    before: Oid,
    after: Oid,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let ctx = Ctx::load(globals)?;
    let repo = &ctx.repo;
    let mut changes: Vec<Change> = Vec::new();
    for spec in &args.commits {
        for s in resolve(&ctx, spec, Unmerged::HeadCommits)? {
            if changes.iter().any(|c| c.oid == s.oid) {
                continue;
            }
            let c = repo.commit_info(s.oid)?;
            let mainline = match (c.parents.len(), s.mainline) {
                (0, _) => {
                    return Err(
                        Error::usage(format!("{} is a root commit", repo.short(s.oid)))
                            .cause("it has no parent to take its change against")
                            .hint("name the commits that carry the fix"),
                    );
                }
                (1, _) => None,
                (_, Some(m)) => Some(m),
                (_, None) => Some(1),
            };
            let before = repo
                .parent_tree(s.oid, mainline)?
                .expect("a commit with parents has a parent tree");
            changes.push(Change {
                oid: s.oid,
                before,
                after: c.tree,
            });
        }
    }
    let tags = ctx.tag_refs()?;
    let known: Vec<Line> = tags.iter().map(|t| t.line()).collect();
    let lines = if args.line.is_empty() {
        ctx.config.release.supported.choose(&known)
    } else {
        Line::parse_all(&args.line)?
    };
    let mut results = Vec::new();
    // The newest line's picks, per change: (tree before, tree after), for chains.
    let mut newer: Vec<Option<(Oid, Oid, String)>> = vec![None; changes.len()];
    for line in lines {
        let Some(tag) = tags.iter().rev().find(|t| t.line() == line) else {
            ui::warn(format!(
                "line {line} has no release tag matching '{}'; left out",
                ctx.config.release.tag
            ));
            continue;
        };
        let base = repo.peel(tag)?;
        let mut onto = repo.tree_of(base.commit)?;
        let mut commits = Vec::new();
        for (i, ch) in changes.iter().enumerate() {
            let mut result = CommitResult {
                commit: ch.oid.to_string(),
                state: State::Clean,
                paths: Vec::new(),
                via: None,
            };
            match repo.apply_change(ch.before, ch.after, onto)? {
                Applied::Clean { tree } => {
                    newer[i] = Some((onto, tree, line.to_string()));
                    onto = tree;
                }
                Applied::Empty => result.state = State::Applied,
                Applied::Conflict { paths, absent } => {
                    let chained = match &newer[i] {
                        Some((b, a, from)) => match repo.apply_change(*b, *a, onto)? {
                            Applied::Clean { tree } => Some((tree, from.clone())),
                            _ => None,
                        },
                        None => None,
                    };
                    if let Some((tree, from)) = chained {
                        result.state = State::Chain;
                        result.via = Some(from);
                        newer[i] = Some((onto, tree, line.to_string()));
                        onto = tree;
                    } else if absent.len() == paths.len()
                        && repo.not_applicable(ch.before, ch.after, onto)?
                    {
                        result.state = State::NotApplicable;
                        result.paths = absent;
                    } else {
                        result.state = State::Conflict;
                        result.paths = paths;
                    }
                }
            }
            commits.push(result);
        }
        let state = summary_state(&commits);
        let mut paths: Vec<String> = Vec::new();
        for c in commits.iter().filter(|c| c.state == state) {
            for p in &c.paths {
                if !paths.contains(p) {
                    paths.push(p.clone());
                }
            }
        }
        let via = commits
            .iter()
            .find(|c| c.state == State::Chain)
            .and_then(|c| c.via.clone());
        results.push(LineResult {
            line: line.to_string(),
            base: base.name.clone(),
            state,
            paths,
            via,
            commits,
        });
    }
    let doc = Document {
        schema: 1,
        commits: changes.iter().map(|c| c.oid.to_string()).collect(),
        lines: results,
    };
    match args.format {
        PreviewFormat::Json => {
            ui::out(serde_json::to_string_pretty(&doc).expect("serializes"));
        }
        PreviewFormat::Human => print_human(&ctx, &doc, &changes),
        PreviewFormat::Github => {
            workflow::fenced(|| print_human(&ctx, &doc, &changes));
            for l in &doc.lines {
                let level = match l.state {
                    State::Conflict => "warning",
                    _ => "notice",
                };
                ui::out(format!(
                    "::{level} title={}::{}",
                    workflow::property(&format!("hotfix preview {}", l.line)),
                    workflow::data(&describe(l))
                ));
            }
            workflow::append_summary(&summary(&ctx, &doc, &changes))?;
        }
    }
    if args.require == Some(Require::Clean) && doc.lines.is_empty() {
        return Err(Error::usage("no line to judge")
            .cause("none of the lines asked for has a release tag")
            .hint("name lines that have releases with --line, or fix release.supported"));
    }
    if args.require == Some(Require::Clean) {
        let not: Vec<String> = doc
            .lines
            .iter()
            .filter(|l| !matches!(l.state, State::Clean | State::Applied))
            .map(|l| format!("{} ({})", l.line, l.state.as_str()))
            .collect();
        if !not.is_empty() {
            return Err(
                Error::policy(format!("not clean on every line: {}", not.join(", ")))
                    .cause("--require clean asks that the fix apply as it is on every line judged")
                    .hint("resolve it on the lines named when you pick it, or drop --require"),
            );
        }
    }
    Ok(())
}

/// A line's state across the commits: the worst news wins, except that a line where some
/// commits apply and the rest are already there or absent is `clean`.
fn summary_state(commits: &[CommitResult]) -> State {
    let worst = commits
        .iter()
        .map(|c| c.state)
        .max()
        .unwrap_or(State::Applied);
    if worst == State::NotApplicable && commits.iter().any(|c| c.state == State::Clean) {
        return State::Clean;
    }
    worst
}

fn describe(l: &LineResult) -> String {
    match l.state {
        State::Clean => format!("clean on {}", l.base),
        State::Applied => format!("{} already has it", l.base),
        State::Conflict => format!("conflicts on {}: {}", l.base, l.paths.join(", ")),
        State::NotApplicable => format!(
            "not applicable on {}: {} absent; hotfix skip-line {} --reason \"{} absent on {}\"",
            l.base,
            l.paths.join(", "),
            l.line,
            l.paths.join(", "),
            l.line
        ),
        State::Chain => format!(
            "conflicts on {} directly, applies on {}'s pick (chain)",
            l.base,
            l.via.as_deref().unwrap_or("a newer line")
        ),
    }
}

fn heading(ctx: &Ctx, changes: &[Change]) -> String {
    match changes {
        [one] => {
            let subject = ctx
                .repo
                .commit_info(one.oid)
                .map(|c| c.subject().to_string())
                .unwrap_or_default();
            format!("{} \"{subject}\"", ctx.repo.short(one.oid))
        }
        many => format!("{} commits", many.len()),
    }
}

fn print_human(ctx: &Ctx, doc: &Document, changes: &[Change]) {
    ui::out(format!(
        "{} {} on {} line(s):",
        ui::paint("preview", ui::bold()),
        heading(ctx, changes),
        doc.lines.len()
    ));
    for l in &doc.lines {
        let state = match l.state {
            State::Clean | State::Applied => ui::paint(l.state.as_str(), ui::green()),
            State::Conflict => ui::paint(l.state.as_str(), ui::red()),
            _ => ui::paint(l.state.as_str(), ui::yellow()),
        };
        let rest = match l.state {
            State::Conflict => format!("  {}", l.paths.join(", ")),
            State::NotApplicable => format!(
                "  {} absent; hotfix skip-line {} --reason \"...\"",
                l.paths.join(", "),
                l.line
            ),
            State::Chain => format!(
                "  applies on {}'s pick",
                l.via.as_deref().unwrap_or("a newer line")
            ),
            _ => String::new(),
        };
        ui::out(format!("  {:<6} {:<12} {state}{rest}", l.line, l.base));
    }
}

fn summary(ctx: &Ctx, doc: &Document, changes: &[Change]) -> String {
    let mut md = format!(
        "## hotfix preview: {}\n\n| line | base | state | detail |\n| --- | --- | --- | --- |\n",
        heading(ctx, changes).replace('|', "\\|")
    );
    for l in &doc.lines {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            l.line,
            l.base,
            l.state.as_str(),
            describe(l).replace('|', "\\|")
        ));
    }
    md.push('\n');
    md
}
