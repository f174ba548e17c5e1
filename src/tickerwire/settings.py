"""Settings built by a factory from the environment; nothing is read at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tickerwire.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path
    api_token: str | None = None
    max_file_bytes: int = 20 * 1024 * 1024
    max_request_bytes: int = 5 * 1024 * 1024
    max_page_size: int = 200


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("tickerwire")) / "tickerwire.db"


def load_settings(db_path: str | Path | None = None) -> Settings:
    """Build settings: explicit arguments win over ``TICKERWIRE_*`` variables over defaults."""
    env = os.environ
    path = Path(db_path) if db_path else Path(env.get("TICKERWIRE_DB") or default_db_path())
    defaults = Settings(db_path=path)
    return Settings(
        db_path=path,
        api_token=env.get("TICKERWIRE_API_TOKEN") or None,
        max_file_bytes=_int_env("TICKERWIRE_MAX_FILE_BYTES", defaults.max_file_bytes),
        max_request_bytes=_int_env("TICKERWIRE_MAX_REQUEST_BYTES", defaults.max_request_bytes),
        max_page_size=_int_env("TICKERWIRE_MAX_PAGE_SIZE", defaults.max_page_size),
    )


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        msg = f"{name}={raw!r} is not a whole number; unset it or give a number"
        raise InvalidInputError(msg) from exc
    if value <= 0:
        raise InvalidInputError(f"{name} must be positive, not {value}")
    return value
