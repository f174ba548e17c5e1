"""PostgreSQL's index of short Chinese terms: the character pairs of each revision's folded text.

pg_trgm cannot narrow a search for a term shorter than three characters (中芯, 港股), and a
CJK run rarely has the spaces that would give it the padded trigrams of a word, so on
PostgreSQL such a term used to read every stored text. ``revisions_grams`` holds, for each
revision whose folded title or text has CJK characters, every pair of neighbouring characters
with at least one CJK character in it, as a ``tsvector`` (lexemes taken verbatim, no parser,
no positions) with a GIN index.

A term with a CJK character is then found through its own pairs: every pair of the term that
holds a CJK character must be a lexeme (``'中芯' & '芯国' & '国际'``); a one-character term is
the start of a pair (``'港':*``, which the padding of the folded text guarantees, see
``folding.fold_sql``). The index is a superset of the matches (the pairs may be spread over
the text), so the search still checks the text itself (``store/search.py``). SQLite needs none
of this: FTS5's trigram vocabulary already finds short terms.

A text with more than ``MAX_GRAMS`` different pairs (a book-length article: a ``tsvector`` holds
at most 1 MB) is stored with ``grams`` NULL, and every search counts it as a candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tickerwire.store.connection import Connection

# The characters the index covers: CJK radicals, symbols and punctuation, kana, ideographs
# (basic, extension A, compatibility, supplementary planes): the ranges folding treats as Han.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
MAX_GRAMS = 50_000  # different pairs in one tsvector: about 500 KB, half the type's limit
_BACKFILL_BATCH = 2_000


def has_cjk(text: str | None) -> bool:
    return bool(text) and _CJK.search(text or "") is not None


def pairs(folded: str) -> set[str]:
    """Every two neighbouring characters of ``folded`` with at least one CJK character."""
    found: set[str] = set()
    for match in _CJK.finditer(folded):
        at = match.start()
        if at > 0:
            found.add(folded[at - 1:at + 1])
        if at + 1 < len(folded):
            found.add(folded[at:at + 2])
    return found


def _lexeme(text: str) -> str:
    """``text`` as one quoted lexeme of a tsvector or tsquery literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def document(title: str | None, text: str | None) -> str | None:
    """The ``tsvector`` literal of a revision's folded (and padded) title and text: its CJK
    pairs; None when it has none. A text with more than ``MAX_GRAMS`` pairs gives the empty
    string, stored as NULL (see the module's docstring)."""
    found = pairs(title or "") | pairs(text or "")
    if not found:
        return None
    if len(found) > MAX_GRAMS:
        return ""
    return " ".join(_lexeme(pair) for pair in sorted(found))


def term_query(folded_term: str) -> str | None:
    """The ``tsquery`` literal that every revision holding ``folded_term`` satisfies, or None
    when the term has no CJK character (pg_trgm finds it)."""
    if not has_cjk(folded_term):
        return None
    if len(folded_term) == 1:
        return _lexeme(folded_term) + ":*"
    return " & ".join(_lexeme(pair) for pair in sorted(pairs(folded_term)))


def rows(revisions: Iterable[tuple[int, str | None, str | None]]) -> list[tuple[int, str | None]]:
    """``revisions_grams`` rows (rowid, grams) of (rowid, folded title, folded text) triples."""
    found: list[tuple[int, str | None]] = []
    for rowid, title, text in revisions:
        grams = document(title, text)
        if grams is not None:
            found.append((rowid, grams or None))
    return found


INSERT = "INSERT INTO revisions_grams(rowid, grams) VALUES (?, CAST(? AS tsvector))"


def backfill(conn: Connection) -> None:
    """Fill ``revisions_grams`` from the folded text already stored, then build its index
    (migration 17; once over the full table is far cheaper than a GIN insert per row).
    Nothing to do on SQLite."""
    if conn.dialect.name != "postgresql":
        return
    last = 0
    while True:
        batch = conn.execute(
            "SELECT rowid, title, text FROM revisions_fts WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, _BACKFILL_BATCH),
        ).fetchall()
        if not batch:
            break
        last = int(batch[-1][0])
        conn.executemany(INSERT, rows((int(r[0]), r[1], r[2]) for r in batch))
    conn.execute("CREATE INDEX revisions_grams_grams ON revisions_grams USING gin (grams)")
    conn.execute("CREATE INDEX revisions_grams_unindexed ON revisions_grams(rowid)"
                 " WHERE grams IS NULL")
    conn.execute("ANALYZE revisions_grams")


# Migration 17's PostgreSQL statements (SQLite has none); ``backfill`` then fills and indexes.
MIGRATION_POSTGRESQL: tuple[str, ...] = (
    """CREATE TABLE revisions_grams (
        rowid INTEGER NOT NULL PRIMARY KEY REFERENCES article_revisions(id) ON DELETE CASCADE,
        grams tsvector
    )""",
)

__all__ = ["INSERT", "MAX_GRAMS", "MIGRATION_POSTGRESQL", "backfill", "document", "has_cjk",
           "pairs", "rows", "term_query"]
