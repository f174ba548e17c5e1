"""IPO pipeline rules: whose stage a sentence reports, whether it is done, and on what day.

The articles are written here; each one exercises one rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from insight_stores import Spec, pair

from pg_server import new_target
from tickerwire.insights import IpoEntry, ipos
from tickerwire.store import Store

MONTAGE, GIGA, SANY, CATL, HENGRUI, HKEX, HSBC = (
    "06809.HK", "03986.HK", "06031.HK", "03750.HK", "01276.HK", "00388.HK", "00005.HK")
SEEN = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)


def _spec(n: int, day: date, text: str, event: str, subjects: tuple[str, ...],
          names: tuple[tuple[str, str], ...]) -> Spec:
    return Spec(
        title=f"IPO desk note {n}",
        text=text,
        published=datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC),
        source="Deals Desk",
        url=f"https://example.com/ipo/{n}",
        events=((event, subjects, text),),
        mentions=tuple((code, code, words) for code, words in names),
    )


ARTICLES = (
    # a filing whose subject is one company, others named as comparisons (Thursday 16 Oct)
    _spec(1, date(2025, 10, 16),
          "Montage Technology filed for a Hong Kong listing on Thursday, following GigaDevice "
          "and Sany Heavy Industry.",
          "listing_application", (MONTAGE, GIGA, SANY),
          ((MONTAGE, "Montage Technology"), (GIGA, "GigaDevice"), (SANY, "Sany Heavy Industry"))),
    # several companies listed together: market colour
    _spec(2, date(2025, 10, 17),
          "CATL, Hengrui and Sany Heavy Industry have made their debuts in Hong Kong this year.",
          "ipo", (CATL, HENGRUI, SANY),
          ((CATL, "CATL"), (HENGRUI, "Hengrui"), (SANY, "Sany Heavy Industry"))),
    # the exchange is where the company files, never a pipeline company
    _spec(3, date(2025, 10, 23), "兆易创新于10月9日向港交所递交上市申请,昨日通过聆讯。",
          "listing_application", (GIGA, HKEX), ((GIGA, "兆易创新"), (HKEX, "港交所"))),
    # a company mentioned in passing, with a hedge
    _spec(4, date(2025, 10, 16), "Bankers say GigaDevice could pass its listing hearing soon.",
          "listing_application", (GIGA,), ((GIGA, "GigaDevice"),)),
    # a pricing story (Monday 3 Nov) announcing the debut day
    _spec(5, date(2025, 11, 3), "兆易創新H股定價162港元 周四掛牌", "ipo", (GIGA,),
          ((GIGA, "兆易創新"),)),
    _spec(6, date(2025, 11, 3), "兆易创新H股招股今日截止,将于今晚定价,11月6日挂牌。", "ipo",
          (GIGA,), ((GIGA, "兆易创新"),)),
    # the debut itself (Thursday 6 Nov)
    _spec(7, date(2025, 11, 6), "GigaDevice rose 18% on its first day of trading on Thursday.",
          "ipo", (GIGA,), ((GIGA, "GigaDevice"),)),
    # the stage belongs to the company of its clause, not to the sentence's first company
    _spec(8, date(2025, 10, 24),
          "The week is busy: HSBC reports on Tuesday, Sany Heavy Industry makes its debut then.",
          "ipo", (HSBC, SANY), ((HSBC, "HSBC"), (SANY, "Sany Heavy Industry"))),
)


@pytest.fixture(scope="module")
def rules_store(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    for path in new_target(backend, request, tmp_path_factory.mktemp("ipo-rules")):
        with Store(path) as store:
            for spec in ARTICLES:
                store.ingest_article(*pair(spec), now=SEEN)
        with Store(path, readonly=True) as store:
            yield store


@pytest.fixture(scope="module")
def entries(rules_store: Store) -> dict[str | None, IpoEntry]:
    return {entry.issuer: entry for entry in ipos(rules_store)}


def _dates(entry: IpoEntry) -> list[tuple[str, date]]:
    return [(d.stage, d.day) for d in entry.dates]


def test_a_filing_counts_for_its_subject_not_the_companies_it_is_compared_with(
    entries: dict[str | None, IpoEntry],
) -> None:
    montage = entries[MONTAGE]
    assert (montage.stage, _dates(montage)) == ("filed", [("filed", date(2025, 10, 16))])
    assert not any("Montage" in e.source.quote for e in entries[GIGA].events)


def test_companies_listed_together_are_market_colour(
    entries: dict[str | None, IpoEntry],
) -> None:
    assert CATL not in entries and HENGRUI not in entries
    assert all("CATL" not in e.source.quote for e in entries[SANY].events)


def test_the_exchange_named_as_venue_is_never_a_pipeline_company(
    entries: dict[str | None, IpoEntry],
) -> None:
    assert HKEX not in entries


def test_a_stage_dated_in_the_sentence_takes_that_date(
    entries: dict[str | None, IpoEntry],
) -> None:
    dates = dict(_dates(entries[GIGA]))
    assert dates["filed"] == date(2025, 10, 9)  # "于10月9日…递交" in a 23 October article
    assert dates["hearing"] == date(2025, 10, 22)  # "昨日通过聆讯"
    (filed,) = [d for d in entries[GIGA].dates if d.stage == "filed"]
    assert filed.reported == date(2025, 10, 23)


def test_a_hedged_mention_gives_no_stage_date(entries: dict[str | None, IpoEntry]) -> None:
    hearing = [d for d in entries[GIGA].dates if d.stage == "hearing"]
    assert [ref.quote for d in hearing for ref in d.sources] == [
        "兆易创新于10月9日向港交所递交上市申请,昨日通过聆讯。"]


def test_announced_dates_are_not_the_listing_day(entries: dict[str | None, IpoEntry]) -> None:
    giga = entries[GIGA]
    assert _dates(giga) == [
        ("filed", date(2025, 10, 9)), ("hearing", date(2025, 10, 22)),
        ("bookbuilding", date(2025, 11, 3)),  # "招股今日截止": the offer closes that day
        ("priced", date(2025, 11, 3)), ("listed", date(2025, 11, 6))]
    (listed,) = [d for d in giga.dates if d.stage == "listed"]
    assert [ref.quote for ref in listed.sources] == [
        "GigaDevice rose 18% on its first day of trading on Thursday."]


def test_the_stage_belongs_to_the_company_of_its_clause(
    entries: dict[str | None, IpoEntry],
) -> None:
    assert HSBC not in entries
    assert entries[SANY].stage == "planned"  # "makes its debut" announces it


def test_as_it_stood_before_the_debut(rules_store: Store) -> None:
    (giga,) = [e for e in ipos(rules_store, until=date(2025, 11, 5)) if e.issuer == GIGA]
    assert giga.stage == "priced"
