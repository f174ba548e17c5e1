"""``/api/brief`` on a day without news, and the Markdown form's links."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt


def test_a_day_without_news_names_the_nearest_days(client: TestClient) -> None:
    body = client.get("/api/brief", params={"date": "2025-10-20"}).json()
    assert body["has_news"] is False and body["sections"] == []
    assert (body["previous_news_day"], body["next_news_day"]) == ("2025-10-13", "2025-10-21")


@pytest.mark.parametrize("fmt", ["md", "text", "html"])
def test_every_format_says_it_once(client: TestClient, fmt: str) -> None:
    text = client.get("/api/brief", params={"date": "2025-10-20", "format": fmt}).text
    assert text.count("No news is dated Monday, 20 October 2025") == 1
    assert "Nothing reported" not in text
    assert "Monday, 13 October 2025 (before)" in text and "Tuesday, 21 October 2025 (after)" in text


def test_markdown_links_are_well_formed_and_never_javascript(client: TestClient) -> None:
    markdown = client.get("/api/brief", params={"date": "2025-10-24", "format": "md"}).text
    html = MarkdownIt("commonmark").render(markdown)
    assert 'href="https://news.example.com/' in html
    assert 'href="javascript' not in html
