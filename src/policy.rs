//! The policy rules: pure functions from a hotfix summary and the configuration to verdicts.
//! No I/O happens here; `gather` collects the facts, these functions judge them.

use serde::Serialize;

use crate::config::Config;
pub use crate::git::Person;
use crate::git::diff::FileChange;
pub use crate::git::provenance::{MergeCheck, Provenance};

/// Every rule: its id (used in config, output and `--override`) and what it asks.
pub const RULES: &[(&str, &str)] = &[
    (
        "base-is-release",
        "the hotfix branch starts exactly at a release tag",
    ),
    (
        "from-mainline",
        "every commit is a pick of a fix merged on mainline",
    ),
    ("no-merges", "no merge commit carries changes of its own"),
    (
        "release-paths",
        "commits without a pick trailer touch only release paths",
    ),
    ("max-commits", "the hotfix has few commits"),
    ("max-files", "the hotfix changes few files"),
    ("max-lines", "the hotfix changes few lines"),
    ("scope", "every changed path is allowed and none denied"),
    ("regression-test", "the hotfix changes a test"),
    ("reviewed", "a peer who is not an author reviewed it"),
    (
        "approved",
        "a severity decided in advance to be a hotfix, or an approver who is not the shipper",
    ),
    ("version-free", "the tag does not exist yet"),
    ("rollback-target", "the previous release on the line exists"),
    ("tests-pass", "the test command passes on the hotfix head"),
];

/// Tells whether `id` names a rule.
pub fn is_rule(id: &str) -> bool {
    RULES.iter().any(|(r, _)| *r == id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
    Skip,
    Overridden,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
            Verdict::Skip => "skip",
            Verdict::Overridden => "overridden",
        }
    }
}

/// What one piece of a rule's evidence is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A commit of the hotfix (its full id).
    Commit(String),
    /// A changed path.
    Path(String),
    /// A claimed reviewer or approver.
    Person(Person),
    /// Output of a command the rule ran.
    Output,
}

/// One piece of a rule's evidence: what it is about, and what the rule found there.
///
/// In JSON it is `{"commit": ..., "note": ...}`, `{"path": ..., "note": ...}` (a reviewer is
/// written as `path`, as schema 1 has it) or `{"note": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub subject: Subject,
    pub note: String,
}

impl Item {
    fn commit(c: &CommitSummary, note: impl Into<String>) -> Item {
        Item::about(Subject::Commit(c.id.clone()), note)
    }

    fn path(p: &str, note: impl Into<String>) -> Item {
        Item::about(Subject::Path(p.to_string()), note)
    }

    fn about(subject: Subject, note: impl Into<String>) -> Item {
        Item {
            subject,
            note: note.into(),
        }
    }

    /// The commit the item is about, if it is about one.
    pub fn commit_id(&self) -> Option<&str> {
        match &self.subject {
            Subject::Commit(c) => Some(c),
            _ => None,
        }
    }

    /// The changed path the item is about, if it is about one.
    pub fn file(&self) -> Option<&str> {
        match &self.subject {
            Subject::Path(p) => Some(p),
            _ => None,
        }
    }

    /// Names what the item is about for people: a short sha, a path, a reviewer.
    pub fn label(&self) -> String {
        match &self.subject {
            Subject::Commit(c) => c[..c.len().min(10)].to_string(),
            Subject::Path(p) => p.clone(),
            Subject::Person(r) => r.to_string(),
            Subject::Output => String::new(),
        }
    }
}

impl Serialize for Item {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        match &self.subject {
            Subject::Commit(c) => map.serialize_entry("commit", c)?,
            Subject::Path(p) => map.serialize_entry("path", p)?,
            Subject::Person(r) => map.serialize_entry("path", &r.to_string())?,
            Subject::Output => {}
        }
        map.serialize_entry("note", &self.note)?;
        map.end()
    }
}

/// A reviewer the `reviewed` rule counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub person: Person,
    pub source: String,
    pub verified: bool,
}

pub use crate::evidence::TestEvidence;

/// The policy's judgement of a hotfix: every rule's result, and what the results rest on in
/// typed form, so that `ship` records what was decided instead of deciding again.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub results: Vec<RuleResult>,
    /// The reviewers `reviewed` counted, each once.
    pub reviewers: Vec<Counted>,
    /// The approvers `approved` counted, each once.
    pub approvers: Vec<Counted>,
    /// What satisfied `regression-test`.
    pub tests: Vec<TestEvidence>,
    /// The overrides that turned a failing rule into `overridden`.
    pub overrides_applied: Vec<Override>,
    /// The overrides given for rules that do not fail.
    pub overrides_unused: Vec<Override>,
}

impl Evaluation {
    /// Tells whether the verdicts let the hotfix ship.
    pub fn passes(&self) -> bool {
        passes(&self.results)
    }

    /// The rules that failed, in rule order.
    pub fn failed(&self) -> Vec<&'static str> {
        self.results
            .iter()
            .filter(|r| r.verdict == Verdict::Fail)
            .map(|r| r.id)
            .collect()
    }
}

/// The verdict of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub id: &'static str,
    pub verdict: Verdict,
    pub detail: String,
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

impl RuleResult {
    fn new(id: &'static str, verdict: Verdict, detail: impl Into<String>) -> RuleResult {
        RuleResult {
            id,
            verdict,
            detail: detail.into(),
            items: Vec::new(),
            hint: None,
            override_reason: None,
        }
    }

