//! `.hotfix.toml`: every key with its default, unknown keys refused with their line.
//!
//! The policy in force is mainline's: the file is read from the tip of mainline, not from the
//! working tree, so a hotfix branch cannot loosen its own policy. `--config FILE` reads a file
//! instead, for trying a change.

use std::path::Path;

use chrono::Duration;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::timeparse::parse_duration;
use crate::version::{Line, TagPattern};

/// The name of the configuration file at the repository root.
pub const FILE_NAME: &str = ".hotfix.toml";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub release: Release,
    pub policy: Policy,
    pub github: Github,
    pub report: Report,
    pub templates: Templates,
    pub deploy: Deploy,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Release {
    /// Release tag pattern; `{version}` stands for the semantic version.
    pub tag: TagPattern,
    /// Long-lived release branch per line; `{line}` stands for MAJOR.MINOR.
    pub branch: String,
    /// Branch where picks accumulate; `{version}` is the hotfix version.
    pub hotfix_branch: String,
    /// Mainline branch name; empty means the remote's HEAD branch, else main, else master.
    pub mainline: String,
    /// The remote that fetch, push and mainline detection use.
    pub remote: String,
    /// The branch that holds the ledger.
    pub ledger: String,
    /// The lines the team supports: `preview` judges them, `start --lines supported` starts
    /// them. A list of lines, or `"newest:N"`.
    pub supported: Supported,
}

