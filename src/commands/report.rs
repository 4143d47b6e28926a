//! `hotfix report`: monthly hotfix figures from the ledger and the tags, in several formats.

use std::collections::{HashMap, HashSet};

use chrono::DateTime;

use crate::ledger::ReportCache;

use crate::context::{Ctx, Globals};
use crate::error::{Error, Result};
use crate::git::{Oid, Repo, TagRef, par};
use crate::metrics::{self, Hotfix, Member, Month, Options, RepoRow};
use crate::{render, ui};

/// Turns the ledger and the patch tags into monthly hotfix figures.
///
/// Frequency per line and severity with the trend; detection to ship and to deploy (median,
/// p90, share under target); overrides, rollbacks, verification and retro completion; and
/// modified picks (whose changed lines differ from their source). Patch tags without a record
/// count as untracked, and no rate rests on them: a rate over no data is n/a.
///
/// Several repositories: hotfix report -C api -C web
///
/// --missing lists instead, per supported line (release.supported), every mainline fix picked
/// onto some lines that is neither applied (the line's newest tag or an open hotfix branch has
/// it: the commit, a cherry-pick trailer naming it, or the same patch-id) nor skipped there.
///
/// Examples:
///   hotfix report
///   hotfix report --missing
///   hotfix report --since 2026-01 --until 2026-06 --format markdown
///   hotfix report --format html --output hotfixes.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The first month (YYYY-MM); default: eleven months before --until.
    #[arg(long, value_name = "YYYY-MM")]
    pub since: Option<String>,

    /// The last month (YYYY-MM); default: this month.
    #[arg(long, value_name = "YYYY-MM")]
    pub until: Option<String>,

    /// Only this release line (X.Y).
    #[arg(long, value_name = "X.Y")]
    pub line: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,

    /// Writes the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,

    /// Lists the fixes picked onto some supported lines and neither applied nor skipped on
    /// others (table or json).
    #[arg(long, conflicts_with_all = ["since", "until"])]
    pub missing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
    Csv,
    Html,
}

