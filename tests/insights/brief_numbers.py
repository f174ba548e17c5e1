"""Checking a rendered brief: every number in its body is a cited stored fact's value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tickerwire.insights import Brief
from tickerwire.insights.quotes import DATE
from tickerwire.store import Store
from tickerwire.store.rows import FactRow

MARKER = re.compile(r"\\?\[(\d+)\\?\]")
CODE = re.compile(r"\b[0-9A-Z]{1,6}\.[A-Z]{2}\b")
AMOUNT = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?:(?P<range>–\d+(?:,\d{3})*(?:\.\d+)?))?"
    r"\s*(?P<unit>trillion|billion|million|万亿|萬億|亿|億|万|萬)?"
)
_SCALE = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "万亿": 1e12, "萬億": 1e12,
          "亿": 1e8, "億": 1e8, "万": 1e4, "萬": 1e4}


def body_lines(rendered: str) -> list[str]:
    """The lines before the sources list, without the title line."""
    lines = rendered.splitlines()
    end = next(i for i, line in enumerate(lines) if line.strip("# ") == "Sources")
    return lines[1:end]


def numbers(line: str) -> Iterator[tuple[str, float]]:
    """(written form, value) of every number in a line that is not a marker, code or date."""
    cleaned = MARKER.sub(" ", CODE.sub(" ", line))
    dates = [m.span() for m in DATE.finditer(cleaned)]
    for match in AMOUNT.finditer(cleaned):
        if any(a <= match.start() < b for a, b in dates):
            continue
        scale = _SCALE.get(match.group("unit") or "", 1.0)
        yield match.group(0), float(match.group("num").replace(",", "")) * scale
        if match.group("range"):
            yield match.group(0), float(match.group("range")[1:].replace(",", "")) * scale


def cited_facts(store: Store, brief: Brief, line: str) -> list[FactRow]:
    """Facts stored at the spans the line's markers cite, or inside them (quoted words)."""
    refs = [brief.sources[int(n) - 1] for n in MARKER.findall(line)]
    facts = store.fact_rows(as_of=brief.as_of)  # an IPO line may cite an earlier day's raise
    return [
        fact for fact in facts for ref in refs
        if fact.article_id == ref.article_id and ref.start <= fact.start and fact.end <= ref.end
    ]


def supports(fact: FactRow, written: str, value: float) -> bool:
    fields = (fact.value, fact.value_max, fact.pct, fact.points, fact.price)
    close = any(f is not None and abs(abs(f) - value) <= 1e-6 * max(1.0, value) for f in fields)
    return close or written.split("–")[0].strip() in fact.text


QUOTED = re.compile(r"“([^”]*)”")


def misquoted(store: Store, brief: Brief, line: str) -> list[str]:
    """Quotes of the line that are not the words of an article the line cites."""
    refs = [brief.sources[int(n) - 1] for n in MARKER.findall(line)]
    texts = []
    for ref in refs:
        article = store.get_article(ref.article_id, as_of=brief.as_of)
        if article is not None:
            texts.append(" ".join(article.text.split()))
    wrong = []
    for quoted in QUOTED.findall(line):
        words = " ".join(quoted.removesuffix(" …").replace("\\", "").split())
        if not any(words in text for text in texts):
            wrong.append(quoted)
    return wrong


def unsupported_numbers(store: Store, brief: Brief, rendered: str) -> list[str]:
    """Numbers the brief writes that no cited fact supports, and quotes that are not the
    article's own words (numbers inside a quote are the article's, so they are not checked)."""
    problems = []
    for line in body_lines(rendered):
        facts = cited_facts(store, brief, line)
        problems.extend(f"misquoted {q!r}" for q in misquoted(store, brief, line))
        for written, value in numbers(QUOTED.sub("“”", line)):
            if not any(supports(fact, written, value) for fact in facts):
                problems.append(f"{written!r} in {line!r}")
    return problems
