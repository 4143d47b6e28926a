#!/usr/bin/env python3
"""Times hotfix start, pick, check, preview and a pick onto three lines against the plain git commands that do the same job, on a
generated repository (100,000 commits and 1,000 release tags by default), with and without a
commit-graph file. Wall time is the median of several runs; peak memory is each process's
maximum resident set (wait4). Results are printed as a Markdown table.

    cargo build --release && python3 bench/bench.py [--commits N] [--tags N] [--runs N]
        [--baseline OTHER_HOTFIX_BINARY]

With --baseline, another build of hotfix (an older commit's, say) is timed in the same run,
alternating with the others, so a change can be compared with what it replaces.

Needs GNU time at /usr/bin/time (Debian: apt-get install time).
"""
import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(
    os.environ,
    GIT_CONFIG_GLOBAL="/dev/null",
    GIT_CONFIG_NOSYSTEM="1",
    GIT_AUTHOR_NAME="Ann Author",
    GIT_AUTHOR_EMAIL="ann@example.com",
    GIT_COMMITTER_NAME="Olga Oncall",
    GIT_COMMITTER_EMAIL="olga@example.com",
    NO_COLOR="1",
)


def run(args, cwd, check=True, stdin=None):
    p = subprocess.run(args, cwd=cwd, env=ENV, input=stdin, capture_output=True)
    if check and p.returncode != 0:
        sys.exit(f"{args} failed: {p.stdout.decode()} {p.stderr.decode()}")
    return p.stdout.decode()


def timed(cmd, cwd):
    """Runs one command under GNU time, output discarded; returns (seconds, peak RSS in KiB).
    A list runs the program itself, with no shell in between; a string runs through `sh -c`
    (for pipelines), and the peak is that of the largest process the shell waited for. (A
    process forked straight from Python would count Python's own pages in its rusage.)"""
    argv = list(cmd) if isinstance(cmd, list) else ["sh", "-c", cmd]
    with tempfile.NamedTemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name] + argv, cwd=cwd, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            sys.exit(f"{cmd} exited {proc.returncode}")
        rss = int(open(out.name).read().split()[-1])
    return elapsed, rss