    fn items(mut self, items: Vec<Item>) -> Self {
        self.items = items;
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A reviewer claimed for the hotfix.
#[derive(Debug, Clone, Serialize)]
pub struct Reviewer {
    pub person: Person,
    /// `flag` (`--reviewer`), `trailer` (`Reviewed-by:`) or `github`.
    pub source: String,
    pub verified: bool,
    /// Why the review cannot count, when the source already knows (an approval of an older
    /// commit, a self-approval).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
}

/// One commit of the hotfix (base..head).
#[derive(Debug, Clone, Serialize)]
pub struct CommitSummary {
    pub id: String,
    pub short: String,
    pub subject: String,
    pub author: Person,
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge: Option<MergeCheck>,
    pub paths: Vec<String>,
}

impl CommitSummary {
    pub fn is_merge(&self) -> bool {
        self.merge.is_some()
    }
}

/// What is known of the base.
#[derive(Debug, Clone, Serialize)]
pub struct BaseInfo {
    pub tag: String,
    pub is_release: bool,
    pub is_ancestor: bool,
    /// Commits queued on the release branch after the tag that the hotfix carries.
    pub riding: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LocalTag {
    Free,
    /// The tag exists and points at the hotfix head: an interrupted ship being finished.
    AtHead,
    Elsewhere,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RemoteTag {
    Free,
    AtHead,
    Elsewhere,
    NoRemote,
    NotAsked,
    Unknown(String),
}

/// The run of `policy.test-command` on the hotfix head, and with `prove-regression` on the base
/// with only the hotfix's test files applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TestRun {
    pub command: String,
    pub passed: bool,
    pub output_tail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<TestOutcome>,
}

/// One run of the test command.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct TestOutcome {
    pub passed: bool,
    pub output_tail: String,
    /// The test files applied on the base.
    pub tests: Vec<String>,
}

/// Everything the rules judge, collected from the repository.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub base: BaseInfo,
    pub head: String,
    pub commits: Vec<CommitSummary>,
    pub changes: Vec<FileChange>,
    pub reviewers: Vec<Reviewer>,
    /// The severity the shipper declared at start (the record's `started`, else the tag's
    /// `Hotfix-Severity:`).
    pub severity: Option<String>,
    /// The approvals claimed for the hotfix: `approved` events and `Hotfix-Approved-By:`
    /// trailers (unverified), and GitHub approvals by a listed `@login` (verified).
    pub approvals: Vec<Reviewer>,
    pub shipper: Option<Person>,
    pub local_tag: LocalTag,
    pub remote_tag: RemoteTag,
    /// The newest release on the hotfix's line below its version: what a rollback redeploys.
    pub rollback_to: Option<String>,
    pub tests_run: Option<TestRun>,
    /// The overrides the hotfix's own annotated tag records (`Hotfix-Override:`), when it is
    /// judged after its ship: they bend the rules as they did at ship time.
    pub shipped_overrides: Vec<Override>,
}

impl Summary {
    /// Returns the authors of the hotfix's commits (picks keep their source's author).
    pub fn authors(&self) -> Vec<Person> {
        let mut out: Vec<Person> = Vec::new();
        for c in self.commits.iter().filter(|c| !c.is_merge()) {
            if !out.iter().any(|p| p.same_as(&c.author)) {
                out.push(c.author.clone());
            }
        }
        out
    }
}

/// An override given on the command line.
#[derive(Debug, Clone, Serialize)]
pub struct Override {
    pub rule: String,
    pub reason: String,
}

/// Sums the size of a hotfix, leaving out paths matched by `policy.size-ignore`.
pub fn size(changes: &[FileChange], config: &Config) -> (usize, usize, usize) {
    let ignore = &config.policy.size_ignore;
    let counted: Vec<&FileChange> = changes
        .iter()
        .filter(|c| !ignore.is_match(&c.path))
        .collect();
    let added = counted.iter().map(|c| c.added).sum();
    let deleted = counted.iter().map(|c| c.deleted).sum();
    (counted.len(), added, deleted)
}

/// Judges a hotfix against every rule, then applies the overrides.
pub fn evaluate(s: &Summary, config: &Config, overrides: &[Override]) -> Evaluation {
    let tests = crate::evidence::find(&s.changes, &config.policy);
    let (reviewed, reviewers) = reviewed(s, config);
    let (approved, approvers) = approved(s, config);
    let mut results = vec![
        base_is_release(s),
        from_mainline(s, config),
        no_merges(s),
        release_paths(s, config),
    ];
    results.extend(size_rules(s, config));
    results.push(scope(s, config));
    results.push(regression_test(&tests));
    results.push(reviewed);
    results.push(approved);
    results.push(version_free(s));
    results.push(rollback_target(s));
    results.push(tests_pass(s, config));
    let (mut overrides_applied, mut overrides_unused) = (Vec::new(), Vec::new());
    for o in overrides {
        match results.iter_mut().find(|r| r.id == o.rule) {
            Some(r) if r.verdict == Verdict::Fail => {
                r.verdict = Verdict::Overridden;
                r.override_reason = Some(o.reason.clone());
                overrides_applied.push(o.clone());
            }
            Some(r) if r.verdict == Verdict::Overridden => {} // the same rule named twice
            _ => overrides_unused.push(o.clone()),
        }
    }
    Evaluation {
        results,
        reviewers,
        approvers,
        tests,
        overrides_applied,
        overrides_unused,
    }
}

/// Tells whether the verdicts let the hotfix ship.
pub fn passes(results: &[RuleResult]) -> bool {
    results.iter().all(|r| r.verdict != Verdict::Fail)
}

fn base_is_release(s: &Summary) -> RuleResult {
    let id = "base-is-release";
    if !s.base.is_release {
        return RuleResult::new(
            id,
            Verdict::Fail,
            format!("the base {} is not a release tag", s.base.tag),
        )
        .hint("start hotfixes with `hotfix start`, which branches from the release tag");
    }
    if !s.base.is_ancestor {
        return RuleResult::new(
            id,
            Verdict::Fail,
            format!("the hotfix head does not contain {}", s.base.tag),
        )
        .hint("the branch must grow from the release tag; start again with `hotfix start`");
    }
    if !s.base.riding.is_empty() {
        let items = s
            .base
            .riding
            .iter()
            .map(|c| {
                Item::about(
                    Subject::Commit(c.clone()),
                    "queued on the release branch after the tag, not picked for this hotfix",
                )
            })
            .collect();
        return RuleResult::new(
            id,
            Verdict::Fail,
            format!(
                "{} unreleased commit(s) from the release branch ride along on top of {}",
                s.base.riding.len(),
                s.base.tag
            ),
        )
        .items(items)
        .hint(
            "branch from the tag instead (`hotfix start`), and pick only the fix; or override with --override base-is-release --reason \"...\"",
        );
    }
    RuleResult::new(id, Verdict::Pass, format!("starts at {}", s.base.tag))
}

fn from_mainline(s: &Summary, config: &Config) -> RuleResult {
    let id = "from-mainline";
    let release = &config.policy.release_paths;
    let mut failing = Vec::new();
    let mut modified = Vec::new();
    let mut matched = Vec::new();
    let mut ok = 0;
    for c in s.commits.iter().filter(|c| !c.is_merge()) {
        match &c.provenance {
            Provenance::Picked { clean: true, .. } => ok += 1,
            Provenance::Picked {
                clean: false,
                origin,
                difference,
                ..
            } => modified.push(Item::commit(
                c,
                format!(
                    "modified: its changed lines differ from {}{}",
                    &origin[..origin.len().min(10)],
                    difference
                        .as_deref()
                        .map(|d| format!("\n{d}"))
                        .unwrap_or_default()
                ),
            )),
            Provenance::Matched { origin } => {
                ok += 1;
                matched.push(Item::commit(
                    c,
                    format!(
                        "matched by patch-id: no trailer, but it is exactly mainline's {} applied here; `git cherry-pick -x` (or `hotfix pick`) would make it certain",
                        &origin[..origin.len().min(10)]
                    ),
                ));
            }
            Provenance::NotOnMainline { reason, .. } => {
                failing.push(Item::commit(c, reason.clone()))
            }
            Provenance::Unmatched { near } => failing.push(Item::commit(
                c,
                format!(
                    "\"{}\" has no cherry-pick trailer, and its changes match no mainline commit; mainline's {} has the same subject and author but other changed lines: if it is that fix with a conflict resolved, record it with `git cherry-pick -x {}` (then it is judged as modified)",
                    c.subject,
                    &near[..near.len().min(10)],
                    &near[..near.len().min(10)]
                ),
            )),
            Provenance::NoTrailer => {
                let only_release = !release.is_empty()
                    && !c.paths.is_empty()
                    && c.paths.iter().all(|p| release.is_match(p));
                if only_release {
                    ok += 1;
                } else {
                    failing.push(Item::commit(
                        c,
                        format!(
                            "\"{}\" has no cherry-pick trailer, and no mainline commit since the line forked has its changes",
                            c.subject
                        ),
                    ));
                }
            }
            Provenance::Merge => {}
        }
    }
    let of_matched = if matched.is_empty() {
        String::new()
    } else {
        format!(", {} matched by patch-id", matched.len())
    };
    if !failing.is_empty() {
        let n = failing.len();
        let also = if modified.is_empty() {
            String::new()
        } else {
            format!("; {} pick(s) also differ from their source", modified.len())
        };
        // A modified pick stays in view when another commit fails: both need a look.
        let mut items = failing;
        items.extend(modified);
        items.extend(matched);
        return RuleResult::new(
            id,
            Verdict::Fail,
            format!("{n} commit(s) are not picks of mainline fixes{also}"),
        )
        .items(items)
        .hint("pick fixes with `hotfix pick <sha>` after they are merged on mainline");
    }
    if !modified.is_empty() {
        let n = modified.len();
        let verdict = if config.policy.allow_modified {
            Verdict::Warn
        } else {
            Verdict::Fail
        };
        let mut items = modified;
        items.extend(matched);
        return RuleResult::new(
            id,
            verdict,
            format!("{n} pick(s) differ from their mainline source (a conflict resolved, or an edit){of_matched}; review the difference"),
        )
        .items(items)
        .hint("policy.allow-modified decides whether a modified pick warns or fails");
    }
    RuleResult::new(
        id,
        Verdict::Pass,
        format!("{ok} commit(s), each traced to mainline{of_matched}"),
    )
    .items(matched)
}

fn no_merges(s: &Summary) -> RuleResult {
    let id = "no-merges";
    let merges: Vec<&CommitSummary> = s.commits.iter().filter(|c| c.is_merge()).collect();
    let evil: Vec<Item> = merges
        .iter()
        .filter_map(|c| {
            let m = c.merge.as_ref()?;
            (!m.clean).then(|| Item::commit(c, m.detail.clone()))
        })
        .collect();
    if !evil.is_empty() {
        return RuleResult::new(
            id,
            Verdict::Fail,
            format!("{} merge(s) carry changes of their own", evil.len()),
        )
        .items(evil)
        .hint("make the change a commit of its own, picked from mainline");
    }
    if merges.is_empty() {
        RuleResult::new(id, Verdict::Pass, "no merge commits")
    } else {
        RuleResult::new(
            id,
            Verdict::Pass,
            format!(
                "{} merge(s), each exactly git's merge of its parents",
                merges.len()
            ),
        )
    }
}

fn release_paths(s: &Summary, config: &Config) -> RuleResult {
    let id = "release-paths";
    let release = &config.policy.release_paths;
    let untrailed: Vec<&CommitSummary> = s
        .commits
        .iter()
        .filter(|c| c.provenance.is_untrailed())
        .collect();
    if untrailed.is_empty() {
        return RuleResult::new(
            id,
            Verdict::Pass,
            "every commit carries a cherry-pick trailer",
        );
    }
    let mut allowed = Vec::new();
    let mut outside = Vec::new();
    for c in untrailed {
        let stray: Vec<&String> = c.paths.iter().filter(|p| !release.is_match(p)).collect();
        if stray.is_empty() && !c.paths.is_empty() {
            allowed.push(Item::commit(c, "touches only release paths"));
        } else {
            let list = stray
                .iter()
                .take(5)
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            outside.push(Item::commit(c, format!("touches {list}")));
        }
    }
    if outside.is_empty() {
        return RuleResult::new(
            id,
            Verdict::Pass,
            format!(
                "{} commit(s) without a trailer touch only release paths",
                allowed.len()
            ),
        )
        .items(allowed);
    }
    let hint = if config.policy.release_paths.is_empty() {
        "no release paths are configured (policy.release-paths); a commit without a trailer must be a pick from mainline"
    } else {
        "keep release-only commits to policy.release-paths, and pick code changes from mainline"
    };
    RuleResult::new(
        id,
        Verdict::Fail,
        format!(
            "{} commit(s) without a trailer touch paths outside policy.release-paths",
            outside.len()
        ),
    )
    .items(outside)
    .hint(hint)
}

fn size_rules(s: &Summary, config: &Config) -> Vec<RuleResult> {
    let p = &config.policy;
    let commits = s.commits.iter().filter(|c| !c.is_merge()).count();
    let (files, added, deleted) = size(&s.changes, config);
    let lines = added + deleted;
    let judge = |id: &'static str, what: &str, value: usize, max: u32| {
        let detail = format!("{value} {what} (limit {max})");
        if value as u64 <= max as u64 {
            RuleResult::new(id, Verdict::Pass, detail)
        } else {
            RuleResult::new(id, Verdict::Fail, detail).hint(format!(
                "narrow the hotfix, or override with --override {id} --reason \"...\" (policy.{id} sets the limit)"
            ))
        }
    };
    let ignore = &p.size_ignore;
    // Largest first: the files that matter most to narrowing the hotfix lead the list.
    let mut counted: Vec<&FileChange> = s
        .changes
        .iter()
        .filter(|c| !ignore.is_match(&c.path))
        .collect();
    counted.sort_by_key(|c| std::cmp::Reverse(c.added + c.deleted));
    let file_items: Vec<Item> = counted
        .iter()
        .map(|c| Item::path(&c.path, format!("+{} -{}", c.added, c.deleted)))
        .collect();
    let mut f = judge("max-files", "file(s)", files, p.max_files);
    let mut l = judge("max-lines", "line(s) changed", lines, p.max_lines);
    if f.verdict == Verdict::Fail {
        f.items = file_items.clone();
    }
    if l.verdict == Verdict::Fail {
        l.items = file_items;
    }
    vec![
        judge("max-commits", "commit(s)", commits, p.max_commits),
        f,
        l,
    ]
}

