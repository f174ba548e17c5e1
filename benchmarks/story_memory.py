"""Story assignment's memory and CPU over a big corpus in random date order, before and after.

    python benchmarks/story_memory.py --db INGESTED.db --articles 30000 --checkpoints 3000 10000
        [--before OLD/src] [--max-signatures 5000 ...]

Replays the story assigner over the first N articles (in the order they were first seen) of a
database that ``tickerwire ingest`` filled, as ``assign_stories`` does. The articles and their
stored extractions are read once (by the ``--before`` tree when given: the database may predate
the other tree's schema) into a file every replay reads. Each batch of 200
articles is copied into a new scratch database (text only: no extraction rows, no stories), then
each article's story is decided from its stored extraction and remembered (``decide`` and
``remember`` are what is timed; the text's MinHash is computed beforehand, as ingest's extracting
workers do), and the batch's joins are written. The corpus of
``benchmarks/scale.py`` spreads publication over ten years in random order, the worst case for
an assigner that keeps the windows it has read; ``--published-order`` replays the same articles
oldest publication first, as a feed or a folder of days arrives (each decided as of its place in
that order, so the stories differ from the random order's).

Each replay runs in its own process, all at once (``--before`` puts the old tree's sources
first; CPU time, not wall time, is compared), so its
peak resident set (``ru_maxrss``) is the replay's alone; it is read at each checkpoint. A digest
of every join (story, reason, matched article, score, novelty, fact counts) shows whether two
trees decided the same. After the replay, the bytes one indexed signature takes are measured
with ``tracemalloc`` over the first 2,000 signatures stored (the signature, then its share of
the index). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BATCH = 200
SAMPLE = 2_000


def dump(db: Path, articles: int, out: Path, *, published_order: bool = False) -> None:
    """Write the first ``articles`` of ``db`` (article, stored extraction, first seen, anchor, and
    the MinHash of its text, which ingest computes where it extracts),
    a pickled batch at a time, so that every replay reads the same input without the database
    (whose schema may be older than a tree's)."""
    from tickerwire.insights.story_match import text_minhash
    from tickerwire.store import Store

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM articles ORDER BY first_seen_at, id LIMIT ?", (articles,))]
        if published_order:  # the same articles, oldest publication first
            order = {r[0]: r[1] for r in conn.execute(
                "SELECT m.article_id, m.anchor_at FROM story_members AS m JOIN"
                " (SELECT id FROM articles ORDER BY first_seen_at, id LIMIT ?) AS a"
                " ON a.id = m.article_id", (articles,))}
            ids.sort(key=lambda i: (order.get(i, ""), i))
    with Store(db, readonly=True) as source, out.open("wb") as sink:
        for start in range(0, len(ids), BATCH):
            found = source.get_articles(ids[start:start + BATCH])
            pickle.dump([(s.id, s.to_article(), s.extraction, s.first_seen_at,
                          s.published_at or s.first_seen_at, text_minhash(s.text))
                         for s in (found[i] for i in ids[start:start + BATCH] if i in found)],
                        sink)


def batches(path: Path) -> Iterator[list[Any]]:
    with path.open("rb") as source:
        while True:
            try:
                yield pickle.load(source)
            except EOFError:
                return


def checkpoint(done: int, spent: float, indexed: int, digest: str) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"articles": done, "cpu_ms": 1000 * spent / max(1, done),
                      "peak_mib": round(peak, 1), "indexed": indexed, "digest": digest[:16]}),
          flush=True)


def replay(articles: Path, checkpoints: list[int], max_signatures: int | None,
           joins_out: Path | None = None) -> None:
    """Run the assigner over the ``articles`` dumped; print one JSON line a checkpoint and one
    for the signature's size (``joins_out``: write every join there, one a line)."""
    from tickerwire.insights.stories import StoryAssigner
    from tickerwire.insights.story_match import SignatureIndex, StorySignature
    from tickerwire.store import Store, prepare_article

    digest = hashlib.sha256()
    dump = None if joins_out is None else joins_out.open("w", encoding="utf-8")
    spent = 0.0
    done = 0
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "replay.db") as scratch:
        options = {} if max_signatures is None else {"max_signatures": max_signatures}
        assigner = StoryAssigner(scratch, **options)
        marks = sorted(set(checkpoints))
        for stored in batches(articles):
            scratch.ingest_batch([prepare_article(article, None) for _, article, *_ in stored])
            joins = []
            for article_id, article, extraction, first_seen, anchor, minhash in stored:
                started = time.process_time()
                join = assigner.decide(article_id, article, extraction, now=first_seen,
                                       anchor_at=anchor, minhash=minhash)
                assigner.remember(join)
                spent += time.process_time() - started
                joins.append(join)
                m = join.member
                line = json.dumps([m.article_id, m.story_id, m.reason, m.matched_article_id,
                                   m.score, m.novelty, m.facts, m.new_facts])
                digest.update(line.encode())
                if dump is not None:
                    dump.write(line + "\n")
            scratch.join_stories(joins)
            done += len(stored)
            if marks and done >= marks[0]:
                marks = [m for m in marks if m > done]
                checkpoint(done, spent, len(assigner.index), digest.hexdigest())
        checkpoint(done, spent, len(assigner.index), digest.hexdigest())
        if dump is not None:
            dump.close()
        members = scratch.story_members_anchored(datetime(1, 1, 2, tzinfo=UTC),
                                                 datetime(9999, 12, 30, tzinfo=UTC))[:SAMPLE]
    SignatureIndex()  # imports done before measuring
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    signatures = [StorySignature.from_dict(m.article_id, m.anchor_at, m.signature)
                  for m in members]
    built = tracemalloc.get_traced_memory()[0]
    index = SignatureIndex()
    for signature in signatures:
        index.add(signature)
    indexed = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    n = max(1, len(signatures))
    print(json.dumps({"signature_bytes": round((built - base) / n),
                      "index_bytes": round((indexed - built) / n)}), flush=True)


