"""Screenshots of the dashboard for the docs: home, a stock page, an article page, search,
stories.

Builds a fresh database from ``examples/news`` with the ingest service and the sample bars of
``examples/prices`` (the stock page charts them; ``stock-prices.png`` is that chart alone), serves the app on a
free local port and saves one PNG per page to ``docs/screenshots/`` with Playwright driving
Debian's Chromium (``/usr/bin/chromium``; nothing is downloaded).

    python scripts/screenshots.py [--out docs/screenshots] [--stock 00981.HK]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from tickerwire import insights
from tickerwire.app import create_app
from tickerwire.extract import build_pipeline
from tickerwire.ingest import ingest_paths
from tickerwire.prices.readers import expand_price_inputs, read_price_files
from tickerwire.refdata.master import load_master
from tickerwire.settings import Settings
from tickerwire.store import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def build_database(path: Path, news: Path, prices: Path, settings: Settings) -> None:
    """Ingest the sample news with the default pipeline and import the sample prices."""
    with Store(path) as store:
        summary = ingest_paths(
            store, [str(news)], pipeline=build_pipeline(), max_bytes=settings.max_file_bytes
        )
        imported = store.import_bars(read_price_files(expand_price_inputs([str(prices)]), load_master()))
    print(f"ingested {summary.articles} articles ({summary.quarantined} quarantined), "
          f"{imported.new} price bars")


def pick_article(path: Path, stock: str) -> str:
    """The stock's article with the most facts (the richest page to show)."""
    with Store(path, readonly=True) as store:
        page = insights.search_articles(store, "", security=stock, limit=50)
        views = [insights.article_view(store, hit.id) for hit in page.results]
    if not views:
        raise SystemExit(f"no article mentions {stock}: is examples/news complete?")
    return max(views, key=lambda v: (len(v.facts), len(v.mentions))).id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(settings: Settings) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def shoot(base: str, pages: dict[str, str], out: Path) -> list[str]:
    """Save a full-page PNG of each page; return the console errors seen."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900},
                                      device_scale_factor=1)
        page = context.new_page()
        page.on("console", lambda m: errors.append(f"{page.url}: {m.text}")
                if m.type == "error" else None)
        for name, path in pages.items():
            page.goto(base + path, wait_until="networkidle")
            if page.locator("[data-chart]").count():
                page.wait_for_selector("[data-chart] .main-svg", timeout=20_000)
                page.wait_for_timeout(500)
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            if name == "stock" and page.locator("#chart-prices").count():
                chart = out / "stock-prices.png"  # the price chart on its own, for docs/prices.md
                page.locator("#prices").screenshot(path=str(chart))
                print(f"wrote {chart.relative_to(ROOT) if chart.is_relative_to(ROOT) else chart}")
        browser.close()
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=ROOT / "examples" / "news")
    parser.add_argument("--prices", type=Path, default=ROOT / "examples" / "prices")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--stock", default="00981.HK", help="Stock page to capture.")
    parser.add_argument("--search", default="SMIC", help="Search words to capture.")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_path=Path(tmp) / "screenshots.db")
        build_database(settings.db_path, args.news, args.prices, settings)
        article_id = pick_article(settings.db_path, args.stock)
        pages = {
            "home": "/",
            "stock": f"/stock/{args.stock}",
            "article": f"/article/{article_id}",
            "search": f"/search?q={args.search}",
            "stories": "/stories?min_articles=2",
        }
        with running(settings) as base:
            errors = shoot(base, pages, args.out)
    for error in errors:
        print(f"console error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
