"""Story grouping accuracy: pair precision and recall on the labelled pair set.

    python benchmarks/story_pairs.py [--show-errors]

Each corpus of tests/fixtures/stories/gold.yaml is ingested into a fresh database in file order
(stories are assigned at ingest, as in production), then every pair of its articles is scored:
same story when a labelled group holds both. Prints a Markdown table for docs/stories.md, then
the CPU time story assignment adds per article on the sample news (extraction excluded).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

from tickerwire.errors import SourceError
from tickerwire.extract import build_pipeline
from tickerwire.ingest import ingest_paths
from tickerwire.insights.stories import StoryAssigner
from tickerwire.insights.story_eval import PairScores, groups_by_origin, pair_scores
from tickerwire.sources import expand_inputs, read_path
from tickerwire.store import Store

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "stories" / "gold.yaml"


def evaluate_corpus(
    path: Path, groups: dict[str, list[str]], db: Path
) -> tuple[PairScores, dict[str, str]]:
    """Ingest ``path`` into ``db`` and score its stories against ``groups`` (origin suffixes)."""
    with Store(db) as store:
        ingest_paths(store, [str(path)], max_bytes=50_000_000)
        origins: dict[str, str] = {}
        for article_id, _revision, article in store.iter_current():
            origins[article_id] = article.origin or article_id
        story_of = {a: m.story_id for a, m in store.story_memberships(list(origins)).items()}
    gold = groups_by_origin(origins, groups)
    return pair_scores(sorted(origins), gold, story_of), origins


def assignment_cpu_ms(path: Path, db: Path) -> tuple[int, float]:
    """(articles, mean CPU milliseconds of ``StoryAssigner.decide`` per article)."""
    pipeline = build_pipeline()
    items = [item for p in expand_inputs([str(path)]) for item in read_path(p)]
    extracted = [(a, pipeline(a)) for a in items if not isinstance(a, SourceError)]
    spent = 0.0
    with Store(db) as store:
        assigner = StoryAssigner(store)
        for article, extraction in extracted:
            now = datetime.now(UTC)
            started = time.process_time()
            join = assigner.decide(article.id, article, extraction, now=now)
            spent += time.process_time() - started
            store.ingest_article(article, extraction, now=now, story=join)
            assigner.remember(join)
    return len(extracted), 1000 * spent / max(1, len(extracted))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list wrong pairs")
    args = parser.parse_args(argv)
    spec = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    print("| corpus | articles | pairs | same-story pairs | predicted | correct | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        for name, corpus in spec["corpora"].items():
            scores, origins = evaluate_corpus(ROOT / corpus["path"], corpus["groups"],
                                              Path(tmp) / f"{name}.db")
            print(f"| {name} | {scores.articles} | {scores.pairs} | {scores.gold_pairs} | "
                  f"{scores.predicted_pairs} | {scores.true_positives} | {scores.precision:.3f} | "
                  f"{scores.recall:.3f} |")
            for i, value in enumerate((scores.articles, scores.pairs, scores.gold_pairs,
                                       scores.predicted_pairs, scores.true_positives)):
                totals[i] += value
            if args.show_errors:
                for label, pairs in (("false positive", scores.false_positives),
                                     ("false negative", scores.false_negatives)):
                    for a, b in pairs:
                        print(f"  {label}: {origins[a]} ~ {origins[b]}", file=sys.stderr)
        articles, pairs, gold, predicted, correct = totals
        print(f"| **all** | {articles} | {pairs} | {gold} | {predicted} | {correct} | "
              f"{correct / predicted if predicted else 1:.3f} | {correct / gold if gold else 1:.3f} |")
        n, ms = assignment_cpu_ms(ROOT / "examples" / "news", Path(tmp) / "timing.db")
        print(f"\nstory assignment: {ms:.2f} ms CPU per article ({n} articles, extraction excluded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
