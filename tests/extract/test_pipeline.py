"""The pipeline contract: pinned components, offsets that slice back, the DESIGN keys, failure isolation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickerwire.extract import Doc, Pipeline
from tickerwire.extract.pipeline import _cjk_ratio, article_market
from tickerwire.model import Article, Event, Fact, Mention
from tickerwire.taxonomy import EVENT_TYPE_NAMES, FACT_KIND_NAMES

FRAGMENTS = [
    "SMIC (00981.HK) fell 3.6% to HK$72.15. ",
    "恒指收跌1.5%，報25,611點。",
    "騰訊控股升２．５％，收報５１０港元。",
    "Turnover was HK$231.5 billion. ",
    "Goldman Sachs raised its target price on Hua Hong to HK$95. ",
    "南向资金净买入85.6亿港元。",
    "Alibaba-W (9988) and Meituan both rose more than 2%. ",
    "\n",
    "  ",
    "The company said net income rose 12% year-over-year. ",
    "（００９８１）",
    "华虹半导体涨超8%，中芯国际、英诺赛科涨超3%。",
]


def test_component_list_is_pinned(pipeline: Pipeline) -> None:
    assert pipeline.names == (
        "sentences",
        "gazetteer",
        "securities",
        "quantities",
        "facts",
        "timeframes",
        "events",
        "ipo_details",
        "relevance",
        "sentiment",
    )
    for component in pipeline.components:
        assert component.reads and component.adds


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8))
def test_offsets_slice_back_to_the_text(pipeline: Pipeline, parts: list[str]) -> None:
    text = "".join(parts)
    ex = pipeline(Article(text=text))
    assert ex.errors == ()
    for item in (*ex.mentions, *ex.indices, *ex.facts, *ex.events):
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start : item.end] == item.text
    assert {f.kind for f in ex.facts} <= set(FACT_KIND_NAMES)
    assert {e.type for e in ex.events} <= set(EVENT_TYPE_NAMES)


def test_contract_keys(pipeline: Pipeline) -> None:
    d = pipeline(Article(text="SMIC (00981.HK) fell 3.6% to HK$72.15.", source_id="a1")).to_dict(with_text=True)
    for key in (
        "id",
        "title",
        "published_at",
        "lang",
        "source",
        "url",
        "mentions",
        "indices",
        "facts",
        "events",
        "sentiment",
        "text",
    ):
        assert key in d
    assert d["id"] == "a1"
    assert set(d["mentions"][0]) >= {"issuer", "name", "listing", "listings", "text", "start", "end", "confidence"}
    assert set(d["facts"][0]) >= {
        "kind",
        "subject",
        "value",
        "pct",
        "points",
        "price",
        "currency",
        "qualifier",
        "text",
        "start",
        "end",
    }
    assert set(d["sentiment"]) >= {"score", "label", "by_subject"}


class _Broken:
    name = "broken"
    reads = ("text",)
    adds = ("facts",)

    def __call__(self, doc: Doc) -> None:
        raise ValueError("boom")


def test_a_failing_component_is_recorded_and_the_rest_run(pipeline: Pipeline) -> None:
    p = Pipeline([_Broken(), *pipeline.components])
    ex = p(Article(text="SMIC (00981.HK) fell 3.6%."))
    assert ex.errors and ex.errors[0].startswith("broken: ValueError")
    assert ex.mentions


# --- what Doc.from_article works out before any component runs --------------------------------

LANGUAGE_TABLE = [
    ("Tencent rose 2.1% to HK$612 in Hong Kong.", "en"),
    ("Tencent’s shares rose 2.1% — “a record”, analysts said.", "en"),  # non-ASCII, no ideograph
    ("騰訊控股升２．５％，收報５１０港元。", "zh"),
    ("恒生指数半日收涨1.2%，报26,160点。", "zh"),
    ("SMIC (00981.HK) 中芯国际升8%，华虹半导体涨超8%。", "zh"),  # mixed, mostly ideographs
    ("SMIC (00981.HK) and Hua Hong led the chip rally; 中芯国际升8%.", "en"),  # 5 of 61: under 15 %
    ("SMIC (00981.HK), Hua Hong and Tencent led a broad chip rally in Hong Kong on Monday (中芯).", "en"),
    ("\u4dff\ua000\u3400 and ＡＢＣ only", "en"),  # just outside U+4E00..U+9FFF: not counted
    ("\u4e00\u9fff" + "x" * 8, "zh"),  # the two ends of the range: counted
    ("\ud800 lone surrogate and 一" + "y" * 5, "en"),  # counted, but 1 of 28
    ("\ud800一二三", "zh"),
    ("𠀀𠀁 (beyond the BMP) and text", "en"),
    ("", "en"),
]


@pytest.mark.parametrize(("text", "lang"), LANGUAGE_TABLE)
def test_language_from_the_share_of_ideographs(text: str, lang: str) -> None:
    sample = text[:2000]
    ideographs = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    assert _cjk_ratio(text) == (ideographs / len(sample) if sample else 0.0)
    assert Doc.from_article(Article(text=text)).lang == lang
    assert Doc.from_article(Article(text=text, lang="en")).lang == "en"  # a stated language wins


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("中文一鿿丂\u4dff\ua000"))))
def test_ideograph_share_counts_what_a_scan_counts(text: str) -> None:
    sample = text[:2000]
    ideographs = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    assert _cjk_ratio(text) == (ideographs / len(sample) if sample else 0.0)


MARKET_TABLE = [
    ("Tencent (00700.HK) rose 2.1% to HK$612.", "HK"),
    ("The Shanghai Composite rose 1%, and A-shares of Kweichow Moutai gained.", "CN"),
    ("A-shares rose while the Hang Seng fell; HKEX and Hong Kong stocks lagged.", "HK"),
    ("沪指涨1%，创业板指涨2%，人民币走强。", "CN"),
    ("港股恒指升1%，人民币走强。", "HK"),  # 港股 and 恒指 outnumber 人民币
    ("恒生指数升1%，沪深300涨2%。", "HK"),  # one each: a tie stays HK
    ("No market words at all.", "HK"),
]


@pytest.mark.parametrize(("text", "market"), MARKET_TABLE)
def test_article_market_from_its_words(text: str, market: str) -> None:
    assert article_market(text) == market
    assert Doc.from_article(Article(text=text)).market == market


class _Spans:
    """Adds a mention outside the text, a fact whose text is the folded copy's, and an event."""

    name = "spans"
    reads = ("text",)
    adds = ("mentions", "facts", "events")

    def __call__(self, doc: Doc) -> None:
        doc.facts.append(Fact("price_move", None, pct=5.0, text=doc.text[4:8], start=4, end=8))
        doc.facts.append(Fact("price_move", None, pct=1.0, text=doc.text[0:2], start=0, end=2))
        doc.mentions.append(
            Mention("X", "X", "1.HK", ("1.HK",), "X", len(doc.text) + 1, len(doc.text) + 3, 1.0)
        )
        doc.events.append(Event("earnings", (), doc.text[4:8], 4, 8))
        doc.events.append(Event("earnings", (), doc.text[0:2], 0, 2))


def test_finished_spans_are_checked_quoted_as_written_and_sorted() -> None:
    text = "騰訊升５．２％。"
    ex = Pipeline([_Spans()])(Article(text=text))
    assert [(f.start, f.text) for f in ex.facts] == [(0, "騰訊"), (4, "．２％。")]  # sorted; full-width kept
    assert [(e.start, e.text) for e in ex.events] == [(4, "．２％。"), (0, "騰訊")]  # events keep their order
    assert ex.mentions == ()
    assert ex.errors == ("offsets: dropped a mention at 9..11 outside the text (0..8)",)
