"""Migrations 10 (stories) and 18 (story keys) on databases written before them, and the story
rows themselves."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tickerwire import insights
from tickerwire.model import Article
from tickerwire.store import MIGRATIONS, Store, StoryJoin, StoryMemberRow, StoryRow, folding, stories

SEEN = datetime(2025, 10, 24, 9, 0, tzinfo=UTC)


def _database_before(path: Path, version: int) -> sqlite3.Connection:
    """A SQLite database as the migrations before ``version`` left it, empty."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL)")
    folding.register(conn)
    for migration in [m for m in MIGRATIONS if m.version < version]:
        for statement in migration.statements:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2025-10-01T00:00:00Z')",
                     (migration.version, migration.name))
    return conn


def _pre_stories_database(path: Path) -> None:
    """A database as the migrations before stories left it, holding two articles."""
    conn = _database_before(path, 10)
    text = "SMIC rises 2.0%\n\nSMIC (00981.HK) rose 2.0% to HK$78.45 on Friday."
    for i, copy in enumerate((text, text + "\n\nCopyright © Example Wire.")):
        conn.execute("INSERT INTO articles(id, format, first_seen_at) VALUES (?, 'text', ?)",
                     (f"a{i}", f"2025-10-24T0{i + 1}:00:00.000000+00:00"))
        conn.execute(
            "INSERT INTO article_revisions(article_id, revision, content_hash, lang, day_hk,"
            " sort_at, first_seen_at, title, text, published_at, published_date_hk)"
            " VALUES (?, 1, ?, 'en', '2025-10-24', ?, ?, 'SMIC rises 2.0%', ?, ?, '2025-10-24')",
            (f"a{i}", f"h{i}", f"2025-10-24T0{i + 1}:00:00.000000+00:00",
             f"2025-10-24T0{i + 1}:00:00.000000+00:00", copy,
             f"2025-10-24T0{i + 1}:00:00.000000+00:00"),
        )
    conn.close()


def test_migration_10_adds_story_tables_and_rebuild_assigns_old_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _pre_stories_database(path)
    with Store(path) as store:
        assert store.version() == MIGRATIONS[-1].version
        assert store.unassigned_articles() == ["a0", "a1"]
        assert insights.list_stories(store).total == 0
        summary = insights.rebuild_stories(store)
        assert (summary.articles, summary.stories) == (2, 1)
        copy = insights.story_of(store, "a1")
        assert copy is not None and copy.reason == "near_duplicate"
        assert copy.joined_at == datetime(2025, 10, 24, 2, 0, tzinfo=UTC)  # its first sight
        assert store.unassigned_articles() == []
        assert store.integrity_check() == []


