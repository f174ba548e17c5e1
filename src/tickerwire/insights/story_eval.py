"""Pair precision and recall of story grouping against labelled groups (docs/stories.md).

Every pair of articles of a corpus is labelled: same story when a labelled group holds both,
different otherwise. A predicted pair is two articles in one stored story.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from tickerwire.errors import InvalidInputError
from tickerwire.insights.records import Record


@dataclass(frozen=True, slots=True)
class PairScores(Record):
    articles: int
    pairs: int
    gold_pairs: int
    predicted_pairs: int
    true_positives: int
    false_positives: tuple[tuple[str, str], ...]
    false_negatives: tuple[tuple[str, str], ...]

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold_pairs if self.gold_pairs else 1.0


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for group in groups:
        out.update(combinations(sorted(set(group)), 2))
    return out


def pair_scores(
    articles: Sequence[str], gold_groups: Iterable[Iterable[str]], story_of: Mapping[str, str]
) -> PairScores:
    """Score ``story_of`` (article → story id) on every pair of ``articles``."""
    known = set(articles)
    gold = {p for p in _pairs(gold_groups) if p[0] in known and p[1] in known}
    by_story: dict[str, list[str]] = {}
    for article in sorted(known):
        if article in story_of:
            by_story.setdefault(story_of[article], []).append(article)
    predicted = _pairs(by_story.values())
    n = len(known)
    return PairScores(
        articles=n,
        pairs=n * (n - 1) // 2,
        gold_pairs=len(gold),
        predicted_pairs=len(predicted),
        true_positives=len(gold & predicted),
        false_positives=tuple(sorted(predicted - gold)),
        false_negatives=tuple(sorted(gold - predicted)),
    )


def groups_by_origin(
    origins: Mapping[str, str], groups: Mapping[str, Sequence[str]]
) -> list[list[str]]:
    """Labelled groups of article ids, from groups of origin endings (``file.md``, ``x.jsonl:3``)."""
    out: list[list[str]] = []
    for name, members in groups.items():
        ids: list[str] = []
        for ending in members:
            found = [a for a, origin in origins.items() if origin.endswith(ending)]
            if len(found) != 1:
                raise InvalidInputError(
                    f"group {name}: {ending!r} names {len(found)} articles, not one; "
                    "give a longer ending of its origin")
            ids.append(found[0])
        out.append(ids)
    return out
