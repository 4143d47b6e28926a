//! The team's own commands (`policy.test-command`, and the deploy and health-check commands):
//! run through `sh -c` with stdin closed, stdout and stderr into one pipe so the output keeps
//! the order it was written in, bounded in time, and on a timeout the whole process group
//! stopped (TERM, then KILL after a grace period) before anything else happens.

use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How a command is run.
pub struct Spec<'a> {
    pub command: &'a str,
    pub dir: &'a Path,
    pub env: Vec<(String, String)>,
    pub timeout: Duration,
    /// Between TERM and KILL, on a timeout.
    pub grace: Duration,
    /// Copies the output to stderr as it comes (deploys); tests keep it quiet.
    pub stream: bool,
    /// How many lines of the end of the output to keep.
    pub tail_lines: usize,
    /// Set by Ctrl-C or TERM (see `interrupt`): the command is stopped as on a timeout.
    pub interrupt: Option<&'a AtomicBool>,
    /// Hears the command's process group id once it runs (a deploy writes it down, so a
    /// re-run after a kill can find the command still running).
    pub on_spawn: Option<&'a dyn Fn(u32)>,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It exited with this code (0 is success).
    Exited(i32),
    /// A signal ended it (not ours).
    Signalled,
    /// It ran past its timeout, and its process group was stopped.
    TimedOut,
    /// Ctrl-C or TERM reached hotfix, and the command's process group was stopped.
    Interrupted,
}

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct Run {
    pub ended: Ended,
    /// The last `tail_lines` lines of stdout and stderr together, in the order written.
    pub tail: String,
    pub elapsed: Duration,
    /// True when some of the command's process group outlived TERM and KILL.
    pub unstoppable: bool,
}

impl Run {
    pub fn success(&self) -> bool {
        self.ended == Ended::Exited(0)
    }
}

/// The end of the output, bounded: a chatty command cannot fill memory.
struct Tail {
    lines: VecDeque<String>,
    partial: Vec<u8>,
    keep: usize,
}

impl Tail {
    fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\n' {
                let line = String::from_utf8_lossy(&self.partial).into_owned();
                self.partial.clear();
                self.lines.push_back(line);
                if self.lines.len() > self.keep {
                    self.lines.pop_front();
                }
            } else if self.partial.len() < 4096 {
                self.partial.push(b);
            }
        }
    }

    fn text(&self) -> String {
        let mut lines: Vec<String> = self.lines.iter().cloned().collect();
        if !self.partial.is_empty() {
            lines.push(String::from_utf8_lossy(&self.partial).into_owned());
            if lines.len() > self.keep {
                lines.remove(0);
            }
        }
        lines.join("\n")
    }
}

/// Runs `spec.command` and waits for it, within its timeout.
pub fn run(spec: &Spec<'_>) -> Result<Run> {
    let (mut reader, writer) = std::io::pipe()?;
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(spec.command)
        .current_dir(spec.dir)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(writer.try_clone()?)
        .stderr(writer);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| {
        Error::usage(format!("cannot run `{}`", spec.command)).cause(format!("sh: {e}"))
    })?;
    if let Some(f) = spec.on_spawn {
        f(child.id());
    }
    // The command's copies of the pipe's write end are the only ones left: at its end (and its
    // children's), the reader sees end of file.
    drop(cmd);
    let tail = Arc::new(Mutex::new(Tail {
        lines: VecDeque::new(),
        partial: Vec::new(),
        keep: spec.tail_lines.max(1),
    }));
    let sink = Arc::clone(&tail);
    let stream = spec.stream;
    let pump = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if stream {
                        crate::ui::err_bytes(&buf[..n]);
                    }
                    if let Ok(mut t) = sink.lock() {
                        t.push(&buf[..n]);
                    }
                }
            }
        }
    });
    let interrupted = || spec.interrupt.is_some_and(|f| f.load(Ordering::SeqCst));
    let mut unstoppable = false;
    let ended = loop {
        if let Some(status) = child.try_wait()? {
            break match status.code() {
                Some(c) => Ended::Exited(c),
                None => Ended::Signalled,
            };
        }
        if start.elapsed() > spec.timeout {
            unstoppable = !stop_group(&mut child, spec.grace);
            break Ended::TimedOut;
        }
        if interrupted() {
            unstoppable = !stop_group(&mut child, spec.grace);
            break Ended::Interrupted;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // A background process the command started may hold the pipe open: wait for the output a
    // little, then go on without it.
    let waited = Instant::now();
    while !pump.is_finished() && waited.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(10));
    }
    if pump.is_finished() {
        let _ = pump.join();
    }
    let tail = tail.lock().map(|t| t.text()).unwrap_or_default();
    Ok(Run {
        ended,
        tail,
        elapsed: start.elapsed(),
        unstoppable,
    })
}

