"""Bars are point-in-time with revisions; verdicts follow both the prices and the extractions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tickerwire.model import Article, Extraction, Fact, PriceBar
from tickerwire.store import Store

DAY = date(2025, 10, 13)
T0 = datetime(2025, 10, 13, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 10, 14, 9, 0, tzinfo=UTC)
T2 = datetime(2025, 10, 15, 9, 0, tzinfo=UTC)
TEXT = "Tencent Holdings dropped 3.1 per cent to HK$618.50. Turnover was HK$309.2 billion."


@pytest.fixture
def store(db_target: Path | str) -> Iterator[Store]:
    with Store(db_target) as opened:
        yield opened


def article(text: str = TEXT) -> Article:
    return Article(text=text, title="Hong Kong close", url="https://news.example/close",
                   published_at=datetime(2025, 10, 13, 17, 0, tzinfo=UTC), source="Example Wire")


def extraction(a: Article, pct: float = -3.1) -> Extraction:
    start = a.text.index("dropped")
    return Extraction(article=a, facts=(
        Fact("price_move", "00700.HK", pct=pct, price=618.5, currency="HKD",
             text=a.text[start:a.text.index(".", start + 30)], start=start,
             end=a.text.index(".", start + 30), horizon="close", day=DAY),
        Fact("turnover", "HK", value=309.2e9, currency="HKD", text="Turnover was HK$309.2 billion",
             start=a.text.index("Turnover"), end=len(a.text) - 1, day=DAY),
        Fact("target_price", "00700.HK", value=700.0, currency="HKD", text="HK$618.50",
             start=a.text.index("HK$"), end=a.text.index("HK$") + 9, day=DAY),
    ))


TENCENT = [PriceBar("00700.HK", DAY, 618.5, prev_close=638.3, currency="HKD"),
           PriceBar("HK", DAY, None, turnover=309.2e9, currency="HKD")]


def verdicts(store: Store) -> list[str | None]:
    return [r.verification.verdict if r.verification else None for r in store.fact_rows()]


def test_ingest_checks_against_prices_already_stored(store: Store) -> None:
    store.import_bars(TENCENT, now=T0)
    a = article()
    store.ingest_article(a, extraction(a), now=T1)
    assert verdicts(store) == ["confirmed", "confirmed", None]
    stored = store.get_article(a.id)
    assert stored is not None and stored.extraction is not None
    fact = stored.extraction.facts[0]
    assert fact.verification is not None and fact.verification.field == "price"
    assert fact.to_dict()["verification"]["verdict"] == "confirmed"


def test_import_rechecks_facts_stored_before(store: Store) -> None:
    a = article()
    store.ingest_article(a, extraction(a), now=T0)
    assert verdicts(store) == ["unverifiable", "unverifiable", None]
    outcome = store.import_bars(TENCENT, now=T1)
    assert (outcome.new, outcome.verdicts) == (2, 2)
    assert verdicts(store) == ["confirmed", "confirmed", None]


def test_a_corrected_bar_is_a_revision_and_the_verdict_follows(store: Store) -> None:
    a = article()
    store.ingest_article(a, extraction(a), now=T0)
    store.import_bars(TENCENT, now=T0)
    again = store.import_bars(TENCENT, now=T1)
    assert (again.new, again.revised, again.unchanged, again.verdicts) == (0, 0, 2, 0)
    corrected = store.import_bars([PriceBar("00700.HK", DAY, 628.5, prev_close=638.3, currency="HKD")], now=T2)
    assert corrected.revised == 1
    check = store.fact_rows(kinds=["price_move"])[0].verification
    assert check is not None and check.verdict == "contradicted" and check.actual == 628.5
    # The bar as first imported is still there for a question asked as of before the correction.
    assert store.price_bars(["00700.HK"], as_of=T1)[0].close == 618.5
    assert store.price_bars(["00700.HK"])[0].close == 628.5
    assert store.price_bars(["00700.HK"], as_of=datetime(2025, 10, 1, tzinfo=UTC)) == []


def test_a_new_extraction_is_checked(store: Store) -> None:
    store.import_bars(TENCENT, now=T0)
    a = article()
    store.ingest_article(a, extraction(a, pct=-3.1), now=T0)
    outcome = store.latest_revision(a.id)
    assert outcome is not None
    store.save_extraction(a.id, outcome[0], extraction(a, pct=-5.1), now=T1)
    assert verdicts(store) == ["contradicted", "confirmed", None]


def test_refresh_and_codes(store: Store) -> None:
    store.import_bars(TENCENT, now=T0)
    a = article()
    store.ingest_article(a, extraction(a), now=T0)
    assert store.refresh_verdicts(now=T1) == 2
    assert store.price_codes() == [("00700.HK", DAY, DAY, 1), ("HK", DAY, DAY, 1)]
