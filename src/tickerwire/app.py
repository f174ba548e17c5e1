"""The one application factory: the server core with the REST API and the dashboard in it."""

from __future__ import annotations

from fastapi import FastAPI

from tickerwire.api import include_api
from tickerwire.insights.issuers import security_master
from tickerwire.server.app import build_app
from tickerwire.settings import Settings
from tickerwire.web import include_dashboard, render_error_page


def create_app(settings: Settings) -> FastAPI:
    """The REST API under ``/api`` (docs at ``/docs``) and the dashboard, for ``settings``."""
    app = build_app(settings, title="tickerwire", error_page=render_error_page,
                    warm=lambda: security_master().preload())
    include_api(app)
    include_dashboard(app)
    return app
