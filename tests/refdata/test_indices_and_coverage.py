"""Index names, coverage thresholds and loading errors of the packaged security master."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tickerwire.errors import RefdataError
from tickerwire.refdata.master import LISTING_KINDS, SecurityMaster, default_data_dir, load_master


@pytest.fixture(scope="module")
def master() -> SecurityMaster:
    return load_master()


INDEX_NAMES = [
    ("Hang Seng Index", "HSI"),
    ("HSI", "HSI"),
    ("Hang Seng", "HSI"),
    ("恒指", "HSI"),
    ("恒生指数", "HSI"),
    ("恒生指數", "HSI"),
    ("Hang Seng China Enterprises Index", "HSCEI"),
    ("China Enterprises Index", "HSCEI"),
    ("National Index", "HSCEI"),
    ("H-share index", "HSCEI"),
    ("国企指数", "HSCEI"),
    ("國企指數", "HSCEI"),
    ("国指", "HSCEI"),
    ("國指", "HSCEI"),
    ("Hang Seng Tech Index", "HSTECH"),
    ("Hang Seng TECH", "HSTECH"),
    ("HSTI", "HSTECH"),
    ("HS Tech", "HSTECH"),
    ("恒生科技指数", "HSTECH"),
    ("恒生科技指數", "HSTECH"),
    ("恒科", "HSTECH"),
    ("科指", "HSTECH"),
    ("Red Chip Index", "HSCCI"),
    ("Hang Seng China-Affiliated Corporations Index", "HSCCI"),
    ("红筹指数", "HSCCI"),
    ("恒生港股通高持股50指數", "HS_SC_HIGH_HOLD50"),
    ("上证指数", "SSE"),
    ("上證指數", "SSE"),
    ("沪指", "SSE"),
    ("滬指", "SSE"),
    ("上证综指", "SSE"),
    ("Shanghai Composite", "SSE"),
    ("深证成指", "SZSE"),
    ("深成指", "SZSE"),
    ("深證成指", "SZSE"),
    ("创业板指", "CHINEXT"),
    ("創業板指", "CHINEXT"),
    ("科创50", "STAR50"),
    ("科創50", "STAR50"),
    ("沪深300", "CSI300"),
    ("滬深300", "CSI300"),
    ("CSI 300", "CSI300"),
    ("CSI 500", "CSI500"),
    ("CSI 1000", "CSI1000"),
    ("SSE 50", "SSE50"),
    ("FTSE China A50", "FTSE_CHINA_A50"),
    ("MSCI China", "MSCI_CHINA"),
    ("S&P 500", "SPX"),
    ("Nasdaq Composite", "NASDAQ_COMP"),
    ("Nasdaq", "NASDAQ_COMP"),
    ("Nasdaq 100", "NDX"),
    ("Dow Jones", "DJI"),
    ("Philadelphia Semiconductor Index", "SOX"),
    ("Nikkei 225", "N225"),
    ("日经225", "N225"),
    ("日經225", "N225"),
    ("TOPIX", "TOPIX"),
    ("Kospi", "KOSPI"),
    ("Taiex", "TWSE"),
    ("hang seng index", "HSI"),
]


@pytest.mark.parametrize(("text", "index_id"), INDEX_NAMES)
def test_index_names(master: SecurityMaster, text: str, index_id: str) -> None:
    info = master.resolve_index(text)
    assert info is not None, text
    assert info.id == index_id


def test_index_records_have_three_names(master: SecurityMaster) -> None:
    required = {"HSI", "HSCEI", "HSTECH", "HSCCI", "SSE", "SZSE", "CSI300", "STAR50", "CHINEXT",
                "MSCI_CHINA", "SPX", "NDX", "DJI", "SOX", "N225", "TOPIX", "KOSPI",
                "HS_SC_HIGH_HOLD50", "CSI500", "CSI1000", "SSE50", "TWSE", "FTSE_CHINA_A50",
                "NASDAQ_COMP"}
    assert required <= set(master.indices)
    hsi = master.indices["HSI"]
    assert (hsi.name_en, hsi.name_zh_hans, hsi.name_zh_hant) == (
        "Hang Seng Index", "恒生指数", "恒生指數")
    assert hsi.market == "HK"
    for info in master.indices.values():
        assert info.name_en and info.name_zh_hans and info.name_zh_hant and info.aliases


@pytest.mark.parametrize("text", ["Tencent", "恒生银行", "index", ""])
def test_not_an_index(master: SecurityMaster, text: str) -> None:
    assert master.resolve_index(text) is None


def test_coverage_thresholds(master: SecurityMaster) -> None:
    cov = master.coverage()
    assert cov["hk_equities"] >= 2500
    assert cov["a_shares"] >= 5000
    assert cov["ah_pairs"] >= 150
    assert cov["adrs"] >= 15
    assert cov["curated_issuers"] >= 300
    assert cov["sg_twins"] >= 2
    assert cov["aliases_en"] > 10000
    assert cov["aliases_zh_hans"] > 10000
    assert cov["aliases_zh_hant"] > 5000
    assert cov["indices"] >= 24
    assert cov["issuers"] == len(master.issuers)


def test_every_issuer_is_well_formed(master: SecurityMaster) -> None:
    kinds = set(LISTING_KINDS)
    seen: set[str] = set()
    for issuer_id, issuer in master.issuers.items():
        assert issuer.id == issuer_id
        assert issuer.listings and issuer.name
        assert issuer.id in issuer.codes
        for listing in issuer.listings:
            assert listing.kind in kinds
            assert listing.code not in seen, listing.code
            seen.add(listing.code)
        hk = [li for li in issuer.listings if li.code.endswith(".HK") and li.kind != "other"]
        if hk and issuer.id.endswith(".HK"):
            assert issuer.id == min(li.code for li in hk if li.board != "RMB counter")


def test_load_is_quick() -> None:
    # a generous bound: the target on an idle machine is well under half a second
    start = time.perf_counter()
    SecurityMaster.load()
    assert time.perf_counter() - start < 5.0


def test_missing_files_raise_refdata_error(tmp_path: Path) -> None:
    with pytest.raises(RefdataError, match="not found"):
        SecurityMaster.load(tmp_path)


def test_corrupt_issuers_raise_refdata_error(tmp_path: Path) -> None:
    for name in ("manifest.json", "indices.json"):
        shutil.copy(default_data_dir() / name, tmp_path / name)
    (tmp_path / "issuers.jsonl").write_text('{"id": "00001.HK"}\n{not json\n', encoding="utf-8")
    with pytest.raises(RefdataError, match="line 1"):
        SecurityMaster.load(tmp_path)


def test_wrong_format_version(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(RefdataError, match="format"):
        SecurityMaster.load(tmp_path)


def test_load_master_is_cached() -> None:
    assert load_master() is load_master()
