"""Decoding fallback chain, binary refusal, half-width mapping, language and script."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tickerwire.errors import SourceError
from tickerwire.fullwidth import _TABLE, to_halfwidth
from tickerwire.sources.text import (
    declared_encoding,
    decode_bytes,
    detect_lang,
    detect_script,
    guess_locale,
)

SIMPLIFIED = "腾讯控股今日股价上涨百分之三，恒生指数收市报两万六千点。港股成交额为二千亿元。"
TRADITIONAL = "騰訊控股今日股價上漲百分之三，恆生指數收市報兩萬六千點。港股成交額為二千億元。"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"Hang Seng up 1%", "Hang Seng up 1%", "utf-8"),
        (codecs.BOM_UTF8 + "恒指升1%".encode(), "恒指升1%", "utf-8"),
        ("恒指升1%".encode("utf-16"), "恒指升1%", "utf-16"),
        (SIMPLIFIED.encode("gb18030"), SIMPLIFIED, "gb18030"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5hkscs"),
        (TRADITIONAL.encode("gb18030"), TRADITIONAL, "gb18030"),
        (
            b'<html><head><meta charset="big5"></head><body>' + TRADITIONAL.encode("big5"),
            '<html><head><meta charset="big5"></head><body>' + TRADITIONAL,
            "big5hkscs",
        ),
        (
            b'<?xml version="1.0" encoding="GB2312"?><rss/>' + SIMPLIFIED.encode("gb2312"),
            '<?xml version="1.0" encoding="GB2312"?><rss/>' + SIMPLIFIED,
            "gb18030",
        ),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "gb18030",
        "big5",
        "gb18030-traditional",
        "html-meta-big5",
        "xml-decl-gb2312",
    ],
)
def test_decode_fallback_chain(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data, origin="x") == (text, encoding, 0)


def test_declared_charset_wins_over_utf8_guess() -> None:
    page = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">' + SIMPLIFIED
    assert declared_encoding(page.encode("gbk")) == "gb18030"
    assert decode_bytes(page.encode("gbk"), origin="x")[0] == page


def test_wrong_declared_charset_falls_back() -> None:
    page = '<meta charset="big5">' + "恒指升1%"
    assert decode_bytes(page.encode("utf-8"), origin="x")[1] == "utf-8"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"some text\x00with a NUL",
        bytes(range(1, 9)) * 40,
    ],
    ids=["png", "pdf", "zip", "gzip", "nul", "control-chars"],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(SourceError) as info:
        decode_bytes(data, origin="in.bin")
    assert info.value.reason == "binary"
    assert info.value.origin == "in.bin"
    assert "remove" in info.value.detail or "pass" in info.value.detail


@pytest.mark.parametrize("data", [b"caf\xe9\nbar", b"ok\xff\xfa\n" * 3, b"abc\x80\n"])
def test_undecodable(data: bytes) -> None:
    with pytest.raises(SourceError) as info:
        decode_bytes(data, origin="in.txt")
    assert info.value.reason == "undecodable"
    assert "UTF-8" in info.value.detail


def test_halfwidth_keeps_length_and_offsets() -> None:
    raw = "騰訊（００７００）升５．２％，報ＨＫ＄６２９。"
    out = to_halfwidth(raw)
    assert out == "騰訊(00700)升5.2%,報HK$629。"
    assert len(out) == len(raw)
    start = out.index("00700")
    assert raw[start : start + 5] == "００７００"


FULL_WIDTH_TEXTS = [
    "騰訊（００７００）升５．２％，報ＨＫ＄６２９。",
    "恒指收報２６，１６０點，升１．２個百分點",
    "Ｔｅｎｃｅｎｔ　ｒｏｓｅ　２﹒１７％",
    # more distinct full-width characters than are replaced one by one: the whole alphabet
    "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "　﹒ plain text",
    "no full-width characters at all, 中文也沒有",
    "",
]


@pytest.mark.parametrize("raw", FULL_WIDTH_TEXTS)
def test_halfwidth_replaces_every_full_width_character(raw: str) -> None:
    """Both ways of folding (one ``str.replace`` per distinct character, or one ``translate``
    when there are many) give what the table says, character by character."""
    expected = "".join(chr(_TABLE.get(ord(c), ord(c))) for c in raw)
    assert to_halfwidth(raw) == expected


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("０１２ＡＢｚ％，（）　﹒"))))
def test_halfwidth_matches_the_table(text: str) -> None:
    assert to_halfwidth(text) == text.translate(_TABLE)


@given(st.text())
@example("2﹒17％　ＨＫ＄")
def test_halfwidth_is_one_to_one(text: str) -> None:
    out = to_halfwidth(text)
    assert len(out) == len(text)
    assert all(
        a == b or 0xFF01 <= ord(a) <= 0xFF5E or a in "\u3000\ufe52"  # ideographic space, small full stop
        for a, b in zip(text, out, strict=True)
    )


@pytest.mark.parametrize(
    ("text", "lang", "script", "locale"),
    [
        ("SMIC rose 2% in Hong Kong on Friday.", "en", None, "en"),
        (SIMPLIFIED, "zh", "hans", "zh-CN"),
        (TRADITIONAL, "zh", "hant", "zh-HK"),
        ("Shares of 中芯国际 (SMIC) rose 2% on Friday as chip stocks rallied.", "en", "hans", "en"),
        ("中芯国际(00981.HK)今日上涨2%", "zh", "hans", "zh-CN"),
        ("", "en", None, "en"),
    ],
)
def test_language_and_script(text: str, lang: str, script: str | None, locale: str) -> None:
    assert detect_lang(text) == lang
    assert detect_script(text) == script
    assert guess_locale(text, lang) == locale
