"""Chinese text keeps its full-width punctuation and digits; only matching folds a copy.

Every reader stores the text as written, extraction still recognises full-width codes and numbers,
and every span reports the words exactly as they stand in the article (``text[start:end]``).
"""

from __future__ import annotations

import json

import pytest

from tickerwire.extract import build_pipeline
from tickerwire.model import Article, Extraction
from tickerwire.sources import read_bytes

BODY = "腾讯控股（０７００）收涨３．１％，报６５０．５港元；中芯国际（００９８１）跌２％。"
TITLE = "港股收市：腾讯涨３．１％，中芯回落"

MARKDOWN = f"""---
title: "{TITLE}"
locale: zh-CN
url: https://broker.example/zh-CN/news/fullwidth
datetime: 2025-10-27T08:30:00Z
---
# {TITLE}

{BODY}

### Related Stocks

- [００７００.HK](https://broker.example/quote/00700.HK)
- [981.HK](https://broker.example/quote/00981.HK)
"""
JSONL = json.dumps({"id": "fw-1", "title": TITLE, "text": f"{TITLE}\n\n{BODY}"}, ensure_ascii=False)
PLAIN = f"{TITLE}\n\n{BODY}\n"
HTML = f"""<html lang="zh-CN"><head><title>{TITLE}</title></head><body><article>
<h1>{TITLE}</h1><p>{BODY}</p><p>分析师认为，科技股短期仍有支撑，资金持续流入港股市场。</p>
</article></body></html>"""
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>示例财经</title><language>zh-cn</language>
<item><title>{TITLE}</title><link>https://zh.example/news/fw</link>
<description>{BODY}</description><pubDate>Mon, 27 Oct 2025 08:30:00 GMT</pubDate></item>
</channel></rss>"""

READERS = [
    ("article.md", MARKDOWN),
    ("articles.jsonl", JSONL + "\n"),
    ("report.txt", PLAIN),
    ("page.html", HTML),
    ("feed.xml", RSS),
]


def _read(name: str, data: str) -> Article:
    items = list(read_bytes(data.encode(), origin=name, filename=name))
    articles = [item for item in items if isinstance(item, Article)]
    assert len(articles) == 1, items
    return articles[0]


@pytest.mark.parametrize(("name", "data"), READERS, ids=[n for n, _ in READERS])
def test_readers_store_the_text_as_written(name: str, data: str) -> None:
    article = _read(name, data)
    assert article.title == TITLE
    assert BODY in article.text
    assert "," not in article.text and "(" not in article.text


@pytest.mark.parametrize(("name", "data"), READERS, ids=[n for n, _ in READERS])
def test_fullwidth_codes_and_numbers_are_still_extracted(name: str, data: str) -> None:
    article = _read(name, data)
    extraction: Extraction = build_pipeline()(article)
    listings = {m.listing for m in extraction.mentions}
    assert {"00700.HK", "00981.HK"} <= listings
    moves = {(f.subject, f.pct) for f in extraction.facts if f.kind == "price_move"}
    assert ("00700.HK", 3.1) in moves
    assert ("00981.HK", -2.0) in moves


@pytest.mark.parametrize(("name", "data"), READERS, ids=[n for n, _ in READERS])
def test_every_span_reports_the_original_words(name: str, data: str) -> None:
    article = _read(name, data)
    extraction = build_pipeline()(article)
    spans = [*extraction.mentions, *extraction.indices, *extraction.facts, *extraction.events]
    assert spans
    for span in spans:
        assert span.text == article.text[span.start : span.end], span
    written = {m.text for m in extraction.mentions} | {f.text for f in extraction.facts}
    assert any("（０７００）" in t or "３．１％" in t for t in written), written


def test_related_stocks_codes_still_normalise() -> None:
    article = _read("article.md", MARKDOWN)
    assert article.related_stocks == ("00700.HK", "00981.HK")


def test_english_text_is_unchanged() -> None:
    text = "Tencent (0700.HK) rose 3.1% to HK$650.50, while SMIC (981 HK) fell 2%."
    article = _read("en.txt", f"Tencent leads\n\n{text}\n")
    extraction = build_pipeline()(article)
    assert text in article.text
    assert all(s.text == article.text[s.start : s.end] for s in extraction.facts)
    assert {"00700.HK", "00981.HK"} <= {m.listing for m in extraction.mentions}
