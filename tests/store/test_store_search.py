"""Full-text search in English and Chinese (folded trigram index, short terms through its
vocabulary), securities, filters, facets, snippets and why each hit matched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from store_builders import (
    HSBC_ZH_HANT,
    SMIC_ZH,
    T0,
    TENCENT_EN,
    make_article,
    smic_extraction,
    tencent_extraction,
)

from pg_server import new_target
from tickerwire.errors import InvalidInputError
from tickerwire.model import Extraction, Mention, Sentiment
from tickerwire.store import Store
from tickerwire.store import search as store_search
from tickerwire.store.rows import SearchMatch
from tickerwire.store.search import SearchClause, SearchQuery, parse_query


def _fill(store: Store) -> Store:
    tencent = make_article(TENCENT_EN)
    smic = make_article(SMIC_ZH, url="https://news.example.com/smic", lang="zh",
                        published_at=datetime(2025, 10, 23, 2, 0, tzinfo=UTC))
    hsbc = make_article(HSBC_ZH_HANT, url="https://news.example.com/hsbc", lang="zh",
                        published_at=datetime(2025, 10, 9, 3, 0, tzinfo=UTC))
    store.ingest_article(tencent, tencent_extraction(tencent), now=T0)
    store.ingest_article(smic, smic_extraction(smic), now=T0)
    store.ingest_article(hsbc, Extraction(article=hsbc, sentiment=Sentiment(0.2, "neutral")),
                         now=T0)
    return store


def _module_store(backend: str, request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory, *fills: Callable[[Store], object]
                  ) -> Iterator[Store]:
    """A store filled once for the module's tests, which only read it."""
    for target in new_target(backend, request, tmp_path_factory.mktemp("search")):
        with Store(target) as store:
            for fill in fills:
                fill(store)
            yield store


