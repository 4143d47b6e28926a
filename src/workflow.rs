//! GitHub Actions output, shared by `check` and `preview`: workflow-command escaping, the fence
//! around text quoted from a repository, and the step summary.

use crate::error::{Error, Result};
use crate::ui;

/// Escapes workflow-command data: `%`, CR and LF.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes workflow-command properties: data escapes plus `:` and `,`.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Prints what `print` prints between `::stop-commands::TOKEN` and `::TOKEN::`, with a token
/// no repository text can guess: a file named `::stop-commands::x` in a report cannot switch
/// off the annotations that follow.
pub fn fenced(print: impl FnOnce()) {
    let token = stop_token();
    ui::out(format!("::stop-commands::{token}"));
    print();
    ui::out(format!("::{token}::"));
}

/// Appends markdown to `$GITHUB_STEP_SUMMARY` when it is set.
pub fn append_summary(md: &str) -> Result<()> {
    use std::io::Write;
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = std::path::PathBuf::from(path);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::file(&path, "open", &e))?;
    f.write_all(md.as_bytes())
        .map_err(|e| Error::file(&path, "write", &e))
}

fn stop_token() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(std::process::id().to_le_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    h.update(now.as_nanos().to_le_bytes());
    h.update(format!("{:p}", &now).as_bytes());
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_ends_a_command() {
        assert_eq!(data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_ne!(stop_token(), stop_token());
    }
}
