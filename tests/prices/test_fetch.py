"""``prices fetch`` over recorded provider tables: symbols, columns, and one-line failures."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tickerwire.errors import FetchError, InvalidInputError, PriceFileError
from tickerwire.prices.fetch import akshare_symbol, fetch_bars, yahoo_symbol
from tickerwire.refdata.master import SecurityMaster, load_master

RECORDED = Path(__file__).with_name("recorded")


@pytest.fixture(scope="module")
def master() -> SecurityMaster:
    return load_master()


def replay(source: str):  # type: ignore[no-untyped-def]
    """A download that answers from the recorded table of that provider and symbol."""
    asked: list[tuple[str, date, date]] = []

    def download(symbol: str, since: date, until: date) -> Any:
        asked.append((symbol, since, until))
        frame = pd.read_csv(RECORDED / f"{source}_{symbol}.csv")
        first = frame.columns[0]
        if first == "Date":
            frame[first] = pd.to_datetime(frame[first])
        return frame

    return download, asked


@pytest.mark.parametrize(("code", "yahoo", "akshare"), [
    ("00700.HK", "0700.HK", "00700"), ("600519.SH", "600519.SS", "600519"),
    ("000001.SZ", "000001.SZ", "000001"), ("BABA.US", "BABA", "BABA"),
])
def test_symbols(code: str, yahoo: str, akshare: str) -> None:
    assert (yahoo_symbol(code), akshare_symbol(code)) == (yahoo, akshare)


def test_index_symbols() -> None:
    assert yahoo_symbol("HSI") == "^HSI" and akshare_symbol("CSI300") == "sh000300"
    with pytest.raises(InvalidInputError):
        akshare_symbol("HSI")


def test_yfinance_table(master: SecurityMaster) -> None:
    download, asked = replay("yfinance")
    bars = fetch_bars("yfinance", ["700 HK"], since=date(2025, 10, 13), until=date(2025, 10, 14),
                      master=master, downloads={"yfinance": (yahoo_symbol, download)})
    assert asked == [("0700.HK", date(2025, 10, 13), date(2025, 10, 14))]
    assert [(b.code, b.day, b.close, b.currency, b.source) for b in bars] == [
        ("00700.HK", date(2025, 10, 13), 618.5, "HKD", "yfinance:0700.HK"),
        ("00700.HK", date(2025, 10, 14), 605.0, "HKD", "yfinance:0700.HK")]


def test_akshare_tables(master: SecurityMaster) -> None:
    download, _ = replay("akshare")
    bars = fetch_bars("akshare", ["SH600519", "CSI300"], since=date(2025, 10, 9),
                      until=date(2025, 10, 10), master=master,
                      downloads={"akshare": (akshare_symbol, download)})
    assert [(b.code, b.close, b.turnover) for b in bars] == [
        ("600519.SH", 1446.0, 5_963_000_000.0), ("600519.SH", 1432.5, 5_551_000_000.0),
        ("CSI300", 4709.48, None), ("CSI300", 4616.82, None)]


def test_network_failure_is_one_fetch_error(master: SecurityMaster) -> None:
    def offline(symbol: str, since: date, until: date) -> Any:
        raise OSError("[Errno -3] Temporary failure in name resolution")

    with pytest.raises(FetchError, match=r"yfinance could not fetch 0700\.HK .*check the network"):
        fetch_bars("yfinance", ["00700.HK"], since=date(2025, 10, 1), master=master,
                   downloads={"yfinance": (yahoo_symbol, offline)})


def test_bad_provider_rows_are_reported(master: SecurityMaster) -> None:
    def broken(symbol: str, since: date, until: date) -> Any:
        return pd.DataFrame({"Date": ["2025-10-13"], "Open": [1.0], "High": [1.0], "Low": [2.0],
                             "Close": [1.0], "Volume": [1]})

    with pytest.raises(PriceFileError, match=r"yfinance:0700\.HK:1: high 1\.0 is below low 2\.0"):
        fetch_bars("yfinance", ["00700.HK"], since=date(2025, 10, 1), master=master,
                   downloads={"yfinance": (yahoo_symbol, broken)})


def test_missing_extra(master: SecurityMaster, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "yfinance", None)  # import fails as when not installed
    with pytest.raises(FetchError, match=r"pip install 'tickerwire\[prices\]'"):
        fetch_bars("yfinance", ["00700.HK"], since=date(2025, 10, 1), master=master)