pub fn run(globals: &Globals, args: Args) -> Result<()> {
    let dirs = if globals.dirs.is_empty() {
        vec![std::env::current_dir()?]
    } else {
        globals.dirs.clone()
    };
    let many = dirs.len() > 1;
    if args.missing {
        if many {
            return Err(Error::usage("--missing reads one repository at a time")
                .cause("each repository has its own supported lines and fixes")
                .hint("run `hotfix report --missing` in each repository (-C DIR once)"));
        }
        let g = Globals {
            dir: Some(dirs[0].clone()),
            dirs: vec![dirs[0].clone()],
            ..globals.clone()
        };
        return missing(&Ctx::load(&g)?, &args);
    }
    let mut all = Vec::new();
    let mut members = Vec::new();
    let mut minors = Vec::new();
    // Each repository's name, its hotfixes' range in `all`, and its own thresholds.
    let mut repos: Vec<(String, std::ops::Range<usize>, u32, u32)> = Vec::new();
    let mut ctxs = Vec::new();
    for dir in &dirs {
        let g = Globals {
            dir: Some(dir.clone()),
            dirs: vec![dir.clone()],
            ..globals.clone()
        };
        ctxs.push(Ctx::load(&g)?);
    }
    // Repositories are named by their folder, or by their path where two folders share a name.
    let short: Vec<String> = ctxs.iter().map(repo_name).collect();
    let names: Vec<String> = ctxs
        .iter()
        .zip(&short)
        .map(|(c, n)| {
            if short.iter().filter(|m| *m == n).count() > 1 {
                c.repo
                    .command_dir()
                    .display()
                    .to_string()
                    .trim_end_matches('/')
                    .to_string()
            } else {
                n.clone()
            }
        })
        .collect();
    let cfg = &ctxs.first().expect("at least one repository").config.report;
    let now = crate::ledger::now(&ctxs[0].repo)?;
    let (tz, since, until) = metrics::period(
        &cfg.timezone,
        args.since.as_deref(),
        args.until.as_deref(),
        now,
    )?;
    let line = match &args.line {
        Some(l) => Some(crate::version::Line::parse(l)?.to_string()),
        None => None,
    };
    // What the report's months and the previous period's cover, for inferred incidents.
    let (prev_since, _) = metrics::previous_period(since, until);
    let span = (prev_since.start(tz), until.next().start(tz));
    // Open lines are judged now, or at the end of --until when that is in the past.
    let open_at = if until >= Month::of(now, tz) {
        now
    } else {
        until.next().start(tz)
    };
    let mut first: Option<Ctx> = None;
    for (ctx, name) in ctxs.into_iter().zip(names) {
        let name = many.then_some(name);
        let start = all.len();
        let (hotfixes, lines, minor) = collect(&ctx, name.clone(), span, (open_at, now))?;
        all.extend(hotfixes);
        members.extend(lines);
        minors.extend(minor);
        if let Some(n) = name {
            let r = &ctx.config.report;
            repos.push((n, start..all.len(), r.warn, r.alarm));
        }
        if first.is_none() {
            first = Some(ctx);
        }
    }
    let ctx = first.expect("at least one repository");
    let cfg = &ctx.config.report;
    // Over several repositories each is judged by its own thresholds and the total by none
    // (`over_repositories`); the top-level `warn`/`alarm` stay in the JSON as their sums.
    let (warn, alarm) = if repos.is_empty() {
        (cfg.warn, cfg.alarm)
    } else {
        repos
            .iter()
            .fold((0, 0), |(w, a), (_, _, rw, ra)| (w + rw, a + ra))
    };
    let options = Options {
        since,
        until,
        tz,
        target: ctx.config.report.target.duration(),
        warn,
        alarm,
        line,
        work: metrics::WorkWeek::parse(&cfg.working_hours, &cfg.working_days).unwrap_or_default(),
    };
    let mut report = metrics::report(&all, &options);
    report.open_incidents =
        metrics::open_incidents(&members, open_at, options.target, options.line.as_deref());
    report.open_at = Some(open_at);
    report.release_quality = metrics::release_quality(&minors, &all, &options);
    let rows = repos
        .iter()
        .map(|(name, range, warn, alarm)| {
            let own = Options {
                warn: *warn,
                alarm: *alarm,
                ..options.clone()
            };
            RepoRow::of(name, &metrics::report(&all[range.clone()], &own))
        })
        .collect();
    report.over_repositories(rows);
    let text = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&report).expect("serializes") + "\n",
        ReportFormat::Csv => render::report::csv(&report),
        ReportFormat::Table => render::report::table(&report),
        ReportFormat::Markdown => {
            render::render(Some(&ctx), "report.md", &render::report::view(&report))?
        }
        ReportFormat::Html => {
            render::render(Some(&ctx), "report.html", &render::report::view(&report))?
        }
    };
    ui::deliver(args.output.as_deref(), &text)
}

