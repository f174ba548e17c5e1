"""Small field rules every reader applies the same way (headline, publisher, language)."""

from __future__ import annotations

from urllib.parse import urlsplit

from tickerwire.sources.text import detect_lang, guess_locale

MAX_HEADLINE = 300

_LOCALE_CASE = {"cn": "CN", "hk": "HK", "tw": "TW", "sg": "SG", "mo": "MO", "us": "US", "gb": "GB"}


def headline(text: str) -> str | None:
    """The first non-empty line, when it is short enough to be a headline."""
    for line in text.split("\n"):
        s = line.strip()
        if s:
            return s if len(s) <= MAX_HEADLINE else None
    return None


def domain_of(url: str | None) -> str | None:
    """``example.com`` for ``https://www.example.com/a/b`` (None for no URL or no host)."""
    if not url:
        return None
    host = urlsplit(url.strip()).hostname
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
