"""Newspaper web pages (SCMP style) through trafilatura.

trafilatura finds the article body and its metadata (title, author, site name, date) and drops
navigation, asides and most furniture; a line filter then removes what it leaves (captions,
"Copyright ©", newsletter plugs, "More on this" boxes). ``Article.text`` is the title, a blank
line, then the cleaned body. The publication time comes from ``article:published_time`` /
``datePublished`` / ``<time datetime>`` when the page states one (trafilatura only keeps the date),
else trafilatura's date at Hong Kong midnight.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.settings import set_date_params

from tickerwire.errors import SourceError
from tickerwire.model import Article
from tickerwire.sources.dates import parse_datetime
from tickerwire.sources.fields import clean_str, domain_of, lang_and_locale
from tickerwire.sources.plaintext import clean_plain_text

logger = logging.getLogger(__name__)

# Patterns stop at the next '<', so a page of unclosed tags costs linear time.
_META_TAG = re.compile(r"<meta\b[^<>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""(?<![a-zA-Z:_-])([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TIME_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
)
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_TIME_ELEMENT = re.compile(
    r"<time\b[^<>]*?\bdatetime\s*=\s*[\"']([^\"']{8,40})[\"']", re.IGNORECASE
)
_HTML_LANG = re.compile(
    r"<html\b[^<>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)", re.IGNORECASE
)
_HEAD_LIMIT = 200_000


def read_html(text: str, *, origin: str) -> Iterator[Article | SourceError]:
    """One Article (or a SourceError) for an HTML page."""
    try:
        document = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # No extensive date search: it hands odd strings to dateparser, whose first use
            # compiles every locale (seconds of CPU on one page); the page's own time tags and
            # the ordinary htmldate patterns are enough.
            date_extraction_params=set_date_params(extensive=False),
        )
    except (ValueError, TypeError, etree.LxmlError) as exc:
        logger.debug("trafilatura failed on %s", origin, exc_info=True)
        yield SourceError(
            origin, "bad_html", f"the page could not be parsed ({exc}); save the page again"
        )
        return
    fields = (
        document.as_dict()
        if document is not None and not isinstance(document, dict)
        else (document or {})
    )
    title = clean_str(fields.get("title"))
    body = _body_without_title(clean_plain_text(str(fields.get("text") or "")), title)
    if not body:
        yield SourceError(
            origin, "empty", "no article body was found in the page; pass the article page itself"
        )
        return
    full_text = f"{title}\n\n{body}" if title else body
    head = text[:_HEAD_LIMIT]
    lang, locale = lang_and_locale(full_text, _declared_locale(head))
    url = clean_str(fields.get("url"))
    description = clean_str(fields.get("description"))
    yield Article(
        text=full_text,
        title=title,
        published_at=_published(head) or parse_datetime(fields.get("date")),
        lang=lang,
        source=_publisher(fields, head, title) or domain_of(url),
        url=url,
        locale=locale,
        format="html",
        origin=origin,
        description=description,
        author=clean_str(fields.get("author")),
        meta=_extra(fields),
    )


def _body_without_title(body: str, title: str | None) -> str:
    """trafilatura often repeats the ``<h1>`` as the first body line; keep the title once."""
    if title:
        first, _, rest = body.partition("\n")
        if first.strip() == title:
            return rest.strip("\n")
    return body


def _published(head: str) -> datetime | None:
    metas: dict[str, str] = {}
    for tag in _META_TAG.findall(head):
        attrs = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
            for m in _ATTR.finditer(tag)
        }
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _TIME_KEYS and "content" in attrs:
            metas.setdefault(key, attrs["content"])
    candidates = [metas[k] for k in _TIME_KEYS if k in metas]
    candidates += _JSON_LD_DATE.findall(head)[:1] + _TIME_ELEMENT.findall(head)[:1]
    for value in candidates:
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
    return None


def _declared_locale(head: str) -> str | None:
    m = _HTML_LANG.search(head)
    if m:
        return m.group(1)
    for tag in _META_TAG.findall(head):
        if "og:locale" in tag.lower():
            content = re.search(r"content\s*=\s*[\"']([^\"']+)", tag, re.IGNORECASE)
            if content:
                return content.group(1)
    return None


def _extra(fields: dict[str, object]) -> dict[str, object]:
    keep = ("hostname", "categories", "tags", "image", "pagetype")
    return {k: fields[k] for k in keep if fields.get(k)}


_TITLE_TAG = re.compile(r"<title\b[^<>]*>([^<]*)</title>", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—_]\s+|\s*[|｜]\s*")


def _publisher(fields: dict[str, Any], head: str, title: str | None) -> str | None:
    """og:site_name, else the site part of <title> ("Headline - Harbour Times"); never the headline."""
    sitename = clean_str(fields.get("sitename"))
    if sitename and (not title or sitename.strip() != title.strip()):
        return sitename
    m = _TITLE_TAG.search(head)
    if not m:
        return None
    parts = [p.strip() for p in _TITLE_SEPARATOR.split(html.unescape(m.group(1)).strip()) if p.strip()]
    if len(parts) > 1 and parts[-1] != (title or "").strip() and len(parts[-1]) <= 40:
        return parts[-1]
    return None
