"""Chart specifications (plotly traces and layouts as plain JSON data) for the pages.

The page embeds them in a ``<script type="application/json">`` block; ``static/charts.js``
draws them. Only data crosses into the page, never code.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tickerwire.display import fact_value, verdict_mark
from tickerwire.insights.days import DAY_HORIZONS
from tickerwire.insights.prices import PriceHistory
from tickerwire.insights.timeline import Timeline, TimelineFact
from tickerwire.insights.timeline_page import TimelinePage

_GREEN = "#0f7b3f"
_LISTING_COLOURS = ("#1f5fbf", "#d97706", "#7c3aed", "#0891b2", "#be185d")
_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x")


def coverage_chart(timeline: Timeline | TimelinePage) -> dict[str, Any]:
    """Articles per day (bars), the distinct stories they tell (marks) and the mean sentiment
    toward the issuer (line, right axis).

    Undated articles are left out: their day is only the day tickerwire first saw them. A page's
    series starts at its ``days_from`` (the newest articles only).
    """
    points = timeline.days
    days = [point.day.isoformat() for point in points]
    return {
        "data": [
            {
                "type": "bar",
                "name": "Articles",
                "x": days,
                "y": [point.articles for point in points],
                "marker": {"color": "#9db7e0"},
                "hovertemplate": "%{y} articles<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Stories",
                "x": days,
                "y": [point.stories for point in points],
                "marker": {"color": "#1f5fbf", "symbol": "line-ew-open", "size": 14},
                "hovertemplate": "%{y} stories<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Sentiment",
                "x": days,
                "y": [point.sentiment for point in points],
                "yaxis": "y2",
                "line": {"color": _GREEN, "width": 2},
                "connectgaps": True,
                "hovertemplate": "sentiment %{y:.2f}<extra></extra>",
            },
        ],
        "layout": {
            "xaxis": {"type": "date"},
            "yaxis": {"title": {"text": "articles"}, "rangemode": "tozero", "dtick": 1},
            "yaxis2": {
                "title": {"text": "sentiment"},
                "overlaying": "y",
                "side": "right",
                "range": [-1.05, 1.05],
                "tickmode": "array",
                "tickvals": [-1, -0.5, 0, 0.5, 1],
                "showgrid": False,
                "zeroline": True,
            },
            "bargap": 0.4,
        },
    }


def moves_chart(timeline: Timeline | TimelinePage) -> dict[str, Any]:
    """Reported daily price moves (%) of each listing over time, one series per listing: day
    horizons only (close, midday, intraday, open), never a ytd or since-listing gain."""
    series: dict[str, list[Any]] = defaultdict(list)
    for fact in sorted(timeline.facts, key=lambda f: f.day):
        daily = (fact.horizon or "close") in DAY_HORIZONS
        if fact.kind == "price_move" and fact.pct is not None and fact.subject and daily:
            series[fact.subject].append(fact)
    data: list[dict[str, Any]] = []
    for index, (code, facts) in enumerate(sorted(series.items())):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": code,
                "x": [f.day.isoformat() for f in facts],
                "y": [f.pct for f in facts],
                "text": [f.source.quote for f in facts],
                "marker": {
                    "size": 9,
                    "symbol": _SYMBOLS[index % len(_SYMBOLS)],
                    "color": _LISTING_COLOURS[index % len(_LISTING_COLOURS)],
                    "opacity": 0.8,
                },
                "hovertemplate": "%{y:+.2f}% · %{text}<extra>" + code + "</extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "xaxis": {"type": "date"},
            "yaxis": {"title": {"text": "reported move %"}, "zeroline": True,
                      "zerolinecolor": "#8895a7"},
            "showlegend": True,
        },
    }


_RED = "#c0262d"
_DISPUTED = ("contradicted", "wrong_day")


def price_chart(timeline: Timeline | TimelinePage, history: PriceHistory) -> dict[str, Any]:
    """Each listing's close (rebased to 100 when A and H or other lines share the chart), the
    news on it — articles per day as markers sized by count and coloured by sentiment — and the
    reported close moves: filled when the close confirms them, a red cross when it does not."""
    rebase = len(history.listings) > 1
    data: list[dict[str, Any]] = []
    level: dict[tuple[str, str], float] = {}
    for index, listing in enumerate(history.listings):
        points = [p for p in listing.points if not rebase or p.rebased is not None]
        xs = [p.day.isoformat() for p in points]
        ys = [p.rebased if rebase else p.close for p in points]
        level.update({(listing.code, x): float(y) for x, y in zip(xs, ys, strict=True) if y is not None})
        unit = "rebased" if rebase else (listing.currency or "")
        data.append({
            "type": "scatter", "mode": "lines", "name": listing.code, "x": xs, "y": ys,
            "customdata": [p.close for p in points],
            "line": {"color": _LISTING_COLOURS[index % len(_LISTING_COLOURS)], "width": 2},
            "hovertemplate": f"{listing.code} %{{customdata:,.2f}} {listing.currency or ''}"
                             f"<extra>{unit}</extra>",
        })
    if not data:
        return {"data": [], "layout": {}}
    first = history.listings[0].code
    news = [p for p in timeline.days if (first, p.day.isoformat()) in level]
    data.append({
        "type": "scatter", "mode": "markers", "name": "News (sentiment)",
        "x": [p.day.isoformat() for p in news], "y": [level[(first, p.day.isoformat())] for p in news],
        "text": [f"{p.articles} article{'s' if p.articles != 1 else ''}" for p in news],
        "marker": {"size": [8 + 3 * min(p.articles, 6) for p in news],
                   "color": [p.sentiment or 0.0 for p in news], "cmin": -1, "cmax": 1,
                   "colorscale": [[0, _RED], [0.5, "#c9ced6"], [1, _GREEN]],
                   "line": {"width": 1, "color": "#ffffff"}, "opacity": 0.85},
        "hovertemplate": "%{text} · sentiment %{marker.color:+.2f}<extra>news</extra>",
    })
    for name, wanted, style in (
        ("Reported move, confirmed", ("confirmed",), {"symbol": "circle-open", "color": "#1b2430"}),
        ("Reported number, contradicted", _DISPUTED, {"symbol": "x", "color": _RED, "size": 12}),
    ):
        facts = [f for f in timeline.facts if _charted(f, wanted, level)]
        if facts:
            data.append({
                "type": "scatter", "mode": "markers", "name": name,
                "x": [f.day.isoformat() for f in facts],
                "y": [level[(f.subject or "", f.day.isoformat())] for f in facts],
                "text": [_claim(f) for f in facts],
                "marker": {"size": 10, **style, "line": {"width": 2, "color": style["color"]}},
                "hovertemplate": "%{text}<extra></extra>",
            })
    title = f"close, rebased to 100 on {history.base_day}" if rebase else (
        f"close ({history.listings[0].currency})" if history.listings[0].currency else "close")
    return {"data": data, "layout": {"xaxis": {"type": "date"}, "yaxis": {"title": {"text": title}},
                                     "showlegend": True}}


def _charted(fact: TimelineFact, verdicts: tuple[str, ...], level: dict[tuple[str, str], float]) -> bool:
    check = fact.verification
    return (check is not None and check.verdict in verdicts and fact.subject is not None
            and (fact.subject, fact.day.isoformat()) in level)


def _claim(fact: TimelineFact) -> str:
    mark = verdict_mark(fact.verification, fact.currency)
    return f"{fact.subject} {fact_value(fact)} {mark} · {fact.source.quote[:80]}"
