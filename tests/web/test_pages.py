"""The dashboard in a real Chromium: pages load cleanly, charts draw, search works."""

from __future__ import annotations

import pytest
from web_support import LiveServer, PageProbe

pytestmark = pytest.mark.browser


def open_page(probe: PageProbe, url: str) -> None:
    response = probe.page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url


@pytest.mark.parametrize(
    "path",
    ["/", "/?date=2025-10-21", "/stock/00981.HK", "/stock/中芯国际", "/article/{smic_rally}",
     "/article/{smic_zh}", "/search?q=SMIC", "/search?security=SMIC&lang=en"],
)
def test_page_loads_without_console_errors(
    live_server: LiveServer, probe: PageProbe, path: str
) -> None:
    open_page(probe, live_server.url + path.format(**live_server.ids))
    probe.page.wait_for_load_state("networkidle")
    assert probe.page.locator("main h1, main h2").count() > 0
    assert probe.problems == []


def test_home_shows_brief_board_movers_and_ipos(live_server: LiveServer, probe: PageProbe
                                                ) -> None:
    open_page(probe, f"{live_server.url}/?date=2025-10-24")
    page = probe.page
    assert "2025-10-24" in page.locator("h1").inner_text()
    assert "Hang Seng Index" in page.locator("#indices").inner_text()
    movers = page.locator("#movers").inner_text()
    assert "00981.HK" in movers and "+5.20%" in movers
    assert "GigaDevice" in page.locator("#ipos").inner_text() or "Gigadevice" in page.locator(
        "#ipos").inner_text()
    assert page.locator("#brief sup.cite a").count() > 0


def test_date_picker_changes_the_day(live_server: LiveServer, probe: PageProbe) -> None:
    open_page(probe, f"{live_server.url}/")
    page = probe.page
    page.fill("input[name=date]", "2025-10-21")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?date=2025-10-21")
    assert "2025-10-21" in page.locator("h1").inner_text()
    assert probe.problems == []


def test_stock_page_draws_both_charts(live_server: LiveServer, probe: PageProbe) -> None:
    open_page(probe, f"{live_server.url}/stock/00981.HK")
    page = probe.page
    for chart in ("coverage", "moves"):
        page.wait_for_selector(f"[data-chart={chart}] .main-svg", timeout=15_000)
        assert page.locator(f"[data-chart={chart}] .main-svg").count() >= 1
    assert page.locator("[data-chart=moves] .scatterlayer .trace").count() >= 1
    header = page.locator(".issuer-head-panel").inner_text()
    assert "00981.HK" in header and "688981.SH" in header and "中芯国际" in header
    assert page.locator("#facts tbody tr").count() >= 3
    assert probe.problems == []


def test_stock_fact_links_to_its_words(live_server: LiveServer, probe: PageProbe) -> None:
    open_page(probe, f"{live_server.url}/stock/00981.HK")
    page = probe.page
    page.locator("#facts td.quote a", has_text="rose 5.2% to HK$78.50").click()
    page.wait_for_load_state("load")
    assert "/article/" in page.url and "#t-" in page.url
    target = page.url.split("#")[1]
    assert "rose 5.2%" in page.locator(f"[id='{target}']").inner_text()


def test_article_highlights_have_hover_labels(live_server: LiveServer, probe: PageProbe) -> None:
    open_page(probe, f"{live_server.url}/article/{live_server.ids['smic_rally']}")
    page = probe.page
    mention = page.locator(".article-text .hl-mention").first
    assert "00981.HK" in (mention.get_attribute("title") or "")
    fact = page.locator(".article-text .hl-fact", has_text="HK$118.6 billion").first
    assert (fact.get_attribute("title") or "").startswith("Turnover · HK · ")
    related = page.locator("#related").inner_text()
    assert "confirmed" in related and "not in text" in related


def test_search_returns_results_and_filters(live_server: LiveServer, probe: PageProbe) -> None:
    open_page(probe, f"{live_server.url}/search")
    page = probe.page
    page.fill("form.filters input[name=q]", "SMIC")
    page.press("form.filters input[name=q]", "Enter")
    page.wait_for_url("**/search?q=SMIC**")
    assert page.locator(".result").count() == 4  # three write SMIC, one mentions 00981.HK
    page.select_option("select[name=lang]", "zh")
    page.fill("form.filters input[name=q]", "")
    page.fill("form.filters input[name=security]", "SMIC")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("load")
    titles = page.locator(".result .title").all_inner_texts()
    assert titles == ["中芯国际股价创新高"]
    assert probe.problems == []


def test_unknown_stock_shows_an_html_error(live_server: LiveServer, probe: PageProbe) -> None:
    response = probe.page.goto(f"{live_server.url}/stock/NOSUCHCO")
    assert response is not None and response.status == 404
    assert "not a known security" in probe.page.locator("main").inner_text()


def test_pages_render_chinese_names(live_server: LiveServer, probe: PageProbe) -> None:
    open_page(probe, f"{live_server.url}/stock/中芯国际")
    assert "中芯国际" in probe.page.locator(".issuer-head").inner_text()
    family = probe.page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in family
