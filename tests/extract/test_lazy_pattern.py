"""A module-level pattern few articles reach is compiled on its first use (``lexicon.LazyPattern``)
and matches exactly as the pattern compiled at import did."""

from __future__ import annotations

import pytest
import regex

from tickerwire.extract import facts
from tickerwire.extract.lexicon import LazyPattern

SOURCE = r"\s*(?:(?:rose|fell|升|跌|上漲|下跌)\s*)?(?:to|至|到)\s*(?:近|约|約|逾)?\s*"
TEXTS = [
    " rose to ",
    " to about ",
    "升至",
    "跌至近",
    "上漲至逾",
    " TO ",  # case-insensitive
    " rose sharply to ",  # no match
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("span", [(0, None), (1, None), (0, 3)])
def test_a_lazy_pattern_matches_as_the_compiled_one(text: str, span: tuple[int, int | None]) -> None:
    lazy = LazyPattern(SOURCE, regex.IGNORECASE)
    compiled = regex.compile(SOURCE, regex.IGNORECASE)
    pos, endpos = span

    def found(match: regex.Match[str] | None) -> tuple[int, int] | None:
        return match.span() if match else None

    assert found(lazy.match(text, pos, endpos)) == found(compiled.match(text, pos, endpos))
    assert found(lazy.fullmatch(text, pos, endpos)) == found(compiled.fullmatch(text, pos, endpos))
    assert found(lazy.search(text, pos, endpos)) == found(compiled.search(text, pos, endpos))


def test_a_lazy_pattern_compiles_on_first_use_once() -> None:
    lazy = LazyPattern(SOURCE, regex.IGNORECASE)
    assert lazy._compiled is None
    assert lazy.fullmatch(" rose to ")
    first = lazy.compiled
    assert lazy.search("跌至") and lazy.compiled is first
    assert first.pattern == SOURCE and first.flags & regex.IGNORECASE


@pytest.mark.parametrize("name", ["_SUBJECTLESS", "_RATE_TO"])
def test_the_fact_rules_rare_patterns_are_compiled_on_first_use(name: str) -> None:
    lazy = getattr(facts, name)
    assert isinstance(lazy, LazyPattern)
    assert lazy.compiled.pattern == lazy.source and lazy.compiled.flags & regex.IGNORECASE