fn scope(s: &Summary, config: &Config) -> RuleResult {
    let id = "scope";
    let allow = &config.policy.allow;
    let deny = &config.policy.deny;
    let mut bad = Vec::new();
    for c in &s.changes {
        for path in std::iter::once(&c.path).chain(c.old_path.iter()) {
            if deny.is_match(path) {
                let glob = config.policy.deny.matching(path).unwrap_or_default();
                bad.push(Item::path(
                    path,
                    format!("matches policy.deny glob \"{glob}\""),
                ));
            } else if !config.policy.allow.is_empty() && !allow.is_match(path) {
                bad.push(Item::path(
                    path,
                    format!(
                        "matches none of policy.allow ({})",
                        config.policy.allow.patterns().join(", ")
                    ),
                ));
            }
        }
    }
    if bad.is_empty() {
        let detail = if config.policy.allow.is_empty() && config.policy.deny.is_empty() {
            "no allow or deny globs configured".to_string()
        } else {
            format!("{} path(s), all in scope", s.changes.len())
        };
        return RuleResult::new(id, Verdict::Pass, detail);
    }
    RuleResult::new(
        id,
        Verdict::Fail,
        format!("{} path(s) out of scope", bad.len()),
    )
    .items(bad)
    .hint("leave those paths out of the hotfix, or override with --override scope --reason \"...\"")
}

