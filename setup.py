"""Compiles the hot extraction modules with mypyc; everything else about the package is in pyproject.toml.

``pip install .`` and ``pip install -e .`` build one C extension per module in ``COMPILED`` (gcc,
through setuptools) next to its ``.py`` source, which stays and is what runs when no extension is
loaded. The build writes ``tickerwire/extract/_compiled.json``: each compiled source's SHA-256.
At import, ``tickerwire.extract.native`` compares it with the sources on disk and loads the
``.py`` modules instead when any differs (a source edited since the build), so a stale extension
never shadows new code.

``TICKERWIRE_PURE_PYTHON=1 pip install -e .`` builds no extension and removes those an earlier
editable build left in ``src``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import Distribution, Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "src" / "tickerwire" / "extract"
MANIFEST = "_compiled.json"
# Modules of tickerwire.extract compiled to C, chosen by measurement (docs/performance.md).
COMPILED = (
    "amounts",
    "anchors",
    "cjk_numerals",
    "clauses",
    "events",
    "facts",
    "gazetteer",
    "ipo_details",
    "ipo_words",
    "prefilter",
    "quantities",
    "records",
    "securities",
    "sentences",
    "sentiment",
    "timeframes",
)


def pure_python() -> bool:
    return os.environ.get("TICKERWIRE_PURE_PYTHON", "") not in {"", "0"}


def source_digests() -> dict[str, str]:
    return {name: hashlib.sha256((PACKAGE / f"{name}.py").read_bytes()).hexdigest() for name in COMPILED}


class BinaryDistribution(Distribution):
    """A distribution with extensions unless the build is pure Python. The extensions themselves
    are made by ``build_ext`` only: pip runs this file three times per install (requirements,
    metadata, build), and mypyc, the slow part, must run once, not three times."""

    def has_ext_modules(self) -> bool:
        return not pure_python()


class BuildExtWithManifest(build_ext):
    """build_ext that compiles with mypyc and writes, next to the extensions, the digests of the
    sources they came from."""

    def finalize_options(self) -> None:
        self.distribution.ext_modules = extensions()
        super().finalize_options()

    def run(self) -> None:
        if pure_python():
            return
        super().run()
        path = self._manifest_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = {"python": sys.implementation.cache_tag, "modules": source_digests()}
        path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def get_outputs(self) -> list[str]:
        return [*super().get_outputs(), str(self._manifest_path())]

    def _manifest_path(self) -> Path:
        return Path(self.get_ext_fullpath(f"tickerwire.extract.{COMPILED[0]}")).parent / MANIFEST


def remove_inplace_extensions() -> None:
    """What an earlier editable build left in src: a pure-Python build must not keep using it."""
    for path in [*PACKAGE.glob("*.so"), *PACKAGE.glob("*.pyd"), PACKAGE / MANIFEST]:
        path.unlink(missing_ok=True)


def extensions() -> list[Extension]:
    if pure_python():
        return []
    from mypyc.build import mypycify

    os.chdir(ROOT)  # mypy reads [tool.mypy] from pyproject.toml and writes its C files under build/
    return list(
        mypycify(
            [f"src/tickerwire/extract/{name}.py" for name in COMPILED],
            group_name="tickerwire.extract._compiled",
            opt_level="3",
        )
    )


if pure_python():
    remove_inplace_extensions()
setup(distclass=BinaryDistribution, cmdclass={"build_ext": BuildExtWithManifest})
