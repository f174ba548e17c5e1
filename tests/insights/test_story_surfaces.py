"""Stories where the other views show them: the brief's sources and the stock timeline."""

from __future__ import annotations

from datetime import date

import pytest
from markdown_it import MarkdownIt

from tickerwire import insights
from tickerwire.insights import brief_render
from tickerwire.store import Store

WRAP_DAY = date(2025, 10, 30)  # three HK wraps of the day, in English, 简体 and 繁體


@pytest.fixture(scope="module")
def wrap_brief(corpus: Store) -> insights.Brief:
    return insights.brief(corpus, WRAP_DAY)


def test_brief_lists_each_story_once(corpus: Store, wrap_brief: insights.Brief) -> None:
    groups = brief_render.by_story(wrap_brief)
    stories = [wrap_brief.source_stories[n - 1] for g in groups for n, _ in g.quotes[:1]]
    assert len(stories) == len(set(stories))
    assert len(wrap_brief.source_stories) == len(wrap_brief.sources)
    memberships = corpus.story_memberships([ref.article_id for ref in wrap_brief.sources])
    for group in groups:
        ids = {memberships[ref.article_id].story_id for _, ref in group.quotes}
        assert len(ids) == 1


def test_brief_counts_the_other_sources_of_a_story(wrap_brief: insights.Brief) -> None:
    wraps = [g for g in brief_render.by_story(wrap_brief) if g.more == 2]
    assert len(wraps) == 1
    assert wraps[0].more_text() == " +2 sources"
    assert "+2 sources" in wrap_brief.render_text()
    assert "+2 sources" in wrap_brief.render_html()
    html = MarkdownIt().render(wrap_brief.render_markdown())
    assert "+2 sources" in html


def test_brief_numbers_each_storys_quotes_together(wrap_brief: insights.Brief) -> None:
    numbers = [n for g in brief_render.by_story(wrap_brief) for n, _ in g.quotes]
    assert numbers == list(range(1, len(wrap_brief.sources) + 1))


def test_a_quote_from_another_article_of_the_story_names_its_article(
    wrap_brief: insights.Brief,
) -> None:
    text = wrap_brief.render_text()
    others = [line for line in text.splitlines() if line.startswith("  [") and " — " in line]
    assert others  # the 30 Oct story is cited from more than one of its articles
    assert all("HKT)" in line for line in others)


def test_a_brief_without_stories_keeps_its_sources(handmade: Store) -> None:
    brief = insights.brief(handmade, date(2025, 10, 13))
    assert brief.sources
    assert all(more == 0 for more in brief.more_sources)
    assert "+" not in "".join(g.more_text() for g in brief_render.by_story(brief))


def test_stock_timeline_counts_stories_per_day(corpus: Store) -> None:
    timeline = insights.timeline(corpus, "CATL")
    day = next(p for p in timeline.days if p.day == date(2025, 10, 22))
    assert (day.articles, day.stories) == (3, 2)  # results in English and 繁體, and a wrap
    assert all(p.stories <= p.articles for p in timeline.days)
    ids = {a.story_id for a in timeline.articles if a.day == date(2025, 10, 22)}
    assert len(ids) == 2 and None not in ids
