"""Accuracy table for docs/accuracy.md from `tickerwire eval` on an annotated set.

    python benchmarks/accuracy.py

Grades two sets and rewrites the block between the RESULTS markers of docs/accuracy.md (the rest
of the page is written by hand): the real-news development set in ../shared/eval/dev (skipped
when absent) and the project's own held-out set in tests/fixtures/eval.
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
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--own", type=Path, default=ROOT / "tests" / "fixtures" / "eval")
    ap.add_argument("--own2", type=Path, default=ROOT / "tests" / "fixtures" / "eval2")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "accuracy.md")
    args = ap.parse_args()
    parts = []
    sets = (
        ("Real news, development set", args.dev),
        ("Project's held-out set", args.own),
        ("Project's second held-out set", args.own2),
    )
    for title, folder in sets:
        if (folder / "docs.jsonl").exists():
            parts.append(f"### {title}\n\n" + render(folder / "docs.jsonl", folder / "gold.jsonl"))
    table = "\n\n".join(parts)
    print(table)
    page = args.out.read_text(encoding="utf-8")
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    args.out.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
