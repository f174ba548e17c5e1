"""Daily market views: ``/api/movers``, ``/api/market``, ``/api/ipos``, ``/api/brief``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from tickerwire import insights
from tickerwire.api.deps import Stores
from tickerwire.api.params import AsOf, Day
from tickerwire.api.schemas import ERROR_RESPONSES
from tickerwire.api.serialize import jsonable

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
def ipos(stores: Stores, as_of: AsOf) -> Any:
    """Listing applications, offerings and debuts, with sizes and citations."""
    return jsonable(stores.read(insights.ipos, as_of=as_of))


@router.get(
    "/brief",
    summary="Market brief of a day",
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
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
        return PlainTextResponse(insights.render_markdown(result), media_type="text/markdown")
    if format == "html":
        return HTMLResponse(insights.render_html(result))
    if format == "text":
        return PlainTextResponse(insights.render_text(result))
    from fastapi.responses import JSONResponse

    return JSONResponse(jsonable(result))
