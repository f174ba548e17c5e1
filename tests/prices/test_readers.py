"""Price files in each layout users have, and bad rows reported with file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tickerwire.errors import InvalidInputError, PriceFileError
from tickerwire.prices.readers import canonical_code, expand_price_inputs, read_price_files
from tickerwire.refdata.master import SecurityMaster, load_master


@pytest.fixture(scope="module")
def master() -> SecurityMaster:
    return load_master()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_yahoo_csv_code_from_file_name(tmp_path: Path, master: SecurityMaster) -> None:
    path = write(tmp_path / "0700.HK.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n"
                 "2025-10-13,630.0,632.0,615.0,618.5,610.2,21000000\n"
                 "2025-10-14,618.0,620.0,600.0,605.0,597.0,23000000\n")
    bars = read_price_files([path], master)
    assert [(b.code, b.day, b.close, b.currency) for b in bars] == [
        ("00700.HK", date(2025, 10, 13), 618.5, "HKD"), ("00700.HK", date(2025, 10, 14), 605.0, "HKD")]
    assert bars[0].source == "yahoo:0700.HK.csv" and bars[0].volume == 21_000_000


def test_stooq_csv_with_symbol_column(tmp_path: Path, master: SecurityMaster) -> None:
    path = write(tmp_path / "prices.csv", "Symbol,Date,Open,High,Low,Close,Volume\n"
                 "BABA.US,2025-10-13,160.1,162.0,158.0,159.3,1000\n^HSI,2025-10-13,25500,25950,25100,25889.48,\n")
    bars = read_price_files([path], master)
    assert [(b.code, b.currency) for b in bars] == [("BABA.US", "USD"), ("HSI", None)]
    assert bars[1].volume is None


def test_tushare_units_and_index_codes(tmp_path: Path, master: SecurityMaster) -> None:
    path = write(tmp_path / "daily.csv", "ts_code,trade_date,open,high,low,close,pre_close,change,pct_chg,vol,amount\n"
                 "688981.SH,20251009,132.0,140.0,131.0,138.50,131.78,6.72,5.1,1000.5,138500.0\n"
                 "000300.SH,20251009,4650,4712,4640,4709.48,4640.80,68.68,1.48,200000,500000\n"
                 "399006.SZ,20251009,3240,3270,3230,3261.82,3238.18,23.64,0.73,100,100\n")
    smic, csi300, chinext = read_price_files([path], master)
    assert (smic.code, smic.prev_close, smic.volume, smic.turnover) == ("688981.SH", 131.78, 100050.0, 138_500_000.0)
    assert (csi300.code, chinext.code) == ("CSI300", "CHINEXT")


def test_akshare_chinese_columns_gb18030(tmp_path: Path, master: SecurityMaster) -> None:
    path = write(tmp_path / "603986.csv", "日期,开盘,收盘,最高,最低,成交量,成交额,涨跌幅\n"
                 "2025-10-09,220.00,228.40,229.00,219.00,100000,2284000000,4.2\n", encoding="gb18030")
    (bar,) = read_price_files([path], master)
    assert (bar.code, bar.close, bar.high, bar.turnover, bar.currency) == (
        "603986.SH", 228.4, 229.0, 2_284_000_000.0, "CNY")
    assert bar.source == "akshare:603986.csv"


def test_akshare_with_code_column_and_hk_listing(tmp_path: Path, master: SecurityMaster) -> None:
    path = write(tmp_path / "hk.csv", "日期,股票代码,开盘,收盘,最高,最低,成交量,成交额\n"
                 "2025-10-14,01810,48.1,46.62,48.5,46.0,1000,46620\n")
    (bar,) = read_price_files([path], master)
    assert (bar.code, bar.currency) == ("01810.HK", "HKD")


def test_parquet_with_the_same_columns(tmp_path: Path, master: SecurityMaster) -> None:
    path = tmp_path / "hk_indices.parquet"
    pq.write_table(pa.Table.from_pylist([
        {"code": "HSI", "date": date(2025, 10, 14), "open": 25800.0, "high": 25900.0,
         "low": 25300.0, "close": 25441.35, "prev_close": 25889.48},
        {"code": "HSCEI", "date": date(2025, 10, 14), "open": 9150.0, "high": 9200.0,
         "low": 8990.0, "close": 9020.47, "prev_close": 9187.05},
    ]), path)
    bars = read_price_files([path], master)
    assert [(b.code, b.close, b.prev_close) for b in bars] == [
        ("HSI", 25441.35, 25889.48), ("HSCEI", 9020.47, 9187.05)]


def test_market_totals(tmp_path: Path, master: SecurityMaster) -> None:
    path = write(tmp_path / "turnover.csv", "code,date,turnover,currency\nHK,2025-10-14,318600000000,HKD\n")
    (bar,) = read_price_files([path], master)
    assert (bar.code, bar.close, bar.turnover, bar.currency) == ("HK", None, 318.6e9, "HKD")


@pytest.mark.parametrize(("text", "code"), [
    ("0700.HK", "00700.HK"), ("700 HK", "00700.HK"), ("HK:700", "00700.HK"), ("00700", "00700.HK"),
    ("SH600519", "600519.SH"), ("600519.SS", "600519.SH"), ("603986.CN", "603986.SH"),
    ("000001.SZ", "000001.SZ"), ("000001.SH", "SSE"), ("^HSI", "HSI"), ("hstech", "HSTECH"),
    ("NYSE: BABA", "BABA.US"), ("hk", "HK"),
])
def test_every_code_form(text: str, code: str, master: SecurityMaster) -> None:
    assert canonical_code(text, master) == code


def test_bad_rows_are_reported_with_file_and_line_and_nothing_is_returned(
        tmp_path: Path, master: SecurityMaster) -> None:
    good = write(tmp_path / "0700.HK.csv", "Date,Open,High,Low,Close,Volume\n2025-10-13,630,632,615,618.5,1\n")
    bad = write(tmp_path / "bad.csv", "Symbol,Date,Open,High,Low,Close,Volume\n"
                "0700.HK,2025-10-14,618,620,600,605,1\n"
                "0700.HK,2025-13-01,618,620,600,605,1\n"
                "NOT A CODE,2025-10-14,1,1,1,1,1\n"
                "0005.HK,2025-10-14,100,99,101,100,1\n"
                "0005.HK,2025-10-15,100,101,99,,1\n"
                "0005.HK,2025-10-16,100,101,99,abc,1\n"
                "0700.HK,2025-10-13,630,632,615,619.5,1\n")
    with pytest.raises(PriceFileError) as caught:
        read_price_files([good, bad], master)
    problems = caught.value.problems
    assert [p.split(": ", 1)[0] for p in problems] == [f"{bad}:{n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "is not a date" in problems[0]
    assert "'NOT A CODE' is not a listing code" in problems[1]
    assert "high 99.0 is below low 101.0" in problems[2]
    assert "no close" in problems[3]
    assert "'abc' is not a number" in problems[4]
    assert "differs from the bar at" in problems[5]
    assert "nothing was imported" in str(caught.value)


def test_unknown_layout_and_missing_input(tmp_path: Path, master: SecurityMaster) -> None:
    odd = write(tmp_path / "odd.csv", "when,price\n2025-10-13,1\n")
    with pytest.raises(PriceFileError, match="not a known price layout"):
        read_price_files([odd], master)
    with pytest.raises(InvalidInputError, match="no such file"):
        expand_price_inputs([str(tmp_path / "missing.csv")])


def test_folders_expand_to_price_files(tmp_path: Path) -> None:
    write(tmp_path / "a.csv", "x")
    write(tmp_path / "notes.md", "x")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.parquet", "x")
    assert [p.name for p in expand_price_inputs([str(tmp_path)])] == ["a.csv", "b.parquet"]


def test_sample_prices_read_cleanly(master: SecurityMaster) -> None:
    folder = Path(__file__).resolve().parents[2] / "examples" / "prices"
    bars = read_price_files(expand_price_inputs([str(folder)]), master)
    codes = {b.code for b in bars}
    assert {"HSI", "HSCEI", "HSTECH", "SSE", "CSI300", "HK", "CN", "00981.HK", "688981.SH",
            "603986.SH"} <= codes


def test_a_news_folder_walk_leaves_price_files_out(tmp_path: Path) -> None:
    from tickerwire.sources import expand_inputs

    write(tmp_path / "close.md", "# Hang Seng Index falls")
    write(tmp_path / "0700.HK.csv", "Date,Close\n2025-10-13,618.5\n")
    (tmp_path / "hk.parquet").write_bytes(b"PAR1")
    assert [p.name for p in expand_inputs([str(tmp_path)])] == ["close.md"]
    assert [p.name for p in expand_inputs([str(tmp_path / "0700.HK.csv")])] == ["0700.HK.csv"]
