"""The IPO pipeline shows the offer price, the marketed range and the first-day return that
extraction stored with the events, each with its sources (articles written here)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rich.console import Console

from tickerwire.cli.render import article_view
from tickerwire.cli.render_insights import ipos_view
from tickerwire.extract import build_pipeline
from tickerwire.insights import IpoEntry, brief, ipo_page, ipos
from tickerwire.model import Article
from tickerwire.store import Store

ZIJIN = "02259.HK"
ARTICLES = (
    (datetime(2025, 9, 19, 2, tzinfo=UTC), "zh",
     "紫金黄金国际启动招股\n紫金黄金国际(02259)今日起招股，招股价介乎65.00港元至71.59港元。"),
    (datetime(2025, 9, 25, 12, tzinfo=UTC), "en",
     "Zijin Gold prices IPO\nZijin Gold International (02259.HK) priced its IPO at HK$71.59 per share, "
     "the top of the range."),
    (datetime(2025, 9, 30, 9, tzinfo=UTC), "en",
     "Zijin Gold soars on debut\nZijin Gold International (02259.HK) surged 60% above its offer price "
     "on its trading debut on Tuesday."),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("ipo-prices") / "prices.db"
    pipeline = build_pipeline()
    with Store(path) as writable:
        for n, (published, lang, text) in enumerate(ARTICLES):
            article = Article(text=text, title=text.split("\n")[0], published_at=published, lang=lang,
                              source="Deals Desk", url=f"https://example.com/zijin/{n}")
            writable.ingest_article(article, pipeline(article), now=datetime(2025, 10, 1, tzinfo=UTC))
    with Store(path, readonly=True) as readonly:
        yield readonly


def _zijin(store: Store, until: date | None = None) -> IpoEntry:
    (entry,) = [e for e in ipos(store, until=until) if e.issuer == ZIJIN]
    return entry


def test_the_entry_carries_prices_and_the_debut_return(store: Store) -> None:
    entry = _zijin(store)
    assert entry.stage == "listed"
    assert [(d.stage, d.day) for d in entry.dates] == [
        ("bookbuilding", date(2025, 9, 19)), ("priced", date(2025, 9, 25)), ("listed", date(2025, 9, 30))]
    (offer,) = entry.offer_price
    assert (offer.value, offer.currency) == (71.59, "HKD")
    (marketed,) = entry.price_range
    assert (marketed.value, marketed.value_max) == (65.0, 71.59)
    (debut,) = entry.first_day_return
    assert debut.pct == 60.0 and "surged 60%" in debut.sources[0].quote


def test_before_pricing_only_the_range_is_known(store: Store) -> None:
    entry = _zijin(store, until=date(2025, 9, 20))
    assert (entry.stage, entry.offer_price, entry.first_day_return) == ("bookbuilding", (), ())
    assert [r.value_max for r in entry.price_range] == [71.59]


def test_the_article_view_lists_the_event_details(store: Store) -> None:
    (debut,) = [e for e in store.event_rows(types=["ipo"]) if "surged" in e.text]
    stored = store.get_article(debut.article_id)
    assert stored is not None and stored.extraction is not None
    console = Console(width=240, record=True)
    console.print(article_view(stored))
    shown = console.export_text()
    assert "listed 2025-09-30 · priced 2025-09-30 · first day +60.00%" in shown


def test_the_renderers_show_them(store: Store) -> None:
    console = Console(width=200, record=True)
    console.print(ipos_view(ipo_page(store, limit=20), as_of=None))
    shown = console.export_text()
    assert "HK$71.59" in shown and "first day +60.00%" in shown
    lines = [line.text for section in brief(store, day=date(2025, 9, 30)).sections for line in section.lines]
    assert any("up 60% on its first day" in line for line in lines)
    assert not any("71.59" in line for line in lines)  # the brief's numbers are stored facts only
