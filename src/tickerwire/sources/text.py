"""Bytes → text, and the length-preserving clean-ups every reader shares.

``decode_bytes`` walks the fallback chain BOM → declared charset → UTF-8 → GB18030 → Big5 and
refuses binary content; a page that is valid except for a few stray bytes is decoded with
U+FFFD in their place and the count is reported, so the caller can record a warning.
``detect_lang`` and ``detect_script`` look at the share of Chinese characters and at characters
that exist only in simplified or only in traditional writing.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import NamedTuple

from tickerwire.errors import SourceError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a GZIP archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BZh", "a BZIP2 archive"),
    (b"\xfd7zXZ\x00", "an XZ archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3\x00", "a SQLite database"),
)

_SNIFF_BYTES = 8192
# Deleting every byte that is not a control character leaves the control characters to count.
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in {9, 10, 12, 13, 27})
_MAX_CONTROL_RATIO = 0.05

_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])"""
    rb"""([A-Za-z0-9._-]{2,30})""",
    re.IGNORECASE,
)
# Declared names that are subsets of a wider codec we prefer.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
_FALLBACKS = ("utf-8", "gb18030", "big5hkscs")
# Codecs Python knows that are not character sets a page can be written in: transfer encodings,
# escapes, and wide encodings an ASCII-readable declaration cannot truthfully name.
_NOT_PAGE_CHARSETS = frozenset(
    {
        "punycode", "idna", "unicode-escape", "raw-unicode-escape", "utf-7", "undefined",
        "charmap", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
    }
)
# Bytes that decode to nothing may be replaced (U+FFFD) when they are at most this share of
# the input: a real page with a few stray bytes is read, mis-labelled binary is not.
MAX_REPLACED_RATIO = 0.01


_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile("[A-Za-z]+")
_LANG_SAMPLE = 4000

# Characters that exist in only one of the two scripts (common pairs: 们/們, 个/個 …).
_SIMPLIFIED_ONLY = (
    "们个这来说为国会时对发经开关点业当进动现将长实间应区报涨亿东车门见马产广张电买卖财务资银"
    "证额协议质济场际头标营总统级络传闻币汇联热节连达过还运预计显问题样响师导监规龙华尔亚欧"
    "户创认购亏谁讯鸟险单仅从众兴凤减击刘刚"
)
_TRADITIONAL_ONLY = (
    "們個這來說為國會時對發經開關點業當進動現將長實間應區報漲億東車門見馬產廣張電買賣財務資銀"
    "證額協議質濟場際頭標營總統級絡傳聞幣匯聯熱節連達過還運預計顯問題樣響師導監規龍華爾亞歐"
    "戶創認購虧誰訊鳥險單僅從眾興鳳減擊劉剛"
)
_HANS = re.compile(f"[{''.join(sorted(set(_SIMPLIFIED_ONLY)))}]")
_HANT = re.compile(f"[{''.join(sorted(set(_TRADITIONAL_ONLY)))}]")

# Characters a Chinese news text almost never contains, but mis-decoded bytes often do:
# kana, bopomofo, Greek/Cyrillic, IPA, box drawing, small forms, private use.
_SUSPICIOUS = re.compile(
    "[\u0250-\u02af\u0370-\u04ff\u2500-\u257f\u3040-\u30ff\u3100-\u312f"
    "\ue000-\uf8ff\ufe50-\ufe6f\ufffd]"
)


class Decoded(NamedTuple):
    """Decoded text, the codec that produced it and how many characters had to be replaced."""

    text: str
    encoding: str
    replaced: int = 0


