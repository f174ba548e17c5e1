"""Small parts: readings and the disagreement rule, quotes, number wording."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tickerwire import display as fmt
from tickerwire.insights.readings import Reading, article_reading, fact_reading, merge, settle
from tickerwire.insights.refs import SourceRef
from tickerwire.store.rows import FactRow

WHEN = datetime(2025, 10, 8, 8, 0, tzinfo=UTC)


def row(
    text: str, start: int, *, article: str = "a", title: str = "", horizon: str | None = None,
    **values: float,
) -> FactRow:
    return FactRow(
        article_id=article, revision=1, extraction_id=1, pipeline_version="t", title=title,
        source="s", url=None, lang="en", published_at=WHEN, published_date_hk=date(2025, 10, 8),
        day_hk=date(2025, 10, 8),
        first_seen_at=WHEN, extracted_at=WHEN, kind="price_move", subject="00981.HK",
        value=values.get("value"), pct=values.get("pct"), points=None, price=values.get("price"),
        currency="HKD", qualifier="exact", text=text, start=start, end=start + len(text),
        value_max=None, horizon=horizon,
    )


def ref(article: str) -> SourceRef:
    return SourceRef(article, None, None, None, WHEN, "q", 0, 1)


def test_readings_that_state_different_fields_agree() -> None:
    merged = merge(Reading(pct=3.4, price=84.1, sources=(ref("a"),)),
                   Reading(price=84.1, sources=(ref("b"),)))
    assert merged is not None and (merged.pct, merged.price) == (3.4, 84.1)
    assert merge(Reading(price=84.1), Reading(price=84.3)) is None


def test_settle_puts_the_best_supported_reading_first() -> None:
    values = settle([Reading(price=1.0, sources=(ref("a"),)),
                     Reading(price=2.0, sources=(ref("b"),)),
                     Reading(price=2.0, sources=(ref("c"),))])
    assert [v.price for v in values] == [2.0, 1.0]
    assert values[0].article_ids == ("b", "c")


def test_an_article_close_beats_its_intraday_high() -> None:
    rows = [
        row("rose as much as 6.0% to an all-time high of HK$86.20", 10, horizon="intraday",
            pct=6.0, price=86.2),
        row("in the afternoon, before closing up 3.4% at HK$84.10", 70, horizon="close",
            pct=3.4, price=84.1),
    ]
    reading = article_reading(rows, fact_reading)
    assert (reading.pct, reading.price, reading.horizon) == (3.4, 84.1, "close")
    # Without a close, the article's latest session figure stands, labelled as such.
    midday = article_reading([rows[0], row("at midday up 4.1%", 40, horizon="midday", pct=4.1)],
                             fact_reading)
    assert (midday.pct, midday.horizon) == (4.1, "midday")


def test_a_rounded_headline_figure_yields_to_the_body() -> None:
    title = "SMIC sinks 1.5% on tariffs"
    rows = [row("SMIC sinks 1.5%", 0, title=title, pct=-1.5),
            row("SMIC fell 1.52% to HK$76.35", 40, title=title, pct=-1.52, price=76.35)]
    assert article_reading(rows, fact_reading).pct == -1.52


def test_one_article_does_not_disagree_with_itself_over_an_aside() -> None:
    rows = [row("跌4.9%", 0, pct=-4.9), row("收市跌4.9%,報46.26港元", 20, pct=-4.9, price=46.26),
            row("已回落约25%", 60, pct=-25.0)]
    assert article_reading(rows, fact_reading).pct == -4.9


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (fmt.money(309.2e9, "HKD"), "HK$309.2 billion"),
        (fmt.money(654.8e6, "HKD"), "HK$654.8 million"),
        (fmt.money(500e6, "USD", 600e6), "US$500–600 million"),
        (fmt.money(4.15e9, "CNY"), "CNY 4.15 billion"),
        (fmt.price(84.1, "HKD"), "HK$84.10"),
        (fmt.level(25889.48), "25,889.48"),
        (fmt.pct(-1.52), "1.52%"),
        (fmt.pct(5.0, "over"), "more than 5%"),
        (fmt.points(-400.84), "400.84 points"),
    ],
)
def test_numbers_are_written_as_sources_write_them(written: str, expected: str) -> None:
    assert written == expected
