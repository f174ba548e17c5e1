"""``GET /api/securities``: look up issuers and listings in the security master."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from tickerwire.api.schemas import ERROR_RESPONSES
from tickerwire.serialize import jsonable

router = APIRouter(prefix="/securities", tags=["securities"], responses=ERROR_RESPONSES)


@router.get("", summary="Find securities by code or name")
def find_securities(
    q: Annotated[
        str,
        Query(min_length=1, max_length=100,
              description="A code in any form (981 HK, 00981.HK, SH688981) or a name in English, "
              "简体 or 繁體 (SMIC, 中芯国际, 中芯國際)."),
    ],
    limit: Annotated[int, Query(ge=1, le=100, description="Most issuers to return.")] = 20,
) -> Any:
    """Issuers matching `q`, best first, each with every listing (H, A, ADR …) and names."""
    from tickerwire.refdata.master import load_master

    return {"query": q, "results": jsonable(load_master().search(q, limit=limit))}
