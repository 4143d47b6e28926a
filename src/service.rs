//! A small real HTTP service on 127.0.0.1 for the demo's deploy step (and the deploy tests):
//! it serves the release that the folder's `current` link points at, read afresh on every
//! request, so a deploy that swaps the link with one rename (blue/green) never drops a request.
//!
//! - `GET /version` answers the release's `VERSION` file (200), or 503 without a release;
//! - `GET /health` answers 200 when its `HEALTH` file says `ok`, else 503.
//!
//! It stops when dropped, and on its own after `lifetime`, so nothing outlives its caller.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::error::Result;

/// A running service; stops when dropped.
pub struct Service {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Service {
    /// Starts serving `root` on a free port of 127.0.0.1, for at most `lifetime`.
    pub fn start(root: &Path, lifetime: Duration) -> Result<Service> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let root = root.to_path_buf();
        let thread = std::thread::spawn(move || {
            let until = Instant::now() + lifetime;
            while !flag.load(Ordering::SeqCst) && Instant::now() < until {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        std::thread::spawn(move || {
                            let _ = answer(stream, &root);
                        });
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Ok(Service {
            addr,
            stop,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn answer(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 8192 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/");
    let current = root.join("current");
    let read =
        |name: &str| std::fs::read_to_string(current.join(name)).map(|s| s.trim().to_string());
    let (status, body) = match path {
        "/version" => match read("VERSION") {
            Ok(v) => ("200 OK", v),
            Err(_) => ("503 Service Unavailable", "no release".to_string()),
        },
        "/health" => match read("HEALTH") {
            Ok(h) if h == "ok" => ("200 OK", h),
            Ok(h) => ("503 Service Unavailable", h),
            Err(_) => ("503 Service Unavailable", "no release".to_string()),
        },
        _ => ("404 Not Found", "not found".to_string()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}\n",
        body.len() + 1
    );
    stream.write_all(response.as_bytes())
}

/// One `GET path`: the status code and the body, or the error that stopped it.
pub fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.trim().to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// Lays out a release of the service in `root/releases/VERSION` and points `current` at it
/// with one rename, as a blue/green deploy script does.
pub fn install(root: &Path, version: &str, health: &str) -> Result<PathBuf> {
    let dir = root.join("releases").join(version);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("VERSION"), format!("{version}\n"))?;
    std::fs::write(dir.join("HEALTH"), format!("{health}\n"))?;
    let next = root.join("current.next");
    let _ = std::fs::remove_file(&next);
    #[cfg(unix)]
    std::os::unix::fs::symlink(Path::new("releases").join(version), &next)?;
    std::fs::rename(&next, root.join("current"))?;
    Ok(dir)
}

/// The team's deploy script of the demo and the tests: unpacks the release's `app/health`
/// from the commit being deployed next to the live release, then swaps `current` with one
/// rename. It deploys and rolls back alike (the variables name the target).
pub const DEPLOY_SCRIPT: &str = r#"#!/bin/sh
# Blue/green deploy of the checkout service: the new release goes next to the live one, then
# one rename swaps the `current` link, so no request ever sees half a release.
set -eu
root="$SERVICE_ROOT"
dir="$root/releases/$HOTFIX_VERSION"
echo "$HOTFIX_ACTION $HOTFIX_TAG ($HOTFIX_COMMIT) to $HOTFIX_ENV, replacing ${HOTFIX_FROM_TAG:-nothing}"
mkdir -p "$dir"
echo "$HOTFIX_VERSION" > "$dir/VERSION"
git show "$HOTFIX_COMMIT:app/health" > "$dir/HEALTH" 2>/dev/null || echo ok > "$dir/HEALTH"
ln -sfn "releases/$HOTFIX_VERSION" "$root/current.next"
mv -T "$root/current.next" "$root/current"
echo "now serving $(cat "$root/current/VERSION")"
"#;

/// The health check of the demo and the tests: the expected version serves, and says it is
/// healthy.
pub const HEALTH_SCRIPT: &str = r#"#!/bin/sh
# Healthy means: the version being deployed is the one serving, and it says it is healthy.
v=$(curl -fsS --max-time 2 "$SERVICE_URL/version") || exit 1
[ "$v" = "$HOTFIX_VERSION" ] || { echo "serving $v, expected $HOTFIX_VERSION"; exit 1; }
curl -fsS --max-time 2 "$SERVICE_URL/health" >/dev/null || { echo "$v is unhealthy"; exit 1; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_the_current_release_and_swaps_without_a_failed_request() {
        let root = tempfile::tempdir().unwrap();
        install(root.path(), "1.0.0", "ok").unwrap();
        let service = Service::start(root.path(), Duration::from_secs(60)).unwrap();
        assert_eq!(
            get(service.addr(), "/version").unwrap(),
            (200, "1.0.0".into())
        );
        assert_eq!(get(service.addr(), "/health").unwrap().0, 200);
        let addr = service.addr();
        let done = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&done);
        let looper = std::thread::spawn(move || {
            let (mut failed, mut seen) = (0, std::collections::BTreeSet::new());
            while !flag.load(Ordering::SeqCst) {
                match get(addr, "/version") {
                    Ok((200, v)) => {
                        seen.insert(v);
                    }
                    _ => failed += 1,
                }
            }
            (failed, seen)
        });
        for i in 1..20 {
            install(
                root.path(),
                &format!("1.0.{i}"),
                if i == 19 { "broken" } else { "ok" },
            )
            .unwrap();
            std::thread::sleep(Duration::from_millis(5));
        }
        done.store(true, Ordering::SeqCst);
        let (failed, seen) = looper.join().unwrap();
        assert_eq!(failed, 0);
        assert!(seen.len() > 1, "{seen:?}");
        assert_eq!(get(service.addr(), "/health").unwrap().0, 503);
    }
}
