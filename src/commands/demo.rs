//! `hotfix demo`: builds a realistic sandbox repository and runs a whole hotfix in it, printing
//! each command and its output as a user would see them.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Utc;

use crate::context::Globals;
use crate::error::{Context, Error, Result};
use crate::git::Repo;
use crate::git::sandbox::Sandbox;
use crate::ui;

/// Runs a whole hotfix (start, pick, status, check, ship, push) in a sandbox repository, then
/// one incident on two lines (preview, start, pick, ship).
///
/// The sandbox has a bare `origin`, a clone with mainline, release tags, a release branch with a
/// queued backport, and a fix with its regression test merged on mainline. It is left in place
/// so you can look around and run more commands in it.
///
/// Example: hotfix demo
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Builds the sandbox in DIR (which must not exist or be empty) instead of a new temporary
    /// folder.
    #[arg(long = "in", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const ONCALL: (&str, &str) = ("Olga Oncall", "olga@example.com");
const DEV: (&str, &str) = ("Dana Developer", "dana@example.com");
const FIXER: (&str, &str) = ("Ann Author", "ann@example.com");
const REVIEWER: &str = "Rita Reviewer <rita@example.com>";

const CART_V1: &str = r#"# cart.sh: totals for the checkout service
total() {
  sum=0
  for p in "$@"; do sum=$((sum + p)); done
  echo "$sum"
}

