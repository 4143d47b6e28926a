//! The structure ARCHITECTURE.md promises, checked on the source itself: git2 stays inside
//! `src/git/`, no two modules import each other, and no command reaches into another command's
//! module. (clippy.toml's disallowed types guard the first one at compile time as well.)

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, with its text up to its unit tests.
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file is text");
                let code = match text.find("#[cfg(test)]") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                };
                out.push((path, code));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&root, &mut out);
    out.sort();
    out
}

/// The module a file is, as a path below `src/`: `ledger/store`, `commands/ship`, `git`.
fn module_of(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&root).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("/")
}

/// The modules a file names through `crate::` paths (in `use` lines and inline), at the depth
/// the checks compare: `commands/x` and the top-level modules, and `git/x`, `ledger/x` within
/// their folders.
fn imports(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut segs = path.split("::").filter(|s| !s.is_empty());
        let Some(first) = segs.next() else { continue };
        match (first, segs.next()) {
            ("commands" | "git" | "ledger", Some(second))
                if second.chars().all(|c| c.is_lowercase() || c == '_') =>
            {
                out.insert(format!("{first}/{second}"));
            }
            (first, _) => {
                out.insert(first.to_string());
            }
        }
    }
    // `use super::x` inside git/ and ledger/ names a sibling.
    out
}

/// The module graph: who imports whom. Importing a submodule of a folder (`git/diff`) also
/// counts as importing the folder's module (`git`) for the top-level comparison.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, code) in sources() {
        let me = module_of(&path);
        if me == "lib" || me == "main" {
            continue;
        }
        let mut targets = imports(&code);
        for line in code.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("use super::") {
                let parent = me.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !parent.is_empty() && name.chars().all(|c| c.is_lowercase() || c == '_') {
                    targets.insert(format!("{parent}/{name}"));
                }
            }
        }
        let top = me.split('/').next().unwrap_or("").to_string();
        for t in targets {
            let t_top = t.split('/').next().unwrap_or("").to_string();
            if t != me && !me.starts_with(&format!("{t}/")) {
                g.entry(me.clone()).or_default().insert(t.clone());
            }
            if t_top != top {
                g.entry(top.clone()).or_default().insert(t_top);
            }
        }
    }
    g
}

#[test]
fn git2_is_named_only_inside_src_git() {
    let mut found = Vec::new();
    for (path, code) in sources() {
        let m = module_of(&path);
        // The error conversion is the one use the boundary allows outside src/git/.
        if m == "git" || m.starts_with("git/") || m == "error" {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            if line.contains("git2::") || line.starts_with("use git2") {
                found.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "git2 outside src/git/:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let g = graph();
    let mut mutual = Vec::new();
    for (a, targets) in &g {
        for b in targets {
            if a < b && g.get(b).is_some_and(|t| t.contains(a)) {
                mutual.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(
        mutual.is_empty(),
        "modules that import each other:\n{}",
        mutual.join("\n")
    );
}

#[test]
fn no_command_calls_into_another_commands_module() {
    let mut found = Vec::new();
    for (path, code) in sources() {
        let me = module_of(&path);
        if !me.starts_with("commands/") {
            continue;
        }
        for t in imports(&code) {
            if t.starts_with("commands/") && t != me {
                found.push(format!("{me} uses {t}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_checks_see_the_modules_they_guard() {
    // A check that finds no modules would pass for the wrong reason.
    let g = graph();
    assert!(
        g.get("commands/ship")
            .is_some_and(|t| t.contains("context"))
    );
    assert!(g.get("ledger/store").is_some_and(|t| t.contains("git")));
    assert!(
        g.get("ledger/store")
            .is_some_and(|t| t.contains("ledger/index"))
    );
    assert!(sources().len() > 30);
}