@pytest.fixture(scope="module")
def filled(backend: str, request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The three articles; read it, never write it."""
    yield from _module_store(backend, request, tmp_path_factory, _fill)


def _titles(store: Store, query: str | None, **filters: object) -> list[str | None]:
    return [hit.title for hit in store.search(query, **filters)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tencent", ["Tencent shares slide as Hang Seng Tech falls"]),
        ("tencent", ["Tencent shares slide as Hang Seng Tech falls"]),  # case-insensitive
        ("hang seng tech", ["Tencent shares slide as Hang Seng Tech falls"]),  # all terms
        ('"Hang Seng Tech Index"', ["Tencent shares slide as Hang Seng Tech falls"]),  # phrase
        ("\"Tech Hang\"", []),
        ("Tencent 中芯", []),
        ("中芯国际", ["中芯国际股价创新高"]),  # trigram over simplified Chinese
        ("南向资金", ["中芯国际股价创新高"]),
        ("恒生銀行", ["滙豐私有化恒生銀行"]),  # traditional Chinese
        ("中芯", ["中芯国际股价创新高"]),  # two characters: through the trigram vocabulary
        ("中芯國際", ["中芯国际股价创新高"]),  # traditional finds simplified
        ("恒生银行", ["滙豐私有化恒生銀行"]),  # simplified finds traditional
        ("汇丰", ["滙豐私有化恒生銀行"]),  # a short term is folded too
        ("滙丰", ["滙豐私有化恒生銀行"]),  # mixed scripts
        ("ＴＥＮＣＥＮＴ", ["Tencent shares slide as Hang Seng Tech falls"]),  # full-width
        ("００７００", ["Tencent shares slide as Hang Seng Tech falls"]),
        ("创新高", ["中芯国际股价创新高"]),  # at the end of the title
        ("新高", ["中芯国际股价创新高"]),  # two characters at the end of the title
        ("%", ["Tencent shares slide as Hang Seng Tech falls", "中芯国际股价创新高",
               "滙豐私有化恒生銀行"]),  # one character
        ("滙豐 私有化", ["滙豐私有化恒生銀行"]),  # a short and a long term together
        ("HK", ["Tencent shares slide as Hang Seng Tech falls", "中芯国际股价创新高"]),
        ("3.6%", ["Tencent shares slide as Hang Seng Tech falls"]),
        ("no such words anywhere", []),
    ],
)
@pytest.mark.parametrize(
    "plan", [store_search.WALK, store_search.Plan(lead=0), store_search.Plan(by_set=0)],
    ids=["each revision checked", "index read first", "walked, looked up in the matches"])
def test_search_finds_english_and_chinese(filled: Store, monkeypatch: pytest.MonkeyPatch,
                                          query: str, expected: list[str],
                                          plan: store_search.Plan) -> None:
    """Walking newest first (each revision's folded text checked by rowid, or looked up in the
    set of the first word's matches) and reading the index first (FTS5, its trigram
    vocabulary; pg_trgm, the CJK pairs) find the same."""
    monkeypatch.setattr(store_search, "leader", lambda *_a, **_k: plan)
    assert _titles(filled, query) == expected
    assert filled.count(query) == len(expected)


@pytest.mark.parametrize(
    "query", ["AND", "OR NOT", "NEAR(", "*", "a*b", "100%", "_", "'; DROP TABLE x; --",
              "title:Tencent", "\\", "^abc", "(", '"unclosed', "Tencent\tfell"]
)
def test_awkward_queries_never_raise(filled: Store, query: str) -> None:
    filled.search(query)
    filled.count(query)
    filled.facets(query)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("\x00", "control character \\(U\\+0000\\) at position 1"),
        ("Tencent\x00", "control character \\(U\\+0000\\) at position 8"),
        ("中芯\x1b[0m", "U\\+001B"),
        ("\x7f", "U\\+007F"),
        ("\x85SMIC", "U\\+0085"),
        ('""', "no words to search for"),
        ('"  "', "no words to search for"),
        ("   ", "no words to search for"),
        ("\u200b", "no words to search for"),  # only an invisible character
    ],
)
def test_control_characters_and_empty_queries_are_refused(
    filled: Store, query: str, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        filled.search(query)
    with pytest.raises(InvalidInputError, match=message):
        filled.count(query)


def test_no_query_at_all_still_lists_everything(filled: Store) -> None:
    assert filled.count("") == filled.count(None) == 3


def test_no_query_lists_everything_newest_first(filled: Store) -> None:
    assert _titles(filled, None) == [
        "Tencent shares slide as Hang Seng Tech falls", "中芯国际股价创新高", "滙豐私有化恒生銀行"]


def test_date_filters_use_the_hong_kong_date(filled: Store) -> None:
    day = date(2025, 10, 23)
    assert _titles(filled, None, since=day, until=day) == ["中芯国际股价创新高"]
    assert _titles(filled, None, since=date(2025, 10, 24)) == [
        "Tencent shares slide as Hang Seng Tech falls"]
    assert _titles(filled, None, until=date(2025, 10, 9)) == ["滙豐私有化恒生銀行"]
    assert filled.count(None, since=date(2025, 10, 25)) == 0


def test_language_filter(filled: Store) -> None:
    assert filled.count(None, lang="zh") == 2
    assert _titles(filled, "HK", lang="en") == ["Tencent shares slide as Hang Seng Tech falls"]


def test_listing_event_and_sentiment_filters(filled: Store) -> None:
    assert _titles(filled, None, listing_codes=["00981.HK"]) == ["中芯国际股价创新高"]
    assert _titles(filled, None, listing_codes=["688981.SH"]) == ["中芯国际股价创新高"]  # A share
    assert filled.count(None, listing_codes=["00700.HK", "00981.HK"]) == 2
    assert _titles(filled, None, event_type="fund_flow") == ["中芯国际股价创新高"]
    assert _titles(filled, None, sentiment="negative") == [
        "Tencent shares slide as Hang Seng Tech falls"]
    assert filled.count(None, sentiment="neutral", lang="zh") == 1


def test_summaries_carry_listings_events_sentiment_and_a_snippet(filled: Store) -> None:
    [hit] = filled.search("南向")
    assert hit.listings == ("00981.HK",)
    assert hit.event_types == ("price_move", "fund_flow")
    assert (hit.sentiment_label, hit.sentiment_score) == ("positive", 0.7)
    assert "南向资金" in hit.snippet
    assert hit.published_date_hk == date(2025, 10, 23)
    assert hit.first_seen_at == T0


def test_limit_offset_and_count_paginate(store: Store) -> None:
    for i in range(7):
        article = make_article(f"Market wrap {i}\nStocks moved on day {i}.",
                               url=f"https://news.example.com/wrap-{i}",
                               published_at=T0 + timedelta(hours=i))
        store.ingest_article(article, None, now=T0 + timedelta(days=1))
    pages = [store.search("market wrap", limit=3, offset=o) for o in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    titles = [hit.title for page in pages for hit in page]
    assert titles == [f"Market wrap {i}" for i in reversed(range(7))]
    assert store.count("market wrap") == 7


def _smic_clause(*terms: str) -> SearchQuery:
    clause = SearchClause(terms, ("00981.HK", "688981.SH"), "SMIC")
    return SearchQuery(" ".join(terms), (clause,))


SMIC_ZH_HANT = (
    "晶片股回落\n"
    "中芯國際(00981)跌2.4%,報75.25港元;華虹半導體跌3.9%。"
)


def _add_hant(store: Store) -> None:
    article = make_article(SMIC_ZH_HANT, url="https://news.example.com/chips-hant", lang="zh",
                           source="Other Wire",
                           published_at=datetime(2025, 11, 7, 8, 0, tzinfo=UTC))
    text = article.text
    start = text.index("中芯國際")
    mention = Mention("00981.HK", "SMIC", "00981.HK", ("00981.HK", "688981.SH"),
                      "中芯國際", start, start + 4, 0.9)
    store.ingest_article(article, Extraction(article=article, mentions=(mention,)), now=T0)


@pytest.fixture(scope="module")
def with_hant(backend: str, request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The three articles and a traditional-Chinese SMIC article that never writes 'SMIC' or
    中芯国际; read it, never write it."""
    yield from _module_store(backend, request, tmp_path_factory, _fill, _add_hant)


def test_a_security_clause_is_met_by_a_mention_in_any_language(with_hant: Store) -> None:
    assert _titles(with_hant, "SMIC") == []  # plain text: no article writes SMIC
    hits = with_hant.search(_smic_clause("SMIC"))
    assert [hit.title for hit in hits] == ["晶片股回落", "中芯国际股价创新高"]
    assert with_hant.count(_smic_clause("SMIC")) == 2
    assert hits[0].matched == (SearchMatch("mention", "00981.HK", "SMIC"),)
    assert hits[0].snippet[slice(*hits[0].marks[0])] == "中芯國際"  # the mention is marked


def test_each_hit_says_why_it_matched(with_hant: Store) -> None:
    [hant, hans] = with_hant.search(_smic_clause("中芯国际"))
    assert hans.matched == (SearchMatch("text", "中芯国际"),
                            SearchMatch("mention", "00981.HK", "SMIC"))
    assert [m.describe() for m in hans.matched] == ['text "中芯国际"', "mentions 00981.HK (SMIC)"]
    assert hant.matched[0] == SearchMatch("text", "中芯国际")  # 中芯國際 folds to it


def test_clauses_all_apply(with_hant: Store) -> None:
    query = SearchQuery("SMIC 南向", (*_smic_clause("SMIC").clauses, SearchClause(("南向",))))
    assert [hit.title for hit in with_hant.search(query)] == ["中芯国际股价创新高"]


def test_a_mention_counts_only_in_the_extraction_visible_at_as_of(store: Store) -> None:
    article = make_article(SMIC_ZH_HANT, url="https://news.example.com/late", lang="zh")
    store.ingest_article(article, Extraction(article=article), now=T0)
    start = article.text.index("中芯國際")
    mention = Mention("00981.HK", "SMIC", "00981.HK", ("00981.HK",), "中芯國際", start,
                      start + 4, 0.9)
    store.save_extraction(article.id, 1, Extraction(article=article, mentions=(mention,)),
                          now=T0 + timedelta(hours=2))
    assert store.count(_smic_clause("SMIC"), as_of=T0 + timedelta(hours=1)) == 0
    assert store.count(_smic_clause("SMIC")) == 1


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("中芯国际", ["中芯國際"]),
        ("跌", ["跌", "跌"]),
        ("港元 華虹", ["港元", "華虹"]),
    ],
)
def test_snippet_marks_point_at_the_original_words(with_hant: Store, query: str,
                                                   marked: list[str]) -> None:
    [hit] = with_hant.search(query, source="Other Wire")
    assert [hit.snippet[start:end] for start, end in hit.marks] == marked
    assert "晶片股回落" not in hit.snippet  # the title is shown apart


