"""The checked rule tables are cached: a cached load gives the tables a fresh parse gives, and a
corrupt or outdated cache file is rebuilt."""

from __future__ import annotations

import logging
import pickle
from importlib import resources
from pathlib import Path

import pytest
from damaged_caches import UNREADABLE

from tickerwire.refdata import rules as rules_module
from tickerwire.refdata.rules import LANGUAGES, RuleTables, cached_rules, parse_rules


def _texts() -> dict[str, str]:
    folder = resources.files("tickerwire.refdata").joinpath("data").joinpath("rules")
    return {lang: folder.joinpath(f"{lang}.yaml").read_text(encoding="utf-8") for lang in LANGUAGES}


def _cache_file(cache_dir: Path) -> Path:
    [path] = cache_dir.glob("rules-*.pickle")
    return path


@pytest.fixture(scope="module")
def fresh() -> RuleTables:
    return parse_rules(_texts())


def test_a_cached_load_gives_the_parsed_tables(
    fresh: RuleTables, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cached_rules(_texts(), cache_dir=tmp_path) == fresh

    def no_parsing(*args: object) -> None:
        raise AssertionError("the rules were parsed although their cache is fresh")

    monkeypatch.setattr(rules_module, "parse_rules", no_parsing)
    cached = cached_rules(_texts(), cache_dir=tmp_path)
    assert cached == fresh
    assert cached.alternation("southbound", "zh") == fresh.alternation("southbound", "zh")


def test_changed_rules_get_a_new_cache_file(tmp_path: Path) -> None:
    texts = _texts()
    cached_rules(texts, cache_dir=tmp_path)
    texts["en"] = texts["en"].replace("words:", "words:\n  test_only_list: ['zebra']", 1)
    changed = cached_rules(texts, cache_dir=tmp_path)
    assert changed.word_list("test_only_list") == ("zebra",)
    assert len(list(tmp_path.glob("rules-*.pickle"))) == 2


def _wrong_shape(path: Path) -> bytes:
    payload = pickle.loads(path.read_bytes())
    payload["events"] = ["not", "a", "mapping"]
    return pickle.dumps(payload)


@pytest.mark.parametrize(
    "damage",
    [
        *UNREADABLE,
        pytest.param(_wrong_shape, id="wrong-shape"),
    ],
)
def test_a_corrupt_cache_is_rebuilt(
    fresh: RuleTables, tmp_path: Path, damage: object, caplog: pytest.LogCaptureFixture
) -> None:
    cached_rules(_texts(), cache_dir=tmp_path)
    path = _cache_file(tmp_path)
    path.write_bytes(damage(path))  # type: ignore[operator]
    with caplog.at_level(logging.WARNING):
        assert cached_rules(_texts(), cache_dir=tmp_path) == fresh
    assert "rules cache" in caplog.text
    assert cached_rules(_texts(), cache_dir=tmp_path) == fresh
