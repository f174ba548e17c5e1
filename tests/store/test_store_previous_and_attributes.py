"""A target price's old value and an event's attributes survive the store (migration 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tickerwire.model import Article, Event, Extraction, Fact
from tickerwire.store import Store

T0 = datetime(2025, 10, 24, 9, 0, tzinfo=UTC)


def _article(text: str, url: str) -> Article:
    return Article(text=text, title=text.split("\n")[0], published_at=T0, url=url, lang="en")


@pytest.mark.parametrize(
    ("text", "words", "value", "previous"),
    [
        ("Citi lifts Tencent target\nCiti raised its target price on Tencent (00700.HK) from HK$620 to HK$700.",
         "from HK$620 to HK$700", 700.0, 620.0),
        ("瑞银上调中芯目标价\n瑞银将中芯国际(00981.HK)目标价由48港元升至60港元。", "由48港元升至60港元", 60.0, 48.0),
        ("A target without a change\nJefferies set a HK$95 target on SMIC (00981.HK).", "HK$95", 95.0, None),
    ],
)
def test_a_fact_keeps_its_previous_value(
    store: Store, text: str, words: str, value: float, previous: float | None
) -> None:
    start = text.index(words)
    fact = Fact("target_price", "00981.HK", value=value, currency="HKD", previous=previous,
                text=words, start=start, end=start + len(words))
    article = _article(text, f"https://example.com/{value}")
    store.ingest_article(article, Extraction(article, facts=(fact,)), now=T0)
    (row,) = store.fact_rows(kinds=["target_price"])
    assert (row.value, row.previous) == (value, previous)
    assert row.to_fact() == fact
    stored = store.get_article(article.id)
    assert stored is not None and stored.extraction is not None
    assert stored.extraction.facts[0].previous == previous


def test_an_event_keeps_its_attributes(store: Store) -> None:
    text = "Zijin Gold debuts\nZijin Gold (02259.HK) surged 60% on its trading debut."
    attributes = {"subject": "02259.HK", "stage": "listed", "stages": [{"stage": "listed"}],
                  "hedged": False, "first_day_return": 60.0}
    words = "Zijin Gold (02259.HK) surged 60% on its trading debut."
    start = text.index(words)
    article = _article(text, "https://example.com/zijin")
    plain = Event("price_move", ("02259.HK",), words, start, start + len(words))
    ipo = Event("ipo", ("02259.HK",), words, start, start + len(words), attributes)
    store.ingest_article(article, Extraction(article, events=(ipo, plain)), now=T0)
    rows = {row.type: row for row in store.event_rows()}
    assert rows["ipo"].attributes == attributes
    assert rows["price_move"].attributes == {}
    stored = store.get_article(article.id)
    assert stored is not None and stored.extraction is not None
    assert [e.attributes for e in stored.extraction.events] == [attributes, {}]
