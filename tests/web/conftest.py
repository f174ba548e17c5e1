"""A live server (uvicorn in a thread, free port) over the hand-built corpus, and Chromium.

Browser tests need Debian's Chromium at /usr/bin/chromium (CI installs it); without it they
are skipped. Playwright never downloads a browser here.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from web_support import LiveServer, PageProbe

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _corpus_module() -> ModuleType:
    """The API tests' hand-built corpus (one source of test articles for both suites)."""
    path = Path(__file__).parents[1] / "api" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("api_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("api_corpus", module)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    db = tmp_path_factory.mktemp("web") / "corpus.db"
    ids = _corpus_module().build_store(db)
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(db_path=db)), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", ids)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def probe(browser: Any) -> Iterator[PageProbe]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    found = PageProbe(page)
    page.on("console", lambda msg: found.console_errors.append(msg.text)
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: found.page_errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        found.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield found
    context.close()