def start(tree: Path, args: argparse.Namespace, max_signatures: int | None,
          joins: Path) -> subprocess.Popen[str]:
    """A replay of ``tree``'s assigner, in its own process, writing its joins to ``joins``."""
    command = [sys.executable, __file__, "--replay", "--input", str(args.input),
               "--joins", str(joins), "--checkpoints", *map(str, args.checkpoints)]
    if max_signatures is not None:
        command += ["--max-signatures", str(max_signatures)]
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def results(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"a replay failed (exit {process.returncode})")
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database ingest filled")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--checkpoints", type=int, nargs="*", default=[])
    parser.add_argument("--before", type=Path, help="the old tree's src directory")
    parser.add_argument("--published-order", action="store_true",
                        help="replay the same articles oldest publication first")
    parser.add_argument("--max-signatures", type=int, nargs="*", default=[],
                        help="also replay this tree with these bounds")
    parser.add_argument("--replay", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--joins", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.replay:
        bound = args.max_signatures[0] if args.max_signatures else None
        replay(args.input, args.checkpoints, bound, args.joins)
        return 0
    if args.dump:
        dump(args.db, args.articles, args.input, published_order=args.published_order)
        return 0
    here = Path(__file__).resolve().parents[1] / "src"
    work = Path(tempfile.mkdtemp(prefix="story-memory-"))
    args.input = work / "articles.pickle"
    subprocess.run([sys.executable, __file__, "--dump", "--db", str(args.db), "--articles",
                    str(args.articles), "--input", str(args.input),
                    *(["--published-order"] if args.published_order else [])], check=True,
                   env=dict(os.environ, PYTHONPATH=str(args.before or here)))
    runs: list[tuple[str, Path, int | None]] = []
    if args.before is not None:
        runs.append(("before", args.before, None))
    runs.append(("after", here, None))
    runs += [(f"after, bound {b:,}", here, b) for b in args.max_signatures]
    print("| tree | articles | CPU ms / article | peak RSS MiB | signatures indexed | "
          "joins digest |")
    print("|---|---:|---:|---:|---:|---|")
    sizes = []
    started = [(name, start(tree, args, bound, work / f"{i}.jsonl"))  # side by side
               for i, (name, tree, bound) in enumerate(runs)]
    for name, process in started:
        for line in results(process):
            if "articles" in line:
                print(f"| {name} | {line['articles']:,} | {line['cpu_ms']:.2f} | "
                      f"{line['peak_mib']:,.0f} | {line['indexed']:,} | {line['digest']} |",
                      flush=True)
            else:
                sizes.append((name, line))
    print("\n| tree | bytes / signature | bytes / signature in the index |")
    print("|---|---:|---:|")
    for name, line in sizes:
        print(f"| {name} | {line['signature_bytes']:,} | {line['index_bytes']:,} |")
    print(f"\njoins compared with {runs[0][0]}'s:")
    fields = ["article", "story", "reason", "matched", "score", "novelty", "facts", "new facts"]
    first = (work / "0.jsonl").read_text(encoding="utf-8").splitlines()
    for i, (name, _tree, _bound) in enumerate(runs[1:], start=1):
        other = (work / f"{i}.jsonl").read_text(encoding="utf-8").splitlines()
        differing: dict[str, int] = {}
        rows = 0
        for a, b in zip(first, other, strict=True):
            changed = [f for f, x, y in zip(fields, json.loads(a), json.loads(b), strict=True)
                       if x != y]
            rows += bool(changed)
            for f in changed:
                differing[f] = differing.get(f, 0) + 1
        print(f"- {name}: {rows:,} of {len(first):,} differ {differing or ''}")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
