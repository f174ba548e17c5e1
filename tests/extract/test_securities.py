"""Securities and indices: codes in every form, names in three scripts, listing choice, negatives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.model import Extraction

Extract = Callable[..., Extraction]
SAMPLE_NEWS = Path(__file__).resolve().parents[2] / "examples" / "news"


def listings(ex: Extraction) -> set[str]:
    return {m.listing for m in ex.mentions}


def issuers(ex: Extraction) -> set[str]:
    return {m.issuer for m in ex.mentions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shares of SMIC (0981.HK) gained in the afternoon.", "00981.HK"),
        ("Hua Hong (1347) shares slid.", "01347.HK"),
        ("The stock, HK:981, was active.", "00981.HK"),
        ("Tencent (SEHK:700) reported results.", "00700.HK"),
        ("GigaDevice (603986.CN) hit a record.", "603986.SH"),
        ("Kweichow Moutai (600519.SS) was flat.", "600519.SH"),
        ("SH603986 closed higher.", "603986.SH"),
        ("Alibaba (NYSE: BABA) rose overnight.", "BABA.US"),
        ("Traders piled into $BABA before the open.", "BABA.US"),
        ("恒生银行（00011）早段走高。", "00011.HK"),
    ],
)
def test_codes_in_every_form(extract: Extract, text: str, expected: str) -> None:
    assert expected in listings(extract(text))


@pytest.mark.parametrize(
    ("text", "issuer_code"),
    [
        ("SMIC shares rose on Monday after the results.", "00981.HK"),
        ("中芯国际股价周一上涨。", "00981.HK"),
        ("中芯國際股價周一上升。", "00981.HK"),
        ("Hua Hong Semiconductor shares slid.", "01347.HK"),
        ("华虹半导体午后走强。", "01347.HK"),
        ("騰訊控股今日走低。", "00700.HK"),
        ("美团股价回落。", "03690.HK"),
        ("Zhaoyi Innovation, better known as GigaDevice, filed in Hong Kong.", "603986.SH"),
        ("Alibaba-W led the gains.", "09988.HK"),
        ("Li Auto delivered more cars in October.", "02015.HK"),
    ],
)
def test_names_in_three_scripts(extract: Extract, text: str, issuer_code: str) -> None:
    ex = extract(text)
    assert any(issuer_code in m.listings for m in ex.mentions), [m.to_dict() for m in ex.mentions]


@pytest.mark.parametrize(
    "text",
    [
        "The company's net income rose on stronger links to mainland clients.",
        "Analyst Li Wei at a local brokerage said the market looks stretched.",
        "The news agency reported that power prices eased.",
        "Its great value and first-class service won praise.",
        "平安夜前，市场交投淡静。",
    ],
)
def test_ordinary_words_and_people_are_not_companies(extract: Extract, text: str) -> None:
    assert extract(text).mentions == ()


def test_ping_an_bank_is_not_ping_an_insurance(extract: Extract) -> None:
    ex = extract("平安银行公布季度业绩，中国平安股价持平。")
    assert "000001.SZ" in listings(ex)
    assert any("02318.HK" in m.listings for m in ex.mentions)
    bank = next(m for m in ex.mentions if m.listing == "000001.SZ")
    assert bank.text == "平安银行"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SMIC's A-shares in Shanghai rose 3% on the STAR Market.", "688981.SH"),
        ("SMIC's Hong Kong-listed shares rose 3% to HK$72.", "00981.HK"),
        ("Alibaba's ADRs rose 2% in New York.", "BABA.US"),
        ("沪指收涨，中芯国际A股涨3%，科创板活跃。", "688981.SH"),
        ("港股收市，中芯國際升3%，收報72.5港元。", "00981.HK"),
    ],
)
def test_listing_chosen_from_context(extract: Extract, text: str, expected: str) -> None:
    ex = extract(text)
    assert expected in listings(ex), [m.to_dict() for m in ex.mentions]


def test_mentions_carry_all_listings(extract: Extract) -> None:
    ex = extract("SMIC (00981.HK) rose.")
    m = ex.mentions[0]
    assert {"00981.HK", "688981.SH"} <= set(m.listings)
    assert 0 < m.confidence <= 1


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("The Hang Seng Index rose 1% to 26,000.", "HSI"),
        ("The National Index edged up.", "HSCEI"),
        ("恒指收跌200點。", "HSI"),
        ("恒生科技指数收涨2%。", "HSTECH"),
        ("国企指数走低。", "HSCEI"),
        ("The Shanghai Composite Index slipped.", "SSE"),
        ("创业板指大涨。", "CHINEXT"),
        ("The Nikkei 225 hit a record.", "N225"),
    ],
)
def test_indices(extract: Extract, text: str, index: str) -> None:
    assert index in {i.index for i in extract(text).indices}


def test_hang_seng_bank_is_not_the_index(extract: Extract) -> None:
    ex = extract("Hang Seng Bank shares were suspended.")
    assert ex.indices == ()


def test_publisher_related_stocks_are_cross_checked(pipeline) -> None:  # type: ignore[no-untyped-def]
    from tickerwire.model import Article

    art = Article(text="SMIC rose 3% on Monday.", related_stocks=("00981.HK", "00700.HK"))
    rel = {r.issuer: r for r in pipeline(art).relevance}
    assert rel["00981.HK"].confirmed and rel["00981.HK"].related_claimed
    assert rel["00700.HK"].related_claimed and not rel["00700.HK"].confirmed


def test_venue_and_broker_roles(extract: Extract) -> None:
    ex = extract("The chipmaker filed a listing application with HKEX. Citi upgrades Hua Hong to buy.")
    roles = {m.text: m.role for m in ex.mentions}
    assert roles["HKEX"] == "venue"
    assert roles["Citi"] == "broker"
    assert roles["Hua Hong"] is None
    assert all("00388.HK" not in e.subjects for e in ex.events)


def test_ipo_sponsors_are_brokers(extract: Extract) -> None:
    ex = extract("Montage Technology filed its application. CICC, Morgan Stanley and UBS are joint sponsors.")
    roles = {m.text: m.role for m in ex.mentions}
    assert roles["CICC"] == roles["Morgan Stanley"] == roles["UBS"] == "broker"
    assert roles["Montage Technology"] is None


def test_a_rare_first_word_names_its_company(extract: Extract) -> None:
    ex = extract("Shares of Sunwoda rose 2.3% in Shenzhen, while UBTech jumped 5.8%.")
    assert {m.issuer for m in ex.mentions} >= {"300207.SZ", "09880.HK"}


@pytest.mark.parametrize(
    "text",
    [
        "SMIC (0981.HK), Tencent 700 HK, NYSE: BABA, HKEX:388 and $NIO traded; BIDU.US and SH688981 too.",
        "中芯国际（688981.SH）与华虹（1347 HK）走高，贵州茅台SH600519持平，东证7203.JP、台积电2330.TW。",
        "Not codes: v0981.HK, 0981.HKD, x$NIO, 2025.10.HK, A.0700.HK and e-mail ops@0700.hk.",
        "Ｆｕｌｌ-width 0700.HK（騰訊）、ＨＫ: 5，SZ000001。",
    ],
)
def test_free_code_pattern_reads_alike_on_re_and_regex(text: str) -> None:
    """The free-standing code pattern runs on ``re``; the ``regex`` module reads the same source alike."""
    import regex

    from tickerwire.extract.securities import FREE_CODE

    slow = regex.compile(FREE_CODE.pattern)
    assert [m.span() for m in FREE_CODE.finditer(text)] == [m.span() for m in slow.finditer(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One sentence's listing cue does not leak into the next one about the same company.
        ("SMIC's A-shares rose 3% in Shanghai. In Hong Kong, SMIC shares fell 1% to HK$72.", ["688981.SH", "00981.HK"]),
        ("中芯国际A股涨3%，科创板活跃。港股方面，中芯國際跌1%，收報72港元。", ["688981.SH", "00981.HK"]),
        ("SMIC's A-shares rose 3%. SMIC's A-shares hit a record; SMIC rose.", ["688981.SH"] * 3),
    ],
)
def test_listing_cues_are_read_per_sentence(extract: Extract, text: str, expected: list[str]) -> None:
    ex = extract(text)
    assert [m.listing for m in ex.mentions if m.issuer == "00981.HK"] == expected


@pytest.mark.parametrize(
    ("text", "brokers", "not_brokers"),
    [
        ("Montage filed. CICC, Morgan Stanley and UBS are joint sponsors.", {"CICC", "UBS"}, {"Montage"}),
        ("澜起科技递表，中金公司、华泰证券担任联席保荐人。", {"中金公司", "华泰证券"}, {"澜起科技"}),
        ("CICC said turnover rose; Tencent gained 2%.", set(), {"CICC", "Tencent"}),
    ],
)
def test_sponsors_are_brokers_only_where_a_sponsor_word_follows(
    extract: Extract, text: str, brokers: set[str], not_brokers: set[str]
) -> None:
    roles = {m.text: m.role for m in extract(text).mentions}
    assert all(roles.get(name) == "broker" for name in brokers), roles
    assert all(roles.get(name) != "broker" for name in not_brokers), roles


@pytest.mark.parametrize(
    ("raw", "market"),
    [("00700.HK", None), ("981", "HK"), ("0700", "HK"), ("600519", None), ("SH603986", None), ("BABA.N", None),
     ("ＨＫ:0700", None), ("1810.hk", None), ("AI", None), ("300750.SZ", None), ("", None)],
)
def test_a_remembered_code_reads_as_normalize_code_reads_it(raw: str, market: str | None) -> None:
    from tickerwire.codes import normalize_code
    from tickerwire.extract.securities import _code

    for _ in range(2):  # read, then remembered
        assert _code(raw, market) == normalize_code(raw, default_market=market)


CODE_TEXTS = [
    "SMIC (0981.HK), Tencent 700 HK, NYSE: BABA, HKEX:388 and $NIO traded; BIDU.US and SH688981 too.",
    "中芯国际（688981.SH）与华虹（1347 HK）走高，贵州茅台SH600519持平，东证7203.JP、台积电2330.TW。",
    "Not codes: v0981.HK, 0981.HKD, x$NIO, 2025.10.HK, A.0700.HK and e-mail ops@0700.hk.",
    "Ｆｕｌｌ-width 0700.HK（騰訊）、ＨＫ: 5，SZ000001。",
    "0700.HK",
    "0700.HK9988.HK 3690.HK.1810.HK:1211.HK$BABA$NIO",
    "NASDAQ : ABCDE and Nasdaq:PDD, NYSE :BABA, SGX: D05 then SEHK:5 end HKEX:",
    "700 HK\n9988\tHK 1810\u3000HK 2318\u00a0HK 123456 HK 1 HK HKD 5 HKEX",
    "BJ830799 SZ 000001 SH60051 SH6005199 BJ８３０７９９ sh600519",
    "Times 10:30 and 14:45: HK$5.2bn, US$3.1bn, RMB1.2bn. Q3: up. 3:1 split.",
    "x" * 60 + "0700.HK" + "y" * 60 + "NYSE: BABA" + " " * 45 + "9988 HK",
    *(
        "x" * 40 + f" {code} " + "y" * 40
        for code in (
            "9988\tHK", "9988\u3000HK", "9988\nHK", "1 HK", "９ HK", "$NIO", "SZ000001", "BJ830799", "SH600519",
            "BIDU.US", "HKEX:388", "Nasdaq:PDD", "NASDAQ : QQQ", "NYSE :BABA", "SEHK: 5", "SGX:D05", "HK:700",
            "7203.JP",
        )
    ),
]


@pytest.mark.parametrize("text", CODE_TEXTS)
def test_free_codes_are_the_whole_scans_matches(text: str) -> None:
    """Scanning only around the codes' anchors finds what a scan of the whole text finds."""
    from tickerwire.extract.securities import FREE_CODE, free_codes

    assert [m.span() for m in free_codes(text)] == [m.span() for m in FREE_CODE.finditer(text)]


