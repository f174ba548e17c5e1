"""RSS 2.0, Atom and RDF feeds through feedparser, and JSON Feed: one Article per entry.

``Article.text`` is the entry title, a blank line, then its content (or summary) with the HTML
stripped; an entry with a headline only gives the headline. ``origin`` is ``path#N`` (N counts
entries from 1). A feed that is cut off or malformed but from which feedparser still recovers
entries yields them, each with the feed's problem in ``meta["feed_problem"]``. A feed cut off
before its end also yields a ``truncated_feed`` SourceError after the entries (the entry being
read when the file ended is dropped: it is incomplete), as does a damaged feed with no entry.
A JSON Feed (https://jsonfeed.org, versions 1 and 1.1) gives its items the same way; one that is
not valid JSON is a ``bad_json`` error.
"""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import feedparser

from tickerwire.errors import SourceError
from tickerwire.model import Article
from tickerwire.sources.boilerplate import drop_furniture
from tickerwire.sources.dates import parse_datetime
from tickerwire.sources.fields import clean_str, domain_of, lang_and_locale

_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
# Tags stop at the next '<' so that a run of unclosed '<' costs linear time, not quadratic.
_BLOCK_BREAK = re.compile(
    r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote|p|li|h[1-6])\b[^<>]*>", re.IGNORECASE
)
_TAG = re.compile(r"<[^<>]*>")
_SCRIPT_OPEN = re.compile(r"<(script|style)\b", re.IGNORECASE)
_SCRIPT_CLOSE = {
    tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in ("script", "style")
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{2,}")
# feedparser flags these as "bozo" although the feed itself is fine.
_BENIGN_BOZO = tuple(
    getattr(feedparser, name)
    for name in (
        "CharacterEncodingOverride",
        "CharacterEncodingUnknown",
        "NonXMLContentType",
        "ThingsNobodyCaresAboutButMe",
    )
    if hasattr(feedparser, name)
)
_HEAD_CHARS = 4096
_CHAR_REF = re.compile(r"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,16});")
_TRUNCATION_MESSAGES = ("no element found", "unclosed token", "unclosed cdata")


def read_feed(text: str, *, origin: str) -> Iterator[Article | SourceError]:
    """One Article per entry; a damaged feed ends with a ``truncated_feed`` SourceError."""
    if text.lstrip().startswith("{"):
        yield from _read_json_feed(text, origin=origin)
        return
    text, dtd = _without_internal_dtd(text)
    text = _CHAR_REF.sub(_valid_char_ref, text)
    data = _XML_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8")
    parsed = feedparser.parse(io.BytesIO(data))
    entries: list[Any] = list(parsed.entries)
    problem = _damage(parsed)
    if dtd:
        problem = f"{dtd}; {problem}" if problem else dtd
    cut_off = bool(problem) and _cut_off(problem or "")
    if cut_off and entries:
        entries = entries[:-1]  # the entry being read when the file ended is incomplete
    channel: Mapping[str, Any] = parsed.feed
    feed_title = clean_str(channel.get("title"))
    declared = channel.get("language")
    for n, entry in enumerate(entries, start=1):
        item = _entry_article(entry, f"{origin}#{n}", feed_title, declared)
        if problem and isinstance(item, Article):
            item = dataclasses.replace(item, meta={**item.meta, "feed_problem": problem})
        yield item
    if cut_off or (problem and not entries):
        yield SourceError(
            origin,
            "truncated_feed",
            f"the feed is cut off or malformed ({problem}); {len(entries)} entries read before "
            "it. Download the feed again or fix the XML",
        )
    elif not entries:
        yield SourceError(origin, "empty", "the feed has no entries; check the feed URL or file")


def _read_json_feed(text: str, *, origin: str) -> Iterator[Article | SourceError]:
    try:
        feed = json.loads(text)
    except (ValueError, RecursionError) as exc:
        yield SourceError(origin, "bad_json", f"the JSON Feed is not valid JSON ({exc}); fix the feed")
        return
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list) or not items:
        yield SourceError(origin, "empty", "the JSON Feed has no items; check the feed URL or file")
        return
    feed_title = clean_str(feed.get("title"))
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield _entry_article(_json_feed_entry(item), f"{origin}#{n}", feed_title,
                                 feed.get("language"))
        else:
            yield SourceError(f"{origin}#{n}", "bad_json", "a JSON Feed item is not an object")


