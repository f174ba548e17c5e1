"""``Store``: the one object the rest of tickerwire uses to read and write the database."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeVar

from tickerwire.dburl import is_database_url
from tickerwire.errors import NotFoundError, StoreError, UnstorableArticleError
from tickerwire.model import Article, Extraction, PriceBar
from tickerwire.store import ipo_index, live, prices, queries, search, stories, writer
from tickerwire.store.codec import as_of_text, aware, parse_instant, utc_now_text, utc_text
from tickerwire.store.connection import Connection, UnstorableText
from tickerwire.store.rows import (
    ArticleHead,
    ArticleSummary,
    EventRow,
    FactRow,
    IngestOutcome,
    IssuerArticle,
    LoadedArticle,
    MentionRow,
    PreparedArticle,
    QuarantineRow,
    StoredArticle,
    StoryJoin,
    StoryMemberRow,
    StoryRow,
)
from tickerwire.store.schema import connect, current_version, migrate
from tickerwire.store.search import FacetCounts, SearchQuery
from tickerwire.store.sql import in_batches

T = TypeVar("T")
KeyT = TypeVar("KeyT", bound=tuple[str, ...])

# Extraction ids per verdict check of a batch (an IN list well under the parameter limits).


class StoryDecider(Protocol):
    """Decides the story a new article joins (``insights.stories.StoryAssigner``) and learns of
    each join once it is written, so the next article of the same batch can match it."""

    def decide(
        self, article_id: str, article: Article, findings: Extraction | None, *, now: datetime,
        minhash: tuple[int, ...] | None = None,
    ) -> StoryJoin: ...

    def remember(self, join: StoryJoin) -> None: ...


def encodable(text: str) -> str:
    """``text`` with lone surrogates (undecodable file-name bytes) written as ``\\udcff``."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@contextmanager
def unstorable_as_error(origin: str) -> Iterator[None]:
    """Turn a value SQLite or the codecs refuse into that article's ``UnstorableArticleError``
    (the transaction has already rolled back, so nothing of the article was written)."""
    try:
        yield
    except UnstorableText as exc:
        raise UnstorableArticleError(
            encodable(origin), "unstorable_text", f"{exc}; remove it from the source"
        ) from exc
    except UnicodeEncodeError as exc:
        raise UnstorableArticleError(
            encodable(origin), "unstorable_text",
            f"the text holds a character UTF-8 cannot encode ({exc.reason} at "
            f"{exc.start}); fix the source's escapes",
        ) from exc
    except OverflowError as exc:
        raise UnstorableArticleError(
            encodable(origin), "unstorable_time",
            f"a time is out of range ({exc}); fix the publication time",
        ) from exc
    except (ValueError, TypeError, RecursionError) as exc:
        raise UnstorableArticleError(
            encodable(origin), "unstorable_metadata",
            f"the metadata cannot be stored ({type(exc).__name__}: {exc}); simplify it",
        ) from exc


def open_connection(target: Path | str, *, readonly: bool, timeout: float) -> Connection:
    """A connection to the SQLite file ``target``, or to the PostgreSQL database it names
    (``postgresql://user@host/db``; psycopg is imported only then)."""
    if is_database_url(target):
        from tickerwire.store.postgres import PgConnection

        return PgConnection(str(target), timeout=timeout)
    return connect(Path(target), readonly=readonly, timeout=timeout)