def decode_bytes(data: bytes, *, origin: str) -> Decoded:
    """Decode ``data``; raise ``SourceError`` when impossible.

    The chain is BOM → declared charset (HTML ``<meta charset>``, XML ``encoding=``; any
    character set Python knows) → UTF-8 → GB18030 → Big5 (HKSCS). When both Chinese codecs
    decode cleanly, the one whose output looks like real Chinese wins. When no codec decodes
    every byte, the first in the same order that fails on at most ``MAX_REPLACED_RATIO`` of the
    bytes is used with U+FFFD for the bad ones (``replaced`` counts them). A byte-order mark is
    not part of the returned text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec.replace("-sig", ""))
            except UnicodeError as exc:
                why = f"it starts with a {codec} byte-order mark but {exc}"
                raise _undecodable(origin, why) from exc
    _refuse_binary(data, origin)
    declared = declared_encoding(data)
    if declared:
        try:
            return Decoded(data.decode(declared), declared)
        except UnicodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeError:
        pass
    candidates: list[Decoded] = []
    for codec in _FALLBACKS[1:]:
        try:
            candidates.append(Decoded(data.decode(codec), codec))
        except UnicodeError:
            continue
    if candidates:
        return min(candidates, key=lambda c: _implausibility(c.text))
    return _decode_with_replacements(data, declared, origin)


def _decode_with_replacements(data: bytes, declared: str | None, origin: str) -> Decoded:
    allowed = int(len(data) * MAX_REPLACED_RATIO)
    tried = (declared, *_FALLBACKS) if declared else _FALLBACKS
    for codec in tried if allowed else ():
        text = data.decode(codec, errors="replace")
        replaced = text.count("\ufffd")
        if replaced <= allowed:
            return Decoded(text, codec, replaced)
    raise _undecodable(origin, "it is not valid UTF-8, GB18030, Big5 or its declared charset")


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or XML declaration names in the first bytes, if Python
    knows it as a character set (``windows-1250``, ``Shift_JIS``, ``EUC-KR`` …), else None."""
    m = _DECLARED.search(data, 0, 2048)
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not info._is_text_encoding or info.name in _NOT_PAGE_CHARSETS:
        return None
    return _WIDER.get(info.name, info.name)


def _refuse_binary(data: bytes, origin: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SourceError(
                origin, "binary", f"this is {what}, not a text article; remove it from the input"
            )
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        raise SourceError(
            origin, "binary", "it contains NUL bytes (binary data); pass text, HTML, XML or JSONL"
        )
    control = len(head.translate(None, _NOT_CONTROL))
    if head and control / len(head) > _MAX_CONTROL_RATIO:
        raise SourceError(
            origin,
            "binary",
            f"{control} of its first {len(head)} bytes are control characters (binary data); "
            "pass text, HTML, XML or JSONL",
        )


def _undecodable(origin: str, why: str) -> SourceError:
    return SourceError(origin, "undecodable", f"{why}; re-save the file as UTF-8")


def _implausibility(text: str) -> float:
    """How unlike real Chinese a decoding looks (lower is more plausible)."""
    sample = text[:_SNIFF_BYTES]
    suspicious = len(_SUSPICIOUS.findall(sample))
    ideographs = _CJK.findall(sample)
    rare = sum(1 for ch in ideographs if not _is_common_ideograph(ch))
    return (suspicious + 0.5 * rare) / max(1, len(ideographs))


@lru_cache(maxsize=8192)
def _is_common_ideograph(ch: str) -> bool:
    """In GB2312 level 1 or Big5's frequently-used block: the characters news is written in."""
    try:
        if 0xB0 <= ch.encode("gb2312")[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA4 <= ch.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def detect_lang(text: str) -> str:
    """``"zh"`` when Chinese characters outnumber Latin words, else ``"en"``."""
    sample = text[:_LANG_SAMPLE]
    cjk = len(_CJK.findall(sample))
    if cjk == 0:
        return "en"
    words = len(_LATIN_WORD.findall(sample))
    return "zh" if cjk >= words else "en"


def detect_script(text: str) -> str | None:
    """``"hans"`` (simplified), ``"hant"`` (traditional) or None when undecided."""
    sample = text[:_LANG_SAMPLE]
    hans = len(_HANS.findall(sample))
    hant = len(_HANT.findall(sample))
    if hans == hant:
        return None
    return "hans" if hans > hant else "hant"


def guess_locale(text: str, lang: str) -> str | None:
    """``"en"``, ``"zh-CN"`` (simplified) or ``"zh-HK"`` (traditional); None when unclear."""
    if lang == "en":
        return "en"
    script = detect_script(text)
    if script == "hans":
        return "zh-CN"
    if script == "hant":
        return "zh-HK"
    return None
