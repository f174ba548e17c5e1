"""The pipeline contract: pinned components, offsets that slice back, the DESIGN keys, failure isolation."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickerwire.extract import Doc, Pipeline
from tickerwire.model import Article
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