def generate(path, commits, tags):
    """Writes a repository with `commits` mainline commits, a release tag every
    commits/tags commits, and a fix with its test after the last release."""
    os.makedirs(path)
    run(["git", "init", "-q", "-b", "main", "work"], path)
    work = os.path.join(path, "work")
    every = max(1, commits // tags)
    lines = []
    t0 = 1_600_000_000
    mark = 0
    for i in range(commits):
        mark += 1
        ts = t0 + i * 60
        content = f"change {i}\n".encode()
        lines.append(b"commit refs/heads/main\n")
        lines.append(f"mark :{mark}\n".encode())
        lines.append(f"author Dana Dev <dana@example.com> {ts} +0000\n".encode())
        lines.append(f"committer Dana Dev <dana@example.com> {ts} +0000\n".encode())
        msg = f"commit {i}\n".encode()
        lines.append(f"data {len(msg)}\n".encode() + msg)
        if i > 0:
            lines.append(f"from :{mark - 1}\n".encode())
        lines.append(f"M 100644 inline src/f{i % 500}.txt\n".encode())
        lines.append(f"data {len(content)}\n".encode() + content + b"\n")
        if i % every == 0 and i // every < tags:
            k = i // every
            lines.append(f"tag v1.{k}.0\nfrom :{mark}\n".encode())
            lines.append(f"tagger Dana Dev <dana@example.com> {ts} +0000\n".encode())
            tmsg = f"v1.{k}.0\n".encode()
            lines.append(f"data {len(tmsg)}\n".encode() + tmsg)
    # The fix, after the last release: a source change and its test.
    ts = t0 + commits * 60
    mark += 1
    msg = b"fix: crash\n"
    lines.append(b"commit refs/heads/main\n")
    lines.append(f"mark :{mark}\nauthor Ann Author <ann@example.com> {ts} +0000\n".encode())
    lines.append(f"committer Ann Author <ann@example.com> {ts} +0000\n".encode())
    lines.append(f"data {len(msg)}\n".encode() + msg)
    lines.append(f"from :{mark - 1}\n".encode())
    for name, body in (("src/fix.txt", b"fixed\n"), ("tests/fix_test.txt", b"test\n")):
        lines.append(f"M 100644 inline {name}\n".encode())
        lines.append(f"data {len(body)}\n".encode() + body + b"\n")
    run(["git", "fast-import", "--quiet"], work, stdin=b"".join(lines))
    run(["git", "checkout", "-q", "-f", "main"], work)
    run(["git", "init", "-q", "--bare", "origin.git"], path)
    run(["git", "remote", "add", "origin", os.path.join(path, "origin.git")], work)
    run(["git", "push", "-q", "origin", "main", "--tags"], work)
    run(["git", "fetch", "-q", "origin"], work)
    run(["git", "remote", "set-head", "origin", "main"], work)
    run(["git", "gc", "-q"], work)
    return work


def median(xs):
    return statistics.median(xs)


def bench(work, hotfix, runs, label, baseline=None):
    fix = run(["git", "rev-parse", "origin/main"], work).strip()
    last = run(["git", "tag", "--sort=-v:refname"], work).split()[0]
    v = last[1:].split(".")
    hot = f"{v[0]}.{v[1]}.1"
    branch = f"hotfix/{hot}"
    rows = []

    def reset():
        run(["git", "switch", "-q", "-f", "main"], work)
        run(["git", "branch", "-q", "-D", branch], work, check=False)
        run(["git", "update-ref", "-d", "refs/heads/hotfix-ledger"], work, check=False)
        shutil.rmtree(os.path.join(work, ".git", "hotfix"), ignore_errors=True)

    def measure(name, tool_cmd, git_cmd, before, git_before=None):
        """Times hotfix and git alternately. Both run through sh, as git's side needs a shell
        for its pipelines."""
        tt, tm, gt, gm, bt = [], [], [], [], []
        for _ in range(runs):
            before()
            s, m = timed(shlex.join(tool_cmd), work)
            tt.append(s)
            tm.append(m)
            (git_before or before)()
            s, m = timed(git_cmd, work)
            gt.append(s)
            gm.append(m)
            if baseline:
                before()
                s, _ = timed(shlex.join([baseline] + tool_cmd[1:]), work)
                bt.append(s)
        rows.append((label, name, median(tt), max(tm), median(gt), max(gm), median(bt) if bt else None))

    # start: newest release by semver, branch at the tag, check it out.
    measure(
        "start",
        [hotfix, "start"],
        f"t=$(git tag --list 'v*' --sort=-v:refname | head -1) && git switch -q -c {branch} $t",
        reset,
    )

    # pick: reachability from mainline, then the cherry-pick with -x.
    def started():
        reset()
        run([hotfix, "start"], work)

    def git_started():
        reset()
        run(["git", "switch", "-q", "-c", branch, last], work)

    measure(
        "pick",
        [hotfix, "pick", fix],
        f"git merge-base --is-ancestor {fix} origin/main && git cherry-pick -x {fix} >/dev/null",
        started,
        git_started,
    )

    # check: the base (describe), each pick's source on mainline, patch-ids, the diff size, and
    # whether the tag is free on the remote (version-free asks it too).
    started()
    run([hotfix, "pick", fix], work)
    git_seq = (
        "git describe --tags --abbrev=0 HEAD >/dev/null && "
        f"git merge-base --is-ancestor {fix} origin/main && "
        "git show -U0 HEAD | git patch-id --stable >/dev/null && "
        f"git show -U0 {fix} | git patch-id --stable >/dev/null && "
        f"git diff --numstat {last} HEAD >/dev/null && "
        f"git ls-remote origin refs/tags/v{hot} >/dev/null"
    )
    measure("check", [hotfix, "check", "--reviewer", "rita"], git_seq, lambda: None)
    reset()

    # preview: the fix on the five newest lines, each a merge of trees in memory; git's side is
    # `git merge-tree --write-tree` once per line, in a row.
    tags5 = run(["git", "tag", "--sort=-v:refname"], work).split()[:5]
    args = [hotfix, "preview", fix]
    for t in tags5:
        args += ["--line", t[1:].rsplit(".", 1)[0]]
    git_seq = " && ".join(
        f"git merge-tree --write-tree --merge-base {fix}~1 {t} {fix} >/dev/null" for t in tags5
    )
    measure("preview (5 lines)", args, git_seq, lambda: None)

    # pick onto three lines of one incident: hotfix picks the checked-out newest line through
    # the working tree and the two others in memory; git's side is one `git cherry-pick -x` in
    # each of three checked-out worktrees, in a row.
    tags3 = tags5[:3]
    lines3 = [t[1:].rsplit(".", 1)[0] for t in tags3]
    branches3 = [f"hotfix/{l}.1" for l in lines3]
    trees = os.path.join(os.path.dirname(work), "trees")

    def reset3():
        run(["git", "switch", "-q", "-f", "main"], work)
        shutil.rmtree(trees, ignore_errors=True)
        run(["git", "worktree", "prune"], work)
        for b in branches3:
            run(["git", "branch", "-q", "-D", b], work, check=False)
        run(["git", "update-ref", "-d", "refs/heads/hotfix-ledger"], work, check=False)
        shutil.rmtree(os.path.join(work, ".git", "hotfix"), ignore_errors=True)

    def started3():
        reset3()
        cmd = [hotfix, "start", "--incident", "INC-BENCH"]
        for l in lines3:
            cmd += ["--line", l]
        run(cmd, work)

    def git_started3():
        reset3()
        for t, b in zip(tags3, branches3):
            run(["git", "worktree", "add", "-q", "-b", b, os.path.join(trees, b), t], work)

    git_seq = f"git merge-base --is-ancestor {fix} origin/main && " + " && ".join(
        f"git -C {shlex.quote(os.path.join(trees, b))} cherry-pick -x {fix} >/dev/null" for b in branches3
    )
    measure("pick (3 lines)", [hotfix, "pick", fix], git_seq, started3, git_started3)
    reset3()
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=100_000)
    ap.add_argument("--tags", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--hotfix", default=os.path.join(ROOT, "target", "release", "hotfix"))
    ap.add_argument("--baseline", help="another hotfix binary to time in the same run")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="hotfix-bench-")
    try:
        t = time.perf_counter()
        work = generate(os.path.join(tmp, "repo"), a.commits, a.tags)
        print(f"generated {a.commits} commits and {a.tags} tags in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        rows = bench(work, a.hotfix, a.runs, "no commit-graph", a.baseline)
        run(["git", "commit-graph", "write", "--reachable"], work)
        rows += bench(work, a.hotfix, a.runs, "commit-graph", a.baseline)
        git_version = run(["git", "--version"], work).strip()
        print(f"{a.commits} commits, {a.tags} release tags, median of {a.runs} runs; {git_version}\n")
        print("| history | step | hotfix | hotfix peak RSS | git | git peak RSS | hotfix / git |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for label, name, tt, tm, gt, gm, _ in rows:
            print(f"| {label} | {name} | {tt * 1000:.0f} ms | {tm / 1024:.1f} MiB | {gt * 1000:.0f} ms | {gm / 1024:.1f} MiB | {tt / gt:.2f} |")
        if a.baseline:
            print(f"\nagainst the baseline {a.baseline}, same run:\n")
            print("| history | step | hotfix | baseline | hotfix / baseline |")
            print("| --- | --- | ---: | ---: | ---: |")
            for label, name, tt, _, _, _, bt in rows:
                print(f"| {label} | {name} | {tt * 1000:.0f} ms | {bt * 1000:.0f} ms | {tt / bt:.2f} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
