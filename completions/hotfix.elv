
use builtin;
use str;

set edit:completion:arg-completer[hotfix] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hotfix'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hotfix'= {
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Writes a commented .hotfix.toml, and with --ci a CI workflow.'
            cand start 'Starts a hotfix: branches from the newest release tag of a line and records the start.'
            cand pick 'Cherry-picks fixes already merged on mainline onto the hotfix branch.'
            cand preview 'Says, for each supported release line, whether a fix applies: clean, conflict (with the paths), applied (the line has it), not-applicable (the files are absent), or chain (it conflicts directly but applies on a newer line''s pick).'
            cand status 'Shows where the current hotfix stands: base, picks, each rule''s verdict, and the next command.'
            cand pr 'Pushes the hotfix branch and opens its pull request into the release branch.'
            cand check 'Judges the hotfix against every policy rule, changing nothing; exit 1 when a rule fails.'
            cand ship 'Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.'
            cand skip-line 'Records that a line of the incident will not get the fix, and why: the whole line is dropped from the incident (unlike `pick --skip`, which drops one commit of a pick).'
            cand approve 'Records an approval of a hotfix: needed when its severity is not one of policy.hotfix-severities (rule `approved`).'
            cand list 'Lists every hotfix in the ledger, newest first.'
            cand show 'Shows one hotfix: its record and every event in order.'
            cand sync 'Fetches, merges and pushes the ledger, so every clone sees every hotfix.'
            cand deploy 'Deploys a shipped hotfix with `[deploy] command`, health-checks it, and rolls back on failure.'
            cand deployed 'Records that a shipped hotfix was deployed (detection-to-deploy time comes from it).'
            cand verify 'Records that a deployed hotfix was validated in production.'
            cand rollback 'Rolls a shipped hotfix back, or records that it was: a failed change, counted in reports.'
            cand abandon 'Records that a started hotfix will not ship; the next start takes the next patch version.'
            cand retro 'Renders the post-incident review, pre-filled from the record.'
            cand runbook 'Writes this repository''s hotfix runbook from its policy: when to hotfix and who approves, the commands with this repository''s limits, how to deploy and roll back, where the record lives.'
            cand report 'Turns the ledger and the patch tags into monthly hotfix figures.'
            cand audit 'The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).'
            cand import 'Records past hotfixes from a CSV or JSON file, one row per hotfix.'
            cand demo 'Runs a whole hotfix (start, pick, status, check, ship, push) in a sandbox repository, then one incident on two lines (preview, start, pick, ship).'
            cand completions 'Prints a shell completion script.'
            cand man 'Prints the man page (roff).'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hotfix;init'= {
            cand --ci 'Also writes a CI workflow that gates hotfix branches'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --force 'Overwrites existing files: the workflow with --ci (the policy is kept, and the workflow follows it), else .hotfix.toml'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;start'= {
            cand --line 'The release line to patch (MAJOR.MINOR); default: the newest line. Repeat it to start one hotfix per line under one incident'
            cand --lines '`supported`: one hotfix on every line in release.supported, under one incident'
            cand --incident 'The incident this hotfix answers (any id: INC-4521, a ticket URL)'
            cand --severity 'The incident''s severity'
            cand --detected-at 'When the problem was detected: RFC 3339 or relative ("45m ago")'
            cand --summary 'One line on what is broken'
            cand --approved-by 'Who approved this hotfix ("Name <email>" or @github-login), for the `approved` rule when the severity is not one of policy.hotfix-severities. Recorded as unverified'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;pick'= {
            cand --pr 'Picks the commits of a merged pull request (repeatable); same as `#N`'
            cand -m 'Picks a merge commit against its parent N (1-based)'
            cand --mainline 'Picks a merge commit against its parent N (1-based)'
            cand --line 'On an incident of several lines: picks onto this line only (its hotfix branch need not be checked out). Without it, the picks go onto every open line of the incident, the checked-out one through the working tree, the others in memory (a conflict there waits in the line''s worktree, `.git/hotfix/worktrees/X.Y`). With --continue, --skip or --abort: the line whose stopped pick to act on'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --allow-empty 'Picks a commit that changes nothing (refused otherwise)'
            cand --continue 'Commits the resolved conflict and picks the rest'
            cand --skip 'Drops the one commit that stopped, and picks the rest (to drop a whole release line from an incident, use `hotfix skip-line`)'
            cand --abort 'Restores the branch and working tree to where they were before the pick began'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;preview'= {
            cand --line 'A line to judge (repeatable); default: release.supported'
            cand --format 'Output format: `github` adds workflow commands and a matrix in `$GITHUB_STEP_SUMMARY`'
            cand --require 'Exits 1 unless every line is clean (or already has the fix)'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;status'= {
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --diff 'Shows each modified pick''s whole difference from its source (as `-v` does)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;pr'= {
            cand --reviewer 'A GitHub login to request a review from (repeatable); default: github.reviewers'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;check'= {
            cand --base 'The release tag the hotfix grows from'
            cand --head 'The hotfix head (default HEAD)'
            cand --reviewer 'Counts a reviewer (unverified), as `ship --reviewer` does'
            cand --format 'Output format: `github` adds workflow commands (`::error file=...::`) and appends a summary to `$GITHUB_STEP_SUMMARY` when it is set; `junit` prints JUnit XML, one test case per rule, for GitLab, Jenkins, Azure Pipelines and CircleCI'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --fetch 'In a shallow clone, fetches the missing history first (`git fetch --unshallow --tags`)'
            cand --diff 'Shows each modified pick''s whole difference from its source (as `-v` does), not only how many lines differ'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;ship'= {
            cand --reviewer 'A reviewer who is not an author (repeatable); counts as unverified'
            cand --override 'Overrides a failing rule (repeatable); needs --reason. Recorded and counted in reports'
            cand --reason 'Why the overridden rules are bent'
            cand --line 'Ships these lines of the incident (repeatable), whether checked out or not, while others are still open. Without it, ship ships every open line of the incident and refuses until each is ready or skipped, so a fix is not published while a supported line is still exposed. Right after an --override RULE, --line X.Y bends RULE on that line only (and does not choose what ships)'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --push 'Pushes branch, tag, release branch and ledger in one atomic push'
            cand --github-release 'Creates the GitHub release for the tag, with notes from templates/release-notes.md (needs GITHUB_TOKEN, and the tag on GitHub: use it with --push)'
            cand --sign 'Signs the tag with your git signing key (through the git program)'
            cand --dry-run 'Prints the plan and changes nothing'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;skip-line'= {
            cand --reason 'Why the line does not get it (recorded, and shown by `status` and reports)'
            cand --incident 'The incident; default: the checked-out hotfix''s'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;approve'= {
            cand --by 'Who approved: "Name <email>", an email, or @github-login (one of policy.approvers when that is set)'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;list'= {
            cand --format 'Output format'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;show'= {
            cand --format 'Output format'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;sync'= {
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;deploy'= {
            cand --env 'The environment, one of `deploy.environments`; default: the last of them'
            cand --override 'Bends a rule for this deploy: `env-order` (an earlier environment is not verified)'
            cand --reason 'Why the rule is bent (with --override)'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --no-rollback 'On failure, leaves production as it is instead of rolling back (exit 4)'
            cand --no-health-check 'Deploys without the health check: records `deployed`, never `verified`'
            cand --dry-run 'Prints the steps, the exact commands and the rollback target, and runs nothing'
            cand --again 'Deploys again after this environment''s deploy ended (verified, failed or rolled back)'
            cand --take-over 'Goes on from a deploy another clone began and did not finish (when that run is dead)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;deployed'= {
            cand --at 'When it was deployed: RFC 3339 or relative ("20m ago"); default now'
            cand --env 'The environment deployed to, one of `deploy.environments`; default: the last of them'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;verify'= {
            cand --note 'What was checked'
            cand --env 'The environment validated, one of `deploy.environments`; default: the last of them'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;rollback'= {
            cand --reason 'Why it is rolled back'
            cand --env 'The environment, one of `deploy.environments`; default: the last of them'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --revert 'Reverts the hotfix''s commits on its branch and tags the next patch as the rollback release'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;abandon'= {
            cand --reason 'Why it will not ship'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;retro'= {
            cand --output 'Writes the review to FILE and records it in the ledger'
            cand --action 'Records a follow-up action item (repeatable); the same text twice is one item'
            cand --done 'Closes an action item: N as `hotfix show` numbers them, or its key (repeatable)'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;runbook'= {
            cand --output 'Writes the runbook to FILE instead of printing it'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;report'= {
            cand --since 'The first month (YYYY-MM); default: eleven months before --until'
            cand --until 'The last month (YYYY-MM); default: this month'
            cand --line 'Only this release line (X.Y)'
            cand --format 'Output format'
            cand --output 'Writes the report to FILE instead of standard output'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --missing 'Lists the fixes picked onto some supported lines and neither applied nor skipped on others (table or json)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;audit'= {
            cand --since 'The first month (YYYY-MM); default: eleven months before --until'
            cand --until 'The last month (YYYY-MM); default: this month'
            cand --format 'Output format'
            cand --output 'Writes the audit to FILE instead of standard output'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --from-records 'Derives every row from its record instead of the ledger''s audit index, and names any index line that says otherwise. Slower; for the auditor who wants the rows proven from the records themselves'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;import'= {
            cand --timezone 'The time zone of times written without one (Europe/Berlin, +02:00, UTC)'
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --dry-run 'Shows what would be recorded, and records nothing'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;demo'= {
            cand --in 'Builds the sandbox in DIR (which must not exist or be empty) instead of a new temporary folder'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;completions'= {
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;man'= {
            cand -C 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)'
            cand --config 'Reads the configuration from FILE instead of .hotfix.toml on mainline'
            cand --color 'When to use colour (NO_COLOR also turns it off)'
            cand --yes 'Answers yes to confirmations and never prompts'
            cand --no-input 'Answers yes to confirmations and never prompts'
            cand -q 'Prints only results and errors'
            cand --quiet 'Prints only results and errors'
            cand -v 'Prints more detail'
            cand --verbose 'Prints more detail'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hotfix;help'= {
            cand init 'Writes a commented .hotfix.toml, and with --ci a CI workflow.'
            cand start 'Starts a hotfix: branches from the newest release tag of a line and records the start.'
            cand pick 'Cherry-picks fixes already merged on mainline onto the hotfix branch.'
            cand preview 'Says, for each supported release line, whether a fix applies: clean, conflict (with the paths), applied (the line has it), not-applicable (the files are absent), or chain (it conflicts directly but applies on a newer line''s pick).'
            cand status 'Shows where the current hotfix stands: base, picks, each rule''s verdict, and the next command.'
            cand pr 'Pushes the hotfix branch and opens its pull request into the release branch.'
            cand check 'Judges the hotfix against every policy rule, changing nothing; exit 1 when a rule fails.'
            cand ship 'Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.'
            cand skip-line 'Records that a line of the incident will not get the fix, and why: the whole line is dropped from the incident (unlike `pick --skip`, which drops one commit of a pick).'
            cand approve 'Records an approval of a hotfix: needed when its severity is not one of policy.hotfix-severities (rule `approved`).'
            cand list 'Lists every hotfix in the ledger, newest first.'
            cand show 'Shows one hotfix: its record and every event in order.'
            cand sync 'Fetches, merges and pushes the ledger, so every clone sees every hotfix.'
            cand deploy 'Deploys a shipped hotfix with `[deploy] command`, health-checks it, and rolls back on failure.'
            cand deployed 'Records that a shipped hotfix was deployed (detection-to-deploy time comes from it).'
            cand verify 'Records that a deployed hotfix was validated in production.'
            cand rollback 'Rolls a shipped hotfix back, or records that it was: a failed change, counted in reports.'
            cand abandon 'Records that a started hotfix will not ship; the next start takes the next patch version.'
            cand retro 'Renders the post-incident review, pre-filled from the record.'
            cand runbook 'Writes this repository''s hotfix runbook from its policy: when to hotfix and who approves, the commands with this repository''s limits, how to deploy and roll back, where the record lives.'
            cand report 'Turns the ledger and the patch tags into monthly hotfix figures.'
            cand audit 'The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).'
            cand import 'Records past hotfixes from a CSV or JSON file, one row per hotfix.'
            cand demo 'Runs a whole hotfix (start, pick, status, check, ship, push) in a sandbox repository, then one incident on two lines (preview, start, pick, ship).'
            cand completions 'Prints a shell completion script.'
            cand man 'Prints the man page (roff).'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hotfix;help;init'= {
        }
        &'hotfix;help;start'= {
        }
        &'hotfix;help;pick'= {
        }
        &'hotfix;help;preview'= {
        }
        &'hotfix;help;status'= {
        }
        &'hotfix;help;pr'= {
        }
        &'hotfix;help;check'= {
        }
        &'hotfix;help;ship'= {
        }
        &'hotfix;help;skip-line'= {
        }
        &'hotfix;help;approve'= {
        }
        &'hotfix;help;list'= {
        }
        &'hotfix;help;show'= {
        }
        &'hotfix;help;sync'= {
        }
        &'hotfix;help;deploy'= {
        }
        &'hotfix;help;deployed'= {
        }
        &'hotfix;help;verify'= {
        }
        &'hotfix;help;rollback'= {
        }
        &'hotfix;help;abandon'= {
        }
        &'hotfix;help;retro'= {
        }
        &'hotfix;help;runbook'= {
        }
        &'hotfix;help;report'= {
        }
        &'hotfix;help;audit'= {
        }
        &'hotfix;help;import'= {
        }
        &'hotfix;help;demo'= {
        }
        &'hotfix;help;completions'= {
        }
        &'hotfix;help;man'= {
        }
        &'hotfix;help;help'= {
        }
    ]
    $completions[$command]
}
