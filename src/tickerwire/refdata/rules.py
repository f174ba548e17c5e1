"""Extraction rule tables: event patterns and cues, and the named word lists the components share.

The packaged files ``data/rules/en.yaml`` and ``data/rules/zh.yaml`` hold one language each; a
rule's English and Chinese entries are joined (English first) into one list. ``load_rules`` reads
and checks them once per process; the components compile what they need from it once, when they
are built. docs/extract.md says how to add a word, a cue or an event type.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tickerwire.errors import RefdataError
from tickerwire.refdata.cache import read_cache, write_cache

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh")
_SECTIONS = ("events", "words")
_REINSTALL = "reinstall tickerwire, or fix the file (docs/extract.md shows the format)"


@dataclass(frozen=True, slots=True)
class EventRule:
    """One event type: regular-expression alternatives that report it, and the literal cues
    (lower case) that every sentence those alternatives match contains."""

    etype: str
    patterns: tuple[str, ...]
    cues: tuple[str, ...]

    @property
    def pattern(self) -> str:
        """The alternatives as one regular expression (empty when the type has none)."""
        return "|".join(self.patterns)


@dataclass(frozen=True, slots=True)
class RuleTables:
    """Every language's rules, merged: ``events`` by type, ``words`` by concept name; ``by_language``
    keeps each language's own entries of a word list (``by_language["en"]["metric"]``)."""

    events: Mapping[str, EventRule]
    words: Mapping[str, tuple[str, ...]]
    by_language: Mapping[str, Mapping[str, tuple[str, ...]]]

    def alternation(self, name: str, lang: str | None = None) -> str:
        """The word list ``name`` as one regular-expression alternation: every language's entries,
        English first, or only those of ``lang`` (empty when that language has none)."""
        return "|".join(self.word_list(name, lang))

    def whole_words(self, name: str) -> str:
        """The word list ``name`` as one alternation whose English entries only match whole words
        (no Latin letter just before or after) and whose Chinese entries match anywhere."""
        en, zh = self.alternation(name, "en"), self.alternation(name, "zh")
        return "|".join(([f"(?<![A-Za-z])(?:{en})(?![A-Za-z])"] if en else []) + ([zh] if zh else []))

    def word_list(self, name: str, lang: str | None = None) -> tuple[str, ...]:
        if name not in self.words:
            known = ", ".join(sorted(self.words))
            raise RefdataError(f"no word list {name!r} in the rule tables; known: {known}")
        if lang is None:
            return self.words[name]
        if lang not in self.by_language:
            raise RefdataError(f"no language {lang!r} in the rule tables; known: {', '.join(LANGUAGES)}")
        return self.by_language[lang].get(name, ())


@lru_cache(maxsize=1)
def load_rules() -> RuleTables:
    """The packaged rule tables, read and checked once per process (and kept, once checked, in
    the user cache directory: see :func:`cached_rules`)."""
    folder = resources.files("tickerwire.refdata").joinpath("data").joinpath("rules")
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        path = folder.joinpath(f"{lang}.yaml")
        try:
            texts[lang] = path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise RefdataError(f"rule table missing: {path}; {_REINSTALL}") from exc
    return cached_rules(texts)


_CACHE_LAYOUT = 1  # bump when the cached payload changes shape


