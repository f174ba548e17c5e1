"""Chart specifications (plotly traces and layouts as plain JSON data) for the pages.

The page embeds them in a ``<script type="application/json">`` block; ``static/charts.js``
draws them. Only data crosses into the page, never code.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tickerwire.insights.days import DAY_HORIZONS
from tickerwire.insights.timeline import Timeline, day_series

_GREEN = "#0f7b3f"
_LISTING_COLOURS = ("#1f5fbf", "#d97706", "#7c3aed", "#0891b2", "#be185d")
_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x")


def coverage_chart(timeline: Timeline) -> dict[str, Any]:
    """Articles per day (bars), the distinct stories they tell (marks) and the mean sentiment
    toward the issuer (line, right axis).

    Undated articles are left out: their day is only the day tickerwire first saw them.
    """
    points = day_series(a for a in timeline.articles if a.published_at is not None)
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


def moves_chart(timeline: Timeline) -> dict[str, Any]:
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
