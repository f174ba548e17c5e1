"""Parallel ingest: worker processes read and extract, one writer writes in batches — and the
database ends up exactly as a one-process ingest leaves it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest_parts import (
    CallLog,
    FailingPipeline,
    KillOn,
    Unloadable,
    WorkerState,
    moves,
    snapshot,
)
from tickerwire.cli import app
from tickerwire.errors import WorkerError
from tickerwire.ingest import IngestProgress, IngestSummary, ingest_articles, ingest_paths
from tickerwire.model import Article
from tickerwire.store import Store

MAX_BYTES = 1_000_000
RUNNER = Path(__file__).parent / "ingest_runner.py"


def _page(n: int, title: str, body: str, locale: str = "en") -> str:
    return f"""---
title: "{title}"
type: news
locale: {locale}
url: https://broker.example.com/{locale}/news/{n}
datetime: 2025-10-{10 + n % 18:02d}T07:20:00Z
---

# {title}

{body}
"""


NEWS = {
    "a-hua-hong.md": _page(1, "Hua Hong jumps 7% on wafer price rise",
                           "Hua Hong Semiconductor (01347.HK) jumped 7.1% to HK$88.40."),
    "b-hua-hong-again.md": _page(2, "Hua Hong jumps 7% on wafer price rise",
                                 "Hua Hong Semiconductor (01347.HK) jumped 7.1% to HK$88.40 on "
                                 "Wednesday."),
    "c-report.txt": "Hong Kong stocks close higher\nOn Friday, October 17, 2025, the Hang Seng "
                    "Index rose 1.2% to 25,247 points.\n",
    "d-byd.md": _page(3, "比亚迪股价涨3%", "比亚迪股份(01211.HK)周五收涨3.5%,成交额放大。", "zh-CN"),
    "e-broken.md": "\x00\x01\x02 binary junk \x00" * 20,
    "f-wire.jsonl": "\n".join(
        json.dumps({"id": f"wire-{i}", "title": f"Wire {i}", "published_at": "2025-10-20",
                    "text": f"Stock {i:05d}.HK rose {i % 9}.5% in Hong Kong trading."})
        for i in range(1, 80)
    ) + "\n{not json\n",
    "g-empty.txt": "   \n",
    "h-smic.md": _page(4, "SMIC rose 4% as chip stocks rally",
                       "SMIC (00981.HK) rose 4.2% while Hua Hong gained 2.0%."),
    "i-same-as-c.txt": "Hong Kong stocks close higher\nOn Friday, October 17, 2025, the Hang "
                       "Seng Index rose 1.2% to 25,247 points.\n",
}


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in NEWS.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def _target(db_target: Path | str, name: str) -> Path | str:
    """A second database next to ``db_target`` (SQLite) — PostgreSQL tests get one database."""
    return Path(db_target).with_name(name) if isinstance(db_target, Path) else db_target


def _ingest(db: Path | str, news: Path, **kwargs: object) -> IngestSummary:
    kwargs.setdefault("pipeline", moves())
    with Store(db) as store:
        return ingest_paths(store, [str(news)], max_bytes=MAX_BYTES,  # type: ignore[arg-type]
                            **kwargs)


def test_workers_write_the_database_one_process_writes(
    tmp_path: Path, news: Path
) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    seen: list[IngestProgress] = []
    single = _ingest(one, news, workers=1)
    double = _ingest(two, news, workers=2, batch_articles=7, progress=seen.append)
    for summary in (single, double):
        # 4 pages + 1 report + 79 wire lines; its twin file is unchanged; 3 quarantined
        assert (summary.new, summary.unchanged, summary.quarantined) == (84, 1, 3)
    assert snapshot(one) == snapshot(two)
    # the progress counts articles as the files are written, in input order
    assert [p.files_done for p in seen] == list(range(1, len(NEWS) + 1))
    assert seen[-1].articles == 85 and seen[-1].files == len(NEWS)
    assert [Path(p.current).name for p in seen] == sorted(NEWS)


def test_workers_on_each_backend_match_one_process(db_target: Path | str, news: Path,
                                                   tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    _ingest(reference, news, workers=1)
    summary = _ingest(db_target, news, workers=2)
    assert (summary.new, summary.quarantined) == (84, 3)
    assert snapshot(db_target) == snapshot(reference)
    with Store(db_target, readonly=True) as store:
        assert [hit.title for hit in store.search("比亚迪")] == ["比亚迪股价涨3%"]
        assert store.count("Hua Hong") == 3


def test_unchanged_articles_are_skipped_before_extraction(tmp_path: Path, news: Path) -> None:
    db, calls = tmp_path / "news.db", tmp_path / "calls.txt"
    first = _ingest(db, news, workers=2, pipeline=moves(CallLog(calls)))
    extracted = calls.read_text(encoding="utf-8").splitlines()
    # the twin file is extracted unless its original was committed before a worker read it
    assert first.new <= len(extracted) <= first.new + first.unchanged
    calls.unlink()
    before = snapshot(db)
    (news / "a-hua-hong.md").write_text(
        NEWS["a-hua-hong.md"].replace("7.1% to HK$88.40", "7.4% to HK$88.65"), encoding="utf-8")
    again = _ingest(db, news, workers=2, pipeline=moves(CallLog(calls)))
    assert (again.new, again.revised, again.unchanged) == (0, 1, 84)
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "Hua Hong jumps 7% on wafer price rise"]
    after = snapshot(db)
    assert after["stats"]["articles"] == before["stats"]["articles"]
    assert after["stats"]["revisions"] == before["stats"]["revisions"] + 1


def test_a_killed_worker_quarantines_its_file_and_the_run_goes_on(
    tmp_path: Path, news: Path
) -> None:
    (news / "d-kill.txt").write_text("Poison headline\nKILLME rose 5% today.\n", encoding="utf-8")
    db = tmp_path / "news.db"
    summary = _ingest(db, news, workers=2, pipeline=moves(KillOn("KILLME")))
    assert summary.new == 84  # every other article, read by the worker that replaced it
    failed = [e for e in summary.errors if e.reason == "worker_failed"]
    assert [Path(e.origin).name for e in failed] == ["d-kill.txt"]
    assert "exit code -9" in failed[0].detail
    with Store(db, readonly=True) as store:
        rows = {Path(r.origin).name: r for r in store.quarantined()}
    assert rows["d-kill.txt"].reason == "worker_failed" and rows["d-kill.txt"].content_sha256


def test_an_extraction_that_raises_quarantines_that_file(tmp_path: Path, news: Path) -> None:
    db = tmp_path / "news.db"
    summary = _ingest(db, news, workers=2, pipeline=FailingPipeline("比亚迪"))
    assert summary.new == 83
    [failed] = [e for e in summary.errors if e.reason == "worker_failed"]
    assert Path(failed.origin).name == "d-byd.md"
    assert "RuntimeError: extraction broke on '比亚迪'" in failed.detail


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no fork server")
def test_workers_start_with_their_imports_done_and_the_environment_of_their_run(
    tmp_path: Path, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state.txt"
    for run, value in enumerate(["first", "行情 second"]):  # the second run reuses the server
        monkeypatch.setenv("TICKERWIRE_TEST_RUN", value)
        summary = _ingest(tmp_path / f"run-{run}.db", news, workers=2,
                          pipeline=moves(WorkerState(state, "TICKERWIRE_TEST_RUN")))
        assert summary.new == 84
        seen = set(state.read_text(encoding="utf-8").splitlines())
        assert seen == {f"{value}\tTrue"}, seen
        state.unlink()


def test_workers_that_cannot_start_fail_the_run_clearly(tmp_path: Path, news: Path) -> None:
    db = tmp_path / "news.db"
    with pytest.raises(WorkerError, match=r"could not start|before it could start"):
        _ingest(db, news, workers=2, pipeline=moves(Unloadable()))
    with Store(db, readonly=True) as store:
        assert store.stats()["articles"] == 0


def test_a_batch_is_committed_when_full_or_when_its_time_is_up(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    visible: list[int] = []

    def articles(count: int) -> Iterator[Article]:
        for i in range(count):
            with Store(db, readonly=True) as reader:
                visible.append(reader.stats()["articles"])
            yield Article(text=f"Stock 0000{i}.HK rose {i}.5% on report {i}.", title=f"R{i}",
                          lang="en", origin=f"upload-{i}")

    Store(db).close()
    with Store(db) as store:
        ingest_articles(store, articles(7), pipeline=moves(), batch_articles=3)
    assert visible == [0, 0, 0, 3, 3, 3, 6]  # nothing half-written, three at a time
    visible.clear()
    with Store(db) as store:
        run_all = ingest_articles(store, articles(10), pipeline=moves(), batch_articles=1000,
                                  batch_seconds=0.0)
    assert run_all.unchanged == 7 and run_all.new == 3
    # a batch past its time is written as soon as an article joins it (or the next item arrives)
    assert visible[-3:] == [7, 8, 9]


def test_cli_ingest_with_workers(tmp_path: Path, news: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a relative path with a colon and Chinese: each worker process opens it too
    monkeypatch.chdir(tmp_path)
    db = Path("港股 news:2025.db")
    done = CliRunner().invoke(app, ["--db", str(db), "ingest", "--workers", "2", "--json",
                                    str(news)])
    assert done.exit_code == 0, done.output
    assert (tmp_path / db).is_file()
    body = json.loads(done.stdout)
    assert (body["new"], body["quarantined"]) == (84, 3)
    refused = CliRunner().invoke(app, ["--db", str(db), "ingest", "--workers", "0", str(news)])
    assert refused.exit_code == 2 and "--workers" in refused.output


@pytest.mark.parametrize(("value", "accepted"), [("2", True), ("0", False), ("two", False)])
def test_the_default_number_of_workers_comes_from_the_environment(
    tmp_path: Path, news: Path, value: str, accepted: bool
) -> None:
    done = CliRunner().invoke(app, ["--db", str(tmp_path / "n.db"), "ingest", "--json", str(news)],
                              env={"TICKERWIRE_WORKERS": value})
    if accepted:
        assert done.exit_code == 0, done.output
        assert json.loads(done.stdout)["new"] == 84
    else:  # refused like a bad --workers, naming the variable's option
        assert done.exit_code == 2 and "--workers" in done.output


def _articles_in(db: Path) -> int:
    with Store(db, readonly=True, timeout=5) as reader:
        return reader.stats()["articles"]


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [0, 150, 600])
def test_sigkill_of_a_parallel_ingest_then_rerun_equals_one_clean_run(
    tmp_path: Path, kill_after: int
) -> None:
    inputs = tmp_path / "news"
    inputs.mkdir()
    for i in range(900):
        day = date(2025, 10, 1) + timedelta(days=i % 40)
        (inputs / f"{i:04d}.txt").write_text(
            f"Report {i}\nOn {day:%A, %B %d, %Y}, shares of {i % 700 + 1:05d}.HK rose "
            f"{i % 10}.5% on session {i}.\n", encoding="utf-8")
    (inputs / "0450-bad.md").write_bytes(b"\x00\xff binary \x00" * 30)
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    Store(killed).close()
    run = subprocess.Popen([sys.executable, str(RUNNER), str(killed), str(inputs), "2"],
                           stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _articles_in(killed) < kill_after and time.monotonic() < deadline:
        assert run.poll() is None, "the ingest finished before it could be killed"
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    with Store(killed) as store:
        assert store.integrity_check() == []
        written = store.stats()
    assert kill_after <= written["articles"] < 900
    assert written["revisions"] == written["extractions"] == written["articles"]

    rerun = subprocess.run([sys.executable, str(RUNNER), str(killed), str(inputs), "2"],
                           capture_output=True, text=True, check=True, timeout=300)
    summary = json.loads(rerun.stdout)
    assert summary["new"] == 900 - written["articles"]
    assert summary["unchanged"] == written["articles"]
    subprocess.run([sys.executable, str(RUNNER), str(clean), str(inputs), "1"],
                   capture_output=True, text=True, check=True, timeout=300)
    assert snapshot(killed) == snapshot(clean)