impl Default for Release {
    fn default() -> Self {
        Release {
            tag: TagPattern::parse("v{version}").expect("the default pattern is valid"),
            branch: "release/{line}".into(),
            hotfix_branch: "hotfix/{version}".into(),
            mainline: String::new(),
            remote: "origin".into(),
            ledger: "hotfix-ledger".into(),
            supported: Supported::Newest(1),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    pub max_commits: u32,
    pub max_files: u32,
    pub max_lines: u32,
    pub size_ignore: Globs,
    pub allow: Globs,
    pub deny: Globs,
    pub release_paths: Globs,
    pub tests: Globs,
    pub test_markers: Vec<String>,
    pub min_reviewers: u32,
    pub require_verified_review: bool,
    pub allow_modified: bool,
    pub test_command: String,
    pub test_timeout: Span,
    /// Runs the test command on the base with only the hotfix's test changes applied, where it
    /// must fail, before running it on the head, where it must pass.
    pub prove_regression: bool,
    /// The severities decided in advance to be hotfixes; unset, the `approved` rule is off.
    /// A hotfix of another severity, or of none, needs an approver.
    pub hotfix_severities: Option<Vec<String>>,
    /// Who may approve: git identities (`Name <email>`, an email) or `@github-login`s. Empty
    /// means anyone but the shipper.
    pub approvers: Vec<String>,
    /// Count only approvals verified on GitHub.
    pub require_verified_approval: bool,
}

/// Folders where ecosystems keep code the project did not write: Go and PHP modules, npm and
/// Bower packages, CocoaPods, Carthage, Yarn's offline cache and bundled releases, and the
/// `third_party` convention of C, C++ and Bazel trees. Left out of the size limits by default,
/// and never evidence of a test.
pub const VENDORED: &[&str] = &[
    "**/vendor/**",
    "**/third_party/**",
    "**/third-party/**",
    "**/thirdparty/**",
    "**/node_modules/**",
    "**/bower_components/**",
    "**/jspm_packages/**",
    "**/Pods/**",
    "**/Carthage/Checkouts/**",
    "**/.yarn/cache/**",
    "**/.yarn/releases/**",
];

/// Lock files that package managers write: generated, so left out of the size limits.
const LOCKFILES: &[&str] = &[
    "**/*.lock",
    "**/package-lock.json",
    "**/npm-shrinkwrap.json",
    "**/pnpm-lock.yaml",
    "**/go.sum",
    "**/go.work.sum",
];

/// The built-in test markers; see `evidence::starts_test` for how a line must start.
const MARKERS: &[&str] = &[
    "#[test]",
    "#[tokio::test]",
    "#[rstest]",
    "def test_",
    "func Test",
    "func test",
    "it(",
    "test(",
    "@Test",
    "@ParameterizedTest",
    "[Fact]",
    "[Theory]",
    "[Test]",
    "[TestMethod]",
];

/// A default that earlier versions of `init` wrote into every `.hotfix.toml`: a key set to
/// exactly that value is most likely a pin nobody chose.
struct OldDefault {
    key: &'static str,
    old: &'static [&'static str],
    value: fn(&Policy) -> &[String],
}

const OLD_DEFAULTS: &[OldDefault] = &[
    OldDefault {
        key: "policy.size-ignore",
        old: &[
            "**/*.lock",
            "**/package-lock.json",
            "**/go.sum",
            "**/CHANGELOG.md",
        ],
        value: |p| p.size_ignore.patterns(),
    },
    OldDefault {
        key: "policy.test-markers",
        old: &[
            "#[test]",
            "#[tokio::test]",
            "def test_",
            "func Test",
            "it(",
            "test(",
            "@Test",
            "[Fact]",
        ],
        value: |p| &p.test_markers,
    },
];

impl Default for Policy {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        let g = |v: &[&str]| Globs::new(s(v)).expect("the default globs are valid");
        Policy {
            max_commits: 5,
            max_files: 10,
            max_lines: 200,
            size_ignore: g(&[LOCKFILES, VENDORED, &["**/CHANGELOG.md"]].concat()),
            allow: Globs::default(),
            deny: Globs::default(),
            release_paths: Globs::default(),
            tests: g(&[
                "**/tests/**",
                "**/test/**",
                "**/__tests__/**",
                "**/spec/**",
                "**/*_test.*",
                "**/test_*.*",
                "**/*.test.*",
                "**/*.spec.*",
                "**/*Test.java",
                "**/*Tests.cs",
                "**/Tests/**",
                "**/*Tests.swift",
            ]),
            test_markers: s(MARKERS),
            min_reviewers: 1,
            require_verified_review: false,
            allow_modified: true,
            test_command: String::new(),
            test_timeout: Span::parse("30m").expect("the default is a duration"),
            prove_regression: false,
            hotfix_severities: None,
            approvers: Vec::new(),
            require_verified_approval: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Github {
    /// `owner/name`; empty means parsed from the remote's URL.
    pub repo: String,
    /// Reviewers requested on the hotfix pull request (GitHub logins).
    pub reviewers: Vec<String>,
    /// Labels put on the hotfix pull request.
    pub labels: Vec<String>,
    /// Comments "picked into vX.Y.Z" on each source pull request when the hotfix ships.
    pub comment_on_source: bool,
}

impl Default for Github {
    fn default() -> Self {
        Github {
            repo: String::new(),
            reviewers: Vec::new(),
            labels: vec!["hotfix".into()],
            comment_on_source: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Report {
    pub timezone: String,
    pub target: Span,
    pub warn: u32,
    pub alarm: u32,
    /// The team's working hours, `HH:MM-HH:MM` in `timezone`: ships outside them count as
    /// on-call load out of hours.
    pub working_hours: String,
    /// The working days (`Mon` .. `Sun`, or their full names).
    pub working_days: Vec<String>,
}

impl Default for Report {
    fn default() -> Self {
        Report {
            timezone: "UTC".into(),
            target: Span::parse("2h").expect("the default is a duration"),
            warn: 5,
            alarm: 10,
            working_hours: "09:00-18:00".into(),
            working_days: ["Mon", "Tue", "Wed", "Thu", "Fri"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// How the team deploys (`[deploy]`): the commands `hotfix deploy` runs, read from mainline
/// only, and the times it allows them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Deploy {
    /// In order: each needs the one before it verified.
    pub environments: Vec<String>,
    /// Deploys the version in `HOTFIX_TAG` (run through `sh -c`).
    pub command: String,
    /// Exits 0 when the expected version is serving and healthy.
    pub health_check: String,
    /// For each run of `command` or `rollback-command`.
    pub timeout: Span,
    pub health_timeout: Span,
    pub health_interval: Span,
    /// Keep checking this long after the first healthy answer.
    pub validate_for: Span,
    /// Default: `command`, run with the rollback target's variables.
    pub rollback_command: String,
    pub auto_rollback: bool,
    /// Keep a redacted tail of each command's output in the event.
    pub record_output: bool,
}

impl Deploy {
    /// The last environment: production, whose deploys and rollbacks the metrics count.
    pub fn production(&self) -> &str {
        self.environments
            .last()
            .map(String::as_str)
            .unwrap_or("production")
    }
}

impl Default for Deploy {
    fn default() -> Self {
        let span = |t: &str| Span::parse(t).expect("the default is a duration");
        Deploy {
            environments: vec!["production".into()],
            command: String::new(),
            health_check: String::new(),
            timeout: span("30m"),
            health_timeout: span("5m"),
            health_interval: span("10s"),
            validate_for: span("0s"),
            rollback_command: String::new(),
            auto_rollback: true,
            record_output: true,
        }
    }
}

impl Deploy {
    /// The environment a command names, or the last one (production, usually) by default.
    pub fn environment(&self, named: Option<&str>) -> Option<&str> {
        match named {
            Some(n) => self
                .environments
                .iter()
                .map(String::as_str)
                .find(|e| *e == n),
            None => self.environments.last().map(String::as_str),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Templates {
    /// Folder, relative to the repository root, whose files override the built-in templates.
    pub dir: String,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            dir: ".hotfix/templates".into(),
        }
    }
}

/// Where the configuration in force came from: for messages, and for the `policy` that a
/// `shipped` event records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// No `.hotfix.toml` on mainline (whose tip is `commit`, when there is a mainline).
    Default { commit: Option<String> },
    /// `.hotfix.toml` at the tip of mainline: the commit, the file's blob, and the SHA-256 of
    /// its bytes (`sha256:<hex>`).
    Mainline {
        branch: String,
        commit: String,
        blob: String,
        digest: String,
    },
    /// `--config FILE`, with the SHA-256 of its bytes.
    File { path: String, digest: String },
}

/// Returns `sha256:<hex>` of some bytes: how the ledger names a configuration file's content
/// independently of git.
pub fn digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hash {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default { .. } => write!(f, "built-in defaults (no {FILE_NAME} on mainline)"),
            Source::Mainline { branch, .. } => write!(f, "{FILE_NAME} on {branch}"),
            Source::File { path, .. } => write!(f, "{path}"),
        }
    }
}

impl Config {
    /// Parses and validates configuration text; `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map(|s| line_col(text, s.start))
                .unwrap_or((0, 0));
            let what = e.message().trim_end().to_string();
            let key = e
                .span()
                .map(|s| text[s.clone()].trim().to_string())
                .filter(|k| !k.is_empty() && k.len() < 60);
            // A value our own types refused is named by its key, as `validate` names others.
            if let Some(why) = what.strip_prefix(BAD_VALUE) {
                let name = key_at_line(text, line).map(|(section, key)| format!("{section}.{key}"));
                let (what, fix) = match &name {
                    Some(n) => (format!(" for {n}"), n.clone()),
                    None => (String::new(), "the line".to_string()),
                };
                let at = if line > 0 {
                    format!("{origin}:{line}")
                } else {
                    origin.to_string()
                };
                return Error::usage(format!("{at}: bad value{what}"))
                    .cause(why.to_string())
                    .hint(format!("fix {fix} in {origin}"));
            }
            let message = match key {
                Some(k) => format!("{origin}:{line}:{col}: bad configuration at `{k}`"),
                None => format!("{origin}:{line}:{col}: bad configuration"),
            };
            Error::usage(message)
                .cause(what)
                .hint(format!(
                    "fix the line in {origin}; `hotfix init` writes a commented file with every key and its default"
                ))
        })?;
        config.validate(text, origin)?;
        Ok(config)
    }

    /// Checks values that the types alone do not: patterns, globs, durations.
    fn validate(&self, text: &str, origin: &str) -> Result<()> {
        let bad = |section: &str, key: &str, why: String| {
            let line = line_of_key(text, section, key)
                .map(|l| format!(":{l}"))
                .unwrap_or_default();
            Error::usage(format!("{origin}{line}: bad value for {section}.{key}"))
                .cause(why)
                .hint(format!("fix {section}.{key} in {origin}"))
        };
        if !self.release.hotfix_branch.contains("{version}") {
            return Err(bad(
                "release",
                "hotfix-branch",
                format!(
                    "'{}' has no {{version}} placeholder",
                    self.release.hotfix_branch
                ),
            ));
        }
        if !self.release.branch.contains("{line}") {
            return Err(bad(
                "release",
                "branch",
                format!("'{}' has no {{line}} placeholder", self.release.branch),
            ));
        }
        for (name, value) in [
            ("hotfix-branch", &self.release.hotfix_branch),
            ("branch", &self.release.branch),
            ("ledger", &self.release.ledger),
        ] {
            let probe = value.replace("{version}", "1.2.3").replace("{line}", "1.2");
            if !crate::git::is_valid_branch_name(&probe) {
                return Err(bad(
                    "release",
                    name,
                    format!("'{value}' is not a valid branch name"),
                ));
            }
        }
        if self.release.remote.trim().is_empty() {
            return Err(bad("release", "remote", "the remote name is empty".into()));
        }
        if let Err(why) =
            crate::metrics::WorkWeek::parse(&self.report.working_hours, &self.report.working_days)
        {
            let key = if why.contains("day") {
                "working-days"
            } else {
                "working-hours"
            };
            return Err(bad("report", key, why));
        }
        if self.report.warn > self.report.alarm {
            return Err(bad(
                "report",
                "warn",
                format!(
                    "warn ({}) is above alarm ({}); warn marks the lower threshold",
                    self.report.warn, self.report.alarm
                ),
            ));
        }
        if self.policy.test_timeout.duration() <= Duration::zero() {
            return Err(bad(
                "policy",
                "test-timeout",
                format!(
                    "'{}' gives the tests no time; a timeout is a duration such as 30m",
                    self.policy.test_timeout.text
                ),
            ));
        }
        if let Some(m) = self
            .policy
            .test_markers
            .iter()
            .find(|m| m.trim().is_empty() || m.trim() != m.as_str())
        {
            return Err(bad(
                "policy",
                "test-markers",
                format!(
                    "marker '{m}' is empty or has spaces around it; a marker is how a test's line starts, such as \"func Test\""
                ),
            ));
        }
        self.check_approval(&bad)?;
        self.check_deploy(&bad)?;
        if !self.github.repo.is_empty() && self.github.repo.split('/').count() != 2 {
            return Err(bad(
                "github",
                "repo",
                format!("'{}' is not owner/name", self.github.repo),
            ));
        }
        Ok(())
    }

    /// Checks the keys of the `approved` rule: plain names, and a verified approval that some
    /// listed GitHub login could give.
    fn check_approval(&self, bad: &dyn Fn(&str, &str, String) -> Error) -> Result<()> {
        let p = &self.policy;
        let plain = |v: &String| !v.trim().is_empty() && crate::text::single_line(v).is_ok();
        if let Some(v) = p.hotfix_severities.iter().flatten().find(|v| !plain(v)) {
            return Err(bad(
                "policy",
                "hotfix-severities",
                format!(
                    "'{}' is empty or not one line; a severity is a name such as \"sev1\"",
                    crate::text::single_line_view(v)
                ),
            ));
        }
        if let Some(v) = p.approvers.iter().find(|v| !plain(v)) {
            return Err(bad(
                "policy",
                "approvers",
                format!(
                    "'{}' is empty or not one line; an approver is \"Name <email>\", an email or \"@github-login\"",
                    crate::text::single_line_view(v)
                ),
            ));
        }
        if p.require_verified_approval && !p.approvers.iter().any(|a| a.starts_with('@')) {
            return Err(bad(
                "policy",
                "require-verified-approval",
                "only a GitHub approval by a listed @login is verified, and policy.approvers lists none".into(),
            ));
        }
        Ok(())
    }

    /// Checks `[deploy]`: environments named plainly and once each, and times that give the
    /// commands room (`bad` builds the error with the key's line).
    fn check_deploy(&self, bad: &dyn Fn(&str, &str, String) -> Error) -> Result<()> {
        let d = &self.deploy;
        if d.environments.is_empty() {
            return Err(bad(
                "deploy",
                "environments",
                "the list is empty; name at least one, such as [\"production\"]".into(),
            ));
        }
        for (i, e) in d.environments.iter().enumerate() {
            let plain = !e.is_empty()
                && e.len() <= 64
                && e.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !plain {
                return Err(bad(
                    "deploy",
                    "environments",
                    format!(
                        "'{}' is not a plain name: letters, digits, '-', '_' and '.', up to 64 (it goes into events and HOTFIX_ENV)",
                        crate::text::single_line_view(e)
                    ),
                ));
            }
            if d.environments[..i].contains(e) {
                return Err(bad(
                    "deploy",
                    "environments",
                    format!("'{e}' is named twice; the list is an order, each environment once"),
                ));
            }
        }
        for (key, span) in [
            ("timeout", &d.timeout),
            ("health-timeout", &d.health_timeout),
            ("health-interval", &d.health_interval),
        ] {
            if span.duration() <= Duration::zero() {
                return Err(bad(
                    "deploy",
                    key,
                    format!(
                        "'{}' allows no time; it is a duration such as 30s or 5m",
                        span.text
                    ),
                ));
            }
        }
        if d.health_interval.duration() > d.health_timeout.duration() {
            return Err(bad(
                "deploy",
                "health-interval",
                format!(
                    "'{}' is longer than health-timeout ('{}'): the health check would run once",
                    d.health_interval.text, d.health_timeout.text
                ),
            ));
        }
        if d.validate_for.duration() < Duration::zero() {
            return Err(bad(
                "deploy",
                "validate-for",
                format!("'{}' is negative", d.validate_for.text),
            ));
        }
        Ok(())
    }

    /// Names the keys set to exactly a default that earlier versions of `init` wrote, each with
    /// today's default: such a key pins the repository to the old behaviour without anyone
    /// having chosen it.
    pub fn old_defaults(&self) -> Vec<(&'static str, Vec<String>)> {
        let now = Policy::default();
        OLD_DEFAULTS
            .iter()
            .filter(|d| (d.value)(&self.policy) == d.old)
            .map(|d| (d.key, (d.value)(&now).to_vec()))
            .collect()
    }

    /// Reads a configuration file from disk (`--config FILE`), with where it came from.
    pub fn from_file(path: &Path) -> Result<(Config, Source)> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::usage(format!(
                "cannot read the configuration file {}",
                path.display()
            ))
            .cause(e.to_string())
            .hint("check the path given to --config")
        })?;
        let config = Config::parse(&text, &path.display().to_string())?;
        Ok((
            config,
            Source::File {
                path: path.display().to_string(),
                digest: digest(text.as_bytes()),
            },
        ))
    }
}

/// Starts the message of an error that a value's own type raises while the file is read, so
/// `Config::parse` can name the key and line the way `validate` does.
const BAD_VALUE: &str = "bad value: ";

fn bad_value<E: serde::de::Error>(why: impl std::fmt::Display) -> E {
    E::custom(format!("{BAD_VALUE}{why}"))
}

/// A list of globs compiled once, when the configuration is read. The patterns are kept for
/// messages (`matching` names the one a path matched).
#[derive(Debug, Clone, Default)]
pub struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
    /// The pattern each glob of `set` came from (a bare directory adds a second glob).
    origin: Vec<usize>,
}

