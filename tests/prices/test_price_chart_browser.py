"""The price chart draws in Chromium: one line per listing, the news and the verdict markers."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_stock_page_draws_the_price_chart(priced_db: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    import uvicorn

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db_path=priced_db)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    errors: list[str] = []

    def chart() -> tuple[list[str], int]:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page: Any = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"http://127.0.0.1:{port}/stock/00981.HK", wait_until="networkidle")
            page.wait_for_selector("#chart-prices .main-svg", timeout=20_000)
            names = page.evaluate(
                "() => document.getElementById('chart-prices').data.map(t => t.name)")
            lines = page.locator("#chart-prices .scatterlayer .trace").count()
            browser.close()
        return names, lines

    try:
        # Playwright's sync API refuses to run where an asyncio loop is running; a thread of its
        # own never has one, whatever earlier tests left in the main thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            names, lines = pool.submit(chart).result()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert errors == []
    assert names[:2] == ["00981.HK", "688981.SH"]
    assert "News (sentiment)" in names and "Reported number, contradicted" in names
    assert lines == len(names)
