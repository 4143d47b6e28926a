//! Release tag patterns, semantic versions and release lines: pure arithmetic, no I/O.

use std::fmt;

use semver::Version;

use crate::error::{Error, Result};

/// A `MAJOR.MINOR` release line; a hotfix bumps PATCH on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Line {
    pub major: u64,
    pub minor: u64,
}

impl Line {
    /// Returns the line a version belongs to.
    pub fn of(v: &Version) -> Line {
        Line {
            major: v.major,
            minor: v.minor,
        }
    }

    /// Parses several lines as the user gave them, newest first, each once.
    pub fn parse_all(texts: &[String]) -> Result<Vec<Line>> {
        let mut lines = texts
            .iter()
            .map(|t| Line::parse(t))
            .collect::<Result<Vec<_>>>()?;
        lines.sort();
        lines.dedup();
        lines.reverse();
        Ok(lines)
    }

    /// Parses `X.Y` (a leading `v` is accepted, as users type it).
    pub fn parse(text: &str) -> Result<Line> {
        let t = text.trim().trim_start_matches('v');
        let bad = || {
            Error::usage(format!("'{text}' is not a release line"))
                .cause("a release line is MAJOR.MINOR, two whole numbers")
                .hint("pass it as --line 1.4")
        };
        let (a, b) = t.split_once('.').ok_or_else(bad)?;
        Ok(Line {
            major: a.parse().map_err(|_| bad())?,
            minor: b.parse().map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A pattern such as `v{version}` or `api/v{version}` that release tag names follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPattern {
    prefix: String,
    suffix: String,
}

impl TagPattern {
    /// Parses a pattern; it must hold `{version}` exactly once.
    pub fn parse(pattern: &str) -> std::result::Result<TagPattern, String> {
        let mut parts = pattern.split("{version}");
        let prefix = parts.next().unwrap_or_default();
        let suffix = parts.next().ok_or_else(|| {
            format!("'{pattern}' has no {{version}} placeholder (for example \"v{{version}}\")")
        })?;
        if parts.next().is_some() {
            return Err(format!("'{pattern}' has {{version}} more than once"));
        }
        if prefix.starts_with('/') || prefix.contains("..") || prefix.contains(['*', '?', '[', ' '])
        {
            return Err(format!("'{pattern}' is not usable as a tag name"));
        }
        Ok(TagPattern {
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
        })
    }

    /// Returns the text before `{version}`, which all release tags share (used as a ref glob).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Returns the tag name for a version.
    pub fn format(&self, v: &Version) -> String {
        format!("{}{}{}", self.prefix, v, self.suffix)
    }

    /// Returns the release version a tag name stands for, or `None` when the name does not
    /// follow the pattern or the version has a pre-release part (which is not a release).
    /// Build metadata is dropped: it never orders releases.
    pub fn release_version(&self, tag: &str) -> Option<Version> {
        let middle = tag.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        let mut v = Version::parse(middle).ok()?;
        if !v.pre.is_empty() {
            return None;
        }
        v.build = semver::BuildMetadata::EMPTY;
        Some(v)
    }

    /// Parses what a user typed as a version: a bare `1.4.3`, `v1.4.3`, or a full tag name.
    pub fn parse_user_version(&self, text: &str) -> Result<Version> {
        let t = text.trim();
        if let Some(v) = self.release_version(t) {
            return Ok(v);
        }
        let bare = t.strip_prefix('v').unwrap_or(t);
        match Version::parse(bare) {
            Ok(v) if v.pre.is_empty() => Ok(Version::new(v.major, v.minor, v.patch)),
            Ok(_) => Err(Error::usage(format!("'{text}' is a pre-release version"))
                .cause("a hotfix ships a release; versions with a pre-release part (1.4.3-rc.1) are not releases")
                .hint("give a plain MAJOR.MINOR.PATCH version, such as 1.4.3")),
            Err(e) => Err(Error::usage(format!("'{text}' is not a version"))
                .cause(e.to_string())
                .hint("give a semantic version such as 1.4.3, or a release line with --line 1.4")),
        }
    }
}

impl fmt::Display for TagPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{{version}}{}", self.prefix, self.suffix)
    }
}

/// Expands `{version}` and `{line}` in a branch pattern such as `hotfix/{version}`.
pub fn expand(pattern: &str, v: &Version) -> String {
    pattern
        .replace("{version}", &v.to_string())
        .replace("{line}", &Line::of(v).to_string())
}

/// Expands `{line}` in a pattern such as `release/{line}`.
pub fn expand_line(pattern: &str, line: Line) -> String {
    pattern.replace("{line}", &line.to_string())
}

/// Returns the version a branch name stands for under a pattern such as `hotfix/{version}`.
pub fn version_from_branch(pattern: &str, branch: &str) -> Option<Version> {
    let (pre, post) = pattern.split_once("{version}")?;
    let middle = branch.strip_prefix(pre)?.strip_suffix(post)?;
    let v = Version::parse(middle).ok()?;
    v.pre.is_empty().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn pattern_with_prefix_matches_only_its_tags() {
        let p = TagPattern::parse("api/v{version}").unwrap();
        assert_eq!(p.release_version("api/v1.4.2"), Some(v("1.4.2")));
        assert_eq!(p.release_version("v1.4.2"), None);
        assert_eq!(p.release_version("web/v1.4.2"), None);
        assert_eq!(p.format(&v("1.4.3")), "api/v1.4.3");
        assert_eq!(p.prefix(), "api/v");
    }

    #[test]
    fn pre_release_is_not_a_release_and_build_metadata_is_ignored() {
        let p = TagPattern::parse("v{version}").unwrap();
        assert_eq!(p.release_version("v1.4.3-rc.1"), None);
        assert_eq!(p.release_version("v1.4.3+build.7"), Some(v("1.4.3")));
        assert_eq!(p.release_version("v1.4"), None);
        assert_eq!(p.release_version("vfoo"), None);
    }

    #[test]
    fn pattern_without_placeholder_is_refused() {
        assert!(TagPattern::parse("release").is_err());
        assert!(TagPattern::parse("{version}-{version}").is_err());
        let p = TagPattern::parse("tokio-{version}").unwrap();
        assert_eq!(p.release_version("tokio-1.38.2"), Some(v("1.38.2")));
    }

    #[test]
    fn semver_order_is_not_string_order() {
        let mut vs = vec![v("1.10.0"), v("1.9.0"), v("1.2.10"), v("1.2.9")];
        vs.sort();
        assert_eq!(vs, vec![v("1.2.9"), v("1.2.10"), v("1.9.0"), v("1.10.0")]);
    }

    #[test]
    fn user_versions_accept_prefix_and_tag_forms() {
        let p = TagPattern::parse("api/v{version}").unwrap();
        assert_eq!(p.parse_user_version("1.4.3").unwrap(), v("1.4.3"));
        assert_eq!(p.parse_user_version("v1.4.3").unwrap(), v("1.4.3"));
        assert_eq!(p.parse_user_version("api/v1.4.3").unwrap(), v("1.4.3"));
        assert!(p.parse_user_version("1.4.3-rc.1").is_err());
        assert!(p.parse_user_version("banana").is_err());
    }

    #[test]
    fn lines_parse_and_branches_expand() {
        assert_eq!(Line::parse("1.4").unwrap(), Line { major: 1, minor: 4 });
        assert!(Line::parse("1").is_err());
        assert!(Line::parse("1.x").is_err());
        assert_eq!(expand("hotfix/{version}", &v("1.4.3")), "hotfix/1.4.3");
        assert_eq!(
            expand_line("release/{line}", Line::of(&v("1.4.3"))),
            "release/1.4"
        );
        assert_eq!(
            version_from_branch("hotfix/{version}", "hotfix/1.4.3"),
            Some(v("1.4.3"))
        );
        assert_eq!(version_from_branch("hotfix/{version}", "feature/x"), None);
    }
}
