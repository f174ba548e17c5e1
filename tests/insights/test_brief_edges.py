"""The brief on a day without news, and Markdown that a hostile URL or title cannot break."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from insight_stores import BETWEEN
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from tickerwire.cli import app
from tickerwire.insights import brief
from tickerwire.insights.brief import Brief
from tickerwire.store import Store

MONDAY = date(2025, 10, 13)
RENDERS = ["render_text", "render_markdown", "render_html"]


@pytest.mark.parametrize(
    ("day", "before", "after"),
    [
        (date(2025, 10, 12), None, date(2025, 10, 13)),  # the Sunday before the first wrap
        (date(2025, 10, 20), date(2025, 10, 16), None),  # after the last article
    ],
)
def test_a_day_without_news_names_the_nearest_days_with_news(
    handmade: Store, day: date, before: date | None, after: date | None
) -> None:
    wrap = brief(handmade, day)
    assert (wrap.has_news, wrap.previous_news_day, wrap.next_news_day) == (False, before, after)
    assert wrap.sections == () and wrap.sources == ()
    data = wrap.to_dict()
    assert data["has_news"] is False
    assert data["previous_news_day"] == (before.isoformat() if before else None)
    assert data["next_news_day"] == (after.isoformat() if after else None)


def test_between_two_news_days_both_neighbours_are_named(handmade: Store) -> None:
    wrap = brief(handmade, date(2025, 10, 14))
    assert wrap.has_news
    # As of the night of the 13th, the 14th had no news yet: only the day before is named.
    early = brief(handmade, date(2025, 10, 14), as_of=BETWEEN)
    assert (early.has_news, early.previous_news_day, early.next_news_day) == (False, MONDAY, None)


@pytest.mark.parametrize("render", RENDERS)
def test_no_news_is_said_once_in_every_format(handmade: Store, render: str) -> None:
    wrap = dataclasses.replace(
        brief(handmade, date(2025, 10, 12)), previous_news_day=date(2025, 10, 10)
    )
    out = getattr(wrap, render)()
    assert out.count("No news is dated Sunday, 12 October 2025") == 1
    assert "Nothing reported" not in out and "Sources" not in out
    assert "Friday, 10 October 2025 (before)" in out
    assert "Monday, 13 October 2025 (after)" in out


@pytest.mark.parametrize("render", RENDERS)
def test_a_day_with_news_still_has_its_sections(handmade: Store, render: str) -> None:
    out = getattr(brief(handmade, MONDAY), render)()
    assert "No news is dated" not in out and "Nearest days with news" not in out
    assert "Notable movers" in out and "Sources" in out


def test_cli_brief_json_and_text_for_a_day_without_news(handmade_path: Path) -> None:
    runner = CliRunner()
    args = ["brief", "--date", "2025-10-12", "--db", str(handmade_path)]
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    assert "No news is dated Sunday, 12 October 2025." in text.stdout
    assert "Nearest days with news: Monday, 13 October 2025 (after)." in text.stdout
    as_json = runner.invoke(app, [*args, "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert (data["has_news"], data["next_news_day"]) == (False, "2025-10-13")


# -- Markdown links -------------------------------------------------------------------------

HOSTILE = [
    # (url, title): what a feed may carry; none of it may end the link early or add markup
    ("https://news.example.com/a_(b)/c", "Tencent (0700) rallies"),
    ("https://news.example.com/a b/<script>alert(1)</script>", "SMIC <b>jumps</b>"),
    ("https://news.example.com/x)<img src=x onerror=alert(1)>", "Close ](javascript:alert(1))"),
    ("https://news.example.com/港股/恒指?q=中芯&lang=zh", "港股收市：恒指升１．２％"),
    ("https://news.example.com/a>b\"c'd", "[1] *bold* _em_ `code` #tag | pipe &amp; ~strike~"),
]


def _with_url(wrap: Brief, url: str, title: str) -> Brief:
    first = dataclasses.replace(wrap.sources[0], url=url, title=title)
    others = tuple(ref for ref in wrap.sources[1:] if ref.article_id != first.article_id)
    same = tuple(
        dataclasses.replace(ref, url=url, title=title)
        for ref in wrap.sources[1:] if ref.article_id == first.article_id
    )
    return dataclasses.replace(wrap, sources=(first, *same, *others))


def _links(markdown: str) -> list[tuple[str, str]]:
    """(href, link text) of every link a CommonMark renderer finds."""
    found = []
    for block in MarkdownIt("commonmark").parse(markdown):
        text: list[str] | None = None
        for token in block.children or []:
            if token.type == "link_open":
                href, text = str(token.attrs["href"]), []
            elif token.type == "link_close" and text is not None:
                found.append((href, "".join(text)))
                text = None
            elif text is not None:
                text.append(token.content)
    return found


@pytest.mark.parametrize(("url", "title"), HOSTILE)
def test_markdown_links_survive_hostile_urls_and_titles(
    handmade: Store, url: str, title: str
) -> None:
    markdown = _with_url(brief(handmade, MONDAY), url, title).render_markdown()
    html = MarkdownIt("commonmark").render(markdown)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    links = _links(markdown)
    assert not any(href.startswith("javascript:") for href, _ in links)
    # the whole URL is one link destination, and the whole title its text
    assert [unquote(href) for href, text in links if text == title] == [url]


def test_markdown_link_keeps_a_plain_url_as_it_is(handmade: Store) -> None:
    url = "https://news.example.com/markets/2025/10/13/smic-falls?id=42#top"
    markdown = _with_url(brief(handmade, MONDAY), url, "SMIC falls").render_markdown()
    assert f"[SMIC falls]({url})" in markdown
    assert (url, "SMIC falls") in _links(markdown)
