"""PostgreSQL's index of short Chinese terms (``store/grams.py``, migration 17): the CJK
character pairs of each revision, what a query term asks of them, and that every way of
writing a revision (ingest, bulk load, the migration's backfill) indexes the same pairs."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_builders import HSBC_ZH_HANT, SMIC_ZH, T0, TENCENT_EN, make_article

from tickerwire.store import Store, grams
from tickerwire.store import search as store_search
from tickerwire.store.folding import fold_sql
from tickerwire.store.rows import LoadedArticle
from tickerwire.store.search import SearchFilters, parse_query
from tickerwire.store.writer import transaction


@pytest.mark.parametrize(("folded", "expected"), [
    ("中芯国际  ", {"中芯", "芯国", "国际", "际 "}),
    ("smic 中芯 hk  ", {" 中", "中芯", "芯 "}),
    ("a股 港股通  ", {"a股", "股 ", " 港", "港股", "股通", "通 "}),
    ("恒指。  ", {"恒指", "指。", "。 "}),  # CJK punctuation is a CJK character too
    ("hang seng tech  ", set()),
    ("", set()),
])
def test_the_pairs_of_a_folded_text_are_those_with_a_cjk_character(
    folded: str, expected: set[str]
) -> None:
    assert grams.pairs(folded) == expected


@pytest.mark.parametrize(("term", "expected"), [
    ("中芯", "'中芯'"),
    ("中芯国际", "'中芯' & '国际' & '芯国'"),
    ("港", "'港':*"),  # one character: the start of some pair
    ("a股", "'a股'"),
    ("恒生 tech", "'恒生' & '生 '"),
    ("smic", None),  # no CJK character: pg_trgm finds it
    ("00981.hk", None),
])
def test_a_term_asks_for_each_of_its_pairs(term: str, expected: str | None) -> None:
    assert grams.term_query(term) == expected


def test_quotes_and_backslashes_are_escaped_in_lexemes() -> None:
    assert grams.document(None, "'股\\") == "'''股' '股\\\\'"
    assert grams.term_query("股'") == "'股'''"


@pytest.mark.parametrize(("title", "text", "expected"), [
    (None, "hsbc to take hang seng bank private  ", None),
    ("恒生  ", "hsbc  ", "'恒生' '生 '"),
    (None, "港股  ", "'港股' '股 '"),
])
def test_a_revision_document_covers_title_and_text(
    title: str | None, text: str, expected: str | None
) -> None:
    assert grams.document(title, text) == expected


def test_a_book_length_text_is_stored_unindexed() -> None:
    """Past MAX_GRAMS different pairs the row holds NULL, which every search reads."""
    distinct = "".join(chr(c) for c in range(0x4E00, 0x9FFF)) + "".join(
        chr(c) for c in range(0x20000, 0x20000 + grams.MAX_GRAMS))
    assert grams.document(None, distinct + "  ") == ""
    assert grams.rows([(7, None, distinct + "  ")]) == [(7, None)]
    assert grams.rows([(8, None, "hang seng  ")]) == []


# --- on PostgreSQL ------------------------------------------------------------------------

ARTICLES = [
    make_article(SMIC_ZH, lang="zh", url="https://news.example.com/smic-high"),
    make_article(HSBC_ZH_HANT, lang="zh", url="https://news.example.com/hsbc-hang-seng"),
    make_article(TENCENT_EN, lang="en"),
]


def _index(store: Store) -> list[tuple[int, str | None]]:
    return [(int(rowid), text) for rowid, text in store._conn.execute(
        "SELECT rowid, grams::text FROM revisions_grams ORDER BY rowid")]


def _expected(store: Store) -> list[tuple[int, str | None]]:
    """The pairs of every stored revision, computed here from its original title and text."""
    rows = store._conn.execute("SELECT id, title, text FROM article_revisions ORDER BY id")
    return [(rowid, document) for rowid, title, text in rows
            if (document := grams.document(fold_sql(title), fold_sql(text))) is not None]


@pytest.fixture
def pg_store(db_target: Path | str, backend: str) -> Store:
    if backend != "postgresql":
        pytest.skip("the pairs index is PostgreSQL's (SQLite reads its trigram vocabulary)")
    store = Store(db_target)
    for article in ARTICLES:
        store.ingest_article(article, None)
    return store


def test_ingest_indexes_the_pairs_of_chinese_revisions_only(pg_store: Store) -> None:
    indexed = _index(pg_store)
    assert len(indexed) == 2  # the English article has no CJK character
    assert [(rowid, document is not None) for rowid, document in indexed] == [
        (rowid, True) for rowid, _ in _expected(pg_store)]
    # PostgreSQL prints a tsvector with its lexemes sorted by length then bytes; compare sets.
    assert [set(document.split()) for _, document in indexed if document] == [
        set(document.split()) for _, document in _expected(pg_store) if document]


def test_migration_17_indexes_a_store_written_before_it(pg_store: Store) -> None:
    written = _index(pg_store)
    conn = pg_store._conn
    with transaction(conn):
        conn.execute("DROP TABLE revisions_grams")
        conn.execute("DROP TABLE issuer_articles")  # migrations 18 and 19 run again too
        conn.execute("DROP TABLE story_keys")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 17")
    pg_store.close()
    with Store(pg_store.target) as upgraded:
        assert upgraded.schema_version >= 17
        assert _index(upgraded) == written
        assert [hit.title for hit in upgraded.search("滙豐")] == ["滙豐私有化恒生銀行"]


def test_a_bulk_load_indexes_what_ingest_does(pg_store: Store, pg_server: object) -> None:
    url = pg_server.new_database()  # type: ignore[attr-defined]
    with Store(url) as loaded:
        loaded.load_articles([LoadedArticle(article, None, T0) for article in ARTICLES])
        assert [set((d or "").split()) for _, d in _index(loaded)] == [
            set((d or "").split()) for _, d in _index(pg_store)]


@pytest.mark.parametrize("text", ["'股\\ 港'股  ", "中芯 國際  ", "a股\t港股  "])
def test_postgresql_reads_the_lexemes_as_written(pg_store: Store, text: str) -> None:
    document = grams.document(None, text)
    (stored,) = pg_store._conn.execute(
        "SELECT tsvector_to_array(CAST(? AS tsvector))", (document,)).fetchone()
    assert sorted(stored) == sorted(grams.pairs(text))


@pytest.mark.parametrize("term", ["中芯", "恒生", "港", "滙豐", "私有化", "中芯国际"])
def test_short_chinese_terms_are_found_through_the_pairs_index(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch, term: str
) -> None:
    """Read from the index (the walk is forced off), the matches are the text's."""
    monkeypatch.setattr(store_search, "leader", lambda *_a, **_k: store_search.Plan(lead=0))
    found = [hit.title for hit in pg_store.search(term)]
    for plan in (store_search.WALK, store_search.Plan(by_set=0)):
        monkeypatch.setattr(store_search, "leader", lambda *_a, plan=plan, **_k: plan)
        assert found == [hit.title for hit in pg_store.search(term)]
    assert found
    params: dict[str, object] = {"as_of": "9999"}
    query = parse_query(term)
    assert query is not None
    sql, params = store_search.page_sql(SearchFilters(query), "9999", "postgresql",
                                        plan=store_search.Plan(lead=0))
    params.update(limit=20, offset=0)
    conn = pg_store._conn
    with transaction(conn):  # planner settings for this transaction only: as on a big table
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL enable_indexscan = off")
        plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN {sql}", params))
    if len(term) == 2:
        # A two-character term is the one only the pairs index can narrow; for one character or
        # three and more, the planner may as well test the text of each revision (or use the
        # trigram index) on a table this small, and it does so depending on its statistics.
        assert "revisions_grams_grams" in plan, plan


def test_a_revision_too_long_to_index_is_still_found(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    distinct = "".join(chr(c) for c in range(0x20000, 0x20000 + grams.MAX_GRAMS + 10))
    pg_store.ingest_article(make_article(f"长文\n\n{distinct}，提及港股。", lang="zh",
                                         url="https://news.example.com/long"), None)
    assert (None in {document for _, document in _index(pg_store)})
    monkeypatch.setattr(store_search, "leader", lambda *_a, **_k: store_search.Plan(lead=0))
    assert [hit.title for hit in pg_store.search("提及")] == ["长文"]
