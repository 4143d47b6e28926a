//! The cherry-pick sequencer. libgit2 has no sequencer: the saved state, `-x` trailer,
//! `--continue`, `--skip` and `--abort` are built here.
//!
//! Crash safety: the state file (`.git/hotfix/pick.json`) is written before anything changes and
//! after every step. A clean pick creates the commit object, checks its tree out, then moves the
//! branch by compare-and-swap. Whatever point a kill lands on, the next command finds the state
//! and either completes the step (the index already holds the pick, or the branch already moved
//! to it) or undoes everything with `--abort`.

use std::path::PathBuf;

use git2::build::CheckoutBuilder;
use git2::{CherrypickOptions, Commit, ErrorCode, MergeOptions, Oid, Signature};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::git::message::{append_picked_from, picked_from};
use crate::git::{Repo, summary_of};

const STATE_SCHEMA: u32 = 1;

/// Why a source was skipped when the branch has its change already.
pub const ALREADY: &str = "its change is already on the branch";

/// One commit waiting to be picked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Todo {
    pub source: String,
    pub mainline: Option<u32>,
    pub pr: Option<u64>,
    /// The commit actually cherry-picked when it is not `source`: a newer line's pick of it
    /// (a chain), whose own trailers lead to `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

impl Todo {
    /// The commit this step cherry-picks: the chain link, else the source.
    pub fn picked(&self) -> &str {
        self.via.as_deref().unwrap_or(&self.source)
    }
}

/// One commit the sequence has dealt with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Done {
    pub source: String,
    /// The commit created on the branch, or `None` when the source was skipped.
    pub commit: Option<String>,
    /// Why it was skipped.
    pub skipped: Option<String>,
    /// True when the pick stopped on a conflict that the user resolved.
    pub resolved: bool,
    pub pr: Option<u64>,
    /// The parent a merge source was taken against.
    #[serde(default)]
    pub mainline: Option<u32>,
}

/// The saved state of a pick in progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PickState {
    pub schema: u32,
    /// The hotfix id (its tag name).
    pub hotfix: String,
    /// The full ref of the hotfix branch.
    pub branch: String,
    /// The branch tip before the whole pick began; `--abort` returns here.
    pub orig_head: String,
    /// The branch tip when the current step began.
    pub current_head: String,
    pub todo: Vec<Todo>,
    pub done: Vec<Done>,
    /// True when the sequence stopped on a conflict.
    pub stopped: bool,
    pub allow_empty: bool,
    /// The pick commit whose files are being written to the working tree: set before the
    /// checkout starts, cleared once the branch points at it, so a kill in between can be told
    /// from a user's edit.
    #[serde(default)]
    pub checkout: Option<String>,
}

/// How a run of the sequence ended.
#[derive(Debug)]
pub enum End {
    Finished,
    Conflict { source: Oid, paths: Vec<String> },
}

/// What happened to one source, reported as it happens.
#[derive(Debug)]
pub enum Step {
    Applied { source: Oid, commit: Oid },
    Skipped { source: Oid, reason: String },
}

fn oid(s: &str) -> Result<Oid> {
    Oid::from_str(s).map_err(|_| {
        Error::usage("the saved pick state is damaged")
            .cause(format!("'{s}' is not a commit id"))
            .hint("run `hotfix pick --abort`; if that fails too, remove .git/hotfix/pick.json")
    })
}

impl PickState {
    pub fn new(
        hotfix: &str,
        branch: &str,
        head: Oid,
        todo: Vec<Todo>,
        allow_empty: bool,
    ) -> PickState {
        PickState {
            schema: STATE_SCHEMA,
            hotfix: hotfix.to_string(),
            branch: branch.to_string(),
            orig_head: head.to_string(),
            current_head: head.to_string(),
            todo,
            done: Vec::new(),
            stopped: false,
            allow_empty,
            checkout: None,
        }
    }

    fn path(repo: &Repo) -> PathBuf {
        repo.state_dir().join("pick.json")
    }

    /// Loads the saved state, if a pick is in progress.
    pub fn load(repo: &Repo) -> Result<Option<PickState>> {
        let path = Self::path(repo);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let damaged = |why: String| {
            Error::usage("the saved pick state is damaged")
                .cause(format!("{}: {why}", path.display()))
                .hint(format!(
                    "if no pick is under way, remove it: rm '{}' (and `git cherry-pick --abort` if git shows one)",
                    path.display()
                ))
        };
        Self::parse(&text).map(Some).map_err(damaged)
    }

