"""The programs of the ``re`` patterns a command compiles are kept on disk: a pattern built from
its kept program is the one compiling gives, a later run compiles none of them, and a damaged or
outdated file is rebuilt."""

from __future__ import annotations

import json
import logging
import pickle
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tickerwire.extract import programs
from tickerwire.extract.programs import kept_programs, program

PATTERNS: list[tuple[str, int]] = [
    (r"(?<![A-Za-z])(?:closed|ended)\s+at\s+(?P<level>[\d,.]+)", re.IGNORECASE),
    ("收[市盘]|收盤|恒生指[数數](?P<move>[升跌])", 0),
    (r"(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*[日号號]", 0),
    ("(?i)Debut|首[掛挂]", 0),  # an inline flag
    (r"""
        (?P<sign>[+\-−])?   # a sign
        (?P<num>\d+(?:\.\d+)?)\s*%
    """, re.VERBOSE),
    (r"^related\s+(?:news|stories)\b|^(?:相关|相關)(?:新闻|新聞)", re.IGNORECASE | re.MULTILINE),
    ("[\u3400-\u9fff]+|ſtock|\U00020000", re.IGNORECASE),  # beyond the BMP; the long s folds to s
]
TEXTS = [
    "The index closed at 25,441.35",
    "恒生指数跌1.73%，收盤",
    "10月14日 Debut 首掛 +3.5 %",
    "Related News\n相關新聞",
    "STOCK 𠀀",
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TICKERWIRE_CACHE_DIR", str(tmp_path))
    re.purge()
    yield tmp_path
    re.purge()


def _compiled() -> list[re.Pattern[str]]:
    return [re.compile(source, flags) for source, flags in PATTERNS]


def _written(cache_dir: Path) -> Path:
    re.purge()  # compiled inside the block, not found in re's cache
    with kept_programs():
        _compiled()
    [path] = cache_dir.glob("programs-*.pickle")
    return path


def _found(patterns: list[re.Pattern[str]]) -> list[list[tuple[tuple[int, int], dict[str, str | None]]]]:
    return [[(m.span(), m.groupdict()) for text in TEXTS for m in p.finditer(text)] for p in patterns]


@pytest.mark.parametrize(("source", "flags"), PATTERNS)
def test_a_program_builds_the_pattern_compiling_gives(source: str, flags: int) -> None:
    built = programs._sre.compile(*program(source, flags))
    compiled = re.compile(source, flags)
    assert built == compiled  # the same flags and program
    assert (built.pattern, built.flags, built.groupindex, built.groups) == (
        compiled.pattern, compiled.flags, compiled.groupindex, compiled.groups)


def test_a_later_run_builds_its_patterns_from_their_kept_programs(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _found(_compiled())
    path = _written(cache_dir)
    assert {(source, flags) for source, flags, _ in pickle.loads(path.read_bytes())["programs"]} >= set(PATTERNS)
    re.purge()

    def not_compiled(*args: object) -> None:
        raise AssertionError(f"compiled again: {args}")

    with kept_programs():
        monkeypatch.setattr(programs._compiler, "compile", not_compiled)
        kept = _compiled()
        monkeypatch.undo()
    assert _found(kept) == expected
    assert kept == [programs._sre.compile(*program(source, flags)) for source, flags in PATTERNS]


def test_a_new_pattern_is_added_to_the_file(cache_dir: Path) -> None:
    path = _written(cache_dir)
    re.purge()
    with kept_programs():
        _compiled()
        re.compile("上市首日|debut", re.IGNORECASE)
    kept = {(source, flags) for source, flags, _ in pickle.loads(path.read_bytes())["programs"]}
    assert kept >= {*PATTERNS, ("上市首日|debut", re.IGNORECASE)}


def _malformed_program(payload: dict[str, object]) -> None:
    entries = payload["programs"]
    assert isinstance(entries, list)
    source, flags, made = entries[0]
    entries[0] = (source, flags, (made[0], made[1], [999, 1, 2], *made[3:]))


def _wrong_shape(payload: dict[str, object]) -> None:
    payload["programs"] = {"收[市盘]": [1, 2]}


def _other_version(payload: dict[str, object]) -> None:
    payload["layout"] = 0


@pytest.mark.parametrize(
    ("damage", "logged"),
    [
        pytest.param(None, "unreadable", id="garbage"),
        pytest.param(_malformed_program, "invalid SRE code", id="malformed-program"),
        pytest.param(_wrong_shape, "not a list of programs", id="wrong-shape"),
        pytest.param(_other_version, "another version", id="other-version"),
    ],
)
def test_a_damaged_file_is_rebuilt(
    cache_dir: Path, damage: Callable[[dict[str, object]], None] | None, logged: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    expected = _found(_compiled())
    path = _written(cache_dir)
    if damage is None:
        path.write_bytes(b"cos\nsystem\n(S'echo hi'\ntR.")
    else:
        payload = pickle.loads(path.read_bytes())
        damage(payload)
        path.write_bytes(pickle.dumps(payload))
    re.purge()
    with caplog.at_level(logging.INFO), kept_programs():
        assert _found(_compiled()) == expected
    assert logged in caplog.text
    rebuilt = pickle.loads(path.read_bytes())
    assert {(source, flags) for source, flags, _ in rebuilt["programs"]} >= set(PATTERNS)


def test_extract_prints_the_same_with_kept_programs(cache_dir: Path) -> None:
    """``extract`` keeps the programs of the patterns it compiles; its output is the same the
    first time (programs written) and the next (patterns built from them)."""
    from tickerwire.cli import app

    news = Path(__file__).parents[2] / "examples" / "news"
    articles = [news / "2025-10-06-hk-close-hsi-holiday-eve.md", news / "2025-10-14-southbound-inflow-zh-hans.md"]
    runs = []
    for _ in range(2):
        re.purge()
        result = CliRunner().invoke(app, ["extract", *map(str, articles)])
        assert result.exit_code == 0, result.stderr
        runs.append([json.loads(line)["mentions"] for line in result.stdout.splitlines()])
    assert runs[0] == runs[1] and all(runs[0])
    [path] = cache_dir.glob("programs-*.pickle")
    assert len(pickle.loads(path.read_bytes())["programs"]) > 20
