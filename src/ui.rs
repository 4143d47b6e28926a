//! The only place that prints: results to stdout, everything else (progress, hints, warnings)
//! to stderr, colour only where it helps and is wanted.

use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};

use crate::error::{Error, Result};
use crate::policy::{RuleResult, Summary, Verdict};
use crate::text::printable;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Sets the colour choice for the whole process; `NO_COLOR` and non-terminals turn it off under
/// `auto` (anstream strips the escapes when the stream is not a terminal).
pub fn init_color(choice: ColorChoice) {
    let c = match choice {
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
        ColorChoice::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                anstream::ColorChoice::Never
            } else {
                anstream::ColorChoice::Auto
            }
        }
    };
    c.write_global();
}

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn set_quiet(q: bool) {
    QUIET.store(q, std::sync::atomic::Ordering::Relaxed);
}

fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints a result line to stdout.
pub fn out(text: impl AsRef<str>) {
    let mut o = anstream::stdout().lock();
    let _ = writeln!(o, "{}", printable(text.as_ref()));
}

/// Prints a note to stderr (suppressed by `-q`).
pub fn note(text: impl AsRef<str>) {
    if quiet() {
        return;
    }
    let mut e = anstream::stderr().lock();
    let _ = writeln!(e, "{}", printable(text.as_ref()));
}

/// Writes a document to stdout as it is (a report, a completion script): no newline added.
pub fn out_bytes(bytes: &[u8]) {
    write_raw(&mut std::io::stdout().lock(), bytes);
}

/// Copies a command's output to stderr as it comes (a deploy's log).
pub fn err_bytes(bytes: &[u8]) {
    write_raw(&mut std::io::stderr().lock(), bytes);
}

/// Bytes read on a terminal are escaped like every other line; written to a file or a pipe
/// they stay as they are.
fn write_raw(to: &mut (impl Write + IsTerminal), bytes: &[u8]) {
    if to.is_terminal() {
        let _ = to.write_all(printable(&String::from_utf8_lossy(bytes)).as_bytes());
    } else {
        let _ = to.write_all(bytes);
    }
}

/// Prints a stop the user must act on to stderr, line by line (never suppressed).
pub fn alert(text: impl AsRef<str>) {
    let mut e = anstream::stderr().lock();
    let _ = writeln!(e, "{}", printable(text.as_ref()));
}

/// Prints a warning to stderr (never suppressed).
pub fn warn(text: impl AsRef<str>) {
    let mut e = anstream::stderr().lock();
    let _ = writeln!(
        e,
        "{} {}",
        paint("warning:", yellow().bold()),
        printable(text.as_ref())
    );
}

/// Prints an error with its cause and hint to stderr.
pub fn error(err: &Error) {
    let mut e = anstream::stderr().lock();
    let _ = writeln!(
        e,
        "{} {}",
        paint("error:", red().bold()),
        printable(&err.message)
    );
    if let Some(c) = &err.cause {
        let _ = writeln!(
            e,
            "  {} {}",
            paint("cause:", Style::new().bold()),
            printable(c)
        );
    }
    if let Some(h) = &err.hint {
        let _ = writeln!(e, "  {} {}", paint("hint:", cyan().bold()), printable(h));
    }
}

pub fn paint(text: &str, style: Style) -> String {
    format!("{style}{text}{style:#}")
}

pub fn red() -> Style {
    Style::new().fg_color(Some(AnsiColor::Red.into()))
}
pub fn green() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into()))
}
pub fn yellow() -> Style {
    Style::new().fg_color(Some(AnsiColor::Yellow.into()))
}
pub fn cyan() -> Style {
    Style::new().fg_color(Some(AnsiColor::Cyan.into()))
}
pub fn dim() -> Style {
    Style::new().dimmed()
}
pub fn bold() -> Style {
    Style::new().bold()
}

