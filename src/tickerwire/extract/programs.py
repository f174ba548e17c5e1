"""The programs of the ``re`` patterns a command compiles, kept on disk between its runs.

``re.compile`` parses a pattern and generates its program in Python (``re._parser``,
``re._compiler``); the C engine then checks the program and builds the pattern object
(``_sre.compile``), and ``re`` keeps the object in its own cache, by pattern type, text and
flags. Parsing and generating are nearly all the cost, and the program depends only on the
pattern's text and flags and on the Python version. ``kept_programs`` keeps the programs of the
``re`` patterns compiled inside it (``extract`` of one article compiles about 100: the readers',
the extraction modules', those compiled on their first search and PyYAML's, 0.05 s) in the user
cache directory (``programs-HASH.pickle``, named by the Python version); a later run builds each
pattern object from its program and places it in ``re``'s cache, where ``re.compile`` finds it.

A program is written only when the pattern object it builds equals the one compiling gave
(pattern objects compare their flags and programs); the engine refuses a malformed program (the
file is then read as missing and rewritten), and the file is read, like every cache file, by an
unpickler that refuses every class. The ``regex`` module's patterns (0.08 s more) are not kept:
its engine does not check a program it is given, and a malformed one can crash the process.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

from tickerwire.refdata.cache import read_cache, write_cache

log = logging.getLogger(__name__)

# re's parser, code generator and engine (not exported names: the file is named by the Python version).
_parser = importlib.import_module("re._parser")
_compiler = importlib.import_module("re._compiler")
_sre = importlib.import_module("_sre")

_LAYOUT = 1  # bump when the file changes shape
Program: TypeAlias = "tuple[str, int, list[int], int, dict[str, int], tuple[str | None, ...]]"
"""What ``_sre.compile`` takes: the pattern, its flags (with its inline ones), its program, its
number of groups less one, and its group numbers by name and names by number."""
Entry: TypeAlias = "tuple[str, int, Program]"
"""A pattern's text, the flags it was compiled with (``re``'s cache key) and its program."""


def program(pattern: str, flags: int) -> Program:
    """What ``re.compile(pattern, flags)`` hands the engine (``re._compiler.compile`` without its
    last call)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (pattern, flags | parsed.state.flags, [int(op) for op in code], parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def _re_cache() -> dict[Any, Any] | None:
    """``re``'s cache of compiled patterns; None when this Python keeps none where it is looked for."""
    cache = getattr(re, "_cache", None)
    return cache if isinstance(cache, dict) else None


def _location() -> tuple[Path, dict[str, object]]:
    from tickerwire.refdata.master import default_cache_dir  # heavier to import than this module

    digest = hashlib.sha256(f"{_LAYOUT}:{sys.version}".encode()).hexdigest()
    return default_cache_dir() / f"programs-{digest[:24]}.pickle", {"layout": _LAYOUT, "python": sys.version}


def _well_formed(entries: Any) -> bool:
    """Whether a file's ``programs`` have the shape ``kept_programs`` writes (the engine checks
    the programs themselves)."""
    return isinstance(entries, list) and all(
        isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], str) and type(entry[1]) is int
        and isinstance(entry[2], tuple) and len(entry[2]) == 6 and entry[2][0] == entry[0]
        and isinstance(entry[2][2], list) and all(type(op) is int for op in entry[2][2])
        and isinstance(entry[2][4], dict) and isinstance(entry[2][5], tuple)
        for entry in entries
    )


def _read(path: Path, header: dict[str, object]) -> list[tuple[Entry, re.Pattern[str]]]:
    """The file's entries with the pattern each builds; none when the file is missing or damaged."""
    payload = read_cache(path, header, what="pattern programs")
    entries = payload.get("programs") if payload is not None else None
    if entries is None:
        return []
    if not _well_formed(entries):
        log.warning("%s: unreadable pattern programs cache (not a list of programs); rebuilding it", path)
        return []
    try:
        return [(entry, _sre.compile(*entry[2])) for entry in entries]
    except (RuntimeError, TypeError, ValueError, OverflowError) as exc:  # the engine refused a program
        log.warning("%s: unreadable pattern programs cache (%s); rebuilding it", path, exc)
        return []


def _recorded(pattern: str, flags: int, compiled: re.Pattern[str]) -> Entry | None:
    """The entry of a pattern ``re`` compiled, when its program builds the same pattern object."""
    try:
        made = program(pattern, flags)
        same = _sre.compile(*made) == compiled
    except (re.error, RuntimeError, TypeError, ValueError, OverflowError, AttributeError):
        return None
    return (pattern, flags, made) if same else None


@contextmanager
def kept_programs() -> Iterator[None]:
    """``re`` patterns compiled inside the block are built from their kept programs; when one was
    compiled that the file did not hold, the file is rewritten with every one compiled here."""
    cache = _re_cache()
    if cache is None:
        yield
        return
    path, header = _location()
    before = set(cache)
    given: dict[tuple[str, int], Entry] = {}
    for entry, compiled in _read(path, header):
        key = (str, entry[0], entry[1])
        if key not in before:
            cache[key] = compiled
            given[entry[0], entry[1]] = entry
    yield
    added = [(key[1], key[2], compiled) for key, compiled in list(cache.items())
             if key not in before and key[0] is str and type(key[2]) is int]
    if all((pattern, flags) in given for pattern, flags, _ in added):
        return
    entries = [given.get((pattern, flags)) or _recorded(pattern, flags, compiled) for pattern, flags, compiled in added]
    write_cache(path, {**header, "programs": [entry for entry in entries if entry is not None]},
                what="pattern programs")