/// `report --missing`: for each supported line (or `--line`), each fix (a `picked` event's
/// source) picked onto some line is applied when the line's newest release tag, or an open
/// hotfix branch of the line, holds the source itself, a commit whose cherry-pick trailer
/// names it, or a commit of the same patch-id; skipped when an incident that picked it
/// recorded `skipped` for the line; missing otherwise. Only the line's commits since its X.Y.0
/// tag (else since it forked from mainline) are read, and patch-ids only when a trailer did not
/// settle it. Picks of abandoned or skipped hotfixes do not count as picked.
fn missing(ctx: &Ctx, args: &Args) -> Result<()> {
    if !matches!(args.format, ReportFormat::Table | ReportFormat::Json) {
        return Err(Error::usage("--missing prints as a table or as JSON")
            .cause("the markdown, CSV and HTML formats are the monthly report's")
            .hint("use --format table or --format json with --missing"));
    }
    let repo = &ctx.repo;
    let tags = ctx.tag_refs()?;
    let known: Vec<crate::version::Line> = tags.iter().map(|t| t.line()).collect();
    let lines = match &args.line {
        Some(l) => vec![crate::version::Line::parse(l)?],
        None => ctx.config.release.supported.choose(&known),
    };
    let records = ctx.ledger().records()?;
    for r in &records {
        for d in &r.damage {
            ui::warn(format!("records/{}.jsonl, {d}: left out", r.id));
        }
    }
    // Each fix: its subject, the lines and incidents that picked it, by source; the lines
    // each incident skipped, with the reason.
    struct Picked {
        subject: String,
        lines: std::collections::BTreeSet<crate::version::Line>,
        incidents: std::collections::BTreeSet<String>,
        first: DateTime<chrono::Utc>,
    }
    let mut fixes: HashMap<String, Picked> = HashMap::new();
    let mut skipped: HashMap<(String, crate::version::Line), String> = HashMap::new();
    // Open hotfixes per line: (base commit, branch).
    let mut open: HashMap<crate::version::Line, Vec<(String, String)>> = HashMap::new();
    for r in &records {
        let Some(s) = r.started() else { continue };
        let Ok(line) = crate::version::Line::parse(&s.line) else {
            continue;
        };
        let incident = s.incident.clone().unwrap_or_else(|| r.id.clone());
        if let Some(k) = r.skipped() {
            if let Ok(l) = crate::version::Line::parse(&k.line) {
                skipped.insert((incident.clone(), l), k.reason);
            }
            continue;
        }
        if r.has("abandoned") {
            continue;
        }
        if !r.is_closed() {
            open.entry(line)
                .or_default()
                .push((s.base_commit.clone(), s.branch.clone()));
        }
        for (p, at) in r.picks().into_iter().zip(std::iter::repeat(r.started_at())) {
            let f = fixes
                .entry(p.source.to_ascii_lowercase())
                .or_insert(Picked {
                    subject: p.subject.clone(),
                    lines: Default::default(),
                    incidents: Default::default(),
                    first: at.unwrap_or(DateTime::<chrono::Utc>::MAX_UTC),
                });
            f.lines.insert(line);
            f.incidents.insert(incident.clone());
            if let Some(at) = at {
                f.first = f.first.min(at);
            }
        }
    }
    let mut order: Vec<(&String, &Picked)> = fixes.iter().collect();
    order.sort_by(|a, b| (a.1.first, a.0).cmp(&(b.1.first, b.0)));
    let mainline = ctx.mainline().ok();
    let mut source_ids: HashMap<&str, Option<Oid>> = HashMap::new();
    let mut doc = metrics::Missing {
        schema: 1,
        supported: lines.iter().map(|l| l.to_string()).collect(),
        lines: Vec::new(),
    };
    for line in &lines {
        let Some(newest) = tags.iter().rev().find(|t| t.line() == *line) else {
            ui::warn(format!(
                "line {line} has no release tag matching '{}'; left out",
                ctx.config.release.tag
            ));
            continue;
        };
        let head = repo.peel(newest)?.commit;
        let base = match tags
            .iter()
            .find(|t| t.line() == *line && t.version.patch == 0)
            .and_then(|t| repo.tag_target(&t.name))
        {
            Some(b) => Some(b),
            None => mainline
                .as_ref()
                .and_then(|m| repo.merge_base(head, m.tip).ok()),
        };
        // The line's commits: the newest tag's since X.Y.0 (or the fork), and each open
        // hotfix branch's since its base.
        let mut commits: Vec<Oid> = match base {
            Some(b) => repo.range(b, head)?,
            None => vec![head],
        };
        for (base, branch) in open.get(line).into_iter().flatten() {
            let (Some(tip), Ok(base)) = (repo.local_branch(branch), Oid::from_str(base)) else {
                continue;
            };
            commits.extend(repo.range(base, tip)?);
        }
        commits.sort();
        commits.dedup();
        let mut named: HashSet<String> = HashSet::new();
        let mut infos = Vec::with_capacity(commits.len());
        for c in &commits {
            named.insert(c.to_string());
            let info = repo.commit_info(*c)?;
            for sha in crate::git::message::picked_from(&info.message) {
                named.insert(sha.to_ascii_lowercase());
            }
            infos.push(info);
        }
        let has_trailer = |source: &str| {
            named.contains(source)
                || named.iter().any(|n| {
                    n.len() >= 7 && n.len() < source.len() && source.starts_with(n.as_str())
                })
        };
        let mut patch_ids: Option<HashSet<Oid>> = None;
        let mut out = metrics::MissingLine {
            line: line.to_string(),
            newest: newest.name.clone(),
            missing: Vec::new(),
            skipped: Vec::new(),
            applied: 0,
        };
        for (source, f) in &order {
            let fix = |reason: Option<String>| metrics::Fix {
                source: (*source).clone(),
                subject: f.subject.clone(),
                picked_on: f.lines.iter().rev().map(|l| l.to_string()).collect(),
                incidents: f.incidents.iter().cloned().collect(),
                reason,
            };
            if has_trailer(source) {
                out.applied += 1;
                continue;
            }
            if let Some(reason) = f
                .incidents
                .iter()
                .find_map(|i| skipped.get(&(i.clone(), *line)))
            {
                out.skipped.push(fix(Some(reason.clone())));
                continue;
            }
            let id = *source_ids.entry(source.as_str()).or_insert_with(|| {
                let oid = Oid::from_str(source).ok()?;
                repo.patch_id(oid, None).ok().flatten()
            });
            let same = match id {
                Some(id) => {
                    let ids = match &mut patch_ids {
                        Some(ids) => ids,
                        None => patch_ids.insert(
                            infos
                                .iter()
                                .filter(|c| c.parents.len() == 1)
                                .filter_map(|c| repo.patch_id(c.id, None).ok().flatten())
                                .collect(),
                        ),
                    };
                    ids.contains(&id)
                }
                None => false,
            };
            if same {
                out.applied += 1;
            } else {
                out.missing.push(fix(None));
            }
        }
        doc.lines.push(out);
    }
    let text = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&doc).expect("serializes") + "\n",
        _ => render::report::missing(&doc),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| Error::file(path, "write", &e))?;
            ui::out(format!("wrote {}", path.display()));
        }
        None => ui::out_bytes(text.as_bytes()),
    }
    Ok(())
}

