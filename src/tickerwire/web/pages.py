"""Dashboard pages: thin handlers that call insights functions and render a template."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tickerwire import insights
from tickerwire.errors import NotFoundError
from tickerwire.live.history import alert_history
from tickerwire.server.deps import Stores
from tickerwire.server.params import AsOf, Day, invalid_param, parse_day
from tickerwire.taxonomy import EVENT_TYPE_NAMES
from tickerwire.web import charts
from tickerwire.web.article_view import annotated_text
from tickerwire.web.templating import templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

PAGE_SIZE = 25
LATEST_SHOWN = 12  # articles in the home page's "Latest news"
IPOS_SHOWN = 20  # companies per page of the home page's IPO pipeline
STOCK_ARTICLES = 100  # articles per page of the stock page


def render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    response: HTMLResponse = templates().TemplateResponse(request, name, context)
    return response


def as_of_text(request: Request) -> str | None:
    return request.query_params.get("as_of") or None


@router.get("/")
def home(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    day: Day,
    ipo_page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The day's brief, index board, movers and the IPO pipeline (a page of companies)."""
    with stores.reader() as store:
        days = store.days(as_of=as_of)
        brief = insights.brief(store, day=day, as_of=as_of) if days else None
        chosen = brief.day if brief is not None else day
        board = insights.market(store, day=chosen, as_of=as_of) if days else None
        movers = insights.movers(store, day=chosen, as_of=as_of, limit=20) if days else None
        ipos = insights.ipo_page(store, limit=IPOS_SHOWN, offset=(ipo_page - 1) * IPOS_SHOWN,
                                 as_of=as_of)
        latest = insights.latest_news(store, limit=LATEST_SHOWN, as_of=as_of)
    return render(
        request,
        "home.html",
        {
            "nav": "home",
            "day": chosen,
            "days": sorted(days, reverse=True),
            "brief": brief,
            "board": board,
            "movers": movers,
            "ipos": ipos,
            "ipo_pages": (ipos.total + IPOS_SHOWN - 1) // IPOS_SHOWN,
            "latest": latest,
            "as_of": as_of_text(request),
        },
    )


