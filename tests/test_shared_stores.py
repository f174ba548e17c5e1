"""The test suite's shared stores: a file built once for every worker, and the copies writers get
(``copy_target``) never change what they were copied from."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from pg_server import copy_target, new_target
from shared_stores import built_once
from tickerwire.model import Article
from tickerwire.store import Store


def _count_and_write(path: Path) -> None:
    log = path.with_name("builds.log")
    log.write_text(log.read_text() + "built\n" if log.exists() else "built\n")
    path.write_text("store")


def _build_in_another_process(root: str) -> None:
    built_once(Path(root), "shared.db", _count_and_write)


def test_a_file_is_built_once_for_every_process(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_build_in_another_process, args=(str(tmp_path),))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    path = built_once(tmp_path, "shared.db", _count_and_write)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert path.read_text() == "store"
    assert (tmp_path / "builds.log").read_text() == "built\n"


def test_a_build_that_failed_is_done_again_from_nothing(tmp_path: Path) -> None:
    def broken(path: Path) -> None:
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        built_once(tmp_path, "shared.db", broken)
    (tmp_path / "shared.db-wal").write_text("stale")
    path = built_once(tmp_path, "shared.db", _count_and_write)
    assert path.read_text() == "store"
    assert not (tmp_path / "shared.db-wal").exists()


ARTICLES = [
    Article(title="SMIC rises", text="SMIC (00981.HK) rose 5.2% in Hong Kong.", lang="en",
            source="Example Wire"),
    Article(title="腾讯控股收涨2%", text="腾讯控股(00700.HK)周一收涨2%。", lang="zh",
            source="Example Wire"),
]


def test_a_copy_holds_the_store_and_writing_it_leaves_the_original(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    for original in new_target(backend, request, tmp_path / "original"):
        with Store(original) as store:
            first = store.ingest_article(ARTICLES[0], None)
        for copy in copy_target(backend, original, request, tmp_path):
            with Store(copy) as store:
                assert [a.title for a in store.get_articles([first.article_id]).values()] == [
                    "SMIC rises"]
                store.ingest_article(ARTICLES[1], None)
                assert store.stats()["articles"] == 2
        with Store(original, readonly=True) as store:
            assert store.stats()["articles"] == 1
