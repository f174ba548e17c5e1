"""Bare tickers typed without their market (``AAPL``, ``C6L``) resolve when one issuer has them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tickerwire.cli import app
from tickerwire.refdata.master import Alias, Issuer, Listing, SecurityMaster, load_master


@pytest.fixture(scope="module")
def master() -> SecurityMaster:
    return load_master()


@pytest.mark.parametrize(
    ("text", "issuer_id"),
    [
        ("AAPL", "AAPL.US"),
        ("aapl", "AAPL.US"),
        (" NVDA ", "NVDA.US"),
        ("TSLA", "TSLA.US"),
        ("TCOM", "09961.HK"),  # Trip.com's ADR line leads to the HK issuer
        ("BIDU", "09888.HK"),
        ("C6L", "C6L.SG"),  # Singapore Airlines
        ("HSBA", "00005.HK"),  # London line of HSBC
    ],
)
def test_bare_ticker_resolves_to_its_issuer(
    master: SecurityMaster, text: str, issuer_id: str
) -> None:
    resolution = master.resolve(text)
    assert resolution.status == "found", text
    assert resolution.issuer is not None and resolution.issuer.id == issuer_id


@pytest.mark.parametrize("text", ["ZZZZ", "QQQQQ", "AAPLX", "苹果公司不存在"])
def test_unlisted_ticker_stays_unknown(master: SecurityMaster, text: str) -> None:
    assert master.resolve(text).status == "unknown"


def test_a_name_still_wins_over_a_ticker(master: SecurityMaster) -> None:
    # "HSBC" is both a name and the ADR ticker; both lead to the same Hong Kong issuer
    assert master.resolve("HSBC").issuer is master.resolve("00005.HK").issuer


def _issuer(issuer_id: str, name: str, *codes: str) -> Issuer:
    listings = tuple(
        Listing(code, code.rpartition(".")[2], "US", "USD", None, name, None) for code in codes
    )
    return Issuer(
        issuer_id, name, name, None, None, listings, (Alias(name, "en", "official", None),),
        (), None, curated=False,
    )


def test_a_ticker_listed_by_two_issuers_is_ambiguous() -> None:
    first = _issuer("ABC.US", "Alpha Beta Corp", "ABC.US")
    second = _issuer("ABC.SG", "Alpha Beta Singapore Ltd", "ABC.SG")
    only = _issuer("XYZ.US", "Xylo Zeta Inc", "XYZ.US")
    master = SecurityMaster({i.id: i for i in (first, second, only)}, {})
    resolution = master.resolve("abc")
    assert resolution.status == "ambiguous"
    assert {c.id for c in resolution.candidates} == {"ABC.US", "ABC.SG"}
    assert master.resolve("XYZ").issuer is only


def test_cli_securities_finds_a_bare_us_ticker() -> None:
    result = CliRunner().invoke(app, ["securities", "AAPL", "--json"])
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["status"] == "found"
    assert obj["issuer"]["id"] == "AAPL.US"
    table = CliRunner().invoke(app, ["securities", "AAPL"])
    assert table.exit_code == 0 and "AAPL.US" in table.stdout
