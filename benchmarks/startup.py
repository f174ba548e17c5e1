"""Start-up and board latency of the ``tickerwire`` command, each run a fresh process.

Builds a database from the sample news copied ``--articles`` times with distinct ids
(``ingest_throughput.write_inputs``), then times each command ``--repeat`` times after one
warm-up run (which also fills the security master's cache and writes the ``.pyc`` files, as an
installed package has them) and prints a Markdown table of the median CPU seconds (user +
system, which other work on a shared machine barely moves) and the median wall-clock seconds.
``COMMAND --help`` is a command's start-up alone: its module imported, its options built, no
work done. ``build_pipeline()`` is the extraction pipeline's set-up that ``extract``, ``ingest``
and ``reprocess`` add to their start-up; ``extract FILE.md`` is the whole command on one sample
article (start-up, pipeline, the first article's extraction), in English, and ``extract 简体.md``
on one in simplified Chinese (whose text also needs the table of the characters that fold
specially). The
board commands, ``search`` and ``show`` read the database, so their time is start-up plus work
that grows with it: run with a small ``--articles`` (the sample news is 55 files) to see the
start-up alone. With ``--before SRC`` the same is done with another source tree (for example an
older checkout's ``src``, which builds its own database) and the table gains a ratio; the two
trees take turns, run by run, so that the load of a shared machine weighs on both alike.

Usage: python benchmarks/startup.py [--articles 1000] [--repeat 5] [--before OLD/src]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_throughput import write_inputs  # a sibling script

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "from tickerwire.cli import main; main()"
PIPELINE = "from tickerwire.extract import build_pipeline; build_pipeline()"
ARTICLE = ROOT / "examples" / "news" / "2025-10-06-hk-close-hsi-holiday-eve.md"
ARTICLE_ZH = ROOT / "examples" / "news" / "2025-10-14-southbound-inflow-zh-hans.md"
COMMANDS: list[tuple[str, list[str]]] = [
    ("--help", ["--help"]),
    ("stocks (a typo)", ["stocks"]),
    ("stats --help", ["stats", "--help"]),
    ("brief --help", ["brief", "--help"]),
    ("ingest --help", ["ingest", "--help"]),
    ("build_pipeline()", []),
    ("extract FILE.md", ["extract", str(ARTICLE)]),
    ("extract 简体.md", ["extract", str(ARTICLE_ZH)]),
    ("securities AAPL", ["securities", "AAPL"]),
    ("stats", ["stats"]),
    ("search Tencent", ["search", "Tencent"]),
    ("show ID", ["show"]),  # the newest article's id is added (``first_id``)
    ("movers", ["movers"]),
    ("market", ["market"]),
    ("stock 00700.HK", ["stock", "00700.HK"]),
    ("ipos", ["ipos"]),
    ("brief", ["brief"]),
]
WITH_DB = {"stats", "search Tencent", "show ID", "movers", "market", "stock 00700.HK", "ipos",
           "brief"}


Timing = tuple[float, float]  # (CPU s, wall s)


def run(src: Path, label: str, args: list[str], env: dict[str, str]) -> Timing:
    code = PIPELINE if label == "build_pipeline()" else ENTRY
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args],
                          env={**env, "PYTHONPATH": str(src)}, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    if done.returncode != (2 if "typo" in label else 0):
        raise RuntimeError(f"{label} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall)


def measure(trees: dict[str, Path], inputs: Path, work: Path, repeat: int
            ) -> dict[str, dict[str, Timing]]:
    """The median timings of every command for each source tree. The trees take turns run by
    run, so a change in the machine's load between runs reaches both alike."""
    envs: dict[str, dict[str, str]] = {}
    for name, src in trees.items():
        folder = work / name
        folder.mkdir()
        env = {**os.environ, "TICKERWIRE_CACHE_DIR": str(folder / "cache"), "COLUMNS": "120",
               "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        envs[name] = env
        run(src, "ingest", ["--db", str(folder / "bench.db"), "ingest", str(inputs)], env)
    shown = first_id(trees["after"], work / "after" / "bench.db", envs["after"])
    medians: dict[str, dict[str, Timing]] = {name: {} for name in trees}
    for label, args in COMMANDS:
        runs: dict[str, list[Timing]] = {name: [] for name in trees}
        if label == "show ID":
            args = [*args, shown]  # the trees ingested the same files: the same ids
        for turn in range(repeat + 1):  # the first: warm-up (page cache, .pyc, the master's cache)
            for name, src in trees.items():
                db = ["--db", str(work / name / "bench.db")] if label in WITH_DB else []
                timing = run(src, label, [*db, *args], envs[name])
                if turn:
                    runs[name].append(timing)
        for name in trees:
            medians[name][label] = (statistics.median(r[0] for r in runs[name]),
                                    statistics.median(r[1] for r in runs[name]))
    return medians


def first_id(src: Path, db: Path, env: dict[str, str]) -> str:
    """The id of the newest article in ``db`` (what ``show ID`` shows)."""
    done = subprocess.run([sys.executable, "-c", ENTRY, "--db", str(db), "search", "", "--json",
                           "--limit", "1"], env={**env, "PYTHONPATH": str(src)},
                          capture_output=True, text=True, check=True)
    return str(json.loads(done.stdout)[0]["id"])


def table(after: dict[str, Timing], before: dict[str, Timing] | None) -> str:
    if before is None:
        lines = ["| command | CPU s | wall s |", "|---|---:|---:|"]
        lines += [f"| `{label}` | {after[label][0]:.2f} | {after[label][1]:.2f} |"
                  for label, _ in COMMANDS]
    else:
        lines = ["| command | before CPU s | after CPU s | before ÷ after | before wall s |"
                 " after wall s |", "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| `{label}` | {before[label][0]:.2f} | {after[label][0]:.2f} |"
                  f" {before[label][0] / after[label][0]:.1f}× | {before[label][1]:.2f} |"
                  f" {after[label][1]:.2f} |" for label, _ in COMMANDS]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another source tree's src/ to compare")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tickerwire-startup-") as tmp:
        inputs = Path(tmp) / "news"
        inputs.mkdir()
        write_inputs(inputs, args.articles)
        trees = {"after": ROOT / "src"}
        if args.before is not None:
            trees = {"before": args.before.resolve(), **trees}
        results = measure(trees, inputs, Path(tmp), args.repeat)
    print(f"{args.articles} articles, median of {args.repeat} runs, {os.cpu_count()} cores\n")
    print(table(results["after"], results.get("before")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