average() {
  echo $(( $(total "$@") / $# ))
}
"#;

const TEST_V1: &str = r#". ./src/cart.sh
[ "$(total 1 2 3)" = 6 ] || { echo "total: expected 6"; exit 1; }
[ "$(average 2 4)" = 3 ] || { echo "average: expected 3"; exit 1; }
"#;

const RUN_TESTS: &str = r#"#!/bin/sh
# Runs every test script; fails on the first failure.
for t in tests/*_test.sh; do
  sh "$t" || { echo "FAILED: $t"; exit 1; }
done
echo "all tests passed"
"#;

const CONFIG: &str = r#"# The hotfix policy of the checkout service (read from main).
[policy]
max-commits = 3
max-lines = 80
release-paths = ["CHANGELOG.md", "VERSION"]
deny = ["migrations/**"]
test-command = "sh tests/run.sh"

# The deploy: a blue/green swap of the service's `current` link, then the health check asks
# the service which version it serves and whether it is healthy.
[deploy]
environments = ["production"]
command = "sh deploy/deploy.sh"
health-check = "sh deploy/health.sh"
timeout = "1m"
health-timeout = "2s"
health-interval = "200ms"
validate-for = "1s"
"#;

pub fn run(_globals: &Globals, args: Args) -> Result<()> {
    let root = match args.dir {
        Some(d) => {
            if d.exists() && std::fs::read_dir(&d)?.next().is_some() {
                return Err(Error::usage(format!("{} is not empty", d.display()))
                    .cause("the demo builds a new sandbox and never writes into existing work")
                    .hint("name a new folder, or leave out --in to use a temporary one"));
            }
            std::fs::create_dir_all(&d)?;
            d
        }
        None => tempfile::Builder::new()
            .prefix("hotfix-demo-")
            .tempdir()?
            .keep(),
    };
    let root = root.canonicalize()?;
    ui::note(format!("building a sandbox in {}", root.display()));
    let work = build(&root)?;
    let exe = std::env::current_exe().context("cannot find the hotfix program to run")?;
    let repo = Repo::discover(&work)?;
    let fix = repo.resolve_commit("origin/main~2")?.to_string()[..7].to_string();
    let security = repo.resolve_commit("origin/main")?.to_string()[..7].to_string();

    let mut steps: Vec<(&str, Vec<String>, i32)> = vec![
        (
            "An incident: checkout crashes on empty carts in 1.1. Start a hotfix from the last release:",
            args_of(&[
                "start",
                "--incident",
                "INC-4521",
                "--severity",
                "sev2",
                "--detected-at",
                "40m ago",
                "--summary",
                "Checkout crashes when the cart is empty",
            ]),
            0,
        ),
        (
            "Pick the fix, already merged on main:",
            args_of(&["pick", &fix]),
            0,
        ),
        ("Where it stands:", args_of(&["status"]), 0),
        (
            "The same verdict CI gets from `hotfix check` (the test command runs in a temporary worktree):",
            args_of(&["check", "--reviewer", REVIEWER]),
            0,
        ),
        (
            "Ship it: the rules again, the annotated tag, the record, and one atomic push:",
            args_of(&["ship", "--reviewer", REVIEWER, "--push", "--yes"]),
            0,
        ),
        (
            "Deploy it: the team's script swaps releases blue/green, the health check asks the service which version serves:",
            args_of(&["deploy", "v1.1.2"]),
            0,
        ),
        (
            "The ledger keeps the record:",
            args_of(&["show", "v1.1.2"]),
            0,
        ),
        (
            "A second incident, a security fix on main that both supported lines need. Where does it apply?",
            args_of(&["preview", &security, "--line", "1.1", "--line", "1.0"]),
            0,
        ),
        (
            "One incident, one hotfix per line; every line is checked before anything is written:",
            args_of(&[
                "start",
                "--line",
                "1.1",
                "--line",
                "1.0",
                "--incident",
                "INC-4533",
                "--severity",
                "sev1",
                "--detected-at",
                "15m ago",
            ]),
            0,
        ),
        (
            "Pick it once: onto 1.1 through the working tree, onto 1.0 in memory (its own branch, not checked out):",
            args_of(&["pick", &security]),
            0,
        ),
        ("Both lines of the incident:", args_of(&["status"]), 0),
        (
            "Ship the incident: each line judged on its own, then every branch, tag and the ledger in one atomic push:",
            args_of(&["ship", "--reviewer", REVIEWER, "--push", "--yes"]),
            0,
        ),
        (
            "Deploy the security fix on 1.1. Its health check fails in production, so hotfix rolls back to the last verified version by itself (exit 5):",
            args_of(&["deploy", "v1.1.3"]),
            5,
        ),
        (
            "Every step is in the record, the automatic rollback too:",
            args_of(&["show", "v1.1.3"]),
            0,
        ),
    ];
    let curl = Command::new("curl")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !curl {
        ui::warn(
            "curl is not installed: the demo leaves out the deploy steps, whose health check asks the service with curl",
        );
        steps.retain(|(_, argv, _)| argv.first().map(String::as_str) != Some("deploy"));
        steps.retain(|(_, argv, _)| argv.get(1).map(String::as_str) != Some("v1.1.3"));
    }
    // The service the deploy steps switch: 1.1.1 serves, as before the first hotfix.
    let service_root = root.join("service");
    crate::service::install(&service_root, "1.1.1", "ok")?;
    let service =
        crate::service::Service::start(&service_root, std::time::Duration::from_secs(600))?;
    for (why, argv, expected) in steps {
        if !why.is_empty() {
            ui::out("");
            ui::out(ui::paint(&format!("# {why}"), ui::dim()));
        }
        // A step is hotfix's, or git's own (switching lines).
        let (shown, mut cmd) = match argv.split_first() {
            Some((first, rest)) if first == "git" => {
                let mut c = Command::new("git");
                c.arg("-C").arg(&work).args(rest);
                (format!("$ git {}", shell_words(rest)), c)
            }
            _ => {
                // --no-input: the demo answers nothing on the terminal, as a script would.
                let mut c = Command::new(&exe);
                c.arg("-C").arg(&work).arg("--no-input").args(&argv);
                (format!("$ hotfix {}", shell_words(&argv)), c)
            }
        };
        ui::out(ui::paint(&shown, ui::bold()));
        let status = cmd
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("SERVICE_ROOT", &service_root)
            .env("SERVICE_URL", service.url())
            .status()
            .context("cannot run hotfix for the demo")?;
        if status.code() != Some(expected) {
            return Err(Error::usage(format!(
                "the demo step `hotfix {}` failed",
                shell_words(&argv)
            ))
            .cause(format!("it exited with {}", status.code().unwrap_or(-1)))
            .hint(format!(
                "the sandbox is left in {} to look at",
                root.display()
            )));
        }
    }
    ui::out("");
    ui::out(format!("The sandbox is in {}", root.display()));
    ui::out(format!("  clone:  {}", work.display()));
    ui::out(format!("  origin: {}", root.join("origin.git").display()));
    ui::out(format!(
        "Look around: cd {} && git log --oneline --graph --all && hotfix list",
        work.display()
    ));
    Ok(())
}

fn args_of(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn shell_words(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if a.contains([' ', '<', '>', '"']) {
                format!("\"{a}\"")
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the sandbox: `origin.git` (bare) and `checkout-service` (the clone), and returns the
/// clone's path.
fn build(root: &Path) -> Result<PathBuf> {
    let origin = root.join("origin.git");
    let work = root.join("checkout-service");
    let b = Sandbox::init(&work, &origin, ONCALL, DEV, Utc::now().timestamp())?;

    let c1 = b.commit(
        None,
        &[
            ("src/cart.sh", CART_V1),
            ("tests/run.sh", RUN_TESTS),
            ("tests/cart_test.sh", TEST_V1),
            ("VERSION", "1.0.0\n"),
            (".hotfix.toml", CONFIG),
            ("deploy/deploy.sh", crate::service::DEPLOY_SCRIPT),
            ("deploy/health.sh", crate::service::HEALTH_SCRIPT),
            ("app/health", "ok\n"),
            (
                "README.md",
                "# checkout-service\n\nTotals for the checkout.\n",
            ),
        ],
        "Initial checkout service",
        DEV,
        60,
    )?;
    b.tag("v1.0.0", c1, 60)?;
    let cart_discount = format!("{CART_V1}\ndiscount() {{\n  echo $(( $1 - $1 * $2 / 100 ))\n}}\n");
    let c2 = b.commit(
        Some(c1),
        &[("src/cart.sh", &cart_discount), ("VERSION", "1.1.0\n")],
        "Add discount codes",
        DEV,
        40,
    )?;
    b.tag("v1.1.0", c2, 40)?;
    let c3 = b.commit(
        Some(c2),
        &[(
            "README.md",
            "# checkout-service\n\nTotals and discounts for the checkout.\n",
        )],
        "Document discounts",
        DEV,
        30,
    )?;
    // A first hotfix on 1.1, shipped before the tool was used.
    let r1 = b.backport(c2, c3, 29)?;
    b.tag("v1.1.1", r1, 29)?;
    let c4 = b.commit(
        Some(c3),
        &[(
            "src/giftcard.sh",
            "# gift cards\nredeem() { echo \"$1\"; }\n",
        )],
        "Add gift cards",
        DEV,
        20,
    )?;
    let c5 = b.commit(
        Some(c4),
        &[("CHANGELOG.md", "# Changelog\n\n- Gift cards.\n")],
        "Start a changelog",
        FIXER,
        10,
    )?;
    // Queued on release/1.1 for the next release, not for this hotfix.
    let r2 = b.backport(r1, c5, 9)?;
    let cart_fixed = cart_discount.replace(
        "average() {\n",
        "average() {\n  [ $# -eq 0 ] && { echo 0; return; }  # an empty cart has no average\n",
    );
    let test_fixed = format!(
        "{TEST_V1}[ \"$(average)\" = 0 ] || {{ echo \"average of an empty cart: expected 0\"; exit 1; }}\n"
    );
    let c6 = b.commit(
        Some(c5),
        &[("src/cart.sh", &cart_fixed), ("tests/cart_test.sh", &test_fixed)],
        "Fix crash on empty cart\n\naverage divided by zero when the cart was empty; it now answers 0.\n",
        FIXER,
        1,
    )?;
    let c7 = b.commit(
        Some(c6),
        &[(
            "src/loyalty.sh",
            "# loyalty points\npoints() { echo $(( $1 / 10 )); }\n",
        )],
        "Add loyalty points",
        DEV,
        0,
    )?;

    // A security fix both lines need: totals accepted negative prices.
    let guard = "  for p in \"$@\"; do [ \"$p\" -lt 0 ] && { echo \"negative price\" >&2; return 1; }; done\n";
    let loyalty_cart = cart_fixed.replace("total() {\n", &format!("total() {{\n{guard}"));
    let test_guard = ". ./src/cart.sh\ntotal 1 -5 >/dev/null 2>&1 && { echo \"total: a negative price must be refused\"; exit 1; }\ntrue\n";
    let c8 = b.commit(
        Some(c7),
        &[
            ("src/cart.sh", &loyalty_cart),
            ("tests/price_test.sh", test_guard),
            // What production will find: with the guard, carts with a discount fail.
            ("app/health", "failing: carts with a discount answer 500\n"),
        ],
        "Refuse negative prices in totals\n\nA negative price lowered the total below what was paid.\n",
        FIXER,
        0,
    )?;

    b.publish(&[("main", c8), ("release/1.1", r2)], &origin)?;

    let run = |args: &[&str]| -> Result<()> {
        let out = crate::git::cli::run(&work, args, crate::git::cli::NETWORK_TIMEOUT)?;
        if out.success {
            Ok(())
        } else {
            Err(Error::usage("building the demo sandbox failed")
                .cause(format!("git {}: {}", args.join(" "), out.stderr.trim()))
                .hint("check that git is installed and works"))
        }
    };
    run(&["push", "--quiet", "origin", "main", "release/1.1", "--tags"])?;
    run(&["fetch", "--quiet", "origin"])?;
    run(&["remote", "set-head", "origin", "main"])?;
    Ok(work)
}
