
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hotfix' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hotfix'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hotfix' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Writes a commented .hotfix.toml, and with --ci a CI workflow.')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Starts a hotfix: branches from the newest release tag of a line and records the start.')
            [CompletionResult]::new('pick', 'pick', [CompletionResultType]::ParameterValue, 'Cherry-picks fixes already merged on mainline onto the hotfix branch.')
            [CompletionResult]::new('preview', 'preview', [CompletionResultType]::ParameterValue, 'Says, for each supported release line, whether a fix applies: clean, conflict (with the paths), applied (the line has it), not-applicable (the files are absent), or chain (it conflicts directly but applies on a newer line''s pick).')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Shows where the current hotfix stands: base, picks, each rule''s verdict, and the next command.')
            [CompletionResult]::new('pr', 'pr', [CompletionResultType]::ParameterValue, 'Pushes the hotfix branch and opens its pull request into the release branch.')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Judges the hotfix against every policy rule, changing nothing; exit 1 when a rule fails.')
            [CompletionResult]::new('ship', 'ship', [CompletionResultType]::ParameterValue, 'Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.')
            [CompletionResult]::new('skip-line', 'skip-line', [CompletionResultType]::ParameterValue, 'Records that a line of the incident will not get the fix, and why: the whole line is dropped from the incident (unlike `pick --skip`, which drops one commit of a pick).')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Records an approval of a hotfix: needed when its severity is not one of policy.hotfix-severities (rule `approved`).')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Lists every hotfix in the ledger, newest first.')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Shows one hotfix: its record and every event in order.')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Fetches, merges and pushes the ledger, so every clone sees every hotfix.')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploys a shipped hotfix with `[deploy] command`, health-checks it, and rolls back on failure.')
            [CompletionResult]::new('deployed', 'deployed', [CompletionResultType]::ParameterValue, 'Records that a shipped hotfix was deployed (detection-to-deploy time comes from it).')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Records that a deployed hotfix was validated in production.')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Rolls a shipped hotfix back, or records that it was: a failed change, counted in reports.')
            [CompletionResult]::new('abandon', 'abandon', [CompletionResultType]::ParameterValue, 'Records that a started hotfix will not ship; the next start takes the next patch version.')
            [CompletionResult]::new('retro', 'retro', [CompletionResultType]::ParameterValue, 'Renders the post-incident review, pre-filled from the record.')
            [CompletionResult]::new('runbook', 'runbook', [CompletionResultType]::ParameterValue, 'Writes this repository''s hotfix runbook from its policy: when to hotfix and who approves, the commands with this repository''s limits, how to deploy and roll back, where the record lives.')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Turns the ledger and the patch tags into monthly hotfix figures.')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Records past hotfixes from a CSV or JSON file, one row per hotfix.')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Runs a whole hotfix (start, pick, status, check, ship, push) in a sandbox repository, then one incident on two lines (preview, start, pick, ship).')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Prints a shell completion script.')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Prints the man page (roff).')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hotfix;init' {
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Also writes a CI workflow that gates hotfix branches')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrites existing files: the workflow with --ci (the policy is kept, and the workflow follows it), else .hotfix.toml')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;start' {
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'The release line to patch (MAJOR.MINOR); default: the newest line. Repeat it to start one hotfix per line under one incident')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, '`supported`: one hotfix on every line in release.supported, under one incident')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'The incident this hotfix answers (any id: INC-4521, a ticket URL)')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'The incident''s severity')
            [CompletionResult]::new('--detected-at', '--detected-at', [CompletionResultType]::ParameterName, 'When the problem was detected: RFC 3339 or relative ("45m ago")')
            [CompletionResult]::new('--summary', '--summary', [CompletionResultType]::ParameterName, 'One line on what is broken')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Who approved this hotfix ("Name <email>" or @github-login), for the `approved` rule when the severity is not one of policy.hotfix-severities. Recorded as unverified')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;pick' {
            [CompletionResult]::new('--pr', '--pr', [CompletionResultType]::ParameterName, 'Picks the commits of a merged pull request (repeatable); same as `#N`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Picks a merge commit against its parent N (1-based)')
            [CompletionResult]::new('--mainline', '--mainline', [CompletionResultType]::ParameterName, 'Picks a merge commit against its parent N (1-based)')
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'On an incident of several lines: picks onto this line only (its hotfix branch need not be checked out). Without it, the picks go onto every open line of the incident, the checked-out one through the working tree, the others in memory (a conflict there waits in the line''s worktree, `.git/hotfix/worktrees/X.Y`). With --continue, --skip or --abort: the line whose stopped pick to act on')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Picks a commit that changes nothing (refused otherwise)')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Commits the resolved conflict and picks the rest')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Drops the one commit that stopped, and picks the rest (to drop a whole release line from an incident, use `hotfix skip-line`)')
            [CompletionResult]::new('--abort', '--abort', [CompletionResultType]::ParameterName, 'Restores the branch and working tree to where they were before the pick began')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;preview' {
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'A line to judge (repeatable); default: release.supported')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `github` adds workflow commands and a matrix in `$GITHUB_STEP_SUMMARY`')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'Exits 1 unless every line is clean (or already has the fix)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;status' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Shows each modified pick''s whole difference from its source (as `-v` does)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;pr' {
            [CompletionResult]::new('--reviewer', '--reviewer', [CompletionResultType]::ParameterName, 'A GitHub login to request a review from (repeatable); default: github.reviewers')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;check' {
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'The release tag the hotfix grows from')
            [CompletionResult]::new('--head', '--head', [CompletionResultType]::ParameterName, 'The hotfix head (default HEAD)')
            [CompletionResult]::new('--reviewer', '--reviewer', [CompletionResultType]::ParameterName, 'Counts a reviewer (unverified), as `ship --reviewer` does')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `github` adds workflow commands (`::error file=...::`) and appends a summary to `$GITHUB_STEP_SUMMARY` when it is set; `junit` prints JUnit XML, one test case per rule, for GitLab, Jenkins, Azure Pipelines and CircleCI')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--fetch', '--fetch', [CompletionResultType]::ParameterName, 'In a shallow clone, fetches the missing history first (`git fetch --unshallow --tags`)')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Shows each modified pick''s whole difference from its source (as `-v` does), not only how many lines differ')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;ship' {
            [CompletionResult]::new('--reviewer', '--reviewer', [CompletionResultType]::ParameterName, 'A reviewer who is not an author (repeatable); counts as unverified')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'Overrides a failing rule (repeatable); needs --reason. Recorded and counted in reports')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the overridden rules are bent')
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'Ships these lines of the incident (repeatable), whether checked out or not, while others are still open. Without it, ship ships every open line of the incident and refuses until each is ready or skipped, so a fix is not published while a supported line is still exposed. Right after an --override RULE, --line X.Y bends RULE on that line only (and does not choose what ships)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Pushes branch, tag, release branch and ledger in one atomic push')
            [CompletionResult]::new('--github-release', '--github-release', [CompletionResultType]::ParameterName, 'Creates the GitHub release for the tag, with notes from templates/release-notes.md (needs GITHUB_TOKEN, and the tag on GitHub: use it with --push)')
            [CompletionResult]::new('--sign', '--sign', [CompletionResultType]::ParameterName, 'Signs the tag with your git signing key (through the git program)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Prints the plan and changes nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;skip-line' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the line does not get it (recorded, and shown by `status` and reports)')
            [CompletionResult]::new('--incident', '--incident', [CompletionResultType]::ParameterName, 'The incident; default: the checked-out hotfix''s')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;approve' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who approved: "Name <email>", an email, or @github-login (one of policy.approvers when that is set)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;sync' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;deploy' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment, one of `deploy.environments`; default: the last of them')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'Bends a rule for this deploy: `env-order` (an earlier environment is not verified)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the rule is bent (with --override)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--no-rollback', '--no-rollback', [CompletionResultType]::ParameterName, 'On failure, leaves production as it is instead of rolling back (exit 4)')
            [CompletionResult]::new('--no-health-check', '--no-health-check', [CompletionResultType]::ParameterName, 'Deploys without the health check: records `deployed`, never `verified`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Prints the steps, the exact commands and the rollback target, and runs nothing')
            [CompletionResult]::new('--again', '--again', [CompletionResultType]::ParameterName, 'Deploys again after this environment''s deploy ended (verified, failed or rolled back)')
            [CompletionResult]::new('--take-over', '--take-over', [CompletionResultType]::ParameterName, 'Goes on from a deploy another clone began and did not finish (when that run is dead)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;deployed' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'When it was deployed: RFC 3339 or relative ("20m ago"); default now')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment deployed to, one of `deploy.environments`; default: the last of them')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;verify' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'What was checked')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment validated, one of `deploy.environments`; default: the last of them')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;rollback' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why it is rolled back')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment, one of `deploy.environments`; default: the last of them')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--revert', '--revert', [CompletionResultType]::ParameterName, 'Reverts the hotfix''s commits on its branch and tags the next patch as the rollback release')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;abandon' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why it will not ship')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;retro' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Writes the review to FILE and records it in the ledger')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Records a follow-up action item (repeatable); the same text twice is one item')
            [CompletionResult]::new('--done', '--done', [CompletionResultType]::ParameterName, 'Closes an action item: N as `hotfix show` numbers them, or its key (repeatable)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;runbook' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Writes the runbook to FILE instead of printing it')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;report' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'The first month (YYYY-MM); default: eleven months before --until')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'The last month (YYYY-MM); default: this month')
            [CompletionResult]::new('--line', '--line', [CompletionResultType]::ParameterName, 'Only this release line (X.Y)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Writes the report to FILE instead of standard output')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--missing', '--missing', [CompletionResultType]::ParameterName, 'Lists the fixes picked onto some supported lines and neither applied nor skipped on others (table or json)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;audit' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'The first month (YYYY-MM); default: eleven months before --until')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'The last month (YYYY-MM); default: this month')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Writes the audit to FILE instead of standard output')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--from-records', '--from-records', [CompletionResultType]::ParameterName, 'Derives every row from its record instead of the ledger''s audit index, and names any index line that says otherwise. Slower; for the auditor who wants the rows proven from the records themselves')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;import' {
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'The time zone of times written without one (Europe/Berlin, +02:00, UTC)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Shows what would be recorded, and records nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;demo' {
            [CompletionResult]::new('--in', '--in', [CompletionResultType]::ParameterName, 'Builds the sandbox in DIR (which must not exist or be empty) instead of a new temporary folder')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;man' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Runs as if hotfix was started in PATH (`report` takes several, one per repository)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Reads the configuration from FILE instead of .hotfix.toml on mainline')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR also turns it off)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Answers yes to confirmations and never prompts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Prints only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Prints more detail')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hotfix;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Writes a commented .hotfix.toml, and with --ci a CI workflow.')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Starts a hotfix: branches from the newest release tag of a line and records the start.')
            [CompletionResult]::new('pick', 'pick', [CompletionResultType]::ParameterValue, 'Cherry-picks fixes already merged on mainline onto the hotfix branch.')
            [CompletionResult]::new('preview', 'preview', [CompletionResultType]::ParameterValue, 'Says, for each supported release line, whether a fix applies: clean, conflict (with the paths), applied (the line has it), not-applicable (the files are absent), or chain (it conflicts directly but applies on a newer line''s pick).')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Shows where the current hotfix stands: base, picks, each rule''s verdict, and the next command.')
            [CompletionResult]::new('pr', 'pr', [CompletionResultType]::ParameterValue, 'Pushes the hotfix branch and opens its pull request into the release branch.')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Judges the hotfix against every policy rule, changing nothing; exit 1 when a rule fails.')
            [CompletionResult]::new('ship', 'ship', [CompletionResultType]::ParameterValue, 'Ships the hotfix: checks every rule, tags the patch release and records it in the ledger.')
            [CompletionResult]::new('skip-line', 'skip-line', [CompletionResultType]::ParameterValue, 'Records that a line of the incident will not get the fix, and why: the whole line is dropped from the incident (unlike `pick --skip`, which drops one commit of a pick).')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Records an approval of a hotfix: needed when its severity is not one of policy.hotfix-severities (rule `approved`).')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Lists every hotfix in the ledger, newest first.')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Shows one hotfix: its record and every event in order.')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Fetches, merges and pushes the ledger, so every clone sees every hotfix.')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploys a shipped hotfix with `[deploy] command`, health-checks it, and rolls back on failure.')
            [CompletionResult]::new('deployed', 'deployed', [CompletionResultType]::ParameterValue, 'Records that a shipped hotfix was deployed (detection-to-deploy time comes from it).')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Records that a deployed hotfix was validated in production.')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Rolls a shipped hotfix back, or records that it was: a failed change, counted in reports.')
            [CompletionResult]::new('abandon', 'abandon', [CompletionResultType]::ParameterValue, 'Records that a started hotfix will not ship; the next start takes the next patch version.')
            [CompletionResult]::new('retro', 'retro', [CompletionResultType]::ParameterValue, 'Renders the post-incident review, pre-filled from the record.')
            [CompletionResult]::new('runbook', 'runbook', [CompletionResultType]::ParameterValue, 'Writes this repository''s hotfix runbook from its policy: when to hotfix and who approves, the commands with this repository''s limits, how to deploy and roll back, where the record lives.')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Turns the ledger and the patch tags into monthly hotfix figures.')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The evidence of every emergency change, for auditors (SOC 2 CC8.1, ISO 27001 A.8.32).')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Records past hotfixes from a CSV or JSON file, one row per hotfix.')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Runs a whole hotfix (start, pick, status, check, ship, push) in a sandbox repository, then one incident on two lines (preview, start, pick, ship).')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Prints a shell completion script.')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Prints the man page (roff).')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hotfix;help;init' {
            break
        }
        'hotfix;help;start' {
            break
        }
        'hotfix;help;pick' {
            break
        }
        'hotfix;help;preview' {
            break
        }
        'hotfix;help;status' {
            break
        }
        'hotfix;help;pr' {
            break
        }
        'hotfix;help;check' {
            break
        }
        'hotfix;help;ship' {
            break
        }
        'hotfix;help;skip-line' {
            break
        }
        'hotfix;help;approve' {
            break
        }
        'hotfix;help;list' {
            break
        }
        'hotfix;help;show' {
            break
        }
        'hotfix;help;sync' {
            break
        }
        'hotfix;help;deploy' {
            break
        }
        'hotfix;help;deployed' {
            break
        }
        'hotfix;help;verify' {
            break
        }
        'hotfix;help;rollback' {
            break
        }
        'hotfix;help;abandon' {
            break
        }
        'hotfix;help;retro' {
            break
        }
        'hotfix;help;runbook' {
            break
        }
        'hotfix;help;report' {
            break
        }
        'hotfix;help;audit' {
            break
        }
        'hotfix;help;import' {
            break
        }
        'hotfix;help;demo' {
            break
        }
        'hotfix;help;completions' {
            break
        }
        'hotfix;help;man' {
            break
        }
        'hotfix;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
