"""The JSON shape shared by every insight record.

Insight results are frozen dataclasses; ``to_dict`` turns one into plain JSON values (dates and
instants as ISO 8601 text, tuples as lists) for the CLI's ``--json``, the API and the dashboard.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

# Values that are JSON as they are (exact types: a str or int subclass, such as an enum, is not).
_PLAIN = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, looked up once


def jsonable(value: Any) -> Any:
    """``value`` with dataclasses, tuples, dates and instants turned into JSON values."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return [jsonable(item) for item in value]
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.setdefault(kind, tuple(f.name for f in dataclasses.fields(value)))
    if names is not None:
        return {name: jsonable(getattr(value, name)) for name in names}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


class Record:
    """Mixin giving a frozen dataclass its ``to_dict``."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        out = jsonable(self)
        assert isinstance(out, dict)
        return out
