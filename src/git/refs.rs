//! Refs and history: the checked-out branch, mainline, branches and tags, ancestry and ranges,
//! and the few writes that move refs or the working tree (compare-and-swap updates, tags,
//! branches, switching).

use git2::{BranchType, ErrorCode, Repository, Sort};

use super::{BranchTip, Oid, RefUpdate, ReleaseTag, Repo, TagRef};
use crate::error::{Error, Result};
use crate::version::TagPattern;

impl Repo {
    /// Returns the short name of the checked-out branch, or `None` on a detached HEAD.
    pub fn head_branch(&self) -> Option<String> {
        let head = self.git.head().ok()?;
        if !head.is_branch() {
            return None;
        }
        head.shorthand().ok().map(str::to_string)
    }

    pub fn head_commit(&self) -> Result<Oid> {
        let head = self.git.head().map_err(|e| {
            Error::usage("this repository has no commits yet").cause(e.message().to_string())
        })?;
        Ok(head.peel_to_commit()?.id())
    }

    /// Finds mainline: `configured` (`release.mainline`) when set, else the remote's HEAD
    /// branch, else `main`, else `master`. The remote-tracking branch is preferred, so a fix
    /// that sits only on a local branch does not count as merged.
    pub fn mainline(&self, configured: &str, remote: &str) -> Result<BranchTip> {
        let name = if !configured.is_empty() {
            configured.to_string()
        } else if let Some(n) = self.remote_head_branch(remote) {
            n
        } else if let Some(n) = self.remote_default_branch(remote) {
            n
        } else {
            // Nobody can say which branch is the default: guess only when there is nothing to
            // choose between. With both, a branch anyone could push (`main` in a `master`
            // repository) would become mainline and bring its own policy.
            match (
                self.branch_tip("main", remote).is_some(),
                self.branch_tip("master", remote).is_some(),
            ) {
                (true, true) => {
                    return Err(Error::usage("cannot tell which branch is mainline")
                        .cause(format!(
                            "both main and master exist, and {remote}/HEAD is not set here nor could {remote} be asked"
                        ))
                        .hint(format!(
                            "set it from the remote (git remote set-head {remote} --auto), or name it in .hotfix.toml: [release] mainline = \"main\""
                        )));
                }
                (true, false) => "main".into(),
                _ => "master".into(),
            }
        };
        self.branch_tip(&name, remote).ok_or_else(|| {
            Error::usage(format!("cannot find mainline (branch '{name}')"))
                .cause(format!(
                    "neither {remote}/{name} nor a local {name} exists; mainline is where fixes land first"
                ))
                .hint(format!(
                    "fetch it with `git fetch {remote}`, or name your mainline in .hotfix.toml: [release] mainline = \"develop\""
                ))
        })
    }

    /// Asks the remote which branch its HEAD names (`git ls-remote --symref REMOTE HEAD`), once
    /// per run: CI clones usually have no `refs/remotes/<remote>/HEAD`.
    fn remote_default_branch(&self, remote: &str) -> Option<String> {
        if !self.has_remote(remote) {
            return None;
        }
        self.default_branch
            .get_or_init(|| super::cli::remote_head(&self.command_dir(), remote))
            .clone()
    }

    fn remote_head_branch(&self, remote: &str) -> Option<String> {
        let r = self
            .git
            .find_reference(&format!("refs/remotes/{remote}/HEAD"))
            .ok()?;
        let target = r.symbolic_target().ok().flatten()?.to_string();
        target
            .strip_prefix(&format!("refs/remotes/{remote}/"))
            .map(str::to_string)
    }

    /// Resolves a branch name, preferring the remote-tracking branch over the local one.
    pub fn branch_tip(&self, name: &str, remote: &str) -> Option<BranchTip> {
        let candidates = if name.starts_with("refs/") {
            vec![name.to_string()]
        } else {
            vec![
                format!("refs/remotes/{remote}/{name}"),
                format!("refs/heads/{name}"),
            ]
        };
        candidates.into_iter().find_map(|refname| {
            let r = self.git.find_reference(&refname).ok()?;
            let tip = r.peel_to_commit().ok()?.id();
            let display = r.shorthand().unwrap_or(name).to_string();
            Some(BranchTip {
                display,
                refname,
                tip,
            })
        })
    }