/// Renders a verdict as a fixed-width coloured word.
pub fn verdict(v: Verdict) -> String {
    let (word, style) = match v {
        Verdict::Pass => ("pass", green()),
        Verdict::Warn => ("warn", yellow()),
        Verdict::Fail => ("FAIL", red().bold()),
        Verdict::Skip => ("skip", dim()),
        Verdict::Overridden => ("overridden", yellow().bold()),
    };
    paint(&format!("{word:<10}"), style)
}

/// Tells whether both ends of the conversation are a terminal, so a prompt can be answered.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
}

/// Asks a yes/no question on the terminal; `default` is what Enter means.
pub fn confirm(question: &str, default: bool) -> Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(printable(question))
        .default(default)
        .interact()
        .map_err(|e| Error::usage("the prompt was interrupted").cause(e.to_string()))
}

/// Prints `check`'s verdict for people: the header with the size (files, added, deleted),
/// each rule, and the verdict line.
pub fn print_check(
    s: &Summary,
    results: &[RuleResult],
    (files, added, deleted): (usize, usize, usize),
    show: Show,
) {
    // Counted as `max-commits` counts: merges apart.
    let merges = s.commits.iter().filter(|c| c.is_merge()).count();
    let merges = match merges {
        0 => String::new(),
        n => format!(" and {n} merge(s)"),
    };
    out(format!(
        "{} {}: {} on {} ({} commit(s){merges}, {files} file(s), +{added} -{deleted})",
        paint("hotfix", bold()),
        s.id,
        &s.head[..10],
        s.base.tag,
        s.commits.len() - s.commits.iter().filter(|c| c.is_merge()).count()
    ));
    print_rules(results, show);
    let warns = results
        .iter()
        .filter(|r| r.verdict == Verdict::Warn)
        .count();
    let fails: Vec<&str> = results
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .map(|r| r.id)
        .collect();
    if fails.is_empty() {
        out(format!(
            "verdict: {}{}",
            paint("pass", green().bold()),
            if warns > 0 {
                format!(" ({warns} warning(s))")
            } else {
                String::new()
            }
        ));
    } else {
        out(format!(
            "verdict: {} ({})",
            paint("FAIL", red().bold()),
            fails.join(", ")
        ));
    }
}

/// How much of the rules' evidence to print.
#[derive(Debug, Clone, Copy, Default)]
pub struct Show {
    /// The items of passing rules too (`-v`).
    pub items: bool,
    /// Every line of an item, such as a modified pick's interdiff (`--diff`, or `-v`);
    /// otherwise its first line and how many lines follow.
    pub diffs: bool,
}

impl Show {
    pub fn new(verbose: bool, diff: bool) -> Show {
        Show {
            items: verbose,
            diffs: verbose || diff,
        }
    }
}

/// Prints rule verdicts, one line each, with the items and hint of any rule that is not a
/// plain pass.
pub fn print_rules(results: &[crate::policy::RuleResult], show: Show) {
    use crate::policy::Verdict;
    for r in results {
        out(format!(
            "  {} {:<16} {}",
            verdict(r.verdict),
            r.id,
            r.detail
        ));
        let show_items = show.items || !matches!(r.verdict, Verdict::Pass | Verdict::Skip);
        if show_items {
            for item in r.items.iter().take(20) {
                let what = item.label();
                let mut lines = item.note.lines();
                let first = lines.next().unwrap_or("");
                let rest: Vec<&str> = lines.collect();
                let more = match rest.len() {
                    0 => String::new(),
                    _ if show.diffs => String::new(),
                    n => format!(" ({n} line(s) of difference; --diff shows them)"),
                };
                if what.is_empty() {
                    out(format!("      {first}{more}"));
                } else {
                    out(format!("      {what}: {first}{more}"));
                }
                if show.diffs {
                    for l in rest {
                        out(format!("        {l}"));
                    }
                }
            }
            if r.items.len() > 20 {
                out(format!("      ... and {} more", r.items.len() - 20));
            }
        }
        if let Some(reason) = &r.override_reason {
            out(format!("      overridden: {reason}"));
        }
        if r.verdict == Verdict::Fail {
            if let Some(h) = &r.hint {
                out(format!("      {} {h}", paint("hint:", cyan().bold())));
            }
        }
    }
}

