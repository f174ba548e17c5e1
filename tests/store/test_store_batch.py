"""``Store.ingest_batch``: many articles in one transaction, each whole or absent on its own."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_builders import SMIC_ZH, TENCENT_EN, make_article, smic_extraction, tencent_extraction

from tickerwire.errors import UnstorableArticleError
from tickerwire.model import Article, Extraction
from tickerwire.store import IngestOutcome, PreparedArticle, Store, StoryJoin, prepare_article
from tickerwire.store.rows import StoryMemberRow, StoryRow

NOW = datetime(2025, 10, 25, 2, 0, tzinfo=UTC)


class RecordingAssigner:
    """Opens one story per article and records the order of its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.minhashes: list[tuple[int, ...] | None] = []

    def decide(self, article_id: str, article: Article, findings: Extraction | None, *,
               now: datetime, minhash: tuple[int, ...] | None = None) -> StoryJoin:
        self.calls.append(f"decide {article.title}")
        self.minhashes.append(minhash)
        story = StoryRow(f"st-{article_id[-8:]}", article.title, article_id, now, now)
        member = StoryMemberRow(article_id, story.id, now, now, "first", None, None, None, 0, 0)
        return StoryJoin(member, story)

    def remember(self, join: StoryJoin) -> None:
        self.calls.append(f"remember {join.story.title if join.story else ''}")


def _prepared(url: str, *, text: str = TENCENT_EN) -> PreparedArticle:
    article = make_article(text, url=url)
    return prepare_article(article, tencent_extraction(article))


def test_a_batch_writes_every_article_with_its_index_row_and_story(store: Store) -> None:
    english = _prepared("https://news.example.com/a")
    smic = make_article(SMIC_ZH, url="https://news.example.com/b", lang="zh")
    chinese = prepare_article(smic, smic_extraction(smic), minhash=(7,) * 128)
    assigner = RecordingAssigner()
    results = store.ingest_batch([english, chinese, english], assigner=assigner, now=NOW)
    assert [r.status for r in results if isinstance(r, IngestOutcome)] == [
        "new", "new", "unchanged"]
    english_title, chinese_title = english.article.title, smic.title
    assert assigner.calls == [f"decide {english_title}", f"remember {english_title}",
                              f"decide {chinese_title}", f"remember {chinese_title}"]
    assert assigner.minhashes == [None, (7,) * 128]  # a prepared MinHash reaches the decider
    assert [hit.title for hit in store.search("中芯國際")] == [chinese_title]  # 繁 finds 简
    assert [hit.title for hit in store.search("hang seng tech")] == [english_title]
    memberships = store.story_memberships([english.article.id, chinese.article.id])
    assert {m.reason for m in memberships.values()} == {"first"}
    stats = store.stats()
    assert (stats["articles"], stats["revisions"], stats["extractions"]) == (2, 2, 2)


@pytest.mark.parametrize("bad_author", ["Tencent \ud800 desk", "騰訊\udfff記者"])
def test_an_article_the_store_refuses_is_rolled_back_alone(store: Store, bad_author: str) -> None:
    good = _prepared("https://news.example.com/good")
    bad = prepare_article(Article(text="Tencent rose 5%", title="bad", format="text",
                                  origin="upload-9", url="https://news.example.com/bad",
                                  author=bad_author), None)
    later = _prepared("https://news.example.com/later",
                      text=TENCENT_EN.replace("on Friday", "on Friday afternoon"))
    results = store.ingest_batch([good, bad, later], assigner=RecordingAssigner(), now=NOW)
    assert isinstance(results[1], UnstorableArticleError)
    assert (results[1].origin, results[1].reason) == ("upload-9", "unstorable_text")
    assert [r.status for r in results if isinstance(r, IngestOutcome)] == ["new", "new"]
    assert store.stats()["articles"] == 2
    assert store.story_memberships([bad.article.id]) == {}
    assert store.count("Hang Seng Tech") == 2


@pytest.mark.parametrize(("text", "word"), [
    ("Zebrafish Biotech rose 5% after its trial.\nTencent was flat.", "zebrafish"),
    ("斑马鱼生物股价上升5%。\n腾讯持平。", "斑马鱼"),
])
def test_an_article_refused_after_its_revision_leaves_no_search_row(
    store: Store, text: str, word: str
) -> None:
    """The batch indexes its articles for search at its end: an article rolled back after its
    revision was written (here its extraction holds a lone surrogate) must not be found, and the
    article after it, which reuses the rolled-back row id, must be found by its own words."""
    good = _prepared("https://news.example.com/good")
    article = make_article(text, url="https://news.example.com/bad")
    findings = tencent_extraction(make_article(TENCENT_EN, url="https://news.example.com/bad"))
    findings = dataclasses.replace(findings, article=article, errors=("bad \ud800 message",))
    bad = prepare_article(article, findings)
    later = _prepared("https://news.example.com/later",
                      text=TENCENT_EN.replace("on Friday", "on Friday afternoon"))
    results = store.ingest_batch([good, bad, later], assigner=RecordingAssigner(), now=NOW)
    assert isinstance(results[1], UnstorableArticleError)
    assert [r.status for r in results if isinstance(r, IngestOutcome)] == ["new", "new"]
    assert store.search(word) == []
    assert [hit.id for hit in store.search("afternoon")] == [later.article.id]
    assert store.count("Hang Seng Tech") == 2


def test_latest_revisions_answers_for_many_ids_at_once(store: Store) -> None:
    first = make_article("Tencent slides 3%\nTencent fell 3.1%.", url="https://n.example/1")
    store.ingest_article(first, None, now=NOW)
    edited = make_article("Tencent slides 3%\nTencent fell 3.4%.", url="https://n.example/1")
    store.ingest_article(edited, None, now=NOW)
    ids = [first.id, *(f"missing-{i}" for i in range(1200))]
    assert store.latest_revisions(ids) == {first.id: (2, edited.content_hash)}
    assert store.latest_revisions([]) == {}


def test_checking_a_batch_against_prices_reads_only_its_facts(tmp_path: Path) -> None:
    """The verdict query of a batch goes through facts_extraction, never through every fact of
    the checked kinds (which grows with the database)."""
    with Store(tmp_path / "plan.db") as store:
        raw = store._conn.raw  # type: ignore[attr-defined]
        statements: list[str] = []
        raw.set_trace_callback(statements.append)
        store.ingest_batch([_prepared(f"https://news.example.com/p{i}")
                            for i in range(3)], now=NOW)
        raw.set_trace_callback(None)
        checks = [sql for sql in statements if sql.startswith("SELECT x.* FROM facts")]
        assert len(checks) == 1  # one check for the whole batch
        plan = raw.execute("EXPLAIN QUERY PLAN " + checks[0]).fetchall()
        assert [row[3] for row in plan] == ["SEARCH x USING INDEX facts_extraction (extraction_id=?)"]
