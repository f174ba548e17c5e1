"""``Watcher`` and ``tickerwire watch`` end to end: a folder, a feed server whose feed changes,
a webhook receiver and a JSON Lines file; stopped and started again without loss or repeats."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import live_articles as articles
import pytest
from live_support import FeedServer, WebhookReceiver, rss
from typer.testing import CliRunner

from tickerwire.cli import app
from tickerwire.errors import StoreError
from tickerwire.extract import Pipeline
from tickerwire.live.feeds import FeedsConfig
from tickerwire.live.rules import AlertsConfig
from tickerwire.live.watch import Watcher, WatchSummary, watched_file
from tickerwire.store import Store

ALIBABA_ITEM = ("baba-1", "阿里巴巴周五收涨", "2025年10月24日，阿里巴巴(09988.HK)周五收涨3.1%，报162.4港元。")
HSBC_ITEM = ("hsbc-1", "滙豐控股股價回落", "2025年10月24日，滙豐控股(00005.HK)周五收跌1.2%，報99.5港元。")


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def land(folder: Path, name: str, text: str) -> None:
    """Write a file the way a downloader should: a hidden temporary name, then a rename."""
    temporary = folder / f".{name}.part"
    temporary.write_text(text, encoding="utf-8")
    temporary.rename(folder / name)


def alerts_config(tmp_path: Path, webhook: WebhookReceiver) -> AlertsConfig:
    return AlertsConfig.model_validate({
        "channels": {"log": {"type": "jsonl", "path": str(tmp_path / "alerts.jsonl")},
                     "hook": {"type": "webhook", "url": webhook.url + "/hook", "secret": "k"}},
        "rules": [{"id": "names", "kind": "watchlist", "securities": ["Tencent", "BABA", "HSBC"]}],
    })


@contextmanager
def running(watcher: Watcher) -> Iterator[WatchSummary]:
    done: list[WatchSummary] = []
    thread = threading.Thread(target=lambda: done.append(watcher.run()))
    thread.start()
    try:
        wait_for(lambda: watcher.started.is_set() or not thread.is_alive(), "the watcher to start")
        yield watcher.summary
    finally:
        watcher.stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive() and done and not done[0].errors


def test_files_and_feed_items_fire_alerts_to_every_channel_across_a_restart(
    tmp_path: Path, pipeline: Pipeline, feed_server: FeedServer, webhook: WebhookReceiver
) -> None:
    inbox = tmp_path / ".desk" / "inbox"  # a hidden folder above the watched one does not matter
    inbox.mkdir(parents=True)
    db = tmp_path / "live.db"
    feed_url = feed_server.publish("/cn.xml", rss([HSBC_ITEM], title="CN desk"))
    feeds = FeedsConfig.model_validate({"interval": 0.2, "feeds": [{"url": feed_url}]})
    alerts = alerts_config(tmp_path, webhook)

    def watcher() -> Watcher:
        return Watcher(db, folders=[inbox], feeds=feeds, alerts=alerts, max_bytes=1 << 20,
                       tick=0.1, pipeline=pipeline)

    def titles() -> list[str]:
        return [a["article"]["title"] for a in webhook.delivered()]

    def jsonl_lines() -> list[str]:
        path = tmp_path / "alerts.jsonl"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    with running(watcher()) as summary:
        wait_for(lambda: "滙豐控股股價回落" in titles(), "the feed's first item")
        land(inbox, "tencent.txt", articles.TENCENT_SLUMP)
        wait_for(lambda: "Tencent shares slump after gaming curbs" in titles(), "the file's alert")
        feed_server.publish("/cn.xml", rss([ALIBABA_ITEM, HSBC_ITEM], title="CN desk"))
        wait_for(lambda: "阿里巴巴周五收涨" in titles(), "the feed's new item")
        land(inbox, "readme.md", "# Notes\n\nNot news.")  # skipped, like hidden files
    assert (summary.new, summary.quarantined) == (3, 0)

    land(inbox, "byd.txt", articles.BYD_SLIDE)  # lands while the watcher is stopped
    (inbox / "tencent.txt").write_text(articles.TENCENT_SLUMP.replace("6.2%", "6.3%"), encoding="utf-8")
    with running(watcher()) as summary:
        wait_for(lambda: summary.new == 2 and summary.polls >= 2 and len(jsonl_lines()) == 4,
                 "the start-up scan, a poll and the changed file's alert")
    # BYD, and Tencent's changed file (without a URL, changed text is another article)
    assert (summary.new, summary.unchanged) == (2, 0)

    assert sorted(titles()) == sorted(["滙豐控股股價回落", "Tencent shares slump after gaming curbs",
                                       "阿里巴巴周五收涨", "Tencent shares slump after gaming curbs"])
    lines = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert [line["id"] for line in lines] == [1, 2, 3, 4]  # each alert once, in order
    assert lines[3]["article"]["title"] == "Tencent shares slump after gaming curbs"
    statuses = [hit.status for hit in feed_server.hits]
    assert statuses.count(200) == 2 and 304 in statuses  # polled again only when it changed
    with Store(db) as store:
        assert store.stats()["articles"] == 5
        assert store.delivery_counts() == {"delivered": 8}
        [state] = store.feed_states().values()
        assert state.etag is not None and state.failures == 0


def test_a_failing_feed_does_not_stop_the_folder(
    tmp_path: Path, pipeline: Pipeline, webhook: WebhookReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feeds = FeedsConfig.model_validate({"interval": 0.2, "feeds": [{"url": "http://127.0.0.1:9/gone.xml"}]})
    watcher = Watcher(tmp_path / "live.db", folders=[inbox], feeds=feeds,
                      alerts=alerts_config(tmp_path, webhook), max_bytes=1 << 20, tick=0.1,
                      pipeline=pipeline)
    with running(watcher) as summary:
        land(inbox, "hsbc.txt", articles.HSBC_HANT)
        wait_for(lambda: webhook.delivered() and summary.poll_failures >= 2, "an alert and failed polls")
    assert "gone.xml: poll failed (ConnectError" in caplog.text


@pytest.mark.parametrize(
    ("path", "kept"),
    [("news/2025-10-24-hk.md", True), ("news/.hidden.md", False), ("news/a.md.part", False),
     ("news/a.md~", False), ("news/README.md", False), (".git/x/a.md", False), ("feed.xml", True),
     ("新闻/腾讯.txt", True), ("a/b/c/.cache/d.md", False)],
)
def test_which_files_are_watched(path: str, kept: bool) -> None:
    assert watched_file(Path(path)) is kept


def test_cli_watch_once_and_its_errors(tmp_path: Path, webhook: WebhookReceiver) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    land(inbox, "tencent.txt", articles.TENCENT_SLUMP)
    rules = tmp_path / "alerts.yaml"
    rules.write_text(f"channels:\n  log: {{type: jsonl, path: {tmp_path / 'a.jsonl'}}}\n"
                     "rules: [{id: t, kind: watchlist, securities: ['700 HK']}]\n", encoding="utf-8")
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    first = runner.invoke(app, ["--db", db, "watch", str(inbox), "--alerts", str(rules), "--once", "--backlog"])
    assert first.exit_code == 0, first.output
    assert "1 new, 0 revised, 0 unchanged, 0 quarantined; 1 alert(s)" in first.output
    again = runner.invoke(app, ["--db", db, "watch", str(inbox), "--alerts", str(rules), "--once"])
    assert "0 new, 0 revised, 1 unchanged, 0 quarantined; 0 alert(s)" in again.output
    assert len((tmp_path / "a.jsonl").read_text().splitlines()) == 1
    nothing = runner.invoke(app, ["--db", db, "watch", "--once"])
    assert nothing.exit_code == 2 and "nothing to watch" in nothing.output
    rules.write_text("rules: [{id: t, kind: watchlist, securities: ['No Such Company Ltd']}]\n")
    bad = runner.invoke(app, ["--db", db, "watch", str(inbox), "--alerts", str(rules), "--once"])
    assert bad.exit_code == 2 and "not a known security" in bad.output


@pytest.mark.slow  # a new process builds its pipeline
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_command_stops_cleanly_on_a_signal(tmp_path: Path, signum: int) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    command = [sys.executable, "-c", "from tickerwire.cli import main; main()",
               "--db", str(tmp_path / "sig.db"), "watch", str(inbox)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "Watching" in line and "Ctrl-C stops" in line
        land(inbox, "hsbc.txt", articles.HSBC_HANT)
        wait_for(lambda: (tmp_path / "sig.db").exists() and _articles(tmp_path / "sig.db") == 1,
                 "the file to be stored")
        process.send_signal(signum)
        rest = process.stderr.read()
        assert process.wait(timeout=60) == 0, rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "watch stopped: 1 new" in rest
    # A file landing before the watcher's start-up scan is seen twice, the second time skipped
    # as unchanged (``Watcher._run``): the server may answer before that scan has run.
    assert re.search(r"1 new, 0 revised, [01] unchanged, 0 quarantined; 0 alert\(s\)", rest), rest


def _articles(db: Path) -> int:
    try:
        with Store(db, readonly=True) as store:
            return store.stats()["articles"]
    except StoreError:  # still being created by the watcher
        return 0


def test_serve_watch_serves_and_ingests_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --watch``: while the server runs, a file landing in the folder is stored and its
    alert delivered; when the server stops, the watcher stops with it."""
    from tickerwire.server import run as server_run

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "served.db"
    with Store(db):
        pass
    rules = tmp_path / "alerts.yaml"
    rules.write_text(f"channels:\n  log: {{type: jsonl, path: {tmp_path / 'a.jsonl'}}}\n"
                     "rules: [{id: t, kind: watchlist, securities: ['700 HK']}]\n", encoding="utf-8")
    seen: list[int] = []

    def fake_serve(app: object, sock: object, **_: object) -> None:  # the server's lifetime
        land(inbox, "tencent.txt", articles.TENCENT_SLUMP)
        wait_for(lambda: _articles(db) == 1, "the file to be stored")
        wait_for(lambda: (tmp_path / "a.jsonl").exists(), "the alert to be delivered")
        seen.append(_articles(db))

    monkeypatch.setattr(server_run, "serve", fake_serve)
    result = CliRunner().invoke(app, ["--db", str(db), "serve", "--port", str(_free_port()),
                                      "--watch", str(inbox), "--alerts", str(rules)])
    assert result.exit_code == 0, result.output
    assert seen == [1]
    assert "Watching" in result.stderr and "Ctrl-C stops both" in result.stderr
    assert "1 new, 0 revised, 0 unchanged, 0 quarantined; 1 alert(s)" in result.stderr
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_serve_alerts_without_anything_to_watch_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "served.db"
    with Store(db):
        pass
    rules = tmp_path / "alerts.yaml"
    rules.write_text("rules: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", str(db), "serve", "--alerts", str(rules)])
    assert result.exit_code == 2 and "--watch" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow  # a new process builds its pipeline
def test_serve_watch_command_serves_what_lands_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "served.db"
    with Store(db):
        pass
    port = _free_port()
    command = [sys.executable, "-c", "from tickerwire.cli import main; main()",
               "--db", str(db), "serve", "--port", str(port), "--watch", str(inbox)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               text=True, env=env)
    try:
        assert process.stderr is not None
        assert "Watching" in process.stderr.readline()

        def served_articles() -> int:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=5).json()
            except httpx.HTTPError:
                return -1
            return int(body["total"])

        wait_for(lambda: served_articles() == 0, "the server to answer")
        land(inbox, "hsbc.txt", articles.HSBC_HANT)
        wait_for(lambda: served_articles() == 1, "the file to be served")
        process.send_signal(signal.SIGINT)
        rest = process.stderr.read()
        assert process.wait(timeout=60) in (0, 130), rest  # 130: interrupted, as plain serve
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "watch stopped: 1 new" in rest
    # A file landing before the watcher's start-up scan is seen twice, the second time skipped
    # as unchanged (``Watcher._run``): the server may answer before that scan has run.
    assert re.search(r"1 new, 0 revised, [01] unchanged, 0 quarantined; 0 alert\(s\)", rest), rest
