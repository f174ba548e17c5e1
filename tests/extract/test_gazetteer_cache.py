"""The gazetteer's alias table cache: a cached automaton finds exactly what a fresh one finds, and a
corrupt or stale cache file is rebuilt."""

from __future__ import annotations

import logging
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tickerwire.extract.gazetteer import GazetteerIndex
from tickerwire.extract.pipeline import matching_text
from tickerwire.refdata.master import SecurityMaster, load_master

TEXTS = [
    "Tencent Holdings and Alibaba led the Hang Seng Index higher; HSBC fell while Hang Seng Bank rose.",
    "SMIC (00981.HK) and Hua Hong Semiconductor rallied as the Hang Seng Tech Index gained 2%.",
    "Dow Jones Newswires reported that the Hang Seng Biotech Index slipped.",
    "恒生指数收涨1.2%，腾讯控股、阿里巴巴-SW及中芯国际领涨；滙豐控股跌0.5%。",
    "港股三大指数低开，恆生科技指數跌1.1%，美团、小米集团、比亚迪股份走低。",
    "𠀀𠀁 Tencent rose; 𠀂中芯国际升3%。",  # characters outside the BMP before a name keep offsets right
]


def matches(index: GazetteerIndex, text: str) -> list[tuple[int, int, tuple[tuple[str | None, str | None], ...]]]:
    return [(s.start, s.end, tuple((e.issuer, e.index) for e in s.entries)) for s in index.find(matching_text(text))]


@pytest.fixture(scope="module")
def master() -> SecurityMaster:
    return load_master()


@pytest.fixture(scope="module")
def fresh(master: SecurityMaster) -> GazetteerIndex:
    return GazetteerIndex(master, use_cache=False)


def cache_file(cache_dir: Path) -> Path:
    [path] = cache_dir.glob("gazetteer-*.pickle")
    return path


@pytest.fixture(scope="module")
def written_cache(master: SecurityMaster, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache file as the index writes it, made once; tests damage copies of it."""
    cache_dir = tmp_path_factory.mktemp("gazetteer-cache")
    GazetteerIndex(master, cache_dir=cache_dir).find("Tencent")
    return cache_file(cache_dir)


def test_cached_table_finds_what_a_fresh_one_finds(
    master: SecurityMaster, fresh: GazetteerIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = GazetteerIndex(master, cache_dir=tmp_path)
    assert [matches(writer, t) for t in TEXTS] == [matches(fresh, t) for t in TEXTS]
    assert cache_file(tmp_path).stat().st_size > 100_000

    def no_building(*args: object) -> None:
        raise AssertionError("the alias table was built although its cache is fresh")

    # On the master, not on gazetteer.alias_table: a compiled gazetteer calls its own functions directly.
    monkeypatch.setattr(SecurityMaster, "iter_aliases", no_building)
    reader = GazetteerIndex(master, cache_dir=tmp_path)
    found = [matches(reader, t) for t in TEXTS]
    assert found == [matches(fresh, t) for t in TEXTS]
    assert reader.size == fresh.size > 40_000
    assert all(found[:5]), "every sample sentence names something"
    text = matching_text(TEXTS[-1])
    assert [text[s.start : s.end] for s in reader.find(text)] == ["Tencent", "中芯国际"]


@pytest.mark.slow  # loads the security master from its data (about 2 s)
def test_nothing_is_cached_for_a_master_loaded_without_its_cache(tmp_path: Path) -> None:
    master = SecurityMaster.load(use_cache=False)
    assert master.cache_key is None
    assert matches(GazetteerIndex(master, cache_dir=tmp_path / "c"), TEXTS[0])
    assert not (tmp_path / "c").exists()


def _damaged(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], bytes]:
    def damage(path: Path) -> bytes:
        payload = pickle.loads(path.read_bytes())
        change(payload)
        return pickle.dumps(payload)

    return damage


def _short_column(payload: dict[str, Any]) -> None:
    payload["columns"][3] = payload["columns"][3][:-1]  # one listing short of the entries


def _short_first(payload: dict[str, Any]) -> None:
    payload["first"] = payload["first"][:-1]  # one key without its entries


def _wide_key_in_narrow(payload: dict[str, Any]) -> None:
    payload["narrow"] += 1  # the first Chinese key among the Latin ones


def _narrow_key_in_wide(payload: dict[str, Any]) -> None:
    payload["narrow"] -= 1  # the last Latin key among the Chinese ones (never searched in English)


def _key_not_a_string(payload: dict[str, Any]) -> None:
    payload["keys"][-1] = 7


def _offsets_not_numbers(payload: dict[str, Any]) -> None:
    payload["first"][5] = "5"


def _rows_of_layout_1(payload: dict[str, Any]) -> None:
    payload["rows"] = [[("Tencent", "X", None, None, "short", True, True)]]
    del payload["first"], payload["columns"]


def _stale(payload: dict[str, Any]) -> None:
    payload["digest"] = "0" * 64  # written for other data under the same name
    payload.update(keys=["tencent"], narrow=1, first=[0, 1],
                   columns=[["Tencent"], ["X"], [None], [None], ["short"], [True], [True]])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: b"not a pickle at all", id="garbage"),
        pytest.param(lambda path: b"cos\nsystem\n(S'echo hi'\ntR.", id="class-reference", marks=pytest.mark.slow),
        pytest.param(lambda path: b"\x80\x04K\x01.", id="an-int", marks=pytest.mark.slow),
        pytest.param(_damaged(_short_column), id="short-column"),
        pytest.param(_damaged(_short_first), id="short-first", marks=pytest.mark.slow),
        pytest.param(_damaged(_wide_key_in_narrow), id="wide-key-in-narrow", marks=pytest.mark.slow),
        pytest.param(_damaged(_narrow_key_in_wide), id="narrow-key-in-wide", marks=pytest.mark.slow),
        pytest.param(_damaged(_key_not_a_string), id="key-not-a-string", marks=pytest.mark.slow),
        pytest.param(_damaged(_offsets_not_numbers), id="offsets-not-numbers", marks=pytest.mark.slow),
        pytest.param(_damaged(_rows_of_layout_1), id="rows-not-columns", marks=pytest.mark.slow),
        pytest.param(_damaged(_stale), id="stale"),
    ],
)
def test_corrupt_or_stale_cache_is_rebuilt(
    master: SecurityMaster, fresh: GazetteerIndex, written_cache: Path, tmp_path: Path,
    damage: object, caplog: pytest.LogCaptureFixture,
) -> None:
    path = Path(shutil.copy(written_cache, tmp_path))
    path.write_bytes(damage(path))  # type: ignore[operator]

    with caplog.at_level(logging.INFO):
        rebuilt = GazetteerIndex(master, cache_dir=tmp_path)
        assert [matches(rebuilt, t) for t in TEXTS] == [matches(fresh, t) for t in TEXTS]
    assert "gazetteer cache" in caplog.text
    assert cache_file(tmp_path).stat().st_size > 100_000  # rewritten whole
    again = GazetteerIndex(master, cache_dir=tmp_path)
    assert [matches(again, t) for t in TEXTS] == [matches(fresh, t) for t in TEXTS]
