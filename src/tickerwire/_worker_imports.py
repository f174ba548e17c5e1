"""What the fork server of the parallel ingest (``tickerwire.ingest_workers``) imports once, before
it forks any worker: the worker's code, the story MinHash's library (datasketch, with numpy and
scipy), the extraction components and every reader (``tickerwire.sources`` imports the markdown,
HTML and feed readers only when a document of their format comes). A module that fails to import here is simply not
preloaded: the worker that needs it imports it again and reports the error as it always does.
"""

from __future__ import annotations

import importlib
import logging

log = logging.getLogger(__name__)

PRELOADED = (
    "tickerwire.ingest_workers",
    "datasketch",
    "tickerwire.extract.components",
    "tickerwire.sources.markdown",
    "tickerwire.sources.html",
    "tickerwire.sources.feed",
    "dateutil.parser",
)

for _name in PRELOADED:
    try:
        importlib.import_module(_name)
    except Exception as exc:  # the worker reports it when it imports the module itself
        log.debug("not preloaded: %s (%s: %s)", _name, type(exc).__name__, exc)