/// Names a line for grouping: over several repositories, with the repository's name.
fn line_key(repo: &Option<String>, line: &str) -> String {
    match repo {
        Some(r) => format!("{r} {line}"),
        None => line.to_string(),
    }
}

fn repo_name(ctx: &Ctx) -> String {
    let root = ctx.repo.command_dir();
    root.file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".git").to_string())
        .unwrap_or_else(|| root.display().to_string())
}

/// Collects every hotfix of one repository: its ledger records with a ship time, and patch
/// tags with no record (untracked), dated by the tagger, else by the commit. The ledger and the
/// tags are read at the same time, on every core; tag dates come from the local cache where it
/// has them.
pub fn collect(
    ctx: &Ctx,
    repo: Option<String>,
    span: (DateTime<chrono::Utc>, DateTime<chrono::Utc>),
    (open_at, now): (DateTime<chrono::Utc>, DateTime<chrono::Utc>),
) -> Result<(Vec<Hotfix>, Vec<Member>, Vec<metrics::Minor>)> {
    let pattern = &ctx.config.release.tag;
    let mut cache = ReportCache::load(&ctx.repo);
    let gitdir = ctx.repo.gitdir();
    let ledger = ctx.ledger();
    if let Some(w) = ledger.unmerged_remote() {
        ui::warn(w);
    }
    let tip = ledger.tip_commit();
    let spin = ui::spinner("reading the ledger and the tags");
    let (facts, tags) = rayon::join(
        || par::with_repo(&gitdir, |repo| crate::ledger::read_facts(repo, tip, &cache)),
        || par::with_repo(&gitdir, |repo| patch_tags(repo, pattern, &cache)),
    );
    ui::done(spin);
    let facts = facts??;
    let (all_tags, dated) = tags??;
    let mut unindexed = 0;
    for (f, blob) in &facts {
        for d in &f.damage {
            ui::warn(format!(
                "records/{}.jsonl, {d}: left out of the report",
                f.id
            ));
        }
        if let Some(blob) = blob {
            cache.put_record(*blob, f);
            unindexed += usize::from(f.damage.is_empty());
        }
    }
    if unindexed > 0 {
        ui::note(format!(
            "read {unindexed} record(s) that the ledger's facts index does not cover (kept in the local cache); `hotfix sync` indexes them for every clone"
        ));
    }
    for (oid, secs) in dated {
        cache.put_tag(oid, secs);
    }
    cache.save();

    let mut known: HashSet<&str> = HashSet::with_capacity(facts.len());
    for (f, _) in &facts {
        known.insert(&f.id);
        if let Some(tag) = &f.revert_tag {
            known.insert(tag); // a rollback release belongs to the hotfix it undoes
        }
    }
    let untracked: Vec<&TagRef> = all_tags
        .iter()
        .filter(|t| t.version.patch > 0 && !known.contains(t.name.as_str()))
        .collect();
    let mut out = Vec::with_capacity(facts.len() + untracked.len());
    for t in untracked {
        let Some(shipped_at) = t
            .target
            .and_then(|o| cache.tag(o))
            .and_then(|s| DateTime::from_timestamp(s, 0))
        else {
            continue;
        };
        out.push(Hotfix {
            repo: repo.clone(),
            line_key: line_key(&repo, &t.line().to_string()),
            line: t.line().to_string(),
            incident_id: t.name.clone(),
            inferred: false,
            id: t.name.clone(),
            severity: None,
            incident: None,
            shipped_at,
            detected_at: None,
            deployed_at: None,
            verified_at: None,
            tracked: false,
            overrides: Vec::new(),
            shipper: None,
            rolled_back: false,
            last_env_rolled_back: false,
            verified: false,
            retro: false,
            actions: 0,
            open_actions: 0,
            picks: 0,
            modified_picks: 0,
        });
    }
    // Minor releases (X.Y.0, not pre-releases), for release quality.
    let minors: Vec<metrics::Minor> = all_tags
        .iter()
        .filter(|t| is_minor(t))
        .filter_map(|t| {
            let released_at = t
                .target
                .and_then(|o| cache.tag(o))
                .and_then(|s| DateTime::from_timestamp(s, 0))?;
            let line = t.line().to_string();
            Some(metrics::Minor {
                repo: repo.clone(),
                line_key: line_key(&repo, &line),
                line,
                name: t.name.clone(),
                released_at,
            })
        })
        .collect();
    infer_incidents(&ctx.repo, &all_tags, &mut out, span);
    let members = open_members(ctx, &repo, &facts, open_at, now)?;
    // Deploy times are the last environment's (events without one count for it).
    let last_env = ctx.config.deploy.production().to_string();
    let identities = ctx.repo.identities(ctx.mainline().ok().map(|m| m.tip));
    for (f, _) in facts {
        let Some(shipped_at) = f.ship_time else {
            continue;
        };
        let there = f.in_env(&last_env, &last_env);
        let line = f
            .line
            .clone()
            .or_else(|| {
                pattern
                    .release_version(&f.id)
                    .map(|v| crate::version::Line::of(&v).to_string())
            })
            .unwrap_or_default();
        out.push(Hotfix {
            repo: repo.clone(),
            incident_id: f.incident.clone().unwrap_or_else(|| f.id.clone()),
            inferred: false,
            id: f.id,
            line_key: line_key(&repo, &line),
            line,
            severity: f.severity,
            incident: f.incident,
            shipped_at,
            detected_at: f.detected_at,
            deployed_at: there.deployed_at,
            verified_at: there.verified_at,
            tracked: true,
            overrides: f.overrides,
            shipper: f.shipper.as_deref().map(|who| identities.fold(who)),
            rolled_back: f.rolled_back,
            last_env_rolled_back: there.rolled_back,
            verified: there.verified_at.is_some(),
            retro: f.retro,
            actions: f.actions,
            open_actions: f.open_actions,
            picks: f.picks,
            modified_picks: f.conflicted_picks,
        });
    }
    Ok((out, members, minors))
}