@router.get("/stock/{query}")
def stock(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    query: Annotated[str, Path()],
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """One issuer: every listing, coverage and sentiment (its newest articles' days), reported
    moves, then a page of its articles with their facts and events."""
    with stores.reader() as store:
        timeline = insights.timeline_page(
            store, query, limit=STOCK_ARTICLES, offset=(page - 1) * STOCK_ARTICLES,
            since=parse_day(since, "since"), until=parse_day(until, "until"), as_of=as_of)
        prices = insights.price_history(store, timeline, as_of=as_of)
    kept = [(k, v) for k, v in request.query_params.items() if k != "page"]
    return render(
        request,
        "stock.html",
        {
            "nav": "stock",
            "t": timeline,
            "since": since or "",
            "until": until or "",
            "prices": prices,
            "charts": {
                "prices": charts.price_chart(timeline, prices),
                "coverage": charts.coverage_chart(timeline),
                "moves": charts.moves_chart(timeline),
            },
            "next_query": urlencode([*kept, ("page", page + 1)]),
            "as_of": as_of_text(request),
        },
    )


@router.get("/study")
def study(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    """Returns after news by event type and tone (``tickerwire study``)."""
    result = stores.read(insights.study, since=parse_day(since, "since"),
                         until=parse_day(until, "until"), as_of=as_of)
    return render(request, "study.html", {"nav": "study", "s": result, "since": since or "",
                                          "until": until or "", "as_of": as_of_text(request)})


@router.get("/stories")
def stories(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
    stock: Annotated[str, Query()] = "",
    min_articles: Annotated[int, Query(ge=1, le=1000)] = 1,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Each story once, newest first, with how many articles and languages tell it."""
    subjects = insights.resolve_issuer(stock).codes if stock.strip() else None
    result = stores.read(
        insights.list_stories, since=parse_day(since, "since"), until=parse_day(until, "until"),
        subjects=subjects, min_articles=min_articles, limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE, as_of=as_of,
    )
    kept = [(k, v) for k, v in request.query_params.items() if k != "page"]
    return render(
        request,
        "stories.html",
        {"nav": "stories", "page": result, "since": since or "", "until": until or "",
         "stock": stock, "min_articles": min_articles, "page_size": PAGE_SIZE,
         "next_query": urlencode([*kept, ("page", page + 1)]), "as_of": as_of_text(request)},
    )


@router.get("/alerts")
def alerts(
    request: Request,
    stores: Stores,
    rule: Annotated[str, Query(max_length=64)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> HTMLResponse:
    """Alerts fired, newest first: the rule, the article, when, and each channel's delivery."""
    past = stores.read(alert_history, limit=limit, rule_id=rule.strip() or None)
    return render(request, "alerts.html",
                  {"nav": "alerts", "alerts": past, "rule": rule, "limit": limit})


@router.get("/story/{story_id}")
def story(
    request: Request, stores: Stores, as_of: AsOf, story_id: Annotated[str, Path()]
) -> HTMLResponse:
    """One story: its articles in every language and source, and which facts each reported
    first."""
    detail = stores.read(insights.story_detail, story_id, as_of=as_of)
    return render(request, "story.html",
                  {"nav": "stories", "d": detail, "as_of": as_of_text(request)})


@router.get("/article/{article_id:path}")
def article(
    request: Request, stores: Stores, as_of: AsOf, article_id: Annotated[str, Path()]
) -> HTMLResponse:
    """The text with mentions and facts marked, then everything extracted from it."""
    view = stores.read(insights.article_view, article_id, as_of=as_of)
    if view is None:
        raise NotFoundError(f"no article with id {article_id!r}: search for it at /search")
    return render(
        request,
        "article.html",
        {"nav": "article", "a": view, "text": annotated_text(view),
         "as_of": as_of_text(request)},
    )


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    """A select box's value: empty means any; anything else must be one of ``allowed``."""
    if value and value not in allowed:
        raise invalid_param(name, value, "one of " + ", ".join(allowed))
    return value


def _search_filters(
    q: str = "",
    security: str = "",
    since: str = "",
    until: str = "",
    event: str = "",
    lang: str = "",
    source: str = "",
    sentiment: str = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> dict[str, Any]:
    return {
        "q": q.strip(),
        "security": security.strip(),
        "since": since,
        "until": until,
        "event": _choice(event, "event", EVENT_TYPE_NAMES),
        "lang": _choice(lang, "lang", ("en", "zh")),
        "source": source.strip(),
        "sentiment": _choice(sentiment, "sentiment", ("positive", "neutral", "negative")),
        "page": page,
    }


@router.get("/search")
def search(
    request: Request,
    stores: Stores,
    as_of: AsOf,
    filters: Annotated[dict[str, Any], Depends(_search_filters)],
) -> HTMLResponse:
    """Full-text search with filters and facet counts, newest first."""
    page = filters["page"]
    results = stores.read(
        insights.search_articles,
        filters["q"],
        security=filters["security"] or None,
        since=parse_day(filters["since"], "since"),
        until=parse_day(filters["until"], "until"),
        event_type=filters["event"] or None,
        lang=filters["lang"] or None,
        source=filters["source"] or None,
        sentiment=filters["sentiment"] or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        as_of=as_of,
        with_facets=True,
    )
    return render(
        request,
        "search.html",
        {
            "nav": "search",
            "f": filters,
            "search_q": filters["q"],
            "results": results,
            "page_size": PAGE_SIZE,
            "event_types": EVENT_TYPE_NAMES,
            "as_of": as_of_text(request),
        },
    )


@router.get("/go")
def go(q: Annotated[str, Query()] = "") -> RedirectResponse:
    """The header's search box: a ticker or an exact company name opens its stock page;
    anything else is a full-text search."""
    named = insights.security_named(q)
    if named is not None:
        return RedirectResponse(f"/stock/{quote(named.id, safe='')}", status_code=303)
    words = " ".join(q.split())
    return RedirectResponse("/search?" + urlencode({"q": words}) if words else "/search",
                            status_code=303)
