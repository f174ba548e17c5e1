"""``GET /api/stocks/{query}``: one issuer's news timeline, a page of articles at a time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from tickerwire.api.schemas import ERROR_RESPONSES
from tickerwire.insights.timeline_page import timeline_page
from tickerwire.serialize import jsonable
from tickerwire.server.deps import Stores
from tickerwire.server.params import AsOf, Paging, next_page, parse_day

router = APIRouter(prefix="/stocks", tags=["stocks"], responses=ERROR_RESPONSES)


@router.get("/{query}", summary="Timeline of one issuer")
def stock_timeline(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    page: Paging,
    query: Annotated[
        str, Path(description="Any code form or name: 00981.HK, 981 HK, 688981.SH, SMIC, 中芯国际.")
    ],
    since: Annotated[str | None, Query(description="From YYYY-MM-DD (inclusive).")] = None,
    until: Annotated[str | None, Query(description="To YYYY-MM-DD (inclusive).")] = None,
) -> Any:
    """The issuer with all its listings and daily articles and sentiment (`days`, from the
    newest 1,000 articles: complete from `days_from`, null when they are all the issuer's; move
    the window with `since`/`until`), then a page of the articles about it (newest first) with
    the moves, facts and events they report, each with citations. `total` counts articles
    across pages, up to 1,000 or one past the page's end (`total_exact` false: there are more);
    `next` is the next page's URL (null on the last page)."""
    limit, offset = page
    body = stores.read(
        timeline_page,
        query,
        limit=limit,
        offset=offset,
        since=parse_day(since, "since"),
        until=parse_day(until, "until"),
        as_of=as_of,
    )
    link = next_page(request, limit=limit, offset=offset, total=body.total)
    return {**jsonable(body), "next": link}
