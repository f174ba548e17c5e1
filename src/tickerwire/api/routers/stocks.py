"""``GET /api/stocks/{query}``: one issuer's news timeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from tickerwire import insights
from tickerwire.api.schemas import ERROR_RESPONSES
from tickerwire.serialize import jsonable
from tickerwire.server.deps import Stores
from tickerwire.server.params import AsOf, parse_day

router = APIRouter(prefix="/stocks", tags=["stocks"], responses=ERROR_RESPONSES)


@router.get("/{query}", summary="Timeline of one issuer")
def stock_timeline(
    stores: Stores,
    as_of: AsOf,
    query: Annotated[
        str, Path(description="Any code form or name: 00981.HK, 981 HK, 688981.SH, SMIC, 中芯国际.")
    ],
    since: Annotated[str | None, Query(description="From YYYY-MM-DD (inclusive).")] = None,
    until: Annotated[str | None, Query(description="To YYYY-MM-DD (inclusive).")] = None,
) -> Any:
    """The issuer with all its listings, daily mentions and sentiment, reported moves and facts
    (each with citations), and the articles that mention it."""
    timeline = stores.read(
        insights.timeline,
        query,
        since=parse_day(since, "since"),
        until=parse_day(until, "until"),
        as_of=as_of,
    )
    return jsonable(timeline)
