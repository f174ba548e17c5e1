"""``/api/articles``: search, read one article, and add articles (token required)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from tickerwire import insights
from tickerwire.api.schemas import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, IngestResult, Page
from tickerwire.api.uploads import UPLOAD_OPENAPI, Document, documents_from_request
from tickerwire.errors import SourceError
from tickerwire.serialize import jsonable
from tickerwire.server.auth import WriteAccess
from tickerwire.server.deps import AppSettings, StoreAccess, Stores
from tickerwire.server.errors import ApiError
from tickerwire.server.params import AsOf, Paging, parse_day
from tickerwire.taxonomy import EVENT_TYPE_NAMES

if TYPE_CHECKING:
    from tickerwire.ingest import IngestSummary

router = APIRouter(prefix="/articles", tags=["articles"], responses=ERROR_RESPONSES)

EventType = Literal[EVENT_TYPE_NAMES]  # type: ignore[valid-type]
Lang = Literal["en", "zh"]
SentimentLabel = Literal["positive", "neutral", "negative"]


@router.get("", response_model=Page, summary="Search articles")
def search_articles(
    stores: Stores,
    as_of: AsOf,
    page: Paging,
    q: Annotated[
        str,
        Query(description="Words in the title or text, English or Chinese (简体 and 繁體, "
              "full-width and case are folded). Words naming a security (SMIC, 00981.HK, 騰訊) "
              "also match articles mentioning any of its listings. Empty lists every article; "
              "control characters are refused."),
    ] = "",
    security: Annotated[
        str | None,
        Query(description="Only articles mentioning this security: a code in any form "
              "(981 HK, 0981.HK, 688981.SH) or a name (SMIC, 中芯国际)."),
    ] = None,
    since: Annotated[str | None, Query(description="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Published on or before YYYY-MM-DD.")] = None,
    event: Annotated[
        EventType | None, Query(description="Only articles reporting this event type.")
    ] = None,
    lang: Annotated[Lang | None, Query(description="Article language.")] = None,
    source: Annotated[
        str | None, Query(description="Only articles from this source, as `facets` lists it.")
    ] = None,
    sentiment: Annotated[SentimentLabel | None, Query(description="Article tone.")] = None,
) -> Any:
    """Full-text search, newest first; `total` counts matches across all pages.

    Each result says why it matched (`matched`) and marks the matched words in its `snippet`
    (`marks`: `[start, end)` offsets into the snippet); `facets` counts every match by day,
    language, source and mentioned listing.
    """
    limit, offset = page
    result = stores.read(
        insights.search_articles,
        q,
        security=security or None,
        since=parse_day(since, "since"),
        until=parse_day(until, "until"),
        event_type=event,
        lang=lang,
        source=source or None,
        sentiment=sentiment,
        limit=limit,
        offset=offset,
        as_of=as_of,
        with_facets=True,
    )
    return jsonable(result)


@router.get("/{article_id:path}", summary="One article with its mentions, facts and events")
def get_article(
    stores: Stores,
    as_of: AsOf,
    article_id: Annotated[str, Path(description="Article id, e.g. tw-0123456789abcdef.")],
    text: Annotated[bool, Query(description="Include the article text.")] = True,
) -> Any:
    """Offsets (`start`/`end`) of mentions, facts and events point into `text`."""
    body = jsonable(stores.read(insights.article_view, article_id, as_of=as_of))
    if not text and isinstance(body, dict):
        body.pop("text", None)
    return body


@router.post(
    "",
    status_code=201,
    response_model=IngestResult,
    response_class=JSONResponse,
    summary="Add articles (token required)",
    responses=WRITE_ERROR_RESPONSES,
    openapi_extra=UPLOAD_OPENAPI,
)
async def post_articles(
    request: Request,
    _auth: WriteAccess,
    stores: Stores,
    settings: AppSettings,
    filename: Annotated[
        str | None,
        Query(description="Name of a raw upload, its extension picks the reader (.md, .html, "
              ".txt, .xml, .jsonl)."),
    ] = None,
) -> JSONResponse:
    """Ingest a JSON article (or a list), multipart `file` uploads, or one raw document.

    Documents that cannot be read are quarantined and listed; the others are stored.
    """
    documents = await documents_from_request(request, filename=filename, settings=settings)
    return await run_in_threadpool(_ingest, stores, documents, settings.max_file_bytes)


def _ingest(stores: StoreAccess, documents: list[Document], max_bytes: int) -> JSONResponse:
    """Read the documents and ingest them one by one, so each gets its own outcome."""
    from tickerwire.extract import build_pipeline
    from tickerwire.ingest import ingest_articles
    from tickerwire.sources import read_bytes

    pipeline = build_pipeline()
    stored: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    with stores.writer() as store:
        for origin, name, data in documents:
            for item in read_bytes(data, origin=origin, filename=name, max_bytes=max_bytes):
                summary = ingest_articles(store, [item], pipeline=pipeline)
                if isinstance(item, SourceError) or summary.errors:  # or the store refused it
                    refused.extend(
                        {"origin": e.origin, "reason": e.reason, "detail": e.detail}
                        for e in summary.errors
                    )
                else:
                    stored.append({"id": item.id, "title": item.title, "status": _status(summary)})
    if not stored:
        raise ApiError(
            422,
            "unreadable_document",
            "no article could be read from the request: "
            + "; ".join(f"{r['origin']}: {r['reason']}: {r['detail']}" for r in refused),
            detail={"quarantined": refused},
        )
    result = IngestResult(
        status="partial" if refused else "ok",
        articles=stored,
        quarantined=refused,
        summary={
            "new": sum(a["status"] == "new" for a in stored),
            "revised": sum(a["status"] == "revised" for a in stored),
            "unchanged": sum(a["status"] == "unchanged" for a in stored),
            "quarantined": len(refused),
        },
    )
    created = any(a["status"] != "unchanged" for a in stored)
    return JSONResponse(result.model_dump(), status_code=201 if created else 200)


def _status(summary: IngestSummary) -> str:
    if summary.new:
        return "new"
    if summary.revised:
        return "revised"
    return "unchanged"
