"""Compiled (mypyc) extraction modules: chosen only when built from the sources on disk, and they
give byte-for-byte the output of the pure-Python modules.

The end-to-end cases need a compiled build (``pip install -e .``, or ``setup.py build_ext
--inplace``); without one they are skipped with the reason, and with ``TICKERWIRE_REQUIRE_COMPILED=1``
(as in CI) they fail instead.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tickerwire.extract import native
from tickerwire.extract.native import ENV, MANIFEST, NativeStatus, SourceFinder, choose

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(native.__file__).parent
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]
QUANTITIES = "def scan(text: str) -> list[str]:\n    return text.split()\n"
FACTS = "def facts() -> int:\n    return 1\n"


def _package(tmp_path: Path, *, manifest: object | None = None) -> Path:
    """A package directory: two sources, an extension for each, the shared library and (optionally) a build record."""
    directory = tmp_path / "extract"
    directory.mkdir()
    for name, source in {"quantities": QUANTITIES, "facts": FACTS}.items():
        (directory / f"{name}.py").write_text(source, encoding="utf-8")
        (directory / f"{name}{SUFFIX}").write_bytes(b"\x7fELF")
    (directory / f"_compiled__mypyc{SUFFIX}").write_bytes(b"\x7fELF")  # no source beside it: not a module of ours
    if manifest is not None:
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        (directory / MANIFEST).write_text(text, encoding="utf-8")
    return directory


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


FRESH = {"modules": {"quantities": _digest(QUANTITIES), "facts": _digest(FACTS)}}


@pytest.mark.parametrize(
    ("manifest", "environ", "compiled", "reason"),
    [
        (FRESH, {}, True, ""),
        (FRESH, {ENV: "0"}, True, ""),
        (FRESH, {ENV: "1"}, False, f"{ENV} is set"),
        (None, {}, False, "missing or unreadable"),
        ("{not json", {}, False, "missing or unreadable"),
        ({"sources": {}}, {}, False, "missing or unreadable"),
        ({"modules": ["quantities", "facts"]}, {}, False, "not a record of sources"),
        ({"modules": {"quantities": _digest(QUANTITIES)}}, {}, False, "edited since the build: facts"),
        ({"modules": {"quantities": _digest(QUANTITIES + "# edited\n"), "facts": _digest(FACTS)}}, {}, False,
         "edited since the build: quantities"),
    ],
)
def test_choose(tmp_path: Path, manifest: object, environ: dict[str, str], compiled: bool, reason: str) -> None:
    status = choose(_package(tmp_path, manifest=manifest), environ)
    assert status.built == ("facts", "quantities")
    assert status.compiled is compiled
    assert reason in status.reason
    assert bool(reason) is (not compiled)


def test_choose_reports_every_edited_source(tmp_path: Path) -> None:
    directory = _package(tmp_path, manifest=FRESH)
    (directory / "quantities.py").write_text(QUANTITIES + "\nLIMIT = 3\n", encoding="utf-8")
    (directory / "facts.py").write_text("def facts() -> int:\n    return 2\n", encoding="utf-8")
    status = choose(directory, {})
    assert (status.compiled, status.stale) == (False, ("facts", "quantities"))
    assert status.describe() == "pure Python (edited since the build: facts, quantities)"


def test_choose_without_extensions(tmp_path: Path) -> None:
    directory = tmp_path / "extract"
    directory.mkdir()
    (directory / "quantities.py").write_text(QUANTITIES, encoding="utf-8")
    status = choose(directory, {})
    assert status == NativeStatus((), compiled=False)
    assert status.describe() == "pure Python (no compiled modules are built)"


def test_source_finder_routes_only_its_modules(tmp_path: Path) -> None:
    directory = _package(tmp_path)
    finder = SourceFinder(directory, ["quantities"])
    spec = finder.find_spec("tickerwire.extract.quantities", None)
    assert spec is not None and spec.origin == str(directory / "quantities.py")
    assert isinstance(spec.loader, importlib.machinery.SourceFileLoader)
    assert finder.find_spec("tickerwire.extract.facts", None) is None
    assert finder.find_spec("tickerwire.sources.quantities", None) is None


# -- with a real compiled build --------------------------------------------------------------------


def _require_compiled() -> None:
    status = choose(PACKAGE_DIR, {})
    if status.compiled:
        return
    why = f"no usable compiled build in {PACKAGE_DIR}: {status.describe()}"
    if os.environ.get("TICKERWIRE_REQUIRE_COMPILED") == "1":
        pytest.fail(f"TICKERWIRE_REQUIRE_COMPILED=1 but {why}")
    pytest.skip(why)


def _run(args: list[str], *, pure: bool, pythonpath: Path = PACKAGE_DIR.parents[1]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    env["PYTHONPATH"] = str(pythonpath)
    if pure:
        env[ENV] = "1"
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False)


EXTRACT = "from tickerwire.cli import main; main()"
INPUTS = [
    "examples/news",
    "tests/fixtures/eval/docs.jsonl",
    "tests/fixtures/eval2/docs.jsonl",
    "tests/fixtures/stories/articles.jsonl",
]


def test_compiled_and_pure_python_extract_the_same_bytes() -> None:
    _require_compiled()
    which = (
        "from tickerwire.extract import native; import tickerwire.extract.facts as f; "
        "print(native.status().compiled, f.__file__)"
    )
    compiled, pure = _run(["-c", which], pure=False).stdout.split(), _run(["-c", which], pure=True).stdout.split()
    assert compiled[0] == "True" and compiled[1].endswith(SUFFIX)
    assert pure[0] == "False" and pure[1].endswith("facts.py")
    runs = [_run(["-c", EXTRACT, "extract", *INPUTS], pure=flag) for flag in (False, True)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    fixtures = sum(1 for path in INPUTS[1:] for line in (ROOT / path).open(encoding="utf-8") if line.strip())
    assert runs[0].stdout.count("\n") >= fixtures + 70  # every input was read (70-odd sample articles)
    assert runs[0].stdout == runs[1].stdout


def test_an_edited_source_is_used_instead_of_its_stale_extension(tmp_path: Path) -> None:
    """A developer edits quantities.py after building: the edit runs, every other module runs from its source too."""
    _require_compiled()
    package = tmp_path / "tickerwire"
    package.mkdir()
    for item in PACKAGE_DIR.parent.iterdir():
        if item.name == "extract":
            shutil.copytree(item, package / "extract", ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (package / item.name).symlink_to(item)
    source = package / "extract" / "quantities.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nEDITED = 'after the build'\n", encoding="utf-8")
    probe = (
        "import tickerwire.extract.quantities as q, tickerwire.extract.facts as f\n"
        "from tickerwire.extract import native\n"
        "print(q.EDITED, q.__file__, f.__file__, native.status().stale, sep='\\n')\n"
    )
    run = _run(["-c", probe], pure=False, pythonpath=tmp_path)
    assert run.returncode == 0, run.stderr
    edited, quantities_file, facts_file, stale = run.stdout.splitlines()
    assert edited == "after the build"
    assert quantities_file == str(source) and facts_file == str(package / "extract" / "facts.py")
    assert stale == "('quantities',)"
    assert "older than their sources (quantities)" in run.stderr and "pip install --no-deps -e ." in run.stderr


def test_the_build_compiles_existing_modules_with_the_linted_mypy() -> None:
    """setup.py names modules that exist, and builds with the mypy the dev lock pins (the one `make lint` runs)."""
    import ast
    import tomllib

    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    [compiled] = [ast.literal_eval(node.value) for node in tree.body
                  if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED"]
    assert compiled and all((PACKAGE_DIR / f"{name}.py").is_file() for name in compiled)
    assert "native" not in compiled and "__init__" not in compiled  # they decide which modules load
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    [pin] = [r for r in requires if r.startswith("mypy")]
    assert f"{pin} \\" in (ROOT / "requirements-dev.lock").read_text(encoding="utf-8").splitlines()