impl Globs {
    /// Compiles the patterns; see `build_globs`.
    pub fn new(patterns: Vec<String>) -> std::result::Result<Globs, String> {
        let (set, origin) = build_globs(&patterns)?;
        Ok(Globs {
            patterns,
            set,
            origin,
        })
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }

    /// The first pattern that matches `path`, in the order the file lists them.
    pub fn matching(&self, path: &str) -> Option<&str> {
        let first = self
            .set
            .matches(path)
            .into_iter()
            .map(|i| self.origin[i])
            .min()?;
        Some(&self.patterns[first])
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

impl Serialize for Globs {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.patterns.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Globs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Globs::new(Vec::<String>::deserialize(d)?).map_err(bad_value)
    }
}

/// A duration such as `30m` or `2h`, parsed once when the configuration is read; the text is
/// kept as written.
#[derive(Debug, Clone)]
pub struct Span {
    text: String,
    value: Duration,
}

impl Span {
    pub fn parse(text: &str) -> std::result::Result<Span, String> {
        match parse_duration(text) {
            Some(value) => Ok(Span {
                text: text.to_string(),
                value,
            }),
            None => Err(format!("'{text}' is not a duration such as 30m or 2h")),
        }
    }

    pub fn duration(&self) -> Duration {
        self.value
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.text.serialize(s)
    }
}

/// `release.supported`: the lines named, or the newest N lines that have a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Supported {
    Lines(Vec<Line>),
    Newest(usize),
}

