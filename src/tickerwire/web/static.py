"""Static files: our CSS/JS from this package, plotly.js from the installed ``plotly`` package."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)

_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_CACHE = {"Cache-Control": "public, max-age=86400"}


@lru_cache(maxsize=1)
def plotly_js() -> bytes:
    """The minified plotly.js bundled with the plotly Python package (no CDN, works offline)."""
    return files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()


@router.get("/static/plotly.min.js")
def plotly_bundle() -> Response:
    return Response(plotly_js(), media_type=_TYPES[".js"], headers=_CACHE)
