"""Opening the database and bringing its schema up to date.

Migrations are an ordered list; each runs in its own ``BEGIN IMMEDIATE`` transaction together
with the ``schema_migrations`` row that records it, so a database is always at exactly one
version. Never edit a released migration: append a new one. The schema is documented in
``docs/store.md``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tickerwire.errors import StoreError
from tickerwire.store import folding
from tickerwire.store.codec import utc_now_text

MIN_SQLITE = (3, 34, 0)  # FTS5 trigram tokenizer


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_CORE = (
    """CREATE TABLE articles (
        id            TEXT PRIMARY KEY,
        url           TEXT,
        source        TEXT,
        lang          TEXT,
        format        TEXT NOT NULL,
        origin        TEXT,
        first_seen_at TEXT NOT NULL
    )""",
    # Small columns first: the body and metadata go last so that filtering and sorting never
    # read a long text's overflow pages.
    """CREATE TABLE article_revisions (
        id                INTEGER PRIMARY KEY,
        article_id        TEXT NOT NULL REFERENCES articles(id),
        revision          INTEGER NOT NULL CHECK (revision >= 1),
        content_hash      TEXT NOT NULL,
        lang              TEXT,
        origin            TEXT,
        published_at      TEXT,
        published_date_hk TEXT,
        day_hk            TEXT NOT NULL,
        sort_at           TEXT NOT NULL,
        first_seen_at     TEXT NOT NULL,
        title             TEXT,
        text              TEXT NOT NULL,
        metadata          TEXT NOT NULL DEFAULT '{}',
        UNIQUE (article_id, revision)
    )""",
    "CREATE INDEX article_revisions_day ON article_revisions(day_hk)",
    "CREATE INDEX article_revisions_seen ON article_revisions(first_seen_at)",
    "CREATE INDEX article_revisions_sort ON article_revisions(sort_at, article_id)",
    """CREATE TABLE extractions (
        id                   INTEGER PRIMARY KEY,
        article_id           TEXT NOT NULL,
        revision             INTEGER NOT NULL,
        pipeline_version     TEXT NOT NULL,
        extracted_at         TEXT NOT NULL,
        sentiment_score      REAL,
        sentiment_label      TEXT,
        sentiment_by_subject TEXT NOT NULL DEFAULT '{}',
        relevance            TEXT NOT NULL DEFAULT '[]',
        errors               TEXT NOT NULL DEFAULT '[]',
        FOREIGN KEY (article_id, revision) REFERENCES article_revisions(article_id, revision)
    )""",
    "CREATE INDEX extractions_article ON extractions(article_id, revision, extracted_at)",
    "CREATE INDEX extractions_label ON extractions(sentiment_label)",
    """CREATE TABLE mentions (
        id            INTEGER PRIMARY KEY,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        issuer        TEXT NOT NULL,
        name          TEXT NOT NULL,
        listing       TEXT NOT NULL,
        listings      TEXT NOT NULL DEFAULT '[]',
        text          TEXT NOT NULL,
        start         INTEGER NOT NULL,
        "end"         INTEGER NOT NULL,
        confidence    REAL NOT NULL,
        via           TEXT NOT NULL
    )""",
    "CREATE INDEX mentions_extraction ON mentions(extraction_id)",
    # Every listing of every issuer an extraction mentions, for "articles about 00981.HK".
    """CREATE TABLE extraction_listings (
        listing       TEXT NOT NULL,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        PRIMARY KEY (listing, extraction_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX extraction_listings_extraction ON extraction_listings(extraction_id)",
    "CREATE INDEX mentions_listing ON mentions(listing)",
    "CREATE INDEX mentions_issuer ON mentions(issuer)",
    """CREATE TABLE index_mentions (
        id            INTEGER PRIMARY KEY,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        index_id      TEXT NOT NULL,
        text          TEXT NOT NULL,
        start         INTEGER NOT NULL,
        "end"         INTEGER NOT NULL
    )""",
    "CREATE INDEX index_mentions_extraction ON index_mentions(extraction_id)",
    "CREATE INDEX index_mentions_index ON index_mentions(index_id)",
    """CREATE TABLE facts (
        id            INTEGER PRIMARY KEY,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        kind          TEXT NOT NULL,
        subject       TEXT,
        value         REAL,
        pct           REAL,
        points        REAL,
        price         REAL,
        currency      TEXT,
        qualifier     TEXT NOT NULL,
        text          TEXT NOT NULL,
        start         INTEGER NOT NULL,
        "end"         INTEGER NOT NULL,
        value_max     REAL
    )""",
    "CREATE INDEX facts_extraction ON facts(extraction_id)",
    "CREATE INDEX facts_kind_subject ON facts(kind, subject)",
    "CREATE INDEX facts_subject ON facts(subject)",
    """CREATE TABLE events (
        id            INTEGER PRIMARY KEY,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        type          TEXT NOT NULL,
        subjects      TEXT NOT NULL DEFAULT '[]',
        text          TEXT NOT NULL,
        start         INTEGER NOT NULL,
        "end"         INTEGER NOT NULL
    )""",
    "CREATE INDEX events_extraction ON events(extraction_id)",
    "CREATE INDEX events_type ON events(type)",
    """CREATE TABLE quarantine (
        id             INTEGER PRIMARY KEY,
        origin         TEXT NOT NULL,
        reason         TEXT NOT NULL,
        detail         TEXT NOT NULL,
        content_sha256 TEXT,
        size_bytes     INTEGER,
        first_seen_at  TEXT NOT NULL,
        last_seen_at   TEXT NOT NULL,
        count          INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE UNIQUE INDEX quarantine_key
        ON quarantine(origin, reason, coalesce(content_sha256, ''))""",
)

_SEARCH = (
    """CREATE VIRTUAL TABLE revisions_fts USING fts5(
        title, text, content='article_revisions', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER article_revisions_fts_insert AFTER INSERT ON article_revisions BEGIN
        INSERT INTO revisions_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER article_revisions_fts_delete AFTER DELETE ON article_revisions BEGIN
        INSERT INTO revisions_fts(revisions_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
)

# A mention's role: "venue" (the exchange a company lists on), "broker", or NULL.
_MENTION_ROLE: tuple[str, ...] = ("ALTER TABLE mentions ADD COLUMN role TEXT",)

# Search over folded text (简/繁, full-width and case folded into one form, see
# store/folding.py): the index holds its own folded copy of each revision's title and text, so
# it is no longer an external-content table. ``revisions_terms`` lists the index's trigrams with
# where they occur, which finds one- and two-character terms without reading any text.
_FOLD = folding.SQL_FUNCTION
_SEARCH_FOLDED = (
    "DROP TRIGGER article_revisions_fts_insert",
    "DROP TRIGGER article_revisions_fts_delete",
    "DROP TABLE revisions_fts",
    """CREATE VIRTUAL TABLE revisions_fts USING fts5(
        title, text, tokenize='trigram case_sensitive 1'
    )""",
    "CREATE VIRTUAL TABLE revisions_terms USING fts5vocab(revisions_fts, 'instance')",
    f"""CREATE TRIGGER article_revisions_fts_insert AFTER INSERT ON article_revisions BEGIN
        INSERT INTO revisions_fts(rowid, title, text)
        VALUES (new.id, {_FOLD}(new.title), {_FOLD}(new.text));
    END""",
    f"""CREATE TRIGGER article_revisions_fts_update AFTER UPDATE OF title, text
        ON article_revisions BEGIN
        UPDATE revisions_fts SET title = {_FOLD}(new.title), text = {_FOLD}(new.text)
        WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER article_revisions_fts_delete AFTER DELETE ON article_revisions BEGIN
        DELETE FROM revisions_fts WHERE rowid = old.id;
    END""",
    f"""INSERT INTO revisions_fts(rowid, title, text)
        SELECT id, {_FOLD}(title), {_FOLD}(text) FROM article_revisions""",
)

# Component errors of an extraction, one row each ("facts" / "ValueError: …", "time_limit" / …),
# so `stats` can count the articles whose extraction is incomplete. They used to live only in the
# JSON column ``extractions.errors``, which is moved here and left as '[]'.
_EXTRACTION_ERRORS: tuple[str, ...] = (
    """CREATE TABLE extraction_errors (
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        component     TEXT NOT NULL,
        message       TEXT NOT NULL,
        PRIMARY KEY (extraction_id, seq)
    ) WITHOUT ROWID""",
    "CREATE INDEX extraction_errors_component ON extraction_errors(component)",
    """INSERT INTO extraction_errors(extraction_id, seq, component, message)
        SELECT e.id, j.key,
               CASE WHEN instr(j.value, ': ') > 0
                    THEN substr(j.value, 1, instr(j.value, ': ') - 1) ELSE '' END,
               CASE WHEN instr(j.value, ': ') > 0
                    THEN substr(j.value, instr(j.value, ': ') + 2) ELSE j.value END
        FROM extractions AS e, json_each(e.errors) AS j
        WHERE json_valid(e.errors) AND e.errors <> '[]'""",
    "UPDATE extractions SET errors = '[]' WHERE errors <> '[]'",
)

# Where each revision's publication date came from (sources.published.DATE_SOURCES); rows stored
# before it was kept are NULL, or "none" when they have no date. Day filters read the published
# day, so an undated article is never put on the day it was ingested.
_DATE_SOURCE: tuple[str, ...] = (
    "ALTER TABLE article_revisions ADD COLUMN date_source TEXT",
    "UPDATE article_revisions SET date_source = 'none' WHERE published_at IS NULL",
    "CREATE INDEX article_revisions_published ON article_revisions(published_date_hk)",
)

# A move's horizon (extract.timeframes.HORIZONS) and the market day every fact is about (None when
# its article is undated). Facts stored before are NULL: re-extract with `tickerwire reprocess`.
_FACT_TIMEFRAME: tuple[str, ...] = (
    "ALTER TABLE facts ADD COLUMN horizon TEXT",
    "ALTER TABLE facts ADD COLUMN day TEXT",
)

# Each company's sentiment label and the words that decided it (JSON objects keyed by listing).
# Extractions stored before are '{}': re-extract with `tickerwire reprocess`.
_SENTIMENT_EVIDENCE: tuple[str, ...] = (
    "ALTER TABLE extractions ADD COLUMN sentiment_labels TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE extractions ADD COLUMN sentiment_evidence TEXT NOT NULL DEFAULT '{}'",
)

# Live news (``tickerwire watch``, alerts): each feed's conditional-request validators and backoff,
# alert rules added over the API, fired alerts with one delivery row per channel (an outbox: a
# restart delivers what is still pending), and named positions ("alerts" = the last article
# revision row the alert rules have seen).
_LIVE: tuple[str, ...] = (
    """CREATE TABLE feed_state (
        url            TEXT PRIMARY KEY,
        etag           TEXT,
        last_modified  TEXT,
        last_polled_at TEXT,
        last_status    INTEGER,
        failures       INTEGER NOT NULL DEFAULT 0,
        last_error     TEXT,
        next_poll_at   TEXT
    )""",
    """CREATE TABLE alert_rules (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        spec       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE alerts (
        id         INTEGER PRIMARY KEY,
        rule_id    TEXT NOT NULL,
        kind       TEXT NOT NULL,
        article_id TEXT NOT NULL,
        revision   INTEGER NOT NULL,
        fired_at   TEXT NOT NULL,
        payload    TEXT NOT NULL,
        UNIQUE (rule_id, article_id, revision)
    )""",
    "CREATE INDEX alerts_fired ON alerts(fired_at)",
    """CREATE TABLE alert_deliveries (
        alert_id   INTEGER NOT NULL REFERENCES alerts(id),
        channel    TEXT NOT NULL,
        status     TEXT NOT NULL,
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (alert_id, channel)
    )""",
    "CREATE INDEX alert_deliveries_status ON alert_deliveries(status)",
    """CREATE TABLE live_cursors (
        name       TEXT PRIMARY KEY,
        position   INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables", _CORE),
    Migration(2, "full-text search (trigram)", _SEARCH),
    Migration(3, "mention roles", _MENTION_ROLE),
    Migration(4, "full-text search over folded text (简/繁, full-width, case)", _SEARCH_FOLDED),
    Migration(5, "extraction errors by component", _EXTRACTION_ERRORS),
    Migration(6, "publication date source", _DATE_SOURCE),
    Migration(7, "fact horizon and day", _FACT_TIMEFRAME),
    Migration(8, "sentiment labels and evidence per company", _SENTIMENT_EVIDENCE),
    Migration(11, "live news: feed state, alert rules, alerts and their deliveries", _LIVE),
)


def connect(path: Path, *, readonly: bool, timeout: float) -> sqlite3.Connection:
    """Open ``path`` in autocommit mode with the pragmas every connection needs."""
    _check_sqlite()
    if readonly and not path.exists():
        raise StoreError(f"{path}: no database here; ingest some news first (tickerwire ingest)")
    if not readonly:
        path.parent.mkdir(parents=True, exist_ok=True)
    uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rwc'}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        folding.register(conn)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -32768")  # up to 32 MiB of pages, allocated lazily
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc
    return conn


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """A ``StoreError`` naming the file, the problem and the fix."""
    message = str(exc)
    if "not a database" in message or "malformed" in message:
        hint = "it is not a tickerwire database (pick another --db path, or move this file away)"
    elif "locked" in message or "busy" in message:
        hint = "another process is writing to it; wait for that ingest to finish and retry"
    elif "readonly" in message or "read-only" in message:
        hint = "it is read-only; check file permissions or choose a writable --db path"
    elif "unable to open" in message:
        hint = "the file or its directory cannot be opened; check the path and permissions"
    else:
        hint = "the database could not be used"
    return StoreError(f"{path}: {hint} ({message})")


def _check_sqlite() -> None:
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise StoreError(
            f"SQLite {sqlite3.sqlite_version} is too old: tickerwire needs 3.34+ for trigram "
            "full-text search; use a Python built against a newer SQLite"
        )


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, path: Path, *, readonly: bool) -> int:
    """Apply pending migrations in order; return the resulting schema version."""
    latest = MIGRATIONS[-1].version
    version = _checked_version(conn, path)
    if version == latest:
        return version
    if readonly:
        raise StoreError(
            f"{path}: schema version {version} is older than {latest}; "
            "open it once without --readonly (e.g. run tickerwire ingest) to upgrade it"
        )
    for migration in MIGRATIONS:
        if migration.version > version:
            _apply(conn, path, migration)
    return latest


def _checked_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        version = current_version(conn)
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc
    if version > MIGRATIONS[-1].version:
        raise StoreError(
            f"{path}: schema version {version} was written by a newer tickerwire; upgrade it"
        )
    return version


def _apply(conn: sqlite3.Connection, path: Path, migration: Migration) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        if current_version(conn) >= migration.version:  # another process got here first
            conn.execute("COMMIT")
            return
        for statement in migration.statements:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, utc_now_text()),
        )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise store_error(path, exc) from exc