    /// Lists the names of the local branches.
    pub fn local_branches(&self) -> Vec<String> {
        self.git
            .branches(Some(BranchType::Local))
            .into_iter()
            .flatten()
            .filter_map(|b| b.ok())
            .filter_map(|(b, _)| b.name().ok().flatten().map(str::to_string))
            .collect()
    }

    /// Returns the URL of a configured remote, if there is one.
    pub fn remote_url(&self, remote: &str) -> Option<String> {
        let r = self.git.find_remote(remote).ok()?;
        r.url().ok().map(str::to_string)
    }

    /// Tells whether a remote of this name is configured.
    pub fn has_remote(&self, remote: &str) -> bool {
        self.git.find_remote(remote).is_ok()
    }

    /// Returns the local branch's tip, if the branch exists.
    pub fn local_branch(&self, name: &str) -> Option<Oid> {
        self.git
            .find_branch(name, BranchType::Local)
            .ok()
            .and_then(|b| b.get().target())
    }

    /// Lists release tags by name in semver order; see `tag_refs`.
    pub fn tag_refs(&self, pattern: &TagPattern) -> Result<Vec<TagRef>> {
        tag_refs(&self.git, pattern)
    }

    /// Returns the date of what a tag ref points at; see `object_time`.
    pub fn object_time(&self, target: Oid) -> Option<i64> {
        object_time(&self.git, target)
    }

    /// What a tag itself proves, for `audit`: annotated or not, who tagged it and when, the
    /// commit, and the kind of signature its message carries (`pgp`, `ssh` or `x509`; present,
    /// not checked: `git tag -v` checks it).
    pub fn tag_evidence(&self, target: Oid) -> Option<super::TagEvidence> {
        let obj = self.git.find_object(target, None).ok()?;
        Some(match obj.as_tag() {
            // An annotated tag of a commit, by its tagger: one object read, the commit's id is
            // in the tag. A tag of a tag, or one without a tagger, is peeled.
            Some(tag)
                if tag.target_type() == Some(git2::ObjectType::Commit)
                    && tag.tagger().is_some() =>
            {
                let tagger = tag.tagger()?;
                super::TagEvidence {
                    annotated: true,
                    tagger: Some(super::Person::of(&tagger).signature_text()),
                    time: tagger.when().seconds(),
                    commit: tag.target_id(),
                    signature: signature_kind(tag.message_bytes().unwrap_or_default()),
                }
            }
            Some(tag) => {
                let commit = obj.peel_to_commit().ok()?;
                let signature = signature_kind(tag.message_bytes().unwrap_or_default());
                super::TagEvidence {
                    annotated: true,
                    tagger: tag.tagger().map(|t| super::Person::of(&t).signature_text()),
                    time: tag
                        .tagger()
                        .map_or(commit.time().seconds(), |t| t.when().seconds()),
                    commit: commit.id(),
                    signature,
                }
            }
            None => {
                let commit = obj.peel_to_commit().ok()?;
                super::TagEvidence {
                    annotated: false,
                    tagger: None,
                    time: commit.time().seconds(),
                    commit: commit.id(),
                    signature: None,
                }
            }
        })
    }

    /// Finds the commit a release tag points at; a tag of a tree or blob is not a release.
    pub fn peel(&self, tag: &TagRef) -> Result<ReleaseTag> {
        let commit = self.tag_target(&tag.name).ok_or_else(|| {
            Error::usage(format!("the tag {} does not point at a commit", tag.name))
                .cause("a release tag names the commit that was released")
                .hint(format!("check it with `git cat-file -t {}`", tag.name))
        })?;
        Ok(ReleaseTag {
            name: tag.name.clone(),
            version: tag.version.clone(),
            commit,
        })
    }

    /// Lists release tags with their commits, oldest first. This reads one object per tag:
    /// use `tag_refs` where names suffice.
    pub fn release_tags(&self, pattern: &TagPattern) -> Result<Vec<ReleaseTag>> {
        Ok(self
            .tag_refs(pattern)?
            .iter()
            .filter_map(|t| self.peel(t).ok())
            .collect())
    }

