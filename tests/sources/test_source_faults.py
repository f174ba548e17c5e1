"""Inputs that once crashed or stalled a reader: each is now a typed reason or a handled case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tickerwire.errors import QUARANTINE_REASONS, SourceError
from tickerwire.model import Article
from tickerwire.sources import read_bytes
from tickerwire.sources.dates import parse_datetime
from tickerwire.sources.markdown import markdown_to_text
from tickerwire.sources.text import declared_encoding, decode_bytes

BODY_EN = "SMIC shares rose 5.2% to HK$78.50 in Hong Kong on Friday."
BODY_ZH = "中芯国际周五收涨5.2%，报78.50港元。"


def read(data: bytes, filename: str) -> list[Article | SourceError]:
    items = list(read_bytes(data, origin=filename, filename=filename))
    for item in items:
        if isinstance(item, SourceError):
            assert item.reason in QUARANTINE_REASONS
    return items


def only_article(items: list[Article | SourceError]) -> Article:
    [item] = items
    assert isinstance(item, Article), item
    return item


def only_error(items: list[Article | SourceError]) -> SourceError:
    [item] = items
    assert isinstance(item, SourceError), item
    return item


def markdown(front: str, body: str = BODY_EN) -> bytes:
    return f"---\ntitle: SMIC jumps\n{front}\n---\n{body}\n".encode()


# -- nesting and expansion -------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_line_is_too_deep(depth: int) -> None:
    line = b'{"text": "' + BODY_EN.encode() + b'", "x": ' + b"[" * depth + b"]" * depth + b"}\n"
    ok = b'{"text": "' + BODY_ZH.encode() + b'"}\n'
    items = read(line + ok, "wire.jsonl")
    assert isinstance(items[0], SourceError) and items[0].reason == "too_deep"
    assert isinstance(items[1], Article) and items[1].text == BODY_ZH  # the next line still reads


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("x: &a [*a]", "front_matter"),  # an alias to itself
        ("x: &a {k: *a}", "front_matter"),
        (
            "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + "\n".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]"
                for p, n in zip("abcdefg", "bcdefgh", strict=True)
            ),
            "too_large",  # billion laughs: 9**8 values if expanded
        ),
        ("x: " + "[" * 40 + "]" * 40, "too_deep"),
    ],
    ids=["recursive-list", "recursive-map", "anchor-bomb", "deep"],
)
def test_front_matter_that_cannot_be_kept_is_refused(front: str, reason: str) -> None:
    assert only_error(read(markdown(front), "page.md")).reason == reason


def test_harmless_yaml_alias_is_expanded() -> None:
    article = only_article(read(markdown("base: &b HK\nmarket: *b"), "page.md"))
    assert article.meta["market"] == "HK"


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stamp",
    [
        "9999-12-31T23:59:59-12:00",
        "9999-12-31",
        "0001-01-01T00:00:00+08:00",
        "2025-13-45",
        "2025-02-30",
        "1" + "0" * 400,
        "1.e9999",
        "13/45/2025",
    ],
)
def test_impossible_front_matter_time_is_dropped_and_kept_in_meta(stamp: str) -> None:
    article = only_article(read(markdown(f"datetime: {stamp}"), "page.md"))
    assert article.published_at is None
    assert str(article.meta["unreadable_published_at"]) == stamp


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-24T08:30:00Z", datetime(2025, 10, 24, 8, 30, tzinfo=UTC)),
        ("9999-12-31T23:59:59Z", None),
        ("1899-12-31", None),
        ("2025-10-24T23:00:00-23:59", datetime(2025, 10, 25, 22, 59, tzinfo=UTC)),
        (1e18, None),
        (float("nan"), None),
        ("٢٠٢٥-١٠-٢٤", datetime(2025, 10, 23, 16, 0, tzinfo=UTC)),
        ("9" * 5000, None),
        ("2025-10-24T25:00:00Z", datetime(2025, 10, 23, 16, 0, tzinfo=UTC)),  # the day stands
    ],
)
def test_parse_datetime_never_raises(value: object, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_json_line_with_year_9999_is_stored_undated() -> None:
    line = b'{"text": "' + BODY_EN.encode() + b'", "published_at": "9999-12-31T23:59:59Z"}\n'
    article = only_article(read(line, "wire.jsonl"))
    assert article.published_at is None
    assert article.meta["unreadable_published_at"] == "9999-12-31T23:59:59Z"


# -- text and encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "text"),
    [
        (b'{"text": "SMIC \\ud800 rose 5%"}', "SMIC \ufffd rose 5%"),
        (b'{"text": "\\udfff\\ud800\\udc00", "title": "x\\ud800"}', "\ufffd\U00010000"),
    ],
)
def test_lone_surrogates_become_replacement_characters(line: bytes, text: str) -> None:
    article = only_article(read(line + b"\n", "wire.jsonl"))
    assert article.text == text
    article.text.encode("utf-8")  # storable


@pytest.mark.parametrize(
    ("charset", "text", "codec"),
    [
        ("Windows-1250", "Akcie SMIC vzrostly o 5 % v Hongkongu. Příliš žluťoučký kůň.", "cp1250"),
        ("Shift_JIS", "SMIC株は香港で5%上昇した。半導体需要が追い風。", "shift_jis"),
        ("EUC-KR", "SMIC 주가는 홍콩에서 5% 상승했다. 반도체 수요 증가.", "euc_kr"),
        ("windows-1252", "SMIC’s shares rose 5% — a “strong” day.", "cp1252"),
    ],
)
def test_declared_page_charset_is_honoured(charset: str, text: str, codec: str) -> None:
    page = f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>'
    decoded = decode_bytes(page.encode(codec), origin="page.html")
    assert decoded.encoding == codec
    assert text in decoded.text and decoded.replaced == 0


@pytest.mark.parametrize(
    "charset", ["punycode", "idna", "unicode_escape", "raw-unicode-escape", "utf-7", "rot13",
                "base64", "hex", "undefined", "utf-16"],
)
def test_codecs_that_are_not_page_charsets_are_ignored(charset: str) -> None:
    page = f'<html><head><meta charset="{charset}"></head><body><p>{BODY_EN}</p></body></html>'
    assert declared_encoding(page.encode()) is None
    assert decode_bytes(page.encode(), origin="p").encoding == "utf-8"


def test_punycode_declaration_on_undecodable_bytes_is_a_typed_error() -> None:
    page = b'<html><head><meta charset="punycode"></head><body><p>SMIC \xff rose</p></body></html>'
    with pytest.raises(SourceError) as caught:
        decode_bytes(page, origin="p.html")
    assert caught.value.reason == "undecodable"


@pytest.mark.parametrize("text", [BODY_EN * 20, BODY_ZH * 30])
def test_almost_valid_page_is_read_with_a_warning(text: str) -> None:
    data = text.encode() + b"\xff\xfe" + text.encode()
    article = only_article(read(data, "note.txt"))
    assert "\ufffd" in article.text
    assert "replaced by U+FFFD" in str(article.meta["decode_warning"])


def test_mostly_invalid_bytes_stay_undecodable() -> None:
    data = bytes(range(0x80, 0x100)) * 8
    assert only_error(read(data, "note.txt")).reason == "undecodable"


# -- feeds -----------------------------------------------------------------------------------

FEED_ITEMS = (
    "<item><title>SMIC rises 5%</title><description>SMIC rose 5% in Hong Kong.</description></item>"
    "<item><title>腾讯下跌</title><description>腾讯控股跌1.3%。</description></item>"
)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("<title>W &nbsp; wire</title>", "undefined entity"),
        ("<title>W & Co</title>", "not well-formed"),
        ("<title>W <b>wire</title>", "mismatched tag"),
    ],
)
def test_recovered_entries_of_a_malformed_feed_are_kept_with_its_problem(
    damage: str, problem: str
) -> None:
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{damage}{FEED_ITEMS}</channel></rss>'
    items = read(feed.encode(), "feed.xml")
    assert [type(i) for i in items] == [Article, Article]
    assert all(problem in str(i.meta["feed_problem"]) for i in items if isinstance(i, Article))


def test_feed_entity_bomb_is_not_expanded() -> None:
    entities = '<!ENTITY a "lollollollol">' + "".join(
        f'<!ENTITY {n} "{f"&{p};" * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    feed = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        f"<title>W</title><item><title>SMIC &i;</title><description>SMIC rose 5%.</description>"
        "</item></channel></rss>"
    )
    article = only_article(read(feed.encode(), "feed.xml"))
    assert len(article.text) < 1000
    assert "entities" in str(article.meta["feed_problem"])


@pytest.mark.parametrize("reference", ["&#xd800;", "&#55296;", "&#x110000;"])
def test_feed_character_reference_to_a_surrogate_becomes_replacement(reference: str) -> None:
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item>'
        f"<title>SMIC {reference} rises</title><description>SMIC rose 5%.</description></item>"
        "</channel></rss>"
    )
    assert only_article(read(feed.encode(), "feed.xml")).title == "SMIC \ufffd rises"


# -- linear time on hostile runs -------------------------------------------------------------


def test_markdown_links_and_tags_still_render() -> None:
    text = markdown_to_text("## Markets ##\n**SMIC** [rose](https://x.example/a) <b>5%</b>\n")
    assert text == "Markets\nSMIC rose 5%\n"