def test_browsing_has_no_marks_or_reasons(filled: Store) -> None:
    hit = filled.search(None)[0]
    assert hit.marks == () and hit.matched == ()


def test_source_filter(with_hant: Store) -> None:
    assert _titles(with_hant, None, source="Other Wire") == ["晶片股回落"]
    assert with_hant.count(None, source="Example Wire") == 3
    assert with_hant.count(None, source="Nobody") == 0


def test_facets_count_every_match(with_hant: Store) -> None:
    facets = with_hant.facets(None)
    assert facets.lang == (("zh", 3), ("en", 1))
    assert facets.source == (("Example Wire", 3), ("Other Wire", 1))
    assert facets.day == (("2025-11-07", 1), ("2025-10-24", 1), ("2025-10-23", 1),
                          ("2025-10-09", 1))
    assert facets.listing == (("00981.HK", 2), ("00700.HK", 1))
    smic = with_hant.facets(_smic_clause("中芯"), lang="zh")
    assert smic.lang == (("zh", 2),)
    assert smic.listing == (("00981.HK", 2),)
    assert len(with_hant.facets(None, limit=1).day) == 1


def test_parse_query_keeps_terms_as_typed() -> None:
    assert parse_query(None) is None and parse_query("") is None
    query = parse_query('中芯國際 "Hang  Seng\nTech" ＨＫ')
    assert query is not None
    assert query.terms == ("中芯國際", "Hang Seng Tech", "ＨＫ")


