//! Where a commit came from, proved from the repository: its cherry-pick trailers traced back
//! to mainline through chains of picks, the pick compared with its source by patch-id over the
//! changed lines, and merges compared with git's own merge of their parents.

use serde::Serialize;

use super::{BranchTip, CommitInfo, Oid, Repo};
use crate::error::Result;
use crate::git::message::picked_from;

/// Where a commit came from, as proved from the repository.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Provenance {
    /// The trailer chain ends on a mainline commit.
    Picked {
        source: String,
        origin: String,
        chain: Vec<String>,
        clean: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        difference: Option<String>,
    },
    /// No trailer, but a mainline commit since the line forked has the same changed lines
    /// (patch-id, as `git cherry` matches) and, cherry-picked onto this commit's parent, gives
    /// exactly its tree: a backport made with `git cherry-pick` without `-x`, or rebased.
    Matched { origin: String },
    /// A trailer names a commit that is not on mainline, or that this clone does not have.
    NotOnMainline { source: String, reason: String },
    /// No cherry-pick trailer.
    NoTrailer,
    /// No trailer and no patch-id match, but a mainline commit since the line forked has the
    /// same subject and author: most likely its source, with a conflict resolved by hand.
    Unmatched { near: String },
    /// A merge commit; the commits it brings in are judged on their own.
    Merge,
}

impl Provenance {
    /// Says in a few words where a commit came from: `clean, from 3f2c1ab9e0`.
    pub fn describe(&self) -> String {
        match self {
            Provenance::Picked {
                clean: true,
                origin,
                ..
            } => format!("clean, from {}", &origin[..origin.len().min(10)]),
            Provenance::Picked {
                clean: false,
                origin,
                ..
            } => {
                format!("modified, from {}", &origin[..origin.len().min(10)])
            }
            Provenance::Matched { origin } => {
                format!(
                    "matched by patch-id, from {}",
                    &origin[..origin.len().min(10)]
                )
            }
            Provenance::NotOnMainline { .. } => "not from mainline".into(),
            Provenance::NoTrailer => "no cherry-pick trailer".into(),
            Provenance::Unmatched { near } => format!(
                "no cherry-pick trailer; like {} but changed otherwise",
                &near[..near.len().min(10)]
            ),
            Provenance::Merge => "merge".into(),
        }
    }
}

impl Provenance {
    /// The mainline commit this one is proved to come from, by its trailer or by patch-id.
    pub fn origin(&self) -> Option<&str> {
        match self {
            Provenance::Picked { origin, .. } | Provenance::Matched { origin } => Some(origin),
            _ => None,
        }
    }

    /// Tells whether the commit carries no cherry-pick trailer and matched nothing.
    pub fn is_untrailed(&self) -> bool {
        matches!(self, Provenance::NoTrailer | Provenance::Unmatched { .. })
    }

    /// Tells whether the commit equals its mainline source (a clean pick or a confirmed match).
    pub fn is_clean(&self) -> bool {
        matches!(
            self,
            Provenance::Picked { clean: true, .. } | Provenance::Matched { .. }
        )
    }
}

/// How many of mainline's commits since the line forked are searched for a backport without
/// a trailer: a bound, so that a line forked long ago does not make `check` read all of them.
pub const MATCH_WINDOW: usize = 10_000;

/// Finds the mainline commit a commit without a trailer was copied from, as `git cherry` does:
/// same patch-id among `since` (mainline's commits since the line forked, newest first). A
/// candidate must change every path the commit changes (a tree lookup, cheap) before its
/// patch-id is computed, and a match must be confirmed as a trailer's is: the candidate,
/// cherry-picked onto the commit's parent, gives exactly its tree. Without a match, a mainline
/// commit of the same subject and author is named as `Unmatched`, for the message.
pub fn match_by_patch_id(repo: &Repo, c: &CommitInfo, since: &[Oid]) -> Result<Option<Provenance>> {
    Ok(match_all(repo, &[c], since)?.pop().flatten())
}

