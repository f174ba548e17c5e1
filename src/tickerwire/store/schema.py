"""Opening the database and bringing its schema up to date.

Migrations are an ordered list; each runs in its own write transaction together with the
``schema_migrations`` row that records it, so a database is always at exactly one version. Never
edit a released migration: append a new one. The same list builds both databases: statements are
written in portable SQL (SQLite spelling, translated by ``dialect.to_postgresql``), and a
migration whose SQL cannot be shared gives PostgreSQL its own ``postgresql`` statements. The
schema, and how to write SQL for both, is documented in ``docs/store.md``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tickerwire.errors import StoreError
from tickerwire.store import folding, grams, ipo_index, issuer_index, stories
from tickerwire.store.codec import utc_now_text
from tickerwire.store.connection import Connection, SqliteConnection

MIN_SQLITE = (3, 35, 0)  # FTS5 trigram tokenizer (3.34), INSERT … RETURNING (3.35)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]
    # PostgreSQL's statements where SQLite's cannot be translated (full-text search); None: the
    # same statements, translated.
    postgresql: tuple[str, ...] | None = None
    # Rows computed in Python after the statements, in the same transaction (on both databases).
    backfill: Callable[[Connection], None] | None = None

    def statements_for(self, dialect: str) -> tuple[str, ...]:
        if dialect == "postgresql" and self.postgresql is not None:
            return self.postgresql
        return self.statements


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

# PostgreSQL searches with pg_trgm: a GIN trigram index answers LIKE '%term%' on any text,
# English or Chinese. The table holds the folded title and text of each revision (filled by the
# writer, since folding runs in Python) and is what migration 4 makes of SQLite's index.
_SEARCH_POSTGRESQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE revisions_fts (
        rowid INTEGER NOT NULL PRIMARY KEY REFERENCES article_revisions(id) ON DELETE CASCADE,
        title TEXT,
        text  TEXT NOT NULL
    )""",
    "CREATE INDEX revisions_fts_title ON revisions_fts USING gin (title gin_trgm_ops)",
    "CREATE INDEX revisions_fts_text ON revisions_fts USING gin (text gin_trgm_ops)",
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

