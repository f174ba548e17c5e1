"""Polling feeds over HTTP from a local server whose feeds change between polls."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from live_support import FeedServer, rss

from tickerwire.errors import InvalidInputError
from tickerwire.live.feeds import FeedPoller, FeedsConfig, load_feeds
from tickerwire.store import FeedState, Store

T0 = datetime(2025, 10, 24, 8, 0, tzinfo=UTC)
ITEM_1 = ("a1", "Tencent shares slump after gaming curbs", "Tencent Holdings fell 6.2% on Friday.")
ITEM_2 = ("a2", "阿里巴巴周五收涨", "阿里巴巴(09988.HK)周五收涨3.1%。")


def poller(server: FeedServer, client: httpx.Client, **settings: object) -> FeedPoller:
    config = FeedsConfig.model_validate(
        {"interval": 60, "max_backoff": 600, "feeds": [{"url": server.url + "/hk.xml", "name": "HK"}],
         **settings})
    return FeedPoller(config, client, max_bytes=1 << 20)


def test_conditional_requests_and_changes(feed_server: FeedServer) -> None:
    feed_server.publish("/hk.xml", rss([ITEM_1]))
    with httpx.Client() as client:
        feeds = poller(feed_server, client)
        [feed] = feeds.config.feeds
        first = feeds.poll(feed, None, T0)
        assert first.body is not None and b"gaming curbs" in first.body
        assert first.state.etag and first.state.last_modified
        assert first.state.next_poll_at == T0 + timedelta(seconds=60)
        unchanged = feeds.poll(feed, first.state, T0 + timedelta(seconds=60))
        assert unchanged.body is None and unchanged.state.last_status == 304
        feed_server.publish("/hk.xml", rss([ITEM_2, ITEM_1]))
        changed = feeds.poll(feed, unchanged.state, T0 + timedelta(seconds=120))
        assert changed.body is not None and "阿里巴巴".encode() in changed.body
        assert changed.state.etag != first.state.etag
    sent = [hit.headers for hit in feed_server.hits]
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == first.state.etag
    assert sent[1]["if-modified-since"] == first.state.last_modified
    assert [hit.status for hit in feed_server.hits] == [200, 304, 200]


def test_backoff_doubles_and_logs_one_line_per_failure(
    feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="tickerwire.live.feeds")
    feed_server.publish("/hk.xml", rss([ITEM_1]))
    feed_server.fail("/hk.xml", 503, times=5)
    with httpx.Client() as client:
        feeds = poller(feed_server, client)
        [feed] = feeds.config.feeds
        state, waits = None, []
        now = T0
        for _ in range(5):
            fetched = feeds.poll(feed, state, now)
            state = fetched.state
            assert state.next_poll_at is not None
            waits.append((state.next_poll_at - now).total_seconds())
            now = state.next_poll_at
        assert waits == [60, 120, 240, 480, 600]  # capped at max_backoff
        assert state is not None and state.failures == 5 and state.last_error == "HTTP 503"
        recovered = feeds.poll(feed, state, now)
    assert recovered.body is not None and recovered.state.failures == 0
    failures = [r.getMessage() for r in caplog.records if "poll failed" in r.getMessage()]
    assert len(failures) == 5
    assert failures[0] == (f"feed HK ({feed_server.url}/hk.xml): poll failed (HTTP 503); "
                           "failure 1 in a row, next try in 60 s")
    assert "back after 5 failure(s)" in caplog.text


def test_retry_after_is_honoured(feed_server: FeedServer) -> None:
    feed_server.fail("/hk.xml", 429, headers={"Retry-After": "900"})
    with httpx.Client() as client:
        feeds = poller(feed_server, client)
        fetched = feeds.poll(feeds.config.feeds[0], None, T0)
    assert fetched.state.next_poll_at == T0 + timedelta(seconds=900)


def test_unreachable_and_oversized_feeds_are_failures(feed_server: FeedServer) -> None:
    feed_server.publish("/big.xml", rss([ITEM_1] * 200))
    with httpx.Client() as client:
        config = FeedsConfig.model_validate({"feeds": [{"url": "http://127.0.0.1:9/feed"},
                                                       {"url": feed_server.url + "/big.xml"}]})
        feeds = FeedPoller(config, client, max_bytes=2_000)
        closed, big = (feeds.poll(feed, None, T0) for feed in config.feeds)
    assert closed.body is None and closed.state.failures == 1
    assert closed.state.last_error is not None and closed.state.last_error.startswith("ConnectError")
    assert big.body is None and big.state.last_error is not None and "over" in big.state.last_error


def test_due_feeds_follow_their_own_interval(feed_server: FeedServer) -> None:
    config = FeedsConfig.model_validate({"interval": 300, "feeds": [
        {"url": feed_server.url + "/a.xml"}, {"url": feed_server.url + "/b.xml", "interval": 30}]})
    with httpx.Client() as client:
        feeds = FeedPoller(config, client, max_bytes=1 << 20)
        states = {feed.url: FeedState(feed.url, next_poll_at=T0 + timedelta(seconds=config.interval_of(feed)))
                  for feed in config.feeds}
        assert feeds.due({}, T0) == config.feeds
        assert [f.url for f in feeds.due(states, T0 + timedelta(seconds=31))] == [config.feeds[1].url]
        assert feeds.due(states, T0 + timedelta(seconds=301)) == config.feeds


def test_feed_state_survives_in_the_store(tmp_path: Path) -> None:
    state = FeedState("http://127.0.0.1:1/x.xml", etag='"abc"', last_modified="Fri, 24 Oct 2025 08:00:00 GMT",
                      last_polled_at=T0, last_status=200, failures=0, next_poll_at=T0 + timedelta(minutes=5))
    with Store(tmp_path / "f.db") as store:
        store.save_feed_state(state)
        store.save_feed_state(state)  # an upsert, not a second row
    with Store(tmp_path / "f.db") as store:
        assert store.feed_states() == {state.url: state}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feeds: [{url: 'file:///etc/passwd'}]", "String should match pattern"),
        ("feeds: [{url: 'http://a/x'}, {url: 'http://a/x'}]", "feeds listed twice: http://a/x"),
        ("interval: 0\nfeeds: []", "greater than 0"),
        ("feeds: [{url: 'http://a/x', every: 5}]", "Extra inputs"),
    ],
)
def test_bad_feeds_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"feeds\.yaml") as caught:
        load_feeds(path)
    assert message in str(caught.value)


def test_a_json_feed_is_read_like_rss(feed_server: FeedServer) -> None:
    from tickerwire.sources import read_bytes

    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "CN desk", "items": [
        {"id": "z1", "url": "https://wire.example/z1", "title": "滙豐控股股價回落",
         "content_text": "滙豐控股(00005.HK)周五收跌1.2%。", "date_published": "2025-10-24T08:00:00Z"},
        {"id": "z2", "url": "https://wire.example/z2", "title": "HSBC edges lower",
         "content_html": "<p>HSBC fell 1.2% on Friday.</p>", "authors": [{"name": "Desk"}]}]},
        ensure_ascii=False)
    url = feed_server.publish("/cn.json", body, "application/feed+json")
    with httpx.Client() as client:
        config = FeedsConfig.model_validate({"feeds": [{"url": url}]})
        fetched = FeedPoller(config, client, max_bytes=1 << 20).poll(config.feeds[0], None, T0)
    assert fetched.body is not None and fetched.filename == "cn.json"
    first, second = read_bytes(fetched.body, origin=url, filename=fetched.filename)
    assert not isinstance(first, Exception) and not isinstance(second, Exception)
    assert (first.title, first.lang, first.source, first.date_source) == ("滙豐控股股價回落", "zh", "CN desk", "feed")
    assert second.text == "HSBC edges lower\n\nHSBC fell 1.2% on Friday." and second.author == "Desk"
