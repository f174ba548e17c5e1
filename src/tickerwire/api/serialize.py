"""Library results → JSON values."""

from __future__ import annotations