/// A minor release: X.Y.0, not a pre-release.
fn is_minor(t: &TagRef) -> bool {
    t.version.patch == 0 && t.version.pre.is_empty()
}

/// The hotfixes of the incidents that may have a line open at `at`, for
/// `metrics::open_incidents`. Facts tell which hotfixes have shipped (judged now, a shipped
/// hotfix is closed; judged at a past `at`, only if it shipped by then); only the others (in
/// progress, skipped, abandoned, or shipped after `at`), and then every hotfix of an incident
/// one of them leaves open, are read in full, for their start and how they closed.
fn open_members(
    ctx: &Ctx,
    repo: &Option<String>,
    facts: &[(crate::ledger::Facts, Option<Oid>)],
    at: DateTime<chrono::Utc>,
    now: DateTime<chrono::Utc>,
) -> Result<Vec<Member>> {
    let key = |f: &crate::ledger::Facts| f.incident.clone().unwrap_or_else(|| f.id.clone());
    let settled = |f: &crate::ledger::Facts| f.ship_time.is_some_and(|t| at >= now || t <= at);
    let first: Vec<&crate::ledger::Facts> = facts
        .iter()
        .map(|(f, _)| f)
        .filter(|f| !settled(f))
        .collect();
    if first.is_empty() {
        return Ok(Vec::new());
    }
    let mut members = read_members(ctx, repo, &first)?;
    let open: HashSet<String> = members
        .iter()
        .filter(|m| {
            m.closed.is_none_or(|(when, _)| when > at) && m.started_at.is_some_and(|s| s <= at)
        })
        .map(|m| m.incident.clone())
        .collect();
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let rest: Vec<&crate::ledger::Facts> = facts
        .iter()
        .map(|(f, _)| f)
        .filter(|f| settled(f) && open.contains(&key(f)))
        .collect();
    members.extend(read_members(ctx, repo, &rest)?);
    members.retain(|m| open.contains(&m.incident));
    Ok(members)
}

