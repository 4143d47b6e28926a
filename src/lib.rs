//! hotfix: makes the hotfix discipline the path of least resistance.
//!
//! The library holds all the logic; `main.rs` only parses, runs and reports.

pub mod audit;
pub mod commands;
pub mod config;
pub mod context;
pub mod deploy;
pub mod error;
pub mod evidence;
pub mod gather;
pub mod git;
pub mod github;
pub mod import;
pub mod ledger;
pub mod metrics;
pub mod picks;
pub mod plan;
pub mod policy;
pub mod publish;
pub mod render;
pub mod service;
pub mod shell;
pub mod sources;
pub mod testrun;
pub mod text;
pub mod timeparse;
pub mod ui;
pub mod version;
pub mod workflow;
