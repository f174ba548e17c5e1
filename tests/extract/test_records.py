"""extract/records.py makes the same objects as the model's dataclass constructors."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tickerwire.extract import records
from tickerwire.model import Event, Fact, IndexMention, Mention, Relevance, SentimentEvidence, Verification

_VERIFICATION = Verification("confirmed", "pct", 2.1, 2.08, -0.02, date(2025, 10, 6))

# (maker, class, a full set of field values: every field differs from its default)
CASES: list[tuple[Callable[..., Any], type, dict[str, Any]]] = [
    (
        records.fact,
        Fact,
        {
            "kind": "price_move", "subject": "00700.HK", "value": 612.0, "pct": 2.1, "points": 12.5,
            "price": 612.0, "currency": "HKD", "qualifier": "about", "text": "騰訊升2.1%至612港元",
            "start": 3, "end": 17, "value_max": 620.0, "previous": 600.0, "horizon": "close",
            "day": date(2025, 10, 6), "verification": _VERIFICATION,
        },
    ),
    (
        records.mention,
        Mention,
        {
            "issuer": "00981.HK", "name": "SMIC", "listing": "688981.SH", "listings": ("00981.HK", "688981.SH"),
            "text": "中芯国际", "start": 0, "end": 4, "confidence": 0.95, "via": "code", "role": "broker",
        },
    ),
    (records.index_mention, IndexMention, {"index": "HSI", "text": "Hang Seng Index", "start": 4, "end": 19}),
    (
        records.event,
        Event,
        {
            "type": "ipo", "subjects": ("02097.HK",), "text": "Mixue priced its IPO at HK$202.5", "start": 0,
            "end": 32, "attributes": {"stage": "priced", "offer_price": 202.5},
        },
    ),
    (records.evidence, SentimentEvidence, {"text": "surged", "start": 10, "end": 16, "weight": 1.5}),
    (
        records.relevance,
        Relevance,
        {"issuer": "00700.HK", "level": "headline", "count": 3, "related_claimed": True, "confirmed": True},
    ),
]


@pytest.mark.parametrize(("maker", "cls", "values"), CASES, ids=[c[1].__name__ for c in CASES])
def test_maker_takes_the_fields_of_its_class_in_order_with_their_defaults(
    maker: Callable[..., Any], cls: type, values: dict[str, Any]
) -> None:
    parameters = inspect.signature(maker).parameters
    fields = dataclasses.fields(cls)
    assert list(parameters) == [f.name for f in fields]
    assert set(values) == set(parameters)
    for f in fields:
        default = parameters[f.name].default
        if f.default is not dataclasses.MISSING:
            assert default == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert default is None, f.name  # None: made afresh, as the factory does
        else:
            assert default is inspect.Parameter.empty, f.name


@pytest.mark.parametrize(("maker", "cls", "values"), CASES, ids=[c[1].__name__ for c in CASES])
def test_maker_makes_what_the_constructor_makes(maker: Callable[..., Any], cls: type, values: dict[str, Any]) -> None:
    made, expected = maker(**values), cls(**values)
    assert type(made) is cls
    assert made == expected and hash_or_none(made) == hash_or_none(expected)
    assert repr(made) == repr(expected)
    for f in dataclasses.fields(cls):  # each value equal and of the same type (a float stays a float)
        got, want = getattr(made, f.name), getattr(expected, f.name)
        assert got == want and type(got) is type(want), f.name
    assert pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, None)  # still frozen


@pytest.mark.parametrize(("maker", "cls", "values"), CASES, ids=[c[1].__name__ for c in CASES])
def test_maker_defaults_equal_the_constructor_defaults(
    maker: Callable[..., Any], cls: type, values: dict[str, Any]
) -> None:
    required = {f.name: values[f.name] for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    assert maker(**required) == cls(**required)


def test_event_attributes_default_to_a_new_dict_each_time() -> None:
    first, second = records.event("ipo", (), "", 0, 0), records.event("ipo", (), "", 0, 0)
    assert first.attributes == {} and first.attributes is not second.attributes


@pytest.mark.parametrize(
    ("record", "changes"),
    [
        (
            Fact("price_move", "00700.HK", pct=-1.2, text="跌1.2%", start=5, end=10),
            {"horizon": "ytd", "day": date(2025, 1, 2)},
        ),
        (Fact("turnover", "HK", value=2.5e11, currency="HKD"), {"day": None}),
        (Mention("D05.SG", "DBS", "D05.SG", ("D05.SG",), "DBS", 0, 3, 0.9), {"role": "broker"}),
        (Event("ipo", ("02097.HK",), "上市", 0, 2), {"attributes": {"stage": "listed"}}),
    ],
    ids=["fact horizon and day", "fact day", "mention role", "event attributes"],
)
def test_replaced_is_dataclasses_replace(record: Any, changes: dict[str, Any]) -> None:
    made = records.replaced(record, **changes)
    assert made == dataclasses.replace(record, **changes)
    assert type(made) is type(record) and made is not record


def hash_or_none(record: Any) -> int | None:
    try:
        return hash(record)
    except TypeError:  # a field holds a dict
        return None


@pytest.mark.parametrize(
    ("fact", "horizon", "day"),
    [
        (Fact("price_move", "00700.HK", pct=-1.2, text="跌1.2%", start=5, end=10), "ytd", date(2025, 1, 2)),
        (Fact("index_level", "HSI", value=25000.0, pct=0.8, horizon="close"), None, date(2024, 12, 31)),
        (Fact("turnover", "HK", value=2.5e11, currency="HKD", day=date(2025, 3, 4)), None, None),
        (
            Fact("close_price", "09988.HK", value=80.5, price=80.5, currency="HKD", previous=79.0, value_max=81.0),
            "intraday",
            None,
        ),
    ],
    ids=["move", "level", "turnover", "every other field set"],
)
def test_dated_is_replace_of_horizon_and_day(fact: Fact, horizon: str | None, day: date | None) -> None:
    made = records.dated(fact, horizon, day)
    expected = dataclasses.replace(fact, horizon=horizon, day=day)
    assert made == expected == records.replaced(fact, horizon=horizon, day=day)
    assert type(made) is Fact and made is not fact


def test_a_facts_day_follows_its_horizon() -> None:
    """``dated`` writes the two fields as one slice of the field order."""
    names = [f.name for f in dataclasses.fields(Fact)]
    assert names.index("day") == names.index("horizon") + 1
