"""Stories: the SQL behind ``Store``'s story methods (see insights/stories.py for the logic).

A story is visible ``as_of`` an instant once its first article was seen; a member once it joined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tickerwire.store.codec import from_json, parse_instant, to_json, utc_text
from tickerwire.store.connection import Connection, Row
from tickerwire.store.rows import StoryJoin, StoryMemberRow, StoryRow
from tickerwire.store.sql import Params, in_batches, in_list

# Without the signature (a long JSON text): what a membership shows.
_MEMBER_HEAD = (
    "m.article_id, m.story_id, m.joined_at, m.anchor_at, m.reason, m.matched_article_id, m.score, "
    "m.novelty, m.facts, m.new_facts"
)
_MEMBER_COLUMNS = f"{_MEMBER_HEAD}, m.signature"
_BATCH = 500  # members per page of the backfill
_STORY_COLUMNS = "s.id, s.title, s.first_article_id, s.first_seen_at, s.anchor_at"


def write_join(conn: Connection, join: StoryJoin) -> None:
    """Record one membership (and the story it opens); a second write of either is a no-op."""
    story = join.story
    if story is not None:
        conn.execute(
            "INSERT INTO stories(id, title, first_article_id, first_seen_at, anchor_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (story.id, story.title, story.first_article_id, utc_text(story.first_seen_at),
             utc_text(story.anchor_at)),
        )
    m = join.member
    conn.execute(
        "INSERT INTO story_members(article_id, story_id, joined_at, anchor_at, reason, "
        "matched_article_id, score, novelty, facts, new_facts, signature) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO NOTHING",
        (m.article_id, m.story_id, utc_text(m.joined_at), utc_text(m.anchor_at), m.reason,
         m.matched_article_id, m.score, m.novelty, m.facts, m.new_facts, to_json(m.signature)),
    )
    conn.executemany(
        "INSERT INTO story_subjects(article_id, subject) VALUES (?, ?) "
        "ON CONFLICT (article_id, subject) DO NOTHING",
        [(m.article_id, subject) for subject in sorted(set(m.subjects))],
    )
    insert_keys(conn, m.article_id, utc_text(m.anchor_at), m.signature)


def match_keys(signature: Mapping[str, Any]) -> list[str]:
    """What a member is found by, whatever its publication time: each of its fact keys (a JSON
    list) and each of its links, its URL and its language versions' URLs (a JSON string)."""
    keys = {to_json(list(key)) for key in signature.get("fact_keys", ())}
    links = [signature.get("url"), *signature.get("locale_urls", ())]
    keys.update(to_json(link) for link in links if link)
    return sorted(keys)


def fact_key_text(key: Sequence[str]) -> str:
    """A fact key as ``match_keys`` writes it."""
    return to_json(list(key))


def link_text(url: str) -> str:
    """A link as ``match_keys`` writes it."""
    return to_json(url)


def insert_keys(conn: Connection, article_id: str, anchor_at: str,
                signature: Mapping[str, Any]) -> None:
    _insert_key_rows(conn, _key_rows(article_id, anchor_at, signature))


