//! The HTML report opened in headless Chromium: the page renders and the chart's bars and
//! threshold lines are drawn (their colours are found in the screenshot). `.ci/run` installs
//! Debian's chromium and sets HOTFIX_REQUIRE_BROWSER=1, so there the test cannot be skipped.

// Test code: helpers outside #[test] functions unwrap and print too (the lints guard src/).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::Sandbox;

fn browser() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// Counts pixels within a small distance of a colour.
fn count_colour(png: &Path, rgb: (u8, u8, u8)) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(step)
        .filter(|px| {
            let d = |a: u8, b: u8| (a as i32 - b as i32).abs();
            d(px[0], rgb.0) < 12 && d(px[1], rgb.1) < 12 && d(px[2], rgb.2) < 12
        })
        .count()
}

#[test]
fn the_html_report_renders_its_chart_in_chromium() {
    let Some(chromium) = browser() else {
        assert!(
            std::env::var_os("HOTFIX_REQUIRE_BROWSER").is_none(),
            "HOTFIX_REQUIRE_BROWSER is set but no chromium is installed"
        );
        eprintln!("skipped: no chromium on PATH (apt-get install chromium); .ci/run installs it");
        return;
    };
    let s = Sandbox::empty();
    s.commit(&[("a", "a\n")], "init");
    s.git(&["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    // 1, 3 and 7 hotfixes in three months: healthy, elevated, warn (above 5).
    let mut n = 1;
    for (month, count) in [("2026-01", 1), ("2026-02", 3), ("2026-03", 7)] {
        for i in 0..count {
            s.commit(&[("a", &format!("{n}\n"))], "change");
            let name = format!("v1.0.{n}");
            let date = format!("{month}-{:02}T12:00:00Z", i + 1);
            s.git_at(&date, &["tag", "-a", &name, "-m", &name]);
            n += 1;
        }
    }
    // A minor release hotfixed five days later: its release-quality cell is purple.
    s.commit(&[("b", "b\n")], "minor");
    s.git_at(
        "2026-01-10T12:00:00Z",
        &["tag", "-a", "v1.1.0", "-m", "v1.1.0"],
    );
    s.commit(&[("b", "fixed\n")], "fix");
    s.git_at(
        "2026-01-15T12:00:00Z",
        &["tag", "-a", "v1.1.1", "-m", "v1.1.1"],
    );
    // Two of February's releases have records: detected, shipped, verified (recovery 1h45m
    // and 50m), so the recovery chart has bars.
    let record = |id: &str, day: &str, verified: &str| {
        let ev = |kind: &str, at: &str, extra: &str| {
            format!(
                "{{\"schema\":1,\"type\":\"{kind}\",\"id\":\"{id}\",\"at\":\"2026-02-{day}T{at}:00Z\",\"by\":\"Olga <olga@example.com>\"{extra}}}\n"
            )
        };
        let version = id.trim_start_matches('v');
        [
            ev(
                "started",
                "11:00",
                &format!(",\"base\":\"v1.0.1\",\"base_commit\":\"00\",\"branch\":\"hotfix/{version}\",\"version\":\"{version}\",\"line\":\"1.0\",\"incident\":null,\"severity\":\"sev1\",\"detected_at\":\"2026-02-{day}T10:15:00Z\",\"summary\":null"),
            ),
            ev("shipped", "11:30", &format!(",\"tag\":\"{id}\"")),
            ev("verified", verified, ",\"note\":null"),
        ]
        .concat()
    };
    let blob = |text: &str| s.git_in_stdin(&["hash-object", "-w", "--stdin"], text);
    let records = s.git_in_stdin(
        &["mktree"],
        &format!(
            "100644 blob {}\tv1.0.2.jsonl\n100644 blob {}\tv1.0.3.jsonl\n",
            blob(&record("v1.0.2", "01", "12:00")),
            blob(&record("v1.0.3", "02", "11:05")),
        ),
    );
    let root = s.git_in_stdin(&["mktree"], &format!("040000 tree {records}\trecords\n"));
    let commit = s.git(&["commit-tree", &root, "-m", "ledger"]);
    s.git(&["update-ref", "refs/heads/hotfix-ledger", &commit]);
    let html = s.home().join("report.html");
    s.hotfix(&[
        "report",
        "--format",
        "html",
        "--since",
        "2026-01",
        "--until",
        "2026-03",
        "--output",
        html.to_str().unwrap(),
    ])
    .ok();
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=900,2200",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(shot.exists(), "chromium wrote no screenshot");
    eprintln!("screenshot: {}", shot.display());
    // Bars: blue for healthy and elevated months, amber for the month above warn.
    let blue = count_colour(&shot, (0x25, 0x63, 0xeb));
    let amber = count_colour(&shot, (0xd9, 0x77, 0x06));
    let red = count_colour(&shot, (0xdc, 0x26, 0x26));
    assert!(blue > 2_000, "the blue bars were not drawn ({blue} pixels)");
    assert!(amber > 2_000, "the warn bar was not drawn ({amber} pixels)");
    assert!(
        red > 50,
        "the alarm threshold line was not drawn ({red} pixels)"
    );
    // The recovery-time distribution (teal bars) and the release-quality table (a purple
    // cell for the release hotfixed within 30 days).
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(
        page.matches("class=\"bar recovery\"").count(),
        7,
        "seven buckets"
    );
    let teal = count_colour(&shot, (0x0d, 0x94, 0x88));
    let purple = count_colour(&shot, (0x7c, 0x3a, 0xed));
    assert!(
        teal > 2_000,
        "the recovery bars were not drawn ({teal} pixels)"
    );
    assert!(
        purple > 500,
        "the release-quality table's hotfixed cell was not drawn ({purple} pixels)"
    );
}
