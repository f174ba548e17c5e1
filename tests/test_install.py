"""Installing tickerwire: declared dependencies, the lock files, and a clean virtual environment.

The fast tests keep pyproject.toml, the source imports and the two lock files in agreement (run
`make lock` when they say so). The slow test does what a new user does: a brand-new venv, the
runtime lock and the project without extras (which compiles the hot extraction modules), then
`tickerwire extract` on web pages.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from collections.abc import Iterator
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "tickerwire"
LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"

# Declared but never imported by name, each for a reason.
NOT_IMPORTED = {
    "lxml-html-clean": "trafilatura's jusText imports lxml.html.clean, which this package provides",
    "plotly": "the dashboard serves plotly.min.js out of the installed package",
    "python-multipart": "FastAPI parses multipart uploads with it",
}
# Optional extras: the source files allowed to import them (nothing else may).
EXTRA_IMPORTERS = {
    "batch": {"src/tickerwire/batch/spark.py", "src/tickerwire/batch/spark_errors.py"},
    "postgres": {"src/tickerwire/store/postgres.py"},
}
# Heavy machine-learning stacks: the default and dev installs must never pull them in.
FORBIDDEN_IN_LOCKS = ("torch", "torchvision", "triton", "tensorflow", "spacy", "thinc", "jax")


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]


def _requirements(specs: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(req.name): req for req in map(Requirement, specs)}


def _runtime() -> dict[str, Requirement]:
    return _requirements(_pyproject()["dependencies"])


def _dev() -> dict[str, Requirement]:
    return _requirements(_pyproject()["optional-dependencies"]["dev"])


def _extra(name: str) -> dict[str, Requirement]:
    return _requirements(_pyproject()["optional-dependencies"][name])


@cache
def _providers() -> dict[str, frozenset[str]]:
    """Importable top-level name → canonical names of the installed distributions providing it."""
    return {module: frozenset(map(canonicalize_name, dists)) for module, dists in packages_distributions().items()}


@cache
def _third_party_imports(folder: Path) -> dict[str, set[str]]:
    """Top-level module → the files importing it, for modules neither standard nor local."""
    local = {"tickerwire", folder.name} | {path.stem for path in folder.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in local and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _lock_blocks(path: Path) -> Iterator[tuple[Requirement, list[str]]]:
    """(``name==version ; marker``, its hashes) for each entry of a hashed requirements file."""
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[^\s#])", text):
        lines = [line.strip().rstrip("\\").strip() for line in block.splitlines()]
        lines = [line for line in lines if line and not line.startswith("#")]
        if lines:
            yield Requirement(lines[0]), [h for line in lines[1:] for h in re.findall(r"--hash=(\S+)", line)]


def _pins(path: Path) -> dict[str, set[str]]:
    pins: dict[str, set[str]] = {}
    for req, _ in _lock_blocks(path):
        (version,) = (spec.version for spec in req.specifier)
        pins.setdefault(canonicalize_name(req.name), set()).add(version)
    return pins


@pytest.mark.parametrize(
    ("folder", "declared"),
    [(SRC, _runtime), (ROOT / "tests", lambda: {**_runtime(), **_dev()})],
    ids=["src-runtime", "tests-dev"],
)
def test_every_third_party_import_is_declared(folder: Path, declared: Any) -> None:
    for module, files in sorted(_third_party_imports(folder).items()):
        dists = _providers().get(module, frozenset())
        assert dists, f"{module} (imported by {sorted(files)}) is not installed: declare it and run `make lock`"
        extras = [extra for extra, importer in EXTRA_IMPORTERS.items()
                  if dists & set(_extra(extra)) and files <= importer]
        if folder == SRC and extras:
            continue  # an optional extra, imported only where its feature lives
        assert dists & set(declared()), (
            f"{module} (imported by {sorted(files)}) comes from {sorted(dists)}, which pyproject.toml "
            "does not declare: add it to [project].dependencies (the dev extra for tests) and run `make lock`"
        )


def test_every_declared_dependency_is_imported_or_has_a_reason() -> None:
    imported = {dist for module in _third_party_imports(SRC) for dist in _providers().get(module, ())}
    unused = set(_runtime()) - imported
    assert unused == set(NOT_IMPORTED), "drop unused dependencies, or say in NOT_IMPORTED why they are needed"


@pytest.mark.parametrize(
    ("lock", "wanted"),
    [(LOCK, _runtime), (DEV_LOCK, lambda: {**_runtime(), **_dev()})],
    ids=["runtime", "dev"],
)
def test_lock_pins_every_declared_dependency_within_its_range(lock: Path, wanted: Any) -> None:
    pins = _pins(lock)
    for name, req in wanted().items():
        assert name in pins, f"{lock.name} lacks {name}: run `make lock`"
        for version in pins[name]:
            assert req.specifier.contains(version, prereleases=True), (
                f"{lock.name} pins {name}=={version} outside {req}: run `make lock`"
            )


@pytest.mark.parametrize("lock", [LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_lock_entries_are_exact_and_hashed(lock: Path) -> None:
    blocks = list(_lock_blocks(lock))
    assert len(blocks) > 20
    for req, hashes in blocks:
        assert [spec.operator for spec in req.specifier] == ["=="], req
        assert hashes and all(h.startswith("sha256:") for h in hashes), f"{req} has no sha256 hash"
    assert "make lock" in lock.read_text(encoding="utf-8").split("\n", 3)[1], "header names how to refresh"


@pytest.mark.parametrize("lock", [LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_lock_pulls_in_no_machine_learning_stack(lock: Path) -> None:
    pins = _pins(lock)
    heavy = [name for name in pins if name in FORBIDDEN_IN_LOCKS or name.startswith("nvidia-")]
    assert heavy == []


def test_dev_lock_keeps_every_runtime_pin() -> None:
    runtime, dev = _pins(LOCK), _pins(DEV_LOCK)
    assert {name: dev.get(name) for name in runtime} == runtime


# --- a brand-new virtual environment -------------------------------------------------------

PAGE_EN = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tencent leads Hong Kong tech rebound | Markets</title>
<meta property="article:published_time" content="2025-10-27T16:30:00+08:00">
</head>
<body>
<nav><a href="/">Home</a> <a href="/markets">Markets</a> <a href="/subscribe">Subscribe</a></nav>
<article>
<h1>Tencent leads Hong Kong tech rebound</h1>
<p>Hong Kong stocks rose on Monday as technology shares recovered from last week's sell-off.
The Hang Seng Index gained 1.2 per cent to close at 26,160.15.</p>
<p>Tencent Holdings (0700.HK) climbed 3.1 per cent to HK$650.50, its best day in a month, while
chipmaker SMIC (981 HK) jumped 5.2 per cent after reporting record quarterly revenue.</p>
<p>Turnover on the main board reached HK$250.3 billion, traders said.</p>
</article>
<footer>Copyright © 2025 Example News. All rights reserved.</footer>
</body>
</html>
"""

