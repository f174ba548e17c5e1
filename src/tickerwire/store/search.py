"""Article search: folded trigram full text (English and Chinese), securities, filters, facets.

A query is a list of clauses that must all match. A clause is one or more terms (whitespace-
separated words or "quoted phrases"); it matches an article whose title or text contains every
one of its terms, or, when the clause names a security, whose extraction mentions any listing of
that security (``SearchClause.listings``; ``insights.search_articles`` resolves names).

Matching runs on folded text (简/繁, full-width and case folded, see ``store/folding.py``):
terms of three or more folded characters are FTS5 trigram phrases; shorter ones (腾讯, HK) are
found through the index's trigram vocabulary (``revisions_terms``) as the start of a trigram, so
every query is answered from the index. PostgreSQL matches the same folded text with LIKE over a
pg_trgm index, and a term with a CJK character through its character pairs (``store/grams.py``),
finding exactly the same rows (``_postgresql_text_rows``). A list of common words does not read
their matches at all: it walks the revisions newest first and checks each one's folded copy by
rowid (``_text_check``); ``leader`` chooses between the two from a sample of the store. Snippets
and highlights are cut from the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from tickerwire.errors import InvalidInputError
from tickerwire.store import grams
from tickerwire.store.codec import (
    parse_instant,
    parse_optional_date,
    parse_optional_instant,
)
from tickerwire.store.connection import Connection, Row
from tickerwire.store.dialect import DialectName
from tickerwire.store.folding import fold, fold_mapped, merge_spans, term_spans
from tickerwire.store.rows import ArticleSummary, SearchMatch
from tickerwire.store.sql import (
    VISIBLE_EXTRACTION_ID,
    VISIBLE_REVISION,
    Params,
    in_list,
)

_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
SNIPPET_CHARS = 200
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_LAST_CHAR = "\U0010ffff"
_V = TypeVar("_V", bound=str | None)


@dataclass(frozen=True, slots=True)
class SearchClause:
    """Terms that must all occur in the text, or else a mention of one of ``listings``."""

    terms: tuple[str, ...]
    listings: tuple[str, ...] = ()
    name: str | None = None  # the security's short name, for "mentions 00981.HK (SMIC)"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What the user typed and the clauses it means; every clause must match."""

    text: str
    clauses: tuple[SearchClause, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(term for clause in self.clauses for term in clause.terms)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    query: SearchQuery | None = None
    since: date | None = None
    until: date | None = None
    lang: str | None = None
    listing_codes: Sequence[str] | None = None
    event_type: str | None = None
    sentiment: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class FacetCounts:
    """How many matching articles fall in each value of each facet (most first)."""

    day: tuple[tuple[str, int], ...] = ()
    lang: tuple[tuple[str | None, int], ...] = ()
    source: tuple[tuple[str | None, int], ...] = ()
    listing: tuple[tuple[str, int], ...] = ()


def check_query_text(text: str) -> str:
    """``text`` unchanged, or ``InvalidInputError`` if it holds a control character.

    Tabs and line breaks count as spaces; any other control character (NUL …) is refused, since
    the database would read the text only up to it.
    """
    for at, char in enumerate(text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") and char not in _ALLOWED_CONTROLS:
            raise InvalidInputError(
                f"the search words contain a control character (U+{ord(char):04X}) at position "
                f"{at + 1}: remove it and search again"
            )
    return text


def query_terms(text: str) -> list[str]:
    """The terms of ``text`` as typed (words, or the insides of "quoted phrases")."""
    check_query_text(text)
    terms = [" ".join((m.group(1) or m.group(2) or "").split()) for m in _TERM.finditer(text)]
    return [term for term in terms if fold(term).strip()]


def parse_query(text: str | None) -> SearchQuery | None:
    """A plain query (one clause per term, no securities); None when ``text`` is empty.

    Text that holds no term once cleaned (only spaces, quotes or invisible characters) is an
    ``InvalidInputError``: an empty search never means "everything" by accident.
    """
    if not text:
        return None
    terms = query_terms(text)
    if not terms:
        raise InvalidInputError(
            f"{text!r} has no words to search for: type a word, a name or a code, "
            "or leave the search empty to list every article"
        )
    return SearchQuery(text, tuple(SearchClause((term,)) for term in terms))


def as_query(query: str | SearchQuery | None) -> SearchQuery | None:
    """A ``SearchQuery`` as given, or text parsed into a plain one."""
    return query if isinstance(query, SearchQuery) or query is None else parse_query(query)


# --- matching -------------------------------------------------------------------------------


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like_pattern(term: str, *, trailing: int) -> str:
    """A LIKE pattern for ``term`` anywhere, followed by at least ``trailing`` characters."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}{'_' * trailing}%"


def _postgresql_text_rows(folded: Sequence[str], params: Params, prefix: str) -> str:
    """PostgreSQL's twin of the FTS5 query: every term a substring of the folded title or text.
    A term with a CJK character is narrowed by its character pairs (``revisions_grams``, see
    ``store/grams.py``) and then checked in the text; any other term is a LIKE that a pg_trgm
    GIN index answers. A term shorter than three characters must, as in SQLite's trigram
    vocabulary, start a trigram: at least 3 - len(term) characters follow it (the padding of the
    folded text always provides them)."""
    conditions: list[str] = []
    pair_queries: list[str] = []
    for i, term in enumerate(folded):
        pair_query = grams.term_query(term)
        if pair_query is not None:
            pair_queries.append(f"({pair_query})")
            params[f"{prefix}s{i}"] = term
            conditions.append(f"(strpos(f.title, :{prefix}s{i}) > 0"
                              f" OR strpos(f.text, :{prefix}s{i}) > 0)")
            continue
        params[f"{prefix}p{i}"] = _like_pattern(term, trailing=max(0, 3 - len(term)))
        conditions.append(
            f"(f.title LIKE :{prefix}p{i} ESCAPE '\\' OR f.text LIKE :{prefix}p{i} ESCAPE '\\')"
        )
    if pair_queries:
        params[f"{prefix}g"] = " & ".join(pair_queries)
        conditions.append(
            f"f.rowid IN (SELECT g.rowid FROM revisions_grams g WHERE g.grams @@ CAST(:{prefix}g AS"
            " tsquery) OR g.grams IS NULL)"
        )
    return f"SELECT f.rowid FROM revisions_fts f WHERE {' AND '.join(conditions)}"


def _text_rows(terms: Sequence[str], params: Params, prefix: str, dialect: DialectName) -> str:
    """A compound SELECT of the revision rows whose title or text holds every term."""
    folded = _folded(terms)
    if dialect == "postgresql":
        return _postgresql_text_rows(folded, params, prefix)
    selects: list[str] = []
    long_terms = [term for term in folded if len(term) >= 3]
    if long_terms:
        params[f"{prefix}m"] = " AND ".join(_fts_phrase(term) for term in long_terms)
        selects.append(f"SELECT rowid FROM revisions_fts WHERE revisions_fts MATCH :{prefix}m")
    for i, term in enumerate(term for term in folded if len(term) < 3):
        params[f"{prefix}lo{i}"] = term
        params[f"{prefix}hi{i}"] = term + _LAST_CHAR
        selects.append(
            f"SELECT doc FROM revisions_terms WHERE term >= :{prefix}lo{i}"
            f" AND term < :{prefix}hi{i}"
        )
    return " INTERSECT ".join(selects)


def _folded(terms: Sequence[str]) -> list[str]:
    return [fold(term).strip() for term in terms]


def _text_check(terms: Sequence[str], params: Params, prefix: str, dialect: DialectName) -> str:
    """Whether revision ``r``'s folded title or text holds every term, read from the search
    index's own copy of that one revision (a lookup by rowid): what a walk newest first asks of
    each revision, so it never reads every match of a common word. The same rows as
    ``_text_rows``: a short term is followed by at least the two spaces that pad the copy."""
    contains = "strpos" if dialect == "postgresql" else "instr"
    tests: list[str] = []
    for i, term in enumerate(_folded(terms)):
        params[f"{prefix}w{i}"] = term
        tests.append(f"({contains}(f.title, :{prefix}w{i}) > 0"
                     f" OR {contains}(f.text, :{prefix}w{i}) > 0)")
    return f"(SELECT {' AND '.join(tests)} FROM revisions_fts f WHERE f.rowid = r.id)"


def _mentioned(codes: str, *, extraction: str | None = None) -> str:
    """Whether the extraction ``extraction`` (None: any extraction of revision ``r``, visible or
    not) mentions one of ``codes``: a lookup per revision, so a walk never reads every mention
    of a much-mentioned security (a scalar subquery, which PostgreSQL too runs row by row)."""
    if extraction is not None:
        return (f"(SELECT 1 FROM extraction_listings el WHERE el.extraction_id = {extraction}"
                f" AND {codes} LIMIT 1) IS NOT NULL")
    return (
        "(SELECT 1 FROM extractions x JOIN extraction_listings el ON el.extraction_id = x.id"
        f" WHERE x.article_id = r.article_id AND x.revision = r.revision AND {codes} LIMIT 1)"
        " IS NOT NULL"
    )


def _clause_sql(
    clause: SearchClause, params: Params, prefix: str, dialect: DialectName, *, lead: bool,
    by_set: bool = False,
) -> str:
    """The clause as a condition on revision ``r`` and its visible extraction ``e``. With
    ``lead``, its matches (read from the indexes) are where the query starts; otherwise the
    revisions are walked newest first and each is checked on its own (``_text_check``), or,
    with ``by_set`` (a clause of words only), looked up among its matches, read once from the
    index (``+r.id``: the walk, not the matches, leads)."""
    if by_set:
        if clause.listings:
            raise ValueError("a clause naming a security is checked revision by revision")
        return f"+r.id IN ({_text_rows(clause.terms, params, prefix, dialect)})"
    matched = _text_check(clause.terms, params, prefix, dialect)
    codes = ""
    if clause.listings:
        codes = in_list("el.listing", clause.listings, params, f"{prefix}c")
        # A mention counts only in the extraction visible at :as_of.
        matched = f"({matched} OR {_mentioned(codes, extraction='e.id')})"
    if not lead:
        return matched
    text_rows = _text_rows(clause.terms, params, prefix, dialect)
    if not clause.listings:
        return f"r.id IN ({text_rows})"
    # Candidate rows from the indexes: the text's, or those of any extraction naming a listing.
    return f"r.id IN ({text_rows} UNION {_mention_rows(codes)}) AND {matched}"


def _mention_rows(codes: str) -> str:
    """The revisions with an extraction (visible or not) that mentions one of ``codes``."""
    return (
        "SELECT r3.id FROM extraction_listings el"
        " JOIN extractions x ON x.id = el.extraction_id"
        " JOIN article_revisions r3 ON r3.article_id = x.article_id AND r3.revision = x.revision"
        f" WHERE {codes}"
    )


def _where(
    filters: SearchFilters, as_of: str, dialect: DialectName, *, plan: Plan | None = None
) -> tuple[str, Params]:
    """The conditions of ``filters``, found the way ``plan`` says (default: walk newest first
    checking each revision; see ``leader``)."""
    lead, by_set = (plan.lead, plan.by_set) if plan is not None else (None, None)
    params: Params = {"as_of": as_of}
    where: list[str] = []
    if filters.query is not None:
        for i, clause in enumerate(filters.query.clauses):
            condition = _clause_sql(clause, params, f"q{i}", dialect, lead=lead == i,
                                    by_set=by_set == i)
            if by_set == i:  # first: a walked revision outside the set is read no further
                where.insert(0, condition)
            else:
                where.append(condition)
    if filters.listing_codes is not None:
        if lead == len(filters.query.clauses if filters.query is not None else ()):
            where.append(
                f"r.id IN ({_mention_rows(in_list('el.listing', filters.listing_codes, params, 'rl'))})"
            )
        codes = in_list("el.listing", filters.listing_codes, params, "el")
        where.append(_mentioned(codes, extraction="e.id"))
    where.append(VISIBLE_REVISION)
    # The published day: an undated article belongs to no day, so date filters leave it out.
    if filters.since is not None:
        where.append("r.published_date_hk >= :since")
        params["since"] = filters.since.isoformat()
    if filters.until is not None:
        where.append("r.published_date_hk <= :until")
        params["until"] = filters.until.isoformat()
    if filters.lang is not None:
        where.append("coalesce(r.lang, a.lang) = :lang")
        params["lang"] = filters.lang
    if filters.source is not None:
        where.append("a.source = :source")
        params["source"] = filters.source
    if filters.event_type is not None:
        where.append(
            "EXISTS (SELECT 1 FROM events ev WHERE ev.extraction_id = e.id AND ev.type = :etype)"
        )
        params["etype"] = filters.event_type
    if filters.sentiment is not None:
        where.append("e.sentiment_label = :label")
        params["label"] = filters.sentiment
    return " AND ".join(where), params


@dataclass(frozen=True, slots=True)
class Plan:
    """How a list finds its hits. ``lead``: the condition (a clause's index, or the number of
    clauses: the security filter) whose matches, read from the indexes, the query starts from;
    None: the revisions are walked newest first and each is checked. ``by_set``: while walking,
    the clause (of words only) whose matches are read once from the index and looked up for
    each revision, instead of reading each revision's text."""

    lead: int | None = None
    by_set: int | None = None


WALK = Plan()

# Whether a list starts from its matches or walks the revisions newest first. Reading the m
# matches of a condition costs about m; the walk reads about wanted / d of the n revisions, d
# being the share that meets every condition, and stops there, each revision costing about
# ``WALK_COST`` matches (it is checked on its own, where matches come from an index in order).
# Both are estimated from a sample of ``SAMPLE`` revisions spread evenly over the store, each
# checked as the walk checks it: the sample costs the same for a rare word and a common one,
# where counting a common word's matches would read them all.
#
# On SQLite a third way serves the words in between, too many to sort (a word in one article
# of seventy at a million: 13,889 matches, 60 ms) and too few to find by reading each walked
# revision's text (7,000 revisions, 110 ms): read the word's matches from the full-text index
# into a set (``SET_COST`` a match: its ids only, no row), then walk the sort index and look
# each revision up in it (``SET_STEP`` a revision), 13 ms. The walk's length is then taken at
# the low end of what the sample allows (one standard deviation fewer hits), since a walk for
# a word rarer than the sample suggests goes on far longer. Measured at 1,000,008 articles on
# cold connections, in units of one match read and sorted (4.3 µs).
WALK_COST = 3
SET_COST = 0.25
SET_STEP = 0.25
SAMPLE = 200


def ways(filters: SearchFilters, dialect: DialectName) -> list[Plan]:
    """Every way a list of ``filters`` can be found: the walk checking each revision, each
    condition's matches leading, and (SQLite) the walk checking each clause of words against
    the set of its matches. Each finds the same hits; ``leader`` picks the cheapest."""
    clauses = filters.query.clauses if filters.query is not None else ()
    conditions = len(clauses) + (filters.listing_codes is not None)
    found = [WALK, *(Plan(lead=i) for i in range(conditions))]
    if dialect == "sqlite":
        found += [Plan(by_set=i) for i, clause in enumerate(clauses) if not clause.listings]
    return found


def leader(conn: Connection, filters: SearchFilters, *, wanted: int | None) -> Plan:
    """The cheapest of ``ways`` to find the newest ``wanted`` hits (None: all of them, and the
    condition with the fewest matches leads), by the costs above."""
    if wanted is None:
        sources = _match_sources(filters, conn.dialect.name)
        if not sources:
            return WALK
        counts = [int(conn.execute(f"SELECT count(*) FROM ({sql}) m", params).fetchone()[0])
                  for sql, params in sources]
        return Plan(lead=min(range(len(counts)), key=counts.__getitem__))
    params: Params = {}
    checks = _sample_checks(filters, params, conn.dialect.name)
    if not checks:
        return WALK
    newest_id = int(conn.execute("SELECT max(id) FROM article_revisions").fetchone()[0] or 0)
    spread = sorted({1 + newest_id * (2 * i + 1) // (2 * SAMPLE) for i in range(SAMPLE)})
    flags = [f"CASE WHEN {check} THEN 1 ELSE 0 END" for check in checks]
    flags.append(f"CASE WHEN {' AND '.join(checks)} THEN 1 ELSE 0 END")
    rows = conn.execute(
        f"SELECT r.sort_at, r.article_id, {', '.join(flags)} FROM article_revisions r"
        f" WHERE {in_list('r.id', spread, params, 'id')}",
        params,
    ).fetchall()
    seen = len(rows)
    if not seen:
        return WALK
    # In the walk's order (newest first), to see whether the hits lie only far back.
    ordered = sorted(rows, key=lambda row: (str(row[0] or ""), str(row[1])), reverse=True)
    *hits, every = (sum(int(row[2 + i] or 0) for row in rows) for i in range(len(flags)))
    newer = sum(int(row[-1] or 0) for row in ordered[: (seen + 1) // 2])

    def walked(found: float) -> float:  # revisions walked to find ``wanted`` hits
        # Hits in the older half of the sample only: the walk must first pass the newer half,
        # whatever the share says (a word of years ago); counted as the whole store.
        if found <= 0 or not newer:
            return newest_id
        return min(newest_id, wanted * seen / found)

    # Matches in the store, by the sample; a condition the sample never meets may still have
    # some (about one per sample step), unless the sample was the whole store.
    unseen = 1 if seen < newest_id else 0
    reads = [(found + unseen) * newest_id / seen for found in hits]
    long_walk = walked(every - every ** 0.5)

    def cost(plan: Plan) -> float:
        if plan.lead is not None:
            return reads[plan.lead]
        if plan.by_set is None:
            return WALK_COST * walked(every)
        # the other conditions are checked for the revisions in the set only
        others = WALK_COST * long_walk * hits[plan.by_set] / seen if len(checks) > 1 else 0
        return SET_COST * reads[plan.by_set] + SET_STEP * long_walk + others

    return min(ways(filters, conn.dialect.name), key=cost)


def _sample_checks(filters: SearchFilters, params: Params, dialect: DialectName) -> list[str]:
    """Each clause's and the security filter's condition on one revision ``r`` (its text, or
    any of its extractions' mentions), as ``leader`` samples them."""
    checks: list[str] = []
    for i, clause in enumerate(filters.query.clauses if filters.query is not None else ()):
        check = _text_check(clause.terms, params, f"t{i}", dialect)
        if clause.listings:
            check = f"({check} OR {_mentioned(in_list('el.listing', clause.listings, params, f't{i}c'))})"
        checks.append(check)
    if filters.listing_codes is not None:
        checks.append(_mentioned(in_list("el.listing", filters.listing_codes, params, "lc")))
    return checks


def _match_sources(filters: SearchFilters, dialect: DialectName) -> list[tuple[str, Params]]:
    """Each clause's and the security filter's matching revisions (older revisions and
    extractions included: a bound on what they contribute), as SELECTs to count."""
    sources: list[tuple[str, Params]] = []
    for clause in filters.query.clauses if filters.query is not None else ():
        params: Params = {}
        rows = _text_rows(clause.terms, params, "t", dialect)
        if clause.listings:
            codes = in_list("el.listing", clause.listings, params, "c")
            rows = f"{rows} UNION ALL SELECT el.extraction_id FROM extraction_listings el WHERE {codes}"
        sources.append((rows, params))
    if filters.listing_codes is not None:
        params = {}
        codes = in_list("el.listing", filters.listing_codes, params, "c")
        sources.append((f"SELECT el.extraction_id FROM extraction_listings el WHERE {codes}",
                        params))
    return sources


_FROM = (
    " FROM article_revisions r JOIN articles a ON a.id = r.article_id"
    f" LEFT JOIN extractions e ON e.id = {VISIBLE_EXTRACTION_ID}"
)

_PAGE_COLUMNS = (
    "SELECT r.id AS revision_row, r.article_id, r.revision, r.title, a.source, a.url,"
    " coalesce(r.lang, a.lang) AS lang, r.published_at, r.published_date_hk,"
    " a.first_seen_at, e.id AS extraction_id, e.sentiment_label, e.sentiment_score"
)
_ORDER = " ORDER BY r.sort_at DESC, r.article_id DESC"


def _hits_from(filters: SearchFilters) -> str:
    """FROM … of the hits' ids: the article and the visible extraction are joined only when a
    condition reads them, so ordering many matches reads no more than their revisions."""
    clauses = filters.query.clauses if filters.query is not None else ()
    joins = " FROM article_revisions r"
    if filters.lang is not None or filters.source is not None:
        joins += " JOIN articles a ON a.id = r.article_id"
    if (filters.listing_codes is not None or filters.event_type is not None
            or filters.sentiment is not None or any(clause.listings for clause in clauses)):
        joins += f" LEFT JOIN extractions e ON e.id = {VISIBLE_EXTRACTION_ID}"
    return joins


def _newest_sql(filters: SearchFilters, where: str, bounds: str) -> str:
    """The page columns of the hits whose ids the newest-first ``bounds`` (LIMIT …) select:
    the ids first, then the columns of those few rows."""
    ids = f"SELECT r.id{_hits_from(filters)} WHERE {where}{_ORDER}{bounds}"
    return f"{_PAGE_COLUMNS}{_FROM} WHERE r.id IN ({ids}){_ORDER}"


def page_sql(
    filters: SearchFilters, as_of: str, dialect: DialectName = "sqlite", *,
    plan: Plan = WALK,
) -> tuple[str, Params]:
    """The SQL and parameters of one page of hits (``search`` runs it; tests explain it)."""
    where, params = _where(filters, as_of, dialect, plan=plan)
    return _newest_sql(filters, where, " LIMIT :limit OFFSET :offset"), params


# The newest-first walk of the hits, stopped after ``:at_most`` (a bound on what a list counts).
_NEWEST = " LIMIT :at_most"


def count(
    conn: Connection, filters: SearchFilters, as_of: str, *, at_most: int | None = None
) -> int:
    """How many articles match; with ``at_most``, counting stops there (the newest that many),
    so counting every article of a big store reads that many rows, not the store."""
    plan = leader(conn, filters, wanted=at_most)
    where, params = _where(filters, as_of, conn.dialect.name, plan=plan)
    if at_most is None:
        return int(conn.execute(f"SELECT count(*){_FROM} WHERE {where}", params).fetchone()[0])
    params["at_most"] = at_most
    return int(conn.execute(
        f"SELECT count(*) FROM (SELECT r.id{_hits_from(filters)} WHERE {where}{_ORDER}{_NEWEST})"
        " hits", params
    ).fetchone()[0])


def facets(
    conn: Connection, filters: SearchFilters, as_of: str, *, limit: int,
    among: int | None = None,
) -> FacetCounts:
    """Counts of the matching articles by day, language, source and mentioned listing.

    Days are publication days (undated articles have none); listings count articles whose
    visible extraction names them as a subject (not as the venue of a listing or a broker);
    each facet keeps its ``limit`` largest values (days: the latest). With ``among``, only the
    newest that many matching articles are counted.
    """
    return _facet_counts(conn, _newest(conn, filters, as_of, among), limit)


def list_page(
    conn: Connection, filters: SearchFilters, as_of: str, *, limit: int, offset: int,
    at_most: int, among: int, facet_limit: int,
) -> tuple[list[ArticleSummary], int, FacetCounts]:
    """``search``, ``count(at_most=…)`` and ``facets(among=…)`` from one newest-first read of
    the matches (``among`` at most ``at_most``): what a list shows reads its matches once."""
    if among > at_most:
        raise ValueError(f"facets among the newest {among} need at least that many counted")
    hits = _newest(conn, filters, as_of, max(at_most, offset + limit))
    counted = hits[:at_most]
    return (_summaries(conn, filters.query, hits[offset:offset + limit]), len(counted),
            _facet_counts(conn, counted[:among], facet_limit))


def _newest(conn: Connection, filters: SearchFilters, as_of: str, at_most: int | None) -> list[Row]:
    """The page columns of the newest ``at_most`` matches (None: all of them), newest first."""
    plan = leader(conn, filters, wanted=at_most)
    where, params = _where(filters, as_of, conn.dialect.name, plan=plan)
    if at_most is None:
        return list(conn.execute(f"{_PAGE_COLUMNS}{_FROM} WHERE {where}{_ORDER}", params))
    params["at_most"] = at_most
    return list(conn.execute(_newest_sql(filters, where, _NEWEST), params).fetchall())


def _facet_counts(conn: Connection, hits: Sequence[Row], limit: int) -> FacetCounts:
    days = Counter(row["published_date_hk"] for row in hits if row["published_date_hk"])
    langs = Counter(row["lang"] for row in hits)
    sources = Counter(row["source"] for row in hits)
    listings: Counter[str] = Counter()
    extraction_ids = [row["extraction_id"] for row in hits if row["extraction_id"] is not None]
    for at in range(0, len(extraction_ids), _IDS_A_QUERY):
        chunk: Params = {}
        ids_in = in_list("extraction_id", extraction_ids[at:at + _IDS_A_QUERY], chunk, "x")
        listings.update(listing for _, listing in conn.execute(
            f"SELECT DISTINCT extraction_id, listing FROM mentions WHERE {ids_in}"
            " AND role IS NULL", chunk,
        ))
    return FacetCounts(
        day=tuple(sorted(days.items(), reverse=True)[:limit]),
        lang=_most(langs, limit),
        source=_most(sources, limit),
        listing=_most(listings, limit),
    )


_IDS_A_QUERY = 500


def _most(counts: Counter[_V], limit: int) -> tuple[tuple[_V, int], ...]:
    """The ``limit`` largest counts, most first, ties by value (None first)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))
    return tuple(ordered[:limit])


def search(
    conn: Connection, filters: SearchFilters, as_of: str, *, limit: int, offset: int
) -> list[ArticleSummary]:
    """Newest first (published time, else first-seen time), then by article id."""
    plan = leader(conn, filters, wanted=offset + limit)
    sql, params = page_sql(filters, as_of, conn.dialect.name, plan=plan)
    params.update(limit=limit, offset=offset)
    return _summaries(conn, filters.query, conn.execute(sql, params).fetchall())


def _summaries(
    conn: Connection, query: SearchQuery | None, rows: Sequence[Row]
) -> list[ArticleSummary]:
    """The hits of ``rows`` (page columns) with their listings, events, snippet and reasons."""
    ids = [row["extraction_id"] for row in rows if row["extraction_id"] is not None]
    details = _page_details(conn, ids)
    texts = _page_texts(conn, [row["revision_row"] for row in rows])
    hits: list[ArticleSummary] = []
    for row in rows:
        listings, event_types, spans = details.get(row["extraction_id"], ((), (), ()))
        text = texts[row["revision_row"]]
        matched, marked = _matches(query, row["title"], text, listings, spans)
        excerpt, marks = snippet(text, marked, title=row["title"])
        hits.append(ArticleSummary(
            id=row["article_id"],
            revision=row["revision"],
            title=row["title"],
            source=row["source"],
            url=row["url"],
            lang=row["lang"],
            published_at=parse_optional_instant(row["published_at"]),
            published_date_hk=parse_optional_date(row["published_date_hk"]),
            first_seen_at=parse_instant(row["first_seen_at"]),
            sentiment_label=row["sentiment_label"],
            sentiment_score=row["sentiment_score"],
            listings=listings,
            event_types=event_types,
            snippet=excerpt,
            marks=marks,
            matched=matched,
        ))
    return hits


MentionSpan = tuple[str, int, int]  # listing, start, end
_Details = tuple[tuple[str, ...], tuple[str, ...], tuple[MentionSpan, ...]]


def _page_details(conn: Connection, extraction_ids: list[int]) -> dict[int, _Details]:
    """Per extraction: distinct listings and event types in text order, and mention spans."""
    params: Params = {}
    ids_in = in_list("extraction_id", extraction_ids, params, "x")
    listings: dict[int, list[str]] = {}
    spans: dict[int, list[MentionSpan]] = {}
    for extraction_id, listing, start, end in conn.execute(
        f'SELECT extraction_id, listing, start, "end" FROM mentions WHERE {ids_in}'
        " ORDER BY extraction_id, seq",
        params,
    ):
        _append_unique(listings.setdefault(extraction_id, []), listing)
        spans.setdefault(extraction_id, []).append((listing, start, end))
    types: dict[int, list[str]] = {}
    for extraction_id, event_type in conn.execute(
        f"SELECT extraction_id, type FROM events WHERE {ids_in} ORDER BY extraction_id, seq",
        params,
    ):
        _append_unique(types.setdefault(extraction_id, []), event_type)
    return {
        extraction_id: (
            tuple(listings.get(extraction_id, ())),
            tuple(types.get(extraction_id, ())),
            tuple(spans.get(extraction_id, ())),
        )
        for extraction_id in extraction_ids
    }


def _page_texts(conn: Connection, revision_rows: list[int]) -> dict[int, str]:
    """Bodies of the hits, fetched after paging so the sort never carries whole texts."""
    params: Params = {}
    ids_in = in_list("id", revision_rows, params, "r")
    return {
        row[0]: row[1]
        for row in conn.execute(f"SELECT id, text FROM article_revisions WHERE {ids_in}", params)
    }


def _append_unique(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _matches(
    query: SearchQuery | None,
    title: str | None,
    text: str,
    listings: Sequence[str],
    mention_spans: Sequence[MentionSpan],
) -> tuple[tuple[SearchMatch, ...], list[tuple[int, int]]]:
    """Why a hit matched, and the spans of ``text`` to highlight (terms, then mentions)."""
    if query is None:
        return (), []
    folded_text = fold_mapped(text)
    folded_title = fold(title or "")
    matched: list[SearchMatch] = []
    spans: list[tuple[int, int]] = []
    for clause in query.clauses:
        for term in clause.terms:
            found = term_spans(folded_text, term)
            if found or fold(term).strip() in folded_title:
                matched.append(SearchMatch("text", term))
                spans.extend(found)
        for listing in (code for code in listings if code in clause.listings):
            matched.append(SearchMatch("mention", listing, clause.name))
            spans.extend((start, end) for code, start, end in mention_spans if code == listing)
    return tuple(dict.fromkeys(matched)), merge_spans(spans)


def snippet(
    text: str, spans: Sequence[tuple[int, int]], *, title: str | None = None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``SNIPPET_CHARS`` characters of the body around the first span, and the spans
    that fall inside it as offsets into the snippet. The title, shown apart, is left out."""
    skip = 0
    if title and text.startswith(title):
        skip = len(title) + len(text[len(title):]) - len(text[len(title):].lstrip())
    body = text[skip:]
    inside = [(max(0, s - skip), e - skip) for s, e in spans if e > skip]
    start = max(0, inside[0][0] - SNIPPET_CHARS // 4) if inside else 0
    end = min(len(body), start + SNIPPET_CHARS)
    pieces: list[tuple[str, bool]] = []
    at = start
    for s, e in inside:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        pieces.append((body[at:s], False))
        pieces.append((body[s:e], True))
        at = e
    pieces.append((body[at:end], False))
    out = "…" if start > 0 else ""
    marks: list[tuple[int, int]] = []
    for i, (piece, marked) in enumerate(pieces):
        piece = re.sub(r"\s+", " ", piece)
        if i == 0:
            piece = piece.lstrip()
        if marked and piece:
            marks.append((len(out), len(out) + len(piece)))
        out += piece
    trimmed = out.rstrip()
    marks = [(s, min(e, len(trimmed))) for s, e in marks if s < len(trimmed)]
    suffix = "…" if end < len(body) else ""
    return trimmed + suffix, tuple(marks)


__all__ = [
    "WALK",
    "FacetCounts",
    "Plan",
    "SearchClause",
    "SearchFilters",
    "SearchQuery",
    "as_query",
    "check_query_text",
    "count",
    "facets",
    "leader",
    "list_page",
    "page_sql",
    "parse_query",
    "query_terms",
    "search",
    "snippet",
    "ways",
]
