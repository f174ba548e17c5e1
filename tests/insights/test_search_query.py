"""Which securities a search query names, and how its terms group into clauses."""

from __future__ import annotations

import pytest

from tickerwire.errors import InvalidInputError
from tickerwire.insights.search import security_named, security_query, short_name
from tickerwire.refdata.master import load_master


def clauses(text: str) -> list[tuple[tuple[str, ...], str | None]]:
    query, _ = security_query(text)
    assert query is not None
    return [(clause.terms, clause.listings[0] if clause.listings else None)
            for clause in query.clauses]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SMIC", [(("SMIC",), "00981.HK")]),
        ("ＳＭＩＣ", [(("ＳＭＩＣ",), "00981.HK")]),
        ("中芯國際", [(("中芯國際",), "00981.HK")]),
        ("中芯", [(("中芯",), "00981.HK")]),
        ("981", [(("981",), "00981.HK")]),  # a bare number alone names a Hong Kong code
        ("688981.SH", [(("688981.SH",), "00981.HK")]),  # any listing: the issuer's codes
        ("騰訊", [(("騰訊",), "00700.HK")]),
        ("Tencent Holdings", [(("Tencent", "Holdings"), "00700.HK")]),  # the whole run
        ("Ping An results", [(("Ping", "An"), "02318.HK"), (("results",), None)]),
        ("SMIC 南向资金", [(("SMIC",), "00981.HK"), (("南向资金",), None)]),
        ("tariffs", [(("tariffs",), None)]),  # a plain word
        ("Hang Seng", [(("Hang",), None), (("Seng",), None)]),  # an index, not a company
        ("2025 results", [(("2025",), None), (("results",), None)]),  # a year stays a year
        ('"chip stocks" SMIC', [(("chip stocks",), None), (("SMIC",), "00981.HK")]),
    ],
)
def test_runs_of_terms_that_name_a_security_become_one_clause(
    text: str, expected: list[tuple[tuple[str, ...], str | None]]
) -> None:
    assert clauses(text) == expected


def test_a_security_clause_covers_every_listing() -> None:
    query, named = security_query("中芯")
    assert query is not None
    [clause] = query.clauses
    assert {"00981.HK", "688981.SH"} <= set(clause.listings)
    assert clause.name == "SMIC"
    assert [header.id for header in named] == ["00981.HK"]


def test_empty_and_bad_queries() -> None:
    assert security_query("") == (None, ())
    with pytest.raises(InvalidInputError, match="U\\+0000"):
        security_query("SMIC\x00")
    with pytest.raises(InvalidInputError, match="no words"):
        security_query('""')


@pytest.mark.parametrize(
    ("text", "issuer"),
    [("SMIC", "00981.HK"), ("0981.HK", "00981.HK"), ("中芯國際", "00981.HK"),
     ("  tencent  holdings ", "00700.HK"), ("700", "00700.HK"), ("tariffs", None),
     ("SMIC results", None), ("", None)],
)
def test_security_named_is_exact(text: str, issuer: str | None) -> None:
    found = security_named(text)
    assert (found.id if found else None) == issuer


@pytest.mark.parametrize(
    ("code", "name"),
    [("00981.HK", "SMIC"), ("00700.HK", "Tencent"), ("03690.HK", "Meituan"),
     ("02318.HK", "Ping An"), ("00941.HK", "China Mobile")],
)
def test_short_names(code: str, name: str) -> None:
    assert short_name(load_master().issuers[code]) == name
