"""The dashboard's search: the header box jumps to a stock or searches, snippets mark the
matched words (escaped), facets narrow the results, and the header fits a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from web_support import LiveServer, PageProbe


def go(live_server: LiveServer, q: str) -> httpx.Response:
    return httpx.get(f"{live_server.url}/go", params={"q": q}, follow_redirects=False)


@pytest.mark.parametrize(
    ("q", "location"),
    [
        ("SMIC", "/stock/00981.HK"),  # a short name
        ("00981.HK", "/stock/00981.HK"),  # a code
        ("981", "/stock/00981.HK"),  # a bare Hong Kong number
        ("688981.SH", "/stock/00981.HK"),  # another listing of the issuer
        ("中芯國際", "/stock/00981.HK"),  # 繁體 name
        ("騰訊", "/stock/00700.HK"),
        ("  Tencent   Holdings ", "/stock/00700.HK"),
        ("tariff", "/search?q=tariff"),  # not a security: full-text search
        ("chip stocks", "/search?q=chip+stocks"),
        ("南向资金", "/search?q=" + quote("南向资金")),
        ("", "/search"),
    ],
)
def test_header_search_jumps_to_a_stock_or_searches(
    live_server: LiveServer, q: str, location: str
) -> None:
    response = go(live_server, q)
    assert response.status_code == 303
    assert response.headers["location"] == location


@pytest.mark.parametrize("path", ["/go?q=%00", "/search?q=%00", "/search?q=SMIC%07",
                                  '/search?q=""'])
def test_control_characters_get_a_clear_400_page(live_server: LiveServer, path: str) -> None:
    response = httpx.get(live_server.url + path)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "control character" in response.text or "no words to search for" in response.text


pytestmark_browser = pytest.mark.browser


def open_page(probe: PageProbe, url: str) -> Any:
    response = probe.page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    return probe.page


@pytestmark_browser
def test_header_box_opens_the_stock_page(live_server: LiveServer, probe: PageProbe) -> None:
    page = open_page(probe, f"{live_server.url}/")
    page.fill("header input[name=q]", "中芯国际")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/stock/00981.HK")
    assert "688981.SH" in page.locator(".issuer-head-panel").inner_text()
    page.fill("header input[name=q]", "tariff threat")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=tariff+threat")
    assert page.locator(".result .title").all_inner_texts() == ["Hua Hong slides on tariff threat"]
    assert probe.problems == []


@pytestmark_browser
def test_snippets_mark_the_matched_words(live_server: LiveServer, probe: PageProbe) -> None:
    page = open_page(probe, f"{live_server.url}/search?q=" + quote("南向資金 收涨"))
    assert page.locator(".result mark").all_inner_texts() == ["收涨", "南向资金"]
    assert page.locator(".result .why").inner_text() == 'matched: text "南向資金", text "收涨"'
    page = open_page(probe, f"{live_server.url}/search?q=SMIC")
    why = page.locator(".result .why").all_inner_texts()
    assert any("mentions 00981.HK (SMIC)" in line and "text" not in line for line in why)
    assert probe.problems == []


@pytestmark_browser
def test_a_marked_word_that_looks_like_markup_stays_text(live_server: LiveServer,
                                                         probe: PageProbe) -> None:
    page = open_page(probe, f"{live_server.url}/search?q=" + quote('"<img src=x"'))
    page.wait_for_timeout(200)
    assert page.locator(".result mark").all_inner_texts() == ["<img src=x"]
    assert page.locator("main img").count() == 0
    assert probe.dialogs == []


@pytestmark_browser
def test_facets_count_and_narrow(live_server: LiveServer, probe: PageProbe) -> None:
    page = open_page(probe, f"{live_server.url}/search?q=SMIC")
    chip = page.locator("[data-facet=lang] a.chip", has_text="Chinese")
    assert chip.locator(".count").inner_text() == "1"
    assert page.locator("[data-facet=listing] a.chip").first.inner_text().startswith("00981.HK")
    chip.click()
    page.wait_for_load_state("load")
    assert "lang=zh" in page.url and "q=SMIC" in page.url
    assert page.locator(".result .title").all_inner_texts() == ["中芯国际股价创新高"]
    page.locator("[data-facet=lang] a.chosen").click()  # the chosen value links back out
    page.wait_for_load_state("load")
    assert "lang=" not in page.url and page.locator(".result").count() == 4
    day = page.locator("[data-facet=day] a.chip").first
    count = int(day.locator(".count").inner_text())
    day.click()
    page.wait_for_load_state("load")
    assert "since=" in page.url and page.locator(".result").count() == count
    assert probe.problems == []


@pytest.fixture
def phone(browser: Any) -> Iterator[PageProbe]:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    found = PageProbe(context.new_page())
    yield found
    context.close()


@pytestmark_browser
@pytest.mark.parametrize("path", ["/", "/search?q=SMIC", "/stock/00981.HK"])
def test_header_search_fits_a_phone(live_server: LiveServer, phone: PageProbe, path: str) -> None:
    page = open_page(phone, live_server.url + path)
    header = page.locator("header.topbar").bounding_box()
    box = page.locator("header input[name=q]").bounding_box()
    button = page.locator("header form button").bounding_box()
    assert header is not None and box is not None and button is not None
    assert header["width"] <= 375 and header["x"] >= 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["width"] >= 150
    assert button["x"] + button["width"] <= 375
    assert page.locator("header input[name=q]").is_visible()
    assert page.evaluate("document.querySelector('header.topbar').scrollWidth") <= 375
    page.fill("header input[name=q]", "SMIC")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/stock/00981.HK")
