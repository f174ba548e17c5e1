"""The home page in Chromium: latest news, gainers and losers, IPO dates with their year, a day
without news, and tables that never scroll inside their boxes on a desktop screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from web_support import LiveServer

pytestmark = pytest.mark.browser

DESKTOPS = [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}]
PHONE = {"width": 390, "height": 844}
PAGES = ["/?date=2025-10-24", "/?date=2025-10-21", "/stock/00981.HK", "/stock/中芯国际",
         "/article/{smic_rally}", "/article/{smic_zh}"]

# Every element whose own content scrolls (a box with scrollbars inside the page).
_INNER_SCROLLERS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const scrolls = (axis) => ['auto', 'scroll'].includes(style['overflow' + axis]);
    const wide = scrolls('X') && el.scrollWidth > el.clientWidth + 1;
    const tall = scrolls('Y') && el.scrollHeight > el.clientHeight + 1;
    if (wide || tall) out.push(el.tagName + '.' + el.className + (wide ? ' wide' : ' tall'));
  }
  return out;
}"""
_PAGE_WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def open_at(browser: Any) -> Any:
    contexts: list[Any] = []

    def open_page(url: str, viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", DESKTOPS, ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("path", PAGES)
def test_no_box_scrolls_on_a_desktop_screen(
    live_server: LiveServer, open_at: Any, path: str, viewport: dict[str, int]
) -> None:
    page = open_at(live_server.url + path.format(**live_server.ids), viewport)
    assert page.evaluate(_INNER_SCROLLERS) == []
    assert not page.evaluate(_PAGE_WIDER_THAN_SCREEN)


@pytest.mark.parametrize("viewport", [PHONE, {"width": 375, "height": 800}], ids=["390", "375"])
@pytest.mark.parametrize("path", [*PAGES, "/search?q=SMIC"])
def test_on_a_phone_only_wide_tables_scroll_sideways(
    live_server: LiveServer, open_at: Any, path: str, viewport: dict[str, int]
) -> None:
    page = open_at(live_server.url + path.format(**live_server.ids), viewport)
    scrollers = page.evaluate(_INNER_SCROLLERS)
    assert all(s.endswith(" wide") for s in scrollers), scrollers
    assert not page.evaluate(_PAGE_WIDER_THAN_SCREEN)


def test_latest_news_lists_the_newest_first(live_server: LiveServer, open_at: Any) -> None:
    page = open_at(f"{live_server.url}/?date=2025-10-21", DESKTOPS[0])
    items = page.locator("#latest li")
    assert items.count() >= 4
    stamps = [re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", items.nth(i).inner_text())
              for i in range(items.count())]
    days = [m.group(0) for m in stamps if m]
    assert days == sorted(days, reverse=True) and days[0].startswith("2025-10-24")
    first = items.first.locator("a")
    assert first.get_attribute("href", timeout=1000).startswith("/article/")


def test_movers_are_split_into_gainers_and_losers(live_server: LiveServer, open_at: Any) -> None:
    page = open_at(f"{live_server.url}/?date=2025-10-24", DESKTOPS[0])
    gainers = page.locator("#movers table.movers").first.inner_text()
    assert page.locator("#gainers").inner_text() == "Gainers"
    assert page.locator("#losers").inner_text() == "Losers"
    assert "00981.HK" in gainers and "+5.20%" in gainers
    moves = page.locator("#movers td.num.up, #movers td.num.down")
    signs = [moves.nth(i).inner_text()[0] for i in range(moves.count())]
    assert signs == sorted(signs, key=lambda sign: sign != "+")  # every rise before every fall


def test_ipo_milestones_show_the_year(live_server: LiveServer, open_at: Any) -> None:
    page = open_at(f"{live_server.url}/?date=2025-10-24", DESKTOPS[0])
    milestones = page.locator("#ipos tbody td.sub").all_inner_texts()
    assert any(re.search(r"\b2025-\d{2}-\d{2}\b", text) for text in milestones), milestones


def test_a_day_without_news_links_the_nearest_days(live_server: LiveServer, open_at: Any) -> None:
    page = open_at(f"{live_server.url}/?date=2025-10-20", DESKTOPS[0])
    brief = page.locator("#brief").inner_text()
    assert brief.count("No news is dated Monday, 20 October 2025") == 1
    assert "Nothing reported" not in brief
    links = page.locator("#nearest-news a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "/?date=2025-10-13", "/?date=2025-10-21"]
    links.last.click()
    page.wait_for_url("**/?date=2025-10-21")
    assert "2025-10-21" in page.locator("h1").inner_text()


def test_the_check_sees_a_box_that_scrolls(live_server: LiveServer, open_at: Any) -> None:
    page = open_at(f"{live_server.url}/stock/00981.HK", DESKTOPS[0])
    page.add_style_tag(content=".scroll { max-height: 3rem; overflow: auto; }")
    assert any(s.endswith(" tall") for s in page.evaluate(_INNER_SCROLLERS))