CODE_PIECES = [
    "0700", "9988", "700", "123456", "600519", ".", ".HK", ".US", ".SH", ".JP", ".TW", "HK", " HK", "\tHK", "HKD",
    "HKEX", "NYSE", "Nasdaq", "NASDAQ", "SGX", "SEHK", "SH", "SZ", "BJ", ":", " : ", "$", "$NIO", "BABA", "A", "x",
    " ", "\n", "(", ")", "騰訊", "（", "。", "1", "22", "_", "@", "-",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CODE_PIECES), max_size=40), st.integers(0, 30))
def test_free_codes_are_the_whole_scans_matches_on_any_text(pieces: list[str], padding: int) -> None:
    from tickerwire.extract.securities import FREE_CODE, free_codes

    text = "".join(pieces) + "z" * padding + "".join(reversed(pieces))
    assert [m.span() for m in free_codes(text)] == [m.span() for m in FREE_CODE.finditer(text)]


def test_free_codes_are_the_whole_scans_matches_on_the_sample_news() -> None:
    from tickerwire.extract.securities import FREE_CODE, free_codes
    from tickerwire.sources import expand_inputs, read_path

    for path in expand_inputs([str(SAMPLE_NEWS)]):
        for article in read_path(path):
            text = article.text
            assert [m.span() for m in free_codes(text)] == [m.span() for m in FREE_CODE.finditer(text)]


