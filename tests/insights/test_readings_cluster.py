"""Grouping readings by agreement: the indexed grouping gives exactly what trying every group in
order gives, and its work grows with the readings, not with readings × groups."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

from tickerwire.insights import readings as readings_module
from tickerwire.insights.readings import Reading, cluster, decisive, merge
from tickerwire.insights.refs import SourceRef, unique_refs
from tickerwire.model import Verification

WHEN = datetime(2025, 10, 8, 8, 0, tzinfo=UTC)


def ref(article: str, quote: str = "q") -> SourceRef:
    return SourceRef(article, None, None, None, WHEN, quote, 0, len(quote))


FIELDS = ("value", "value_max", "pct", "points", "price")


def merge_two(a: Reading, b: Reading) -> Reading | None:
    """Two readings merged field by field, written out in full as the reference."""
    def same(x: float | None, y: float | None) -> bool:
        return x is None or y is None or round(x, 4) == round(y, 4)

    if not all(same(getattr(a, f), getattr(b, f)) for f in FIELDS):
        return None
    if a.currency and b.currency and a.currency != b.currency:
        return None
    return Reading(
        **{f: getattr(a, f) if getattr(a, f) is not None else getattr(b, f) for f in FIELDS},
        currency=a.currency or b.currency,
        qualifier=a.qualifier if a.qualifier == "exact" else b.qualifier,
        sources=unique_refs(a.sources + b.sources),
        horizon=a.horizon or b.horizon,
        verification=decisive(a.verification, b.verification),
    )


def every_group_in_order(readings: Iterable[Reading]) -> list[Reading]:
    """The rule as stated: each reading joins the first group it agrees with."""
    groups: list[Reading] = []
    for reading in readings:
        for i, group in enumerate(groups):
            merged = merge_two(group, reading)
            if merged is not None:
                groups[i] = merged
                break
        else:
            groups.append(reading)
    return groups


CASES = {
    "a close and a move that states it": [
        Reading(pct=3.4, price=84.1, currency="HKD", sources=(ref("a", "up 3.4% at HK$84.10"),)),
        Reading(price=84.1, currency="HKD", sources=(ref("b", "closed at HK$84.10"),)),
    ],
    "two sources disagree on a close": [
        Reading(price=84.1, currency="HKD", sources=(ref("a", "收报84.10港元"),)),
        Reading(price=84.3, currency="HKD", sources=(ref("b", "收报84.30港元"),)),
        Reading(price=84.10001, currency="HKD", sources=(ref("c", "closed at HK$84.10"),)),
    ],
    "a pct-only reading joins the first group, not the best": [
        Reading(pct=-1.5, points=-390.0, sources=(ref("a", "sank 1.5%, or 390 points"),)),
        Reading(pct=-1.5, points=-392.1, sources=(ref("b", "跌392.1点，或1.5%"),)),
        Reading(pct=-1.5, sources=(ref("c", "fell 1.5%"),)),
    ],
    "a group gains a field, then a later reading must match it": [
        Reading(value=2.3e9, sources=(ref("a", "raise HK$2.3 billion"),)),
        Reading(value=2.3e9, value_max=2.6e9, sources=(ref("b", "HK$2.3-2.6 billion"),)),
        Reading(value_max=2.8e9, sources=(ref("c", "up to HK$2.8 billion"),)),
        Reading(value_max=2.6e9, sources=(ref("d", "至多26亿港元"),)),
    ],
    "currencies differ": [
        Reading(value=1.0e9, currency="HKD", sources=(ref("a", "HK$1 billion"),)),
        Reading(value=1.0e9, currency="USD", sources=(ref("b", "US$1 billion"),)),
        Reading(value=1.0e9, sources=(ref("c", "10亿"),)),
    ],
    "readings stating nothing numeric": [
        Reading(currency="HKD", sources=(ref("a"),)),
        Reading(pct=2.0, sources=(ref("b"),)),
        Reading(sources=(ref("c"),)),
    ],
    "no readings": [],
}


@pytest.mark.parametrize("name", list(CASES))
def test_cluster_equals_trying_every_group_in_order(name: str) -> None:
    assert cluster(CASES[name]) == every_group_in_order(CASES[name])


@pytest.mark.parametrize("seed", range(12))
def test_cluster_equals_trying_every_group_on_mixed_readings(seed: int) -> None:
    rng = random.Random(seed)
    values = [None, None, 1.0, 2.0, 2.00001, 3.5, -0.0, 0.0]
    verdicts = [None, Verification("confirmed"), Verification("contradicted"),
                Verification("unverifiable")]

    def pick() -> float | None:
        return rng.choice(values)

    readings = [
        Reading(value=pick(), value_max=pick(), pct=pick(), points=pick(), price=pick(),
                currency=rng.choice([None, "HKD", "USD"]),
                qualifier=rng.choice(["exact", "exact", "about", "over"]),
                horizon=rng.choice([None, "close", "midday"]),
                verification=rng.choice(verdicts),
                sources=(ref(f"a{i % 250}"),))
        for i in range(300)
    ]
    assert cluster(readings) == every_group_in_order(readings)
    for a, b in itertools.pairwise(readings):
        assert merge(a, b) == merge_two(a, b)


def test_cluster_of_many_distinct_figures_compares_each_reading_with_few_groups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A company with thousands of different raises: each reading is compared with the groups
    stating its figure, not with every group."""
    calls = 0
    real_agree = readings_module.agree

    def counting_agree(a: Reading, b: Reading) -> bool:
        nonlocal calls
        calls += 1
        return real_agree(a, b)

    monkeypatch.setattr(readings_module, "agree", counting_agree)
    readings = [Reading(value=1e9 + 1e6 * (i % 2000), currency="HKD", sources=(ref(f"a{i}"),))
                for i in range(6000)]
    groups = cluster(readings)
    assert len(groups) == 2000
    assert all(len(g.sources) == 3 for g in groups)
    assert calls <= 6000
