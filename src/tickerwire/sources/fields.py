"""Small field rules every reader applies the same way (headline, publisher, language)."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from tickerwire.errors import SourceError
from tickerwire.sources.text import detect_lang, guess_locale

MAX_HEADLINE = 300

# Metadata (front matter, a JSON Lines record) is kept whole in the store, so its shape is bounded:
# an article record needs a few levels and a few hundred values, not a YAML anchor bomb.
MAX_METADATA_DEPTH = 32
MAX_METADATA_VALUES = 10_000
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_LOCALE_CASE = {"cn": "CN", "hk": "HK", "tw": "TW", "sg": "SG", "mo": "MO", "us": "US", "gb": "GB"}


def headline(text: str) -> str | None:
    """The first non-empty line, when it is short enough to be a headline."""
    for line in text.split("\n"):
        s = line.strip()
        if s:
            return s if len(s) <= MAX_HEADLINE else None
    return None


def split_url(url: str | None) -> SplitResult | None:
    """The parts of a URL as written in a document, or None for no URL or one Python cannot
    split (a bracketed host that is no IP address, such as ``https://[zh-CN]/a``)."""
    if not url:
        return None
    try:
        return urlsplit(url.strip())
    except ValueError:
        return None


def domain_of(url: str | None) -> str | None:
    """``example.com`` for ``https://www.example.com/a/b`` (None for no URL or no host)."""
    parts = split_url(url)
    host = parts.hostname if parts is not None else None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def normalize_locale(value: object) -> str | None:
    """``zh-HK`` for ``zh_hk``/``ZH-hk``; ``en`` for ``en-US``-style English; None for junk."""
    if not isinstance(value, str) or not value.strip():
        return None
    parts = value.strip().replace("_", "-").split("-")
    lang = parts[0].lower()
    if not lang.isalpha() or len(lang) > 3:
        return None
    if len(parts) == 1:
        return lang
    region = parts[-1]
    if lang == "zh" and region.lower() in {"hans", "hant"}:
        return "zh-CN" if region.lower() == "hans" else "zh-HK"
    return f"{lang}-{_LOCALE_CASE.get(region.lower(), region.upper())}"


def lang_and_locale(text: str, declared: object = None) -> tuple[str, str | None]:
    """``("en"|"zh", locale)``: the declared locale/lang when it names en or zh, else guessed."""
    locale = normalize_locale(declared)
    if locale:
        lang = locale.split("-")[0]
        if lang in {"en", "zh"}:
            if locale == "zh":
                return "zh", guess_locale(text, "zh") or "zh"
            return lang, locale
    lang = detect_lang(text)
    return lang, locale or guess_locale(text, lang)


def clean_str(value: object) -> str | None:
    """A stripped non-empty string, or None (numbers become strings, other types None)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        s = value.strip()
        return s or None
    return None


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (from ``\\ud800``-style escapes, which no UTF-8 file can
    hold) replaced by U+FFFD, one character for one so offsets stay valid."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def bounded_metadata(value: object, *, origin: str, what: str) -> object:
    """A copy of a parsed metadata value with lone surrogates replaced; ``SourceError`` when it
    is circular (a YAML alias to itself), nested deeper than ``MAX_METADATA_DEPTH`` or expands
    to more than ``MAX_METADATA_VALUES`` values (a "billion laughs" anchor bomb)."""
    budget = [MAX_METADATA_VALUES]
    return _bounded(value, 0, frozenset(), budget, origin, what)


def _bounded(
    value: object, depth: int, path: frozenset[int], budget: list[int], origin: str, what: str
) -> object:
    budget[0] -= 1
    if budget[0] < 0:
        raise SourceError(
            origin,
            "too_large",
            f"the {what} expands to more than {MAX_METADATA_VALUES:,} values (repeated YAML "
            "aliases?); write the metadata out plainly",
        )
    if isinstance(value, str):
        return without_surrogates(value)
    if not isinstance(value, dict | list | tuple | set):
        return value
    if id(value) in path:
        raise SourceError(
            origin,
            "front_matter",
            f"the {what} refers to itself (a recursive YAML alias); remove the alias",
        )
    if depth >= MAX_METADATA_DEPTH:
        raise SourceError(
            origin,
            "too_deep",
            f"the {what} is nested more than {MAX_METADATA_DEPTH} levels deep; flatten it",
        )
    inner = path | {id(value)}
    if isinstance(value, dict):
        return {
            without_surrogates(k) if isinstance(k, str) else k: _bounded(
                v, depth + 1, inner, budget, origin, what
            )
            for k, v in value.items()
        }
    return [_bounded(v, depth + 1, inner, budget, origin, what) for v in value]
