"""The ingest service: files in, store rows out; idempotent, quarantining, crash-safe."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tickerwire.errors import InvalidInputError, SourceError
from tickerwire.extract.pipeline import Doc, Pipeline
from tickerwire.ingest import (
    IngestProgress,
    IngestSummary,
    ingest_articles,
    ingest_paths,
    reprocess,
)
from tickerwire.model import Article, Fact
from tickerwire.store import Store

WORKER = Path(__file__).parent / "store" / "store_worker.py"
MAX_BYTES = 1_000_000

BROKER_PAGE = """---
title: "Hua Hong Semiconductor jumps 7% on foundry price increase"
type: news
locale: en
url: https://broker.example.com/en/news/1001
description: "The chipmaker raised wafer prices for the first time in two years."
datetime: 2025-10-15T07:20:00Z
---

# Hua Hong Semiconductor jumps 7% on foundry price increase

Hua Hong Semiconductor (01347.HK) jumped 7.1% to HK$88.40 on Wednesday after telling customers
it would raise eight-inch wafer prices by about 10% next quarter.

### Related Stocks

- [01347.HK](https://broker.example.com/quote/01347.HK)
"""

MARKET_REPORT = """Hong Kong stocks close higher as tech rebounds
On Friday, October 17, 2025, the Hang Seng Index rose 1.2% to 25,247 points. Turnover reached
HK$251.3 billion.

Market Context
Southbound investors bought a net HK$8.1 billion of Hong Kong shares.
"""

CHINESE_PAGE = """---
title: "比亚迪三季度净利润同比下降33%"
type: news
locale: zh-CN
url: https://broker.example.com/zh-CN/news/2002
datetime: 2025-10-30T10:05:00Z
---

# 比亚迪三季度净利润同比下降33%

比亚迪股份(01211.HK)公布三季度净利润78.2亿元人民币,同比下降33%。公司股价周五收跌2.1%。
"""


class MoveFinder:
    """A tiny extraction component: "rose/jumped N%" becomes a price_move fact."""

    name = "move_finder"
    reads = ("text",)
    adds = ("facts",)

    def __call__(self, doc: Doc) -> None:
        import re

        for match in re.finditer(r"(?:rose|jumped) (\d+(?:\.\d+)?)%", doc.text):
            doc.facts.append(Fact("price_move", None, pct=float(match.group(1)),
                                  text=match.group(), start=match.start(), end=match.end()))


def _pipeline(version: str = "t1") -> Pipeline:
    return Pipeline([MoveFinder()], version=version)


@pytest.fixture
def store(db_target: Path | str) -> Iterator[Store]:
    with Store(db_target) as opened:
        yield opened


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    (folder / "zh").mkdir(parents=True)
    (folder / "hua-hong.md").write_text(BROKER_PAGE, encoding="utf-8")
    (folder / "hk-report.txt").write_text(MARKET_REPORT, encoding="utf-8")
    (folder / "zh" / "byd.md").write_text(CHINESE_PAGE, encoding="utf-8")
    (folder / "broken.md").write_bytes(b"\x00\x01\x02\xff\xfe binary junk \x00" * 40)
    (folder / "empty.txt").write_bytes(b"   \n")
    return folder


def _ingest(store: Store, *inputs: Path, **kwargs: object) -> IngestSummary:
    return ingest_paths(store, [str(p) for p in inputs], pipeline=_pipeline(),
                        max_bytes=MAX_BYTES, **kwargs)  # type: ignore[arg-type]


def test_ingest_folder_writes_articles_and_quarantines_bad_files(store: Store,
                                                                news: Path) -> None:
    seen: list[IngestProgress] = []
    summary = _ingest(store, news, progress=seen.append)
    assert (summary.new, summary.unchanged, summary.revised) == (3, 0, 0)
    assert summary.quarantined == 2
    assert sorted(e.origin for e in summary.errors) == [str(news / "broken.md"),
                                                        str(news / "empty.txt")]
    assert [p.files_done for p in seen] == [1, 2, 3, 4, 5]
    assert all(Path(p.current).parent in (news, news / "zh") for p in seen)
    assert [p.articles for p in seen][-1] == 3  # the progress counts articles, not files
    assert summary.articles_per_second is not None and summary.articles_per_second > 0
    stats = store.stats()
    assert (stats["articles"], stats["revisions"], stats["extractions"]) == (3, 3, 3)
    assert stats["facts"] == 2  # "jumped 7.1%" and "rose 1.2%"
    assert stats["quarantined"] == 2
    assert [hit.title for hit in store.search("比亚迪")] == ["比亚迪三季度净利润同比下降33%"]
    rows = store.quarantined()
    assert {r.reason for r in rows} >= {"empty"}
    assert all(r.content_sha256 for r in rows)


def test_ingesting_the_same_files_twice_adds_nothing(store: Store, news: Path) -> None:
    _ingest(store, news)
    before = store.stats()
    again = _ingest(store, news)
    assert (again.new, again.unchanged, again.revised, again.quarantined) == (0, 3, 0, 2)
    assert store.stats() == before
    assert sorted(r.count for r in store.quarantined()) == [2, 2]


def test_an_edited_file_becomes_a_revision(store: Store, news: Path) -> None:
    _ingest(store, news)
    page = news / "hua-hong.md"
    page.write_text(BROKER_PAGE.replace("7.1% to HK$88.40", "7.4% to HK$88.65"),
                    encoding="utf-8")
    summary = _ingest(store, news)
    assert (summary.new, summary.unchanged, summary.revised) == (0, 2, 1)
    [hit] = store.search("Hua Hong")
    assert hit.revision == 2
    assert [r.pct for r in store.fact_rows(kinds=["price_move"]) if r.article_id == hit.id] == [
        7.4]


def test_a_missing_input_is_refused_before_anything_is_written(store: Store,
                                                                news: Path) -> None:
    with pytest.raises(InvalidInputError, match="no such file"):
        _ingest(store, news, news / "nope.md")
    assert store.stats()["articles"] == 0


def test_oversized_file_is_quarantined_and_the_batch_goes_on(store: Store,
                                                             tmp_path: Path) -> None:
    (tmp_path / "huge.txt").write_text("Big headline\n" + "word " * 5000, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(MARKET_REPORT, encoding="utf-8")
    summary = ingest_paths(store, [str(tmp_path / "huge.txt"), str(tmp_path / "ok.txt")],
                           pipeline=_pipeline(), max_bytes=10_000)
    assert (summary.new, summary.quarantined) == (1, 1)
    assert summary.errors[0].reason == "too_large"


def test_ingest_articles_takes_articles_and_errors(store: Store) -> None:
    article = Article(text=MARKET_REPORT, title="Hong Kong stocks close higher as tech rebounds",
                      lang="en", origin="<stdin>")
    error = SourceError("<stdin>:2", "bad_json", "line 2 is not JSON; fix the quoting")
    summary = ingest_articles(store, [article, error, article], pipeline=_pipeline())
    assert (summary.new, summary.unchanged, summary.quarantined) == (1, 1, 1)
    assert summary.errors == [error]
    [row] = store.quarantined()
    assert (row.origin, row.reason) == ("<stdin>:2", "bad_json")


def test_default_pipeline_is_used_when_none_is_given(store: Store) -> None:
    article = Article(text=MARKET_REPORT, lang="en")
    assert ingest_articles(store, [article]).new == 1
    stored = store.get_article(article.id)
    assert stored is not None and stored.extraction is not None


def test_reprocess_re_extracts_only_other_pipeline_versions(store: Store, news: Path) -> None:
    _ingest(store, news)
    assert reprocess(store, pipeline=_pipeline("t1")) == 0
    assert reprocess(store, pipeline=_pipeline("t2")) == 3
    assert reprocess(store, pipeline=_pipeline("t2")) == 0
    assert reprocess(store, pipeline=_pipeline("t2"), force=True) == 3
    stats = store.stats()
    assert (stats["articles"], stats["extractions"], stats["facts"]) == (3, 9, 2)
    assert {r.pipeline_version for r in store.fact_rows()} == {"t2"}


def _stats(db: Path | str) -> dict[str, int]:
    with Store(db, readonly=True, timeout=5) as reader:
        return reader.stats()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("count", "delay"),
    [
        (300, "0.01"),  # killed while extracting, between transactions
        (3000, "0"),  # no extraction delay: most of the time is spent inside transactions
    ],
)
def test_sigkill_mid_ingest_then_rerun_loses_and_duplicates_nothing(
    db_target: Path | str, count: int, delay: str
) -> None:
    db = db_target
    Store(db).close()
    worker = subprocess.Popen([sys.executable, str(WORKER), str(db), str(count), delay],
                              stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _stats(db)["articles"] < 40 and time.monotonic() < deadline:
        assert worker.poll() is None, "the worker finished before it could be killed"
        time.sleep(0.01)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert worker.returncode == -signal.SIGKILL

    with Store(db) as store:
        assert store.integrity_check() == []
        killed = store.stats()
    written = killed["articles"]
    assert 40 <= written < count
    # no half-written article: each one came with its extraction, mention and both facts
    assert killed["revisions"] == killed["extractions"] == killed["mentions"] == written
    assert killed["facts"] == 2 * written

    rerun = subprocess.run([sys.executable, str(WORKER), str(db), str(count), "0"],
                           capture_output=True, text=True, check=True, timeout=120)
    summary = json.loads(rerun.stdout)
    assert (summary["new"], summary["unchanged"], summary["revised"]) == (
        count - written, written, 0)
    with Store(db) as store:
        assert store.integrity_check() == []
        final = store.stats()
        assert (final["articles"], final["revisions"], final["extractions"]) == (count,) * 3
        assert (final["mentions"], final["facts"]) == (count, 2 * count)
        assert len(store.fact_rows()) == 2 * count


class BrokenFacts:
    """A component that fails on articles about one company (and works on the others)."""

    name = "broken_facts"
    reads = ("text",)
    adds = ("facts",)

    def __call__(self, doc: Doc) -> None:
        if "比亚迪" in doc.text:
            raise ValueError("could not convert string to float: '\U00010d42'")


def test_a_reader_failure_quarantines_that_file_and_the_batch_goes_on(
    store: Store, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tickerwire import sources

    def failing_text_reader(text: str, *, origin: str) -> Iterator[Article | SourceError]:
        raise RuntimeError("reader bug")
        yield  # pragma: no cover - makes this a generator like the real readers

    monkeypatch.setitem(sources._READERS, "text", failing_text_reader)
    summary = _ingest(store, news)
    assert summary.new == 2  # both markdown pages, before and after the text file
    reasons = {e.origin: e.reason for e in summary.errors}
    assert reasons[str(news / "hk-report.txt")] == "reader_failed"
    assert "RuntimeError: reader bug" in next(
        e.detail for e in summary.errors if e.reason == "reader_failed"
    )
    again = _ingest(store, news)  # a rerun does not stop at the same file either
    assert again.unchanged == 2 and again.quarantined == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [("Tencent \ud800 rose 5%", "unstorable_text"), ("騰訊\udfff漲5%", "unstorable_text")],
)
def test_an_article_the_store_cannot_keep_is_quarantined(
    store: Store, text: str, reason: str
) -> None:
    bad = Article(text=text, format="text", origin="upload-1")
    good = Article(text="SMIC rose 5.2% in Hong Kong.", format="text", origin="upload-2")
    summary = ingest_articles(store, [bad, good], pipeline=_pipeline())
    assert (summary.new, summary.quarantined) == (1, 1)
    assert [(e.origin, e.reason) for e in summary.errors] == [("upload-1", reason)]
    [row] = store.quarantined()
    assert (row.origin, row.reason) == ("upload-1", reason)


def test_a_component_error_is_recorded_on_the_article_and_counted(
    store: Store, news: Path
) -> None:
    pipeline = Pipeline([MoveFinder(), BrokenFacts()], version="t1")
    ingest_paths(store, [str(news)], pipeline=pipeline, max_bytes=MAX_BYTES)
    assert store.stats()["incomplete_extractions"] == 1
    [hit] = store.search("比亚迪")
    stored = store.get_article(hit.id)
    assert stored is not None and stored.extraction is not None
    assert stored.extraction.errors == (
        "broken_facts: ValueError: could not convert string to float: '\U00010d42'",
    )
