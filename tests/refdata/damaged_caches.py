"""Damage every pickled cache of reference data must survive (read as a miss and rebuilt): bytes
that are not a pickle, and a pickle that names a class (the safe reader refuses it)."""

from __future__ import annotations

import pytest

UNREADABLE = [
    pytest.param(lambda path: b"not a pickle", id="garbage"),
    pytest.param(lambda path: b"cos\nsystem\n(S'echo hi'\ntR.", id="class-reference"),
]