/// Sends TERM to the command's whole process group, and KILL after `grace` if any of it is
/// still there; then reaps the command. Returns false when some of the group is still there
/// a moment after KILL (a process stuck in the kernel).
fn stop_group(child: &mut std::process::Child, grace: Duration) -> bool {
    #[cfg(unix)]
    {
        use nix::sys::signal::{Signal, killpg};
        use nix::unistd::Pid;
        let group = Pid::from_raw(child.id() as i32);
        let _ = killpg(group, Signal::SIGTERM);
        let until = Instant::now() + grace;
        while Instant::now() < until {
            // The group is gone when no process is left in it to signal.
            if killpg(group, None).is_err() {
                break;
            }
            let _ = child.try_wait();
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = killpg(group, Signal::SIGKILL);
        let _ = child.kill();
        let _ = child.wait();
        // KILL cannot be refused, but delivering it takes a moment; zombies waiting for their
        // parent to reap them are gone in every sense that matters.
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            if !group_alive(group.as_raw()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        !group_alive(group.as_raw())
    }
    #[cfg(not(unix))]
    {
        let _ = child.kill();
        let _ = child.wait();
        true
    }
}

/// Stops what is left of a command's process group `pgid` that a killed run of hotfix left
/// running: only when one of its processes carries `marker` (`NAME=value`) in its environment,
/// so a recycled group id is never touched. Returns whether there was one to stop.
#[cfg(unix)]
pub fn stop_orphan(pgid: i32, marker: &str, grace: Duration) -> bool {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    let marked = || {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return false;
        };
        dir.flatten().any(|entry| {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                return false;
            };
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
                return false;
            };
            let mut fields = rest.split_whitespace();
            let state = fields.next().unwrap_or("");
            let pgrp = fields.nth(1).and_then(|p| p.parse::<i32>().ok());
            if pgrp != Some(pgid) || state == "Z" {
                return false;
            }
            std::fs::read(entry.path().join("environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == marker.as_bytes()))
        })
    };
    if !marked() {
        return false;
    }
    let group = Pid::from_raw(pgid);
    let _ = killpg(group, Signal::SIGTERM);
    let until = Instant::now() + grace;
    while Instant::now() < until && group_alive(pgid) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = killpg(group, Signal::SIGKILL);
    true
}

#[cfg(not(unix))]
pub fn stop_orphan(_pgid: i32, _marker: &str, _grace: Duration) -> bool {
    false
}

/// Tells whether a process of the group `pgid` is still running (not a zombie).
#[cfg(unix)]
fn group_alive(pgid: i32) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        // No /proc: ask the kernel whether the group can still be signalled.
        return nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid), None).is_ok();
    };
    dir.flatten().any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ')'.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            return false;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next().unwrap_or("");
        let pgrp = fields.nth(1).and_then(|p| p.parse::<i32>().ok());
        pgrp == Some(pgid) && state != "Z" && state != "X"
    })
}

/// Replaces every occurrence of each secret (values of 4 bytes or more) with `[redacted]`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    let mut secrets: Vec<&String> = secrets.iter().filter(|s| s.len() >= 4).collect();
    // The longest first, so a secret that contains another is hidden whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in secrets {
        out = out.replace(s.as_str(), "[redacted]");
    }
    out
}

