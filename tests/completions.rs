//! The scripts in completions/ are what the binary generates: a stale script fails this test.
//! Regenerate them with `UPDATE_COMPLETIONS=1 cargo test --test completions`.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::Command;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "hotfix.bash"),
    ("zsh", "_hotfix"),
    ("fish", "hotfix.fish"),
    ("elvish", "hotfix.elv"),
    ("powershell", "_hotfix.ps1"),
];

#[test]
fn completion_scripts_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("UPDATE_COMPLETIONS").is_some();
    for (shell, file) in SHELLS {
        let out = Command::new(env!("CARGO_BIN_EXE_hotfix"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(!out.stdout.is_empty(), "{shell}");
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &out.stdout).unwrap();
            continue;
        }
        let kept = std::fs::read(&path).unwrap_or_default();
        assert!(
            kept == out.stdout,
            "completions/{file} is stale; regenerate with UPDATE_COMPLETIONS=1 cargo test --test completions"
        );
    }
}

#[test]
fn man_page_renders() {
    let out = Command::new(env!("CARGO_BIN_EXE_hotfix"))
        .arg("man")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.contains(".TH hotfix"),
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(text.contains("start"));
}