    /// Parses and checks a state file's text: a state, or what is wrong with it.
    pub fn parse(text: &str) -> std::result::Result<PickState, String> {
        let state: PickState = serde_json::from_str(text).map_err(|e| e.to_string())?;
        state.check()?;
        Ok(state)
    }

    /// Checks what the code relies on before it indexes into the state: the schema, the branch
    /// ref, and that every commit id is a full hexadecimal id.
    fn check(&self) -> std::result::Result<(), String> {
        if self.schema != STATE_SCHEMA {
            return Err(format!(
                "schema {} is not {STATE_SCHEMA}, the one this hotfix writes",
                self.schema
            ));
        }
        if !self.branch.starts_with("refs/heads/") {
            return Err(format!("'{}' is not a branch ref", self.branch));
        }
        let ids = [&self.orig_head, &self.current_head]
            .into_iter()
            .chain(self.checkout.as_ref())
            .chain(self.todo.iter().map(|t| &t.source))
            .chain(self.todo.iter().filter_map(|t| t.via.as_ref()))
            .chain(self.done.iter().map(|d| &d.source))
            .chain(self.done.iter().filter_map(|d| d.commit.as_ref()));
        for id in ids {
            if id.len() != 40 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("'{id}' is not a full commit id"));
            }
        }
        Ok(())
    }

    /// Saves the state atomically (write, then rename), so a kill never leaves half a file.
    pub fn save(&self, repo: &Repo) -> Result<()> {
        let path = Self::path(repo);
        std::fs::create_dir_all(repo.state_dir())?;
        let tmp = path.with_extension("json.tmp");
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(self).expect("state serializes"))?;
            // The data reaches the disk before the rename makes it the state, and the rename
            // reaches it before the step that relies on it: a power cut leaves the old state
            // or the new one, never an empty file.
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(repo.state_dir())?.sync_all()?;
        Ok(())
    }

    pub fn clear(repo: &Repo) -> Result<()> {
        match std::fs::remove_file(Self::path(repo)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Lists the commits this sequence created, oldest first.
    pub fn created(&self) -> Vec<Oid> {
        self.done
            .iter()
            .filter_map(|d| d.commit.as_deref())
            .filter_map(|c| Oid::from_str(c).ok())
            .collect()
    }
}

/// Merge options shared by every pick: rename detection at 50%, as git's default.
pub(in crate::git) fn merge_options() -> MergeOptions {
    let mut m = MergeOptions::new();
    m.find_renames(true).rename_threshold(50);
    m
}

/// Runs the sequence over a repository with one committer identity.
pub struct Sequencer<'r> {
    repo: &'r Repo,
    committer: Signature<'static>,
}