/// Hides what looks like a credential whatever its source: the user and password of a URL
/// (`https://user:pass@host`), and the token after `Bearer` or `Basic`.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
            .unwrap_or(tail.len());
        match tail[..end].rfind('@') {
            Some(user) => {
                out.push_str("[redacted]");
                rest = &tail[user..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    let mut words: Vec<String> = Vec::new();
    let mut hide_next = false;
    for word in out.split_inclusive(|c: char| c.is_whitespace()) {
        let bare = word.trim_end();
        if hide_next && !bare.is_empty() {
            words.push(format!("[redacted]{}", &word[bare.len()..]));
            hide_next = false;
            continue;
        }
        hide_next = bare.eq_ignore_ascii_case("bearer") || bare.eq_ignore_ascii_case("basic");
        words.push(word.to_string());
    }
    words.concat()
}

/// The values of the environment variables whose names look secret (TOKEN, SECRET, PASSWORD,
/// PASSWD, KEY, CREDENTIAL, AUTH, PRIVATE, JWT, WEBHOOK, DSN, COOKIE, SESSION): what a kept
/// output tail must not show.
pub fn secret_values() -> Vec<String> {
    const WORDS: [&str; 13] = [
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "KEY",
        "CREDENTIAL",
        "AUTH",
        "PRIVATE",
        "JWT",
        "WEBHOOK",
        "DSN",
        "COOKIE",
        "SESSION",
    ];
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| {
            let k = k.to_ascii_uppercase();
            WORDS.iter().any(|w| k.contains(w))
        })
        .map(|(_, v)| v)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec<'a>(command: &'a str, dir: &'a Path, timeout: Duration) -> Spec<'a> {
        Spec {
            command,
            dir,
            env: vec![("HOTFIX_PROBE".into(), "seen".into())],
            timeout,
            grace: Duration::from_millis(500),
            stream: false,
            tail_lines: 20,
            interrupt: None,
            on_spawn: None,
        }
    }

    #[test]
    fn stdout_and_stderr_keep_the_order_they_were_written_in() {
        let dir = tempfile::tempdir().unwrap();
        let cmd = "for i in 1 2 3 4 5 6 7 8 9 10; do echo out $i; echo err $i >&2; done; echo $HOTFIX_PROBE; exit 3";
        let run = run(&spec(cmd, dir.path(), Duration::from_secs(20))).unwrap();
        assert_eq!(run.ended, Ended::Exited(3));
        let expected: Vec<String> = (1..=10)
            .flat_map(|i| [format!("out {i}"), format!("err {i}")])
            .chain(["seen".to_string()])
            .collect();
        assert_eq!(run.tail, expected[expected.len() - 20..].join("\n"));
    }

    #[test]
    fn a_timeout_stops_the_whole_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("child.pid");
        // The command starts a grandchild that ignores nothing and outlives its parent's wait.
        let cmd = format!(
            "sleep 60 & echo $! > {}; echo started; wait",
            pidfile.display()
        );
        let run = run(&spec(&cmd, dir.path(), Duration::from_millis(500))).unwrap();
        assert_eq!(run.ended, Ended::TimedOut);
        assert!(run.tail.contains("started"), "{}", run.tail);
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The grandchild got the signal too (it may linger as a zombie of init for a moment).
        let alive = || {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| !s.contains(") Z"))
                .unwrap_or(false)
        };
        let until = Instant::now() + Duration::from_secs(5);
        while alive() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(), "the grandchild {pid} survived the timeout");
    }

    #[test]
    fn an_interrupt_stops_the_command() {
        let dir = tempfile::tempdir().unwrap();
        let flag = AtomicBool::new(false);
        let mut s = spec("echo up; sleep 30", dir.path(), Duration::from_secs(60));
        s.interrupt = Some(&flag);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(Duration::from_millis(300));
                flag.store(true, Ordering::SeqCst);
            });
            let run = run(&s).unwrap();
            assert_eq!(run.ended, Ended::Interrupted);
            assert!(!run.unstoppable);
            assert!(run.elapsed < Duration::from_secs(10), "{:?}", run.elapsed);
        });
    }

    #[test]
    fn secrets_are_redacted_longest_first() {
        let secrets = vec!["abcd".to_string(), "abcdefgh".to_string(), "xy".to_string()];
        assert_eq!(
            redact("token abcdefgh and abcd and xy", &secrets),
            "token [redacted] and [redacted] and xy"
        );
    }

    #[test]
    fn credentials_in_urls_and_authorization_headers_are_scrubbed() {
        assert_eq!(
            scrub("db=postgres://app:dbpw777@db.internal:5432/x and https://example.com/a@b"),
            "db=postgres://[redacted]@db.internal:5432/x and https://example.com/a@b"
        );
        assert_eq!(
            scrub("Authorization: Bearer abc.def.ghi\nnext"),
            "Authorization: Bearer [redacted]\nnext"
        );
    }

    #[test]
    fn the_tail_is_bounded() {
        let mut t = Tail {
            lines: VecDeque::new(),
            partial: Vec::new(),
            keep: 3,
        };
        t.push(b"a\nb\nc\nd\ne");
        assert_eq!(t.text(), "c\nd\ne");
    }
}
