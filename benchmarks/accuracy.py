"""Accuracy table for docs/accuracy.md from `tickerwire eval` on an annotated set.

    python benchmarks/accuracy.py [--docs ../shared/eval/dev/docs.jsonl] [--gold ../shared/eval/dev/gold.jsonl]

Rewrites the block between the RESULTS markers of docs/accuracy.md; the rest of the page (the
matching rules, the known misses) is written by hand.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tickerwire.evaluation import run_eval

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"


def render(docs: Path, gold: Path) -> str:
    report = run_eval(docs, gold)
    lines = [
        f"Set: `{os.path.relpath(docs, ROOT)}` ({len(report.articles)} articles). "
        "Produced by `python benchmarks/accuracy.py`.",
        "",
        "| field | lang | TP | FP | FN | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report.rows:
        lines.append(
            f"| {r.field} | {r.lang} | {r.tp} | {r.fp} | {r.fn} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=ROOT.parent / "shared" / "eval" / "dev" / "docs.jsonl")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "dev" / "gold.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "accuracy.md")
    args = ap.parse_args()
    table = render(args.docs, args.gold)
    print(table)
    page = args.out.read_text(encoding="utf-8")
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    args.out.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
