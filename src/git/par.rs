//! Reading the object database on every core. A libgit2 repository cannot be shared between
//! threads, so each worker of rayon's pool opens its own handle once and keeps it (see
//! `with_repo`).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use git2::Repository;
use rayon::prelude::*;

use super::Repo;
use crate::error::{Error, Result};

thread_local! {
    static OPEN: RefCell<Option<(PathBuf, Rc<Repo>)>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's handle on the repository at `gitdir`, opening it on first use.
/// `f` may use the pool itself: a job the pool runs on this thread meanwhile gets the same
/// handle, which is safe because the pool runs it only while `f` waits on the pool, never in
/// the middle of a libgit2 call. (Opening a second handle there cost a millisecond, and as
/// much again to close it.)
pub fn with_repo<T>(gitdir: &Path, f: impl FnOnce(&Repo) -> T) -> Result<T> {
    let kept = OPEN.with(|cell| match &*cell.borrow() {
        Some((p, git)) if p == gitdir => Some(Rc::clone(git)),
        _ => None,
    });
    let git = match kept {
        Some(git) => git,
        None => {
            let git = Repository::open(gitdir).map_err(|e| {
                Error::usage(format!("cannot open {} again to read it", gitdir.display()))
                    .cause(e.message().to_string())
                    .hint("check that the repository is readable")
            })?;
            let git = Rc::new(Repo::from_git(git));
            OPEN.with(|cell| *cell.borrow_mut() = Some((gitdir.to_path_buf(), Rc::clone(&git))));
            git
        }
    };
    Ok(f(&git))
}

/// Maps `work` over `items`, in order, on rayon's pool, each worker with its own handle.
pub fn map<I: Sync, T: Send>(
    gitdir: &Path,
    items: &[I],
    work: impl Fn(&Repo, &I) -> T + Sync,
) -> Result<Vec<T>> {
    items
        .par_iter()
        .with_min_len(16)
        .map(|i| with_repo(gitdir, |git| work(git, i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_worker_reads_the_same_objects_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let git = Repository::init_bare(dir.path()).unwrap();
        let blobs: Vec<git2::Oid> = (0..500)
            .map(|i| git.blob(format!("{i}\n").as_bytes()).unwrap())
            .collect();
        let read = map(git.path(), &blobs, |r, o| {
            String::from_utf8(r.blob(*o).unwrap()).unwrap()
        })
        .unwrap();
        let want: Vec<String> = (0..500).map(|i| format!("{i}\n")).collect();
        assert_eq!(read, want);
        assert!(map(Path::new("/nonexistent/repo.git"), &blobs, |_, _| ()).is_err());
    }
}
