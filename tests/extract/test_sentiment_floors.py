"""Per-company sentiment floors on the real-news sets (../shared/eval/{dev,real,real2}).

Graded like `tickerwire eval`: the three sets together, overall and per language, keep the
accuracy and negative-class F1 they reach today (docs/sentiment.md has the table). Skipped where
the sets are not present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tickerwire.evaluation import EvalReport, run_eval

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
SETS = ("dev", "real", "real2")

FLOORS = {
    "all": {"accuracy": 0.93, "f1_negative": 0.94},
    "en": {"accuracy": 0.90, "f1_negative": 0.93},
    "zh": {"accuracy": 0.945, "f1_negative": 0.945},
}


@pytest.fixture(scope="module")
def summary() -> dict[str, dict[str, float]]:
    if not all((REAL / name / "gold.jsonl").exists() for name in SETS):
        pytest.skip(f"real-news sets not found under {REAL}")
    reports = [run_eval(REAL / name / "docs.jsonl", REAL / name / "gold.jsonl") for name in SETS]
    return EvalReport([a for report in reports for a in report.articles]).sentiment_summary()


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_sentiment_floor_on_real_news(summary: dict[str, dict[str, float]], lang: str) -> None:
    assert summary[lang]["labels"] > 100 if lang == "all" else summary[lang]["labels"] > 50
    below = {name: summary[lang][name] for name, floor in FLOORS[lang].items() if summary[lang][name] < floor}
    assert below == {}
