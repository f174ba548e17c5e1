"""Pair precision and recall of story grouping, and the floors on the labelled pair set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tickerwire.errors import InvalidInputError
from tickerwire.insights.story_eval import groups_by_origin, pair_scores
from tickerwire.store import Store

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "stories" / "gold.yaml"


@pytest.mark.parametrize(
    ("story_of", "precision", "recall", "fp", "fn"),
    [
        ({"a": "1", "b": "1", "c": "1", "d": "2"}, 1.0, 1.0, 0, 0),
        ({"a": "1", "b": "1", "c": "3", "d": "2"}, 1.0, 1 / 3, 0, 2),
        ({"a": "1", "b": "1", "c": "1", "d": "1"}, 0.5, 1.0, 3, 0),
        ({"a": "1", "b": "2", "c": "3", "d": "4"}, 1.0, 0.0, 0, 3),
    ],
)
def test_pair_scores(story_of: dict[str, str], precision: float, recall: float, fp: int,
                     fn: int) -> None:
    scores = pair_scores(["a", "b", "c", "d"], [["a", "b", "c"]], story_of)
    assert scores.pairs == 6 and scores.gold_pairs == 3
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert len(scores.false_positives) == fp and len(scores.false_negatives) == fn


def test_groups_by_origin_needs_one_article_per_name() -> None:
    origins = {"x1": "news/a.jsonl:1", "x2": "news/a.jsonl:11", "y": "news/b.md"}
    assert groups_by_origin(origins, {"g": ["b.md", "a.jsonl:11"]}) == [["y", "x2"]]
    with pytest.raises(InvalidInputError, match="names 0 articles"):
        groups_by_origin(origins, {"g": ["c.md"]})
    with pytest.raises(InvalidInputError, match="names 2 articles"):
        groups_by_origin(origins, {"g": ["1"]})


def test_sample_news_pairs_stay_above_the_measured_floor(corpus: Store) -> None:
    """docs/stories.md reports these figures (benchmarks/story_pairs.py); a change that lowers
    them fails here."""
    spec = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["corpora"]["examples"]
    origins = {a: art.origin or a for a, _, art in corpus.iter_current()}
    story_of = {a: m.story_id for a, m in corpus.story_memberships(list(origins)).items()}
    scores = pair_scores(sorted(origins), groups_by_origin(origins, spec["groups"]), story_of)
    assert scores.articles == 72 and scores.gold_pairs == 17
    assert scores.true_positives >= 15
    assert len(scores.false_positives) <= 4
