"""Daily market views: ``/api/movers``, ``/api/market``, ``/api/ipos``, ``/api/brief``, and how
right the news is: ``/api/verification``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from tickerwire import insights
from tickerwire.api.schemas import ERROR_RESPONSES
from tickerwire.insights import brief_render
from tickerwire.serialize import jsonable
from tickerwire.server.deps import Stores
from tickerwire.server.params import AsOf, Day, Paging, next_page, parse_day

router = APIRouter(tags=["market"], responses=ERROR_RESPONSES)


@router.get("/movers", summary="Biggest reported moves of a day")
def movers(
    stores: Stores,
    as_of: AsOf,
    day: Day,
    limit: Annotated[int, Query(ge=1, le=100, description="Most gainers and losers each.")] = 10,
) -> Any:
    """Gainers and losers as the news reported them, each move with its citations."""
    return jsonable(stores.read(insights.movers, day=day, as_of=as_of, limit=limit))


@router.get("/market", summary="Index board and market numbers of a day")
def market(stores: Stores, as_of: AsOf, day: Day) -> Any:
    """Index levels and moves, turnover and Stock Connect flows, each with citations."""
    return jsonable(stores.read(insights.market, day=day, as_of=as_of))


@router.get("/ipos", summary="IPO pipeline")
def ipos(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    page: Paging,
    since: Annotated[str | None, Query(description="News from YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="News up to YYYY-MM-DD.")] = None,
) -> Any:
    """Listing applications, hearings, pricings and debuts, with sizes and citations, a page of
    companies at a time, most recent activity first. Each entry lists its company's latest
    events and counts all its reports (`reports`); `total` counts entries across pages, `next`
    is the next page's URL (null on the last page)."""
    limit, offset = page
    found = stores.read(
        insights.ipo_page, limit=limit, offset=offset, since=parse_day(since, "since"),
        until=parse_day(until, "until"), as_of=as_of,
    )
    link = next_page(request, limit=limit, offset=offset, total=found.total)
    return {**jsonable(found), "next": link}


@router.get("/verification", summary="Reported numbers checked against prices")
def verification(
    stores: Stores,
    as_of: AsOf,
    since: Annotated[str | None, Query(description="Numbers about days from YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Numbers about days up to YYYY-MM-DD.")] = None,
) -> Any:
    """Counts per verdict (confirmed, contradicted, wrong_day, unverifiable, unchecked), each
    publisher's share of its checkable numbers confirmed / contradicted / wrong day, and every
    number the market disagrees with, with its citation."""
    return jsonable(stores.read(
        insights.verification_report, since=parse_day(since, "since"),
        until=parse_day(until, "until"), as_of=as_of,
    ))


@router.get("/study", summary="Returns after news, by event type and tone")
def study(
    stores: Stores,
    as_of: AsOf,
    since: Annotated[str | None, Query(description="News from YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="News up to YYYY-MM-DD.")] = None,
) -> Any:
    """For each event type and tone toward the company: the mean same-day and next-trading-day
    return of the listings concerned, raw and relative to their market index, with counts and
    t-statistics (see docs/prices.md)."""
    return jsonable(stores.read(
        insights.study, since=parse_day(since, "since"), until=parse_day(until, "until"),
        as_of=as_of,
    ))


@router.get(
    "/brief",
    summary="Market brief of a day",
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
            "description": "The brief in the format asked for.",
        }
    },
)
def brief(
    stores: Stores,
    as_of: AsOf,
    day: Day,
    format: Annotated[
        Literal["json", "md", "html", "text"], Query(description="Output format.")
    ] = "json",
) -> Response:
    """The day's wrap: indices, movers, events, IPOs; every number cited."""
    result = stores.read(insights.brief, day=day, as_of=as_of)
    if format == "md":
        return PlainTextResponse(brief_render.as_markdown(result), media_type="text/markdown")
    if format == "html":
        return HTMLResponse(brief_render.as_html(result))
    if format == "text":
        return PlainTextResponse(brief_render.as_text(result))
    return JSONResponse(jsonable(result))
