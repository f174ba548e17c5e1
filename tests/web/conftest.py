"""A live server (uvicorn in a thread, free port) over the hand-built corpus, and Chromium.

Every database the dashboard tests read is made on each backend (``backend`` in
tests/conftest.py: SQLite, and PostgreSQL where a server can start), like the API tests'.
Browser tests need Debian's Chromium at /usr/bin/chromium (CI installs it); without it they
are skipped. Playwright never downloads a browser here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from web_support import LiveServer, PageProbe, serving

from pg_server import new_target

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


@pytest.fixture(scope="module")
def module_target(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | str]:
    """A fresh database for one test module, on each backend: a SQLite file or a server URL."""
    yield from new_target(backend, request, tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def live_server(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    for target in new_target(backend, request, tmp_path_factory.mktemp("web")):
        ids = _corpus_module().build_store(target)
        with serving(target) as url:
            yield LiveServer(url, ids)


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
