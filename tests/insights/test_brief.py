"""The brief: structure, citations, no number without a stored fact, safe HTML."""

from __future__ import annotations

from datetime import date

import pytest
from brief_numbers import numbers, unsupported_numbers
from insight_stores import BETWEEN

from tickerwire.insights import brief
from tickerwire.store import Store

MONDAY = date(2025, 10, 13)


def test_brief_has_the_sections_of_a_market_wrap(handmade: Store) -> None:
    wrap = brief(handmade, MONDAY)
    assert [s.key for s in wrap.sections] == ["market", "movers", "sectors", "ipos", "risks"]
    assert wrap.headline.text.startswith("Hang Seng Index down 1.52% at 25,889.48")
    sections = {s.key: s for s in wrap.sections}
    assert any("turnover" in line.text.lower() for line in sections["market"].lines)
    assert any("Southbound" in line.text for line in sections["market"].lines)
    assert "Chip stocks slumped" in sections["sectors"].lines[0].text
    assert "tariff" in sections["risks"].lines[0].text


def test_disagreement_appears_in_the_brief_with_both_sources(handmade: Store) -> None:
    wrap = brief(handmade, MONDAY)
    movers = next(s for s in wrap.sections if s.key == "movers")
    smic = movers.lines[0]
    assert "sources differ" in smic.text
    assert "HK$76.35" in smic.text and "HK$76.50" in smic.text
    cited = {wrap.sources[n - 1].source for part in smic.parts for n in part.refs}
    assert {"Wire A", "Wire B"} <= cited


def test_quotes_keep_the_articles_numbers_and_words(handmade: Store) -> None:
    risks = next(s for s in brief(handmade, MONDAY).sections if s.key == "risks")
    assert "additional 100% tariff" in risks.lines[0].text
    assert "…%" not in risks.lines[0].text


@pytest.mark.parametrize("render", ["render_text", "render_markdown"])
def test_every_number_in_the_brief_cites_a_stored_fact(handmade: Store, render: str) -> None:
    wrap = brief(handmade, MONDAY)
    rendered = getattr(wrap, render)()
    assert len(list(numbers(rendered))) > 10
    assert unsupported_numbers(handmade, wrap, rendered) == []


def test_sources_quote_the_article_words(handmade: Store) -> None:
    wrap = brief(handmade, MONDAY)
    for ref in wrap.sources:
        stored = handmade.get_article(ref.article_id)
        assert stored is not None
        assert stored.text[ref.start:ref.end] == ref.quote


def test_html_is_escaped_and_self_contained(handmade: Store) -> None:
    html = brief(handmade, MONDAY).render_html()
    assert "<b>closes</b>" not in html
    assert "SMIC &lt;b&gt;closes&lt;/b&gt; lower &amp; chips slide" in html
    assert "<script" not in html and "http://" not in html.split("<body>")[0]
    assert 'href="#src-1"' in html and 'id="src-1"' in html


def test_brief_as_of_sees_only_what_was_known(handmade: Store) -> None:
    earlier = brief(handmade, as_of=BETWEEN)
    assert earlier.day == MONDAY
    later = brief(handmade)
    assert later.day == date(2025, 10, 14)
    assert "Hua Hong" in later.render_text()
