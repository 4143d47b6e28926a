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
            "--window-size=900,1100",
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
}