def cached_rules(texts: Mapping[str, str], *, cache_dir: Path | None = None) -> RuleTables:
    """``parse_rules(texts)``, read from ``rules-HASH.pickle`` in ``cache_dir`` (default: the
    security master's cache directory) when the same texts were checked before by this version of
    this module; parsed, checked and written there otherwise. Checking compiles every rule, which
    is most of the cost of loading them."""
    from tickerwire.refdata.master import default_cache_dir  # the master's module is heavier to import

    source = Path(__file__).read_bytes()
    digest = hashlib.sha256(source + json.dumps(dict(texts), sort_keys=True).encode()).hexdigest()
    path = (cache_dir or default_cache_dir()) / f"rules-{digest[:24]}.pickle"
    header = {"layout": _CACHE_LAYOUT, "digest": digest}
    payload = read_cache(path, header, what="rules")
    if payload is not None:
        try:
            return RuleTables(
                events={t: EventRule(t, tuple(p), tuple(c)) for t, (p, c) in payload["events"].items()},
                words={name: tuple(items) for name, items in payload["words"].items()},
                by_language={
                    lang: {name: tuple(items) for name, items in lists.items()}
                    for lang, lists in payload["by_language"].items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("%s: unreadable rules cache (%s); rebuilding it", path, exc)
    tables = parse_rules(texts)
    write_cache(path, {
        **header,
        "events": {t: (list(r.patterns), list(r.cues)) for t, r in tables.events.items()},
        "words": {name: list(items) for name, items in tables.words.items()},
        "by_language": {lang: {n: list(i) for n, i in lists.items()} for lang, lists in tables.by_language.items()},
    }, what="rules")
    return tables


def parse_rules(texts: Mapping[str, str]) -> RuleTables:
    """Validate the YAML text of each language's file (``{"en": ..., "zh": ...}``) and merge them."""
    events: dict[str, tuple[list[str], list[str]]] = {}
    words: dict[str, list[str]] = {}
    by_language: dict[str, dict[str, tuple[str, ...]]] = {}
    import yaml  # here, not at the top: a process that finds the tables cached never parses YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's where PyYAML has it
    sources: dict[str, list[tuple[str, list[str]]]] = {}  # a merged pattern -> where its entries come from
    for lang, text in texts.items():
        origin = f"rules/{lang}.yaml"
        try:
            doc = yaml.load(text, Loader=loader)
        except yaml.YAMLError as exc:
            raise RefdataError(f"{origin}: not valid YAML: {exc}") from exc
        if not isinstance(doc, dict) or set(doc) - set(_SECTIONS):
            raise RefdataError(f"{origin}: expected a mapping with the sections {', '.join(_SECTIONS)}")
        for etype, entry in _mapping(doc.get("events", {}), origin, "events").items():
            where = f"{origin}: events.{etype}"
            entry = _mapping(entry, where, "")
            if set(entry) - {"patterns", "cues"}:
                raise RefdataError(f"{where}: only 'patterns' and 'cues' are allowed")
            patterns = _strings(entry.get("patterns", []), f"{where}.patterns")
            cues = _strings(entry.get("cues", []), f"{where}.cues")
            sources.setdefault(f"events.{etype}", []).append((f"{where}.patterns", patterns))
            for cue in cues:
                if cue != cue.lower():
                    raise RefdataError(f"{where}.cues: cue {cue!r} must be lower case (cues match lower-cased text)")
            merged = events.setdefault(str(etype), ([], []))
            merged[0].extend(patterns)
            merged[1].extend(cues)
        for name, entries in _mapping(doc.get("words", {}), origin, "words").items():
            items = _strings(entries, f"{origin}: words.{name}")
            sources.setdefault(f"words.{name}", []).append((f"{origin}: words.{name}", items))
            words.setdefault(str(name), []).extend(items)
            by_language.setdefault(lang, {})[str(name)] = tuple(items)
    for key, parts in sources.items():
        _check_patterns(key, parts)
    for etype, (patterns, cues) in events.items():
        if patterns and not cues:
            raise RefdataError(f"events.{etype}: patterns without cues would never run; add cues")
    return RuleTables(
        events={t: EventRule(t, tuple(p), tuple(c)) for t, (p, c) in events.items()},
        words={name: tuple(items) for name, items in words.items()},
        by_language={lang: by_language.get(lang, {}) for lang in texts},
    )


def _mapping(raw: Any, origin: str, key: str) -> dict[Any, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RefdataError(f"{origin}{' ' + key if key else ''}: expected a mapping, got {type(raw).__name__}")
    return raw


def _strings(raw: Any, where: str) -> list[str]:
    """A list of non-empty strings; a nested list (a YAML alias ``*name`` to a word list) is spliced in."""
    if not isinstance(raw, list):
        raise RefdataError(f"{where}: expected a list of non-empty strings")
    flat = [item for entry in raw for item in (entry if isinstance(entry, list) else [entry])]
    if not all(isinstance(item, str) and item for item in flat):
        raise RefdataError(f"{where}: expected a list of non-empty strings")
    return flat


def _check_patterns(key: str, parts: list[tuple[str, list[str]]]) -> None:
    """A rule's entries, every language's, must make one regular expression. It is compiled as the
    components compile it (``alternation``, case-insensitive), so the check costs no second compile
    where a component uses the list as it is; only a failing rule is checked entry by entry, to
    name the bad one and its file."""
    import regex  # only when the tables are parsed (not cached)

    merged = [pattern for _, patterns in parts for pattern in patterns]
    if not merged:
        return
    try:
        regex.compile("|".join(merged), regex.IGNORECASE)
        return
    except regex.error as exc:
        error = exc
    for where, patterns in parts:
        for pattern in patterns:
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise RefdataError(f"{where}: bad regular expression {pattern!r}: {exc}") from None
    raise RefdataError(f"{key}: the entries do not make one regular expression ({error}); check their brackets")
