"""The IPO pipeline: stages from the stored event attributes, and raises."""

from __future__ import annotations

from datetime import date

import pytest

from tickerwire.insights import ipos
from tickerwire.insights.ipos import raise_kind
from tickerwire.store import Store


def test_pipeline_from_events_and_raises(handmade: Store) -> None:
    entries = {entry.company: entry for entry in ipos(handmade)}
    acme = entries["Acme Robotics Holdings"]
    assert (acme.issuer, acme.stage, acme.exchange, acme.board) == (
        None, "filed", "HKEX", "Main Board")
    (target,) = acme.target_raise
    assert (target.value, target.currency, target.qualifier) == (300e6, "USD", "under")
    sany = next(entry for entry in entries.values() if entry.issuer == "06031.HK")
    assert sany.stage == "listed"
    assert [(d.stage, d.day) for d in sany.dates] == [
        ("hearing", date(2025, 10, 14)), ("listed", date(2025, 10, 16))]
    assert [r.value for r in sany.actual_raise] == [12.35e9]
    assert all(ref.quote for ref in sany.sources)


def test_pipeline_until_a_day_shows_the_stage_as_it_stood(handmade: Store) -> None:
    (sany,) = [e for e in ipos(handmade, until=date(2025, 10, 14)) if e.issuer == "06031.HK"]
    assert sany.stage == "hearing"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("could raise between US$500 million", "target"),
        ("集资总额约46.2億港元", "actual"),
        ("集資淨額約44.9億港元", "net"),
        ("raised HK$4.62 billion", "actual"),
        ("拟集资10亿港元", "target"),
    ],
)
def test_raise_kinds(text: str, kind: str) -> None:
    assert raise_kind(text) == kind