fn regression_test(evidence: &[TestEvidence]) -> RuleResult {
    let id = "regression-test";
    let items: Vec<Item> = evidence
        .iter()
        .map(|e| Item::path(e.path(), e.describe()))
        .collect();
    if items.is_empty() {
        return RuleResult::new(id, Verdict::Fail, "the hotfix changes no test")
            .hint("pick the fix's regression test from mainline too, or override with --override regression-test --reason \"...\"");
    }
    let names: Vec<String> = evidence.iter().map(TestEvidence::at).collect();
    RuleResult::new(
        id,
        Verdict::Pass,
        format!("tests changed: {}", names.join(", ")),
    )
    .items(items)
}

/// Judges `reviewed`, and returns the reviewers it counted.
fn reviewed(s: &Summary, config: &Config) -> (RuleResult, Vec<Counted>) {
    let id = "reviewed";
    let authors = s.authors();
    let min = config.policy.min_reviewers as usize;
    let mut counted: Vec<&Reviewer> = Vec::new();
    let mut items = Vec::new();
    for r in &s.reviewers {
        let src = if r.verified {
            format!("{}, verified", r.source)
        } else {
            format!("{}, unverified", r.source)
        };
        if let Some(why) = &r.excluded {
            items.push(Item::about(
                Subject::Person(r.person.clone()),
                format!("does not count: {why} ({src})"),
            ));
        } else if authors.iter().any(|a| a.same_as(&r.person)) {
            items.push(Item::about(
                Subject::Person(r.person.clone()),
                format!("does not count: an author of a picked commit ({src})"),
            ));
        } else if s.shipper.as_ref().is_some_and(|sh| sh.same_as(&r.person)) {
            items.push(Item::about(
                Subject::Person(r.person.clone()),
                format!("does not count: the shipper ({src})"),
            ));
        } else if config.policy.require_verified_review && !r.verified {
            items.push(Item::about(
                Subject::Person(r.person.clone()),
                format!(
                    "does not count: unverified, and policy.require-verified-review is on ({src})"
                ),
            ));
        } else if counted.iter().any(|c| c.person.same_as(&r.person)) {
            continue;
        } else {
            items.push(Item::about(
                Subject::Person(r.person.clone()),
                format!("counts ({src})"),
            ));
            counted.push(r);
        }
    }
    let detail = format!("{} of {min} required reviewer(s)", counted.len());
    let result = if counted.len() >= min {
        RuleResult::new(id, Verdict::Pass, detail).items(items)
    } else {
        RuleResult::new(id, Verdict::Fail, detail)
            .items(items)
            .hint("name a reviewer who is not an author: hotfix ship --reviewer \"Name <email>\"")
    };
    let counted = counted
        .into_iter()
        .map(|r| Counted {
            person: r.person.clone(),
            source: r.source.clone(),
            verified: r.verified,
        })
        .collect();
    (result, counted)
}

