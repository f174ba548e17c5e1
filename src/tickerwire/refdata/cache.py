"""Derived reference data cached on disk: one pickle file per payload, named by the hash of what
it was built from.

A cache file holds plain dicts, lists, tuples, strings, numbers and booleans only, and is read by
an unpickler that refuses every class, so a tampered file cannot run code. It is written to a
temporary file and renamed into place, so a reader never sees half a file. A file that is
missing, unreadable, corrupt or from another version reads as None and the caller rebuilds it.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class _BuiltinsOnly(pickle.Unpickler):
    """Reads a cache file of plain dicts, lists, tuples and strings; refuses any class."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in a cache file")


def read_cache(path: Path, header: Mapping[str, object], *, what: str) -> dict[str, Any] | None:
    """The payload written to ``path`` when every ``header`` item matches it, else None
    (missing, unreadable, corrupt, or written for other data or by another version)."""
    try:
        payload = _BuiltinsOnly(io.BytesIO(path.read_bytes())).load()
        if not isinstance(payload, dict):
            raise TypeError(f"a {type(payload).__name__}, not a dict")
        if any(payload.get(k) != v for k, v in header.items()):
            log.info("%s: %s cache from another version; rebuilding it", path, what)
            return None
        return payload
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError,
            IndexError, AttributeError) as exc:
        log.warning("%s: unreadable %s cache (%s); rebuilding it", path, what, exc)
        return None


def write_cache(path: Path, payload: Mapping[str, object], *, what: str) -> None:
    """Write ``payload`` (its header items included) atomically; a cache that cannot be written is
    logged and skipped, never an error."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp",
                                         delete=False) as handle:
            temporary = Path(handle.name)
            pickle.dump(dict(payload), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("%s: cannot write the %s cache (%s); loading stays uncached", path, what, exc)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