PAGE_ZH = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>港股科技股反弹 腾讯涨3.1%</title>
<meta property="article:published_time" content="2025-10-27T16:30:00+08:00"></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/hk">港股</a></div>
<article>
<h1>港股科技股反弹 腾讯涨3.1%</h1>
<p>10月27日，港股三大指数集体上涨，恒生指数收涨1.2%，报26160点，科技股领涨大市。</p>
<p>个股方面，腾讯控股（00700）涨3.1%，报650.5港元；中芯国际（00981）涨5.2%，创下近一个月最大单日涨幅。</p>
<p>大市成交额2503亿港元，南向资金净买入85.6亿港元。</p>
</article>
<div class="footer">版权所有 © 2025</div>
</body></html>
"""


def _run(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result


def _project_copy(target: Path) -> Path:
    """The files a source install reads, without build leftovers of the working tree."""
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    leftovers = shutil.ignore_patterns("*.egg-info", "__pycache__", "*.so", "_compiled.json")  # an editable build's
    shutil.copytree(ROOT / "src", target / "src", ignore=leftovers)
    return target


@pytest.mark.slow
def test_runtime_lock_in_a_new_venv_reads_html_pages(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["TICKERWIRE_DB"] = str(tmp_path / "unused.db")
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python, tickerwire = target / "bin" / "python", target / "bin" / "tickerwire"
    _run(python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", LOCK, env=env)
    project = tmp_path / "project"
    project.mkdir()
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", _project_copy(project), env=env)
    _run(python, "-m", "pip", "check", env=env)
    # The install compiled the hot extraction modules (setup.py, mypyc and the system C compiler).
    engine = "from tickerwire.extract import native; print(native.status().describe())"
    assert _run(python, "-c", engine, env=env).stdout.startswith("compiled ("), "no compiled extraction modules"

    freeze = _run(python, "-m", "pip", "freeze", "--all", env=env).stdout.split()
    installed = {canonicalize_name(line.partition("==")[0]) for line in freeze}
    assert installed & set(_pins(LOCK)) == set(_pins(LOCK)) - {"colorama"}  # colorama: Windows only
    assert not installed & (set(_dev()) - set(_pins(LOCK))), "a plain install brings no dev tool"

    pages = [tmp_path / "tencent-rebound.html", tmp_path / "港股反弹.html"]
    pages[0].write_text(PAGE_EN, encoding="utf-8")
    pages[1].write_text(PAGE_ZH, encoding="utf-8")
    result = _run(tickerwire, "extract", *pages, "--format", "jsonl", "--with-text", env=env)
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["lang"] for a in articles] == ["en", "zh"]
    for article in articles:
        assert article["published_at"] == "2025-10-27T16:30:00+08:00"
        assert {"00700.HK", "00981.HK"} <= {m["listing"] for m in article["mentions"]}
        moves = {(f["subject"], f["pct"]) for f in article["facts"] if f["kind"] == "price_move"}
        assert {("00700.HK", 3.1), ("00981.HK", 5.2), ("HSI", 1.2)} <= moves
        assert article["text"].startswith(article["title"])
        assert not any(junk in article["text"] for junk in ("Subscribe", "Copyright", "首页", "版权所有"))
