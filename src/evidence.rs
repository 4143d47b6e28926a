//! What counts as a regression test in a diff, judged as the language means it.
//!
//! A change is a test when its path matches `policy.tests`, or when it adds, in a source file, a
//! line that starts a test the way its language does: `#[test]` or `@Test` before a function,
//! `func Test` or `def test_` at the start of a definition, `it(` and `test(` called with a
//! string (the test's name) at the start of a statement. A marker anywhere else in a line
//! (`t.Wait(`, `strings.Split(`, `os.Exit(`) is ordinary code, and prose or vendored files
//! never count, whatever they contain.

use crate::config::{Globs, Policy, VENDORED};
use crate::git::diff::FileChange;

/// Extensions of prose: a test marker quoted in documentation is not a test.
const PROSE: &[&str] = &[
    "md", "markdown", "mdx", "rst", "adoc", "asciidoc", "org", "rdoc", "textile", "pod",
];

/// Files named for prose whatever their extension (`CONTRIBUTING`, `README.txt`, ...).
const PROSE_NAMES: &[&str] = &[
    "readme",
    "contributing",
    "changelog",
    "changes",
    "history",
    "news",
    "license",
    "licence",
    "notice",
    "authors",
    "security",
    "code_of_conduct",
];

/// Extensions of the languages whose test markers are recognised (and their close kin).
const SOURCE: &[&str] = &[
    "rs", "py", "pyi", "go", "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "vue", "svelte",
    "java", "kt", "kts", "scala", "groovy", "cs", "fs", "vb", "rb", "php", "swift", "m", "mm", "c",
    "h", "cc", "cpp", "cxx", "hpp", "hh", "ex", "exs", "erl", "dart", "lua", "jl", "zig",
];

/// One thing in a diff that satisfies `regression-test`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestEvidence {
    /// The path matches the `policy.tests` glob `glob`.
    TestPath { path: String, glob: String },
    /// Line `line` of `path` (in the new file) starts a test with `marker`; `text` is the line.
    Marker {
        path: String,
        line: u32,
        marker: String,
        text: String,
    },
}

impl TestEvidence {
    pub fn path(&self) -> &str {
        match self {
            TestEvidence::TestPath { path, .. } | TestEvidence::Marker { path, .. } => path,
        }
    }

    /// Names the file, and the line for a marker: `pkg/server.go:42`.
    pub fn at(&self) -> String {
        match self {
            TestEvidence::TestPath { path, .. } => path.clone(),
            TestEvidence::Marker { path, line, .. } => format!("{path}:{line}"),
        }
    }

    /// Says what satisfied the rule, so a reviewer can see why it passed.
    pub fn describe(&self) -> String {
        match self {
            TestEvidence::TestPath { glob, .. } => format!("test path (matches {glob})"),
            TestEvidence::Marker {
                line, marker, text, ..
            } => format!("line {line} starts a test with {marker}: {}", text.trim()),
        }
    }
}

/// Lists what satisfies `regression-test` in `changes`, one item per file at most.
pub fn find(changes: &[FileChange], policy: &Policy) -> Vec<TestEvidence> {
    let mut out = Vec::new();
    for c in changes {
        if !may_count(&c.path) {
            continue;
        }
        // A test path counts when the change adds to it: deleting a test, changing its mode
        // or moving a file there is no new test.
        if let Some(glob) = policy.tests.matching(&c.path).filter(|_| c.added > 0) {
            out.push(TestEvidence::TestPath {
                path: c.path.clone(),
                glob: glob.to_string(),
            });
            continue;
        }
        if !is_source(&c.path) {
            continue;
        }
        let ext = extension(&c.path);
        let hit = c.added_lines.iter().find_map(|(line, text)| {
            policy
                .test_markers
                .iter()
                .filter(|m| languages(m).is_none_or(|l| l.contains(&ext.as_str())))
                .find(|m| starts_test(m, text))
                .map(|m| (*line, m, text))
        });
        if let Some((line, marker, text)) = hit {
            out.push(TestEvidence::Marker {
                path: c.path.clone(),
                line,
                marker: marker.clone(),
                text: text.clone(),
            });
        }
    }
    out
}

/// Tells whether a path matching `policy.tests` is a test: not prose, not vendored.
pub fn is_test_path(policy: &Policy, path: &str) -> bool {
    may_count(path) && policy.tests.is_match(path)
}

/// Dependency manifests and lock files: a `tests/go.mod` bump is not a test.
const MANIFESTS: &[&str] = &[
    "go.mod",
    "go.sum",
    "go.work",
    "go.work.sum",
    "Cargo.toml",
    "Cargo.lock",
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Gemfile",
    "Gemfile.lock",
    "composer.json",
    "composer.lock",
    "pyproject.toml",
    "poetry.lock",
    "Pipfile.lock",
    "requirements.txt",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
];

/// Tells whether a changed path may count as a test at all: not prose, not vendored, not a
/// dependency manifest.
fn may_count(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !is_prose(path) && !is_vendored(path) && !MANIFESTS.contains(&name)
}

/// Tells whether a path lies in a folder of vendored code.
pub fn is_vendored(path: &str) -> bool {
    static GLOBS: std::sync::LazyLock<Globs> = std::sync::LazyLock::new(|| {
        Globs::new(VENDORED.iter().map(|g| g.to_string()).collect())
            .expect("the vendored globs are valid")
    });
    GLOBS.is_match(path)
}

/// Tells whether a path is documentation: prose by extension or by name, or under `docs/`.
pub fn is_prose(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (name, ""),
    };
    let ext = ext.to_ascii_lowercase();
    PROSE.contains(&ext.as_str())
        || PROSE_NAMES.contains(&stem.to_ascii_lowercase().as_str())
        || path
            .split('/')
            .rev()
            .skip(1)
            .any(|d| d == "docs" || d == "doc")
}

