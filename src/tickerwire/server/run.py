"""Run the app with uvicorn (``tickerwire serve``)."""

from __future__ import annotations

from tickerwire.settings import Settings


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info"
) -> None:
    """Serve the API and dashboard on ``host:port`` (loopback only unless asked otherwise)."""
    import uvicorn

    from tickerwire.api.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)
