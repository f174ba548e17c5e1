"""Turn a POST body into documents for the readers: JSON articles, multipart files, raw bytes.

JSON articles become JSON Lines so that the JSONL reader applies its own rules (required
``text``, date parsing, language detection) exactly as for a file on disk.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.requests import Request

from tickerwire.server.errors import ApiError
from tickerwire.settings import Settings

Document = tuple[str, str, bytes]  # (origin, filename, bytes)

# Raw upload content types and the file extension that selects their reader.
RAW_TYPES: dict[str, str] = {
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/octet-stream": "",
}


class ArticleIn(BaseModel):
    """One article as a JSON object (the JSON Lines input fields)."""

    model_config = ConfigDict(extra="allow")

    text: str = Field(
        min_length=1, description="The article body (the title may be its first line)."
    )
    id: str | None = Field(default=None, description="Your id for it; becomes the article id.")
    url: str | None = None
    title: str | None = None
    published_at: str | None = Field(
        default=None, description="ISO 8601; a naive or date-only value is Hong Kong time."
    )
    lang: str | None = Field(default=None, description="en or zh; detected when absent.")
    source: str | None = Field(default=None, description="Publisher name.")


_ARTICLE_SCHEMA = ArticleIn.model_json_schema()

UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"oneOf": [_ARTICLE_SCHEMA, {"type": "array", "items": _ARTICLE_SCHEMA}]},
                "example": {
                    "text": "SMIC shares rose 5.2% to HK$78.50 in Hong Kong on Friday.",
                    "title": "SMIC jumps",
                    "published_at": "2025-10-24T16:10:00+08:00",
                    "source": "Example Wire",
                },
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                    "required": ["file"],
                }
            },
            **{
                ctype: {"schema": {"type": "string", "format": "binary"}}
                for ctype in ("text/markdown", "text/html", "text/plain", "application/rss+xml",
                              "application/atom+xml", "application/x-ndjson")
            },
        },
    }
}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def documents_from_request(
    request: Request, *, filename: str | None, settings: Settings
) -> list[Document]:
    media = _media_type(request)
    if media == "application/json":
        return _json_documents(await request.body())
    if media == "multipart/form-data":
        return await _multipart_documents(request)
    if media in RAW_TYPES or (not media and filename):
        data = await request.body()
        name = filename or f"upload{RAW_TYPES.get(media, '')}"
        return [(f"POST {name}", name, data)]
    raise ApiError(
        415,
        "unsupported_media_type",
        f"cannot ingest Content-Type {media or '(none)'!r}: send application/json, "
        "multipart/form-data with `file` parts, or a raw text/markdown, text/html, text/plain, "
        "RSS/Atom or JSON Lines body",
        detail={"accepted": ["application/json", "multipart/form-data", *RAW_TYPES]},
    )


def _json_documents(body: bytes) -> list[Document]:
    try:
        payload = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(422, "validation_error", f"request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(
            422, "validation_error",
            "request body nests arrays or objects too deeply to be an article",
        ) from None
    objects = payload if isinstance(payload, list) else [payload]
    if not objects:
        raise ApiError(
            422, "validation_error", "the JSON array is empty: send at least one article"
        )
    lines: list[str] = []
    problems: list[dict[str, Any]] = []
    for index, obj in enumerate(objects):
        try:
            article = ArticleIn.model_validate(obj)
        except ValidationError as exc:
            where: list[Any] = ["body", index] if isinstance(payload, list) else ["body"]
            for err in exc.errors():
                loc = [*where, *err["loc"]]
                problems.append({"loc": loc, "msg": err["msg"], "type": err["type"]})
            continue
        try:  # ASCII escapes keep a lone surrogate (\\ud800) for the reader to replace
            lines.append(json.dumps(article.model_dump(exclude_none=True)))
        except RecursionError:
            raise ApiError(
                422, "validation_error", "an article nests values too deeply to be stored"
            ) from None
    if problems:
        summary = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in problems)
        raise ApiError(422, "validation_error", f"invalid article: {summary}", detail=problems)
    # One document per article: each is read, stored or quarantined on its own.
    origin = "POST application/json"
    if len(lines) == 1:
        return [(origin, "request.jsonl", (lines[0] + "\n").encode())]
    return [
        (f"{origin}[{n}]", "request.jsonl", (line + "\n").encode())
        for n, line in enumerate(lines)
    ]


async def _multipart_documents(request: Request) -> list[Document]:
    form = await request.form()
    documents: list[Document] = []
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                name = value.filename or f"{key}.txt"
                documents.append((f"POST {name}", name, await value.read()))
    finally:
        await form.close()
    if not documents:
        raise ApiError(
            422, "validation_error", "multipart body has no file parts: send them as `file`"
        )
    return documents