impl Supported {
    /// Picks the supported lines among those with a release (`known`, any order), newest
    /// first. A named line without a release is left out here; `preview` says so.
    pub fn choose(&self, known: &[Line]) -> Vec<Line> {
        let mut known = known.to_vec();
        known.sort();
        known.dedup();
        known.reverse();
        match self {
            Supported::Newest(n) => known.into_iter().take(*n).collect(),
            Supported::Lines(lines) => {
                let mut out = lines.clone();
                out.sort();
                out.dedup();
                out.reverse();
                out
            }
        }
    }

    /// How many lines it names (`newest:N` names N).
    pub fn count(&self) -> usize {
        match self {
            Supported::Lines(l) => l.len(),
            Supported::Newest(n) => *n,
        }
    }
}

impl Serialize for Supported {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Supported::Newest(n) => format!("newest:{n}").serialize(s),
            Supported::Lines(l) => l
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Supported {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            List(Vec<String>),
        }
        let why = |t: &str| {
            format!("'{t}' is neither a list of lines such as [\"2.2\", \"2.1\"] nor \"newest:N\"")
        };
        match Raw::deserialize(d)? {
            Raw::Text(t) => match t.strip_prefix("newest:").map(str::parse::<usize>) {
                Some(Ok(n)) if (1..=100).contains(&n) => Ok(Supported::Newest(n)),
                _ => Err(bad_value(why(&t))),
            },
            Raw::List(items) => {
                let mut lines = Vec::new();
                for i in &items {
                    lines.push(Line::parse(i).map_err(|_| bad_value(why(i)))?);
                }
                if lines.is_empty() {
                    return Err(bad_value(
                        "the list is empty; name at least one line, or \"newest:1\"",
                    ));
                }
                Ok(Supported::Lines(lines))
            }
        }
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Span::parse(&String::deserialize(d)?).map_err(bad_value)
    }
}