# PostgreSQL support began after folding: its index has held folded text from the start.
_SEARCH_FOLDED_POSTGRESQL: tuple[str, ...] = ()

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
_EXTRACTION_ERRORS_POSTGRESQL: tuple[str, ...] = (
    *_EXTRACTION_ERRORS[:2],
    """INSERT INTO extraction_errors(extraction_id, seq, component, message)
        SELECT e.id, j.ord - 1,
               CASE WHEN strpos(j.value, ': ') > 0
                    THEN substr(j.value, 1, strpos(j.value, ': ') - 1) ELSE '' END,
               CASE WHEN strpos(j.value, ': ') > 0
                    THEN substr(j.value, strpos(j.value, ': ') + 2) ELSE j.value END
        FROM extractions AS e,
             json_array_elements_text(e.errors::json) WITH ORDINALITY AS j(value, ord)
        WHERE e.errors <> '[]'""",
    _EXTRACTION_ERRORS[3],
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

# Daily price bars (revisions kept, like article revisions) and each checked fact's verdict
# against them; both documented in docs/prices.md. Verdicts are recomputed by store/prices.py.
_PRICES: tuple[str, ...] = (
    """CREATE TABLE price_bars (
        code        TEXT NOT NULL,
        day         TEXT NOT NULL,
        revision    INTEGER NOT NULL CHECK (revision >= 1),
        open        REAL,
        high        REAL,
        low         REAL,
        close       REAL,
        prev_close  REAL,
        volume      REAL,
        turnover    REAL,
        currency    TEXT,
        source      TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (code, day, revision)
    )""",
    """CREATE TABLE fact_verifications (
        fact_id     INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
        verdict     TEXT NOT NULL,
        field       TEXT,
        stated      REAL,
        actual      REAL,
        difference  REAL,
        day         TEXT,
        reason      TEXT,
        verified_at TEXT NOT NULL
    )""",
    "CREATE INDEX fact_verifications_verdict ON fact_verifications(verdict)",
)

# Stories (insights/stories.py): each article joins one story when it is first stored; ``joined_at``
# is that instant, so an as-of query sees a story only once its first article was seen and its
# members only as they joined. ``signature`` holds what matching needs (insights/story_match.py),
# so a new ingest run rebuilds its index of recent stories without re-reading any text. Articles
# stored before this migration have no story: `tickerwire stories --rebuild` assigns them.
_STORIES: tuple[str, ...] = (
    """CREATE TABLE stories (
        id               TEXT PRIMARY KEY,
        title            TEXT,
        first_article_id TEXT NOT NULL REFERENCES articles(id),
        first_seen_at    TEXT NOT NULL,
        anchor_at        TEXT NOT NULL
    )""",
    "CREATE INDEX stories_anchor ON stories(anchor_at)",
    """CREATE TABLE story_members (
        article_id         TEXT PRIMARY KEY REFERENCES articles(id),
        story_id           TEXT NOT NULL REFERENCES stories(id),
        joined_at          TEXT NOT NULL,
        anchor_at          TEXT NOT NULL,
        reason             TEXT NOT NULL,
        matched_article_id TEXT,
        score              REAL,
        novelty            REAL,
        facts              INTEGER NOT NULL DEFAULT 0,
        new_facts          INTEGER NOT NULL DEFAULT 0,
        signature          TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX story_members_story ON story_members(story_id, joined_at)",
    "CREATE INDEX story_members_anchor ON story_members(anchor_at)",
    # What each member is about (its title's companies and its facts' subjects), so "stories
    # about 00981.HK" is one indexed lookup; visible with the member it belongs to.
    """CREATE TABLE story_subjects (
        article_id TEXT NOT NULL REFERENCES story_members(article_id),
        subject    TEXT NOT NULL,
        PRIMARY KEY (article_id, subject)
    )""",
    "CREATE INDEX story_subjects_subject ON story_subjects(subject)",
)

# A changed figure's old value (a target price raised from HK$62 to HK$80 keeps 62), and what an
# event's words state beyond its type (an IPO's stage, dates, offer price: see docs/store.md), as
# a JSON object. Rows stored before are NULL / '{}': re-extract with
# `tickerwire reprocess --force`.
_FACT_PREVIOUS_AND_EVENT_ATTRIBUTES: tuple[str, ...] = (
    "ALTER TABLE facts ADD COLUMN previous REAL",
    "ALTER TABLE events ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}'",
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

# The search index is filled by the writer (store/writer.py) on both databases, as it always was
# on PostgreSQL: the folded text can then be computed in the processes that extract, and one
# batch of articles adds its index rows in the same transaction. Updates and deletes of a
# revision's text still keep the index in step through the remaining triggers.
_SEARCH_BY_WRITER: tuple[str, ...] = ("DROP TRIGGER article_revisions_fts_insert",)

# Reads at a million articles (docs/performance-insights.md): the facts of a market day are found
# by their day and kind, not by scanning every fact of a kind.
_READ_INDEXES: tuple[str, ...] = (
    "CREATE INDEX facts_day_kind ON facts(day, kind)",
)

# The alert engine reads the verdicts written since its last run (live/alerting.py).
_LIVE_LATE = ("CREATE INDEX fact_verifications_at ON fact_verifications(verified_at)",)

# The IPO pipeline's index of reports by company and day (store/ipo_index.py): a page of the
# pipeline, and the brief's IPO section, read only the companies they show. Filled by the writer;
# the migration indexes what was stored before.
_IPO_COMPANIES: tuple[str, ...] = (
    """CREATE TABLE ipo_companies (
        company       TEXT NOT NULL,
        day           TEXT NOT NULL,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        part          TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        PRIMARY KEY (extraction_id, part, seq)
    ) WITHOUT ROWID""",
    "CREATE INDEX ipo_companies_company ON ipo_companies(company, day)",
    "CREATE INDEX ipo_companies_day ON ipo_companies(day, company)",
)

# Short Chinese terms on PostgreSQL (store/grams.py): each revision's CJK character pairs, so
# 中芯 or 港股 is found through an index instead of by reading every text. Filled by the writer;
# the backfill indexes what was stored before. SQLite's trigram vocabulary already does this.
_SEARCH_GRAMS_SQLITE: tuple[str, ...] = ()

# What story assignment finds a stored member by, whenever it was published (store/stories.py):
# its fact keys, for novelty ("did any article published no later state this figure?"), and its
# links, for language versions. Filled by the writer; the backfill indexes what was stored before.
_STORY_KEYS: tuple[str, ...] = (
    """CREATE TABLE story_keys (
        key        TEXT NOT NULL,
        anchor_at  TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES story_members(article_id),
        PRIMARY KEY (key, anchor_at, article_id)
    ) WITHOUT ROWID""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables", _CORE),
    Migration(2, "full-text search (trigram)", _SEARCH, _SEARCH_POSTGRESQL),
    Migration(3, "mention roles", _MENTION_ROLE),
    Migration(4, "full-text search over folded text (简/繁, full-width, case)", _SEARCH_FOLDED,
              _SEARCH_FOLDED_POSTGRESQL),
    Migration(5, "extraction errors by component", _EXTRACTION_ERRORS,
              _EXTRACTION_ERRORS_POSTGRESQL),
    Migration(6, "publication date source", _DATE_SOURCE),
    Migration(7, "fact horizon and day", _FACT_TIMEFRAME),
    Migration(8, "sentiment labels and evidence per company", _SENTIMENT_EVIDENCE),
    Migration(9, "price bars and fact verdicts", _PRICES),
    Migration(10, "stories: near-duplicates, story membership and novelty", _STORIES),
    Migration(11, "live news: feed state, alert rules, alerts and their deliveries", _LIVE),
    Migration(12, "fact previous values and event attributes", _FACT_PREVIOUS_AND_EVENT_ATTRIBUTES),
    Migration(13, "search index rows written by the writer", _SEARCH_BY_WRITER, ()),
    Migration(14, "indexes for reads at scale", _READ_INDEXES),
    Migration(15, "live news: verdicts by the time they were written", _LIVE_LATE),
    Migration(16, "IPO reports by company and day", _IPO_COMPANIES,
              backfill=ipo_index.backfill),
    Migration(17, "character pairs for short Chinese search terms (PostgreSQL)",
              _SEARCH_GRAMS_SQLITE, grams.MIGRATION_POSTGRESQL, backfill=grams.backfill),
    Migration(18, "the articles about each listing, newest first", issuer_index.MIGRATION,
              backfill=issuer_index.backfill),
    Migration(19, "story keys: fact keys and links of every story member",
              _STORY_KEYS, backfill=stories.backfill_keys),
)


def connect(path: Path, *, readonly: bool, timeout: float) -> SqliteConnection:
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
        # Up to 32 MiB of pages for a writer, allocated lazily; a reader (one per API request)
        # gets 4 MiB, so sixteen concurrent requests hold 64 MiB of cache, not half a gigabyte:
        # the operating system's file cache keeps the hot pages for all of them.
        conn.execute(f"PRAGMA cache_size = {-4096 if readonly else -32768}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc
    return SqliteConnection(conn, str(path), store_error)


def store_error(path: Path | str, exc: sqlite3.Error) -> StoreError:
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
            f"SQLite {sqlite3.sqlite_version} is too old: tickerwire needs 3.35+ for trigram "
            "full-text search and INSERT … RETURNING; use a Python built against a newer SQLite"
        )


def current_version(conn: Connection) -> int:
    if conn.dialect.name == "postgresql":
        exists = conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0]
    else:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0])


