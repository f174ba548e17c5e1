"""Sentiment: lexicons, negation, intensity, per-listing attribution, bounds and the component."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.errors import RefdataError
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.sentiment import (
    _TERM,
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    SentimentScorer,
    _fold_latin,
    _LanguageMatcher,
    label_for,
)
from tickerwire.model import Article, Mention
from tickerwire.refdata.lexicons import load_lexicon, parse_lexicon, read_lexicon

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return SentimentScorer()


def mention(listing: str, text: str, body: str, *, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return Mention(
        issuer=listing,
        name=text,
        listing=listing,
        listings=(listing,),
        text=text,
        start=start,
        end=start + len(text),
        confidence=1.0,
    )


LABELLED = [
    # English
    ("Xinhe Robotics shares surged 12% to a record high after first-half profit beat estimates.", "positive"),
    ("Brokers upgraded Lakeview Pharma to buy and raised their price target.", "positive"),
    ("The chipmaker rallied for a third day as investors cheered its new product.", "positive"),
    ("Northbound investors were net buyers as the index jumped to a four-month high.", "positive"),
    ("Harbour Auto plunged 15% after it issued a profit warning.", "negative"),
    ("Shares of the developer slumped after a missed bond payment raised default fears.", "negative"),
    ("The stock tumbled after Washington widened export controls on the company.", "negative"),
    ("Regulators opened a probe into the lender, and the shares sank to a record low.", "negative"),
    ("Analysts downgraded the insurer to sell, citing weaker-than-expected premiums.", "negative"),
    ("The board will meet on Thursday to approve the interim accounts.", "neutral"),
    ("Trading in the shares will resume at 9 a.m. on Monday.", "neutral"),
    ("The company is headquartered in Shenzhen and has 4,000 employees.", "neutral"),
    # simplified Chinese
    ("新和机器人股价大涨12%，盘中创新高。", "positive"),
    ("券商上调湖景医药目标价，并维持买入评级。", "positive"),
    ("公司半年度净利润同比增长35%，业绩超预期。", "positive"),
    ("南向资金净买入，多只科技股涨停。", "positive"),
    ("港汽发布盈利预警，股价暴跌15%。", "negative"),
    ("受出口管制消息拖累，该芯片股跌停。", "negative"),
    ("大股东宣布减持，股价下挫逾8%。", "negative"),
    ("监管部门对该公司立案调查，市场担忧情绪升温。", "negative"),
    ("公司将于周四召开董事会会议。", "neutral"),
    ("该股将于下周一上午九时恢复交易。", "neutral"),
    # traditional Chinese
    ("新和機器人股價大漲12%，盤中創新高。", "positive"),
    ("券商上調湖景醫藥目標價，並維持買入評級。", "positive"),
    ("北水掃貨，內房股全線飆升。", "positive"),
    ("港汽發出盈利預警，股價暴跌15%。", "negative"),
    ("大股東宣佈減持，股價下挫逾8%。", "negative"),
    ("美國宣佈新一輪制裁，相關股份遭沽售。", "negative"),
    ("公司將於週四召開董事會會議。", "neutral"),
]


@pytest.mark.parametrize(("sentence", "expected"), LABELLED)
def test_sentence_label(scorer: SentimentScorer, sentence: str, expected: str) -> None:
    assert scorer.score_text(sentence).label == expected


NOT_NEGATIVE = [
    "The shares did not fall on Monday.",
    "Harbour Auto has never defaulted on a bond.",
    "该股并未下跌。",
    "这并非利空消息。",
    "股價沒有下跌。",
]


@pytest.mark.parametrize("sentence", NOT_NEGATIVE)
def test_negated_negative_is_not_negative(scorer: SentimentScorer, sentence: str) -> None:
    assert scorer.score_text(sentence).label != "negative"


NEGATED_POSITIVE = [
    "Lakeview Pharma failed to beat estimates for a third quarter.",
    "The stock did not rally after the results.",
    "公司今年仍未能扭亏。",
    "公司今年仍未能扭虧。",
    "业绩没有改善。",
]


@pytest.mark.parametrize("sentence", NEGATED_POSITIVE)
def test_negated_positive_is_negative(scorer: SentimentScorer, sentence: str) -> None:
    assert scorer.score_text(sentence).label == "negative"


def test_negation_does_not_cross_a_clause(scorer: SentimentScorer) -> None:
    plain = scorer.score_text("Exports surged.").score
    assert plain > 0
    assert scorer.score_text("No, exports surged.").score == pytest.approx(plain)
    assert scorer.score_text("No exports surged.").score < 0


def test_neutral_blockers_shadow_negators(scorer: SentimentScorer) -> None:
    # 不断 is "continuously", not a negation; 未来 is "the future", not 未.
    assert scorer.score_text("股价不断上涨。").label == "positive"
    assert scorer.score_text("未来上涨空间较大。").label == "positive"


@pytest.mark.parametrize(
    ("strong", "weak"),
    [
        ("Harbour Auto shares rose sharply.", "Harbour Auto shares rose slightly."),
        ("Harbour Auto shares fell sharply.", "Harbour Auto shares fell slightly."),
        ("The index declined significantly.", "The index declined marginally."),
        ("恒指大幅上涨。", "恒指小幅上涨。"),
        ("恒指大幅下跌。", "恒指略微下跌。"),
        ("恆指顯著下跌。", "恆指小幅下跌。"),
    ],
)
def test_intensity_ordering(scorer: SentimentScorer, strong: str, weak: str) -> None:
    s, w = scorer.score_text(strong).score, scorer.score_text(weak).score
    assert abs(s) > abs(w) > 0
    assert (s > 0) == (w > 0)


def test_longest_match_wins(scorer: SentimentScorer) -> None:
    # "profit warning" is one negative term, not "profit" plus a neutral "warning"
    assert scorer.score_text("Harbour Auto issued a profit warning.").label == "negative"
    # 跌幅收窄 (losses narrowed) is mildly positive although it contains 跌
    assert scorer.score_text("恒指跌幅收窄。").score > 0


def test_word_boundaries_for_latin_text() -> None:
    modifiers = "negators: {en: []}\nintensifiers: {en: {}}\nneutral: {en: []}\n"
    lexicon = parse_lexicon("en", "term\tweight\nban\t-0.9\nloss\t-0.9\n", modifiers, origin="t")
    scorer = SentimentScorer({"en": lexicon})
    # "ban" inside "urban", "loss" inside "glossy" must not match; "Ban" and "loss-" must
    assert scorer.score_text("Urban glossy brochures.").score == 0.0
    assert scorer.score_text("Ban on loss-making units.").label == "negative"


def test_by_subject_attributes_sentences_to_their_companies(scorer: SentimentScorer) -> None:
    body = (
        "Asian stocks were mixed on Tuesday.\n"
        "Lakeview Pharma surged 9% after its drug won approval.\n"
        "Harbour Auto tumbled 7% after a profit warning."
    )
    mentions = [
        mention("01234.HK", "Lakeview Pharma", body),
        mention("05678.HK", "Harbour Auto", body),
    ]
    result = scorer.score_text(body, mentions)
    assert result.by_subject["01234.HK"] >= POSITIVE_THRESHOLD
    assert result.by_subject["05678.HK"] <= NEGATIVE_THRESHOLD


def test_by_subject_splits_clauses_in_one_sentence(scorer: SentimentScorer) -> None:
    body = "新和机器人大涨8%，而港汽则暴跌6%。"
    mentions = [mention("02001.HK", "新和机器人", body), mention("02002.HK", "港汽", body)]
    result = scorer.score_text(body, mentions)
    assert result.by_subject["02001.HK"] >= POSITIVE_THRESHOLD
    assert result.by_subject["02002.HK"] <= NEGATIVE_THRESHOLD


_TWO_COMPANIES = [
    ("新和机器人大涨8%，而港汽则暴跌6%。", "新和机器人", "港汽"),
    ("Lakeview Pharma surged 9%, while Harbour Auto tumbled 7%.", "Lakeview Pharma", "Harbour Auto"),
]


@pytest.mark.parametrize("lead", ["", "港股今早窄幅上落。", "Trading was thin in the morning session. ",
                                  "恒指半日收市变动不大，成交额缩减。\n", "Markets opened flat.\n\n"])
@pytest.mark.parametrize(("sentence", "up", "down"), _TWO_COMPANIES)
def test_by_subject_splits_clauses_in_any_sentence_of_the_article(
    scorer: SentimentScorer, lead: str, sentence: str, up: str, down: str
) -> None:
    # Clause boundaries are offsets into the article, wherever the sentence stands in it.
    body = lead + sentence
    result = scorer.score_text(body, [mention("02001.HK", up, body), mention("02002.HK", down, body)])
    assert result.by_subject["02001.HK"] >= POSITIVE_THRESHOLD
    assert result.by_subject["02002.HK"] <= NEGATIVE_THRESHOLD


def test_by_subject_lists_mentioned_listings_without_tone(scorer: SentimentScorer) -> None:
    body = "Lakeview Pharma will hold its annual meeting in June."
    result = scorer.score_text(body, [mention("01234.HK", "Lakeview Pharma", body)])
    assert result.by_subject == {"01234.HK": 0.0}


def test_headline_counts_more(scorer: SentimentScorer) -> None:
    up, down = "Harbour Auto surged.", "Harbour Auto slumped."
    assert scorer.score_text(f"{up}\n{down}").score > 0
    assert scorer.score_text(f"{down}\n{up}").score < 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "surged",
                "plunged",
                "not",
                "sharply",
                "slightly",
                "record high",
                "profit warning",
                "大涨",
                "暴跌",
                "未能",
                "扭亏",
                "大幅",
                ". ",
                "。",
                ", ",
                "the",
                "股价",
                "\n",
                "did not fall",
            ]
        ),
        max_size=60,
    )
)
def test_score_is_bounded_and_label_consistent(scorer: SentimentScorer, parts: list[str]) -> None:
    result = scorer.score_text(" ".join(parts))
    assert -1.0 < result.score < 1.0
    assert result.label == label_for(result.score)
    assert all(-1.0 < v < 1.0 for v in result.by_subject.values())


def test_component_contract_and_fallback_sentence_split(scorer: SentimentScorer) -> None:
    assert scorer.name == "sentiment"
    assert scorer.reads == ("article", "text", "sentences", "mentions", "facts")
    assert scorer.adds == ("sentiment",)
    body = "Harbour Auto plunged 15% after a profit warning.\nThe market closed flat."
    doc = Doc.from_article(Article(text=body, lang="en"))
    doc.mentions = [mention("05678.HK", "Harbour Auto", body)]
    assert doc.sentences == []
    scorer(doc)
    assert doc.sentiment.label == "negative"
    assert doc.sentiment.by_subject["05678.HK"] < 0


def test_component_reads_full_width_text() -> None:
    scorer = SentimentScorer()
    doc = Doc.from_article(Article(text="ＳＨＡＲＥＳ ＳＵＲＧＥＤ．", lang="en"))
    scorer(doc)
    assert doc.sentiment.label == "positive"


# --- lexicons -------------------------------------------------------------------------------


def test_lexicons_load_once_and_cover_both_chinese_scripts() -> None:
    assert load_lexicon("en") is load_lexicon("en")
    zh = load_lexicon("zh")
    for simplified, traditional in [
        ("大涨", "大漲"),
        ("减持", "減持"),
        ("创新高", "創新高"),
        ("调查", "調查"),
        ("亏损", "虧損"),
        ("卖出", "賣出"),
    ]:
        assert zh.terms[simplified] == zh.terms[traditional]
    assert {"并非", "並非", "没有", "沒有"} <= zh.negators
    en = load_lexicon("en")
    assert en.intensifiers["sharply"] > 1 > en.intensifiers["slightly"]


def test_packaged_lexicons_ship_only_licensed_sources() -> None:
    # Loughran-McDonald (research-only) and the unlicensed Chinese dictionaries are never shipped.
    assert set(load_lexicon("en").sources.values()) == {"tickerwire", "sentibignomics"}
    assert set(load_lexicon("zh").sources.values()) == {"tickerwire"}
    assert all(-1.0 <= w <= 1.0 for w in load_lexicon("en").terms.values())


def test_unknown_language_raises() -> None:
    with pytest.raises(RefdataError, match="no sentiment lexicon for language 'fr'"):
        load_lexicon("fr")


def test_missing_files_raise_refdata_error(tmp_path: Path) -> None:
    with pytest.raises(RefdataError, match="cannot read sentiment lexicon"):
        read_lexicon("en", tmp_path / "missing.tsv", tmp_path / "missing.yaml")


def test_corrupt_lexicon_raises_refdata_error() -> None:
    modifiers = "negators: {en: []}\nintensifiers: {en: {}}\nneutral: {en: []}\n"
    with pytest.raises(RefdataError, match="header"):
        parse_lexicon("en", "word\tscore\nup\t1\n", modifiers, origin="x.tsv")
    with pytest.raises(RefdataError, match=r"outside -1\.\.1"):
        parse_lexicon("en", "term\tweight\nup\t3\n", modifiers, origin="x.tsv")
    with pytest.raises(RefdataError, match=r"lack negators\.zh"):
        parse_lexicon("zh", "term\tweight\n涨\t0.4\n", modifiers, origin="x.tsv")


def test_custom_lexicon_is_used() -> None:
    modifiers = "negators: {en: [not]}\nintensifiers: {en: {}}\nneutral: {en: []}\n"
    lexicon = parse_lexicon("en", "term\tweight\nmoonshot\t0.9\n", modifiers, origin="mine.tsv")
    scorer = SentimentScorer({"en": lexicon})
    assert scorer.score_text("A moonshot.").label == "positive"
    assert scorer.score_text("Not a moonshot.").label == "negative"
    assert scorer.score_text("Shares surged.").label == "neutral"  # not in this lexicon


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data (source lexicons)")
def test_packaged_files_are_up_to_date(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "build_lexicons.py"
    spec = importlib.util.spec_from_file_location("build_lexicons", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_lexicons"] = module
    spec.loader.exec_module(module)
    module.build(SHARED, tmp_path)
    packaged = ROOT / "src" / "tickerwire" / "refdata" / "data"
    for name in ("sentiment_en.tsv", "sentiment_zh.tsv", "sentiment_modifiers.yaml"):
        assert (tmp_path / name).read_bytes() == (packaged / name).read_bytes(), name


def test_broker_tone_counts_for_the_stock_not_the_broker() -> None:
    from tickerwire.extract import build_pipeline
    from tickerwire.model import Article

    ex = build_pipeline()(Article(text="SMIC (00981.HK) fell 3.6% after Morgan Stanley cut its target price."))
    assert set(ex.sentiment.by_subject) == {"00981.HK"}
    assert ex.sentiment.by_subject["00981.HK"] < 0


def _hits_by_brute_force(lexicon_words: list[str], text: str, latin: bool) -> list[tuple[int, int]]:
    """Every occurrence of every word (word-bounded for Latin), then leftmost-longest."""
    def word_char(c: str) -> bool:
        return c.isalnum() and ord(c) < 0x2E80

    found = []
    for word in lexicon_words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not latin or not ((at > 0 and word_char(text[at - 1])) or (end < len(text) and word_char(text[end]))):
                found.append((at, end))
            at = text.find(word, at + 1)
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda h: (h[0], -h[1])):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    return chosen


HIT_TEXTS = [
    "enterprise risen rise up upgrade; profit warning warnings. did not fall, fell",
    "The stock rose sharply — risers rose; a record high record-high",
    "Ｒｏｓｅ ROSE rose-ish rose_x rose2 2rose (rose)",
    "股价大涨，跌幅收窄；未能扭亏，未来可期，升幅扩大至三成",
    "港股升1.5個百分點，騰訊大升；成本上升",
]


@pytest.mark.parametrize("text", HIT_TEXTS)
def test_term_matches_are_word_bounded_and_leftmost_longest(text: str) -> None:
    """Only the chosen matches become hits: the same ones a brute-force scan chooses."""
    modifiers = (
        "negators: {en: [not], zh: [未, 未能]}\n"
        "intensifiers: {en: {sharply: 1.5}, zh: {大: 1.5}}\n"
        "neutral: {en: [], zh: [未来]}\n"
    )
    en_words = ["rise", "rose", "risen", "up", "upgrade", "profit warning", "warning", "fall", "fell",
                "record high", "record", "high", "rose-ish", "not", "sharply"]
    zh_words = ["大涨", "涨", "跌", "跌幅收窄", "扭亏", "升", "大升", "升幅扩大", "上升", "未", "未能", "未来", "大"]
    for lang, words in (("en", en_words), ("zh", zh_words)):
        terms = [w for w in words if w not in {"not", "sharply", "未", "未能", "未来", "大"}]
        table = "term\tweight\n" + "".join(f"{w}\t0.5\n" for w in terms)
        lexicon = parse_lexicon(lang, table, modifiers, origin="t")
        matcher = _LanguageMatcher(lexicon)
        folded = _fold_latin(text) if matcher.latin else text
        hits = matcher.hits(folded)
        assert [(h.start, h.end) for h in hits] == _hits_by_brute_force(words, folded, matcher.latin)
        assert all(h.lang == lang and h.value == (0.5 if h.kind == _TERM else h.value) for h in hits)


@pytest.mark.parametrize(
    ("values", "weights"),
    [([], []), ([0.5], [4.0]), ([1.0, -0.5, 0.0, 2.25], [4.0, 3.0, 2.0, 1.0]), ([0, -1.5, 0.1], [1.0, 1.0, 1.0])],
)
def test_combine_is_the_weighted_ratio(values: list[float], weights: list[float]) -> None:
    from tickerwire.extract.sentiment import SMOOTHING, combine

    signed = sum(w * v for v, w in zip(values, weights, strict=True))
    absolute = sum(w * abs(v) for v, w in zip(values, weights, strict=True))
    assert combine(values, weights) == signed / (absolute + SMOOTHING)
    assert combine(values, weights, smoothing=0.5) == signed / (absolute + 0.5)


def test_combine_needs_a_weight_per_value() -> None:
    from tickerwire.extract.sentiment import combine

    with pytest.raises(ValueError, match="2 values but 1 weights"):
        combine([0.5, 0.5], [1.0])


CLAUSE_SENTENCES = [
    "Tencent rose 2%, while Alibaba fell; HSBC: flat, but AIA gained although costs rose, though not much.",
    "WHILE Tencent ROSE, BUT, However, ALTHOUGH, Though, whereas: 1,000 shares, 2,5 and 3 , 4",
    "butter, whilst, buttress, thoughtful, although-ish, but_, _but, 9,999,999; end:",
    "騰訊升2%，而阿里跌；不过、同时——然而另一方面",
    "Mixed ASCII and — dash, but here", "", ",", "but", "1,2", "a,b", ";;;", "however,however",
]


@pytest.mark.parametrize("sentence", CLAUSE_SENTENCES)
def test_clause_boundaries_are_the_patterns_matches(sentence: str) -> None:
    """Trying the clause pattern only where a boundary can begin finds what its scan finds."""
    from tickerwire.extract.sentiment import _CLAUSE, _clause_boundaries

    text = f"Lead. {sentence} Tail"
    span = (6, 6 + len(sentence))
    assert _clause_boundaries(text, span) == [m.start() for m in _CLAUSE.finditer(text, *span)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    ",", ", ", ";", ":", " ", "1", "x", "but", "BUT", "While", "whereas", "though", "al", "however", "ter", "_", "，",
    "而", "Tencent", "rose", "—", "ſ",
]), max_size=16))
def test_clause_boundaries_are_the_patterns_matches_on_any_text(pieces: list[str]) -> None:
    from tickerwire.extract.sentiment import _CLAUSE, _clause_boundaries

    sentence = "".join(pieces)
    text = f"9{sentence}9"
    for span in ((1, 1 + len(sentence)), (0, len(text))):
        assert _clause_boundaries(text, span) == [m.start() for m in _CLAUSE.finditer(text, *span)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8),
    st.lists(st.integers(0, 60), max_size=12),
)
def test_starting_inside_is_the_bisection(sentences: list[tuple[int, int]], starts: list[int]) -> None:
    """Walking on from sentence to sentence finds the bisection's ranges, in text order or not."""
    from bisect import bisect_left

    from tickerwire.extract.sentiment import starting_inside

    starts.sort()
    expected = []
    for start, end in sentences:
        lo = bisect_left(starts, start)
        expected.append((lo, bisect_left(starts, end, lo)))
    assert starting_inside(sentences, starts) == expected
    ordered = sorted(sentences)
    assert starting_inside(ordered, starts) == [expected[sentences.index(s)] for s in ordered]