def _json_feed_entry(item: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON Feed item in the shape of a feedparser entry, for ``_entry_article``."""
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    author = next((a.get("name") for a in authors if isinstance(a, dict) and a.get("name")), None)
    content = item.get("content_html") or html.escape(str(item.get("content_text") or ""))
    return {
        "title": item.get("title"),
        "link": item.get("url") or item.get("external_url"),
        "id": item.get("id"),
        "summary": item.get("summary"),
        "content": [{"value": content}] if content else [],
        "published": item.get("date_published"),
        "updated": item.get("date_modified"),
        "author": author,
        "language": item.get("language"),
        "tags": [{"term": str(tag)} for tag in item.get("tags") or () if tag],
    }


def _valid_char_ref(m: re.Match[str]) -> str:
    """A character reference to a surrogate or past U+10FFFF (which feedparser cannot encode)
    becomes U+FFFD, like an HTML parser does; any other is left as written."""
    digits = m.group(1)
    point = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    return "&#xFFFD;" if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF else m.group(0)


def _without_internal_dtd(text: str) -> tuple[str, str | None]:
    """``text`` without a ``<!DOCTYPE … [ … ]>`` internal subset, and a note when one was there.

    A feed has no use for entities of its own, and expanding nested ones ("billion laughs")
    turns a few hundred bytes into megabytes: their references are left unexpanded instead.
    """
    start = text.find("<!DOCTYPE", 0, _HEAD_CHARS)
    if start < 0:
        start = text.find("<!doctype", 0, _HEAD_CHARS)
    if start < 0:
        return text, None
    subset = text.find("[", start, start + 500)
    if subset < 0:
        return text, None
    end = text.find("]>", subset)
    end = len(text) if end < 0 else text.find(">", end) + 1
    note = "its DOCTYPE declares entities, which are not expanded"
    return text[:start] + text[end:], note


def _damage(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if exc is None or isinstance(exc, _BENIGN_BOZO):
        return None
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
    return f"{message} at line {line}" if line else str(message)


def _cut_off(problem: str) -> bool:
    return problem.lower().startswith(_TRUNCATION_MESSAGES)


def _entry_article(
    entry: Any, origin: str, feed_title: str | None, declared: object
) -> Article | SourceError:
    title = clean_str(html_to_text(str(entry.get("title") or "")))
    body = drop_furniture(html_to_text(_entry_html(entry))).strip()
    first_line, _, rest = body.partition("\n")
    if title and first_line.strip() == title:
        body = rest.strip()
    text = f"{title}\n\n{body}" if title and body else (title or body)
    if not text:
        return SourceError(origin, "empty", "the feed entry has neither a title nor any text")
    lang, locale = lang_and_locale(text, entry.get("language") or declared)
    url = clean_str(entry.get("link"))
    summary = clean_str(html_to_text(str(entry.get("summary") or "")))
    return Article(
        text=text,
        title=title,
        published_at=_entry_time(entry),
        lang=lang,
        source=feed_title or domain_of(url),
        url=url,
        source_id=clean_str(entry.get("id")),
        locale=locale,
        format="rss",
        origin=origin,
        description=summary if summary and summary != body else None,
        author=clean_str(entry.get("author")),
        meta={"tags": [t["term"] for t in entry.get("tags", []) if t.get("term")]}
        if entry.get("tags")
        else {},
    )


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    longest = max((str(c.get("value") or "") for c in contents), key=len, default="")
    summary = str(entry.get("summary") or "")
    return longest if len(longest) >= len(summary) else summary


def _entry_time(entry: Any) -> Any:
    for key in ("published", "updated", "created"):
        value = parse_datetime(entry.get(key))
        if value is not None:
            return value
    for key in ("published_parsed", "updated_parsed"):
        value = parse_datetime(entry.get(key))
        if value is not None:
            return value
    return None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: block tags become line breaks, entities are decoded."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    text = _without_scripts(fragment)
    text = _BLOCK_BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n", "\n".join(lines)).strip()


def _without_scripts(fragment: str) -> str:
    """``fragment`` without ``<script>``/``<style>`` elements; an unclosed one runs to the end.

    A scan rather than a lazy ``.*?`` pattern, which would rescan the rest of the text from
    every unclosed opening tag.
    """
    kept: list[str] = []
    pos = 0
    while (m := _SCRIPT_OPEN.search(fragment, pos)) is not None:
        kept.append(fragment[pos : m.start()])
        close = _SCRIPT_CLOSE[m.group(1).lower()].search(fragment, m.end())
        if close is None:
            return "".join(kept)
        pos = close.end()
    kept.append(fragment[pos:])
    return "".join(kept)