/// `match_by_patch_id` for several commits in one pass over `since`: each candidate's trees
/// are read once, whatever the number of commits looked for.
pub fn match_all(
    repo: &Repo,
    commits: &[&CommitInfo],
    since: &[Oid],
) -> Result<Vec<Option<Provenance>>> {
    struct Wanted<'c> {
        c: &'c CommitInfo,
        paths: std::collections::BTreeSet<String>,
        patch_id: Option<Oid>,
        found: Option<Provenance>,
        near: Option<Oid>,
        /// The top-level entries its paths lie under: a candidate changing others differs.
        tops: std::collections::BTreeSet<String>,
    }
    let mut wanted = Vec::with_capacity(commits.len());
    for &c in commits {
        let single = c.parents.len() == 1;
        wanted.push(Wanted {
            c,
            paths: if single {
                repo.changed_paths(c.id, None)?
            } else {
                Default::default()
            },
            patch_id: if single {
                repo.patch_id(c.id, None)?
            } else {
                None
            },
            found: None,
            near: None,
            tops: Default::default(),
        });
    }
    for w in &mut wanted {
        w.tops = w
            .paths
            .iter()
            .map(|p| p.split('/').next().unwrap_or(p).to_string())
            .collect();
    }
    // The top-level entries a candidate changes: two small trees compared, no diff.
    let changed_tops = |new: &git2::Tree<'_>, old: &git2::Tree<'_>| {
        let mut out = std::collections::BTreeSet::new();
        for e in new.iter() {
            let name = e.name().unwrap_or_default();
            if old.get_name(name).map(|o| o.id()) != Some(e.id()) {
                out.insert(name.to_string());
            }
        }
        for e in old.iter() {
            let name = e.name().unwrap_or_default();
            if new.get_name(name).is_none() {
                out.insert(name.to_string());
            }
        }
        out
    };
    let entry = |tree: &git2::Tree<'_>, path: &str| {
        tree.get_path(std::path::Path::new(path))
            .ok()
            .map(|e| (e.id(), e.filemode()))
    };
    for &id in since {
        if wanted
            .iter()
            .all(|w| w.found.is_some() || w.patch_id.is_none())
        {
            break;
        }
        // A commit that is itself on mainline (a hotfix fast-forwarded from it) is its own
        // source.
        for w in wanted
            .iter_mut()
            .filter(|w| w.found.is_none() && w.c.id == id)
        {
            w.found = Some(Provenance::Matched {
                origin: id.to_string(),
            });
        }
        let cand = repo.git.find_commit(id)?;
        if cand.parent_count() != 1 {
            continue;
        }
        let (new, old) = (cand.tree()?, cand.parent(0)?.tree()?);
        let mut cand_patch_id = None;
        let mut tops = None;
        for w in wanted
            .iter_mut()
            .filter(|w| w.found.is_none() && w.patch_id.is_some() && w.c.id != id)
        {
            if w.near.is_none()
                && cand.summary().ok().flatten() == Some(w.c.summary.as_str())
                && cand.author().email().ok() == Some(w.c.author.email.as_str())
            {
                w.near = Some(id);
            }
            if !w.paths.iter().all(|p| entry(&new, p) != entry(&old, p)) {
                continue;
            }
            if *tops.get_or_insert_with(|| changed_tops(&new, &old)) != w.tops {
                continue;
            }
            if cand_patch_id.is_none() {
                cand_patch_id = Some(repo.patch_id(id, None)?);
            }
            if cand_patch_id.flatten() == w.patch_id && confirm(repo, &cand, None, w.c)?.is_none() {
                w.found = Some(Provenance::Matched {
                    origin: id.to_string(),
                });
            }
        }
    }
    Ok(wanted
        .into_iter()
        .map(|w| {
            w.found.or(w.near.map(|n| Provenance::Unmatched {
                near: n.to_string(),
            }))
        })
        .collect())
}

impl Repo {
    /// Lists mainline's commits since it forked from `base` (`merge-base..tip`), newest first,
    /// at most `MATCH_WINDOW` of them.
    pub fn mainline_since(&self, base: Oid, tip: Oid) -> Result<Vec<Oid>> {
        let fork = self.git.merge_base(base, tip)?;
        let mut walk = self.git.revwalk()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL)?;
        walk.push(tip)?;
        walk.hide(fork)?;
        let mut out = Vec::new();
        for id in walk.take(MATCH_WINDOW) {
            out.push(id?);
        }
        Ok(out)
    }
}

/// What `no-merges` needs to know of a merge commit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MergeCheck {
    /// True when the merge's tree is exactly git's own merge of its parents.
    pub clean: bool,
    pub detail: String,
}