/// Reads hotfixes' records in full as `Member`s: one by one when they are few, else from one
/// listing of the ledger's records, on every core.
fn read_members(
    ctx: &Ctx,
    repo: &Option<String>,
    facts: &[&crate::ledger::Facts],
) -> Result<Vec<Member>> {
    let member = |f: &crate::ledger::Facts, r: &crate::ledger::Record| {
        let started = r.started();
        let closed = r.events.iter().find_map(|e| {
            let how = match e.kind.as_str() {
                "shipped" => "shipped",
                "imported" => "imported",
                "skipped" => "skipped",
                "abandoned" => "abandoned",
                _ => return None,
            };
            Some((e.at, how))
        });
        Member {
            repo: repo.clone(),
            incident: f.incident.clone().unwrap_or_else(|| f.id.clone()),
            id: f.id.clone(),
            line: started
                .as_ref()
                .map(|s| s.line.clone())
                .or_else(|| f.line.clone())
                .unwrap_or_default(),
            started_at: r.started_at(),
            detected_at: started.and_then(|s| s.detected_at).or(f.detected_at),
            closed,
        }
    };
    let ledger = ctx.ledger();
    if facts.len() <= 16 {
        let mut out = Vec::new();
        for f in facts {
            if let Some(r) = ledger.record(&f.id)? {
                out.push(member(f, &r));
            }
        }
        return Ok(out);
    }
    let Some(tip) = ledger.tip_commit() else {
        return Ok(Vec::new());
    };
    let files: HashMap<String, Oid> = ctx
        .repo
        .tree_files(ctx.repo.tree_of(tip)?, "records", true)?
        .into_iter()
        .filter_map(|(path, blob)| Some((path.strip_suffix(".jsonl")?.to_string(), blob)))
        .collect();
    let wanted: Vec<(&crate::ledger::Facts, Oid)> = facts
        .iter()
        .filter_map(|f| Some((*f, *files.get(&f.id)?)))
        .collect();
    let read = par::map(&ctx.repo.gitdir(), &wanted, |repo, (f, blob)| {
        repo.with_blob(*blob, |content| {
            member(f, &crate::ledger::parse_record(&f.id, content))
        })
    })?;
    read.into_iter().collect()
}

