"""Facts: sentence → expected facts, in English, simplified and traditional Chinese, with negatives."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tickerwire.extract import Pipeline
from tickerwire.model import Article, Extraction, Fact

Extract = Callable[..., Extraction]


def moves(ex: Extraction) -> set[tuple[str | None, float]]:
    return {(f.subject, f.pct) for f in ex.facts if f.kind == "price_move" and f.pct is not None}


def kinds(ex: Extraction, kind: str) -> list[Fact]:
    return [f for f in ex.facts if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SMIC (00981.HK) fell 3.6% to HK$72.15 on Monday.", {("00981.HK", -3.6)}),
        ("Tencent rose 2.1 per cent, while Meituan slipped 0.8 per cent.", {("00700.HK", 2.1), ("03690.HK", -0.8)}),
        ("Kuaishou and Xiaomi both tumbled more than 4%.", {("01024.HK", -4.0), ("01810.HK", -4.0)}),
        ("Shares of Hua Hong were 2.5% lower at HK$40.10.", {("01347.HK", -2.5)}),
        ("The Hang Seng Index closed up 1.2%, or 310 points, at 26,480.", {("HSI", 1.2)}),
        ("中芯国际(00981)跌超3%，华虹半导体涨近2%。", {("00981.HK", -3.0), ("01347.HK", 2.0)}),
        ("藥明生物和藥明康德分別升逾5%和逾7%。", {("02269.HK", 5.0), ("02359.HK", 7.0)}),
        ("恒指收跌1.5%，科指跌2.3%。", {("HSI", -1.5), ("HSTECH", -2.3)}),
        ("比亞迪股份升逾半成。", {("01211.HK", 5.0)}),
    ],
)
def test_price_moves(extract: Extract, text: str, expected: set[tuple[str | None, float]]) -> None:
    assert moves(extract(text)) == expected


def test_price_and_qualifier(extract: Extract) -> None:
    ex = extract("Lenovo Group (00992) jumped more than 7% to HK$12.56.")
    (fact,) = kinds(ex, "price_move")
    assert (fact.pct, fact.qualifier, fact.price, fact.currency) == (7.0, "over", 12.56, "HKD")
    assert ex.article.text[fact.start : fact.end] == fact.text


@pytest.mark.parametrize(
    "text",
    [
        "Chip stocks rose between 1% and 3% in the afternoon.",
        "華虹半導體和中芯國際升逾18%至近22%。",
        "SMIC said revenue grew 9.7% year-over-year to US$2.38 billion.",
        "The unit accounted for 18% of revenue.",
        "Gross margin was 22.0%, up 1.6 percentage points.",
        "中芯国际三季度纯利同比增长28.9%。",
    ],
)
def test_group_ranges_and_metrics_are_not_moves(extract: Extract, text: str) -> None:
    assert {m for m in moves(extract(text)) if m[0]} == set()


def test_unknown_company_does_not_inherit_a_move(extract: Extract) -> None:
    ex = extract("Meituan gained 0.6% to HK$126, while Zhongwei Widgets rose 1.8% to HK$9.")
    assert ("03690.HK", 1.8) not in moves(ex)
    assert ("03690.HK", 0.6) in moves(ex)


def test_move_refers_back_to_the_company(extract: Extract) -> None:
    ex = extract("Citi upgraded Hua Hong Semiconductor to buy. Shares are 3.7% lower at HK$77.15.")
    assert ("01347.HK", -3.7) in moves(ex)


@pytest.mark.parametrize(
    ("text", "index", "level", "points"),
    [
        ("The Hang Seng Index fell 1.73%, or 476.87 points, to 26,752.59 points.", "HSI", 26752.59, -476.87),
        ("The China Enterprises Index gained 115 points, or 1.2 percent, at 9,335.", "HSCEI", 9335, 115),
        ("恒生指數收報25854點，升219點。", "HSI", 25854, 219),
        ("恒指高見22650點。", "HSI", 22650, None),
    ],
)
def test_index_levels(extract: Extract, text: str, index: str, level: float, points: float | None) -> None:
    levels = kinds(extract(text), "index_level")
    assert levels, "no level"
    assert (levels[0].subject, levels[0].value, levels[0].points) == (index, level, points)


def test_thresholds_are_not_levels(extract: Extract) -> None:
    ex = extract("The Hang Seng Index broke through the 27,000 mark. 科指失守4900點。")
    assert kinds(ex, "index_level") == []


@pytest.mark.parametrize(
    ("text", "kind", "value", "currency", "subject"),
    [
        ("Turnover rose to HK$268.4 billion.", "turnover", 268_400_000_000, "HKD", "HK"),
        ("全日成交額2,684億港元。", "turnover", 268_400_000_000, "HKD", "HK"),
        ("南向资金净买入85.6亿港元。", "southbound_net_inflow", 8_560_000_000, "HKD", "HK"),
        (
            "Southbound investors posted a net outflow of HK$3.2 billion.",
            "southbound_net_inflow",
            -3_200_000_000,
            "HKD",
            "HK",
        ),
        (
            "Zijin Mining raised HK$4.68 billion in its Hong Kong listing.",
            "ipo_raise",
            4_680_000_000,
            "HKD",
            "02899.HK",
        ),
        ("Goldman Sachs raised its target price on SMIC to HK$95.", "target_price", 95, "HKD", "00981.HK"),
        ("Tencent's market value fell below HK$5 trillion.", "market_cap", 5_000_000_000_000, "HKD", "00700.HK"),
        ("Xiaomi reported net profit of RMB 10.8 billion.", "net_profit", 10_800_000_000, "CNY", "01810.HK"),
        ("XPeng's adjusted net loss narrowed to RMB 390 million.", "net_profit", -390_000_000, "CNY", "09868.HK"),
        ("中芯國際第3季純利達1.92億美元。", "net_profit", 192_000_000, "USD", "00981.HK"),
        ("SMIC posted sales revenue of US$2.38 billion.", "revenue", 2_380_000_000, "USD", "00981.HK"),
    ],
)
def test_amounts(extract: Extract, text: str, kind: str, value: float, currency: str, subject: str) -> None:
    found = kinds(extract(text), kind)
    assert found, f"no {kind}"
    assert found[0].value == pytest.approx(value)
    assert (found[0].currency, found[0].subject) == (currency, subject)


def test_comparatives_and_conversions_are_not_amounts(extract: Extract) -> None:
    ex = extract("Revenue rose to RMB 18.3B ($2.55B) from RMB 8.1B, versus estimates of RMB 18.0B.")
    assert [f.value for f in kinds(ex, "revenue")] == [pytest.approx(18_300_000_000)]


def test_target_price_raise_is_not_ipo_money(extract: Extract) -> None:
    ex = extract("Morgan Stanley raises SMIC target to HK$93.")
    assert kinds(ex, "ipo_raise") == []
    assert [f.value for f in kinds(ex, "target_price")] == [93]


def test_close_price_recorded(extract: Extract) -> None:
    ex = extract("HSBC Holdings (00005) closed down 1.2% at HK$104.")
    assert [(f.subject, f.value) for f in kinds(ex, "close_price")] == [("00005.HK", 104)]


@pytest.mark.parametrize(
    "text",
    [
        "The shares were priced at HK$162 each, the top of the range, ahead of the listing.",
        "The retail tranche drew subscriptions of HK$95 billion for the IPO.",
        "公司预计今年资本开支约为75亿美元。",
    ],
)
def test_prices_subscriptions_and_capex_are_not_raises_or_revenue(extract: Extract, text: str) -> None:
    ex = extract(text)
    assert kinds(ex, "ipo_raise") == [] and kinds(ex, "revenue") == []


def test_points_carry_the_sign_of_the_move(extract: Extract) -> None:
    ex = extract("The Hang Seng Index slipped 0.3%, or 76.87 points, to 26,100.")
    (move,) = kinds(ex, "price_move")
    assert move.points == -76.87


def test_phone_numbers_are_not_codes(extract: Extract) -> None:
    assert extract("Call the desk on (852) 2522 1122 for details.").mentions == ()


def test_move_listing_follows_the_share_class_named() -> None:
    from tickerwire.extract import build_pipeline
    from tickerwire.model import Article

    ex = build_pipeline()(
        Article(text="中芯国际港股收跌2.4%，报75.25港元。A股跌1.8%，报126.35元。华虹半导体港股跌3.9%。")
    )
    got = {(f.subject, f.pct, f.currency) for f in ex.facts if f.kind == "price_move"}
    assert got == {("00981.HK", -2.4, "HKD"), ("688981.SH", -1.8, "CNY"), ("01347.HK", -3.9, None)}


def test_respective_amounts_and_flow_direction(extract: Extract) -> None:
    ex = extract("南向资金净买入中国移动、腾讯控股和美团居前，分别约为5.3亿港元、4.1亿港元和2.2亿港元。")
    got = {(f.subject, f.value) for f in kinds(ex, "southbound_net_inflow")}
    assert got == {("00941.HK", 530_000_000), ("00700.HK", 410_000_000), ("03690.HK", 220_000_000)}


def test_net_buying_after_an_outflow_is_positive(extract: Extract) -> None:
    ex = extract(
        "Southbound investors returned to net buying after Tuesday's outflow, with net purchases of HK$5.11 billion."
    )
    assert [f.value for f in kinds(ex, "southbound_net_inflow")] == [5_110_000_000]


def test_stock_turnover_and_broker_target(extract: Extract) -> None:
    ex = extract("小米集團-W收市跌4.9%，報46.26港元，成交額約118億港元。摩根士丹利給予小米目標價62港元。")
    assert [(f.subject, f.value) for f in kinds(ex, "turnover")] == [("01810.HK", 11_800_000_000)]
    assert [f.subject for f in kinds(ex, "target_price")] == ["01810.HK"]


def test_a_lower_case_gauge_is_not_the_previous_index(extract: Extract) -> None:
    ex = extract("The Hang Seng Index fell 1.7%, and the tech gauge lost 2.5%.")
    assert moves(ex) == {("HSI", -1.7), ("HSTECH", -2.5)}


def test_a_percentage_describing_a_noun_is_not_a_move(extract: Extract) -> None:
    ex = extract("Alibaba and Tencent led a sell-off as a 100 per cent tariff threat returned.")
    assert moves(ex) == set()
    ex = extract("CATL rose 1.9% to HK$512 after reporting a 41.2% rise in third-quarter net profit.")
    assert moves(ex) == {("03750.HK", 1.9)}


def test_respective_moves_and_ranges_with_to(extract: Extract) -> None:
    ex = extract("Alibaba (9988.HK) and Tencent (0700.HK) fell 3.1% and 2.2% respectively. Chip stocks rose 1% to 3%.")
    assert moves(ex) == {("09988.HK", -3.1), ("00700.HK", -2.2)}


def test_metric_growth_to_an_amount_is_not_a_move(extract: Extract) -> None:
    ex = extract("PING AN INSURANCE (2318.HK): Net profit for the nine months rose 11.5% to 132.9 billion yuan.")
    assert moves(ex) == set()


def test_unknown_company_shares_do_not_borrow_the_last_name(extract: Extract) -> None:
    ex = extract("Midea Group completed a similar listing last year. Shares of Zhongwei Widgets rose 2.3% in Shenzhen.")
    assert moves(ex) == {(None, 2.3)}  # kept, with no subject: never a guess


def test_codes_separated_by_a_semicolon_stay_in_one_sentence(extract: Extract) -> None:
    ex = extract("Tencent Music Entertainment (1698.HK; NYSE: TME), which reported separately, fell 3%.")
    assert {(f.subject, f.pct) for f in kinds(ex, "price_move")} in ({("TME.US", -3.0)}, {("01698.HK", -3.0)})


def test_price_currency_and_its_shanghai_shares_pick_the_listing(extract: Extract) -> None:
    ex = extract(
        "Semiconductor Manufacturing International Corporation (SMIC) rose 2.1% to HK$78.54 on the STAR Market "
        "news, while its Shanghai shares gained 2.4% to CNY 132.60."
    )
    assert {(f.subject, f.pct, f.currency) for f in kinds(ex, "price_move")} == {
        ("00981.HK", 2.1, "HKD"),
        ("688981.SH", 2.4, "CNY"),
    }


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (
            "GigaDevice (03986.HK) closed at HK$191.50 on its debut. Turnover in the stock was HK$3.1 billion.",
            "03986.HK",
        ),
        ("兆易创新（03986）H股当日在港交所主板挂牌，收报191.50港元，成交额约31亿港元。", "03986.HK"),
        ("沪深两市成交额2.69万亿元。", "CN"),
        ("Turnover on the two exchanges shrank to 1.58 trillion yuan.", "CN"),
        ("大市成交額增至2,684億港元。", "HK"),
    ],
)
def test_turnover_of_a_stock_or_a_market(extract: Extract, text: str, subject: str) -> None:
    assert [f.subject for f in kinds(extract(text), "turnover")] == [subject]


def test_a_price_traded_is_not_turnover(extract: Extract) -> None:
    assert kinds(extract("Shares of Hang Seng Bank traded above HK$155 in the morning."), "turnover") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tencent trades at a P/E of 18.5 times, below its five-year average.", [("pe_ratio", "00700.HK", 18.5)]),
        ("騰訊現價市盈率約18倍。", [("pe_ratio", "00700.HK", 18.0)]),
        ("Xiaomi shares hit a 52-week high of HK$61.45 on Monday.", [("week52_high", "01810.HK", 61.45)]),
        ("SMIC fell to a 52-week low at HK$40.1.", [("week52_low", "00981.HK", 40.1)]),
        ("腾讯股价创52周新高，收报650港元。", [("week52_high", "00700.HK", 650.0)]),
        (
            "中芯国际股价创52周新低，报40.1港元，市盈率为30倍。",
            [("week52_low", "00981.HK", 40.1), ("pe_ratio", "00981.HK", 30.0)],
        ),
        ("Tencent rose 2% to HK$612 on Monday, its best day in 52 sessions.", []),  # neither word: skipped
        ("The index trades at 11 times earnings; Hang Seng rose 1%.", []),  # no company named
    ],
)
def test_pe_ratios_and_52_week_prices(extract: Extract, text: str, expected: list[tuple[str, str, float]]) -> None:
    ratios = [f for f in extract(text).facts if f.kind in {"pe_ratio", "week52_high", "week52_low"}]
    assert [(f.kind, f.subject, f.value) for f in ratios] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tencent rose 2.1% and Meituan slipped 0.8 per cent; margins widened 1.5 percentage points.",
        "恒指收跌1.5%，科指跌2.3%，比亞迪股份升逾半成。",
        "The Hang Seng Index fell 1.2% as 3,000 shares of SMIC changed hands, down 4%.",
    ],
)
def test_amount_rules_find_nothing_in_a_sentence_of_percentages(pipeline: Pipeline, text: str) -> None:
    """The fact extractor runs the amount and level rules only on sentences holding money, a
    number or points: on the others they find nothing and use up no figure."""
    from tickerwire.extract.amounts import AmountFinder
    from tickerwire.extract.clauses import State, build_sentences, word_index
    from tickerwire.extract.facts import _AMOUNT_UNITS, _WORD_FILTER, _WORD_PATTERNS
    from tickerwire.extract.pipeline import Doc

    doc = Doc.from_article(Article(text=text))
    for component in pipeline.components:
        if component.name == "facts":
            break
        component(doc)
    sentences = build_sentences(doc)
    assert sentences and all(s.quantities for s in sentences)
    state = State(words=word_index(_WORD_FILTER, _WORD_PATTERNS, doc.text))
    for i, sent in enumerate(sentences):
        assert not {q.unit for q in sent.quantities} & _AMOUNT_UNITS
        AmountFinder(doc, sent, sentences[:i], state).run()
    assert doc.facts == [] and state.consumed == set()


@pytest.mark.parametrize(
    "text",
    [
        "marking a 3.4% gain", "an\t8% rise", "A\n5% drop", "a 5%", "has 5%", "data 5%", "a5%", "ana 6%",
        "\u3000a\u30007%", "rose 3%", "AN 4%",
    ],
)
def test_an_article_before_a_figure_ends_in_a_space(text: str) -> None:
    """The move rules look for "a"/"an" before a percentage only after a space, which every match ends in."""
    from tickerwire.extract.facts import _ARTICLE_BEFORE

    for end in range(len(text) + 1):
        for start in range(end + 1):
            found = _ARTICLE_BEFORE.search(text, start, end)
            assert found is None or (text[end - 1].isspace() and "a" in text[start:end].lower()), (text, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "Tencent rose 2%, while search-engine operator Baidu rose 1.8%",
        "HSBC gained 1%; the tech sector fell 2% and Meituan slid 3%",
        "Alibaba rose 4% whereas JD fell 1%, and the benchmark index dropped 0.5%",
        "AIA rose 2%, and the index rose 1%",
        "Tencent rose 2% and shares of Meituan fell",
    ],
)
def test_another_name_begins_with_one_of_its_leads(text: str) -> None:
    """``_OTHER_NAME`` is searched only where a comma, semicolon, "while", "whereas" or "and" stands."""
    from tickerwire.extract.facts import _OTHER_NAME, _OTHER_NAME_LEADS

    found = 0
    for start in range(len(text)):
        m = _OTHER_NAME.match(text, start)
        if m is not None:
            found += 1
            assert m.group().startswith(_OTHER_NAME_LEADS)
    assert found


def test_every_phrase_naming_both_share_classes_holds_a_join() -> None:
    """``lx.AH_BOTH`` is searched only where one of ``_AH_JOINS`` stands: each of its phrases holds one."""
    from tickerwire.extract import lexicon as lx
    from tickerwire.extract.facts import _AH_JOINS, _names_both_classes

    for phrase in lx.AH_BOTH.pattern.split("|"):
        assert any(join in phrase.replace("\\", "").lower() for join in _AH_JOINS), phrase
    both = ["its A and H shares rose", "A-SHARES AND H-SHARES", "A+H", "A、H股", "A股和H股", "A股及H股"]
    for text in both:
        assert lx.AH_BOTH.search(text) and _names_both_classes(text)
    assert not _names_both_classes("Tencent shares rose 3% and Meituan fell")


def test_a_subject_with_another_code_is_its_replacement() -> None:
    from dataclasses import replace

    from tickerwire.extract.clauses import Subject

    subject = Subject("00981.HK", 3, 9, False, "smic", ("00981.HK", "688981.SH"), broker=True, modifier=False)
    assert subject.with_code("688981.SH") == replace(subject, code="688981.SH")
