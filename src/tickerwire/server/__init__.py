"""The server core the REST API and the dashboard plug into.

It knows nothing of either: it builds the FastAPI app (error handling, request-size limit,
compression, security headers), hands routes their settings, store and parameters, guards writes
and runs uvicorn. ``tickerwire.api`` and ``tickerwire.web`` contribute routes;
``tickerwire.app.create_app`` assembles them.
"""