impl<'r> Sequencer<'r> {
    pub fn new(repo: &'r Repo) -> Result<Sequencer<'r>> {
        Ok(Sequencer {
            repo,
            committer: repo.signature()?,
        })
    }

    fn git(&self) -> &git2::Repository {
        &self.repo.git
    }

    /// Returns the branch tip, refusing when HEAD is no longer on the branch being picked onto.
    fn branch_tip(&self, st: &PickState) -> Result<Oid> {
        let head = self.git().find_reference("HEAD")?;
        let on = head.symbolic_target().ok().flatten().unwrap_or("");
        if on != st.branch {
            let short = st.branch.trim_start_matches("refs/heads/");
            return Err(Error::usage(format!("HEAD is no longer on {short}"))
                .cause(format!(
                    "a pick onto {short} is in progress, but HEAD now points at {}",
                    if on.is_empty() { "a detached commit" } else { on }
                ))
                .hint(format!(
                    "switch back (git switch {short}) and run `hotfix pick --continue`, `--skip` or `--abort`"
                )));
        }
        let r = self.git().find_reference(&st.branch)?;
        r.target()
            .ok_or_else(|| Error::usage("the hotfix branch has no target"))
    }

    /// Brings the state up to date with a step that completed just before a kill: the branch
    /// already points at a pick of the current source made on the current head.
    fn reconcile(&self, st: &mut PickState) -> Result<()> {
        let tip = self.branch_tip(st)?;
        let current = oid(&st.current_head)?;
        if tip == current {
            return Ok(());
        }
        let Some(item) = st.todo.first().cloned() else {
            return Ok(());
        };
        let c = self.git().find_commit(tip)?;
        let parent_is_current = c.parent_count() == 1 && c.parent_id(0)? == current;
        if !parent_is_current {
            return Ok(()); // the caller decides whether a moved branch is acceptable
        }
        let names_source = picked_from(&String::from_utf8_lossy(c.message_raw_bytes()))
            .last()
            .is_some_and(|s| s == item.picked());
        let source = self.git().find_commit(oid(item.picked())?)?;
        let same_subject = c.summary_bytes() == source.summary_bytes();
        if names_source {
            st.done.push(Done {
                source: item.source.clone(),
                commit: Some(tip.to_string()),
                skipped: None,
                resolved: st.stopped,
                pr: item.pr,
                mainline: item.mainline,
            });
        } else if st.stopped && same_subject {
            // The user committed the resolution with `git commit`: rewrite that commit with the
            // source's author and the cherry-pick trailer, keeping its tree.
            let parent = self.git().find_commit(current)?;
            let fixed = self.commit_pick(&source, c.tree_id(), &parent)?;
            self.git().reference_matching(
                &st.branch,
                fixed,
                true,
                tip,
                "hotfix pick: add trailer",
            )?;
            st.done.push(Done {
                source: item.source.clone(),
                commit: Some(fixed.to_string()),
                skipped: None,
                resolved: true,
                pr: item.pr,
                mainline: item.mainline,
            });
        } else {
            return Ok(()); // not our step: the caller refuses a moved branch
        }
        st.todo.remove(0);
        st.current_head = self.branch_tip(st)?.to_string();
        st.stopped = false;
        let _ = self.git().cleanup_state();
        st.save(self.repo)
    }

    /// Creates the pick commit: the source's author and message plus the trailer, our committer.
    fn commit_pick(&self, source: &Commit<'_>, tree: Oid, parent: &Commit<'_>) -> Result<Oid> {
        let message = String::from_utf8_lossy(source.message_raw_bytes()).into_owned();
        let message = append_picked_from(&message, &source.id().to_string());
        let tree = self.git().find_tree(tree)?;
        Ok(self.git().commit(
            None,
            &source.author(),
            &self.committer,
            &message,
            &tree,
            &[parent],
        )?)
    }

    /// Moves the branch from `from` to `to` only if it still points at `from`.
    fn move_branch(&self, st: &PickState, from: Oid, to: Oid, why: &str) -> Result<()> {
        match self.git().reference_matching(&st.branch, to, true, from, why) {
            Ok(_) => Ok(()),
            Err(e) if e.code() == ErrorCode::Modified => Err(Error::usage("the hotfix branch moved during the pick")
                .cause(format!("{} no longer points at {from}; another process changed it", st.branch))
                .hint("nothing was overwritten; look at `git log`, then `hotfix pick --continue` or `--abort`")),
            Err(e) => Err(e.into()),
        }
    }

    /// Applies queued sources until the queue is empty or one stops on a conflict.
    pub fn run(&self, st: &mut PickState, report: &mut dyn FnMut(&Step)) -> Result<End> {
        while let Some(item) = st.todo.first().cloned() {
            let head = self.branch_tip(st)?;
            if head != oid(&st.current_head)? {
                return Err(self.moved_error(st, head));
            }
            let source = self.git().find_commit(oid(item.picked())?)?;
            let head_commit = self.git().find_commit(head)?;
            let mut index = self.git().cherrypick_commit(
                &source,
                &head_commit,
                item.mainline.unwrap_or(0),
                Some(&merge_options()),
            )?;
            if index.has_conflicts() {
                let paths = conflicted_paths(&index);
                // Stopped before the conflict is written: a kill while it is written leaves a
                // state that `--continue` knows to be a conflict, never a clean step.
                st.stopped = true;
                st.save(self.repo)?;
                crate::error::failpoint("pick-before-conflict");
                let mut checkout = CheckoutBuilder::new();
                checkout
                    .safe()
                    .allow_conflicts(true)
                    .conflict_style_merge(true);
                let mut opts = CherrypickOptions::new();
                opts.mainline(item.mainline.unwrap_or(0))
                    .merge_opts(merge_options())
                    .checkout_builder(checkout);
                self.git()
                    .cherrypick(&source, Some(&mut opts))
                    .map_err(in_the_way)?;
                st.stopped = true;
                st.save(self.repo)?;
                return Ok(End::Conflict {
                    source: source.id(),
                    paths,
                });
            }
            let tree = index.write_tree_to(self.git())?;
            let source_is_empty =
                self.repo.parent_tree(source.id(), item.mainline)? == Some(source.tree_id());
            if tree == head_commit.tree_id() && !(source_is_empty && st.allow_empty) {
                let reason = if source_is_empty {
                    "it changes nothing"
                } else {
                    ALREADY
                };
                st.done.push(Done {
                    source: item.source.clone(),
                    commit: None,
                    skipped: Some(reason.into()),
                    resolved: false,
                    pr: item.pr,
                    mainline: item.mainline,
                });
                st.todo.remove(0);
                st.save(self.repo)?;
                report(&Step::Skipped {
                    source: source.id(),
                    reason: reason.into(),
                });
                continue;
            }
            let commit = self.commit_pick(&source, tree, &head_commit)?;
            crate::error::failpoint("pick-after-commit");
            st.checkout = Some(commit.to_string());
            st.save(self.repo)?;
            let mut checkout = CheckoutBuilder::new();
            checkout.safe();
            checkout.progress(|_, done, total| {
                if total > 1 && done * 2 >= total {
                    crate::error::failpoint("pick-mid-checkout");
                }
            });
            self.git()
                .checkout_tree(&self.git().find_object(commit, None)?, Some(&mut checkout))
                .map_err(in_the_way)?;
            crate::error::failpoint("pick-after-checkout");
            self.move_branch(
                st,
                head,
                commit,
                &format!("hotfix pick: {}", summary_of(&source)),
            )?;
            crate::error::failpoint("pick-after-ref");
            st.done.push(Done {
                source: item.source.clone(),
                commit: Some(commit.to_string()),
                skipped: None,
                resolved: false,
                pr: item.pr,
                mainline: item.mainline,
            });
            st.todo.remove(0);
            st.current_head = commit.to_string();
            st.checkout = None;
            st.save(self.repo)?;
            report(&Step::Applied {
                source: source.id(),
                commit,
            });
        }
        Ok(End::Finished)
    }

    fn moved_error(&self, st: &PickState, tip: Oid) -> Error {
        let short = st.branch.trim_start_matches("refs/heads/");
        Error::usage(format!("{short} moved while the pick was stopped"))
            .cause(format!(
                "it was at {} and is now at {}; hotfix will not guess what happened",
                &st.current_head[..10],
                &tip.to_string()[..10]
            ))
            .hint("move it back (git reset --keep ORIG) and `hotfix pick --continue`, or keep it as it is and remove .git/hotfix/pick.json")
    }

    /// Undoes a checkout a kill interrupted: with the branch still at `current_head`, every file
    /// the pick commit `st.checkout` writes that holds the start of (or all of) what the pick
    /// writes there, and is not what the branch has, is the pick's own half-done work. A file
    /// the pick adds is removed, a file it changes gets the branch's content back. Anything
    /// else (an edit of yours) is left alone. Returns the paths put back.
    fn undo_partial_checkout(&self, st: &mut PickState) -> Result<Vec<String>> {
        let Some(target) = st.checkout.clone() else {
            return Ok(Vec::new());
        };
        let head = oid(&st.current_head)?;
        if self.branch_tip(st)? != head {
            return Ok(Vec::new()); // the branch moved on: the checkout finished
        }
        let dir = self.repo.workdir()?;
        let head_tree = self.git().find_commit(head)?.tree()?;
        let target_tree = self.git().find_commit(oid(&target)?)?.tree()?;
        let diff = self
            .git()
            .diff_tree_to_tree(Some(&head_tree), Some(&target_tree), None)?;
        let mut undone = Vec::new();
        for d in diff.deltas() {
            let (Some(path), new) = (d.new_file().path(), d.new_file()) else {
                continue;
            };
            if !new.exists() {
                continue;
            }
            let file = dir.join(path);
            let Ok(on_disk) = std::fs::read(&file) else {
                continue;
            };
            let written = self.git().find_blob(new.id())?;
            let old = d
                .old_file()
                .exists()
                .then(|| self.git().find_blob(d.old_file().id()))
                .transpose()?;
            let is_old = old
                .as_ref()
                .is_some_and(|o| o.content() == on_disk.as_slice());
            if is_old || !written.content().starts_with(&on_disk) {
                continue;
            }
            match old {
                Some(o) => std::fs::write(&file, o.content())?,
                None => {
                    std::fs::remove_file(&file)?;
                    // Folders the pick made for its files go too, once empty.
                    let mut parent = file.parent();
                    while let Some(p) = parent.filter(|p| p.starts_with(&dir) && *p != dir) {
                        if std::fs::remove_dir(p).is_err() {
                            break;
                        }
                        parent = p.parent();
                    }
                }
            }
            undone.push(path.to_string_lossy().into_owned());
        }
        // The index still holds the branch's tree where the checkout did not get to update it.
        let mut index = self.git().index()?;
        index.read_tree(&head_tree)?;
        index.write()?;
        st.checkout = None;
        st.save(self.repo)?;
        Ok(undone)
    }

    /// Commits the resolved conflict (or the step a kill interrupted), then runs the rest.
    pub fn resume(&self, st: &mut PickState, report: &mut dyn FnMut(&Step)) -> Result<End> {
        self.reconcile(st)?;
        self.undo_partial_checkout(st)?;
        let Some(item) = st.todo.first().cloned() else {
            let _ = self.git().cleanup_state();
            return Ok(End::Finished);
        };
        let head = self.branch_tip(st)?;
        if head != oid(&st.current_head)? {
            return Err(self.moved_error(st, head));
        }
        let mut index = self.git().index()?;
        index.read(true)?;
        if index.has_conflicts() {
            let paths = conflicted_paths(&index);
            return Err(Error::conflict(format!("{} still has unresolved conflicts", paths.join(", ")))
                .cause("the files are still marked as conflicted in the index")
                .hint("edit them to resolve the conflict, `git add` each one, then `hotfix pick --continue` (or `--skip`, or `--abort`)"));
        }
        let tree = index.write_tree()?;
        let head_commit = self.git().find_commit(head)?;
        if st.stopped {
            let left = self.markers_added(head_commit.tree_id(), tree)?;
            if let Some(first) = left.first() {
                return Err(Error::conflict(format!(
                    "the resolution still holds conflict markers: {first}{}",
                    if left.len() > 1 {
                        format!(" and {} more", left.len() - 1)
                    } else {
                        String::new()
                    }
                ))
                .cause("a line starting with <<<<<<< or >>>>>>> was added, as git writes them into a conflicted file; `git add` marks a file resolved without reading it")
                .hint("edit the file to the resolved text, `git add` it, then `hotfix pick --continue` (or `--skip`, or `--abort`)"));
            }
        }
        if tree == head_commit.tree_id()
            && st.stopped
            && self.git().state() != git2::RepositoryState::CherryPick
        {
            // Killed after the state said "stopped" and before the conflict was written:
            // nothing of the step is in the working tree, so it is run again.
            st.stopped = false;
            st.save(self.repo)?;
            return self.run(st, report);
        }
        if tree == head_commit.tree_id() {
            if st.stopped {
                return Err(Error::usage(format!(
                    "the resolution leaves the pick of {} empty",
                    &item.source[..10]
                ))
                .cause("after your resolution the commit would change nothing")
                .hint("drop it with `hotfix pick --skip`, or resolve differently and `git add` the files"));
            }
            // Killed before the step changed anything: run it again from the start.
            return self.run(st, report);
        }
        let source = self.git().find_commit(oid(item.picked())?)?;
        let commit = self.commit_pick(&source, tree, &head_commit)?;
        // The index and working tree already hold the resolution: only the branch moves.
        self.move_branch(st, head, commit, "hotfix pick --continue")?;
        let _ = self.git().cleanup_state();
        st.done.push(Done {
            source: item.source.clone(),
            commit: Some(commit.to_string()),
            skipped: None,
            resolved: st.stopped,
            pr: item.pr,
            mainline: item.mainline,
        });
        st.todo.remove(0);
        st.current_head = commit.to_string();
        st.stopped = false;
        st.save(self.repo)?;
        report(&Step::Applied {
            source: source.id(),
            commit,
        });
        self.run(st, report)
    }

    /// Lists the conflict markers (`path:line`) that the change from tree `a` to tree `b`
    /// adds: lines `<<<<<<< …` and `>>>>>>> …`, as a conflicted checkout writes them.
    fn markers_added(&self, a: Oid, b: Oid) -> Result<Vec<String>> {
        let (ta, tb) = (self.git().find_tree(a)?, self.git().find_tree(b)?);
        let diff = self.git().diff_tree_to_tree(Some(&ta), Some(&tb), None)?;
        let mut found = Vec::new();
        diff.foreach(
            &mut |_, _| true,
            None,
            None,
            Some(&mut |delta, _, line| {
                if line.origin() == '+' {
                    let text = line.content();
                    // A lone `=======` is a heading underline in Markdown or reST: only the
                    // opening and closing markers are judged.
                    let marker = text.starts_with(b"<<<<<<< ") || text.starts_with(b">>>>>>> ");
                    if marker {
                        let path = delta
                            .new_file()
                            .path()
                            .map(|p| p.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        found.push(format!("{path}:{}", line.new_lineno().unwrap_or_default()));
                    }
                }
                true
            }),
        )?;
        Ok(found)
    }

    /// Drops the current source (restoring the index and working tree to the branch tip), then
    /// runs the rest.
    pub fn skip(&self, st: &mut PickState, report: &mut dyn FnMut(&Step)) -> Result<End> {
        self.reconcile(st)?;
        let Some(item) = st.todo.first().cloned() else {
            return Err(Error::usage("nothing to skip")
                .cause("every commit of the pick in progress is already dealt with")
                .hint("run `hotfix pick --continue` to finish it"));
        };
        let head = self.branch_tip(st)?;
        if head != oid(&st.current_head)? {
            return Err(self.moved_error(st, head));
        }
        self.undo_partial_checkout(st)?;
        self.reset_merge(head)?;
        let _ = self.git().cleanup_state();
        st.done.push(Done {
            source: item.source.clone(),
            commit: None,
            skipped: Some("skipped by request".into()),
            resolved: false,
            pr: item.pr,
            mainline: item.mainline,
        });
        st.todo.remove(0);
        st.stopped = false;
        st.save(self.repo)?;
        report(&Step::Skipped {
            source: oid(&item.source)?,
            reason: "skipped by request".into(),
        });
        self.run(st, report)
    }

    /// Restores the branch, index and working tree to where they were before the pick began.
    /// Refuses when the branch was moved to a commit the pick did not make.
    pub fn abort(&self, st: &mut PickState) -> Result<()> {
        let tip = self.branch_tip(st)?;
        self.reconcile(st)?;
        let tip_now = self.branch_tip(st)?;
        let orig = oid(&st.orig_head)?;
        let mut known: Vec<Oid> = st.created();
        known.push(orig);
        known.push(oid(&st.current_head)?);
        if !known.contains(&tip_now) && !known.contains(&tip) {
            let short = st.branch.trim_start_matches("refs/heads/");
            return Err(Error::usage(format!("will not abort: {short} moved to a commit the pick did not make"))
                .cause(format!(
                    "{short} is at {}, which is neither where the pick began ({}) nor one of its picks",
                    &tip_now.to_string()[..10],
                    &st.orig_head[..10]
                ))
                .hint(format!(
                    "resetting would lose that commit; check `git log {short}`, move it elsewhere if you need it, then `git reset --keep {}` and remove .git/hotfix/pick.json",
                    &st.orig_head[..10]
                )));
        }
        self.undo_partial_checkout(st)?;
        self.reset_merge(orig)?;
        let _ = self.git().cleanup_state();
        Ok(())
    }

    /// Moves the branch to `target` and undoes in the index and working tree only what the
    /// pick changed, as `git cherry-pick --abort` does (`git reset --merge`): edits of your own
    /// to other files are kept, and one in a file the pick touched makes it refuse, changing
    /// nothing.
    fn reset_merge(&self, target: Oid) -> Result<()> {
        let dir = self.repo.workdir()?;
        let out = super::cli::run(
            &dir,
            &["reset", "--quiet", "--merge", &target.to_string()],
            super::cli::NETWORK_TIMEOUT,
        )?;
        if out.success {
            return Ok(());
        }
        Err(Error::usage("cannot undo the pick without losing changes of yours")
            .cause(out.stderr.trim().to_string())
            .hint("commit or stash your own changes to the files named (git stash), then run the command again"))
    }
}

/// Explains a checkout that libgit2 refused because files in the working tree are in the way
/// (untracked files the pick would create). Nothing was written; the saved state lets
/// `--continue` try again once they are moved.
fn in_the_way(e: git2::Error) -> Error {
    if e.code() != ErrorCode::Conflict {
        return e.into();
    }
    Error::usage("the pick would overwrite files in the working tree")
        .cause(format!("{} (untracked files where the pick writes)", e.message()))
        .hint("move the untracked files that `git status` lists out of the way, then `hotfix pick --continue` (or `--abort`)")
}

fn conflicted_paths(index: &git2::Index) -> Vec<String> {
    let mut paths: Vec<String> = index
        .conflicts()
        .map(|it| {
            it.filter_map(|c| c.ok())
                .filter_map(|c| c.our.or(c.their).or(c.ancestor))
                .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths.dedup();
    paths
}
