"""``GET /api/stories`` and ``GET /api/stories/{id}``: news grouped into stories."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from tickerwire import insights
from tickerwire.api.schemas import ERROR_RESPONSES
from tickerwire.serialize import jsonable
from tickerwire.server.deps import Stores
from tickerwire.server.params import AsOf, Day, Paging, next_page, parse_day

router = APIRouter(prefix="/stories", tags=["stories"], responses=ERROR_RESPONSES)


@router.get("", summary="Stories, newest first")
def stories(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    page: Paging,
    day: Day,
    since: Annotated[str | None, Query(description="From YYYY-MM-DD (inclusive).")] = None,
    until: Annotated[str | None, Query(description="To YYYY-MM-DD (inclusive).")] = None,
    stock: Annotated[
        str | None, Query(description="Only stories about this company (any code form or name).")
    ] = None,
    min_articles: Annotated[
        int, Query(ge=1, le=1000, description="Only stories told by at least this many articles.")
    ] = 1,
) -> Any:
    """Each story once: its lead article's title and day, how many other articles tell it
    (`other_sources`), their sources, languages and subjects. `date` picks one Hong Kong day;
    `total` counts stories across pages, up to 1,000 or the page's end (`total_exact` false:
    there are more); `next` is the next page's URL."""
    limit, offset = page
    first = day or parse_day(since, "since")
    last = day or parse_day(until, "until")
    subjects = insights.resolve_issuer(stock).codes if stock else None
    body = stores.read(insights.list_stories, since=first, until=last, subjects=subjects,
                       min_articles=min_articles, limit=limit, offset=offset, as_of=as_of)
    return {**jsonable(body), "next": next_page(request, limit=limit, offset=offset,
                                                 total=body.total)}


@router.get("/{story_id}", summary="One story")
def story(
    stores: Stores,
    as_of: AsOf,
    story_id: Annotated[str, Path(description="A story id (st-…) from /api/stories.")],
) -> Any:
    """The story's articles (lead first) with why each joined and its novelty, and every fact
    they state with `first_report` and the article that reported it first."""
    return jsonable(stores.read(insights.story_detail, story_id, as_of=as_of))
