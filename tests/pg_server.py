"""A throwaway PostgreSQL server for the tests: ``initdb`` + ``pg_ctl`` in a temporary directory.

The server runs as an unprivileged user (initdb refuses root: as root the commands run through
``runuser`` as ``$TICKERWIRE_PG_USER``, else ``postgres``, else ``nobody``), listens on 127.0.0.1
on a free port with fsync off, and trusts local connections. Each test gets a database of its
own, copied from a template that is migrated once (``CREATE DATABASE … TEMPLATE``); a database
handed back with the template's schema is emptied (``TRUNCATE``) and handed out again, which is
ten times faster than copying a new one. One whose schema a test changed is dropped. A store
prepared once for many tests (the sample news ingested) is copied the same way for each test that
writes (``copy_target``), on SQLite with the backup API.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tickerwire.settings import Settings

SUPERUSER = "tickerwire"
TEMPLATE = "tickerwire_template"


class ServerUnavailable(Exception):
    """Why no PostgreSQL server could be started here."""


def _bindir() -> Path:
    candidates = [os.environ.get("TICKERWIRE_PG_BINDIR", "")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).resolve().parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    raise ServerUnavailable(
        "no initdb/pg_ctl found (install Debian's postgresql package, or set TICKERWIRE_PG_BINDIR)"
    )


def _run_as() -> tuple[list[str], str | None]:
    """The command prefix that drops root, and the user it runs as (None: ourselves)."""
    if os.geteuid() != 0:
        return [], None
    for name in (os.environ.get("TICKERWIRE_PG_USER"), "postgres", "nobody"):
        if not name:
            continue
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        runuser = shutil.which("runuser")
        if runuser is None:
            raise ServerUnavailable("running as root and runuser is missing to drop privileges")
        return [runuser, "-u", name, "--"], name
    raise ServerUnavailable("running as root and no unprivileged user (postgres, nobody) exists")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    root: Path
    port: int
    prefix: list[str]
    bindir: Path
    _names: itertools.count[int] = field(default_factory=itertools.count)
    _free: list[str] = field(default_factory=list)
    _shape: tuple[tuple[str, str], ...] = ()

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def build_template(self) -> None:
        from tickerwire.store import Store
        from tickerwire.store.postgres import close_pools

        self.admin(f"CREATE DATABASE {TEMPLATE}")
        url = self.url(TEMPLATE)
        Store(url).close()
        close_pools(url)
        self._shape = _shape(url)

    def new_database(self) -> str:
        """The URL of a migrated, empty database no other test is using."""
        if self._free:
            return self._free.pop()
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return self.url(name)

    def copy_database(self, source: str) -> str:
        """The URL of a new database holding what the database at ``source`` holds (its
        connections are closed first: PostgreSQL copies only a database nobody is using)."""
        from tickerwire.store.postgres import close_pools

        close_pools(source)
        name = f"copy_{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {source.rsplit('/', 1)[1]} STRATEGY FILE_COPY")
        return self.url(name)

    def empty_database(self) -> str:
        """The URL of a new database without any table (for the migration tests)."""
        name = f"empty_{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Hand ``url`` back: emptied for the next test, or dropped if its schema changed."""
        import psycopg

        from tickerwire.store.postgres import close_pools

        close_pools(url)
        if _shape(url) == self._shape:
            tables = sorted({table for table, _ in self._shape} - {"schema_migrations"})
            # DELETE with foreign-key triggers off: far faster than TRUNCATE on small tables.
            with psycopg.connect(url) as conn:
                conn.execute("SET LOCAL session_replication_role = replica")
                for table in tables:
                    conn.execute(f"DELETE FROM {table}")  # type: ignore[arg-type]
                for (sequence,) in conn.execute(
                        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"):
                    conn.execute("SELECT setval(%s, 1, false)", (sequence,))
            self._free.append(url)
            return
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"),
                        "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def _shape(url: str) -> tuple[tuple[str, str], ...]:
    """Every (table, column) of the database and its schema version, to compare with the
    template's."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        columns = conn.execute(
            "SELECT c.relname, a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0"
            " AND NOT a.attisdropped ORDER BY 1, 2").fetchall()
        indexes = conn.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'"
            " ORDER BY 1, 2").fetchall()
        version = conn.execute(
            "SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return (*columns, *indexes, ("schema_migrations", f"version {version[0] if version else 0}"))


def start_server() -> PgServer:
    """Start a server, or raise ``ServerUnavailable`` saying why not."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise ServerUnavailable("psycopg is not installed: pip install -e '.[postgres]'") from exc
    bindir = _bindir()
    prefix, user = _run_as()
    root = Path(tempfile.mkdtemp(prefix="tickerwire-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data = root / "data"
    try:
        _run_step(prefix, [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                           "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], root)
        port = _start(prefix, bindir, root)
    except ServerUnavailable:
        shutil.rmtree(root, ignore_errors=True)
        raise
    server = PgServer(root, port, prefix, bindir)
    try:
        server.build_template()
    except Exception as exc:
        server.stop()
        raise ServerUnavailable(f"the template database could not be built: {exc}") from exc
    return server


def _start(prefix: list[str], bindir: Path, root: Path) -> int:
    """Start the server on a free port and return the port. Another process (a parallel test
    worker) may take the port before the server binds it: then another one is tried."""
    for attempt in itertools.count(1):
        port = _free_port()
        try:
            _run_step(prefix, [
                str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "server.log"),
                "-w", "-t", "60", "-o",
                f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                " -c max_connections=300",
                "start"], root)
            return port
        except ServerUnavailable as exc:
            if attempt == 3 or "already in use" not in str(exc):
                raise
    raise AssertionError("unreachable")


def _run_step(prefix: list[str], step: list[str], root: Path) -> None:
    """Run one server command; on failure say why, with the end of its output and log."""
    done = subprocess.run([*prefix, *step], capture_output=True, text=True, cwd=root)
    if done.returncode == 0:
        return
    detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    log = root / "server.log"
    if log.exists():
        lines = log.read_text(errors="replace").strip().splitlines()
        # the reason comes first (a port in use), the shutdown it caused last
        detail += [line for line in lines if "already in use" in line][:1] + lines[-3:]
        log.unlink()  # the next attempt's log starts empty
    raise ServerUnavailable(f"{Path(step[0]).name} failed: {' | '.join(detail)}")


def new_target(backend: str, request: pytest.FixtureRequest, directory: Path) -> Iterator[Path | str]:
    """A fresh, empty database of ``backend``: a file under ``directory`` or a server URL."""
    if backend == "sqlite":
        yield directory / "tickerwire.db"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


def copy_target(
    backend: str, source: Path | str, request: pytest.FixtureRequest, directory: Path
) -> Iterator[Path | str]:
    """A database of ``backend`` holding what ``source`` holds, for a test that writes: a file
    under ``directory`` (SQLite's backup API) or a server URL (``CREATE DATABASE … TEMPLATE``).
    A prepared store is built once and each writer gets a copy, far cheaper than building it
    again, and ``source`` stays as it was for the tests that read it."""
    if backend == "sqlite":
        target = directory / "tickerwire.db"
        with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
            original.backup(copy)
        yield target
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.copy_database(str(source))
    yield url
    server.drop_database(url)


def settings_for(target: Path | str, **options: Any) -> Settings:
    """Server settings for the database ``target`` (a SQLite file or a PostgreSQL URL)."""
    if isinstance(target, str):
        return Settings(db_path=Path("unused.db"), db_url=target, **options)
    return Settings(db_path=target, **options)