/// Tells whether `person`, as an approval names them, is on the `policy.approvers` list: an
/// `@login` entry by the GitHub login (or the same `@login` given by hand), any other entry as
/// a git identity.
pub fn listed(approvers: &[String], person: &Person, github: bool) -> bool {
    approvers.iter().any(|a| match a.strip_prefix('@') {
        Some(login) => {
            let name = person.name.strip_prefix('@').unwrap_or(&person.name);
            person.email.is_empty()
                && (github || person.name.starts_with('@'))
                && name.eq_ignore_ascii_case(login)
        }
        None => !github && Person::parse(a).same_as(person),
    })
}

/// Judges `approved`, and returns the approvers it counted. Off (skip) until the severities
/// that are hotfixes are decided in advance; then a hotfix of another severity, or of none,
/// needs an approval that counts: not the shipper's, by a listed approver when the list is
/// set, verified when the policy asks.
fn approved(s: &Summary, config: &Config) -> (RuleResult, Vec<Counted>) {
    let id = "approved";
    let p = &config.policy;
    let Some(severities) = &p.hotfix_severities else {
        return (
            RuleResult::new(id, Verdict::Skip, "policy.hotfix-severities is not set").hint(
                "decide in advance which severities are hotfixes: policy.hotfix-severities = [\"sev1\", \"sev2\"]; the others then need an approver",
            ),
            Vec::new(),
        );
    };
    let mut counted: Vec<&Reviewer> = Vec::new();
    let mut items = Vec::new();
    for a in &s.approvals {
        let src = if a.verified {
            format!("{}, verified", a.source)
        } else {
            format!("{}, unverified", a.source)
        };
        let github = a.source.starts_with("github");
        let why_not = if let Some(why) = &a.excluded {
            Some(why.clone())
        } else if s.shipper.as_ref().is_some_and(|sh| sh.same_as(&a.person)) {
            Some("the shipper".to_string())
        } else if !p.approvers.is_empty() && !listed(&p.approvers, &a.person, github) {
            Some("not in policy.approvers".to_string())
        } else if p.require_verified_approval && !a.verified {
            Some("unverified, and policy.require-verified-approval is on".to_string())
        } else {
            None
        };
        let subject = Subject::Person(a.person.clone());
        match why_not {
            Some(why) => items.push(Item::about(
                subject,
                format!("does not count: {why} ({src})"),
            )),
            None if counted.iter().any(|c| c.person.same_as(&a.person)) => {}
            None => {
                items.push(Item::about(subject, format!("counts ({src})")));
                counted.push(a);
            }
        }
    }
    let counted_out = counted
        .iter()
        .map(|a| Counted {
            person: a.person.clone(),
            source: a.source.clone(),
            verified: a.verified,
        })
        .collect();
    let list = severities.join(", ");
    let declared = match &s.severity {
        Some(sev) if severities.iter().any(|x| x.eq_ignore_ascii_case(sev)) => {
            let detail = format!("{sev} is a hotfix severity ({list}), as declared at start");
            return (
                RuleResult::new(id, Verdict::Pass, detail).items(items),
                counted_out,
            );
        }
        Some(sev) => format!("{sev} is not a hotfix severity ({list})"),
        None => format!("no severity was declared at start (hotfix severities: {list})"),
    };
    if let Some(first) = counted.first() {
        let detail = format!("{declared}; approved by {}", first.person);
        return (
            RuleResult::new(id, Verdict::Pass, detail).items(items),
            counted_out,
        );
    }
    let who = if p.approvers.is_empty() {
        "anyone but the shipper".to_string()
    } else {
        p.approvers.join(", ")
    };
    let hint = if p.require_verified_approval {
        format!("an approval on the hotfix pull request on GitHub by one of {who} is needed")
    } else {
        format!(
            "record the approval of one of {who}: hotfix approve {} --by \"Name <email>\"",
            s.id
        )
    };
    (
        RuleResult::new(
            id,
            Verdict::Fail,
            format!("{declared}, and no approval counts"),
        )
        .items(items)
        .hint(hint),
        counted_out,
    )
}

