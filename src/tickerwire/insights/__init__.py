"""Use cases over the store: timelines, movers, the market board, the IPO pipeline, briefs.

Every function takes a store (see ``StoreReader``) and ``as_of``: rows first seen or extracted
after that instant are invisible, so a past question gets the answer it would have got then.
Every number returned cites the article words it came from (``SourceRef``). The CLI, API and
dashboard call these functions and render what they return; they do not query the store.

Importing this package is cheap: each name below is imported from its module when it is first
read (PEP 562), so ``tickerwire market`` loads the market board's modules and not the IPO
pipeline's, the stories' (datasketch) or the extraction pipeline's.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tickerwire.insights.articles import ArticleView, Highlight, RelatedStock, article_view
    from tickerwire.insights.brief import Brief, BriefLine, BriefPart, BriefSection, brief
    from tickerwire.insights.ipos import IpoEntry, IpoEvent, IpoPage, StageDate, ipo_page, ipos
    from tickerwire.insights.issuers import (
        AmbiguousSecurityError,
        IndexInfo,
        IssuerHeader,
        ListingInfo,
        UnknownSecurityError,
        resolve_issuer,
    )
    from tickerwire.insights.latest import latest_news
    from tickerwire.insights.market import AmountRow, IndexRow, MarketBoard, market
    from tickerwire.insights.movers import Driver, Mover, MoversBoard, movers
    from tickerwire.insights.prices import ListingPrices, PriceHistory, PricePoint, price_history
    from tickerwire.insights.reader import StoreReader
    from tickerwire.insights.readings import Reading
    from tickerwire.insights.refs import SourceRef
    from tickerwire.insights.search import (
        FacetValue,
        SearchFacets,
        SearchPage,
        search_articles,
        security_named,
        security_query,
    )
    from tickerwire.insights.stories import (
        RebuildSummary,
        StoryAssigner,
        StoryMembership,
        rebuild_stories,
        story_of,
    )
    from tickerwire.insights.story_views import (
        StoryArticle,
        StoryDetail,
        StoryFact,
        StoryPage,
        StorySummary,
        list_stories,
        story_detail,
    )
    from tickerwire.insights.study import ReturnStats, Study, StudyRow, study
    from tickerwire.insights.timeline import (
        DayPoint,
        Timeline,
        TimelineArticle,
        TimelineEvent,
        TimelineFact,
        timeline,
    )
    from tickerwire.insights.timeline_page import TimelinePage, timeline_page
    from tickerwire.insights.verify import (
        CheckedNumber,
        SourceRecord,
        VerificationReport,
        verification_report,
    )

# Each public name and the module of this package that defines it.
_EXPORTS = {
    "AmbiguousSecurityError": "issuers",
    "AmountRow": "market",
    "ArticleView": "articles",
    "Brief": "brief",
    "BriefLine": "brief",
    "BriefPart": "brief",
    "BriefSection": "brief",
    "CheckedNumber": "verify",
    "DayPoint": "timeline",
    "Driver": "movers",
    "FacetValue": "search",
    "Highlight": "articles",
    "IndexInfo": "issuers",
    "IndexRow": "market",
    "IpoEntry": "ipos",
    "IpoEvent": "ipos",
    "IpoPage": "ipos",
    "IssuerHeader": "issuers",
    "ListingInfo": "issuers",
    "ListingPrices": "prices",
    "MarketBoard": "market",
    "Mover": "movers",
    "MoversBoard": "movers",
    "PriceHistory": "prices",
    "PricePoint": "prices",
    "Reading": "readings",
    "RebuildSummary": "stories",
    "RelatedStock": "articles",
    "ReturnStats": "study",
    "SearchFacets": "search",
    "SearchPage": "search",
    "SourceRecord": "verify",
    "SourceRef": "refs",
    "StageDate": "ipos",
    "StoreReader": "reader",
    "StoryArticle": "story_views",
    "StoryAssigner": "stories",
    "StoryDetail": "story_views",
    "StoryFact": "story_views",
    "StoryMembership": "stories",
    "StoryPage": "story_views",
    "StorySummary": "story_views",
    "Study": "study",
    "StudyRow": "study",
    "Timeline": "timeline",
    "TimelineArticle": "timeline",
    "TimelineEvent": "timeline",
    "TimelineFact": "timeline",
    "TimelinePage": "timeline_page",
    "UnknownSecurityError": "issuers",
    "VerificationReport": "verify",
    "article_view": "articles",
    "brief": "brief",
    "ipo_page": "ipos",
    "ipos": "ipos",
    "latest_news": "latest",
    "list_stories": "story_views",
    "market": "market",
    "movers": "movers",
    "price_history": "prices",
    "rebuild_stories": "stories",
    "resolve_issuer": "issuers",
    "search_articles": "search",
    "security_named": "search",
    "security_query": "search",
    "story_detail": "story_views",
    "story_of": "stories",
    "study": "study",
    "timeline": "timeline",
    "timeline_page": "timeline_page",
    "verification_report": "verify",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


class _Package(ModuleType):
    """This package's module type: a submodule named like the function it defines (``market``,
    ``brief``, ``timeline`` …) does not replace that function as the package's attribute when it
    is imported, so ``insights.market`` is the function whichever module was imported first."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "AmbiguousSecurityError",
    "AmountRow",
    "ArticleView",
    "Brief",
    "BriefLine",
    "BriefPart",
    "BriefSection",
    "CheckedNumber",
    "DayPoint",
    "Driver",
    "FacetValue",
    "Highlight",
    "IndexInfo",
    "IndexRow",
    "IpoEntry",
    "IpoEvent",
    "IpoPage",
    "IssuerHeader",
    "ListingInfo",
    "ListingPrices",
    "MarketBoard",
    "Mover",
    "MoversBoard",
    "PriceHistory",
    "PricePoint",
    "Reading",
    "RebuildSummary",
    "RelatedStock",
    "ReturnStats",
    "SearchFacets",
    "SearchPage",
    "SourceRecord",
    "SourceRef",
    "StageDate",
    "StoreReader",
    "StoryArticle",
    "StoryAssigner",
    "StoryDetail",
    "StoryFact",
    "StoryMembership",
    "StoryPage",
    "StorySummary",
    "Study",
    "StudyRow",
    "Timeline",
    "TimelineArticle",
    "TimelineEvent",
    "TimelineFact",
    "TimelinePage",
    "UnknownSecurityError",
    "VerificationReport",
    "article_view",
    "brief",
    "ipo_page",
    "ipos",
    "latest_news",
    "list_stories",
    "market",
    "movers",
    "price_history",
    "rebuild_stories",
    "resolve_issuer",
    "search_articles",
    "security_named",
    "security_query",
    "story_detail",
    "story_of",
    "study",
    "timeline",
    "timeline_page",
    "verification_report",
]
