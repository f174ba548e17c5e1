"""Whether the extraction modules run compiled (mypyc C extensions) or from their ``.py`` sources.

``setup.py`` may compile the hot modules of this package, building each extension next to its
source, and records the SHA-256 of every source it compiled in ``_compiled.json``. Python imports
an extension in preference to a source of the same name, so an extension built before a source was
edited would silently run the old code. :func:`use_fresh_extensions` (run by the package's
``__init__`` before any of those modules is imported) prevents that: the extensions are used only
when every source matches its record and ``TICKERWIRE_PURE_PYTHON`` is not set; otherwise a finder
first on ``sys.meta_path`` loads the ``.py`` source of each of them. It is all or nothing: compiled
modules call one another directly, so one stale module means no extension is used.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

ENV = "TICKERWIRE_PURE_PYTHON"
"""Set (to anything but ``0``) at run time to use the sources; at build time to compile nothing."""
MANIFEST = "_compiled.json"
PACKAGE = "tickerwire.extract"
REBUILD = "pip install --no-deps -e . (make rebuilds it when a compiled source changes)"


@dataclass(frozen=True, slots=True)
class NativeStatus:
    """What :func:`choose` decided for one package directory."""

    built: tuple[str, ...]
    """Modules with an extension in the directory (and a ``.py`` source beside it)."""
    compiled: bool
    """Whether those extensions are used."""
    reason: str = ""
    """Why not, when ``built`` is not empty and ``compiled`` is false."""
    stale: tuple[str, ...] = ()
    """Modules whose source differs from the one their extension was built from."""

    def describe(self) -> str:
        """One line for benchmarks and diagnostics: "compiled (14 modules)" or "pure Python (why)"."""
        if self.compiled:
            return f"compiled ({len(self.built)} modules, mypyc)"
        return f"pure Python ({self.reason or 'no compiled modules are built'})"


def built_extensions(directory: Path) -> tuple[str, ...]:
    """Names of the modules in ``directory`` that have both an extension this interpreter can load and a source."""
    names = set()
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for path in directory.glob(f"*{suffix}"):
            name = path.name[: -len(suffix)]
            if (directory / f"{name}.py").is_file():
                names.add(name)
    return tuple(sorted(names))


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def choose(directory: Path, environ: Mapping[str, str]) -> NativeStatus:
    """Decide between the extensions built in ``directory`` and their sources (no side effects)."""
    built = built_extensions(directory)
    if not built:
        return NativeStatus(built, compiled=False)
    if environ.get(ENV, "") not in {"", "0"}:
        return NativeStatus(built, compiled=False, reason=f"{ENV} is set")
    try:
        recorded = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))["modules"]
    except (OSError, ValueError, KeyError, TypeError):
        return NativeStatus(built, compiled=False, reason=f"{MANIFEST}, the record of the build, is missing or unreadable")
    if not isinstance(recorded, dict):
        return NativeStatus(built, compiled=False, reason=f"{MANIFEST} is not a record of sources")
    stale = tuple(name for name in built if recorded.get(name) != source_digest(directory / f"{name}.py"))
    if stale:
        return NativeStatus(built, compiled=False, reason=f"edited since the build: {', '.join(stale)}", stale=stale)
    return NativeStatus(built, compiled=True)


class SourceFinder:
    """Finds ``PACKAGE.<name>`` in its ``.py`` source for the named modules (ahead of their extensions)."""

    def __init__(self, directory: Path, names: Sequence[str]) -> None:
        self.directory = directory
        self.names = frozenset(names)

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE or name not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, self.directory / f"{name}.py")


_status: NativeStatus | None = None


def use_fresh_extensions(directory: Path) -> NativeStatus:
    """Decide once per process for this package and, unless the extensions are used, route their imports to the sources."""
    global _status
    if _status is None:
        status = choose(directory, os.environ)
        if status.built and not status.compiled:
            sys.meta_path.insert(0, SourceFinder(directory, status.built))
        if status.stale:
            log.warning(
                "compiled extraction modules are older than their sources (%s); running the sources. Rebuild: %s",
                ", ".join(status.stale), REBUILD,
            )
        _status = status
    return _status


def status() -> NativeStatus:
    """What this process uses (decided when ``tickerwire.extract`` was first imported)."""
    return use_fresh_extensions(Path(__file__).parent)
