"""The alert engine: every article revision stored since the last run, against every rule.

The engine keeps its place in the store (the ``alerts`` cursor): the alerts an article fires,
their pending deliveries and the new cursor position are written in one transaction, so a
watcher stopped at any point neither skips an article nor fires an alert twice when it starts
again. Articles stored by any process (``ingest``, the API, ``watch``) are seen. On its very
first run the engine starts at the newest article, unless ``backlog`` asks for every stored one.

Late commits: revision positions are handed out when a revision is inserted, not when its
transaction commits, so on PostgreSQL with several writers a revision can become visible after
the cursor passed its position. The engine remembers the positions the cursor skipped (holes)
and looks them up again on every run for ``COMMIT_LAG``; a hole that never fills (a rolled-back
insert) is dropped then. Holes are kept in memory, so the first run of an engine reads back
every revision behind the cursor first seen within ``COMMIT_LAG`` instead. The alerts' unique
key (rule, article, revision) makes a second evaluation harmless: nothing fires twice.

Verdicts: ``tickerwire verify`` (or an import of prices) can find a claim contradicted long
after its article was stored. Each run reads the ``contradicted`` verdicts written since the
``alerts.verdicts`` cursor and evaluates the ``contradicted_claim`` rules on their articles'
current revisions. The cursor stays ``COMMIT_LAG`` behind the clock, for verify transactions
that stamped their verdicts earlier and commit later; verdicts read again are skipped in memory,
and after a restart the alerts' unique key keeps them from firing twice.

Rules come from the alerts file and from the store (added over the API); a rule in the store
with the same id as one in the file replaces it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tickerwire.errors import TickerwireError
from tickerwire.live.conditions import AlertContext, Condition, Match, Signals, build_condition, needs
from tickerwire.live.rules import AlertRule, AlertsConfig, parse_rule
from tickerwire.live.signals import stored_signals
from tickerwire.store import NewAlert, Store, StoredArticle
from tickerwire.store.live import ALERTS_CURSOR, VERDICTS_CURSOR, RevisionRow

log = logging.getLogger(__name__)

_BATCH = 200
COMMIT_LAG = timedelta(minutes=15)  # longest a write transaction may take to commit
_CURSOR_STEP = 60_000_000  # microseconds: how far the verdict cursor may lag before it is saved
_MAX_HOLES = 10_000  # per gap between two visible revisions (a sequence jump is not a hole)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ActiveRule:
    rule: AlertRule
    condition: Condition
    channels: tuple[str, ...]


class AlertEngine:
    """Evaluates new articles against the rules and records the alerts they fire."""

    def __init__(
        self, store: Store, config: AlertsConfig, *, signals: Signals | None = None,
        backlog: bool = False,
    ) -> None:
        self.store = store
        self.config = config
        self.signals = signals if signals is not None else stored_signals(store)
        self.backlog = backlog
        self._compiled: dict[tuple[str, str], ActiveRule | None] = {}
        self._warned: set[str] = set()
        self._started = False  # whether this engine has run once
        self._holes: dict[int, datetime] = {}  # positions the cursor passed unseen, since when
        self._verdicts_seen: set[tuple[int, datetime]] = set()  # (fact id, verified at) read
        self._file_rules = {rule.id: (rule, "file") for rule in config.rules}
        for rule in config.rules:
            self._activate(rule, "file")  # a bad rule in the file stops the watcher at start

    def rules(self) -> list[ActiveRule]:
        """The enabled rules now: the file's, with the store's added or replacing them."""
        current: dict[str, tuple[AlertRule, str]] = dict(self._file_rules)
        for stored in self.store.alert_rules():
            try:
                current[stored.id] = (parse_rule(stored.spec, where=f"rule {stored.id}"),
                                      stored.updated_at.isoformat())
            except TickerwireError as exc:
                self._warn_once(f"bad:{stored.id}:{stored.updated_at}", "%s; rule skipped", exc)
        active = (self._activate(rule, version) for rule, version in current.values())
        return [rule for rule in active if rule is not None and rule.rule.enabled]

    def run(self, *, now: datetime | None = None) -> list[int]:
        """Evaluate every revision stored since the last run (and late commits behind it), and
        the claims found contradicted since; return the new alerts' ids."""
        now = now or datetime.now(UTC)
        position = self.store.cursor(ALERTS_CURSOR)
        fired: list[int] = []
        if position is None:
            position = 0 if self.backlog else self.store.last_revision_position()
            self.store.set_cursor(ALERTS_CURSOR, position)
            self._started = True
        else:
            fired += self._late_revisions(position, now)
        while revisions := self.store.revisions_after(position, limit=_BATCH):
            for revision in revisions:
                self._note_holes(position, revision.position, now)
                position = revision.position
            fired += self._evaluate_revisions(revisions, cursor=position)
        fired += self._new_verdicts(now)
        return fired

    def _evaluate_revisions(self, revisions: Sequence[RevisionRow], *, cursor: int | None) -> list[int]:
        rules = self.rules()
        alerts = []
        for revision in revisions:
            article = self.store.get_article(revision.article_id)
            if article is not None and article.revision == revision.revision:
                alerts += self.evaluate(article, rules)
        moved = None if cursor is None else (ALERTS_CURSOR, cursor)
        return self.store.record_alerts(alerts, cursor=moved)

    def _note_holes(self, before: int, position: int, now: datetime) -> None:
        """Positions between two visible revisions: inserts not committed yet (or rolled back)."""
        for hole in range(before + 1, min(position, before + 1 + _MAX_HOLES)):
            self._holes.setdefault(hole, now)

    def _late_revisions(self, position: int, now: datetime) -> list[int]:
        """Revisions behind the cursor that became visible after it passed them."""
        since = now - COMMIT_LAG
        if not self._started:  # holes from before this engine are unknown: read the window
            self._started = True
            late: list[RevisionRow] = []
            while batch := self.store.revisions_seen_since(
                    since, after=late[-1].position if late else 0, upto=position):
                late += batch
        else:
            self._holes = {p: noticed for p, noticed in self._holes.items() if noticed >= since}
            late = self.store.revisions_at(sorted(self._holes)) if self._holes else []
        fired = []
        for start in range(0, len(late), _BATCH):
            batch = late[start:start + _BATCH]
            for revision in batch:
                self._holes.pop(revision.position, None)
            fired += self._evaluate_revisions(batch, cursor=None)
        return fired

    def _new_verdicts(self, now: datetime) -> list[int]:
        """``contradicted_claim`` rules on the articles whose claims were found contradicted
        since the last run (by ``verify`` or an import of prices)."""
        mark = self.store.cursor(VERDICTS_CURSOR)
        if mark is None:  # a first run: verdicts from now on (a backlog run saw the rest)
            self.store.set_cursor(VERDICTS_CURSOR, _micros(now))
            return []
        # Verdicts stamped before now - COMMIT_LAG are committed by now: the next run reads on
        # from there, and this one reads everything from the mark (verdicts it read before are
        # skipped in memory).
        moved = max(mark, _micros(now - COMMIT_LAG))
        rules = [r for r in self.rules() if needs(r.rule) == "claims"]
        since, after_fact = _instant(mark), -1
        fired: list[int] = []
        while rules and (verdicts := self.store.contradicted_since(
                since, after_fact=after_fact, limit=_BATCH)):
            since, after_fact = verdicts[-1].verified_at, verdicts[-1].fact_id
            new = [v for v in verdicts if (v.fact_id, v.verified_at) not in self._verdicts_seen]
            alerts = []
            for article_id in dict.fromkeys(v.article_id for v in new):
                article = self.store.get_article(article_id)
                if article is not None and any(
                        v.article_id == article_id and v.revision == article.revision for v in new):
                    alerts += self.evaluate(article, rules)
            self._verdicts_seen.update((v.fact_id, v.verified_at) for v in new)
            fired += self.store.record_alerts(alerts, cursor=(VERDICTS_CURSOR, moved))
            mark = moved
        if moved - mark > _CURSOR_STEP:  # no write per run while nothing happens
            self.store.set_cursor(VERDICTS_CURSOR, moved)
        self._verdicts_seen = {k for k in self._verdicts_seen if k[1] >= _instant(moved)}
        return fired

    def evaluate(self, article: StoredArticle, rules: Sequence[ActiveRule]) -> list[NewAlert]:
        """The alerts ``article`` fires (one per rule at most)."""
        ctx = AlertContext(article, self.store, self.signals)
        alerts = []
        for active in rules:
            try:
                matches = active.condition(ctx)
            except TickerwireError as exc:
                log.warning("alert rule %s failed on article %s: %s", active.rule.id, article.id, exc)
                continue
            if matches:
                matches = _first_of_each_reason(matches)  # a headline repeating the body
                alerts.append(NewAlert(active.rule.id, active.rule.kind, article.id,
                                       article.revision, alert_payload(active.rule, article, matches),
                                       active.channels))
        return alerts

    def _activate(self, rule: AlertRule, version: str) -> ActiveRule | None:
        key = (rule.id, version)
        if key not in self._compiled:
            feature = needs(rule)
            if (feature == "claims" and not self.signals.claims.available) or (
                feature == "stories" and not self.signals.stories.available
            ):
                self._warn_once(rule.id, "alert rule %s (%s) waits for %s data, which this "
                                "tickerwire does not store yet: it will not fire", rule.id,
                                rule.kind, feature)
            channels = tuple(rule.deliver if rule.deliver is not None else self.config.channels)
            try:
                self._compiled[key] = ActiveRule(rule, build_condition(rule), channels)
            except TickerwireError:
                if version == "file":
                    raise
                self._warn_once(f"bad:{rule.id}:{version}", "alert rule %s cannot be used; skipped",
                                rule.id)
                self._compiled[key] = None
        return self._compiled[key]

    def _warn_once(self, key: str, message: str, *args: Any) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message, *args)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _instant(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _first_of_each_reason(matches: Sequence[Match]) -> list[Match]:
    unique: dict[str, Match] = {}
    for match in matches:
        unique.setdefault(match.reason, match)
    return list(unique.values())


def alert_payload(rule: AlertRule, article: StoredArticle, matches: Sequence[Match]) -> dict[str, Any]:
    """What every delivery carries: the rule, the article and why it matched (with quotes)."""
    return {
        "rule": {"id": rule.id, "kind": rule.kind, "name": rule.name},
        "article": {
            "id": article.id,
            "revision": article.revision,
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "lang": article.lang,
            "published_at": _iso(article.published_at),
            "first_seen_at": _iso(article.revision_seen_at),
        },
        "matches": [
            {"reason": m.reason, "subjects": list(m.subjects), "quote": m.quote,
             "start": m.start, "end": m.end}
            for m in matches
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


# -- rules kept in the store (added over the API) ----------------------------------------------

def save_rule(store: Store, rule: AlertRule) -> bool:
    """Check that ``rule`` can be used (its securities and indices exist) and store it, adding
    or replacing the rule with its id; True when it is new. A running watcher picks it up."""
    build_condition(rule)
    return store.save_alert_rule(rule.id, rule.kind, rule.model_dump(mode="json"))


def stored_rules(store: Store) -> list[dict[str, Any]]:
    """The rules added over the API, each with when it was created and last changed."""
    return [{**stored.spec, "created_at": stored.created_at.isoformat(),
             "updated_at": stored.updated_at.isoformat()} for stored in store.alert_rules()]