def test_a_join_written_twice_is_written_once(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.ingest_article(Article("Text", source_id="x"), None, now=SEEN)
        story = StoryRow("st-1", "Text", "x", SEEN, SEEN)
        member = StoryMemberRow("x", "st-1", SEEN, SEEN, "first", None, None, None, 0, 0, {})
        store.join_stories([StoryJoin(member, story), StoryJoin(member, story)])
        assert store.stories() == [(story, 1)]
        assert store.count_stories(as_of=SEEN) == 1
        assert store.stories(as_of=datetime(2025, 10, 24, 8, 0, tzinfo=UTC)) == []
        store.clear_stories()
        assert store.stories() == [] and store.unassigned_articles() == ["x"]


def test_subjects_filter_sees_only_members_visible_as_of(tmp_path: Path) -> None:
    later = datetime(2025, 10, 24, 12, 0, tzinfo=UTC)
    with Store(tmp_path / "s.db") as store:
        for article_id, seen in (("x", SEEN), ("y", later)):
            store.ingest_article(Article(article_id, source_id=article_id), None, now=seen)
        story = StoryRow("st-1", "Text", "x", SEEN, SEEN)
        store.join_stories([
            StoryJoin(StoryMemberRow("x", "st-1", SEEN, SEEN, "first", None, None, None, 0, 0, {},
                                     ("00981.HK",)), story),
            StoryJoin(StoryMemberRow("y", "st-1", later, later, "facts", "x", 0.8, 0.5, 2, 1, {},
                                     ("01347.HK", "HSI"))),
        ])
        assert [s.id for s, _ in store.stories(subjects=["00981.HK"])] == ["st-1"]
        assert [n for _, n in store.stories(subjects=["HSI"])] == [2]
        assert store.stories(subjects=["HSI"], as_of=SEEN) == []
        assert store.count_stories(subjects=["01347.HK", "00700.HK"]) == 1
        assert store.count_stories(min_articles=2, as_of=SEEN) == 0
        assert store.count_stories(min_articles=2) == 1
        store.clear_stories()
        assert store.count_stories(subjects=["HSI"]) == 0


def _member(article_id: str, anchor: datetime, signature: dict[str, object],
            joined: datetime = SEEN) -> StoryJoin:
    story = StoryRow(f"st-{article_id}", article_id, article_id, joined, anchor)
    return StoryJoin(StoryMemberRow(article_id, story.id, joined, anchor, "first", None, None,
                                    None, 0, 0, signature), story)


_RESULTS = ("revenue", "00981.HK", "", "", "2.17e+09")  # a reported figure: no day in its key
_CLOSE = ("close_price", "00981.HK", "2025-10-24", "", "78.45")


def test_story_keys_find_members_by_fact_and_link_however_far_back(
    db_target: Path | str,
) -> None:
    """Novelty and language versions read every stored member, not a window of them."""
    spring = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    autumn = datetime(2025, 10, 24, 9, 0, tzinfo=UTC)
    later = datetime(2025, 10, 25, 9, 0, tzinfo=UTC)
    with Store(db_target) as store:
        for article_id in ("old", "en", "unseen"):
            store.ingest_article(Article(article_id, source_id=article_id), None, now=SEEN)
        store.join_stories([
            _member("old", spring, {"fact_keys": [list(_RESULTS)]}),
            _member("en", autumn, {"fact_keys": [list(_CLOSE)],
                                   "url": "https://news.example.com/en/smic",
                                   "locale_urls": ["https://news.example.com/zh/smic"]}),
            _member("unseen", spring, {"fact_keys": [list(_CLOSE)]}, joined=later),
        ])
        other = ("revenue", "00700.HK", "", "", "1.80e+11")
        assert store.story_facts_stated([_RESULTS, _CLOSE, other], until=autumn,
                                        as_of=SEEN) == {_RESULTS, _CLOSE}
        assert store.story_facts_stated([_RESULTS, _CLOSE], until=spring - timedelta(seconds=1),
                                        as_of=SEEN) == set()
        # "unseen" joined after SEEN: as of SEEN it states nothing; as of later it states the
        # close, anchored in spring.
        assert store.story_facts_stated([_CLOSE], until=spring, as_of=SEEN) == set()
        assert store.story_facts_stated([_CLOSE], until=spring, as_of=later) == {_CLOSE}
        for url in ("https://news.example.com/zh/smic", "https://news.example.com/en/smic"):
            found = store.story_members_linked([url], as_of=SEEN)
            assert [m.article_id for m in found] == ["en"]
            assert found[0].signature["url"] == "https://news.example.com/en/smic"
        assert store.story_members_linked(["https://news.example.com/zh/other"]) == []
        store.clear_stories()
        assert store.story_facts_stated([_RESULTS], until=autumn) == set()
        assert store.story_members_linked(["https://news.example.com/en/smic"]) == []


@pytest.mark.parametrize("page", [2, 500])
def test_migration_19_indexes_the_members_stored_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: int,
) -> None:
    """Every member of every page is indexed, a member without keys among them."""
    monkeypatch.setattr(stories, "_BATCH", page)
    path = tmp_path / "v18.db"
    conn = _database_before(path, 19)
    anchor = "2025-10-24T09:00:00.000000+00:00"
    for i in range(5):
        conn.execute("INSERT INTO articles(id, format, first_seen_at) VALUES (?, 'text', ?)",
                     (f"a{i}", SEEN.isoformat()))
        conn.execute("INSERT INTO stories(id, title, first_article_id, first_seen_at, anchor_at) "
                     "VALUES (?, 'SMIC', ?, ?, ?)", (f"st-{i}", f"a{i}", SEEN.isoformat(),
                                                     SEEN.isoformat()))
        key = ("revenue", "00981.HK", "", "", f"{i + 1}e+09")
        signature = ({} if i == 2 else
                     {"fact_keys": [list(key)], "url": f"https://news.example.com/en/smic-{i}"})
        conn.execute("INSERT INTO story_members(article_id, story_id, joined_at, anchor_at, "
                     "reason, signature) VALUES (?, ?, ?, ?, 'first', ?)",
                     (f"a{i}", f"st-{i}", anchor, anchor, json.dumps(signature)))
    conn.close()
    keys = [("revenue", "00981.HK", "", "", f"{i + 1}e+09") for i in range(5)]
    with Store(path) as store:
        assert store.version() == MIGRATIONS[-1].version
        assert store.story_facts_stated(keys, until=SEEN) == {k for i, k in enumerate(keys)
                                                              if i != 2}
        for i in (0, 4):
            linked = store.story_members_linked([f"https://news.example.com/en/smic-{i}"])
            assert [m.article_id for m in linked] == [f"a{i}"]
        assert store.integrity_check() == []
