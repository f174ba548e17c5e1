"""Hostile article text renders inert everywhere it appears."""

from __future__ import annotations

import pytest
from web_support import LiveServer, PageProbe

pytestmark = pytest.mark.browser

HOSTILE_PAGES = ["/article/tw-xss", "/search?q=Chipmakers", "/stock/00981.HK", "/?date=2025-10-24"]


def assert_inert(probe: PageProbe) -> None:
    page = probe.page
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert probe.dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("[onerror], [onload], [onclick]").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    inline = page.evaluate(
        "Array.from(document.scripts).filter(s => !s.src && s.type !== 'application/json')"
        ".length"
    )
    assert inline == 0
    executable_with_alert = page.evaluate(
        "Array.from(document.scripts).filter(s => s.type !== 'application/json')"
        ".some(s => s.text.includes('alert'))"
    )
    assert executable_with_alert is False
    raw_markup_in_data = page.evaluate(
        "Array.from(document.querySelectorAll('script[type=\"application/json\"]'))"
        ".some(s => s.textContent.includes('<'))"
    )
    assert raw_markup_in_data is False


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_markup_is_inert(live_server: LiveServer, probe: PageProbe, path: str) -> None:
    response = probe.page.goto(live_server.url + path)
    assert response is not None and response.status == 200
    assert_inert(probe)
    assert probe.page_errors == []


def test_hostile_article_text_is_shown_escaped(live_server: LiveServer, probe: PageProbe) -> None:
    probe.page.goto(f"{live_server.url}/article/tw-xss")
    assert_inert(probe)
    page = probe.page
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    body = page.locator(".article-text").inner_text()
    assert "<img src=x onerror=alert(1)>" in body
    assert '<a href="javascript:alert(1)">here</a>' in body
    assert "<b>Evil</b> Wire" in page.locator(".article-meta").inner_text()
    assert page.locator(".article-meta b").count() == 0


def test_pages_send_a_strict_content_security_policy(live_server: LiveServer,
                                                     probe: PageProbe) -> None:
    response = probe.page.goto(f"{live_server.url}/stock/00981.HK")
    assert response is not None
    csp = response.headers["content-security-policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
