"""Settings built by a factory from the environment; nothing is read at import time."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tickerwire.dburl import is_database_url, redact
from tickerwire.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path  # the SQLite file, unless ``db_url`` names a PostgreSQL database
    api_token: str | None = None
    max_file_bytes: int = 20 * 1024 * 1024
    max_request_bytes: int = 5 * 1024 * 1024
    max_page_size: int = 200
    db_url: str | None = None

    @property
    def database(self) -> Path | str:
        """What ``Store`` opens: the PostgreSQL URL, else the SQLite file."""
        return self.db_url or self.db_path

    @property
    def database_label(self) -> str:
        """The database for people to read (a URL without its password)."""
        return redact(self.db_url) if self.db_url else str(self.db_path)

    def database_exists(self) -> bool:
        """False only for a SQLite file not created yet (a server database is checked on open)."""
        return self.db_url is not None or self.db_path.exists()


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("tickerwire")) / "tickerwire.db"


def load_settings(db_path: str | Path | None = None) -> Settings:
    """Build settings: explicit arguments win over ``TICKERWIRE_*`` variables over defaults."""
    env = os.environ
    env_db = env.get("TICKERWIRE_DB")
    url: str | None = None
    if db_path:
        path, url = _db_target(db_path, "--db")
    elif env_db:
        path, url = _db_target(env_db, "$TICKERWIRE_DB")
    else:
        path = default_db_path()
    defaults = Settings(db_path=path)
    return Settings(
        db_path=path,
        db_url=url,
        api_token=env.get("TICKERWIRE_API_TOKEN") or None,
        max_file_bytes=_int_env("TICKERWIRE_MAX_FILE_BYTES", defaults.max_file_bytes),
        max_request_bytes=_int_env("TICKERWIRE_MAX_REQUEST_BYTES", defaults.max_request_bytes),
        max_page_size=_int_env("TICKERWIRE_MAX_PAGE_SIZE", defaults.max_page_size),
    )


# `scheme:/`: two letters at least, so a drive letter is not a scheme.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:/")


def _db_target(value: str | Path, origin: str) -> tuple[Path, str | None]:
    """(SQLite file, None) or (default file, PostgreSQL URL) for ``value``; any other URL
    (``sqlite:///…``, ``mysql://…``, a ``postgresql:/…`` whose ``//`` was lost) is refused."""
    text = str(value)
    if is_database_url(text):
        return default_db_path(), text
    if _URL.match(text):
        raise InvalidInputError(
            f"{origin} {redact(text)!r} is a URL tickerwire cannot open: give a SQLite file path "
            "such as ./tickerwire.db, or a PostgreSQL URL such as postgresql://user@host/dbname"
        )
    return Path(text), None


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
