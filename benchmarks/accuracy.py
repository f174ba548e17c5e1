"""Accuracy table for docs/accuracy.md from `tickerwire eval` on an annotated set.

    python benchmarks/accuracy.py

Grades every set and rewrites the block between the RESULTS markers of docs/accuracy.md (the rest
of the page is written by hand): the three real-news sets in ../shared/eval/{dev,real,real2}
(each skipped when absent), all three together, and the project's own held-out sets in
tests/fixtures/eval and tests/fixtures/eval2.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from tickerwire.evaluation import EvalReport, run_eval

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"


def render(report: EvalReport, source: str) -> str:
    lines = [
        f"Set: {source} ({len(report.articles)} articles). Produced by `python benchmarks/accuracy.py`.",
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
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "eval", help="folder of dev/ real/ real2/")
    ap.add_argument("--own", type=Path, default=ROOT / "tests" / "fixtures" / "eval")
    ap.add_argument("--own2", type=Path, default=ROOT / "tests" / "fixtures" / "eval2")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "accuracy.md")
    args = ap.parse_args()
    parts = []
    real_sets = (
        ("Real news, development set", args.real / "dev"),
        ("Real news, second set", args.real / "real"),
        ("Real news, third set", args.real / "real2"),
    )
    own_sets = (("Project's held-out set", args.own), ("Project's second held-out set", args.own2))
    real_reports: list[tuple[str, EvalReport]] = []
    for title, folder in (*real_sets, *own_sets):
        if (folder / "docs.jsonl").exists():
            report = run_eval(folder / "docs.jsonl", folder / "gold.jsonl")
            parts.append(f"### {title}\n\n" + render(report, f"`{os.path.relpath(folder / 'docs.jsonl', ROOT)}`"))
            if (title, folder) in real_sets:
                real_reports.append((folder.name, report))
        if (title, folder) == real_sets[-1] and len(real_reports) > 1:
            together = EvalReport([a for _, report in real_reports for a in report.articles])
            names = " + ".join(name for name, _ in real_reports)
            parts.append("### Real news, all sets together\n\n" + render(together, names))
    table = "\n\n".join(parts)
    print(table)
    page = args.out.read_text(encoding="utf-8")
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    args.out.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
