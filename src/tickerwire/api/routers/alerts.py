"""``/api/alerts``: alert rules (writes need the token), fired alerts, and the live stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from tickerwire.api.schemas import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from tickerwire.live import alerting, stream
from tickerwire.live.rules import AlertRule
from tickerwire.server.auth import WriteAccess
from tickerwire.server.deps import StoreAccess, Stores
from tickerwire.server.errors import ApiError

router = APIRouter(tags=["alerts"], responses=ERROR_RESPONSES)

STREAM_POLL_SECONDS = 0.5
RuleIdPath = Annotated[str, Path(description="The rule's id.", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


@router.get("/alerts/rules", summary="Alert rules added over the API")
def list_rules(stores: Stores) -> Any:
    """Rules stored in the database (a watcher also applies the rules of its `--alerts` file).
    Kinds: watchlist, move, event, sentiment, ipo_stage, contradicted_claim, first_report."""
    return {"rules": stores.read(alerting.stored_rules)}


@router.put("/alerts/rules/{rule_id}", summary="Add or replace an alert rule (token required)",
            responses=WRITE_ERROR_RESPONSES)
def put_rule(
    _auth: WriteAccess, stores: Stores, rule_id: RuleIdPath,
    rule: Annotated[AlertRule, Body(description="The rule; its `id` must be the one in the path.")],
) -> JSONResponse:
    """201 when the rule is new, 200 when it replaced one. Every security and index the rule
    names must be known; a running `tickerwire watch` applies it from its next article."""
    if rule.id != rule_id:
        raise ApiError(400, "invalid_input", f"the rule's id {rule.id!r} differs from the path's "
                       f"{rule_id!r}; send the same id in both")
    with stores.writer() as store:
        created = alerting.save_rule(store, rule)
    return JSONResponse(rule.model_dump(mode="json"), status_code=201 if created else 200)


@router.delete("/alerts/rules/{rule_id}", status_code=204, summary="Delete an alert rule (token required)",
               responses=WRITE_ERROR_RESPONSES)
def delete_rule(_auth: WriteAccess, stores: Stores, rule_id: RuleIdPath) -> Response:
    with stores.writer() as store:
        if not store.delete_alert_rule(rule_id):
            raise ApiError(404, "not_found", f"no alert rule {rule_id!r} was added over the API; "
                           "GET /api/alerts/rules lists them")
    return Response(status_code=204)


@router.get("/alerts", summary="Alerts fired, newest first")
def list_alerts(
    stores: Stores,
    limit: Annotated[int, Query(ge=1, le=500, description="How many.")] = 50,
    rule: Annotated[str | None, Query(description="Only this rule's alerts.", max_length=64)] = None,
) -> Any:
    """Each alert carries its rule, the article and why it matched, quoting the words."""
    return {"alerts": stores.read(stream.recent_alerts, limit=limit, rule_id=rule)}


@router.get("/stream", summary="Live stream of new articles and alerts (server-sent events)",
            response_class=EventSourceResponse)
async def live_stream(
    request: Request,
    stores: Stores,
    last_event_id: Annotated[str | None, Header(description="Resume after this event id.")] = None,
) -> EventSourceResponse:
    """Events `article` (a revision just stored) and `alert` (an alert just fired), JSON data,
    id `<revision>.<alert>`: a client reconnecting with `Last-Event-ID` misses nothing. Without
    it the stream starts now."""
    start = stream.StreamPosition.parse(last_event_id)
    if start is None:
        start = await run_in_threadpool(stores.read, stream.stream_start)
    return EventSourceResponse(_events(request, stores, start), ping=15)


async def _events(request: Request, stores: StoreAccess, position: stream.StreamPosition
                  ) -> AsyncIterator[ServerSentEvent]:
    yield ServerSentEvent(comment="live", retry=2000, id=position.token)
    while not await request.is_disconnected():
        events = await run_in_threadpool(stores.read, stream.stream_updates, position)
        for event in events:
            position = event.position
            yield ServerSentEvent(data=json.dumps(event.data, ensure_ascii=False), event=event.kind, id=position.token)
        await asyncio.sleep(STREAM_POLL_SECONDS)
