//! The error type every command returns, its exit codes and its hints.
//!
//! Every error a user sees says what happened (the message), why (the cause) and what to do
//! (the hint). The kind decides the exit code documented in the README.

use std::fmt;

/// Sorts errors by what the user can do about them; each kind has its documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A policy rule failed (check, ship): exit 1.
    Policy,
    /// Bad usage, configuration or repository state: exit 2.
    Usage,
    /// A pick stopped on a conflict and awaits resolution: exit 3.
    Conflict,
    /// An external service failed (push rejected, GitHub API error), or production may be bad
    /// and a person is needed (a deploy whose rollback failed or was not tried): exit 4.
    External,
    /// A deploy failed and was rolled back, and the version rolled back to is healthy: exit 5.
    RolledBack,
}

impl Kind {
    /// Returns the process exit code for this kind.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Policy => 1,
            Kind::Usage => 2,
            Kind::Conflict => 3,
            Kind::External => 4,
            Kind::RolledBack => 5,
        }
    }
}

/// Describes a failure in the user's terms: what happened, why, and what to do next.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub cause: Option<String>,
    pub hint: Option<String>,
    /// Set when the command already printed everything the user needs (a policy verdict, a
    /// conflict report), so `main` only exits with the code.
    pub quiet: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            cause: None,
            hint: None,
            quiet: false,
        }
    }

    /// Builds a usage, configuration or repository-state error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    /// Builds a policy failure (exit 1).
    pub fn policy(message: impl Into<String>) -> Self {
        Self::new(Kind::Policy, message)
    }

    /// Builds a conflict stop (exit 3).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(Kind::Conflict, message)
    }

    /// Builds an external-service failure (exit 4).
    pub fn external(message: impl Into<String>) -> Self {
        Self::new(Kind::External, message)
    }

    /// Builds the outcome of a deploy that failed and was rolled back to a healthy version
    /// (exit 5).
    pub fn rolled_back(message: impl Into<String>) -> Self {
        Self::new(Kind::RolledBack, message)
    }

    /// Builds the error for a file that could not be read or written (`doing` is `write` or
    /// `read`), with a hint for the usual causes.
    pub fn file(path: &std::path::Path, doing: &str, err: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ".".into());
        let hint = match err.kind() {
            ErrorKind::NotFound if doing == "read" || std::path::Path::new(&parent).is_dir() => {
                let folder = if parent == "." {
                    "this folder".to_string()
                } else {
                    parent.clone()
                };
                format!("there is no such file in {folder}: check the name")
            }
            ErrorKind::NotFound => {
                format!("the folder {parent} does not exist: create it, or give another path")
            }
            ErrorKind::NotADirectory => {
                format!("a part of {parent} is a file, not a folder: give another path")
            }
            ErrorKind::PermissionDenied if doing == "read" => {
                "you may not read it: check its permissions".into()
            }
            ErrorKind::PermissionDenied => "you may not write there: give a path you own".into(),
            ErrorKind::IsADirectory => {
                format!("{} is a folder: give a file's path", path.display())
            }
            _ => "check the path and the disk, then run the command again".into(),
        };
        Error::usage(format!("cannot {doing} {}", path.display()))
            .cause(err.to_string())
            .hint(hint)
    }

    /// Adds the cause: why it happened.
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    /// Adds the hint: what the user can do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks the error as already reported, so only the exit code remains to give.
    pub fn quiet(mut self) -> Self {
        self.quiet = true;
        self
    }

    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, "\n  cause: {cause}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    /// Translates a libgit2 error; a stale lock file gets its name and the command to clear it.
    fn from(err: git2::Error) -> Self {
        if err.code() == git2::ErrorCode::Locked {
            let path = lock_path(err.message());
            let what = path.clone().unwrap_or_else(|| "a .lock file".to_string());
            return Error::usage(format!("git's lock file {what} is in the way"))
                .cause(format!(
                    "another git process is running in this repository, or one was killed and left its lock behind ({})",
                    err.message()
                ))
                .hint(match path {
                    Some(p) => format!("if no git command is running, remove it: rm '{p}'"),
                    None => "if no git command is running, remove the .lock file named above".into(),
                });
        }
        if err.code() == git2::ErrorCode::NotFound && err.class() == git2::ErrorClass::Odb {
            return Error::usage("the repository is missing an object hotfix needs to read")
                .cause(err.message().to_string())
                .hint("check it with `git fsck`; `git fetch` brings back objects the remote has");
        }
        Error::usage("a git operation failed").cause(err.message().to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::usage("a file operation failed").cause(err.to_string())
    }
}

/// Extracts the path of a `.lock` file from a libgit2 message such as
/// "failed to create locked file '/repo/.git/index.lock': File exists".
fn lock_path(message: &str) -> Option<String> {
    let start = message.find('\'')? + 1;
    let end = start + message[start..].find('\'')?;
    let path = &message[start..end];
    path.ends_with(".lock").then(|| path.to_string())
}

/// Adds context to foreign errors: `.context("what happened")` keeps the original as the cause.
pub trait Context<T> {
    fn context(self, message: impl Into<String>) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, message: impl Into<String>) -> Result<T> {
        self.map_err(|e| Error::usage(message).cause(e.to_string()))
    }
}

/// Stops the process abruptly at a named point when `HOTFIX_FAILPOINT` names it, so tests can
/// prove that every command survives being killed there. Costs one environment lookup.
pub fn failpoint(name: &str) {
    if std::env::var("HOTFIX_FAILPOINT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_path_is_extracted_from_libgit2_message() {
        assert_eq!(
            lock_path("failed to create locked file '/r/.git/index.lock': File exists").as_deref(),
            Some("/r/.git/index.lock")
        );
        assert_eq!(lock_path("no quotes here"), None);
    }

    #[test]
    fn exit_codes_follow_the_contract() {
        assert_eq!(Error::policy("x").exit_code(), 1);
        assert_eq!(Error::usage("x").exit_code(), 2);
        assert_eq!(Error::conflict("x").exit_code(), 3);
        assert_eq!(Error::external("x").exit_code(), 4);
        assert_eq!(Error::rolled_back("x").exit_code(), 5);
    }
}