def test_an_undated_article_has_no_day(store: Store) -> None:
    store.ingest_article(make_article(published_at=None), None, now=T0)
    assert store.count("Tencent") == 1
    assert store.count(None, since=T0.date(), until=T0.date()) == 0
    assert store.facets(None).day == ()


@pytest.mark.parametrize("far_back", [True, False], ids=["only far back", "spread out"])
def test_a_word_found_only_far_back_is_read_from_its_matches(db_target: Path | str,
                                                            far_back: bool) -> None:
    """A third of the articles hold the word: spread over time, the walk newest first meets
    one soon; all in the oldest third, it would first pass every newer article, so the list
    starts from the word's matches (the sample sees its hits only in its older half)."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with Store(db_target) as store:
        for n in range(60):
            holds = n < 20 if far_back else n % 3 == 0
            store.ingest_article(make_article(
                f"Market note {n}\n\n{'Quokka ' if holds else ''}shares moved on day {n}.",
                url=f"https://news.example.com/notes/{n}", published_at=start + timedelta(days=n),
                related_stocks=()), None)
        filters = store_search.SearchFilters(parse_query("quokka"))
        plan = store._run(lambda conn: store_search.leader(conn, filters, wanted=1))
        assert (plan == store_search.Plan(lead=0)) is far_back  # spread out: a walk
        newest = 19 if far_back else 57
        assert [hit.title for hit in store.search("quokka", limit=1)] == [f"Market note {newest}"]
