"""Story grouping accuracy: pair precision and recall on the labelled pair set.

    python benchmarks/story_pairs.py [--show-errors]

Each corpus of tests/fixtures/stories/gold.yaml is ingested into a fresh database in file order
(stories are assigned at ingest, as in production), then every pair of its articles is scored:
same story when a labelled group holds both. Prints a Markdown table for docs/stories.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

from tickerwire.ingest import ingest_paths
from tickerwire.insights.story_eval import PairScores, groups_by_origin, pair_scores
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