def migrate(conn: Connection, *, readonly: bool, upto: int | None = None) -> int:
    """Apply pending migrations in order (up to version ``upto``, by default all of them);
    return the resulting schema version."""
    latest = MIGRATIONS[-1].version if upto is None else upto
    version = _checked_version(conn)
    if version >= latest:
        return version
    if readonly:
        raise StoreError(
            f"{conn.location}: schema version {version} is older than {latest}; "
            "open it once without --readonly (e.g. run tickerwire ingest) to upgrade it"
        )
    for migration in MIGRATIONS:
        if version < migration.version <= latest:
            _apply(conn, migration)
    return latest


def _checked_version(conn: Connection) -> int:
    try:
        version = current_version(conn)
    except conn.errors as exc:
        raise conn.error(exc) from exc
    if version > MIGRATIONS[-1].version:
        raise StoreError(
            f"{conn.location}: schema version {version} was written by a newer tickerwire; "
            "upgrade it"
        )
    return version


def begin(conn: Connection) -> None:
    """Open a write transaction (one writer at a time, on both databases)."""
    try:
        for statement in conn.dialect.begin:
            conn.execute(statement)
    except conn.errors as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise conn.error(exc) from exc


def _apply(conn: Connection, migration: Migration) -> None:
    begin(conn)
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        if current_version(conn) >= migration.version:  # another process got here first
            conn.execute("COMMIT")
            return
        for statement in migration.statements_for(conn.dialect.name):
            conn.execute(statement)
        if migration.backfill is not None:
            migration.backfill(conn)
        conn.execute(
            "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, utc_now_text()),
        )
        conn.execute("COMMIT")
    except conn.errors as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise conn.error(exc) from exc
