//! Builds sandbox repositories for `hotfix demo`: commits written straight into the object
//! database with the authors and times the story needs, tags, and backports made as
//! `git cherry-pick -x` makes them.

use std::path::Path;

use git2::{Repository, RepositoryInitOptions, Signature, Time};

use super::{Oid, Repo};
use crate::error::Result;

/// A person as the sandbox's commits name one: (name, email).
pub type Who = (&'static str, &'static str);

/// A new repository with a working tree, and a bare one beside it to serve as its origin.
pub struct Sandbox {
    repo: Repo,
    now: i64,
    /// Who tags releases and commits backports.
    releaser: Who,
}

impl Sandbox {
    /// Creates the bare `origin` and the repository at `work` (initial branch `main`), whose
    /// git identity is `user`; `now` is the time `days_ago` counts back from.
    pub fn init(work: &Path, origin: &Path, user: Who, releaser: Who, now: i64) -> Result<Sandbox> {
        Repository::init_bare(origin)?;
        let mut opts = RepositoryInitOptions::new();
        opts.initial_head("main");
        let git = Repository::init_opts(work, &opts)?;
        {
            let mut cfg = git.config()?;
            cfg.set_str("user.name", user.0)?;
            cfg.set_str("user.email", user.1)?;
        }
        Ok(Sandbox {
            repo: Repo::from_git(git),
            now,
            releaser,
        })
    }

    fn sig(&self, who: Who, days_ago: i64) -> Result<Signature<'static>> {
        let t = self.now - days_ago * 86_400;
        Ok(Signature::new(who.0, who.1, &Time::new(t, 0))?)
    }

    /// Commits `files` (path, content) on top of `parent`, by `who`, `days_ago` days ago.
    pub fn commit(
        &self,
        parent: Option<Oid>,
        files: &[(&str, &str)],
        message: &str,
        who: Who,
        days_ago: i64,
    ) -> Result<Oid> {
        let mut edits = Vec::new();
        for (path, content) in files {
            edits.push((
                path.to_string(),
                Some(self.repo.write_blob(content.as_bytes())?),
            ));
        }
        let base = match parent {
            Some(p) => Some(self.repo.tree_of(p)?),
            None => None,
        };
        let tree = self.repo.tree_edit(base, &edits)?;
        let sig = self.sig(who, days_ago)?;
        let parents: Vec<Oid> = parent.into_iter().collect();
        self.repo
            .commit_tree_as(tree, &parents, message, &sig, &sig)
    }

    /// Tags a release `days_ago` days ago.
    pub fn tag(&self, name: &str, target: Oid, days_ago: i64) -> Result<()> {
        let obj = self.repo.git.find_object(target, None)?;
        let sig = self.sig(self.releaser, days_ago)?;
        self.repo
            .git
            .tag(name, &obj, &sig, &format!("Release {name}"), false)?;
        Ok(())
    }

    /// Picks a commit onto a branch as `git cherry-pick -x` would (no conflicts in the demo).
    pub fn backport(&self, onto: Oid, source: Oid, days_ago: i64) -> Result<Oid> {
        let git = &self.repo.git;
        let src = git.find_commit(source)?;
        let ours = git.find_commit(onto)?;
        let mut index = git.cherrypick_commit(&src, &ours, 0, None)?;
        let tree = index.write_tree_to(git)?;
        let message = super::message::append_picked_from(
            &String::from_utf8_lossy(src.message_raw_bytes()),
            &source.to_string(),
        );
        let sig = self.sig(self.releaser, days_ago)?;
        self.repo
            .commit_tree_as(tree, &[onto], &message, &src.author(), &sig)
    }

    /// Points the branches at their commits, checks out `main`, and adds `origin` as the
    /// remote named origin.
    pub fn publish(&self, branches: &[(&str, Oid)], origin: &Path) -> Result<()> {
        let git = &self.repo.git;
        for (name, commit) in branches {
            git.reference(&format!("refs/heads/{name}"), *commit, true, "demo")?;
        }
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.force();
        git.checkout_head(Some(&mut checkout))?;
        git.remote("origin", &origin.to_string_lossy())?;
        Ok(())
    }
}
