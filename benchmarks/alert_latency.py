"""Alert latency of ``tickerwire watch``: from a file landing (or a feed item appearing) to its
alert written by the JSON Lines channel, p50/p90/p99 over many items.

    python benchmarks/alert_latency.py                  # 1,000 files and 300 feed items
    python benchmarks/alert_latency.py --files 200 --feed-items 0 --no-write

A watcher runs in this process (its own threads, as under ``tickerwire watch``) over a fresh
database, one inbox folder and one feed served from 127.0.0.1, with a watchlist rule that
every item matches. Items are news stories written here (English and 简体, a listed company
each, numbers varied), landed one at a time every ``--gap`` seconds: a file is written under a
hidden name and renamed into the folder; a feed item is added at the top of the feed (the
newest 20 kept), which the watcher polls every ``--feed-interval`` seconds with conditional
requests. Latency = the channel's ``delivered_at`` − the moment the item landed. Rewrites the
block between the RESULTS markers of docs/live.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tickerwire.live.feeds import FeedsConfig
from tickerwire.live.rules import AlertsConfig
from tickerwire.live.watch import Watcher

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- RESULTS:START -->", "<!-- RESULTS:END -->"
COMPANIES = (
    ("Tencent Holdings", "腾讯控股", "00700.HK"),
    ("Alibaba Group", "阿里巴巴", "09988.HK"),
    ("SMIC", "中芯国际", "00981.HK"),
    ("BYD", "比亚迪", "01211.HK"),
    ("HSBC Holdings", "汇丰控股", "00005.HK"),
    ("Meituan", "美团", "03690.HK"),
    ("Xiaomi", "小米集团", "01810.HK"),
    ("Hua Hong Semiconductor", "华虹半导体", "01347.HK"),
)


def story(n: int) -> tuple[str, str]:
    """(title, text) of item ``n``: alternately English and 简体."""
    en, zh, code = COMPANIES[n % len(COMPANIES)]
    pct = 0.5 + (n * 37 % 90) / 10
    price = 20 + (n * 53 % 5000) / 10
    day = 1 + n % 28
    if n % 2:
        title = f"{zh}股价变动（第{n}号）"
        return title, (f"{title}\n\n2025年10月{day}日，{zh}({code})周五收涨{pct:.1f}%，报{price:.2f}港元，"
                       f"成交额{n % 90 + 10}亿港元。")
    title = f"{en} shares move, item {n}"
    return title, (f"{title}\n\nHONG KONG, October {day}, 2025 - Shares of {en} ({code}) rose "
                   f"{pct:.1f}% to HK${price:.2f} on Friday; turnover reached HK${n % 90 + 10} "
                   "billion.")


class FeedServer:
    """One RSS feed on 127.0.0.1 with ETag/Last-Modified and 304s; ``add`` puts an item on top."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []
        self.body = b""
        self.etag = '""'
        self.modified = formatdate(usegmt=True)
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with owner.lock:
                    body, etag, modified = owner.body, owner.etag, owner.modified
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                for key, value in (("Content-Type", "application/rss+xml"), ("ETag", etag),
                                   ("Last-Modified", modified), ("Content-Length", str(len(body)))):
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.add(None)

    def add(self, item: tuple[str, str, str] | None) -> None:
        with self.lock:
            if item is not None:
                self.items = [item, *self.items][:20]
            entries = "".join(
                f"<item><guid>{guid}</guid><link>https://wire.example/{guid}</link>"
                f"<title>{escape(title)}</title><description>{escape(text)}</description></item>"
                for guid, title, text in self.items)
            self.body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                         f"<title>Bench wire</title>{entries}</channel></rss>").encode()
            self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'
            self.modified = formatdate(usegmt=True)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def delivered(path: Path) -> Iterator[dict[str, Any]]:
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            yield json.loads(line)


def run(files: int, feed_items: int, gap: float, feed_interval: float) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inbox = work / "inbox"
        inbox.mkdir()
        out = work / "alerts.jsonl"
        feed = FeedServer()
        alerts = AlertsConfig.model_validate({
            "channels": {"log": {"type": "jsonl", "path": str(out)}},
            "rules": [{"id": "desk", "kind": "watchlist", "securities": [c[2] for c in COMPANIES]}],
        })
        feeds = FeedsConfig.model_validate({"interval": feed_interval, "feeds": [{"url": feed.url}]})
        watcher = Watcher(work / "bench.db", folders=[inbox], feeds=feeds, alerts=alerts,
                          max_bytes=1 << 20, tick=0.2)
        thread = threading.Thread(target=watcher.run)
        thread.start()
        if not watcher.started.wait(120):
            raise SystemExit("the watcher did not start")
        landed: dict[str, tuple[str, float]] = {}
        for n in range(files):
            title, text = story(n)
            hidden = inbox / f".item-{n:05d}.txt.part"
            hidden.write_text(text, encoding="utf-8")
            landed[title] = ("file", time.time())
            hidden.rename(inbox / f"item-{n:05d}.txt")
            time.sleep(gap)
        for n in range(files, files + feed_items):
            title, text = story(n)
            feed.add((f"item-{n}", title, text.split("\n\n", 1)[1]))
            landed[title] = ("feed", time.time())
            time.sleep(gap)
        deadline = time.monotonic() + 120
        while len(list(delivered(out))) < len(landed) and time.monotonic() < deadline:
            time.sleep(0.2)
        watcher.stop.set()
        thread.join()
        feed.close()
        latencies: dict[str, list[float]] = {"file": [], "feed": []}
        for alert in delivered(out):
            kind, at = landed.pop(alert["article"]["title"])
            latencies[kind].append(datetime.fromisoformat(alert["delivered_at"]).timestamp() - at)
        if landed:
            raise SystemExit(f"{len(landed)} items got no alert: {', '.join(landed)}")
        return latencies


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def render(latencies: dict[str, list[float]], args: argparse.Namespace) -> str:
    lines = [
        f"Measured by `python benchmarks/alert_latency.py` on {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores (shared); one item every {args.gap:g} s, "
        f"feed polled every {args.feed_interval:g} s.",
        "",
        "| items arrive as | items | p50 | p90 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, label in (("file", "files landing in a watched folder"), ("feed", "items appearing in an RSS feed")):
        values = latencies[kind]
        if values:
            cells = [f"{percentile(values, q) * 1000:,.0f} ms" for q in (50, 90, 99)]
            lines.append(f"| {label} | {len(values):,} | {' | '.join(cells)} | {max(values) * 1000:,.0f} ms |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--feed-items", type=int, default=300)
    ap.add_argument("--gap", type=float, default=0.25, help="seconds between two items landing")
    ap.add_argument("--feed-interval", type=float, default=1.0, help="seconds between feed polls")
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    args = ap.parse_args()
    table = render(run(args.files, args.feed_items, args.gap, args.feed_interval), args)
    print(table)
    if not args.no_write:
        doc = ROOT / "docs" / "live.md"
        text = doc.read_text(encoding="utf-8")
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        doc.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