impl Serialize for TagPattern {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_string().serialize(s)
    }
}

impl<'de> Deserialize<'de> for TagPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        TagPattern::parse(&String::deserialize(d)?).map_err(bad_value)
    }
}

/// Compiles a list of globs; `**/x` also matches `x` at the root, as users expect. Returns the
/// set and, for each of its globs, the index of the pattern it came from.
fn build_globs(globs: &[String]) -> std::result::Result<(GlobSet, Vec<usize>), String> {
    let mut b = GlobSetBuilder::new();
    let mut origin = Vec::new();
    for (i, g) in globs.iter().enumerate() {
        let glob = globset::GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("'{g}' is not a valid glob: {e}"))?;
        b.add(glob);
        origin.push(i);
        // A bare directory name means everything below it.
        if !g.contains(['*', '?', '[']) && !g.contains('.') {
            let below = format!("{}/**", g.trim_end_matches('/'));
            b.add(Glob::new(&below).map_err(|e| format!("'{g}' is not a valid glob: {e}"))?);
            origin.push(i);
        }
    }
    Ok((b.build().map_err(|e| e.to_string())?, origin))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    (line, col)
}

/// Finds the section and key set on a line, for messages about values.
fn key_at_line(text: &str, line: usize) -> Option<(String, String)> {
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if let Some(name) = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_string();
        } else if i + 1 == line {
            let (k, _) = l.split_once('=')?;
            return Some((current, k.trim().trim_matches('"').to_string()));
        }
    }
    None
}