def _key_rows(article_id: str, anchor_at: str,
              signature: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    return [(key, anchor_at, article_id) for key in match_keys(signature)]


def _insert_key_rows(conn: Connection, rows: list[tuple[str, str, str]]) -> None:
    conn.executemany(
        "INSERT INTO story_keys(key, anchor_at, article_id) VALUES (?, ?, ?) "
        "ON CONFLICT (key, anchor_at, article_id) DO NOTHING",
        rows,
    )


def backfill_keys(conn: Connection) -> None:
    """Index the members stored before ``story_keys`` existed (migration 19): a page of members
    at a time (a million signatures would not fit in memory at once), their keys written in one
    statement per page rather than one per member (a round trip each on PostgreSQL)."""
    after = ""
    while True:
        rows = conn.execute(
            "SELECT article_id, anchor_at, signature FROM story_members WHERE article_id > ? "
            "ORDER BY article_id LIMIT ?", (after, _BATCH),
        ).fetchall()
        _insert_key_rows(conn, [key_row for article_id, anchor_at, signature in rows
                                for key_row in _key_rows(article_id, anchor_at,
                                                         from_json(signature, {}))])
        if len(rows) < _BATCH:
            return
        after = rows[-1][0]


def keys_stated(conn: Connection, keys: Sequence[str], until: str, as_of: str) -> set[str]:
    """Those of ``keys`` that a member visible ``as_of`` and anchored no later than ``until``
    is found by."""
    found: set[str] = set()
    unique = sorted(set(keys))
    for chunk in in_batches(unique):
        params: Params = {"until": until, "as_of": as_of}
        where = in_list("k.key", chunk, params, "k")
        found.update(str(r[0]) for r in conn.execute(
            "SELECT DISTINCT k.key FROM story_keys AS k "
            "JOIN story_members AS m ON m.article_id = k.article_id "
            f"WHERE {where} AND k.anchor_at <= :until AND m.joined_at <= :as_of", params,
        ))
    return found


def members_by_keys(conn: Connection, keys: Sequence[str], as_of: str) -> list[StoryMemberRow]:
    """Visible members (with signatures) found by any of ``keys``, in join order."""
    def keyed(chunk: Sequence[str], params: Params) -> str:
        where = in_list("k.key", chunk, params, "k")
        return f"m.article_id IN (SELECT k.article_id FROM story_keys AS k WHERE {where})"

    found = _visible_members(conn, sorted(set(keys)), as_of, keyed, with_signature=True)
    return sorted(found.values(), key=lambda m: (m.joined_at, m.article_id))


def clear(conn: Connection) -> None:
    conn.execute("DELETE FROM story_keys")
    conn.execute("DELETE FROM story_subjects")
    conn.execute("DELETE FROM story_members")
    conn.execute("DELETE FROM stories")


def _member(row: Row, *, with_signature: bool) -> StoryMemberRow:
    return StoryMemberRow(
        article_id=row["article_id"],
        story_id=row["story_id"],
        joined_at=parse_instant(row["joined_at"]),
        anchor_at=parse_instant(row["anchor_at"]),
        reason=row["reason"],
        matched_article_id=row["matched_article_id"],
        score=row["score"],
        novelty=row["novelty"],
        facts=int(row["facts"]),
        new_facts=int(row["new_facts"]),
        signature=from_json(row["signature"], {}) if with_signature else {},
    )


def _story(row: Row) -> StoryRow:
    return StoryRow(
        id=row["id"],
        title=row["title"],
        first_article_id=row["first_article_id"],
        first_seen_at=parse_instant(row["first_seen_at"]),
        anchor_at=parse_instant(row["anchor_at"]),
    )


def members_anchored(
    conn: Connection, since: str, until: str, as_of: str
) -> list[StoryMemberRow]:
    """Members (with signatures) whose anchor lies in ``[since, until]``, in join order."""
    rows = conn.execute(
        f"SELECT {_MEMBER_COLUMNS} FROM story_members AS m "
        "WHERE m.anchor_at >= :since AND m.anchor_at <= :until AND m.joined_at <= :as_of "
        "ORDER BY m.joined_at, m.article_id",
        {"since": since, "until": until, "as_of": as_of},
    ).fetchall()
    return [_member(r, with_signature=True) for r in rows]


def members_of_stories(
    conn: Connection, story_ids: Sequence[str], as_of: str
) -> list[StoryMemberRow]:
    """Visible members of ``story_ids``, oldest publication first."""
    if not story_ids:
        return []
    params: Params = {"as_of": as_of}
    where = in_list("m.story_id", list(story_ids), params, "s")
    rows = conn.execute(
        f"SELECT {_MEMBER_COLUMNS} FROM story_members AS m "
        f"WHERE {where} AND m.joined_at <= :as_of ORDER BY m.anchor_at, m.joined_at, m.article_id",
        params,
    ).fetchall()
    return [_member(r, with_signature=True) for r in rows]


def members_of_articles(
    conn: Connection, article_ids: Sequence[str], as_of: str, *, with_signature: bool = False
) -> dict[str, StoryMemberRow]:
    """The visible membership of each of ``article_ids`` that has one: one primary-key search
    per id, 500 ids a query (one long IN list made SQLite scan the table instead)."""
    return _visible_members(conn, list(dict.fromkeys(article_ids)), as_of,
                            lambda chunk, params: in_list("m.article_id", chunk, params, "a"),
                            with_signature=with_signature)


def _visible_members(
    conn: Connection,
    values: Sequence[str],
    as_of: str,
    condition: Callable[[Sequence[str], Params], str],
    *,
    with_signature: bool,
) -> dict[str, StoryMemberRow]:
    """Members visible ``as_of`` that meet ``condition`` (SQL on ``m``, its parameters added to
    the given ones) for some 500 of ``values`` at a time, by article id."""
    columns = _MEMBER_COLUMNS if with_signature else _MEMBER_HEAD
    found: dict[str, StoryMemberRow] = {}
    for chunk in in_batches(values):
        params: Params = {"as_of": as_of}
        where = condition(chunk, params)
        for r in conn.execute(
            f"SELECT {columns} FROM story_members AS m"
            f" WHERE {where} AND m.joined_at <= :as_of", params,
        ):
            found[r["article_id"]] = _member(r, with_signature=with_signature)
    return found


def stories(
    conn: Connection,
    as_of: str,
    *,
    since: str | None,
    until: str | None,
    story_ids: Sequence[str] | None = None,
    subjects: Sequence[str] | None = None,
    min_articles: int = 1,
    limit: int,
    offset: int,
) -> list[tuple[StoryRow, int]]:
    """Visible stories anchored in ``[since, until]`` with their visible member counts, newest
    first; ``subjects``: about any of them; ``min_articles``: told by at least that many."""
    params: Params = {"as_of": as_of, "limit": limit, "offset": offset}
    where = _story_filters(params, since, until, story_ids, subjects, min_articles)
    rows = conn.execute(
        f"SELECT {_STORY_COLUMNS}, {_MEMBERS} AS members "
        f"FROM stories AS s WHERE {where} "
        "ORDER BY s.anchor_at DESC, s.id LIMIT :limit OFFSET :offset",
        params,
    ).fetchall()
    return [(_story(r), int(r["members"])) for r in rows]


_MEMBERS = ("(SELECT count(*) FROM story_members AS m "
            "WHERE m.story_id = s.id AND m.joined_at <= :as_of)")


def _story_filters(
    params: Params,
    since: str | None,
    until: str | None,
    story_ids: Sequence[str] | None,
    subjects: Sequence[str] | None,
    min_articles: int,
) -> str:
    where = ["s.first_seen_at <= :as_of"]
    if since is not None:
        params["since"] = since
        where.append("s.anchor_at >= :since")
    if until is not None:
        params["until"] = until
        where.append("s.anchor_at <= :until")
    if story_ids is not None:
        where.append(in_list("s.id", list(story_ids), params, "i"))
    if subjects is not None:
        inside = in_list("t.subject", list(subjects), params, "sub")
        where.append("EXISTS (SELECT 1 FROM story_subjects AS t JOIN story_members AS m "
                     "ON m.article_id = t.article_id WHERE m.story_id = s.id "
                     f"AND m.joined_at <= :as_of AND {inside})")
    if min_articles > 1:
        params["min_articles"] = min_articles
        where.append(f"{_MEMBERS} >= :min_articles")
    return " AND ".join(where)


def count_stories(
    conn: Connection,
    as_of: str,
    *,
    since: str | None,
    until: str | None,
    subjects: Sequence[str] | None = None,
    min_articles: int = 1,
    upto: int | None = None,
) -> int:
    """How many stories match, counting up to ``upto`` (None: all of them)."""
    params: Params = {"as_of": as_of}
    where = _story_filters(params, since, until, None, subjects, min_articles)
    bound = ""
    if upto is not None:
        bound = " LIMIT :upto"
        params["upto"] = upto
    row = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM stories AS s WHERE {where}{bound})"
                       " AS found", params).fetchone()
    return int(row[0])


def unassigned_articles(conn: Connection) -> list[str]:
    """Ids of stored articles that belong to no story, in the order they were first seen."""
    rows = conn.execute(
        "SELECT a.id FROM articles AS a WHERE NOT EXISTS "
        "(SELECT 1 FROM story_members AS m WHERE m.article_id = a.id) "
        "ORDER BY a.first_seen_at, a.id"
    ).fetchall()
    return [str(r[0]) for r in rows]