fn version_free(s: &Summary) -> RuleResult {
    let id = "version-free";
    match (&s.local_tag, &s.remote_tag) {
        (LocalTag::Elsewhere, _) => RuleResult::new(
            id,
            Verdict::Fail,
            format!("tag {} already exists here and points elsewhere", s.id),
        )
        .hint("this version has shipped; start the next one with `hotfix start`"),
        (_, RemoteTag::Elsewhere) => RuleResult::new(
            id,
            Verdict::Fail,
            format!("tag {} already exists on the remote", s.id),
        )
        .hint("someone shipped this version; `git fetch --tags`, then start the next one"),
        (LocalTag::AtHead, _) | (_, RemoteTag::AtHead) => RuleResult::new(
            id,
            Verdict::Pass,
            format!(
                "tag {} exists at the hotfix head (an interrupted ship being finished)",
                s.id
            ),
        ),
        (LocalTag::Free, RemoteTag::Unknown(why)) => RuleResult::new(
            id,
            Verdict::Warn,
            format!(
                "tag {} is free here; the remote could not be asked ({why})",
                s.id
            ),
        ),
        (LocalTag::Free, RemoteTag::NoRemote) => RuleResult::new(
            id,
            Verdict::Pass,
            format!("tag {} is free (no remote to ask)", s.id),
        ),
        (LocalTag::Free, RemoteTag::NotAsked) => {
            RuleResult::new(id, Verdict::Pass, format!("tag {} is free here", s.id))
        }
        (LocalTag::Free, RemoteTag::Free) => RuleResult::new(
            id,
            Verdict::Pass,
            format!("tag {} is free here and on the remote", s.id),
        ),
    }
}

fn rollback_target(s: &Summary) -> RuleResult {
    let id = "rollback-target";
    match &s.rollback_to {
        Some(t) if *t == s.base.tag => RuleResult::new(id, Verdict::Pass, format!("roll back to {t}")),
        Some(t) => RuleResult::new(
            id,
            Verdict::Fail,
            format!(
                "the release before {} is {t}, but the hotfix grows from {}: it would drop what {t} shipped, and rolling back to {t} would not restore what it replaced",
                s.id, s.base.tag
            ),
        )
        .hint(format!(
            "grow the hotfix from {t}, the release it replaces: `hotfix start` branches from the newest release of the line"
        )),
        None => RuleResult::new(id, Verdict::Fail, format!("no release before {} on its line to roll back to", s.id))
            .hint("a hotfix patches a released version; fetch the tags (git fetch --tags)"),
    }
}