/// Finds the line where `key` is set inside `[section]`, for messages about values.
fn line_of_key(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_string();
            continue;
        }
        if current == section {
            if let Some((k, _)) = line.split_once('=') {
                if k.trim().trim_matches('"') == key {
                    return Some(i + 1);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_every_default() {
        let c = Config::parse("", "t").unwrap();
        assert_eq!(c.release.tag.to_string(), "v{version}");
        assert_eq!(c.policy.max_lines, 200);
        assert_eq!(c.report.alarm, 10);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err =
            Config::parse("[policy]\nmax-lines = 10\nmax-line = 5\n", ".hotfix.toml").unwrap_err();
        let text = err.to_string();
        assert!(text.contains(".hotfix.toml:3:"), "{text}");
        assert!(text.contains("max-line"), "{text}");
    }

    #[test]
    fn unknown_section_is_refused() {
        let err = Config::parse("[polcy]\n", "f").unwrap_err();
        assert!(err.to_string().contains("polcy"), "{err}");
    }

    #[test]
    fn bad_values_name_key_and_line() {
        let err = Config::parse("[release]\n\ntag = \"release\"\n", "f").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("f:3: bad value for release.tag"), "{text}");
        let err = Config::parse("[policy]\nmax-lines = -3\n", "f").unwrap_err();
        assert!(err.to_string().contains("f:2:"), "{err}");
        let err = Config::parse("[policy]\ndeny = [\"a/[\"]\n", "f").unwrap_err();
        assert!(err.to_string().contains("policy.deny"), "{err}");
        let err = Config::parse("[report]\ntarget = \"soon\"\n", "f").unwrap_err();
        assert!(err.to_string().contains("report.target"), "{err}");
    }

    #[test]
    fn the_commented_init_file_spells_out_every_default() {
        let text = include_str!("../templates/hotfix.toml");
        // A new repository decides its hotfix severities; nothing else is pinned.
        let mut written = Config::default();
        written.policy.hotfix_severities = Some(vec!["sev1".into(), "sev2".into()]);
        let default = serde_json::to_value(&written).unwrap();
        // As written, every other key is commented: the file pins nothing else.
        let c = Config::parse(text, "t").unwrap();
        assert_eq!(serde_json::to_value(&c).unwrap(), default);
        let set: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(" = ") && !l.starts_with('#'))
            .collect();
        assert_eq!(set, ["hotfix-severities = [\"sev1\", \"sev2\"]"]);
        // Uncommented, every key shows today's default, and every key is there.
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(k)
                    if k.split(" = ").next().is_some_and(|k| {
                        !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    }) && k.contains(" = ") =>
                {
                    k.to_string()
                }
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let keys = uncommented
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .count();
        assert!(text.contains("\n# approvers = []\n"));
        let c = Config::parse(&uncommented, "t").unwrap();
        assert_eq!(serde_json::to_value(&c).unwrap(), default);
        let all: usize = default
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_object().unwrap().len())
            .sum();
        assert_eq!(keys, all, "every key is in the file");
        assert!(c.old_defaults().is_empty());
    }

    #[test]
    fn keys_pinned_to_an_old_default_are_named_with_the_new_one() {
        let c = Config::parse(
            "[policy]\nsize-ignore = [\"**/*.lock\", \"**/package-lock.json\", \"**/go.sum\", \"**/CHANGELOG.md\"]\n",
            "f",
        )
        .unwrap();
        let old = c.old_defaults();
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].0, "policy.size-ignore");
        assert!(old[0].1.contains(&"**/vendor/**".to_string()));
        let c = Config::parse("[policy]\nsize-ignore = [\"**/*.lock\"]\n", "f").unwrap();
        assert!(c.old_defaults().is_empty(), "a chosen value is not noted");
        let err = Config::parse("[policy]\ntest-timeout = \"0s\"\n", "f").unwrap_err();
        assert!(
            err.to_string()
                .contains("f:2: bad value for policy.test-timeout"),
            "{err}"
        );
        let err = Config::parse("[policy]\ntest-markers = [\"\"]\n", "f").unwrap_err();
        assert!(
            err.to_string()
                .contains("f:2: bad value for policy.test-markers"),
            "{err}"
        );
    }

    #[test]
    fn globs_treat_bare_directories_as_trees() {
        let g = Globs::new(vec!["docs".into(), "**/*.md".into()]).unwrap();
        assert!(g.is_match("docs/a/b.txt"));
        assert_eq!(g.matching("docs/a/b.txt"), Some("docs"));
        assert_eq!(g.matching("a/README.md"), Some("**/*.md"));
        assert!(g.is_match("README.md"));
        assert!(g.is_match("a/README.md"));
        assert!(!g.is_match("src/main.rs"));
    }
}
