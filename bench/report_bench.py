#!/usr/bin/env python3
"""Times `hotfix report` and `hotfix audit` over a generated repository with 5,000 release tags and 10,000 ledger
records, against `git for-each-ref --format='%(creatordate) %(refname)' refs/tags` on the same
repository in the same run (that command reads every tag's date, as the report must). Reports
the median wall time of several runs and the peak resident set of each command (GNU time, no
shell in between).

The ledger is generated the way an older hotfix (or a hand) would leave it, without its facts
index: the first rows time reports over it; then `hotfix sync` indexes it (timed once), and the
other rows time reports and audits in a fresh `git clone` of the remote `hotfix sync` pushed to.
"First run" means no local report cache (.git/hotfix/report-cache.json), as in that fresh clone;
"again" means every later run. `git for-each-ref` is timed beside them, in the same folder.

    cargo build --release && python3 bench/report_bench.py [--tags N] [--records N] [--runs N]
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, run, timed  # noqa: E402


def generate(path, tags, records):
    os.makedirs(path)
    run(["git", "init", "-q", "-b", "main", "work"], path)
    work = os.path.join(path, "work")
    out = []
    t0 = 1_700_000_000
    mark = 0
    # Mainline: one commit per tag; releases v{line}.0 every 50 tags, patch tags between.
    for i in range(tags):
        mark += 1
        ts = t0 + i * 3600
        body = f"{i}\n".encode()
        msg = f"commit {i}\n".encode()
        out.append(f"commit refs/heads/main\nmark :{mark}\n".encode())
        out.append(f"author D <d@x> {ts} +0000\ncommitter D <d@x> {ts} +0000\n".encode())
        out.append(f"data {len(msg)}\n".encode() + msg)
        if i:
            out.append(f"from :{mark - 1}\n".encode())
        out.append(f"M 100644 inline f.txt\ndata {len(body)}\n".encode() + body + b"\n")
        line, patch = divmod(i, 50)
        name = f"v1.{line}.{patch}"
        tmsg = name.encode()
        out.append(f"tag {name}\nfrom :{mark}\ntagger D <d@x> {ts} +0000\n".encode())
        out.append(f"data {len(tmsg)}\n".encode() + tmsg + b"\n")
    # The ledger: one commit holding `records` record files of three events each.
    ts = t0 + tags * 3600
    out.append(b"commit refs/heads/hotfix-ledger\n")
    out.append(f"author D <d@x> {ts} +0000\ncommitter D <d@x> {ts} +0000\n".encode())
    out.append(b"data 7\nledger\n")
    for k in range(records):
        rid = f"v9.{k // 50}.{k % 50 + 1}"
        day = 1 + k % 28
        month = 1 + (k // 28) % 12
        base = {"schema": 1, "id": rid, "by": "D <d@x>"}
        events = [
            dict(base, type="started", at=f"2026-{month:02}-{day:02}T08:00:00Z", base=f"v9.{k // 50}.0",
                 base_commit="0" * 40, branch=f"hotfix/{rid[1:]}", version=rid[1:], line=f"9.{k // 50}",
                 incident=f"INC-{k}", severity=f"sev{1 + k % 4}", detected_at=f"2026-{month:02}-{day:02}T07:00:00Z",
                 summary="generated"),
            dict(base, type="picked", at=f"2026-{month:02}-{day:02}T08:10:00Z", source="1" * 40,
                 commit="2" * 40, subject="fix", pr=None, clean=k % 3 != 0),
            dict(base, type="shipped", at=f"2026-{month:02}-{day:02}T08:40:00Z", tag=rid, commit="2" * 40,
                 rollback_to=f"v9.{k // 50}.0", stats={"commits": 1, "files": 2, "added": 3, "deleted": 1},
                 paths=["src/a", "tests/a"], tests=["tests/a"], reviewers=[], rules=[],
                 overrides=[{"rule": "regression-test", "reason": "x"}] if k % 10 == 0 else []),
        ]
        data = "".join(json.dumps(e) + "\n" for e in events).encode()
        out.append(f"M 100644 inline records/{rid}.jsonl\ndata {len(data)}\n".encode() + data + b"\n")
    run(["git", "fast-import", "--quiet"], work, stdin=b"".join(out))
    run(["git", "checkout", "-q", "-f", "main"], work)
    run(["git", "gc", "-q"], work)
    return work


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tags", type=int, default=5_000)
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--hotfix", default=os.path.join(ROOT, "target", "release", "hotfix"))
    ap.add_argument("--baseline", help="another hotfix binary whose report and audit are timed in the same run")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="hotfix-report-bench-")
    try:
        work = generate(os.path.join(tmp, "repo"), a.tags, a.records)
        git_cmd = ["git", "for-each-ref", "--format=%(creatordate) %(refname)", "refs/tags"]
        table = [a.hotfix, "report", "--since", "2026-01", "--until", "2026-12"]
        as_json = table + ["--format", "json"]
        audit = [a.hotfix, "audit", "--since", "2026-01", "--until", "2026-12"]
        here = {"dir": work}

        def drop_cache():
            cache = os.path.join(here["dir"], ".git", "hotfix", "report-cache.json")
            if os.path.exists(cache):
                os.remove(cache)

        # (label, command, runs before it: drop the cache, or not)
        before = [
            ("`hotfix report`, ledger without its index, first run", table, drop_cache),
            ("`hotfix report`, ledger without its index, again (local cache)", table, None),
        ]
        after = [
            ("`hotfix report`, first run", table, drop_cache),
            ("`hotfix report`, again", table, None),
            ("`hotfix report --format json`, first run", as_json, drop_cache),
            ("`hotfix report --format json`, again", as_json, None),
            ("`hotfix audit`, first run", audit, drop_cache),
            ("`hotfix audit`, again", audit, None),
            ("`hotfix audit --format json`, first run", audit + ["--format", "json"], drop_cache),
        ]
        if a.baseline:
            base = [a.baseline] + table[1:]
            after += [
                ("baseline `hotfix report`, first run", base, drop_cache),
                ("baseline `hotfix report`, again", base, None),
                ("baseline `hotfix audit`, first run", [a.baseline] + audit[1:], drop_cache),
            ]
        git_label = "`git for-each-ref --format='%(creatordate) %(refname)' refs/tags`"
        times = {label: [] for label, _, _ in before + after}
        times[git_label] = []
        rss = {label: 0 for label in times}

        def measure(rows):
            for _ in range(a.runs):
                for label, cmd, prepare in rows + [(git_label, git_cmd, None)]:
                    if prepare:
                        prepare()
                    s, m = timed(cmd, here["dir"])
                    times[label].append(s)
                    rss[label] = max(rss[label], m)

        measure(before)
        # Index the ledger as `hotfix sync` does for a ledger an older hotfix wrote.
        run(["git", "init", "-q", "--bare", "-b", "main", os.path.join(tmp, "origin.git")], tmp)
        run(["git", "remote", "add", "origin", os.path.join(tmp, "origin.git")], work)
        run(["git", "push", "-q", "origin", "main", "--tags"], work)
        start = time.perf_counter()
        run([a.hotfix, "sync"], work)
        sync = time.perf_counter() - start
        # Then a real fresh clone of that remote: its tags, its ledger as a remote-tracking
        # branch, origin/HEAD set, one pack.
        fresh = os.path.join(tmp, "fresh")
        run(["git", "clone", "-q", os.path.join(tmp, "origin.git"), fresh], tmp)
        here["dir"] = fresh
        measure(after)

        total = json.loads(run(as_json, fresh))["total"]
        med = statistics.median
        git = med(times[git_label])
        print(f"{a.tags} tags, {a.records} ledger records ({total} hotfixes in the report), median of {a.runs} runs; "
              f"{run(['git', '--version'], work).strip()}; `hotfix sync` indexed the ledger in {sync * 1000:.0f} ms\n")
        print("| command | median | peak RSS | / git |")
        print("| --- | ---: | ---: | ---: |")
        for label in list(times):
            t = med(times[label])
            print(f"| {label} | {t * 1000:.0f} ms | {rss[label] / 1024:.1f} MiB | {t / git:.2f} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