/// Traces a commit's cherry-pick trailers back to mainline, following a chain of picks (each
/// pick names its immediate source last), and compares the pick with the mainline original.
pub fn provenance(repo: &Repo, c: &CommitInfo, mainline: &BranchTip) -> Result<Provenance> {
    let names = picked_from(&c.message);
    let Some(first) = names.last() else {
        return Ok(Provenance::NoTrailer);
    };
    let mut chain = Vec::new();
    let mut current = first.clone();
    for _ in 0..16 {
        let Ok(obj) = repo.git.revparse_single(&current) else {
            return Ok(Provenance::NotOnMainline {
                source: first.clone(),
                reason: format!("its trailer names {current}, which this clone does not have"),
            });
        };
        let Ok(src) = obj.peel_to_commit() else {
            return Ok(Provenance::NotOnMainline {
                source: first.clone(),
                reason: format!("its trailer names {current}, which is not a commit"),
            });
        };
        chain.push(src.id().to_string());
        if repo.is_ancestor(src.id(), mainline.tip)? {
            let mainline_parent = (src.parent_count() > 1).then_some(1);
            // A trailer is a claim. A pick that changes none of its source's files is not a
            // pick of it, whatever it says (and whatever policy.allow-modified allows).
            let theirs_paths = repo.changed_paths(src.id(), mainline_parent)?;
            let ours_paths = repo.changed_paths(c.id, None)?;
            if theirs_paths.is_disjoint(&ours_paths) {
                // A line where the file was renamed: the pick is still proved if a link of the
                // chain, replayed onto the pick's parent with renames followed, gives exactly
                // the pick's tree.
                if replays_through_renames(repo, &chain, c)? {
                    return Ok(Provenance::Picked {
                        source: first.clone(),
                        origin: src.id().to_string(),
                        chain,
                        clean: true,
                        difference: None,
                    });
                }
                let short = &src.id().to_string()[..10];
                let list = theirs_paths
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                return Ok(Provenance::NotOnMainline {
                    source: first.clone(),
                    reason: format!(
                        "its trailer names {short}, but it changes none of the files {short} changes ({list})"
                    ),
                });
            }
            let ours = repo.patch_id(c.id, None)?;
            let theirs = repo.patch_id(src.id(), mainline_parent)?;
            let mut clean = ours == theirs;
            let difference = if clean {
                // Equal changed lines can still land in other places (the same line added at
                // the end of the file instead of before `grant()`, or re-indented into another
                // block). The pick is clean only if the source, cherry-picked onto the pick's
                // parent, gives the pick's tree.
                let confirmed = confirm(repo, &src, mainline_parent, c)?;
                clean = confirmed.is_none();
                confirmed
            } else {
                Some(patch_difference(
                    &repo.patch_text(src.id(), mainline_parent)?,
                    &repo.patch_text(c.id, None)?,
                ))
            };
            return Ok(Provenance::Picked {
                source: first.clone(),
                origin: src.id().to_string(),
                chain,
                clean,
                difference,
            });
        }
        let src_message = String::from_utf8_lossy(src.message_raw_bytes()).into_owned();
        let next = match picked_from(&src_message).last() {
            Some(next) => Some(next.clone()),
            // A link copied without a trailer (a plain `git cherry-pick` onto another release
            // line) leads on through its patch-id match, confirmed as always.
            None => match match_by_patch_id(
                repo,
                &repo.commit_info(src.id())?,
                &repo.mainline_since(src.id(), mainline.tip)?,
            )? {
                Some(Provenance::Matched { origin }) => Some(origin),
                _ => None,
            },
        };
        match next {
            Some(next) => current = next,
            None => {
                return Ok(Provenance::NotOnMainline {
                    source: first.clone(),
                    reason: format!(
                        "its trailer names {}, which is not on mainline ({}) and is not itself a pick",
                        &src.id().to_string()[..10],
                        mainline.display
                    ),
                });
            }
        }
    }
    Ok(Provenance::NotOnMainline {
        source: first.clone(),
        reason: "its chain of cherry-pick trailers is longer than 16 links".into(),
    })
}