BROKER_TEXTS = [
    "Citi analysts said", "Citi's analysts", "Citi 's  research", "Citi, which raised its target", "Citi upgraded",
    "Citi (research) ", "Citi - is bullish", "Citi -- strategists", "Citi ... economists", "Citi ....analysts",
    "Citi, Lifted the target", "CITI RAISED ITS PRICE TARGET", "Citi' s analysts", "Citi'sanalysts",
    "Citi\u2019s analysts", "Citi ſtrategists", "Citi \u212aeeps its view", "Citi 研究", "Citi_analysts",
    "Citi 5 analysts", "Citi maintains its rating", "Citi holds a bullish view", "Citi: initiated coverage", "Citi",
    "中金，analysts", "中金（research）", "中金　strategists", "中金 's analysts", "中金研究", "中金，，，，upgrades",
]


@pytest.mark.parametrize("text", BROKER_TEXTS)
def test_broker_context_is_tried_wherever_it_can_match(text: str) -> None:
    """The one-character check before ``BROKER_CONTEXT`` never turns away a place the pattern matches."""
    from tickerwire.extract import lexicon as lx
    from tickerwire.extract.securities import BROKER_CONTEXT_WINDOW, _may_be_broker_context

    for pos in range(len(text) + 1):
        if lx.BROKER_CONTEXT.match(text[pos : pos + BROKER_CONTEXT_WINDOW]):
            assert _may_be_broker_context(text, pos), (text, pos)


