"""Accuracy floors on the real-news sets beside the repository (../shared/eval/{dev,real,real2}).

Graded like `tickerwire eval`: the three sets together, overall and per language, must reach the
floors the project sets for real news (docs/accuracy.md). Skipped where the sets are not present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tickerwire.evaluation import EvalReport, run_eval

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
SETS = ("dev", "real", "real2")

# What the project holds itself to on dev + real + real2 together, overall and per language.
FLOORS = {
    lang: {"issuers": 0.97, "indices": 0.97, "moves": 0.96, "index_levels": 0.96, "amounts": 0.92, "events": 0.88}
    for lang in ("all", "en", "zh")
}


@pytest.fixture(scope="module")
def together() -> EvalReport:
    if not all((REAL / name / "docs.jsonl").exists() for name in SETS):
        pytest.skip(f"real-news sets not found under {REAL}")
    reports = [run_eval(REAL / name / "docs.jsonl", REAL / name / "gold.jsonl") for name in SETS]
    return EvalReport([a for report in reports for a in report.articles])


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_accuracy_floor_on_real_news(together: EvalReport, lang: str) -> None:
    f1 = {r.field: r.f1 for r in together.rows if r.lang == lang}
    below = {field: round(f1[field], 3) for field, floor in FLOORS[lang].items() if f1[field] < floor}
    assert below == {}
