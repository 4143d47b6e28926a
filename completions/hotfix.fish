# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hotfix_global_optspecs
    string join \n C= config= yes q/quiet v/verbose color= h/help V/version
end

function __fish_hotfix_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hotfix_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hotfix_using_subcommand
    set -l cmd (__fish_hotfix_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hotfix -n "__fish_hotfix_needs_command" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_needs_command" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_needs_command" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_needs_command" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_needs_command" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_needs_command" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_needs_command" -s h -l help -d 'Print help'
complete -c hotfix -n "__fish_hotfix_needs_command" -s V -l version -d 'Print version'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "init" -d 'Writes a commented .hotfix.toml, and with --ci a CI workflow.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "start" -d 'Starts a hotfix: branches from the newest release tag of a line and records the start.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "pick" -d 'Cherry-picks fixes already merged on mainline onto the hotfix branch.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "preview" -d 'Says, for each supported release line, whether a fix applies: clean, conflict (with the paths), applied (the line has it), not-applicable (the files are absent), or chain (it conflicts directly but applies on a newer line\'s pick).'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "status" -d 'Shows where the current hotfix stands: base, picks, each rule\'s verdict, and the next command.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "pr" -d 'Pushes the hotfix branch and opens its pull request into the release branch.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "check" -d 'Judges the hotfix against every policy rule, changing nothing; exit 1 when a rule fails.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "ship" -d 'Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "skip-line" -d 'Records that a line of the incident will not get the fix, and why: the whole line is dropped from the incident (unlike `pick --skip`, which drops one commit of a pick).'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "approve" -d 'Records an approval of a hotfix: needed when its severity is not one of policy.hotfix-severities (rule `approved`).'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "list" -d 'Lists every hotfix in the ledger, newest first.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "show" -d 'Shows one hotfix: its record and every event in order.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "sync" -d 'Fetches, merges and pushes the ledger, so every clone sees every hotfix.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "deploy" -d 'Deploys a shipped hotfix with `[deploy] command`, health-checks it, and rolls back on failure.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "deployed" -d 'Records that a shipped hotfix was deployed (detection-to-deploy time comes from it).'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "verify" -d 'Records that a deployed hotfix was validated in production.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "rollback" -d 'Rolls a shipped hotfix back, or records that it was: a failed change, counted in reports.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "abandon" -d 'Records that a started hotfix will not ship; the next start takes the next patch version.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "retro" -d 'Renders the post-incident review, pre-filled from the record.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "runbook" -d 'Writes this repository\'s hotfix runbook from its policy: when to hotfix and who approves, the commands with this repository\'s limits, how to deploy and roll back, where the record lives.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "report" -d 'Turns the ledger and the patch tags into monthly hotfix figures.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "audit" -d 'The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "import" -d 'Records past hotfixes from a CSV or JSON file, one row per hotfix.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "demo" -d 'Runs a whole hotfix (start, pick, status, check, ship, push) in a sandbox repository, then one incident on two lines (preview, start, pick, ship).'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "completions" -d 'Prints a shell completion script.'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "man" -d 'Prints the man page (roff).'
complete -c hotfix -n "__fish_hotfix_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -l ci -d 'Also writes a CI workflow that gates hotfix branches' -r -f -a "github\t''
gitlab\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -l force -d 'Overwrites existing files: the workflow with --ci (the policy is kept, and the workflow follows it), else .hotfix.toml'
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l line -d 'The release line to patch (MAJOR.MINOR); default: the newest line. Repeat it to start one hotfix per line under one incident' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l lines -d '`supported`: one hotfix on every line in release.supported, under one incident' -r -f -a "supported\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l incident -d 'The incident this hotfix answers (any id: INC-4521, a ticket URL)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l severity -d 'The incident\'s severity' -r -f -a "sev1\t''
sev2\t''
sev3\t''
sev4\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l detected-at -d 'When the problem was detected: RFC 3339 or relative ("45m ago")' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l summary -d 'One line on what is broken' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l approved-by -d 'Who approved this hotfix ("Name <email>" or @github-login), for the `approved` rule when the severity is not one of policy.hotfix-severities. Recorded as unverified' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l pr -d 'Picks the commits of a merged pull request (repeatable); same as `#N`' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -s m -l mainline -d 'Picks a merge commit against its parent N (1-based)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l line -d 'On an incident of several lines: picks onto this line only (its hotfix branch need not be checked out). Without it, the picks go onto every open line of the incident, the checked-out one through the working tree, the others in memory (a conflict there waits in the line\'s worktree, `.git/hotfix/worktrees/X.Y`). With --continue, --skip or --abort: the line whose stopped pick to act on' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l allow-empty -d 'Picks a commit that changes nothing (refused otherwise)'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l continue -d 'Commits the resolved conflict and picks the rest'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l skip -d 'Drops the one commit that stopped, and picks the rest (to drop a whole release line from an incident, use `hotfix skip-line`)'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l abort -d 'Restores the branch and working tree to where they were before the pick began'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand pick" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -l line -d 'A line to judge (repeatable); default: release.supported' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -l format -d 'Output format: `github` adds workflow commands and a matrix in `$GITHUB_STEP_SUMMARY`' -r -f -a "human\t''
json\t''
github\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -l require -d 'Exits 1 unless every line is clean (or already has the fix)' -r -f -a "clean\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand preview" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -l diff -d 'Shows each modified pick\'s whole difference from its source (as `-v` does)'
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -l reviewer -d 'A GitHub login to request a review from (repeatable); default: github.reviewers' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand pr" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l base -d 'The release tag the hotfix grows from' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l head -d 'The hotfix head (default HEAD)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l reviewer -d 'Counts a reviewer (unverified), as `ship --reviewer` does' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l format -d 'Output format: `github` adds workflow commands (`::error file=...::`) and appends a summary to `$GITHUB_STEP_SUMMARY` when it is set; `junit` prints JUnit XML, one test case per rule, for GitLab, Jenkins, Azure Pipelines and CircleCI' -r -f -a "human\t''
json\t''
github\t''
junit\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l fetch -d 'In a shallow clone, fetches the missing history first (`git fetch --unshallow --tags`)'
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l diff -d 'Shows each modified pick\'s whole difference from its source (as `-v` does), not only how many lines differ'
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l reviewer -d 'A reviewer who is not an author (repeatable); counts as unverified' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l override -d 'Overrides a failing rule (repeatable); needs --reason. Recorded and counted in reports' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l reason -d 'Why the overridden rules are bent' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l line -d 'Ships these lines of the incident (repeatable), whether checked out or not, while others are still open. Without it, ship ships every open line of the incident and refuses until each is ready or skipped, so a fix is not published while a supported line is still exposed. Right after an --override RULE, --line X.Y bends RULE on that line only (and does not choose what ships)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l push -d 'Pushes branch, tag, release branch and ledger in one atomic push'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l github-release -d 'Creates the GitHub release for the tag, with notes from templates/release-notes.md (needs GITHUB_TOKEN, and the tag on GitHub: use it with --push)'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l sign -d 'Signs the tag with your git signing key (through the git program)'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l dry-run -d 'Prints the plan and changes nothing'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand ship" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -l reason -d 'Why the line does not get it (recorded, and shown by `status` and reports)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -l incident -d 'The incident; default: the checked-out hotfix\'s' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand skip-line" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -l by -d 'Who approved: "Name <email>", an email, or @github-login (one of policy.approvers when that is set)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand sync" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand sync" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand sync" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand sync" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand sync" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand sync" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l env -d 'The environment, one of `deploy.environments`; default: the last of them' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l override -d 'Bends a rule for this deploy: `env-order` (an earlier environment is not verified)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l reason -d 'Why the rule is bent (with --override)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l no-rollback -d 'On failure, leaves production as it is instead of rolling back (exit 4)'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l no-health-check -d 'Deploys without the health check: records `deployed`, never `verified`'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l dry-run -d 'Prints the steps, the exact commands and the rollback target, and runs nothing'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l again -d 'Deploys again after this environment\'s deploy ended (verified, failed or rolled back)'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l take-over -d 'Goes on from a deploy another clone began and did not finish (when that run is dead)'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand deploy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -l at -d 'When it was deployed: RFC 3339 or relative ("20m ago"); default now' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -l env -d 'The environment deployed to, one of `deploy.environments`; default: the last of them' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand deployed" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -l note -d 'What was checked' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -l env -d 'The environment validated, one of `deploy.environments`; default: the last of them' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -l reason -d 'Why it is rolled back' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -l env -d 'The environment, one of `deploy.environments`; default: the last of them' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -l revert -d 'Reverts the hotfix\'s commits on its branch and tags the next patch as the rollback release'
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -l reason -d 'Why it will not ship' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand abandon" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -l output -d 'Writes the review to FILE and records it in the ledger' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -l action -d 'Records a follow-up action item (repeatable); the same text twice is one item' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -l done -d 'Closes an action item: N as `hotfix show` numbers them, or its key (repeatable)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand retro" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -l output -d 'Writes the runbook to FILE instead of printing it' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand runbook" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l since -d 'The first month (YYYY-MM); default: eleven months before --until' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l until -d 'The last month (YYYY-MM); default: this month' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l line -d 'Only this release line (X.Y)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l format -d 'Output format' -r -f -a "table\t''
markdown\t''
json\t''
csv\t''
html\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l output -d 'Writes the report to FILE instead of standard output' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l missing -d 'Lists the fixes picked onto some supported lines and neither applied nor skipped on others (table or json)'
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l since -d 'The first month (YYYY-MM); default: eleven months before --until' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l until -d 'The last month (YYYY-MM); default: this month' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l format -d 'Output format' -r -f -a "json\t''
csv\t''
markdown\t''
html\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l output -d 'Writes the audit to FILE instead of standard output' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l from-records -d 'Derives every row from its record instead of the ledger\'s audit index, and names any index line that says otherwise. Slower; for the auditor who wants the rows proven from the records themselves'
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -l timezone -d 'The time zone of times written without one (Europe/Berlin, +02:00, UTC)' -r
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -l dry-run -d 'Shows what would be recorded, and records nothing'
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand demo" -l in -d 'Builds the sandbox in DIR (which must not exist or be empty) instead of a new temporary folder' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand demo" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand demo" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand demo" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand demo" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand demo" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand completions" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand completions" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand completions" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand completions" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand completions" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand man" -s C -d 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand man" -l config -d 'Reads the configuration from FILE instead of .hotfix.toml on mainline' -r -F
complete -c hotfix -n "__fish_hotfix_using_subcommand man" -l color -d 'When to use colour (NO_COLOR also turns it off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hotfix -n "__fish_hotfix_using_subcommand man" -l yes -l no-input -d 'Answers yes to confirmations and never prompts'
complete -c hotfix -n "__fish_hotfix_using_subcommand man" -s q -l quiet -d 'Prints only results and errors'
complete -c hotfix -n "__fish_hotfix_using_subcommand man" -s v -l verbose -d 'Prints more detail'
complete -c hotfix -n "__fish_hotfix_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "init" -d 'Writes a commented .hotfix.toml, and with --ci a CI workflow.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "start" -d 'Starts a hotfix: branches from the newest release tag of a line and records the start.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "pick" -d 'Cherry-picks fixes already merged on mainline onto the hotfix branch.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "preview" -d 'Says, for each supported release line, whether a fix applies: clean, conflict (with the paths), applied (the line has it), not-applicable (the files are absent), or chain (it conflicts directly but applies on a newer line\'s pick).'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "status" -d 'Shows where the current hotfix stands: base, picks, each rule\'s verdict, and the next command.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "pr" -d 'Pushes the hotfix branch and opens its pull request into the release branch.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "check" -d 'Judges the hotfix against every policy rule, changing nothing; exit 1 when a rule fails.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "ship" -d 'Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "skip-line" -d 'Records that a line of the incident will not get the fix, and why: the whole line is dropped from the incident (unlike `pick --skip`, which drops one commit of a pick).'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "approve" -d 'Records an approval of a hotfix: needed when its severity is not one of policy.hotfix-severities (rule `approved`).'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "list" -d 'Lists every hotfix in the ledger, newest first.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "show" -d 'Shows one hotfix: its record and every event in order.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "sync" -d 'Fetches, merges and pushes the ledger, so every clone sees every hotfix.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "deploy" -d 'Deploys a shipped hotfix with `[deploy] command`, health-checks it, and rolls back on failure.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "deployed" -d 'Records that a shipped hotfix was deployed (detection-to-deploy time comes from it).'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "verify" -d 'Records that a deployed hotfix was validated in production.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "rollback" -d 'Rolls a shipped hotfix back, or records that it was: a failed change, counted in reports.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "abandon" -d 'Records that a started hotfix will not ship; the next start takes the next patch version.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "retro" -d 'Renders the post-incident review, pre-filled from the record.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "runbook" -d 'Writes this repository\'s hotfix runbook from its policy: when to hotfix and who approves, the commands with this repository\'s limits, how to deploy and roll back, where the record lives.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "report" -d 'Turns the ledger and the patch tags into monthly hotfix figures.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "audit" -d 'The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "import" -d 'Records past hotfixes from a CSV or JSON file, one row per hotfix.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "demo" -d 'Runs a whole hotfix (start, pick, status, check, ship, push) in a sandbox repository, then one incident on two lines (preview, start, pick, ship).'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "completions" -d 'Prints a shell completion script.'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "man" -d 'Prints the man page (roff).'
complete -c hotfix -n "__fish_hotfix_using_subcommand help; and not __fish_seen_subcommand_from init start pick preview status pr check ship skip-line approve list show sync deploy deployed verify rollback abandon retro runbook report audit import demo completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
