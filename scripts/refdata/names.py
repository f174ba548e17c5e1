"""Issuer drafts and name normalisation for ``scripts/build_refdata.py``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import opencc
import pandas as pd

from tickerwire.codes import a_share_exchange

KIND_RANK = {"official": 0, "short": 1, "common": 2, "distinct": 3, "former": 4}
S2T = opencc.OpenCC("s2t")
S2HK = opencc.OpenCC("s2hk")
T2S = opencc.OpenCC("t2s")

HK_SUFFIX = re.compile(r"\s*-\s*(?:SW|SS|WR|SWR|W|S|B|R|U|UW|WD|P|T)$")
_A_PREFIX = re.compile(r"^(?:S\*ST|\*ST|SST|ST|XD|XR|DR|PT|N|C)(?=[\u3400-\u9fff])")
_A_SUFFIX = re.compile(r"(?:-(?:UWD|UW|WD|U|W|D)|[AＡ])$")
SHARE_CLASS = re.compile(r"\s*(?:Class [A-Z]|Sponsored ADR.*|ADR.*)$")
_LEGAL = re.compile(
    r"[\s,]*(?:\((?:Group|Holdings?)\)\s*)?(?:Co\.?,?\s*Ltd\.?|Company\s+Limited|Co\.?,?\s*Limited|"
    r"Corporation\s+Limited|Corp\.?|Corporation|Limited|Ltd\.?|Inc\.?|Incorporated|plc|PLC|"
    r"S\.A\.|N\.V\.|AG|SE)$",
    re.IGNORECASE,
)


# ----------------------------------------------------------------------------- model


@dataclass
class Draft:
    """An issuer being assembled from several sources."""

    id: str
    listings: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    name_en: str | None = None
    name_zh_hans: str | None = None
    name_zh_hant: str | None = None
    industry: str | None = None
    former: list[str] = field(default_factory=list)
    curated: bool = False
    role: str | None = None  # broker | exchange (scripts/refdata/roles.yaml)
    short_en: str | None = None

    def add_listing(self, code: str, exchange: str, kind: str, *, currency: str | None = None,
                    board: str | None = None, name: str | None = None,
                    listed_on: str | None = None, active: bool = True) -> None:
        row = self.listings.setdefault(code, {"code": code})
        row.update({"exchange": exchange, "kind": kind, "active": active})
        for key, value in (("currency", currency), ("board", board), ("name", name),
                           ("listed_on", listed_on)):
            if value or key not in row:
                row[key] = value or row.get(key)

    def add_alias(self, text: str | None, lang: str, kind: str, listing: str | None) -> None:
        text = clean_text(text)
        if not text or len(text) < 2:
            return
        key = (text, "en" if lang == "en" else "zh")  # same text in both scripts: keep once
        prev = self.aliases.get(key)
        if prev is None:
            self.aliases[key] = {"text": text, "lang": lang, "kind": kind, "listing": listing}
            return
        if KIND_RANK[kind] < KIND_RANK[prev["kind"]]:
            prev["kind"] = kind
        if prev["listing"] != listing:
            prev["listing"] = None

    def add_zh(self, text: str | None, kind: str, listing: str | None, *, source: str) -> None:
        """Add a Chinese alias plus its conversions to the other script."""
        text = clean_text(text)
        if not text:
            return
        if source == "zh-hans":
            self.add_alias(text, "zh-hans", kind, listing)
            for conv in (S2T.convert(text), S2HK.convert(text)):
                if conv != text:
                    self.add_alias(conv, "zh-hant", kind, listing)
        else:
            self.add_alias(text, "zh-hant", kind, listing)
            conv = T2S.convert(text)
            if conv != text:
                self.add_alias(conv, "zh-hans", kind, listing)

    def add_en(self, text: str | None, kind: str, listing: str | None) -> None:
        text = clean_text(text)
        if not text:
            return
        self.add_alias(text, "en", kind, listing)
        short = strip_legal(text)
        if short != text and len(short) >= 4:
            self.add_alias(short, "en", kind, listing)


# ----------------------------------------------------------------------------- text helpers


def clean_text(text: object) -> str | None:
    """NFKC, no stray spaces between CJK characters, collapsed whitespace; None for blanks."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", s)
    s = re.sub(r"\s+", " ", s)
    return s or None


def strip_legal(name: str) -> str:
    """``"Xiaomi Corporation"`` → ``"Xiaomi"``; "Ping An Bank Co., Ltd." → "Ping An Bank".
    """
    prev = None
    while prev != name:
        prev = name
        name = _LEGAL.sub("", name).strip(" ,.")
    return name


def a_short_forms(name: str) -> list[str]:
    """Name variants news uses for an A-share 简称: without ST/N prefixes and -U/-W/A suffixes."""
    out = [name]
    bare = _A_SUFFIX.sub("", _A_PREFIX.sub("", name))
    if bare != name and len(bare) >= 2:
        out.append(bare)
    return out


def hk_short_forms(name: str) -> list[str]:
    out = [name]
    bare = HK_SUFFIX.sub("", name)
    if bare != name and len(bare) >= 2:
        out.append(bare)
    return out


def title_en(name: str) -> str:
    """Readable case for an all-caps exchange name, keeping short acronyms upper case."""
    if not name.isupper():
        return name
    small = {"CO.,", "CO.,LTD.", "LTD.", "INC.", "AND", "OF", "THE", "CO.", "LTD", "CORP."}
    words = []
    for w in name.split(" "):
        if len(w) <= 3 and w not in small and w.isalpha():
            words.append(w)
        else:
            words.append(w.title() if w.isascii() else w)
    return " ".join(words).replace("Co.,Ltd.", "Co., Ltd.")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in {"", "-"}


def iso_date(value: object) -> str | None:
    if is_blank(value):
        return None
    digits = re.sub(r"\D", "", str(value))[:8]
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}" if len(digits) == 8 else None


def a_board(code: str) -> str:
    if code.startswith(("688", "689")):
        return "STAR"
    if code.startswith(("300", "301", "302")):
        return "ChiNext"
    if a_share_exchange(code) == "BJ":
        return "BSE"
    return "Main Board"