/// Tells whether a path is source code in a language whose tests the markers describe.
fn is_source(path: &str) -> bool {
    SOURCE.contains(&extension(path).as_str())
}

/// A file's extension, lower-cased; empty for none (or a dot-file).
fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => e.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The languages (by extension) a built-in marker belongs to: `#[test]` is a comment in
/// Python, `func Test` means nothing in C. A marker from the configuration counts in any
/// source file.
fn languages(marker: &str) -> Option<&'static [&'static str]> {
    const JS: &[&str] = &[
        "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "vue", "svelte",
    ];
    Some(match marker {
        "#[test]" | "#[tokio::test]" | "#[rstest]" => &["rs"],
        "def test_" => &["py", "pyi"],
        "func Test" => &["go"],
        "func test" => &["swift"],
        "it(" | "test(" => JS,
        "@Test" | "@ParameterizedTest" => &["java", "kt", "kts", "scala", "groovy"],
        "[Fact]" | "[Theory]" | "[Test]" | "[TestMethod]" => &["cs", "fs", "vb"],
        _ => return None,
    })
}

/// Tells whether `line` starts a test with `marker`, as the language means it:
/// - the marker opens the statement (only indentation before it, or `async`/`export`/`pub`);
/// - a marker ending in `(` is a call whose first argument is a string: the test's name;
/// - a definition marker (`func Test`, `def test_`) goes on with the test's name, so
///   `func Test(x int)` is not one;
/// - an annotation that ends in a word (`@Test`) is the whole word, so `@Tested` is not one.
pub fn starts_test(marker: &str, line: &str) -> bool {
    let mut rest = line.trim_start_matches('\u{feff}').trim_start();
    // An attribute with arguments is the same attribute: `#[tokio::test(flavor = "...")]`,
    // `[Fact(DisplayName = "...")]`.
    if let Some(open) = marker.strip_suffix(']') {
        if let Some(args) = rest.strip_prefix(open) {
            if args.starts_with('(') {
                return true;
            }
        }
    }
    for prefix in ["async ", "export ", "pub "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.trim_start();
        }
    }
    let Some(after) = rest.strip_prefix(marker) else {
        return false;
    };
    match marker.chars().last() {
        Some('(') => after.trim_start().starts_with(['"', '\'', '`']),
        Some(c) if is_word(c) && marker.contains(' ') => after.starts_with(is_word),
        Some(c) if is_word(c) => !after.starts_with(is_word),
        _ => true,
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_count_only_where_a_test_starts() {
        for (marker, line) in [
            ("it(", "  it('rejects an empty cart', () => {"),
            ("it(", "it(\"works\", async () => {"),
            ("test(", "\ttest(`handles ${x}`, () => {})"),
            ("func Test", "func TestParseHeader(t *testing.T) {"),
            ("func Test", "func Test_parse(t *testing.T) {"),
            ("def test_", "    def test_refund(self):"),
            ("def test_", "async def test_refund():"),
            ("#[test]", "    #[test]"),
            ("@Test", "  @Test"),
            ("[Fact]", "        [Fact]"),
            ("[Fact]", "    [Fact(DisplayName = \"refund\")]"),
            (
                "#[tokio::test]",
                "#[tokio::test(flavor = \"multi_thread\")]",
            ),
            ("it(", "\u{feff}it(\"x\", () => {})"),
            ("func test", "    func testRefund() {"),
        ] {
            assert!(starts_test(marker, line), "{marker} in {line:?}");
        }
        for (marker, line) in [
            ("it(", "\tt.Wait()"),
            ("it(", "parts := strings.Split(s, \",\")"),
            ("it(", "os.Exit(1)"),
            ("it(", "submit(form)"),
            ("it(", "it(x)"),
            ("test(", "  regexTest(\"a\")"),
            ("test(", "// test(\"commented out\")"),
            ("func Test", "\tfuncTest := 1"),
            ("func Test", "func Test(x int) {"),
            ("def test_", "    x = def_test_value"),
            ("#[test]", "let s = \"#[test]\";"),
            ("@Test", "@Tested"),
        ] {
            assert!(!starts_test(marker, line), "{marker} in {line:?}");
        }
    }

    #[test]
    fn built_in_markers_count_only_in_their_language() {
        assert_eq!(languages("#[test]"), Some(&["rs"][..]));
        assert!(!languages("def test_").unwrap().contains(&"c"));
        assert!(languages("it(").unwrap().contains(&"tsx"));
        assert_eq!(languages("scenario("), None);
        assert_eq!(extension("Tests/App/CartTests.swift"), "swift");
        assert_eq!(extension(".gitkeep"), "");
    }

    #[test]
    fn prose_and_vendored_paths_never_count() {
        assert!(is_vendored("vendor/golang.org/x/net/CONTRIBUTING.md"));
        assert!(is_vendored("web/node_modules/left-pad/index.test.js"));
        assert!(is_vendored("third_party/abseil/absl/strings/str_test.cc"));
        assert!(!is_vendored("src/vendors.go"));
        assert!(!is_vendored("vendor"));
        assert!(is_prose("CONTRIBUTING.md"));
        assert!(is_prose("pkg/README"));
        assert!(is_prose("docs/guide/testing.go"));
        assert!(!is_prose("src/doc.go"));
        assert!(!is_prose("src/readme_parser.rs"));
        assert!(is_source("pkg/server/handler.go"));
        assert!(!is_source("Makefile"));
        assert!(!is_source(".go"));
        assert!(!may_count("tests/go.mod"));
        assert!(!may_count("tests/go.sum"));
        assert!(may_count("tests/e2e/watch_test.go"));
    }
}