    /// Returns a tag's date: its tagger's for an annotated tag, else its commit's.
    pub fn tag_date(&self, name: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        let target = self
            .git
            .find_reference(&format!("refs/tags/{name}"))
            .ok()?
            .target()?;
        chrono::DateTime::from_timestamp(object_time(&self.git, target)?, 0)
    }

    /// Returns an annotated tag's message, or `None` for a lightweight tag or no tag.
    pub fn tag_message(&self, name: &str) -> Option<String> {
        let r = self.git.find_reference(&format!("refs/tags/{name}")).ok()?;
        let tag = self.git.find_tag(r.target()?).ok()?;
        Some(String::from_utf8_lossy(tag.message_bytes().unwrap_or_default()).into_owned())
    }

    /// Returns an annotated tag's tagger, or `None` for a lightweight tag, no tag or no tagger.
    pub fn tagger(&self, name: &str) -> Option<super::Person> {
        let r = self.git.find_reference(&format!("refs/tags/{name}")).ok()?;
        let tag = self.git.find_tag(r.target()?).ok()?;
        Some(super::Person::of(&tag.tagger()?))
    }

    /// Refuses a branch name that git could not create here: invalid, or clashing with a branch
    /// that is a folder of it (`hotfix/1.0.1/old`) or that it is a folder of. An existing branch
    /// of that exact name is fine (an interrupted start reuses it).
    pub fn ensure_branch_creatable(&self, name: &str) -> Result<()> {
        let full = format!("refs/heads/{name}");
        let clash = |other: &str| {
            Error::usage(format!("cannot create the branch {name}"))
                .cause(format!("the branch {other} is in the way (git keeps branches as files, so one cannot be a folder of another)"))
                .hint(format!("rename or delete {other}, or set release.hotfix-branch to another pattern"))
        };
        if !git2::Reference::is_valid_name(&full) {
            return Err(Error::usage(format!("'{name}' is not a valid branch name"))
                .cause("release.hotfix-branch expands to a name git refuses")
                .hint("fix release.hotfix-branch"));
        }
        let mut prefix = String::from("refs/heads");
        let parts: Vec<&str> = name.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            prefix = format!("{prefix}/{part}");
            if self.git.find_reference(&prefix).is_ok() {
                return Err(clash(prefix.trim_start_matches("refs/heads/")));
            }
        }
        if let Some(r) = self
            .git
            .references_glob(&format!("{full}/*"))?
            .flatten()
            .next()
        {
            let other = r
                .name()
                .unwrap_or_default()
                .trim_start_matches("refs/heads/")
                .to_string();
            return Err(clash(&other));
        }
        Ok(())
    }

    /// Tells whether a tag of this name exists locally, and where it points (peeled).
    pub fn tag_target(&self, name: &str) -> Option<Oid> {
        let r = self.git.find_reference(&format!("refs/tags/{name}")).ok()?;
        r.peel_to_commit().ok().map(|c| c.id())
    }

    /// Resolves what a user typed (sha, short sha, tag, branch, `HEAD~2`) to a commit.
    pub fn resolve_commit(&self, spec: &str) -> Result<Oid> {
        let obj = self.git.revparse_single(spec).map_err(|e| match e.code() {
            ErrorCode::Ambiguous => Error::usage(format!("'{spec}' is ambiguous"))
                .cause("more than one object in this repository starts with it")
                .hint("give more characters of the sha"),
            _ => Error::usage(format!("unknown commit '{spec}'"))
                .cause(format!(
                    "it names no commit, branch or tag in this repository ({})",
                    e.message()
                ))
                .hint(format!(
                    "check the sha; if the commit is on the remote, fetch it first: git fetch {}",
                    "origin"
                )),
        })?;
        let commit = obj.peel_to_commit().map_err(|_| {
            Error::usage(format!("'{spec}' is not a commit"))
                .cause(format!(
                    "it names a {}",
                    obj.kind().map(|k| k.str()).unwrap_or("object")
                ))
                .hint("name a commit: its sha, a branch or a tag of a commit")
        })?;
        Ok(commit.id())
    }

    /// Tells whether `ancestor` is reachable from `descendant` (a commit is its own ancestor).
    /// Bounded by the commits between the two, not by the whole history.
    pub fn is_ancestor(&self, ancestor: Oid, descendant: Oid) -> Result<bool> {
        if ancestor == descendant {
            return Ok(true);
        }
        Ok(self.git.graph_descendant_of(descendant, ancestor)?)
    }

    /// Lists the commits reachable from `head` but not from `base`, oldest first.
    pub fn range(&self, base: Oid, head: Oid) -> Result<Vec<Oid>> {
        let mut walk = self.git.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(head)?;
        walk.hide(base)?;
        Ok(walk.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// Returns a short sha that stays readable in messages.
    pub fn short(&self, oid: Oid) -> String {
        self.git
            .find_object(oid, None)
            .ok()
            .and_then(|o| o.short_id().ok())
            .and_then(|b| b.as_str().ok().map(str::to_string))
            .unwrap_or_else(|| oid.to_string()[..10].to_string())
    }

    /// Moves `refname` to `new` by compare-and-swap: only if it still points at `expected`, or,
    /// with `expected` `None`, only if it does not exist yet. Returns `Raced` when another
    /// writer got there first, so the caller can read again and retry; nothing is overwritten.
    pub fn update_ref(
        &self,
        refname: &str,
        new: Oid,
        expected: Option<Oid>,
        message: &str,
    ) -> Result<RefUpdate> {
        let moved = match expected {
            Some(old) => self
                .git
                .reference_matching(refname, new, true, old, message),
            None => self.git.reference(refname, new, false, message),
        };
        match moved {
            Ok(_) => Ok(RefUpdate::Moved),
            // Locked: another writer holds the ref's lock this instant. Like a moved ref, it
            // means read again and retry.
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
                ) =>
            {
                Ok(RefUpdate::Raced)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Creates the annotated tag `name` on a commit, by the current identity. Refuses a name
    /// that exists already.
    pub fn create_annotated_tag(&self, name: &str, commit: Oid, message: &str) -> Result<Oid> {
        let target = self.git.find_object(commit, None)?;
        let tagger = self.signature()?;
        Ok(self.git.tag(name, &target, &tagger, message, false)?)
    }

    /// Creates the local branch `name` at `commit`, unless it exists already.
    pub fn create_branch(&self, name: &str, commit: Oid) -> Result<()> {
        if self.local_branch(name).is_none() {
            let c = self.git.find_commit(commit)?;
            self.git.branch(name, &c, false)?;
        }
        Ok(())
    }

    /// Checks `commit`'s tree out safely: a modified or untracked file in the way is never
    /// overwritten (the error says which). HEAD does not move; see `point_head_at`.
    pub fn checkout_safe(&self, commit: Oid) -> Result<()> {
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.safe();
        let obj = self.git.find_object(commit, None)?;
        self.git.checkout_tree(&obj, Some(&mut checkout))?;
        Ok(())
    }

    /// Points HEAD at a branch (a full ref name), as the last step of `git switch`.
    pub fn point_head_at(&self, branch: &str) -> Result<()> {
        Ok(self.git.set_head(branch)?)
    }

    /// Returns the merge base of two commits.
    pub fn merge_base(&self, a: Oid, b: Oid) -> Result<Oid> {
        Ok(self.git.merge_base(a, b)?)
    }

    /// Maps each source that a pick trailer on `base..tip` names to the commit carrying it.
    pub fn picked_sources(
        &self,
        base: Oid,
        tip: Oid,
    ) -> Result<std::collections::HashMap<String, Oid>> {
        let mut named = std::collections::HashMap::new();
        for c in self.range(base, tip)? {
            for s in super::message::picked_from(&self.commit_info(c)?.message) {
                named.insert(s, c);
            }
        }
        Ok(named)
    }

    /// Tells whether this clone has the commit `oid`.
    pub fn has_commit(&self, oid: Oid) -> bool {
        self.git.find_commit(oid).is_ok()
    }

    /// Returns the object a ref points at directly (a tag object for an annotated tag).
    pub fn ref_target(&self, refname: &str) -> Option<Oid> {
        self.git.find_reference(refname).ok()?.target()
    }
}

/// Lists release tags by name in semver order (oldest first), reading ref names only.
fn tag_refs(git: &Repository, pattern: &TagPattern) -> Result<Vec<TagRef>> {
    let glob = format!("refs/tags/{}*", pattern.prefix());
    let mut tags = Vec::new();
    for r in git.references_glob(&glob)? {
        let Ok(r) = r else { continue };
        let Ok(full) = r.name() else { continue };
        let name = &full["refs/tags/".len()..];
        let Some(version) = pattern.release_version(name) else {
            continue;
        };
        tags.push(TagRef {
            name: name.to_string(),
            version,
            target: r.target(),
        });
    }
    tags.sort_by(|a, b| a.version.cmp(&b.version).then_with(|| a.name.cmp(&b.name)));
    Ok(tags)
}

/// Returns the date of what a tag ref points at, in seconds: the tagger's for an annotated tag
/// (the tagged commit's when it has no tagger), the commit's for a lightweight one. One object
/// read, or two for a tag without a tagger.
fn object_time(git: &Repository, target: Oid) -> Option<i64> {
    let obj = git.find_object(target, None).ok()?;
    Some(match obj.as_tag() {
        Some(tag) => match tag.tagger() {
            Some(sig) => sig.when().seconds(),
            None => tag.target().ok()?.peel_to_commit().ok()?.time().seconds(),
        },
        None => obj.peel_to_commit().ok()?.time().seconds(),
    })
}

/// The repository's `.mailmap`, to fold the identities a person has used into one, as
/// `git shortlog` does.
pub struct Identities {
    map: Option<git2::Mailmap>,
    /// Identities already folded: a team has far fewer shippers than hotfixes.
    seen: std::cell::RefCell<std::collections::HashMap<String, String>>,
}

impl Identities {
    /// Folds `Name <email>`; text of another shape is kept as it is.
    pub fn fold(&self, who: &str) -> String {
        if let Some(known) = self.seen.borrow().get(who) {
            return known.clone();
        }
        let folded = self.resolve(who);
        self.seen
            .borrow_mut()
            .insert(who.to_string(), folded.clone());
        folded
    }

    fn resolve(&self, who: &str) -> String {
        let (Some(map), Some((name, email))) = (&self.map, split_identity(who)) else {
            return who.to_string();
        };
        // A fixed time: `Signature::now` asks libc for the local zone, a stat each call.
        let sig = git2::Signature::new(name, email, &git2::Time::new(0, 0));
        match sig.and_then(|sig| map.resolve_signature(&sig)) {
            Ok(sig) => format!(
                "{} <{}>",
                sig.name().unwrap_or(name),
                sig.email().unwrap_or(email)
            ),
            Err(_) => who.to_string(),
        }
    }
}

/// The kind of signature a tag message carries: `pgp`, `ssh` or `x509` (present, not checked).
fn signature_kind(message: &[u8]) -> Option<&'static str> {
    let has = |marker: &[u8]| message.windows(marker.len()).any(|w| w == marker);
    if has(b"-----BEGIN PGP SIGNATURE-----") {
        Some("pgp")
    } else if has(b"-----BEGIN SSH SIGNATURE-----") {
        Some("ssh")
    } else if has(b"-----BEGIN SIGNED MESSAGE-----") {
        Some("x509")
    } else {
        None
    }
}

fn split_identity(who: &str) -> Option<(&str, &str)> {
    let (name, rest) = who.rsplit_once('<')?;
    let email = rest.strip_suffix('>')?;
    Some((name.trim(), email.trim()))
}

impl Repo {
    /// The `.mailmap` in force: mainline's (at `mainline`, whatever is checked out, as the
    /// policy is), else git's own (the working tree's, HEAD's and `mailmap.file`).
    pub fn identities(&self, mainline: Option<Oid>) -> Identities {
        let from_mainline = mainline
            .and_then(|c| self.git.find_commit(c).ok())
            .and_then(|c| c.tree().ok())
            .and_then(|t| t.get_path(std::path::Path::new(".mailmap")).ok())
            .and_then(|e| self.git.find_blob(e.id()).ok())
            .and_then(|b| {
                std::str::from_utf8(b.content())
                    .ok()
                    .and_then(|text| git2::Mailmap::from_buffer(text).ok())
            });
        Identities {
            map: from_mainline.or_else(|| self.git.mailmap().ok()),
            seen: Default::default(),
        }
    }
}
