//! The ledger: an append-only event log of every hotfix, kept on its own branch.
//!
//! The branch (`hotfix-ledger` by default) never shares history with code. It holds one file per
//! hotfix, `records/<id>.jsonl`, one JSON event per line. It is written with plumbing only
//! (blobs, trees, a commit and a compare-and-swap ref update), so the user's working tree, index
//! and current branch are never touched. Concurrent writers merge by the union of lines, the
//! approach git-appraise takes with its notes: nothing is ever lost.

mod cache;
mod event;
mod facts;
pub mod index;
mod record;
mod store;
mod trail;

pub use cache::ReportCache;
pub use event::*;
pub use facts::{EnvFacts, Facts, facts};
pub use record::{ActionItem, DeployStep, Record, parse_record};
pub use store::{Ledger, Merged, Trails, by, now, read_facts, read_trails, union_lines};
pub use trail::{Actions, Approval, Override, Person, Policy, Severity, Step, Trail, trail};
