"""Broker news pages written as markdown with YAML front matter (the Longbridge style).

Layout read::

    ---
    title: ...          type: ...        locale: en | zh-CN | zh-HK
    url: ...            description: ...  datetime: 2025-10-24T08:30:00Z
    locales:
      - "[zh-CN](https://...)"
    ---
    # Title
    Paragraphs ...
    ### Related Stocks
    - [603986.CN](https://...)
    ## Related News & Research
    - [Headline](https://...)

``Article.text`` is the body rendered as plain text: the title as its first line (the ``# ``
marker dropped), headings without ``#``, links reduced to their words, emphasis markers removed,
and without the Related Stocks / Related News sections (those become ``related_stocks`` and
``related_news``). Keys the reader does not know are kept in ``Article.meta``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import yaml

from tickerwire.codes import normalize_code
from tickerwire.errors import SourceError
from tickerwire.model import Article, Link
from tickerwire.sources.dates import parse_datetime
from tickerwire.sources.fields import (
    bounded_metadata,
    clean_str,
    domain_of,
    headline,
    lang_and_locale,
)

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$", re.MULTILINE)
_RELATED_STOCKS = re.compile(
    r"^related\s+(?:stocks?|securities|tickers|symbols)\b|^(?:相关|相關)(?:股票|个股|個股|证券|證券)",
    re.IGNORECASE,
)
_RELATED_NEWS = re.compile(
    r"^related\s+(?:news|articles?|research|reading|stories)\b"
    r"|^(?:相关|相關)(?:新闻|新聞|资讯|資訊|阅读|閱讀|研究)",
    re.IGNORECASE,
)
_OPENING_HEADING = re.compile(r"\s*#[ \t]+\S")
# Every pattern below runs in time linear in the text: repeated parts cannot cross the character
# that starts another match ('[' for links, '<' for tags, the marker itself for emphasis), so a
# run of 40,000 '[' or '<a' costs no more than ordinary prose.
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_BARE_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+(.+)$", re.MULTILINE)
_EMPHASIS = re.compile(
    r"\*\*(?=\S)([^*\n]{1,400}?)(?<=\S)\*\*|__(?=\S)([^_\n]{1,400}?)(?<=\S)__"
    r"|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)"
)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+|^([ \t]*)[*+](?=[ \t])", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")
# "- [zh-CN](url)" is a markdown link to people but a YAML flow sequence to a YAML parser.
_UNQUOTED_LINK_VALUE = re.compile(
    r"^([ \t]*(?:-[ \t]+|[\w-]+:[ \t]+))(\[[^\[\]\n]*\]\([^()\n]*\))[ \t]*$", re.MULTILINE
)



class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when PyYAML was built with it (several times faster), else pure
    Python; timestamps stay strings, so an impossible date (``2025-13-45``) is an unreadable
    value for ``parse_datetime`` rather than a crash inside the YAML constructor."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_TIME_KEYS = ("datetime", "published_at", "date")
_KNOWN_KEYS = frozenset(
    {
        "title",
        "locale",
        "url",
        "description",
        "datetime",
        "date",
        "published_at",
        "locales",
        "source",
        "publisher",
        "site_name",
        "author",
        "id",
    }
)


def read_markdown(text: str, *, origin: str) -> Iterator[Article | SourceError]:
    """One Article (or a SourceError) for a markdown document."""
    try:
        yield _parse(text, origin)
    except SourceError as exc:
        yield exc


def _parse(text: str, origin: str) -> Article:
    front, body = split_front_matter(text, origin)
    body, related_stocks, related_news = _split_related(body)
    title = clean_str(front.get("title"))
    plain = markdown_to_text(body).strip()
    first = headline(plain)
    if title is None:
        title = first
    if title and first != title and not _OPENING_HEADING.match(body):
        plain = f"{title}\n\n{plain}" if plain else title
    if not plain or plain == title:
        raise SourceError(
            origin, "empty", "the markdown has no body text; add the article body below the title"
        )
    url = clean_str(front.get("url"))
    lang, locale = lang_and_locale(plain, front.get("locale"))
    published = next(
        (p for k in _TIME_KEYS if (p := parse_datetime(front.get(k)))),
        None,
    )
    meta = {k: v for k, v in front.items() if k not in _KNOWN_KEYS}
    stated = next((v for k in _TIME_KEYS if (v := front.get(k)) not in (None, "")), None)
    if published is None and stated is not None:
        meta["unreadable_published_at"] = stated  # out of range or not a time: never invented
    description = clean_str(front.get("description"))
    return Article(
        text=plain,
        title=title,
        published_at=published,
        lang=lang,
        source=_publisher(front) or domain_of(url),
        url=url,
        source_id=clean_str(front.get("id")),
        locale=locale,
        format="markdown",
        origin=origin,
        description=description,
        author=clean_str(front.get("author")),
        related_stocks=related_stocks,
        related_news=related_news,
        locales=_locales(front.get("locales")),
        meta=meta,
    )


def split_front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    """``(front matter mapping, body)``; a document without front matter gives ``({}, text)``."""
    if not text.startswith("---"):
        return {}, text
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].strip() != "---":
        return {}, text
    end = _FRONT_MATTER_END.search(text, first_newline + 1)
    if end is None:
        raise SourceError(
            origin,
            "front_matter",
            "the front matter opened with --- is never closed; add a closing --- line",
        )
    raw = _UNQUOTED_LINK_VALUE.sub(_quote_link, text[first_newline + 1 : end.start()])
    try:
        loaded = yaml.load(raw, Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        raise SourceError(origin, "front_matter", _yaml_problem(exc)) from exc
    except (ValueError, TypeError, OverflowError) as exc:  # a tagged value its constructor refuses
        raise SourceError(
            origin, "front_matter", f"a front matter value cannot be read ({exc}); fix the YAML"
        ) from exc
    except RecursionError as exc:
        raise SourceError(
            origin, "too_deep", "the front matter is nested too deeply; flatten it"
        ) from exc
    loaded = bounded_metadata(loaded, origin=origin, what="front matter")
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise SourceError(
            origin,
            "front_matter",
            f"the front matter is a {type(loaded).__name__}, not key: value pairs; fix the YAML",
        )
    return {str(k): v for k, v in loaded.items()}, text[end.end() :].lstrip("\n")


def _quote_link(m: re.Match[str]) -> str:
    return m.group(1) + "'" + m.group(2).replace("'", "''") + "'"


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
    where = f"line {mark.line + 2}, column {mark.column + 1}" if mark is not None else "?"
    return f"invalid YAML at {where} of the file: {problem}; fix the front matter"


def _split_related(body: str) -> tuple[str, tuple[str, ...], tuple[Link, ...]]:
    """Body without the related sections, the related stock codes and the related links."""
    headings = list(_HEADING.finditer(body))
    kept: list[str] = []
    stocks: list[str] = []
    news: list[Link] = []
    cursor = 0
    for i, h in enumerate(headings):
        name = h.group(2).strip()
        is_stocks, is_news = bool(_RELATED_STOCKS.match(name)), bool(_RELATED_NEWS.match(name))
        if not (is_stocks or is_news):
            continue
        section_end = headings[i + 1].start() if i + 1 < len(headings) else len(body)
        kept.append(body[cursor : h.start()])
        section = body[h.end() : section_end]
        if is_stocks:
            stocks.extend(_codes(section))
        else:
            news.extend(Link(t.strip(), u) for t, u in _LINK.findall(section) if t.strip() and u)
        cursor = section_end
    kept.append(body[cursor:])
    return "".join(kept), tuple(dict.fromkeys(stocks)), tuple(dict.fromkeys(news))


def _codes(section: str) -> list[str]:
    links = _LINK.findall(section)
    labels = [t for t, _ in links] if links else _BARE_ITEM.findall(section)
    return [code for label in labels if (code := normalize_code(label.strip().strip("*`").strip()))]


def markdown_to_text(body: str) -> str:
    """Markdown rendered as plain prose lines (structure kept, markup dropped)."""
    text = _HEADING.sub(_heading_words, body)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or m.group(3) or "", text)
    text = _INLINE_CODE.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _BLOCK_PREFIX.sub(lambda m: f"{m.group(1)}-" if m.group(1) is not None else "", text)
    text = _ESCAPE.sub(r"\1", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text)


def _heading_words(m: re.Match[str]) -> str:
    """A heading's words without the closing ``#`` run ("## Markets ##" → "Markets")."""
    return m.group(2).rstrip(" \t#")


def _publisher(front: dict[str, Any]) -> str | None:
    for key in ("source", "publisher", "site_name"):
        value = clean_str(front.get(key))
        if value:
            return value
    return None


def _locales(value: object) -> tuple[Link, ...]:
    """``locales`` given as ``["[zh-CN](url)", …]``, ``{zh-CN: url}`` or ``[{locale: url}]``."""
    links: list[Link] = []
    items: list[object] = (
        list(value.items())
        if isinstance(value, dict)
        else (value if isinstance(value, list) else [])
    )
    for item in items:
        if isinstance(item, tuple) and len(item) == 2:
            text, url = clean_str(item[0]), clean_str(item[1])
            if text and url:
                links.append(Link(text, url))
        elif isinstance(item, dict):
            links.extend(_locales(item))
        elif isinstance(item, str):
            links.extend(Link(t.strip(), u) for t, u in _LINK.findall(item) if t.strip() and u)
    return tuple(links)
