"""The security master's cache: used when fresh, rebuilt when the data changes or the file is bad."""

from __future__ import annotations

import logging
import pickle
import shutil
from pathlib import Path

import pytest

from tickerwire.refdata import master as master_module
from tickerwire.refdata.master import SecurityMaster, default_cache_dir, default_data_dir

pytestmark = pytest.mark.slow  # each test builds the security master from its data (about 2 s)


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("manifest.json", "indices.json", "issuers.jsonl"):
        shutil.copy(default_data_dir() / name, folder / name)
    return folder


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("master-*.pickle"))


QUERIES = ["0981.HK", "中芯國際", "中芯国际", "AAPL", "Tencent", "腾讯控股", "Bank of China", "700"]


def answers(master: SecurityMaster) -> list[tuple[str, str | None, tuple[str, ...]]]:
    out = []
    for query in QUERIES:
        found = master.resolve(query)
        out.append((found.status, found.issuer and found.issuer.id,
                    tuple(c.id for c in found.candidates)))
    return out


def test_second_load_reads_the_cache_and_answers_the_same(data_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    fresh = SecurityMaster.load(data_dir, cache_dir=cache_dir)
    assert len(cache_files(cache_dir)) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("the issuer file was parsed although the cache is fresh")

    monkeypatch.setattr(master_module, "_parse_issuers", no_parsing)
    cached = SecurityMaster.load(data_dir, cache_dir=cache_dir)
    assert answers(cached) == answers(fresh)
    assert [i.id for i in cached.search("bank", limit=15)] == [
        i.id for i in fresh.search("bank", limit=15)]
    assert list(cached.issuers) == list(fresh.issuers)
    assert cached.issuers["00981.HK"] == fresh.issuers["00981.HK"]
    assert cached.coverage() == fresh.coverage()
    assert list(cached.iter_aliases())[:50] == list(fresh.iter_aliases())[:50]


def test_uncached_load_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    SecurityMaster.load(data_dir, cache_dir=tmp_path / "cache", use_cache=False)
    assert not (tmp_path / "cache").exists()


def test_changed_data_gets_a_new_cache(data_dir: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert SecurityMaster.load(data_dir, cache_dir=cache_dir).resolve("AAPL").status == "found"
    issuers = data_dir / "issuers.jsonl"
    kept = [line for line in issuers.read_text(encoding="utf-8").splitlines()
            if '"AAPL.US"' not in line]
    issuers.write_text("\n".join(kept) + "\n", encoding="utf-8")

    reloaded = SecurityMaster.load(data_dir, cache_dir=cache_dir)
    assert reloaded.resolve("AAPL.US").status == "unknown"
    assert len(cache_files(cache_dir)) == 2  # keyed by the data's hash


@pytest.mark.parametrize("damage", [
    b"",                                      # empty (a crash mid-write by an old version)
    b"not a pickle at all",
    b"\x80\x05\x95\x10\x00\x00",              # truncated pickle header
    b"cos\nsystem\n(S'echo hi'\ntR.",         # a class reference: refused, never imported
    b"\x80\x04K\x01.",                        # a valid pickle of the wrong shape (an int)
])
def test_corrupt_cache_is_rebuilt(data_dir: Path, tmp_path: Path, damage: bytes,
                                  caplog: pytest.LogCaptureFixture) -> None:
    cache_dir = tmp_path / "cache"
    SecurityMaster.load(data_dir, cache_dir=cache_dir)
    [cache_file] = cache_files(cache_dir)
    cache_file.write_bytes(damage)

    with caplog.at_level(logging.WARNING, logger="tickerwire.refdata.master"):
        master = SecurityMaster.load(data_dir, cache_dir=cache_dir)
    assert master.resolve("中芯國際").issuer is not None
    assert "unreadable master cache" in caplog.text
    assert cache_file.stat().st_size > 1000  # rewritten whole
    assert SecurityMaster.load(data_dir, cache_dir=cache_dir).resolve("SMIC").status == "found"


def test_cache_from_another_layout_is_rebuilt(data_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    SecurityMaster.load(data_dir, cache_dir=cache_dir)
    monkeypatch.setattr(master_module, "_CACHE_LAYOUT", master_module._CACHE_LAYOUT + 1)
    parsed: list[int] = []
    real = master_module._parse_issuers

    def counting(*args: object, **kwargs: object) -> object:
        parsed.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(master_module, "_parse_issuers", counting)
    assert SecurityMaster.load(data_dir, cache_dir=cache_dir).resolve("腾讯").issuer is not None
    assert parsed == [1]


def test_unwritable_cache_dir_still_loads(data_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    master = SecurityMaster.load(data_dir, cache_dir=blocker / "cache")
    assert master.resolve("0700.HK").issuer is not None


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKERWIRE_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert default_cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("TICKERWIRE_CACHE_DIR")
    assert default_cache_dir().name == "tickerwire"


def test_the_alias_index_is_read_when_a_name_is_first_looked_up(data_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    fresh = SecurityMaster.load(data_dir, cache_dir=cache_dir)
    assert [p.name.split("-")[0] for p in sorted(cache_dir.iterdir())] == ["aliases", "master"]

    def no_building(*args: object) -> None:
        raise AssertionError("the alias index was built although its cache is fresh")

    monkeypatch.setattr(master_module._AliasLookups, "build", no_building)
    cached = SecurityMaster.load(data_dir, cache_dir=cache_dir)
    assert cached.resolve("0981.HK").issuer == fresh.resolve("0981.HK").issuer
    assert cached.issuer_for_listing("00700.HK") == fresh.issuer_for_listing("00700.HK")
    assert cached._alias_lookups is None, "a code needs no alias"
    assert answers(cached) == answers(fresh)
    assert cached._alias_lookups is not None


def _keys_not_the_aliases(path: Path) -> bytes:
    payload = pickle.loads(path.read_bytes())
    payload["keys"] = payload["keys"][:-1]
    return pickle.dumps(payload)


ALIAS_DAMAGE = [
    pytest.param(lambda path: b"not a pickle at all", id="garbage"),
    pytest.param(lambda path: b"cos\nsystem\n(S'echo hi'\ntR.", id="class-reference"),
    pytest.param(lambda path: b"\x80\x04K\x01.", id="an-int"),
    pytest.param(_keys_not_the_aliases, id="keys-not-the-aliases"),
]


@pytest.mark.parametrize("damage", ALIAS_DAMAGE)
def test_a_damaged_alias_index_is_rebuilt(data_dir: Path, tmp_path: Path, damage: object,
                                          caplog: pytest.LogCaptureFixture) -> None:
    cache_dir = tmp_path / "cache"
    fresh = SecurityMaster.load(data_dir, cache_dir=cache_dir)
    [alias_file] = cache_dir.glob("aliases-*.pickle")
    alias_file.write_bytes(damage(alias_file))  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="tickerwire"):
        master = SecurityMaster.load(data_dir, cache_dir=cache_dir)
        assert answers(master) == answers(fresh)
    assert "unreadable master alias cache" in caplog.text
    assert alias_file.stat().st_size > 100_000  # rewritten whole
    assert answers(SecurityMaster.load(data_dir, cache_dir=cache_dir)) == answers(fresh)
