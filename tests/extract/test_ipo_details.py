"""IPO details read from event sentences: stages reported as done, stated days, hedges, prices.

The sentences are written here (company names are made up unless a real code is given).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tickerwire.extract import Pipeline
from tickerwire.extract.ipo_details import company_name, ipo_attributes
from tickerwire.extract.ipo_words import Named, reported_stages, sentence_subject
from tickerwire.model import Article, Event

TUESDAY = date(2025, 10, 28)


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("Acme filed a listing application on October 9.", date(2025, 10, 20),
         [("filed", date(2025, 10, 9))]),
        ("Acme will debut on November 6.", date(2025, 11, 3), []),
        ("Acme could go to a listing hearing within weeks.", date(2025, 10, 16), []),
        ("Acme debuted on Thursday.", date(2025, 11, 6), [("listed", date(2025, 11, 6))]),
        ("Acme debuts on Thursday.", date(2025, 11, 3), []),
        ("云帆科技周四掛牌", date(2025, 11, 3), []),
        ("云帆科技明日挂牌", date(2025, 10, 27), []),
        ("云帆科技今日挂牌", date(2025, 10, 28), [("listed", date(2025, 10, 28))]),
        ("云帆科技将于今晚定价,11月6日挂牌。", date(2025, 11, 3), []),
        ("云帆科技H股定價162港元 周四掛牌", date(2025, 11, 3), [("priced", date(2025, 11, 3))]),
        ("云帆科技於10月9日遞交上市申請", date(2025, 10, 23), [("filed", date(2025, 10, 9))]),
        ("Acme priced its offering in December.", date(2026, 1, 5), [("priced", date(2026, 1, 5))]),
        # bookbuilding: the offer is open
        ("Acme kicked off bookbuilding for its Hong Kong IPO on Monday.", TUESDAY,
         [("bookbuilding", date(2025, 10, 27))]),
        ("Acme's retail tranche was oversubscribed 120 times.", TUESDAY, [("bookbuilding", TUESDAY)]),
        ("云帆科技今日起招股，周五截止。", TUESDAY, [("bookbuilding", TUESDAY)]),
        ("雲帆科技公開發售獲超額認購85倍。", TUESDAY, [("bookbuilding", TUESDAY)]),
        ("云帆科技拟于下周招股。", TUESDAY, []),
        ("云帆科技已递交招股书。", TUESDAY, [("filed", TUESDAY)]),  # 招股书: a filing, not an open offer
        ("Acme is expected to launch its IPO next week.", TUESDAY, []),
        # withdrawals and lapses
        ("Acme withdrew its listing application last month.", TUESDAY,
         [("withdrawn", TUESDAY), ("filed", TUESDAY)]),
        ("云帆科技的上市申请已失效。", TUESDAY, [("lapsed", TUESDAY), ("filed", TUESDAY)]),
    ],
)
def test_reported_stages(text: str, day: date, expected: list[tuple[str, date]]) -> None:
    assert [(w.stage, w.on or day) for w in reported_stages(text, day)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme debuted on Thursday.", []),  # an undated article cannot tell past from coming
        ("Acme debuted in Hong Kong.", ["listed"]),
        ("云帆科技今日挂牌", []),
        ("云帆科技已通过聆讯", ["hearing"]),
    ],
)
def test_undated_articles_count_only_stages_without_a_stated_day(text: str, expected: list[str]) -> None:
    assert [w.stage for w in reported_stages(text, None)] == expected


def _named(text: str, *names: str) -> list[Named]:
    return [Named(name, text.index(name), text.index(name) + len(name)) for name in names]


@pytest.mark.parametrize(
    ("text", "names", "subject"),
    [
        ("Montage files for Hong Kong listing, following GigaDevice.",
         ("Montage", "GigaDevice"), "Montage"),
        ("The filing comes after GigaDevice refiled its application.", ("GigaDevice",), None),
        ("CATL, Hengrui and Sany have listed this year.", ("CATL", "Hengrui", "Sany"), None),
        ("宁德时代、恒瑞医药等已赴港上市。", ("宁德时代", "恒瑞医药"), None),
        ("兆易创新向港交所递交上市申请。", ("兆易创新", "港交所"), "兆易创新"),
        ("Shares of Acme rose on their debut.", ("Acme",), None),
        ("Chip designer Montage (688008.SH) and its bankers filed.", ("Montage",), "Montage"),
    ],
)
def test_sentence_subject(text: str, names: tuple[str, ...], subject: str | None) -> None:
    assert sentence_subject(text, _named(text, *names)) == subject


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Acme Robotics Holdings filed a listing application in Hong Kong.", "Acme Robotics Holdings"),
        ("The company's journey took a month from its refiled application.", None),
        ("Bankers said the pipeline is heavy.", None),
        ("云帆智能科技递交上市申请。", "云帆智能科技"),
        ("根据招股书,募集资金将用于研发。", None),
    ],
)
def test_company_names_of_unresolved_events(text: str, name: str | None) -> None:
    assert company_name(text) == name


def _attributes(text: str, etype: str = "ipo", names: tuple[str, ...] = ("Acme",),
                day: date | None = TUESDAY, **kwargs: Any) -> dict[str, Any]:
    named = [Named(f"{n} {n}.HK", text.index(n), text.index(n) + len(n)) for n in names]
    return ipo_attributes(text, etype, named, day, **kwargs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme priced its IPO at HK$16.80 per share, the top of the range.",
         {"offer_price": 16.8, "currency": "HKD", "stage": "priced"}),
        ("Acme set the offer price at HK$8.50 a share, raising HK$1.2 billion.",
         {"offer_price": 8.5, "currency": "HKD", "stage": "priced"}),
        ("Acme is marketing its shares at HK$15 to HK$16.80 each.",
         {"price_low": 15.0, "price_high": 16.8, "currency": "HKD"}),
        ("Acme launched its Hong Kong IPO, with a price range of HK$15-16.80.",
         {"price_low": 15.0, "price_high": 16.8, "currency": "HKD", "stage": "bookbuilding"}),
        ("Acme今日起招股，招股价介乎15至16.8港元。",
         {"price_low": 15.0, "price_high": 16.8, "currency": "HKD", "stage": "bookbuilding"}),
        ("Acme每股發售價介乎15.00港元至16.80港元，發售價將於周五釐定。",
         {"price_low": 15.0, "price_high": 16.8, "currency": "HKD", "stage": "bookbuilding"}),
        ("Acme H股定价每股16.8港元。", {"offer_price": 16.8, "currency": "HKD", "stage": "priced"}),
        ("Acme首日挂牌，较发售价16.8港元高35%。",
         {"offer_price": 16.8, "currency": "HKD", "stage": "listed"}),
        ("Acme's shares rose 13% above the HK$16.80 offer price on their second day.",
         {"offer_price": 16.8, "currency": "HKD", "stage": "priced"}),
        ("Acme priced its shares at the top of the range of HK$15 to HK$16.80.",
         {"price_low": 15.0, "price_high": 16.8, "offer_price": 16.8, "currency": "HKD", "stage": "priced"}),
        ("Acme的H股發售價定於招股價範圍15.00至16.80港元的下限。",
         {"price_low": 15.0, "price_high": 16.8, "offer_price": 15.0, "currency": "HKD", "stage": "priced"}),
        # proceeds are not a price per share, and a range without a price word is not an offer
        ("Acme priced its offering to raise HK$4.6 billion.", {"stage": "priced"}),
        ("Acme shares traded between HK$15 and HK$17.", {}),
    ],
)
def test_offer_prices_and_ranges(text: str, expected: dict[str, Any]) -> None:
    attributes = _attributes(text)
    assert {k: attributes[k] for k in attributes if k in expected} == expected
    for key in ("offer_price", "price_low", "price_high", "stage"):
        assert (key in attributes) == (key in expected), key


def test_a_priced_word_with_only_a_range_is_bookbuilding() -> None:
    attributes = _attributes("Acme's offer price is between HK$15 and HK$16.80 a share.")
    assert attributes["stages"] == [{"stage": "bookbuilding"}]


@pytest.mark.parametrize(
    ("text", "etype", "expected"),
    [
        ("Acme filed a listing application on October 9.", "listing_application",
         {"subject": "Acme.HK", "stage": "filed", "stages": [{"stage": "filed", "on": "2025-10-09"}],
          "hedged": False}),
        ("Acme's listing application was accepted by the exchange.", "listing_application",
         {"subject": "Acme.HK", "stage": "filed", "stages": [{"stage": "filed"}], "hedged": False}),
        ("Acme plans to seek a listing in Hong Kong.", "listing_application",
         {"subject": "Acme.HK", "hedged": True}),
        ("Acme拟于下月递交上市申请。", "listing_application", {"subject": "Acme.HK", "hedged": True}),
        ("Acme于10月9日递交上市申请，昨日通过聆讯。", "listing_application",
         {"subject": "Acme.HK", "stage": "hearing",
          "stages": [{"stage": "hearing", "on": "2025-10-27"}, {"stage": "filed", "on": "2025-10-09"}],
          "hedged": False}),
    ],
)
def test_stages_dates_and_hedges(text: str, etype: str, expected: dict[str, Any]) -> None:
    assert _attributes(text, etype) == expected


def test_the_first_day_return_is_the_debut_move_of_the_company() -> None:
    text = "Acme jumped 35% above its offer price on its trading debut, while Beta fell 2%."
    attributes = _attributes(text, names=("Acme", "Beta"),
                             debut_moves=[("Acme.HK", 35.0), ("Beta.HK", -2.0)])
    assert attributes["first_day_return"] == 35.0
    assert attributes["stage"] == "listed"
    # no debut reported: no first-day return
    assert "first_day_return" not in _attributes("Acme will debut on Friday.", debut_moves=[("Acme.HK", 3.0)])


def test_several_companies_listed_together_have_no_subject() -> None:
    text = "Acme, Beta and Gamma have debuted in Hong Kong this year."
    attributes = _attributes(text, names=("Acme", "Beta", "Gamma"))
    assert "subject" not in attributes and "stages" not in attributes


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Zijin Gold (02259.HK) surged 60% above its offer price on its trading debut on Tuesday.", "en",
         {"subject": "02259.HK", "stage": "listed", "first_day_return": 60.0}),
        ("Zijin Gold (02259.HK) priced its IPO at HK$71.59 per share.", "en",
         {"subject": "02259.HK", "stage": "priced", "offer_price": 71.59, "currency": "HKD"}),
        ("紫金黄金国际(02259)今日起招股，招股价介乎65.00港元至71.59港元。", "zh",
         {"subject": "02259.HK", "stage": "bookbuilding", "price_low": 65.0, "price_high": 71.59}),
    ],
)
def test_the_pipeline_stores_the_attributes_on_ipo_events(
    pipeline: Pipeline, text: str, lang: str, expected: dict[str, Any]
) -> None:
    ex = pipeline(Article(text=text, lang=lang, published_at=datetime(2025, 10, 28, 2, tzinfo=UTC)))
    (event,) = [e for e in ex.events if e.type == "ipo"]
    assert {k: event.attributes.get(k) for k in expected} == expected
    assert event.to_dict()["attributes"] == dict(event.attributes)
    assert all(e.attributes == {} for e in ex.events if e.type != "ipo")


def test_events_keep_their_attributes_through_the_model() -> None:
    event = Event("ipo", ("02259.HK",), "words", 0, 5, {"stage": "listed"})
    assert event.to_dict()["attributes"] == {"stage": "listed"}
    assert Event("ipo", (), "w", 0, 1).to_dict()["attributes"] == {}


ANCHOR_SENTENCES = [
    "Acme filed a listing application on October 9 and will debut on November 6.",
    "The company, which could list as soon as Thursday, priced its offering at the top end of its range.",
    "Acme priced its H shares at HK$16.80, the top of the marketed range of HK$15.50 to HK$16.80.",
    "Acme is expected to launch its IPO next week, pending approval; it refiled on Monday.",
    "Zhongwei Widgets debuted yesterday, 18% above the offer price of HK$12.",
    "云帆科技拟于11月6日挂牌，招股价介乎每股１５．５至１６．８港元，集资一百亿港元。",
    "雲帆科技已通過上市聆訊，預計周四定價，最快下周掛牌，發售價定於區間上限。",
    "云帆科技今日起招股，周五截止，发售价为每股12.5港元，较区间下限高三成。",
]


@pytest.mark.parametrize("text", ANCHOR_SENTENCES)
def test_anchored_stage_hedge_and_price_words_read_as_the_whole_patterns(text: str) -> None:
    """Stage, hedge and price words are tried only where one of their leading literals starts;
    on every prefix of a sentence that finds what the ordinary search finds."""
    from tickerwire.extract import ipo_details, ipo_words

    offer, top, bottom = (re.compile(*p) for p in (ipo_details._OFFER_PRICE, ipo_details._RANGE_TOP,
                                                   ipo_details._RANGE_BOTTOM))
    for cut in range(1, len(text) + 1, 2):
        piece = text[:cut]
        hits, reference = ipo_words.scan_words(piece), ipo_words._ANCHORED.unfiltered()
        for day in (TUESDAY, None):
            assert reported_stages(piece, day, hits) == reported_stages(piece, day, reference)
        assert ipo_words.first_stage_word(piece, hits) == ipo_words.first_stage_word(piece, reference)
        assert ipo_words.is_hedged(piece, hits) == ipo_words.is_hedged(piece, reference)
        words = list(offer.finditer(piece))
        expected = ipo_details._stated_prices(piece, words, "HKD") if words else {}
        if "price_low" in expected:
            if top.search(piece):
                expected["offer_price"] = expected["price_high"]
            elif bottom.search(piece):
                expected["offer_price"] = expected["price_low"]
        assert ipo_details._prices(piece, "HKD") == expected


def test_day_words_never_skip_a_clause_that_states_a_day() -> None:
    """A clause is only read for a stated day when it holds a day word; every window the day
    expressions match in holds one (month names, weekdays, 今晚, 週四, full-width digits …)."""
    from tickerwire.extract import ipo_words

    texts = [*ANCHOR_SENTENCES, "Acme lists on Mar. 5; the market declined separately.",
             "云帆科技将于今晚定价，明早公布结果，星期四（１１月６日）挂牌，昨晚已完成路演。",
             "Acme will price tomorrow and debut on the 6th November; it filed on Sept 9."]
    stated = skipped = 0
    for text in texts:
        hits = ipo_words.scan_words(text)
        cuts = sorted({*range(0, len(text), 3), len(text)})
        for a in cuts:
            for b in (c for c in cuts if c > a):
                found = hits.search(ipo_words._DAY_WORDS_AT, text, a, b)
                if ipo_words._STATED_DAY.search(text, a, b):
                    stated += 1
                    assert found, text[a:b]
                skipped += found is None
    assert stated > 100 and skipped > 100