BROKER_PIECES = [" ", ",", "'", "'s", "-", ".", "(", "analysts", "research", "raised", "its", "target", "is",
                 "bullish", "x", "Citi", "S", "ſ", "研究", "_", "5", "\u2019", "\t", "\x1c", "RAISES", "was", "remain",
                 "，", "（", "）", "\u3000", "中金", "Ｒ", "\u212a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BROKER_PIECES), max_size=12))
def test_broker_context_is_tried_wherever_it_can_match_on_any_text(pieces: list[str]) -> None:
    from tickerwire.extract import lexicon as lx
    from tickerwire.extract.securities import BROKER_CONTEXT_WINDOW, _may_be_broker_context

    text = "".join(pieces)
    for pos in range(len(text) + 1):
        if lx.BROKER_CONTEXT.match(text[pos : pos + BROKER_CONTEXT_WINDOW]):
            assert _may_be_broker_context(text, pos), (text, pos)


def test_broker_context_check_turns_away_most_names() -> None:
    from tickerwire.extract.securities import _may_be_broker_context

    assert not _may_be_broker_context("Tencent fell 2%", len("Tencent"))
    assert not _may_be_broker_context("Tencent gained 2%", len("Tencent"))
    assert not _may_be_broker_context("Tencent (00700.HK) rose", len("Tencent"))
    assert not _may_be_broker_context("Tencent", len("Tencent"))
    assert not _may_be_broker_context("Tencent shares rose", len("Tencent"))
    assert not _may_be_broker_context("Tencent's shares rose", len("Tencent"))
    assert not _may_be_broker_context("Tencent, which reported", len("Tencent"))
    assert _may_be_broker_context("Citi's research team", len("Citi"))
    assert _may_be_broker_context("Citi, which raised its target", len("Citi")) is False  # "which" is no broker word
    assert not _may_be_broker_context("Citi 研究", len("Citi"))  # an ideograph begins no broker word
    assert not _may_be_broker_context("騰訊（00700）升", len("騰訊"))
    assert _may_be_broker_context("中金，analysts", len("中金"))
    assert _may_be_broker_context("Citi ſtrategists", len("Citi"))  # folds to s: the pattern decides
    assert not _may_be_broker_context("Citi's ", len("Citi"))  # "'s" and spaces at the end of the text
    assert not _may_be_broker_context("Citi's", len("Citi"))
    assert _may_be_broker_context("Citi analysts expect", len("Citi"))


@pytest.mark.parametrize(
    "text",
    [
        "SMIC's A-shares rose 3% in Shanghai; its H shares fell in Hong Kong. ADRs and New York-listed stock.",
        "中芯国际A股涨3%，科创板活跃；港股方面，H股跌1%，收報72港元，美股ADR。¥5, HK$5, HKD, U.S.-listed",
        "Shanghai-traded shares, Shenzhen-listed STAR Market, Hang Seng, HKEX, Nasdaq-listed NYSE-listed US-listed",
        "A shares A-share Ashare H-shares Hong Kong-listed Hong Kong shares in Shenzhen ADR ADRs ADRS xADR ADR_",
    ],
)
def test_listing_cues_read_alike_on_re_and_regex(text: str) -> None:
    """Each group's cue words are searched with ``re`` or ``regex``; both read each list alike."""
    import re

    import regex

    from tickerwire.extract.securities import _LISTING_CUES

    for _, cues in _LISTING_CUES:
        for module in (re, regex):
            other = module.compile(cues.pattern)
            for start in range(len(text)):
                found, expected = other.search(text, start), cues.search(text, start)
                assert (found and found.span()) == (expected and expected.span()), (cues.pattern, start)