fn tests_pass(s: &Summary, config: &Config) -> RuleResult {
    let id = "tests-pass";
    if config.policy.test_command.trim().is_empty() {
        return RuleResult::new(
            id,
            Verdict::Skip,
            "opt-in: set policy.test-command to run the tests",
        );
    }
    let Some(t) = &s.tests_run else {
        return RuleResult::new(
            id,
            Verdict::Skip,
            "runs in `hotfix check` and `hotfix ship`",
        );
    };
    let tail = |text: &str| Item::about(Subject::Output, text);
    if !t.passed {
        return RuleResult::new(id, Verdict::Fail, format!("`{}` failed on the hotfix head", t.command))
            .items(vec![tail(&t.output_tail)])
            .hint("fix the failure (run the command yourself on the hotfix branch), or override with --override tests-pass --reason \"...\"");
    }
    match &t.before {
        None => RuleResult::new(
            id,
            Verdict::Pass,
            format!("`{}` passed on the hotfix head", t.command),
        ),
        Some(b) if !b.passed => RuleResult::new(
            id,
            Verdict::Pass,
            format!(
                "`{}` fails on {} with only the test changes ({}) and passes on the hotfix head: the test proves the fix",
                t.command,
                s.base.tag,
                b.tests.join(", ")
            ),
        ),
        Some(b) => RuleResult::new(
            id,
            Verdict::Fail,
            format!(
                "`{}` passes on {} with only the test changes{}: the test does not catch the bug",
                t.command,
                s.base.tag,
                if b.tests.is_empty() {
                    " (the hotfix changes no test file)".to_string()
                } else {
                    format!(" ({})", b.tests.join(", "))
                }
            ),
        )
        .items(vec![tail(&b.output_tail)])
        .hint(
            "make the regression test fail without the fix (policy.prove-regression asks for it)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(patterns: &[&str]) -> crate::config::Globs {
        crate::config::Globs::new(patterns.iter().map(|p| p.to_string()).collect()).unwrap()
    }

    fn person(n: &str, e: &str) -> Person {
        Person {
            name: n.into(),
            email: e.into(),
        }
    }

    fn commit(id: &str, prov: Provenance, paths: &[&str]) -> CommitSummary {
        CommitSummary {
            id: id.repeat(40 / id.len()),
            short: id.into(),
            subject: format!("commit {id}"),
            author: person("Ann Author", "ann@example.com"),
            provenance: prov,
            merge: None,
            paths: paths.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn change(path: &str, added: usize, deleted: usize, lines: &[&str]) -> FileChange {
        FileChange {
            path: path.into(),
            old_path: None,
            added,
            deleted,
            binary: false,
            added_lines: (1..).zip(lines.iter().map(|l| l.to_string())).collect(),
        }
    }

    fn clean_pick() -> Provenance {
        Provenance::Picked {
            source: "s".repeat(40),
            origin: "s".repeat(40),
            chain: vec![],
            clean: true,
            difference: None,
        }
    }

    fn summary() -> Summary {
        Summary {
            id: "v1.4.3".into(),
            base: BaseInfo {
                tag: "v1.4.2".into(),
                is_release: true,
                is_ancestor: true,
                riding: vec![],
            },
            head: "h".repeat(40),
            commits: vec![commit("a", clean_pick(), &["src/a.rs", "tests/a.rs"])],
            changes: vec![
                change("src/a.rs", 3, 1, &["x"]),
                change("tests/a.rs", 5, 0, &["#[test]"]),
            ],
            reviewers: vec![Reviewer {
                person: person("Rita Reviewer", "rita@example.com"),
                source: "flag".into(),
                verified: false,
                excluded: None,
            }],
            severity: None,
            approvals: Vec::new(),
            shipper: Some(person("Sam Shipper", "sam@example.com")),
            local_tag: LocalTag::Free,
            remote_tag: RemoteTag::Free,
            rollback_to: Some("v1.4.2".into()),
            tests_run: None,
            shipped_overrides: Vec::new(),
        }
    }

    fn verdict(e: &Evaluation, id: &str) -> Verdict {
        e.results.iter().find(|r| r.id == id).unwrap().verdict
    }

    #[test]
    fn a_good_hotfix_passes_every_rule() {
        let r = evaluate(&summary(), &Config::default(), &[]);
        assert!(r.passes(), "{r:#?}");
        assert_eq!(verdict(&r, "tests-pass"), Verdict::Skip);
        assert_eq!(r.results.len(), RULES.len());
    }

    #[test]
    fn size_limits_fail_above_the_limit_only() {
        let mut c = Config::default();
        c.policy.max_lines = 9;
        let r = evaluate(&summary(), &c, &[]);
        assert_eq!(verdict(&r, "max-lines"), Verdict::Pass); // 3 + 1 + 5 = 9
        c.policy.max_lines = 8;
        let r = evaluate(&summary(), &c, &[]);
        assert_eq!(verdict(&r, "max-lines"), Verdict::Fail);
        c.policy.size_ignore = globs(&["tests/**"]);
        let r = evaluate(&summary(), &c, &[]);
        assert_eq!(verdict(&r, "max-lines"), Verdict::Pass);
        c.policy.max_files = 0;
        assert_eq!(
            verdict(&evaluate(&summary(), &c, &[]), "max-files"),
            Verdict::Fail
        );
    }

    #[test]
    fn reviewer_who_is_author_or_shipper_does_not_count() {
        let mut s = summary();
        s.reviewers = vec![
            Reviewer {
                person: Person::parse("ann"),
                source: "flag".into(),
                verified: false,
                excluded: None,
            },
            Reviewer {
                person: Person::parse("Sam Shipper"),
                source: "trailer".into(),
                verified: false,
                excluded: None,
            },
        ];
        let r = evaluate(&s, &Config::default(), &[]);
        assert_eq!(verdict(&r, "reviewed"), Verdict::Fail);
        let rule = r.results.iter().find(|r| r.id == "reviewed").unwrap();
        assert!(rule.items[0].note.contains("author"));
        assert!(rule.items[1].note.contains("shipper"));
    }

    #[test]
    fn require_verified_review_refuses_flag_reviews() {
        let mut c = Config::default();
        c.policy.require_verified_review = true;
        assert_eq!(
            verdict(&evaluate(&summary(), &c, &[]), "reviewed"),
            Verdict::Fail
        );
    }

    fn approval(name: &str, email: &str, source: &str, verified: bool) -> Reviewer {
        Reviewer {
            person: person(name, email),
            source: source.into(),
            verified,
            excluded: None,
        }
    }

    fn approved_rule(s: &Summary, c: &Config) -> (Verdict, String, Vec<Counted>) {
        let e = evaluate(s, c, &[]);
        let r = e.results.iter().find(|r| r.id == "approved").unwrap();
        (r.verdict, r.detail.clone(), e.approvers)
    }

    #[test]
    fn approval_is_off_until_severities_are_decided() {
        let (v, detail, _) = approved_rule(&summary(), &Config::default());
        assert_eq!(v, Verdict::Skip);
        assert!(detail.contains("policy.hotfix-severities"), "{detail}");
    }

    #[test]
    fn a_severity_outside_the_list_needs_an_approver_who_is_not_the_shipper() {
        let mut c = Config::default();
        c.policy.hotfix_severities = Some(vec!["sev1".into(), "sev2".into()]);
        let mut s = summary();
        s.severity = Some("sev1".into());
        assert_eq!(approved_rule(&s, &c).0, Verdict::Pass);
        // sev3, and no severity at all, need an approval.
        s.severity = Some("sev3".into());
        let (v, detail, _) = approved_rule(&s, &c);
        assert_eq!(v, Verdict::Fail);
        assert!(detail.contains("sev3 is not a hotfix severity"), "{detail}");
        s.severity = None;
        assert_eq!(approved_rule(&s, &c).0, Verdict::Fail);
        // The shipper's own approval is refused; another person's counts.
        s.approvals = vec![approval("Sam Shipper", "sam@example.com", "flag", false)];
        let e = evaluate(&s, &c, &[]);
        let rule = e.results.iter().find(|r| r.id == "approved").unwrap();
        assert_eq!(rule.verdict, Verdict::Fail);
        assert!(
            rule.items[0].note.contains("the shipper"),
            "{:?}",
            rule.items
        );
        assert!(e.approvers.is_empty());
        s.approvals
            .push(approval("Erin Lead", "erin@example.com", "flag", false));
        let (v, _, approvers) = approved_rule(&s, &c);
        assert_eq!(v, Verdict::Pass);
        assert_eq!(approvers.len(), 1);
        assert_eq!(approvers[0].person.email, "erin@example.com");
        // The override bends it in the open.
        s.approvals.clear();
        let o = Override {
            rule: "approved".into(),
            reason: "the lead is unreachable".into(),
        };
        let e = evaluate(&s, &c, &[o]);
        assert_eq!(verdict(&e, "approved"), Verdict::Overridden);
        assert_eq!(e.overrides_applied.len(), 1);
    }

    #[test]
    fn approvers_list_and_verified_approval() {
        let mut c = Config::default();
        c.policy.hotfix_severities = Some(vec!["sev1".into()]);
        c.policy.approvers = vec!["Erin Lead <erin@example.com>".into(), "@boss".into()];
        let mut s = summary();
        s.severity = Some("sev2".into());
        // Not listed: does not count.
        s.approvals = vec![approval("Ola Other", "ola@example.com", "flag", false)];
        assert_eq!(approved_rule(&s, &c).0, Verdict::Fail);
        // Listed by identity, or as the same @login by hand.
        s.approvals = vec![approval("Erin Lead", "erin@example.com", "flag", false)];
        assert_eq!(approved_rule(&s, &c).0, Verdict::Pass);
        s.approvals = vec![approval("@boss", "", "flag", false)];
        assert_eq!(approved_rule(&s, &c).0, Verdict::Pass);
        // A GitHub login matches only an @login entry, never an identity by its name.
        s.approvals = vec![approval("erin", "", "github #7", true)];
        assert_eq!(approved_rule(&s, &c).0, Verdict::Fail);
        // Verified demanded: the flag no longer counts, the GitHub approval does.
        c.policy.require_verified_approval = true;
        s.approvals = vec![approval("@boss", "", "flag", false)];
        assert_eq!(approved_rule(&s, &c).0, Verdict::Fail);
        s.approvals = vec![approval("boss", "", "github #7", true)];
        let (v, _, approvers) = approved_rule(&s, &c);
        assert_eq!(v, Verdict::Pass);
        assert!(approvers[0].verified);
    }

    #[test]
    fn commit_without_trailer_fails_unless_release_paths_only() {
        let mut s = summary();
        s.commits
            .push(commit("b", Provenance::NoTrailer, &["CHANGELOG.md"]));
        let r = evaluate(&s, &Config::default(), &[]);
        assert_eq!(verdict(&r, "from-mainline"), Verdict::Fail);
        assert_eq!(verdict(&r, "release-paths"), Verdict::Fail);
        let mut c = Config::default();
        c.policy.release_paths = globs(&["CHANGELOG.md"]);
        let r = evaluate(&s, &c, &[]);
        assert_eq!(verdict(&r, "from-mainline"), Verdict::Pass);
        assert_eq!(verdict(&r, "release-paths"), Verdict::Pass);
    }

    #[test]
    fn modified_pick_warns_or_fails_by_config() {
        let mut s = summary();
        s.commits[0].provenance = Provenance::Picked {
            source: "s".repeat(40),
            origin: "s".repeat(40),
            chain: vec![],
            clean: false,
            difference: Some("-a\n+b".into()),
        };
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "from-mainline"),
            Verdict::Warn
        );
        let mut c = Config::default();
        c.policy.allow_modified = false;
        assert_eq!(
            verdict(&evaluate(&s, &c, &[]), "from-mainline"),
            Verdict::Fail
        );
    }

    #[test]
    fn override_turns_a_failure_into_overridden_only() {
        let mut s = summary();
        s.changes.pop();
        let o = vec![Override {
            rule: "regression-test".into(),
            reason: "test lands tomorrow".into(),
        }];
        let r = evaluate(&s, &Config::default(), &o);
        assert_eq!(verdict(&r, "regression-test"), Verdict::Overridden);
        assert!(r.passes());
        assert_eq!(r.overrides_applied.len(), 1);
        assert!(r.overrides_unused.is_empty());
        let o = vec![Override {
            rule: "scope".into(),
            reason: "x".into(),
        }];
        assert_eq!(
            verdict(&evaluate(&summary(), &Config::default(), &o), "scope"),
            Verdict::Pass
        );
    }

    #[test]
    fn regression_test_names_paths_and_markers() {
        let mut s = summary();
        s.changes = vec![change("src/lib.rs", 5, 0, &["    #[test]", "fn t() {}"])];
        let r = evaluate(&s, &Config::default(), &[]);
        let rule = r
            .results
            .iter()
            .find(|r| r.id == "regression-test")
            .unwrap();
        assert_eq!(rule.verdict, Verdict::Pass);
        assert!(rule.items[0].note.contains("#[test]"));
        s.changes = vec![change("src/lib.rs", 5, 0, &["x"])];
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "regression-test"),
            Verdict::Fail
        );
    }

    #[test]
    fn scope_denies_and_allows() {
        let mut c = Config::default();
        c.policy.deny = globs(&["migrations/**"]);
        let mut s = summary();
        s.changes.push(change("migrations/001.sql", 1, 0, &[]));
        assert_eq!(verdict(&evaluate(&s, &c, &[]), "scope"), Verdict::Fail);
        let mut c = Config::default();
        c.policy.allow = globs(&["src/**", "tests/**"]);
        assert_eq!(
            verdict(&evaluate(&summary(), &c, &[]), "scope"),
            Verdict::Pass
        );
        c.policy.allow = globs(&["src/**"]);
        assert_eq!(
            verdict(&evaluate(&summary(), &c, &[]), "scope"),
            Verdict::Fail
        );
    }

    #[test]
    fn base_and_tags() {
        let mut s = summary();
        s.base.riding = vec!["r".repeat(40)];
        let r = evaluate(&s, &Config::default(), &[]);
        assert_eq!(verdict(&r, "base-is-release"), Verdict::Fail);
        s.local_tag = LocalTag::Elsewhere;
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "version-free"),
            Verdict::Fail
        );
        s.local_tag = LocalTag::Free;
        s.remote_tag = RemoteTag::Elsewhere;
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "version-free"),
            Verdict::Fail
        );
        s.rollback_to = Some("v1.4.1".into());
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "rollback-target"),
            Verdict::Fail
        );
        s.rollback_to = None;
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "rollback-target"),
            Verdict::Fail
        );
    }

    #[test]
    fn evil_merge_fails_no_merges() {
        let mut s = summary();
        let mut m = commit("m", Provenance::Merge, &[]);
        m.merge = Some(MergeCheck {
            clean: false,
            detail: "carries changes".into(),
        });
        s.commits.push(m);
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "no-merges"),
            Verdict::Fail
        );
        s.commits.last_mut().unwrap().merge.as_mut().unwrap().clean = true;
        assert_eq!(
            verdict(&evaluate(&s, &Config::default(), &[]), "no-merges"),
            Verdict::Pass
        );
    }

    #[test]
    fn people_match_by_email_name_or_user() {
        let ann = person("Ann Author", "ann@example.com");
        assert!(Person::parse("ann@example.com").same_as(&ann));
        assert!(Person::parse("Ann Author").same_as(&ann));
        assert!(Person::parse("ann").same_as(&ann));
        assert!(Person::parse("ANN AUTHOR <other@x>").same_as(&ann));
        assert!(!Person::parse("bob").same_as(&ann));
    }
}
