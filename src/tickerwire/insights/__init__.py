"""Use cases over the store: timelines, movers, the market board, the IPO pipeline, briefs.

Every function takes a store (see ``StoreReader``) and ``as_of``: rows first seen or extracted
after that instant are invisible, so a past question gets the answer it would have got then.
Every number returned cites the article words it came from (``SourceRef``). The CLI, API and
dashboard call these functions and render what they return; they do not query the store.
"""

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
