"""The taxonomy registry: one entry per fact kind and event type, read by every renderer and the grader."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tickerwire import display, evaluation, taxonomy
from tickerwire.errors import InvalidInputError
from tickerwire.insights.brief import RISK_TYPES
from tickerwire.refdata.rules import load_rules


def test_names_are_unique_and_labelled() -> None:
    assert len(taxonomy.FACT_KINDS) == len(taxonomy.FACTS)
    assert len(taxonomy.EVENT_TYPES) == len(taxonomy.EVENTS)
    for entry in (*taxonomy.FACTS, *taxonomy.EVENTS):
        assert entry.name.isidentifier() and entry.name == entry.name.lower()
        assert entry.label and not entry.label[0].islower()


def test_a_name_in_both_tables_has_one_label() -> None:
    for name in set(taxonomy.FACT_KINDS) & set(taxonomy.EVENT_TYPES):
        assert taxonomy.FACT_KINDS[name].label == taxonomy.EVENT_TYPES[name].label


def test_every_rule_table_event_type_is_in_the_taxonomy() -> None:
    assert set(load_rules().events) <= set(taxonomy.EVENT_TYPE_NAMES)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("southbound_net_inflow", "Southbound net inflow"),
        ("m_and_a", "M&A"),
        ("pe_ratio", "P/E ratio"),
        ("ipo", "IPO"),
        ("share_buyback", "Share buyback"),  # a stored name the taxonomy no longer has
        (None, ""),
    ],
)
def test_label(name: str | None, expected: str) -> None:
    assert taxonomy.label(name) == expected


def test_unknown_names_are_typed_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"unknown fact kind 'dividend'.*price_move"):
        taxonomy.fact_kind("dividend")
    with pytest.raises(InvalidInputError, match=r"unknown event type 'dividend'.*m_and_a"):
        taxonomy.event_type("dividend")
    assert taxonomy.fact_kind("revenue").display == "amount"
    assert taxonomy.event_type("policy").display == "risk"


def test_derived_lists_follow_the_tables() -> None:
    assert taxonomy.AMOUNT_KINDS == (
        "turnover", "southbound_net_inflow", "northbound_net_inflow", "ipo_raise", "market_cap",
        "net_profit", "revenue", "target_price",
    )
    assert taxonomy.MARKET_AMOUNT_KINDS == ("turnover", "southbound_net_inflow", "northbound_net_inflow")
    assert {"price_move", "index_level"} == taxonomy.MOVE_KINDS
    assert {"target_price", "market_cap", "net_profit", "revenue"} == taxonomy.COMPANY_AMOUNT_KINDS
    assert taxonomy.fact_kinds(display="price") == ("target_price", "week52_high", "week52_low", "close_price")
    assert taxonomy.event_types("ipo") == ("ipo", "listing_application")
    assert set(taxonomy.EVENT_TYPE_NAMES) - {"sector_move"} == taxonomy.GRADED_EVENT_TYPES


def test_the_brief_and_the_grader_read_the_registry() -> None:
    assert {"policy", "geopolitics"} == RISK_TYPES
    assert "sector_move" not in evaluation.GRADED_EVENT_TYPES


# One row per display class: how ``display.fact_value`` shows a fact of that kind.
@pytest.mark.parametrize(
    ("kind", "fields", "shown"),
    [
        ("price_move", {"pct": -3.6, "price": 84.1, "currency": "HKD"}, "-3.60% at HK$84.10"),
        ("index_level", {"value": 26160.15, "points": 123.45}, "26,160.15 +123.45 pts"),
        ("turnover", {"value": 118.607e9, "currency": "HKD"}, "HK$118.607bn"),
        ("ipo_raise", {"value": 4.6e9, "currency": "USD", "qualifier": "over"}, ">US$4.6bn"),
        ("target_price", {"value": 80.0, "currency": "HKD"}, "HK$80.00"),
        ("pe_ratio", {"value": 12.5}, "12.5x"),
    ],
)
def test_each_display_class_renders(kind: str, fields: dict[str, object], shown: str) -> None:
    assert display.fact_value(SimpleNamespace(kind=kind, **fields)) == shown


def test_every_fact_kind_renders_its_value() -> None:
    for kind in taxonomy.FACT_KIND_NAMES:
        assert display.fact_value(SimpleNamespace(kind=kind, value=12.0, currency="CNY"))