/// Tells whether one link of a pick's chain (the immediate source first), applied onto the
/// pick's parent with renames followed, gives exactly the pick's tree.
fn replays_through_renames(repo: &Repo, chain: &[String], pick: &CommitInfo) -> Result<bool> {
    let Some(parent) = pick.parents.first() else {
        return Ok(false);
    };
    let onto = repo.tree_of(*parent)?;
    for link in chain {
        let Ok(id) = Oid::from_str(link) else {
            continue;
        };
        let Some(before) = repo.parent_tree(id, None)? else {
            continue;
        };
        let after = repo.tree_of(id)?;
        if let super::apply::Applied::Clean { tree } = repo.apply_change(before, after, onto)? {
            if tree == pick.tree {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Cherry-picks `src` onto the pick's parent in memory and compares the result with the pick's
/// tree: `None` when they are equal, else what the pick has that the cherry-pick would not.
fn confirm(
    repo: &Repo,
    src: &git2::Commit<'_>,
    mainline_parent: Option<u32>,
    pick: &CommitInfo,
) -> Result<Option<String>> {
    let Some(parent) = pick.parents.first() else {
        return Ok(Some(
            "the pick has no parent to apply its source on, so it cannot be confirmed\n".into(),
        ));
    };
    let onto = repo.git.find_commit(*parent)?;
    let mut index = repo
        .git
        .cherrypick_commit(src, &onto, mainline_parent.unwrap_or(0), None)?;
    if index.has_conflicts() {
        return Ok(Some(
            "its changed lines equal the source's, but the source does not apply on the pick's parent: the lines sit elsewhere\n"
                .into(),
        ));
    }
    let expected = index.write_tree_to(&repo.git)?;
    if expected == pick.tree {
        return Ok(None);
    }
    Ok(Some(format!(
        "its changed lines equal the source's, but they land elsewhere; against the source cherry-picked onto its parent, the pick changes:\n{}",
        repo.trees_patch_text(Some(expected), pick.tree)?
    )))
}

/// Shows how a pick's patch differs from its source's, as a diff of the two patches.
pub fn patch_difference(source: &str, pick: &str) -> String {
    // Blob ids always differ between a pick and its source; they say nothing to a reviewer.
    let strip = |p: &str| -> String {
        p.lines()
            .filter(|l| !l.starts_with("index "))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let (source, pick) = (strip(source), strip(pick));
    let diff = similar::TextDiff::from_lines(&source, &pick);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => continue,
        };
        out.push(sign);
        out.push_str(change.value());
        if !change.value().ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Tells whether a merge commit's tree is exactly git's own merge of its parents.
pub fn merge_check(repo: &Repo, c: &CommitInfo) -> Result<MergeCheck> {
    if c.parents.len() != 2 {
        return Ok(MergeCheck {
            clean: false,
            detail: format!(
                "an octopus merge of {} parents cannot be verified",
                c.parents.len()
            ),
        });
    }
    let (a, b) = (
        repo.git.find_commit(c.parents[0])?,
        repo.git.find_commit(c.parents[1])?,
    );
    let mut index = repo.git.merge_commits(&a, &b, None)?;
    if index.has_conflicts() {
        return Ok(MergeCheck {
            clean: false,
            detail: "its parents conflict, so the merge carries a hand-made resolution".into(),
        });
    }
    let tree = index.write_tree_to(&repo.git)?;
    if tree == c.tree {
        Ok(MergeCheck {
            clean: true,
            detail: "exactly git's merge of its parents".into(),
        })
    } else {
        let extra = repo
            .tree_paths_between(tree, c.tree)?
            .into_iter()
            .take(5)
            .collect::<Vec<_>>()
            .join(", ");
        Ok(MergeCheck {
            clean: false,
            detail: format!("it changes {extra} beyond git's merge of its parents"),
        })
    }
}

impl Repo {
    /// Lists paths that differ between two trees.
    pub fn tree_paths_between(&self, a: Oid, b: Oid) -> Result<Vec<String>> {
        let ta = self.git.find_tree(a)?;
        let tb = self.git.find_tree(b)?;
        let diff = self.git.diff_tree_to_tree(Some(&ta), Some(&tb), None)?;
        Ok(diff
            .deltas()
            .filter_map(|d| d.new_file().path().or(d.old_file().path()))
            .map(|p| p.to_string_lossy().into_owned())
            .collect())
    }
}
