"""``tickerwire prices import|list`` and ``tickerwire verify`` over the sample news and prices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from price_samples import PRICES, copy_db
from typer.testing import CliRunner, Result

from tickerwire.cli import app
from tickerwire.store import Store


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def db(news_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = copy_db(news_db, tmp_path_factory.mktemp("cli") / "news.db")
    result = run("prices", "import", PRICES, "--db", path, "--json")
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert outcome["new"] > 1000 and outcome["revised"] == 0 and outcome["verdicts"] > 500
    return path


def test_verify_json_counts_and_sources(db: Path) -> None:
    result = run("verify", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    counts = report["counts"]
    assert set(counts) == {"confirmed", "contradicted", "wrong_day", "unverifiable", "unchecked"}
    assert counts["confirmed"] > 10 * counts["contradicted"] > 0
    assert counts["wrong_day"] > 0 and counts["unchecked"] == 0
    by_source = {s["source"]: s for s in report["sources"]}
    harbour = by_source["Harbour Times"]
    assert harbour["checkable"] == harbour["confirmed"] + harbour["contradicted"] + harbour["wrong_day"]
    assert 0.5 < harbour["confirmed_share"] <= 1
    # The deliberate cases of examples/prices/README.md.
    disputed = {(d["subject"], d["day"], d["verdict"]) for d in report["disputed"]}
    assert ("00992.HK", "2025-10-08", "contradicted") in disputed  # misprinted close
    assert ("00941.HK", "2025-10-14", "wrong_day") in disputed  # move on the wrong day


def test_verify_since_narrows(db: Path) -> None:
    whole = json.loads(run("verify", "--db", db, "--json").stdout)
    late = json.loads(run("verify", "--db", db, "--json", "--since", "2025-11-01").stdout)
    assert 0 < late["facts"] < whole["facts"]


def test_verify_table(db: Path) -> None:
    result = run("verify", "--db", db)
    assert result.exit_code == 0
    assert "Verdicts" in result.stdout and "Harbour Times" in result.stdout
    assert "✗ actual" in result.stdout


def test_reimport_is_a_no_op_and_list(db: Path) -> None:
    again = json.loads(run("prices", "import", PRICES, "--db", db, "--json").stdout)
    assert again["new"] == again["revised"] == 0 and again["unchanged"] > 1000
    listed = json.loads(run("prices", "list", "--db", db, "--json").stdout)
    codes = {c["code"]: c for c in listed["codes"]}
    assert codes["HSI"]["first"] <= "2025-10-06" and codes["HSI"]["last"] == "2025-11-07"


def test_bad_rows_exit_2_and_import_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "0700.HK.csv"
    bad.write_text("Date,Open,High,Low,Close,Volume\n2025-10-13,630,632,615,618.5,1\n"
                   "2025-10-14,618,620,600,oops,1\n", encoding="utf-8")
    db = tmp_path / "t.db"
    result = run("prices", "import", bad, "--db", db)
    assert result.exit_code == 2
    assert f"{bad}:3" in result.output and "nothing was imported" in result.output
    assert not db.exists() or Store(db).price_codes() == []


def test_fetch_without_the_extra_or_network_is_one_line(tmp_path: Path) -> None:
    result = run("prices", "fetch", "0700.HK", "--since", "2025-10-01", "--source", "nosuch",
                 "--db", tmp_path / "t.db")
    assert result.exit_code == 2 and "yfinance or akshare" in result.output


def test_verify_needs_an_existing_database(tmp_path: Path) -> None:
    result = run("verify", "--db", tmp_path / "none.db")
    assert result.exit_code == 2 and "ingest news first" in result.output
    assert not (tmp_path / "none.db").exists()
