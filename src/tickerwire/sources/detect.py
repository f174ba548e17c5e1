"""Which reader a document needs, decided by its content; the file extension is only a hint."""

from __future__ import annotations

import json
import re
from pathlib import PurePath

FORMATS = ("markdown", "text", "html", "rss", "jsonl")

_HEAD_CHARS = 4096
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n")
_MD_HEADING = re.compile(r"#{1,6} \S")
_MD_STRUCTURE = re.compile(
    r"^#{1,6} \S|\]\([^)\s]+\)|^\s*(?:[-*+]|\d+\.) \S|\*\*\S|^>\s|^```", re.MULTILINE
)
_JSON_FEED = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_ROOT = re.compile(r"<(?:!doctype\s+html|html|head|body|article)\b", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:p|div|span|h[1-6]|br|a|section|main|meta|title)\b", re.IGNORECASE)
_LEADING_NOISE = re.compile(r"^(?:\ufeff|\s|<!--.*?-->)*", re.DOTALL)

_EXTENSION_HINTS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "rss",
    ".rss": "rss",
    ".atom": "rss",
    ".rdf": "rss",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".text": "text",
}


def detect_format(data: bytes | str, filename: str | None) -> str:
    """One of ``FORMATS`` for ``data``.

    Content decides: a ``---`` front-matter block or a ``# `` heading with more markdown
    structure → markdown; ``<html``/``<!doctype``/``<article`` → html; an RSS/Atom/RDF root or a
    JSON Feed (https://jsonfeed.org) → rss; lines that are JSON objects → jsonl. Only when the
    content is plain prose does the extension (``.md``, ``.html``, ``.xml``, ``.jsonl`` …) tip the balance.
    """
    head = _head_text(data)
    hint = _EXTENSION_HINTS.get(PurePath(filename).suffix.lower()) if filename else None
    if _FRONT_MATTER.match(head):
        return "markdown"
    if head.startswith("<"):
        return _markup_format(head, hint)
    if head.startswith("{"):
        if _JSON_FEED.search(head):
            return "rss"  # a JSON Feed: the feed reader reads it
        jsonl = _jsonl_format(head, hint)
        if jsonl:
            return jsonl
    if _MD_HEADING.match(head) and _MD_STRUCTURE.search(head, 1):
        return "markdown"
    if hint == "markdown":
        return "markdown"
    return "text"


def _head_text(data: bytes | str) -> str:
    if isinstance(data, bytes):
        head = data[: _HEAD_CHARS * 2].decode("utf-8", errors="ignore")
    else:
        head = data[: _HEAD_CHARS * 2]
    m = _LEADING_NOISE.match(head)
    return head[m.end() if m else 0 :][:_HEAD_CHARS]


def _markup_format(head: str, hint: str | None) -> str:
    root_search = head[:_HEAD_CHARS]
    feed = _FEED_ROOT.search(root_search)
    html = _HTML_ROOT.search(root_search)
    if feed and (not html or feed.start() < html.start()):
        return "rss"
    if html:
        return "html"
    if hint == "rss" or head.startswith("<?xml"):
        return "rss"
    if hint == "html" or _HTML_TAG.search(root_search):
        return "html"
    return "text"


def _jsonl_format(head: str, hint: str | None) -> str | None:
    lines = [line for line in head.split("\n", 3)[:3] if line.strip()]
    first = lines[0].strip()
    try:
        parsed = json.loads(first)
    except RecursionError:
        return "jsonl"  # nested too deeply for an article; the JSON Lines reader says so
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return "jsonl"
    if hint == "jsonl":
        return "jsonl"
    # A broken first line among object-shaped lines is still JSON Lines (the reader reports it).
    if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"
    return None