/// Starts a spinner on stderr for work that can take more than a moment; nothing when stderr
/// is not a terminal or `-q` is given. Finish it with `done`.
pub fn spinner(message: impl Into<String>) -> Option<indicatif::ProgressBar> {
    if quiet() || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_message(printable(&message.into()).into_owned());
    pb.enable_steady_tick(std::time::Duration::from_millis(100));
    Some(pb)
}

/// Starts a progress bar of `len` steps on stderr (terminal only, not with `-q`).
pub fn bar(len: u64, message: impl Into<String>) -> Option<indicatif::ProgressBar> {
    if quiet() || !std::io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let pb = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(printable(&message.into()).into_owned());
    Some(pb)
}

/// Runs `work` with a spinner on a terminal; each message `work` sends replaces the spinner's
/// text, and the spinner appears with the first one.
pub fn with_progress<T>(work: impl FnOnce(&mut dyn FnMut(String)) -> T) -> T {
    let mut spin: Option<indicatif::ProgressBar> = None;
    let out = work(&mut |message| match &spin {
        Some(s) => s.set_message(printable(&message).into_owned()),
        None => spin = spinner(message),
    });
    done(spin);
    out
}

/// Clears a spinner or bar, if one was shown.
pub fn done(pb: Option<indicatif::ProgressBar>) {
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
}

/// Asks for a line of text on the terminal.
pub fn ask(prompt: &str, default: Option<&str>) -> Result<String> {
    let mut input = dialoguer::Input::<String>::new()
        .with_prompt(printable(prompt))
        .allow_empty(true);
    if let Some(d) = default {
        input = input.default(d.to_string());
    }
    input
        .interact_text()
        .map_err(|e| Error::usage("the prompt was interrupted").cause(e.to_string()))
}

/// Offers a list and returns the chosen index.
pub fn choose(prompt: &str, items: &[String], default: usize) -> Result<usize> {
    let items: Vec<String> = items.iter().map(|i| printable(i).into_owned()).collect();
    dialoguer::Select::new()
        .with_prompt(printable(prompt))
        .items(&items)
        .default(default)
        .interact()
        .map_err(|e| Error::usage("the prompt was interrupted").cause(e.to_string()))
}

/// Offers a list to tick several items from; returns the ticked indices in list order.
pub fn choose_many(prompt: &str, items: &[String]) -> Result<Vec<usize>> {
    let items: Vec<String> = items.iter().map(|i| printable(i).into_owned()).collect();
    dialoguer::MultiSelect::new()
        .with_prompt(printable(prompt))
        .items(&items)
        .interact()
        .map_err(|e| Error::usage("the prompt was interrupted").cause(e.to_string()))
}

/// Each item as `show` and `retro` list it: `1. [ ] text (key)`.
pub fn action_lines(items: &[crate::ledger::ActionItem]) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            format!(
                "{}. [{}] {} ({})",
                n + 1,
                if i.done.is_some() { "x" } else { " " },
                i.text,
                i.key
            )
        })
        .collect()
}

/// Writes a command's document to `output` (creating its folder) and says so, or prints it on
/// standard output.
pub fn deliver(output: Option<&std::path::Path>, text: &str) -> Result<()> {
    deliver_parts(output, &[text])
}

/// `deliver` for a text made in parts (an audit's runs of sections), written one after the
/// other rather than joined first.
pub fn deliver_parts(output: Option<&std::path::Path>, parts: &[impl AsRef<str>]) -> Result<()> {
    match output {
        Some(path) => {
            // A missing folder is made; a file in the way is said by the write's error.
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                if std::fs::symlink_metadata(parent).is_err() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::file(path, "write", &e))?;
                }
            }
            let write = || -> std::io::Result<()> {
                let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
                for part in parts {
                    file.write_all(part.as_ref().as_bytes())?;
                }
                file.flush()
            };
            write().map_err(|e| Error::file(path, "write", &e))?;
            out(format!("wrote {}", path.display()));
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            for part in parts {
                write_raw(&mut stdout, part.as_ref().as_bytes());
            }
        }
    }
    Ok(())
}
