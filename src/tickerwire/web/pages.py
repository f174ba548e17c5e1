"""Dashboard pages: thin handlers that call one insights function and render a template."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
