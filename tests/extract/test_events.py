"""Events: the taxonomy tagged per sentence, with evidence; reporting, not mere mention."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tickerwire.extract import events
from tickerwire.model import Extraction

Extract = Callable[..., Extraction]


def types(ex: Extraction) -> set[str]:
    return {e.type for e in ex.events}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Zhongwei Widgets has filed an application with the exchange to list H shares in Hong Kong.",
            "listing_application",
        ),
        ("The chip designer refiles for a Hong Kong listing.", "listing_application"),
        ("该公司已向港交所递交上市申请。", "listing_application"),
        ("The shares rose 12% on their Hong Kong debut.", "ipo"),
        ("Citi upgrades Hua Hong to buy from neutral.", "analyst_rating"),
        ("UBS initiated coverage with a Buy rating and a HK$11 target.", "target_price"),
        ("Tencent posted third-quarter results that beat estimates.", "earnings"),
        ("中芯国际第三季纯利达1.92亿美元。", "earnings"),
        ("The company still expects to deliver 350,000 vehicles this year.", "guidance"),
        ("The PBOC cut the reserve requirement ratio by 50 basis points.", "policy"),
        ("Washington tightened export controls on advanced chips.", "geopolitics"),
        ("HSBC plans to take Hang Seng Bank private.", "m_and_a"),
        ("China Gold International was added to the Hang Seng Index.", "index_inclusion"),
        ("Alibaba unveiled its first own-brand smart glasses.", "product_launch"),
        ("南向资金净买入85.6亿港元。", "fund_flow"),
        ("Chip stocks rallied in the afternoon.", "sector_move"),
        ("The company raised HK$3.1 billion in a top-up placing of new shares.", "other"),
        ("Tencent bought back 1.01 million shares on Tuesday.", "other"),
        ("The solar glass maker issued a profit warning for the full year.", "guidance"),
        ("敏華發出盈利警告，預期中期溢利下跌。", "guidance"),
        ("The carmaker swung to a third-quarter net loss of 624 million yuan.", "earnings"),
        ("The financial regulator cut the capital charge on insurers' equity holdings.", "policy"),
        ("Meituan released its 2025 annual performance report on Friday.", "earnings"),
        ("Ping An said first-half profit rose 6.5%, helped by investment returns.", "earnings"),
        ("HSBC reported a pretax profit of US$30.1 billion for the year.", "earnings"),
        ("泡泡瑪特本周二交出的季績勝過市場預期。", "earnings"),
        ("中國中藥發佈盈利預警，預計中期溢利淨額大幅下降。", "earnings"),
        ("集團預期去年度虧損約230億元人民幣。", "earnings"),
        ("Escalating US-China trade tensions weighed on internet stocks.", "geopolitics"),
        ("Oil slid after a ceasefire between the two countries was announced.", "geopolitics"),
        ("中美貿易摩擦再度升溫，科技股受壓。", "geopolitics"),
    ],
)
def test_event_types(extract: Extract, text: str, expected: str) -> None:
    assert expected in types(extract(text))


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("The carmaker will upgrade its factories to build hybrid drivetrains.", "analyst_rating"),
        ("Hong Kong's market posted mixed results today.", "earnings"),
        ("The exchange will report full-year results in February.", "earnings"),
        ("港交所將於明年2月公布全年業績。", "earnings"),
        ("The bakery chain opened its 100th store this week.", "geopolitics"),
        ("The supermarket price war hurt margins.", "geopolitics"),
        ("Profit-taking set in after the rally.", "earnings"),
        ("Its results showed strength despite geopolitical tensions.", "geopolitics"),
        ("另一家GPU企业已获得证监会注册批复。", "policy"),
        ("Mainland investors keep an eye on southbound flows.", "fund_flow"),
        ("Mainland investors have acquired more Hong Kong shares this year.", "m_and_a"),
        ("芯片板块当日获主力资金净流入约126亿元。", "fund_flow"),
        ("后续仍需关注订单和业绩兑现情况。", "earnings"),
        ("Analysts said hotel occupancy stayed high over the holiday.", "analyst_rating"),
        ("The solar glass maker warned that its full-year profit would fall by half.", "earnings"),
    ],
)
def test_mentions_that_are_not_news(extract: Extract, text: str, absent: str) -> None:
    assert absent not in types(extract(text))


def test_event_evidence_is_the_sentence(extract: Extract) -> None:
    ex = extract("Prices were flat. Citi upgrades Hua Hong to buy from neutral. Volumes were thin.")
    (event,) = [e for e in ex.events if e.type == "analyst_rating"]
    assert event.text == "Citi upgrades Hua Hong to buy from neutral."
    assert "01347.HK" in event.subjects


@pytest.mark.parametrize(
    "text",
    [
        "Hang Seng Index slips 0.92% as chipmakers fall after results",
        "Insurers rallied after the rule change.",
        "內房股普跌。",
    ],
)
def test_sector_moves(extract: Extract, text: str) -> None:
    assert "sector_move" in types(extract(text))


ANCHOR_SENTENCES = [
    "Tencent reported quarterly revenue of RMB 180 billion, beating estimates; Q3 Earnings rose 12%.",
    "Xiaomi's net profit for the first half jumped 75%, the company said in its interim results.",
    "Morgan Stanley upgraded Meituan to overweight and raised its target price to HK$150.",
    "Goldman cut its rating on the stock to sell, with a HK$12.5 target; UBS has an RMB 30 price target.",
    "The company expects Q4 revenue to grow 20%, and issued a profit warning for the full year.",
    "The chip designer refiled its listing application; the robot maker filed for a Hong Kong IPO.",
    "The developer bought back 2 million shares, after a share repurchase and a top-up placing.",
    "Chip stocks rallied and property developers slid after the data.",
    "Tech stocks were mixed, and bank shares slid; the bank said it would raise its dividend.",
    "Gold miners at the end of a very long clause about nothing much gained; chip stocks rose",  # verb out of reach
    "騰訊公布第三季業績，收入按年增長15%，純利升三成。",
    "摩根士丹利將美團評級上調至增持，目標價上調至150港元。",
    "公司發盈警，預計全年虧損擴大；半导体股急升，内房股回落。",
    "银行股表现平稳，科技股整体持平。濠赌股普涨，券商股领涨大市。",
    "南向資金淨買入８５．６億港元，港股通淨流入一百亿元。",
]


def _sector_move_reference(text: str, start: int, end: int) -> bool:
    """The definition of a sector move, searched with the whole patterns."""
    sector = re.compile(*events._SECTOR_PATTERN).search(text, start, end)
    window = (sector.end(), min(end, sector.end() + events.SECTOR_MOVE_WINDOW)) if sector else (0, 0)
    return bool(sector and re.compile(*events._SECTOR_MOVE_PATTERN).search(text, *window))


@pytest.mark.parametrize("text", ANCHOR_SENTENCES)
def test_anchored_event_search_finds_what_the_whole_patterns_find(text: str) -> None:
    """The tagger tries each type's pattern only where one of its leading literals stands; in any
    span of a sentence that reports exactly when the type's whole pattern matches there."""
    tagger = events.EventTagger()
    hits = events._ANCHORED.scan(text)
    patterns = {etype: re.compile(*source) for etype, source in events.EVENT_PATTERNS}
    matched = 0
    cuts = sorted({*range(0, len(text), 2), len(text)})
    for etype in [*patterns, "sector_move"]:
        for a in cuts:
            for b in (c for c in cuts if c > a):
                whole = (
                    _sector_move_reference(text, a, b) if etype == "sector_move"
                    else patterns[etype].search(text, a, b) is not None
                )
                matched += whole
                assert tagger.reports(etype, text, a, b, hits) == whole, (etype, text[a:b])
    assert matched > 0


@pytest.mark.parametrize(
    "text",
    [
        "Citi upgrades Hua Hong to buy; the IPO debut is set for Friday after the listing hearing.",
        "该公司已向港交所递交上市申请，新股下周招股，摩根士丹利上调目标价。",
        "İstanbul-listed shares: an upgrade and a profit warning",  # the shared scan cannot read it
        "No cue at all here.",
        "",
    ],
)
def test_cues_from_the_shared_scan_are_those_of_the_cue_automaton(text: str) -> None:
    tagger = events.EventTagger()
    expected = sorted((key, end) for key, _, end in tagger.cues.find_matches_as_indexes(text.lower(), overlapping=True))
    assert sorted(tagger._cues_in(text)) == expected
    assert bool(expected) == (not text.startswith("No cue") and bool(text))