class Store:
    """A tickerwire database: one SQLite file in WAL mode, or a PostgreSQL database.

    One process writes at a time (on PostgreSQL, one transaction: writers queue on an advisory
    lock); any number of others may read meanwhile. Every read takes ``as_of``: rows first seen
    or extracted after that instant are ignored, so a query asked about the past sees exactly
    what the store knew then. Naive datetimes are Hong Kong time.
    """

    def __init__(self, target: Path | str, *, readonly: bool = False, timeout: float = 10.0) -> None:
        self.readonly = readonly
        # What was opened, password included: what another process opens to read the same
        # database (a parallel ingest's workers). Never shown; ``location`` is.
        self.target = target
        self._conn = open_connection(target, readonly=readonly, timeout=timeout)
        self.location = self._conn.location  # the file, or the URL without its password
        self.dialect = self._conn.dialect.name
        try:
            self.schema_version = migrate(self._conn, readonly=readonly)
        except StoreError:
            self._conn.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` on the connection, turning database errors into a ``StoreError``."""
        try:
            return work(self._conn)
        except self._conn.errors as exc:
            raise self._conn.error(exc) from exc

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` inside one short write transaction."""
        if self.readonly:
            raise StoreError(f"{self.location}: opened read-only; open it without readonly to write")

        def in_transaction(conn: Connection) -> T:
            with writer.transaction(conn):
                return work(conn)

        return self._run(in_transaction)

    # -- writes ----------------------------------------------------------------------------

    def ingest_article(
        self,
        article: Article,
        extraction: Extraction | None,
        *,
        now: datetime | None = None,
        story: StoryJoin | None = None,
    ) -> IngestOutcome:
        """Store ``article`` and its extraction atomically.

        Same id and content as the latest revision: nothing is written ("unchanged"). Same id,
        new content: a new revision with its extraction ("revised"). Otherwise "new", and then
        ``story`` (the story it joins, decided as of ``now``) is written in the same transaction.
        """
        seen = utc_now_text(now)

        def work(conn: Connection) -> IngestOutcome:
            outcome = writer.ingest_article(conn, article, extraction, seen)
            if story is not None and outcome.status == "new":
                stories.write_join(conn, story)
            return outcome

        with unstorable_as_error(article.origin or article.id):
            return self._write(work)

    def ingest_batch(
        self,
        entries: Sequence[PreparedArticle],
        *,
        assigner: StoryDecider | None = None,
        now: datetime | None = None,
    ) -> list[IngestOutcome | UnstorableArticleError]:
        """Store many articles in one transaction, each as ``ingest_article`` would, in order.

        Each article is written inside its own savepoint: one the database cannot keep is rolled
        back alone and comes back as its ``UnstorableArticleError``, and the others are kept. A
        new article's story is decided by ``assigner`` just before it is written (so it can match
        the articles written before it, in this batch too) and remembered once it is. Facts are
        checked against prices once for the whole batch. A killed process leaves the batch
        either whole or absent.
        """
        def work(conn: Connection) -> list[IngestOutcome | UnstorableArticleError]:
            results: list[IngestOutcome | UnstorableArticleError] = []
            search_rows: list[writer.SearchRow] = []
            for entry in entries:
                try:
                    with unstorable_as_error(entry.article.origin or entry.article_id):
                        outcome, join, search = self._write_entry(conn, entry, assigner, now)
                except UnstorableArticleError as exc:
                    results.append(exc)
                    continue
                if join is not None and assigner is not None:
                    assigner.remember(join)
                search_rows.extend(search)
                results.append(outcome)
            writer.insert_search_rows(conn, search_rows)
            ids = [r.extraction_id for r in results
                   if isinstance(r, IngestOutcome) and r.extraction_id is not None]
            stamp = utc_now_text(now)
            for chunk in in_batches(ids):
                prices.refresh_verdicts(conn, stamp, extraction_ids=chunk)
            return results

        return self._write(work)

    @staticmethod
    def _write_entry(
        conn: Connection,
        entry: PreparedArticle,
        assigner: StoryDecider | None,
        now: datetime | None,
    ) -> tuple[IngestOutcome, StoryJoin | None, list[writer.SearchRow]]:
        """One article of a batch, in its savepoint: (what was done, the story join written, the
        search index row the batch writes once every article is written)."""
        article = entry.article
        search: list[writer.SearchRow] = []
        with writer.savepoint(conn):
            latest = writer.latest_revision(conn, entry.article_id)
            if latest is not None and latest[1] == entry.content_hash:
                return IngestOutcome(entry.article_id, latest[0], "unchanged"), None, search
            moment = aware(now) if now is not None else datetime.now(UTC)
            join = None
            if latest is None and assigner is not None:
                join = assigner.decide(entry.article_id, article, entry.extraction, now=moment,
                                       minhash=entry.minhash)
            outcome = writer.write_prepared(conn, entry, latest, utc_text(moment), verify=False,
                                            search_rows=search)
            if join is not None:
                stories.write_join(conn, join)
            return outcome, join, search

    def join_stories(self, joins: Sequence[StoryJoin]) -> None:
        """Record that already stored articles joined stories (rebuilds and loads), all in one
        transaction."""
        def work(conn: Connection) -> None:
            for join in joins:
                stories.write_join(conn, join)

        self._write(work)

    def clear_stories(self) -> None:
        """Forget every story and membership (before a rebuild)."""
        self._write(stories.clear)

    def save_extraction(
        self, article_id: str, revision: int, extraction: Extraction, *, now: datetime | None = None
    ) -> int:
        """Add a new extraction of an existing revision (older ones are kept for ``as_of``)."""
        stamp = utc_now_text(now)

        def work(conn: Connection) -> int:
            seen = writer.revision_seen_at(conn, article_id, revision)
            if seen is None:
                raise NotFoundError(f"article {article_id} has no revision {revision}")
            return writer.insert_extraction(conn, article_id, revision, extraction,
                                            max(stamp, seen))

        with unstorable_as_error(article_id):
            return self._write(work)

    def quarantine(
        self,
        origin: str,
        reason: str,
        detail: str,
        *,
        content: bytes | None = None,
        sha256: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Record a document that could not be read; return its quarantine row id.

        The same origin, reason and content (``content`` bytes or their ``sha256``) seen again
        updates that row's ``last_seen_at`` and ``count`` instead of adding a row.
        """
        digest = hashlib.sha256(content).hexdigest() if content is not None else sha256
        size = len(content) if content is not None else None
        stamp = utc_now_text(now)
        origin, detail = encodable(origin), encodable(detail)
        return self._write(
            lambda conn: writer.quarantine(
                conn, origin, reason, detail, sha256=digest, size=size, now=stamp
            )
        )

    def import_bars(self, bars: Sequence[PriceBar], *, now: datetime | None = None) -> prices.BarImport:
        """Store daily bars in one transaction (a changed bar becomes a new revision, the same
        bar again is a no-op) and re-check every fact about their codes."""
        stamp = utc_now_text(now)
        return self._write(lambda conn: prices.import_bars(conn, bars, stamp))

    def refresh_verdicts(self, *, now: datetime | None = None) -> int:
        """Re-check every fact of a checked kind against the current bars; return how many."""
        stamp = utc_now_text(now)
        return self._write(lambda conn: prices.refresh_verdicts(conn, stamp))

    def load_articles(self, items: Sequence[LoadedArticle]) -> list[IngestOutcome]:
        """Store articles extracted elsewhere, all in one transaction, each as ``ingest_article``
        would have at its ``first_seen_at`` (unchanged content writes nothing).

        The bulk path of ``tickerwire batch load``: one transaction per chunk instead of one per
        article; on PostgreSQL one ``COPY`` per table per chunk (``postgres.bulk_load``). A value
        the database cannot keep raises ``UnstorableArticleError`` for the whole chunk (nothing
        of it is written): load its articles one at a time to find the one to quarantine.
        """
        if not items:
            return []

        def work(conn: Connection) -> list[IngestOutcome]:
            if conn.dialect.name == "postgresql":
                from tickerwire.store.postgres import bulk_load

                return bulk_load(conn, items)
            return [
                writer.ingest_article(
                    conn, item.article, item.extraction, utc_now_text(item.first_seen_at),
                    extracted_at=None if item.extracted_at is None
                    else utc_now_text(item.extracted_at),
                )
                for item in items
            ]

        first, last = items[0].article, items[-1].article
        origin = (first.origin or first.id if len(items) == 1
                  else f"{len(items)} articles from {first.id} to {last.id}")
        with unstorable_as_error(origin):
            return self._write(work)

    def latest_revisions(self, article_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """(revision, content_hash) of the newest revision of each stored id of ``article_ids``,
        in a few queries: what an ingest checks before it extracts a chunk of articles."""
        return self._run(lambda conn: writer.latest_revisions(conn, article_ids))

    def latest_revision(self, article_id: str) -> tuple[int, str] | None:
        """(revision, content_hash) of the newest revision of ``article_id``, or None."""
        found = self._run(lambda conn: writer.latest_revision(conn, article_id))
        return None if found is None else (found[0], found[1])

    # -- reads -----------------------------------------------------------------------------

    def get_article(
        self, article_id: str, *, as_of: datetime | None = None
    ) -> StoredArticle | None:
        return self._run(lambda conn: queries.get_article(conn, article_id, as_of_text(as_of)))

    def get_articles(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, StoredArticle]:
        """The visible articles among ``article_ids``, by id, in a fixed number of queries."""
        return self._run(
            lambda conn: queries.get_articles(conn, article_ids, as_of_text(as_of)))

    def article_heads(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> dict[str, ArticleHead]:
        """Header and tone of the visible articles among ``article_ids`` (no text, no
        mentions, facts or events), by id: one query per 500 ids."""
        return self._run(
            lambda conn: queries.article_heads(conn, article_ids, as_of_text(as_of)))

    def search(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        limit: int = 20,
        offset: int = 0,
        as_of: datetime | None = None,
    ) -> list[ArticleSummary]:
        """Visible articles matching every given filter, newest first.

        ``query`` is text (every term must occur) or a ``SearchQuery`` whose clauses may also
        be met by a mention of a security; ``since``/``until`` are inclusive Hong Kong dates (of
        publication, or of first sight for undated articles); ``listing_codes`` matches any
        listing of a mentioned issuer. See ``store/search.py``.
        """
        filters = search.SearchFilters(search.as_query(query), since, until, lang, listing_codes,
                                       event_type, sentiment, source)
        return self._run(
            lambda conn: search.search(
                conn, filters, as_of_text(as_of), limit=max(0, limit), offset=max(0, offset)
            )
        )

    def count(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        as_of: datetime | None = None,
        at_most: int | None = None,
    ) -> int:
        """How many articles ``search`` with the same filters would page through."""
        filters = search.SearchFilters(search.as_query(query), since, until, lang, listing_codes,
                                       event_type, sentiment, source)
        return self._run(
            lambda conn: search.count(conn, filters, as_of_text(as_of), at_most=at_most))

    def facets(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        limit: int = 20,
        as_of: datetime | None = None,
        among: int | None = None,
    ) -> FacetCounts:
        """What ``search`` with the same filters finds, counted by day, language, source and
        mentioned listing (the ``limit`` largest values of each)."""
        filters = search.SearchFilters(search.as_query(query), since, until, lang, listing_codes,
                                       event_type, sentiment, source)
        return self._run(
            lambda conn: search.facets(conn, filters, as_of_text(as_of), limit=max(1, limit),
                                      among=among)
        )

    def list_page(
        self,
        query: str | SearchQuery | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        lang: str | None = None,
        listing_codes: Sequence[str] | None = None,
        event_type: str | None = None,
        sentiment: str | None = None,
        source: str | None = None,
        limit: int = 20,
        offset: int = 0,
        as_of: datetime | None = None,
        at_most: int,
        among: int,
        facet_limit: int = 20,
    ) -> tuple[list[ArticleSummary], int, FacetCounts]:
        """``search``, ``count(at_most=…)`` and ``facets(among=…)`` at once, reading the
        matches once (``among`` ≤ ``at_most``)."""
        filters = search.SearchFilters(search.as_query(query), since, until, lang, listing_codes,
                                       event_type, sentiment, source)
        return self._run(
            lambda conn: search.list_page(
                conn, filters, as_of_text(as_of), limit=max(0, limit), offset=max(0, offset),
                at_most=at_most, among=among, facet_limit=max(1, facet_limit),
            )
        )

    def stats(self, *, as_of: datetime | None = None) -> dict[str, int]:
        """Row counts; mentions, facts and events count the visible extraction of each article."""
        return self._run(lambda conn: queries.stats(conn, as_of_text(as_of)))

    def quarantined(self, limit: int = 100, *, offset: int = 0) -> list[QuarantineRow]:
        """Quarantined documents, most recently seen first."""
        return self._run(lambda conn: queries.quarantined(conn, limit, offset))

    def iter_current(
        self, as_of: datetime | None = None, *, unless_version: str | None = None
    ) -> Iterator[tuple[str, int, Article]]:
        """(article id, revision, rebuilt Article) of every visible revision, in id order.

        With ``unless_version``, skip articles whose visible extraction has that pipeline
        version (what ``reprocess`` needs).
        """
        stamp = as_of_text(as_of)
        pages = self._run(
            lambda conn: queries.iter_current(conn, stamp, unless_version=unless_version)
        )
        while True:
            stored = self._run(lambda conn: next(pages, None))
            if stored is None:
                return
            yield stored.id, stored.revision, stored.to_article()

    def iter_article_pages(
        self,
        *,
        as_of: datetime | None = None,
        since: date | None = None,
        until: date | None = None,
        listing_codes: Sequence[str] | None = None,
        page: int = 500,
    ) -> Iterator[list[StoredArticle]]:
        """Visible articles with their visible extractions, ``page`` at a time in id order
        (memory stays bounded by one page). ``since``/``until`` are inclusive Hong Kong
        publication days (undated articles are left out when either is given);
        ``listing_codes`` keeps articles that mention an issuer with one of the codes."""
        stamp = as_of_text(as_of)
        after = ""
        while True:
            found = self._run(partial(
                queries.current_page, as_of=stamp, after=after, limit=page, unless_version=None,
                since=since, until=until, listings=listing_codes))
            if not found:
                return
            ids = [stored.id for stored in found]
            full = self._run(partial(queries.get_articles, article_ids=ids, as_of=stamp))
            yield [full[i] for i in ids if i in full]
            if len(found) < page:
                return
            after = ids[-1]

    def columns(self, table: str) -> list[str]:
        """The column names of a store table, in schema order (empty for an unknown table)."""
        return self._run(lambda conn: [
            str(row["name"]) for row in conn.execute(
                "SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
        ])

    def fact_rows(
        self,
        *,
        kinds: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        extraction_ids: Sequence[int] | None = None,
    ) -> list[FactRow]:
        """Facts of the visible extractions, oldest day first, in text order per article."""
        return self._run(
            lambda conn: queries.fact_rows(
                conn, as_of_text(as_of), kinds=kinds, subjects=subjects, since=since, until=until,
                extraction_ids=extraction_ids,
            )
        )

    def event_rows(
        self,
        *,
        types: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        extraction_ids: Sequence[int] | None = None,
    ) -> list[EventRow]:
        """Events of the visible extractions; ``subjects`` matches any of an event's subjects."""
        return self._run(
            lambda conn: queries.event_rows(
                conn, as_of_text(as_of), types=types, subjects=subjects, since=since, until=until,
                extraction_ids=extraction_ids,
            )
        )

    def mention_rows(
        self,
        *,
        listings: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        extraction_ids: Sequence[int] | None = None,
    ) -> list[MentionRow]:
        """Mentions of the visible extractions; ``listings`` matches any listing of the issuer."""
        return self._run(
            lambda conn: queries.mention_rows(
                conn, as_of_text(as_of), listings=listings, since=since, until=until,
                extraction_ids=extraction_ids,
            )
        )

    def price_bars(
        self,
        codes: Sequence[str],
        *,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
    ) -> list[PriceBar]:
        """The bars of ``codes`` as known at ``as_of`` (latest revision of each day), by code
        then day."""
        return self._run(lambda conn: prices.load_bars(conn, list(codes), as_of=as_of_text(as_of),
                                                        since=since, until=until))

    def price_codes(self, *, as_of: datetime | None = None) -> list[tuple[str, date, date, int]]:
        """(code, first day, last day, number of bars) of every code with bars."""
        return self._run(lambda conn: prices.bar_codes(conn, as_of_text(as_of)))

    def issuer_articles(
        self,
        listings: Sequence[str],
        *,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
        at_most: int | None = None,
    ) -> list[IssuerArticle]:
        """The visible articles about ``listings`` (header and tone, extraction, story), newest
        first (with ``at_most``: the newest that many): the articles of an issuer's timeline,
        found by index or a newest-first walk (``queries.issuer_articles``)."""
        return self._run(lambda conn: queries.issuer_articles(
            conn, as_of_text(as_of), listings=listings, since=since, until=until,
            at_most=at_most))

    def ipo_companies(
        self, *, since: date | None = None, until: date | None = None,
        as_of: datetime | None = None,
    ) -> list[tuple[str, date]]:
        """(company key, latest day) of the companies with visible IPO reports in [since,
        until], latest first (``ipo_index.companies``)."""
        return self._run(lambda conn: ipo_index.companies(
            conn, as_of_text(as_of), since=since, until=until))

    def ipo_reports(
        self,
        company: str,
        *,
        limit: int,
        count_upto: int,
        since: date | None = None,
        until: date | None = None,
        as_of: datetime | None = None,
    ) -> tuple[list[EventRow], list[FactRow], int]:
        """The latest ``limit`` visible IPO events and raises about ``company`` in [since,
        until], and how many reports there are (counted up to ``count_upto``)."""
        return self._run(lambda conn: ipo_index.latest_reports(
            conn, as_of_text(as_of), company=company, since=since, until=until, limit=limit,
            count_upto=count_upto))

    def ipo_companies_of(self, extraction_ids: Sequence[int]) -> dict[int, set[str]]:
        """The company keys of the IPO events of each of ``extraction_ids``."""
        return self._run(lambda conn: ipo_index.companies_of(conn, extraction_ids))

    def days(self, *, as_of: datetime | None = None) -> list[date]:
        """Hong Kong publication dates of visible articles, newest first (undated articles have none)."""
        return self._run(lambda conn: queries.days(conn, as_of_text(as_of)))

    def latest_day(
        self, *, kinds: Sequence[str] | None = None, until: date | None = None,
        as_of: datetime | None = None,
    ) -> date | None:
        """The latest published Hong Kong day (up to ``until``) of a visible article (with
        ``kinds``: of one with a visible fact of those kinds); None when there is none."""
        return self._run(lambda conn: queries.latest_day(conn, as_of_text(as_of), kinds=kinds,
                                                         until=until))

    def next_day(self, *, after: date, as_of: datetime | None = None) -> date | None:
        """The earliest published Hong Kong day after ``after`` of a visible article."""
        return self._run(lambda conn: queries.next_day(conn, as_of_text(as_of), after=after))

    # -- stories (insights/stories.py) ---------------------------------------------------------

    def story_members_anchored(
        self, since: datetime, until: datetime, *, as_of: datetime | None = None
    ) -> list[StoryMemberRow]:
        """Memberships, with signatures, of articles anchored between ``since`` and ``until``."""
        lo, hi = utc_text(since), utc_text(until)
        return self._run(lambda conn: stories.members_anchored(conn, lo, hi, as_of_text(as_of)))

    def story_facts_stated(
        self, fact_keys: Collection[KeyT], *, until: datetime, as_of: datetime | None = None
    ) -> set[KeyT]:
        """Those of ``fact_keys`` that a visible member anchored no later than ``until`` states,
        however long before."""
        if not fact_keys:
            return set()
        by_text = {stories.fact_key_text(key): key for key in fact_keys}
        found = self._run(lambda conn: stories.keys_stated(conn, list(by_text), utc_text(until),
                                                           as_of_text(as_of)))
        return {by_text[text] for text in found}

    def story_members_linked(
        self, urls: Collection[str], *, as_of: datetime | None = None
    ) -> list[StoryMemberRow]:
        """Visible members, with signatures, whose URL or language versions' URLs include one of
        ``urls``, whenever they were published."""
        if not urls:
            return []
        texts = [stories.link_text(url) for url in urls]
        return self._run(lambda conn: stories.members_by_keys(conn, texts, as_of_text(as_of)))

    def story_members(
        self, story_ids: Sequence[str], *, as_of: datetime | None = None
    ) -> list[StoryMemberRow]:
        """Visible members of ``story_ids``, oldest publication first."""
        return self._run(lambda conn: stories.members_of_stories(conn, story_ids, as_of_text(as_of)))

    def story_memberships(
        self, article_ids: Sequence[str], *, as_of: datetime | None = None,
        with_signatures: bool = False,
    ) -> dict[str, StoryMemberRow]:
        """The visible story membership of each of ``article_ids`` that has one (their match
        signatures too ``with_signatures``)."""
        return self._run(lambda conn: stories.members_of_articles(
            conn, article_ids, as_of_text(as_of), with_signature=with_signatures))

    def stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        story_ids: Sequence[str] | None = None,
        subjects: Sequence[str] | None = None,
        min_articles: int = 1,
        limit: int = 50,
        offset: int = 0,
        as_of: datetime | None = None,
    ) -> list[tuple[StoryRow, int]]:
        """Visible stories whose anchor lies in ``[since, until]``, newest first, each with its
        number of visible members; ``subjects`` keeps stories about any of those listings or
        index ids, ``min_articles`` those told by at least that many visible articles."""
        lo = None if since is None else utc_text(since)
        hi = None if until is None else utc_text(until)
        return self._run(lambda conn: stories.stories(
            conn, as_of_text(as_of), since=lo, until=hi, story_ids=story_ids, subjects=subjects,
            min_articles=min_articles, limit=max(0, limit), offset=max(0, offset)))

    def count_stories(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        subjects: Sequence[str] | None = None,
        min_articles: int = 1,
        upto: int | None = None,
        as_of: datetime | None = None,
    ) -> int:
        """How many stories ``stories`` with the same filters would page through (counted up
        to ``upto``)."""
        lo = None if since is None else utc_text(since)
        hi = None if until is None else utc_text(until)
        return self._run(lambda conn: stories.count_stories(
            conn, as_of_text(as_of), since=lo, until=hi, subjects=subjects,
            min_articles=min_articles, upto=upto))

    def unassigned_articles(self) -> list[str]:
        """Ids of stored articles in no story, in the order they were first seen."""
        return self._run(stories.unassigned_articles)

    def migrations(self) -> list[tuple[int, str, datetime]]:
        """(version, name, applied_at) of every applied migration, in order."""
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
            ).fetchall()
        )
        return [(int(r[0]), str(r[1]), parse_instant(r[2])) for r in rows]

    def integrity_check(self) -> list[str]:
        """SQLite's integrity check plus foreign-key check; empty when the file is sound.

        PostgreSQL enforces foreign keys on every write and checks its own pages, so there the
        list is empty once the database answers."""
        def work(conn: Connection) -> list[str]:
            if conn.dialect.name == "postgresql":
                conn.execute("SELECT 1").fetchone()
                return []
            problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
            problems = [p for p in problems if p != "ok"]
            fk_rows = conn.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"foreign key: {tuple(r)}" for r in fk_rows]
            return problems

        return self._run(work)

    def version(self) -> int:
        return self._run(current_version)

    # -- live news: feed state, alert rules, alerts (see store/live.py) ----------------------

    def feed_states(self) -> dict[str, live.FeedState]:
        return self._run(live.feed_states)

    def save_feed_state(self, state: live.FeedState) -> None:
        self._write(lambda conn: live.save_feed_state(conn, state))

    def alert_rules(self) -> list[live.StoredRule]:
        """Alert rules added over the API, by id."""
        return self._run(live.rules)

    def save_alert_rule(
        self, rule_id: str, kind: str, spec: dict[str, Any], *, now: datetime | None = None
    ) -> bool:
        """Add or replace a rule; True when it is new."""
        stamp = utc_now_text(now)
        return self._write(lambda conn: live.save_rule(conn, rule_id, kind, spec, stamp))

    def delete_alert_rule(self, rule_id: str) -> bool:
        return self._write(lambda conn: live.delete_rule(conn, rule_id))

    def cursor(self, name: str) -> int | None:
        """A named position saved by ``record_alerts``/``set_cursor`` (None before the first)."""
        return self._run(lambda conn: live.cursor(conn, name))

    def set_cursor(self, name: str, position: int) -> None:
        stamp = utc_now_text()
        self._write(lambda conn: live.set_cursor(conn, name, position, stamp))

    def last_revision_position(self) -> int:
        """The position of the newest stored revision (0 for an empty store)."""
        return self._run(live.last_revision_position)

    def revisions_after(self, position: int, *, limit: int = 100) -> list[live.RevisionRow]:
        """Revisions stored after ``position``, oldest first: what arrived since then."""
        return self._run(lambda conn: live.revisions_after(conn, position, limit))

    def alert_deliveries(self, alert_ids: Sequence[int]) -> dict[int, list[live.DeliveryRow]]:
        """Each of ``alert_ids``'s deliveries, one per channel (alerts without any left out)."""
        rows = self._run(lambda conn: live.deliveries_of(conn, alert_ids)) if alert_ids else []
        out: dict[int, list[live.DeliveryRow]] = {}
        for row in rows:
            out.setdefault(row.alert_id, []).append(row)
        return out

    def revisions_seen_since(
        self, since: datetime, *, after: int, upto: int, limit: int = 1000
    ) -> list[live.RevisionRow]:
        """Revisions at positions in ``(after, upto]`` first seen at or after ``since``."""
        stamp = utc_text(since)
        return self._run(lambda conn: live.revisions_seen_since(conn, stamp, after, upto, limit))

    def revisions_at(self, positions: Sequence[int]) -> list[live.RevisionRow]:
        """The visible revisions at ``positions`` (those not visible are left out)."""
        return self._run(lambda conn: live.revisions_at(conn, positions))

    def contradicted_since(
        self, since: datetime, *, after_fact: int = -1, limit: int = 1000
    ) -> list[live.VerdictRow]:
        """Contradicted verdicts written after (``since``, fact ``after_fact``), in (time, fact)
        order; current extractions only."""
        stamp = utc_text(since)
        return self._run(lambda conn: live.contradicted_since(conn, stamp, after_fact, limit))

    def record_alerts(
        self, alerts: Sequence[live.NewAlert], *, cursor: tuple[str, int] | None = None,
        now: datetime | None = None,
    ) -> list[int]:
        """Record alerts (skipping any already fired for the rule and revision) with a pending
        delivery per channel, and move ``cursor`` — all in one transaction. Returns new ids."""
        stamp = utc_now_text(now)

        def work(conn: Connection) -> list[int]:
            ids = live.record_alerts(conn, alerts, stamp)
            if cursor is not None:
                live.set_cursor(conn, cursor[0], cursor[1], stamp)
            return ids

        return self._write(work)

    def alerts_after(self, after_id: int, *, limit: int = 100) -> list[live.AlertRow]:
        """Alerts fired after alert ``after_id``, oldest first (the live stream reads these)."""
        return self._run(lambda conn: live.alerts_after(conn, after_id, limit))

    def recent_alerts(self, *, limit: int = 50, rule_id: str | None = None) -> list[live.AlertRow]:
        """The newest alerts first."""
        return self._run(lambda conn: live.recent_alerts(conn, limit, rule_id))

    def last_alert_id(self) -> int:
        return self._run(live.last_alert_id)

    def pending_deliveries(self, *, limit: int = 100) -> list[live.PendingDelivery]:
        return self._run(lambda conn: live.pending_deliveries(conn, limit))

    def mark_delivery(
        self, alert_id: int, channel: str, *, delivered: bool, attempts: int,
        error: str | None = None,
    ) -> None:
        """Record a delivery's outcome: delivered, or failed for good after ``attempts``."""
        stamp = utc_now_text()
        status = "delivered" if delivered else "failed"
        self._write(lambda conn: live.mark_delivery(
            conn, alert_id, channel, status=status, attempts=attempts, error=error, now=stamp))

    def delivery_counts(self) -> dict[str, int]:
        """Alert deliveries by status (pending, delivered, failed)."""
        return self._run(live.delivery_counts)
