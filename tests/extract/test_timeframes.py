"""Horizons of moves and the day of every fact, in English and Chinese."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from tickerwire.extract.timeframes import HORIZONS, fact_day, horizon_of, previous_trading_day, session_of
from tickerwire.sources.dates import HONG_KONG


def _horizon(sentence: str, number: str, default: str = "close") -> str:
    start = sentence.index(number)
    return horizon_of(sentence, (0, len(sentence)), start, start + len(number), default=default)


@pytest.mark.parametrize(
    ("sentence", "number", "expected"),
    [
        ("Geely shares closed up 2.3% at HK$18.40.", "2.3%", "close"),
        ("The stock has gained about 95% so far this year.", "95%", "ytd"),
        ("Shares rose 4.1% on Tuesday, taking their gain this year to 95%.", "95%", "ytd"),
        ("BYD shares fell as much as 8% in early trade.", "8%", "intraday"),
        ("The shares opened 7% higher at HK$58.", "7%", "open"),
        ("The index was up 1.1% at the midday break.", "1.1%", "midday"),
        ("The Hang Seng Index lost 3.2% for the week.", "3.2%", "week"),
        ("Over the week, the index posted a 2.9% gain.", "2.9%", "week"),
        ("Over the past year the stock has risen 40%.", "40%", "year"),
        ("The stock has fallen 9% in five straight sessions.", "9%", "multi_day"),
        ("Mixue jumped 43% above its offer price in its debut.", "43%", "since_listing"),
        ("The shares hit a 52-week high, up 12%.", "12%", "52w"),
        ("小米收市升2.3%，報38.88元。", "2.3%", "close"),
        ("騰訊年初至今升幅達32%。", "32%", "ytd"),
        ("比亞迪股價一度急挫8%。", "8%", "intraday"),
        ("友邦今早高開7.4%至58元。", "7.4%", "open"),
        ("恒指半日收市升0.8%。", "0.8%", "midday"),
        ("恒生指數全周累計上漲1.29%。", "1.29%", "week"),
        ("滙控暫連升3日，累計升幅2.6%。", "2.6%", "multi_day"),
        ("紫金首掛較招股價升68%。", "68%", "since_listing"),
        ("全年計，恒生指數升27.8%。", "27.8%", "year"),
        # No cue: the report's session.
        ("Tencent rose 1.2%.", "1.2%", "close"),
        ("腾讯升1.2%。", "1.2%", "close"),
    ],
)
def test_horizon_of(sentence: str, number: str, expected: str) -> None:
    assert expected in HORIZONS
    assert _horizon(sentence, number) == expected


def test_a_clause_of_its_own_keeps_its_cue_from_the_next_one() -> None:
    sentence = "Tencent closed up 1.2%; it has gained 40% this year."
    assert _horizon(sentence, "1.2%") == "close"
    assert _horizon(sentence, "40%") == "ytd"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("港股收評：恒指跌0.23%\n港股三大指數早盤衝高回落。", None, "close"),
        ("Hong Kong stocks at midday: Hang Seng gains 1%\nStocks rose.", None, "midday"),
        ("異動股 | 美團現價跌0.61%\n該股成交約23萬股。", None, "intraday"),
        ("Mixue shares surge in Hong Kong trading debut\nThe stock rose 43%.", None, "since_listing"),
        ("Xiaomi slides\nThe stock fell 4%.", datetime(2025, 11, 19, 10, 30, tzinfo=HONG_KONG), "intraday"),
        ("Xiaomi slides\nThe stock fell 4%.", datetime(2025, 11, 19, 12, 20, tzinfo=HONG_KONG), "midday"),
        ("Xiaomi slides\nThe stock fell 4%.", datetime(2025, 11, 19, 17, 5, tzinfo=HONG_KONG), "close"),
        ("Xiaomi slides\nThe stock fell 4%.", datetime(2025, 11, 19, tzinfo=HONG_KONG), "close"),
    ],
)
def test_session_of_a_report(text: str, published: datetime | None, expected: str) -> None:
    assert session_of(text, published) == expected
    sentence = text.split("\n")[-1]
    number = next(w for w in ("43%", "4%", "1%", "0.61%", "0.23%") if w in text)
    if number in sentence:
        assert _horizon(sentence, number, default=session_of(text, published)) in {expected, "since_listing"}


FRIDAY = date(2025, 11, 14)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The index rose 1% to 26,572 points.", FRIDAY),
        ("On Thursday the index rose 1% to 26,572 points.", date(2025, 11, 13)),
        ("The index rose 1% yesterday.", date(2025, 11, 13)),
        ("Shares fell 2% last Friday.", date(2025, 11, 7)),
        ("The stock gained 3% on 9 Oct.", date(2025, 10, 9)),
        ("The stock gained 3% on Nov. 12.", date(2025, 11, 12)),
        ("恒指周四（11月13日）收報26,572點。", date(2025, 11, 13)),
        ("恒指昨日收報26,572點。", date(2025, 11, 13)),
        ("恒指上周五收報25,500點。", date(2025, 11, 7)),
        ("恒指今日收報26,572點。", FRIDAY),
        # A December date read in January belongs to the year before.
    ],
)
def test_fact_day(sentence: str, expected: date) -> None:
    pos = next((i for i, ch in enumerate(sentence) if ch.isdigit() and sentence[i:i + 2] not in {"9 ", "12", "11"}), 0)
    assert fact_day(sentence, pos, FRIDAY) == expected


def test_fact_day_wraps_the_year_and_skips_weekends() -> None:
    assert fact_day("恒指12月31日收報25,630點。", 8, date(2026, 1, 2)) == date(2025, 12, 31)
    assert previous_trading_day(date(2025, 11, 17)) == date(2025, 11, 14)  # Monday → Friday
    assert fact_day("The index fell 1% yesterday.", 10, date(2025, 11, 17)) == date(2025, 11, 14)
    assert fact_day("The index fell 1%.", 10, None) is None


@pytest.mark.parametrize(("article_day", "yesterday"), [
    (date(2025, 10, 8), date(2025, 10, 6)),  # HKEX shut on 7 Oct (the day after Mid-Autumn)
    (date(2025, 10, 30), date(2025, 10, 28)),  # and on 29 Oct (Chung Yeung)
    (date(2025, 10, 2), date(2025, 9, 30)),  # and on 1 Oct (National Day)
])
def test_yesterday_skips_exchange_holidays(article_day: date, yesterday: date) -> None:
    assert previous_trading_day(article_day) == yesterday
    assert fact_day("恒指昨日收跌1.2%。", 6, article_day) == yesterday


@pytest.mark.parametrize(
    ("sentence", "number", "expected"),
    [
        # "First day" after a holiday is not a debut.
        ("A股节后首日，沪指涨1.32%。", "1.32%", "close"),
        # A cue before an earlier percentage belongs to that one.
        ("兆易创新上市首日涨18.2%，国企指数涨2.19%。", "2.19%", "close"),
        ("兆易创新上市首日涨18.2%，国企指数涨2.19%。", "18.2%", "since_listing"),
        # A headline's phrases are separated by spaces.
        ("港股收评：恒指大涨2.12% 兆易创新上市首日涨18.2%", "2.12%", "close"),
    ],
)
def test_cues_stay_with_their_own_number(sentence: str, number: str, expected: str) -> None:
    assert _horizon(sentence, number) == expected


def test_a_debut_report_makes_only_the_new_listings_close_a_return_on_the_offer_price() -> None:
    from tickerwire.extract import build_pipeline
    from tickerwire.model import Article

    text = ("GigaDevice jumps 18% in Hong Kong debut\n\n"
            "GigaDevice Semiconductor (03986.HK) closed 18.2% higher on its debut on Thursday. "
            "SMIC (00981.HK) gained 2.4% to HK$77.10.")
    facts = {f.subject: f.horizon for f in build_pipeline()(Article(text=text, lang="en")).facts
             if f.kind == "price_move"}
    assert facts == {"03986.HK": "since_listing", "00981.HK": "close"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "also" and 同期 take the period of the move before them
        (
            "HSBC (00005.HK) rose 58% this year, and Hang Seng Bank (00011.HK) also gained 57%.",
            {"00005.HK": "ytd", "00011.HK": "ytd"},
        ),
        (
            "滙豐控股（0005）全年升幅58%，恒生銀行（0011）亦錄得57%升幅。",
            {"00005.HK": "year", "00011.HK": "year"},
        ),
        (
            "騰訊（0700）年內累計漲幅已達30%，跑贏恒生指數同期20.5%的漲幅。",
            {"00700.HK": "ytd", "HSI": "ytd"},
        ),
        # a cumulative move with no period named is a multi-day one
        ("小米（1810）連日受壓，累跌12%。", {"01810.HK": "multi_day"}),
        # the first half of the year is a year-to-date figure
        ("The CSI 300 Index eked out a 1.2% gain in the first half.", {"CSI300": "ytd"}),
        # before a trading halt
        ("升能集團（2459）盤後公告前暫停交易，暫停交易前暴跌90%。", {"02459.HK": "intraday"}),
        # a new listing named after 今日 … 在上交所上市 in a long sentence is a debut
        (
            "今日，摩爾線程智能科技(北京)股份有限公司(股票代碼:688795.SH)在上交所科創板上市。該股收盤報600.50元，漲幅425.46%。",
            {"688795.SH": "since_listing"},
        ),
    ],
)
def test_horizons_carried_from_context(text: str, expected: dict[str, str]) -> None:
    from tickerwire.extract import build_pipeline
    from tickerwire.model import Article

    facts = {f.subject: f.horizon for f in build_pipeline()(Article(text=text)).facts if f.kind == "price_move"}
    assert facts == expected


# Sentences for the shortcuts below: every horizon, session and day word, English and Chinese,
# full-width digits, Chinese numerals, and words that look like them but are not ("market", "declined").
SHORTCUT_SENTENCES = [
    "Tencent closed up 3.1% on Thursday, taking its gain so far this year to 42%.",
    "The Hang Seng Index opened 0.8% higher and was trading 1.2% up at the lunch break on Nov. 12.",
    "Hua Hong rose as much as 8% intraday yesterday before settling 5% higher at the close.",
    "SMIC has risen 95% over the past 12 months and 12% in five straight sessions since 9 Oct.",
    "The stock debuted 18% above its IPO price of HK$12.50 last Friday, after grey market trading.",
    "In the previous session the market declined 2% for the week, its worst since March.",
    "Shares fell 1.5% in the first half and 3% in 2025; the gauge eased in September.",
    "The market declined separately as investors sold banks; HK$3 billion changed hands.",
    "恒生指数半日收涨1.2%，报26,160点；年初至今累升28%，本月累跌三成。",
    "中芯国际周四（１１月１３日）高开后一度升8%，收报78.35港元，连升3日；过去一年累涨95%。",
    "該股暗盤較招股價高18%，上市首日收市升25%，昨日成交額一百亿港元，升幅擴大至2個百分點。",
    "騰訊星期五早市收升2%，今日午後跌1%，本交易日累計成交額1,850亿港元。",
    "小米連續3日下跌，前一交易日收跌0.5%，上周五曾升至52週高位。",
]


def _windows(text: str, step: int = 4) -> list[tuple[int, int]]:
    cuts = sorted({*range(0, len(text), step), len(text)})
    return [(a, b) for a in cuts for b in cuts if a < b]


def test_day_words_never_skip_a_sentence_that_names_a_day() -> None:
    """A sentence is only read for the days it names when it holds a day word (_DAY_WORDS); every
    slice the day expressions match in holds one."""
    from tickerwire.extract.timeframes import _ANCHORED, _DAY_EXPR, _DAY_WORDS_AT

    named = skipped = 0
    for text in SHORTCUT_SENTENCES:
        hits = _ANCHORED.scan(text)
        for a, b in _windows(text):
            piece = text[a:b]
            found = hits.search(_DAY_WORDS_AT, piece, offset=a)
            if re.compile(*_DAY_EXPR).search(piece):
                named += 1
                assert found, piece
            skipped += found is None
    assert named > 100 and skipped > 100


@pytest.mark.parametrize(
    ("sentence", "has_day_word"),
    [
        ("The market declined separately on heavy selling.", False),  # mar·ket, dec·lined, sep·arately
        ("The index fell 1% in March.", True),
        ("恒指周四收跌1%。", True),
        ("恒指收跌1%。", False),
    ],
)
def test_day_words_skip_sentences_without_one(sentence: str, has_day_word: bool) -> None:
    from tickerwire.extract.timeframes import _ANCHORED, _DAY_WORDS_AT

    assert (_ANCHORED.scan(sentence).search(_DAY_WORDS_AT, sentence) is not None) == has_day_word


@pytest.mark.parametrize("text", SHORTCUT_SENTENCES)
def test_anchored_horizon_and_session_cues_read_as_the_whole_patterns(text: str) -> None:
    """cue_horizon and session_of try a cue only where one of its leading literals starts; on
    every number of a sentence and every top of it they find what the ordinary search finds."""
    import re

    from tickerwire.extract.timeframes import _ANCHORED, cue_horizon

    hits, reference = _ANCHORED.scan(text), _ANCHORED.unfiltered()
    number = r"[\d０-９][\d０-９,.]*\s*(?:%|％|個百分點|点|點|港元)?|[一二三四五六七八九十百千]+成"
    numbers = list(re.finditer(number, text))
    assert numbers
    for m in numbers:
        for sentence in ((0, len(text)), (0, m.end()), (m.start(), m.end())):
            expected = cue_horizon(text, sentence, m.start(), m.end(), hits=reference)
            assert cue_horizon(text, sentence, m.start(), m.end(), hits=hits) == expected, (m.group(0), sentence)
            assert cue_horizon(text, sentence, m.start(), m.end()) == expected
    for cut in range(1, len(text) + 1, 3):
        top = text[:cut]
        assert session_of(top, None, hits=hits) == session_of(top, None, hits=reference) == session_of(top, None)


def test_facts_of_one_sentence_share_its_days_and_keep_every_field() -> None:
    """The days of a sentence are read once for all its facts; each fact gets the nearest one, and
    a fact whose horizon or day changes keeps every other field (as dataclasses.replace would)."""
    import dataclasses

    from tickerwire.extract.pipeline import Doc
    from tickerwire.extract.records import replaced
    from tickerwire.extract.timeframes import Timeframes
    from tickerwire.model import Article, Fact, Verification

    text = "恒指周四（11月13日）收升1%，周五（11月14日）收跌2%。"
    published = datetime(2025, 11, 14, 18, 0, tzinfo=HONG_KONG)
    doc = Doc.from_article(Article(text=text, published_at=published))
    doc.sentences = [(0, len(text))]
    doc.facts = [
        Fact("price_move", "HSI", pct=1.0, text="收升1%", start=text.index("收升"), end=text.index("，")),
        Fact("price_move", "HSI", pct=-2.0, text="收跌2%", start=text.index("收跌"), end=len(text) - 1),
    ]
    Timeframes()(doc)
    assert [(f.horizon, f.day) for f in doc.facts] == [("close", date(2025, 11, 13)), ("close", date(2025, 11, 14))]
    assert [f.day for f in doc.facts] == [fact_day(text, f.start, date(2025, 11, 14)) for f in doc.facts]

    full = Fact("target_price", "00700.HK", 650.0, 2.5, 3.0, 640.0, "HKD", "about", "HK$650", 3, 9, 700.0, 600.0,
                None, None, Verification(verdict="confirmed", field="price", stated=650.0, actual=648.0))
    day = date(2025, 11, 14)

    def values(fact: Fact) -> list[object]:
        return [getattr(fact, f.name) for f in dataclasses.fields(Fact)]

    retimed = replaced(full, horizon="close", day=day)
    assert values(retimed) == values(dataclasses.replace(full, horizon="close", day=day))
    assert values(replaced(full, horizon=None, day=None)) == values(full)


def test_named_days_read_with_anchors_match_the_whole_expression() -> None:
    """The day expressions are tried where a weekday, month or 周/昨日 … word starts, and read in
    full only where a digit-led date (11月13日, "9 Oct") may stand; every slice agrees."""
    from tickerwire.extract.timeframes import _ANCHORED, _DAY_EXPR, _resolve, named_days

    article_day = date(2025, 11, 14)
    day_expr = re.compile(*_DAY_EXPR)
    read = 0
    for text in SHORTCUT_SENTENCES:
        hits = _ANCHORED.scan(text)
        for a, b in _windows(text, step=6):
            piece = text[a:b]
            expected = [(m.start(), m.end(), d) for m in day_expr.finditer(piece) if (d := _resolve(m, article_day))]
            read += len(expected)
            assert named_days(piece, article_day, hits, a) == expected, piece
            assert named_days(piece, article_day) == expected
    assert read > 100


@pytest.mark.parametrize(
    "text",
    [
        "Tencent rose 2.1% while the Hang Seng Index fell 0.5 per cent and HSBC gained 3 PERCENT to HK$100",
        "恒指升1.2％，科指跌百分之二，騰訊升3%，成交額1,200億港元",
        "Revenue grew 12 Per Cent; the stock, up 8 pct, ended the week 10percent higher",
        "No figure here at all, only words: recent, centre, Percentage",
        "",
    ],
)
def test_percents_in_finds_what_the_pattern_finds_in_every_window(text: str) -> None:
    """Skipping windows without %, ％ or "cent" loses no percentage, whatever the window."""
    from tickerwire.extract.timeframes import _PERCENT, percents_in

    for start in range(len(text) + 1):
        for end in range(start, min(len(text), start + 60) + 1):
            assert [m.span() for m in percents_in(text, start, end)] == [
                m.span() for m in _PERCENT.finditer(text, start, end)
            ]


def test_only_c_e_n_t_match_the_letters_of_cent_case_insensitively() -> None:
    """What the "cent" check relies on: no character other than c, e, n, t (either case) matches
    one of them under re.IGNORECASE, so a lower-cased window holds "cent" wherever the pattern's
    "per cent" could match."""
    import re

    every_character = "".join(map(chr, range(0x110000)))
    for letter in "cent":
        matching = set(re.compile(letter, re.IGNORECASE).findall(every_character))
        assert {ch.lower() for ch in matching} == {letter}


CLAUSE_WINDOWS = [
    "", "Tencent rose 3%", "closed up 2%, and HSBC", "fell; then, while rising", "恒指收升1.2%，而科指", "升2%；另",
    "rose, but then fell, whereas it", "a,b, and, c", "一、二，至於三", "what? it fell! ok", "up 2%,and", ",", "?!;",
    ", Andrew", ", butter", "，至于", "。！？",
]


@pytest.mark.parametrize("window", CLAUSE_WINDOWS)
def test_clause_breaks_are_those_of_the_character_class_form(window: str) -> None:
    """The break pattern's branches begin with literals (so re skips to them); it finds what the
    form that begins with a character class finds."""
    from tickerwire.extract.timeframes import _CLAUSE_BREAK
    from tickerwire.refdata.rules import load_rules

    words = load_rules().alternation
    reference = re.compile(
        rf"[;；。!?！？]|, (?:{words('clause_contrast', 'en')}|{words('clause_and', 'en')})\b"
        rf"|，(?:{words('clause_contrast', 'zh')}|{words('clause_and', 'zh')})"
    )
    assert [m.span() for m in _CLAUSE_BREAK.finditer(window)] == [m.span() for m in reference.finditer(window)]


@pytest.mark.parametrize(
    "evidence",
    [
        "HSBC also gained 60%", "HSBC ALSO gained", "Also up 3%", "likewise rose", "SIMILARLY, it fell",
        "over the same period", "In The Same Period", "a cumulative 12%", "CUMULATIVELY up 5%", "up 9% in total",
        "科指累漲23%", "亦錄得升幅", "同期上升", "Tencent rose 2.1%", "", "alsoX", "累计", "Ａlso rose", "ſimilarly",
    ],
)
def test_carried_period_words_are_read_wherever_they_can_match(evidence: str) -> None:
    """The word check before the "also" and cumulative patterns never turns away text they match."""
    from tickerwire.extract.timeframes import _ALSO, _ALSO_WORDS, _CUMULATIVE, _CUMULATIVE_WORDS, _may_hold

    for pattern, words in ((_ALSO, _ALSO_WORDS), (_CUMULATIVE, _CUMULATIVE_WORDS)):
        if pattern.search(evidence):
            assert _may_hold(words, evidence)


def test_carried_period_word_check_turns_away_plain_moves() -> None:
    from tickerwire.extract.timeframes import _ALSO_WORDS, _CUMULATIVE_WORDS, _may_hold

    assert not _may_hold(_CUMULATIVE_WORDS, "Tencent rose 2.1% to HK$612")
    assert not _may_hold(_ALSO_WORDS, "HSBC rose 1%")
    assert _may_hold(_ALSO_WORDS, "HSBC also gained 1%")
    assert _may_hold(_CUMULATIVE_WORDS, "騰訊升2%")  # not ASCII: the pattern decides
    assert _may_hold(None, "anything")


def _cue_horizon_of_every_match(text: str, sentence: tuple[int, int], start: int, end: int) -> str | None:
    """``cue_horizon`` as it read every match of every cue before and after the number (the plain
    searches): the reference for the one that reads only the nearest match of each."""
    from tickerwire.extract.timeframes import _CUE_RES, _PRIORITY, clause_windows, nearest_cue

    _, before, after = clause_windows(text, sentence, start, end)
    found = []
    for horizon, source in _CUE_RES:
        pattern = re.compile(*source)
        found += [(len(before) - m.end(), _PRIORITY[horizon], horizon) for m in pattern.finditer(before)]
        found += [(m.start() + 1, _PRIORITY[horizon], horizon) for m in pattern.finditer(after)] if after else []
    return nearest_cue(found)


def _sample_sentences() -> list[str]:
    from pathlib import Path

    from tickerwire.extract.pipeline import Doc
    from tickerwire.extract.sentences import split_sentences
    from tickerwire.model import Article
    from tickerwire.sources import expand_inputs, read_path

    news = Path(__file__).resolve().parents[2] / "examples" / "news"
    out = []
    for path in expand_inputs([str(news)]):
        for article in read_path(path):
            if isinstance(article, Article):
                text = Doc.from_article(article).text
                out += [text[a:b] for a, b in split_sentences(text) if "%" in text[a:b] or "％" in text[a:b]]
    return out


def test_the_nearest_cue_of_each_pattern_decides_as_every_match_did() -> None:
    """``cue_horizon`` reads the last match of each cue before a number and the first after it (the
    nearest of each); on every number of the test sentences and of the sample news's sentences that
    hold a percentage, it names the horizon that reading every match of every cue names."""
    from tickerwire.extract.timeframes import _ANCHORED, cue_horizon

    number = r"[\d０-９][\d０-９,.]*\s*(?:%|％|個百分點|点|點|港元)?|[一二三四五六七八九十百千]+成"
    sentences = [*SHORTCUT_SENTENCES, *_sample_sentences()]
    named = 0
    for text in sentences:
        hits = _ANCHORED.scan(text)
        for m in re.finditer(number, text):
            for sentence in ((0, len(text)), (m.start(), m.end())):
                expected = _cue_horizon_of_every_match(text, sentence, m.start(), m.end())
                assert cue_horizon(text, sentence, m.start(), m.end(), hits=hits) == expected, (text, m.group(0))
                named += expected is not None
    assert len(sentences) > 100 and named > 100