/// Counts untracked patch tags (`untracked`, every one a release of its own so far) on
/// different lines, dated within 48 hours of each other and sharing a picked patch-id, as one
/// inferred incident (`metrics::infer_incidents`). A tag's picked patch-ids are those of the
/// non-merge commits in its own range: the previous release tag on its line (semver order)
/// up to it. Only tags with a candidate partner (another untracked tag on a different line
/// within the window, in a run of tags that reaches into `span`, the months the report
/// counts) have their commits read, on every core. A tag whose commits cannot be
/// read (a shallow clone) is left alone, and the report says so.
fn infer_incidents(
    repo: &Repo,
    all_tags: &[TagRef],
    untracked: &mut [Hotfix],
    span: (DateTime<chrono::Utc>, DateTime<chrono::Utc>),
) {
    let keys: Vec<(&str, DateTime<chrono::Utc>)> = untracked
        .iter()
        .map(|h| (h.line.as_str(), h.shipped_at))
        .collect();
    let candidates = metrics::inference_candidates(&keys, span);
    if !candidates.contains(&true) {
        return;
    }
    // The previous release tag on each tag's line; tags come in semver order.
    let mut last_on_line: HashMap<crate::version::Line, &str> = HashMap::new();
    let mut previous: HashMap<&str, &str> = HashMap::new();
    for t in all_tags {
        if let Some(p) = last_on_line.insert(t.line(), &t.name) {
            previous.insert(&t.name, p);
        }
    }
    let work: Vec<(usize, &str, &str)> = untracked
        .iter()
        .enumerate()
        .filter(|(i, _)| candidates[*i])
        .filter_map(|(i, h)| Some((i, h.id.as_str(), *previous.get(h.id.as_str())?)))
        .collect();
    let read = par::map(&repo.gitdir(), &work, |repo, (_, tag, prev)| {
        picked_patch_ids(repo, tag, prev)
    });
    let mut ids: Vec<Vec<Oid>> = vec![Vec::new(); untracked.len()];
    let mut unread: Vec<&str> = Vec::new();
    match read {
        Ok(read) => {
            for ((i, tag, _), r) in work.iter().zip(read) {
                match r {
                    Some(v) => ids[*i] = v,
                    None => unread.push(tag),
                }
            }
        }
        Err(_) => unread.extend(work.iter().map(|(_, tag, _)| *tag)),
    }
    if !unread.is_empty() {
        ui::warn(format!(
            "could not read the commits of {} untracked tag(s) ({}{}); each counts as an incident of its own (a shallow clone? `git fetch --unshallow --tags`)",
            unread.len(),
            unread
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            if unread.len() > 3 { ", ..." } else { "" }
        ));
    }
    let first = metrics::infer_incidents(&keys, &ids);
    let mut size: HashMap<usize, usize> = HashMap::new();
    for f in &first {
        *size.entry(*f).or_default() += 1;
    }
    let names: Vec<String> = first.iter().map(|f| untracked[*f].id.clone()).collect();
    for ((h, f), name) in untracked.iter_mut().zip(&first).zip(names) {
        if size[f] > 1 {
            h.incident_id = name;
            h.inferred = true;
        }
    }
}

/// The patch-ids of the non-merge commits between two tags (`prev..tag`), or `None` when
/// they cannot be read.
fn picked_patch_ids(repo: &Repo, tag: &str, prev: &str) -> Option<Vec<Oid>> {
    let head = repo.tag_target(tag)?;
    let base = repo.tag_target(prev)?;
    let mut out = Vec::new();
    for c in repo.range(base, head).ok()? {
        let info = repo.commit_info(c).ok()?;
        if info.parents.len() == 1 {
            if let Some(id) = repo.patch_id(c, None).ok()? {
                out.push(id);
            }
        }
    }
    Some(out)
}

/// Tag object ids with their dates, in Unix seconds.
type Dated = Vec<(Oid, i64)>;

/// Lists the release tags, and dates the patch tags the cache has no date for by their
/// objects (see `git::object_time`), on every core.
fn patch_tags(
    repo: &Repo,
    pattern: &crate::version::TagPattern,
    cache: &ReportCache,
) -> Result<(Vec<TagRef>, Dated)> {
    let tags: Vec<TagRef> = repo.tag_refs(pattern)?;
    let missing: Vec<Oid> = tags
        .iter()
        .filter(|t| t.version.patch > 0 || is_minor(t))
        .filter_map(|t| t.target)
        .filter(|o| cache.tag(*o).is_none())
        .collect();
    let dated = par::map(&repo.gitdir(), &missing, |repo, oid| {
        repo.object_time(*oid).map(|s| (*oid, s))
    })?;
    Ok((tags, dated.into_iter().flatten().collect()))
}
