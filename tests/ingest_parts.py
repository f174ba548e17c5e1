"""Extraction parts for the parallel-ingest tests, in a module of their own so that worker
processes (forked from a fork server, or spawned) can unpickle them, plus a backend-neutral snapshot of what a
database holds, for comparing two ingests."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from tickerwire.extract.pipeline import Doc, Pipeline
from tickerwire.model import Article, Extraction, Fact, Mention
from tickerwire.store import Store

_MOVE = re.compile(r"(?:rose|jumped|gained|漲|涨)\s?(\d+(?:\.\d+)?)%")
_CODE = re.compile(r"\d{5}\.HK")


class MoveFinder:
    """"rose/jumped/涨 N%" becomes a price_move fact; a listing code becomes a mention."""

    name = "move_finder"
    reads = ("text",)
    adds = ("mentions", "facts")

    def __call__(self, doc: Doc) -> None:
        code = _CODE.search(doc.text)
        if code:
            doc.mentions.append(Mention(code.group(), code.group(), code.group(),
                                        (code.group(),), code.group(), code.start(),
                                        code.end(), 1.0, "code"))
        for match in _MOVE.finditer(doc.text):
            doc.facts.append(Fact("price_move", code.group() if code else None,
                                  pct=float(match.group(1)), text=match.group(),
                                  start=match.start(), end=match.end()))


class CallLog:
    """Appends the title of every article it sees to a file: which articles were extracted."""

    name = "call_log"
    reads = ("text",)
    adds = ()

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, doc: Doc) -> None:
        with self.path.open("a", encoding="utf-8") as log:
            log.write(f"{doc.article.title}\n")


class WorkerState:
    """Appends, for every article it sees, the value of one environment variable and whether
    the worker's heavy modules were imported before its first extraction."""

    name = "worker_state"
    reads = ("text",)
    adds = ()
    preloaded = ("tickerwire.ingest_workers", "datasketch", "tickerwire.extract.components")

    def __init__(self, path: Path, variable: str) -> None:
        self.path = path
        self.variable = variable

    def __call__(self, doc: Doc) -> None:
        imported = all(name in sys.modules for name in self.preloaded)
        with self.path.open("a", encoding="utf-8") as log:
            log.write(f"{os.environ.get(self.variable)}\t{imported}\n")


class KillOn:
    """Kills its own process (as the kernel's OOM killer would) on an article holding ``word``."""

    name = "kill_on"
    reads = ("text",)
    adds = ()

    def __init__(self, word: str) -> None:
        self.word = word

    def __call__(self, doc: Doc) -> None:
        if self.word in doc.text:
            os.kill(os.getpid(), signal.SIGKILL)


class FailingPipeline(Pipeline):
    """A pipeline that raises (not a component error: the whole call) on one word."""

    def __init__(self, word: str) -> None:
        super().__init__([MoveFinder()], version="t1")
        self.word = word

    def __call__(self, article: Article) -> Extraction:
        if self.word in article.text:
            raise RuntimeError(f"extraction broke on {self.word!r}")
        return super().__call__(article)


class Unloadable:
    """A component that cannot be unpickled: a worker holding it cannot start."""

    name = "unloadable"
    reads = ("text",)
    adds = ()

    def __call__(self, doc: Doc) -> None:  # pragma: no cover - never runs
        pass

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return _refuse_to_load, ()


def _refuse_to_load() -> Unloadable:
    raise RuntimeError("this component cannot be loaded in another process")


def moves(*extra: Any, version: str = "t1") -> Pipeline:
    return Pipeline([MoveFinder(), *extra], version=version)


_VOLATILE = {"first_seen_at", "revision_seen_at", "extracted_at", "joined_at", "verified_at",
             "last_seen_at"}


def _scrub(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def snapshot(db: Path | str) -> dict[str, Any]:
    """Everything an ingest wrote that does not depend on when it ran: articles with their
    extractions, story memberships, quarantine reasons and row counts."""
    with Store(db, readonly=True) as store:
        articles = [stored for page in store.iter_article_pages() for stored in page]
        members = store.story_memberships([a.id for a in articles])
        return {
            "stats": store.stats(),
            "articles": [
                {**_scrub(a), "extraction": _scrub({**asdict(a.extraction), "id": None})
                 if a.extraction else None}
                for a in articles
            ],
            "stories": {k: _scrub(v) for k, v in sorted(members.items())},
            "quarantine": sorted((q.origin, q.reason) for q in store.quarantined(1000)),
            "search": sorted(hit.id for hit in store.search("rose", limit=1000)),
        }


class Pause:
    """Sleeps a little on every article, so a test can act while an ingest is under way."""

    name = "pause"
    reads = ("text",)
    adds = ()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, doc: Doc) -> None:
        time.sleep(self.seconds)
