"""The IPO index (store/ipo_index.py, migration 16) and the reads it serves: a page of the
pipeline, an entry's latest reports, the brief's companies of a day."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from insight_stores import ACME, SANY, pair

from pg_server import new_target, settings_for
from tickerwire import insights
from tickerwire.insights.ipos import REPORTS_PER_ENTRY, ipo_page, ipos, ipos_on
from tickerwire.model import Extraction
from tickerwire.store import Store, ipo_index
from tickerwire.store.writer import transaction

SEEN = datetime(2025, 10, 20, 12, 0, tzinfo=UTC)
LATER = datetime(2025, 10, 25, 12, 0, tzinfo=UTC)
SANY_CO = "Sany Heavy Industry Co., Ltd."


class _Undone(Exception):
    pass


def _index(store: Store) -> list[tuple[object, ...]]:
    conn = store._conn
    return sorted(tuple(row) for row in conn.execute(
        "SELECT company, day, extraction_id, part, seq FROM ipo_companies"))


@pytest.mark.parametrize(
    ("attributes", "key"),
    [
        ({"subject": "06031.HK", "company": "Sany"}, "06031.HK"),
        ({"company": "Acme Robotics Holdings"}, "name:acme robotics holdings"),
        ({"company": "ACME ROBOTICS HOLDINGS"}, "name:acme robotics holdings"),
        ({"company": "摩尔线程智能科技"}, "name:摩尔线程智能科技"),
        ({"stage": "filed"}, None),
        ({}, None),
    ],
)
def test_an_event_is_indexed_by_its_code_else_its_folded_name(
    attributes: dict[str, object], key: str | None
) -> None:
    assert ipo_index.event_company(attributes) == key


def test_the_backfill_indexes_what_the_writer_does(corpus: Store, handmade: Store) -> None:
    """Migration 16's backfill, run on the stored rows, gives the writer's rows exactly."""
    for store in (corpus, handmade):
        written = _index(store)
        assert any(row[3] == "event" for row in written) and any(row[3] == "fact" for row in written)
        with Store(store.target) as writable, pytest.raises(_Undone), transaction(writable._conn):
            writable._conn.execute("DELETE FROM ipo_companies")
            ipo_index.backfill(writable._conn)
            assert _index(writable) == written
            raise _Undone  # the store is shared: roll back


@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (2, 1), (3, 2), (20, 0), (5, 40)])
def test_a_page_is_a_slice_of_the_whole_pipeline(corpus: Store, limit: int, offset: int) -> None:
    everything = ipos(corpus)
    assert len(everything) >= 3
    page = ipo_page(corpus, limit=limit, offset=offset)
    assert page.ipos == tuple(everything[offset : offset + limit])
    assert page.total == len(everything)
    assert page.has_more is (offset + limit < len(everything))


def test_the_brief_reads_the_companies_of_its_day(corpus: Store) -> None:
    days = sorted({entry.last_day for entry in ipos(corpus, since=date(2025, 1, 1))})
    assert days
    for day in days:
        expected = [e for e in ipos(corpus, until=day) if e.last_day == day]
        assert ipos_on(corpus, day) == expected and expected


@pytest.fixture
def busy(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """Sany reported on more days than an entry lists, and Acme once."""
    for path in new_target(backend, request, tmp_path_factory.mktemp("ipo-busy")):
        with Store(path) as store:
            for n in range(REPORTS_PER_ENTRY + 5):
                spec = replace(SANY, published=SANY.published - timedelta(days=n),
                               url=f"https://example.com/a/sany-{n}")
                store.ingest_article(*pair(spec), now=SEEN)
            store.ingest_article(*pair(ACME), now=SEEN)
            yield store


def test_an_entry_lists_its_latest_reports_and_counts_them_all(busy: Store) -> None:
    (sany,) = [e for e in ipos(busy) if e.company == SANY_CO]
    assert len(sany.events) == REPORTS_PER_ENTRY
    assert sany.events[0].day == SANY.published.date()
    assert [e.day for e in sany.events] == sorted((e.day for e in sany.events), reverse=True)
    assert sany.reports == 2 * (REPORTS_PER_ENTRY + 5)  # an event and a raise each day
    assert sany.stage == "listed" and sany.last_day == SANY.published.date()
    assert len(sany.actual_raise) == 1
    assert len(sany.actual_raise[0].sources) == REPORTS_PER_ENTRY


def test_a_reextraction_without_the_event_leaves_the_pipeline_but_not_the_past(busy: Store) -> None:
    acme = pair(ACME)[0]
    assert "Acme Robotics Holdings" in [e.company for e in ipos(busy)]
    busy.save_extraction(acme.id, 1, Extraction(acme), now=LATER)
    assert "Acme Robotics Holdings" not in [e.company for e in ipos(busy)]
    past = ipo_page(busy, limit=5, as_of=LATER - timedelta(hours=1))
    assert "Acme Robotics Holdings" in [e.company for e in past.ipos] and past.total == 2
    assert ipo_page(busy, limit=5).total == 1


def test_the_api_pages_the_pipeline(corpus: Store) -> None:
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app

    everything = insights.ipos(corpus)
    with TestClient(create_app(settings_for(corpus.target))) as client:
        first = client.get("/api/ipos", params={"limit": 2}).json()
        assert [e["company"] for e in first["ipos"]] == [e.company for e in everything[:2]]
        assert first["total"] == len(everything) and first["next"].endswith("limit=2&offset=2")
        last = client.get(first["next"]).json()
        assert [e["company"] for e in last["ipos"]] == [e.company for e in everything[2:4]]


def test_the_count_of_reports_stops_at_its_bound(
    busy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("tickerwire.insights.ipos")  # the package exports ipos()
    monkeypatch.setattr(module, "REPORT_COUNT_BOUND", 45)
    (sany,) = [e for e in ipos(busy) if e.company == SANY_CO]
    assert sany.reports == 45 and len(sany.events) == REPORTS_PER_ENTRY


def test_migration_16_indexes_a_store_written_before_it(busy: Store) -> None:
    """A store at schema 15 (no index) opened by this version: the migration's backfill gives
    the rows the writer would have written."""
    written = _index(busy)
    assert len(written) == 2 * (REPORTS_PER_ENTRY + 5) + 1
    conn = busy._conn
    with transaction(conn):
        conn.execute("DROP TABLE ipo_companies")
        conn.execute("DROP TABLE issuer_articles")  # migrations 17, 18 and 19 run again too
        conn.execute("DROP TABLE story_keys")
        if conn.dialect.name == "postgresql":
            conn.execute("DROP TABLE revisions_grams")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 16")
    with Store(busy.target) as upgraded:
        assert upgraded.schema_version >= 16
        assert _index(upgraded) == written
        assert [e.company for e in ipos(upgraded)] == [e.company for e in ipos(busy)]


def test_the_home_page_pages_the_pipeline(
    corpus: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app
    from tickerwire.web import pages

    monkeypatch.setattr(pages, "IPOS_SHOWN", 2)
    everything = ipos(corpus)
    with TestClient(create_app(settings_for(corpus.target))) as client:
        first = client.get("/").text
        assert f"companies 1–2 of {len(everything)}" in first and "ipo_page=2" in first
        second = client.get("/", params={"ipo_page": 2}).text
        section = second[second.index('id="ipos"'):]
        assert f"companies 3–{min(4, len(everything))} of" in section
        assert everything[2].company in section and everything[0].company not in section
        assert client.get("/", params={"ipo_page": 0}).status_code == 422
