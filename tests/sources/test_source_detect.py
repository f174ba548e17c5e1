"""Format detection by content, with the extension only as a hint."""

from __future__ import annotations

import pytest

from tickerwire.sources.detect import detect_format

FRONT_MATTER = "---\ntitle: x\n---\n# x\n\nBody."
HTML = "<!DOCTYPE html><html><body><p>Hi</p></body></html>"
RSS = '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'
ATOM = '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'
JSONL = '{"text": "a"}\n{"text": "b"}\n'
MARKDOWN = "# Headline\n\nSome text with a [link](https://x.example).\n\n## Section\n"
TEXT = "Headline\n\nOn Friday, October 24, 2025, stocks rose."


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (FRONT_MATTER, "a.md", "markdown"),
        (FRONT_MATTER, "a.txt", "markdown"),
        (MARKDOWN, None, "markdown"),
        ("# Not really markdown, a hash line\nand prose", None, "text"),
        (HTML, "a.html", "html"),
        (HTML, "a.txt", "html"),
        ("\ufeff  <!-- saved --><html lang='zh'><p>x</p></html>", None, "html"),
        ("<article><p>Body</p></article>", "a.md", "html"),
        (RSS, "feed.xml", "rss"),
        (RSS, "feed.json", "rss"),
        (ATOM, None, "rss"),
        ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', None, "rss"),
        (JSONL, "a.jsonl", "jsonl"),
        (JSONL, "a.txt", "jsonl"),
        ('{"text": "a", broken\n{"text": "b"}\n', "a.txt", "jsonl"),
        ('{"text": broken', "a.jsonl", "jsonl"),
        (TEXT, "a.txt", "text"),
        (TEXT, "a.html", "text"),
        (TEXT, "a.md", "markdown"),
        ("{braces} in prose", None, "text"),
        ("<p>A fragment</p>", None, "html"),
    ],
)
def test_detect_format(content: str, filename: str | None, expected: str) -> None:
    assert detect_format(content, filename) == expected
    assert detect_format(content.encode(), filename) == expected
