"""Per-company sentiment accuracy over several graded sets together (default: dev, real, real2).

    .venv/bin/python benchmarks/sentiment_accuracy.py [--eval-dir ../shared/eval] [--errors]

Prints labels, accuracy, macro-F1 and each class's F1 for all, en and zh (the table in
docs/sentiment.md); ``--errors`` lists every wrong label with the words that decided it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tickerwire.evaluation import EvalReport, run_eval
from tickerwire.extract import build_pipeline

SETS = ("dev", "real", "real2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    pipeline = build_pipeline()
    articles = []
    for name in args.sets:
        folder = args.eval_dir / name
        articles += run_eval(folder / "docs.jsonl", folder / "gold.jsonl", pipeline=pipeline).articles
    report = EvalReport(articles)
    print(f"{'lang':<5} {'labels':>6} {'accuracy':>8} {'macro-F1':>8} {'F1 pos':>7} {'F1 neg':>7} {'F1 neu':>7}")
    for lang, s in report.sentiment_summary().items():
        print(
            f"{lang:<5} {int(s['labels']):>6} {s['accuracy']:>8.3f} {s['macro_f1']:>8.3f} "
            f"{s['f1_positive']:>7.3f} {s['f1_negative']:>7.3f} {s['f1_neutral']:>7.3f}"
        )
    if args.errors:
        for a in report.articles:
            for item in a.missed.get("sentiment", []):
                print(f"{a.id} [{a.lang}] {item}")


if __name__ == "__main__":
    main()
