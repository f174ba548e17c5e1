"""Settings built by a factory from the environment; nothing is read at import time."""

from __future__ import annotations

import os
import re
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
    env_db = env.get("TICKERWIRE_DB")
    if db_path:
        path = _db_file(db_path, "--db")
    elif env_db:
        path = _db_file(env_db, "$TICKERWIRE_DB")
    else:
        path = default_db_path()
    defaults = Settings(db_path=path)
    return Settings(
        db_path=path,
        api_token=env.get("TICKERWIRE_API_TOKEN") or None,
        max_file_bytes=_int_env("TICKERWIRE_MAX_FILE_BYTES", defaults.max_file_bytes),
        max_request_bytes=_int_env("TICKERWIRE_MAX_REQUEST_BYTES", defaults.max_request_bytes),
        max_page_size=_int_env("TICKERWIRE_MAX_PAGE_SIZE", defaults.max_page_size),
    )


# `scheme:/`: a Path has already folded `postgresql://host` into `postgresql:/host`; two letters at
# least, so a drive letter is not a scheme.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:/")


def _db_file(value: str | Path, origin: str) -> Path:
    """The SQLite file ``value`` names; a URL (``postgresql://…``, ``sqlite:///…``) is refused."""
    text = str(value)
    if _URL.match(text):
        raise InvalidInputError(
            f"{origin} {text!r} is a URL, but tickerwire keeps its data in a SQLite file: "
            "give a file path such as ./tickerwire.db"
        )
    return Path(text)


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
