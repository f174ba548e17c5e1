"""Per-company sentiment through the whole pipeline: labels, scope, finance patterns, evidence,
and the grading ``tickerwire eval`` does with the ``sentiment`` gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tickerwire.evaluation import run_eval
from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.model import Article, Extraction


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


def run(pipeline: Pipeline, text: str, lang: str) -> Extraction:
    return pipeline(Article(text=text, source_id="t", lang=lang, format="text"))


PATTERNS = [
    # (text, lang, listing, label) — one finance pattern a row, English and Chinese
    ("Tencent shares rose 3.2% on Tuesday after its quarterly profit beat estimates.", "en", "00700.HK", "positive"),
    ("Xiaomi shares fell 4.7% after the company said margins would shrink.", "en", "01810.HK", "negative"),
    ("Morgan Stanley cut its price target on Meituan, citing fierce competition.", "en", "03690.HK", "negative"),
    ("Analysts upgraded Alibaba to buy after cloud revenue accelerated.", "en", "09988.HK", "positive"),
    ("Meituan's quarterly results missed estimates as subsidies weighed on margins.", "en", "03690.HK", "negative"),
    ("Tencent did not beat expectations this quarter.", "en", "00700.HK", "negative"),
    ("Pop Mart will join the Hang Seng Index next month.", "en", "09992.HK", "positive"),
    # figures whose rise is bad news
    ("Xiaomi warned that surging memory chip prices would raise its costs.", "en", "01810.HK", "negative"),
    ("Meituan cut costs sharply and its loss narrowed.", "en", "03690.HK", "positive"),
    ("比亞迪（1211）原材料成本上升，負債增加。", "zh", "01211.HK", "negative"),
    ("比亞迪（1211）成本下降，跌幅收窄。", "zh", "01211.HK", "positive"),
    ("騰訊（0700）股價升3.2%，季度盈利勝預期。", "zh", "00700.HK", "positive"),
    ("小米（1810）股價跌4.7%，毛利率不及預期。", "zh", "01810.HK", "negative"),
    ("大行下調美團（3690）目標價，評級亦被下調評級至中性。", "zh", "03690.HK", "negative"),
    ("蔚來（9866）上半年扭虧為盈，股價大漲。", "zh", "09866.HK", "positive"),
    ("泡泡瑪特（9992）獲納入恒生指數。", "zh", "09992.HK", "positive"),
    ("百度（9888）股價未能升穿阻力位，全日下跌2%。", "zh", "09888.HK", "negative"),
]


@pytest.mark.parametrize(("text", "lang", "listing", "label"), PATTERNS)
def test_finance_patterns_label_the_company(pipeline: Pipeline, text: str, lang: str, listing: str, label: str) -> None:
    sentiment = run(pipeline, text, lang).sentiment
    assert sentiment.labels.get(listing) == label, (sentiment.labels, sentiment.evidence.get(listing))


NEUTRAL = [
    ("Tencent will hold its annual general meeting in Hong Kong on May 14.", "en", "00700.HK"),
    ("Xiaomi shares closed flat at HK$38.88.", "en", "01810.HK"),
    ("騰訊（0700）將於5月14日舉行股東周年大會。", "zh", "00700.HK"),
    ("小米（1810）今日收市報38.88元。", "zh", "01810.HK"),
]


@pytest.mark.parametrize(("text", "lang", "listing"), NEUTRAL)
def test_plain_mentions_stay_neutral(pipeline: Pipeline, text: str, lang: str, listing: str) -> None:
    sentiment = run(pipeline, text, lang).sentiment
    assert sentiment.labels.get(listing) == "neutral", sentiment.evidence.get(listing)


SCOPE = [
    # each company gets the move of its own clause
    ("Tencent rose 2.1%, while Xiaomi fell 3.4%.", "en", {"00700.HK": "positive", "01810.HK": "negative"}),
    ("騰訊（0700）升2.1%，小米（1810）跌3.4%。", "zh", {"00700.HK": "positive", "01810.HK": "negative"}),
    # a bare list of names shares the predicate that follows it
    (
        "Pop Mart, JD Logistics, and China Telecom will join the Hang Seng Index next month.",
        "en",
        {"09992.HK": "positive", "02618.HK": "positive", "00728.HK": "positive"},
    ),
    ("此外，中國電信（0728）和京東物流（2618）亦獲納入恒指。", "zh", {"00728.HK": "positive", "02618.HK": "positive"}),
    ("Tencent, Meituan and Xiaomi fell sharply, while Alibaba rose.", "en",
     {"00700.HK": "negative", "03690.HK": "negative", "01810.HK": "negative", "09988.HK": "positive"}),
    # a market-wide sentence does not colour a company named elsewhere
    (
        "Tencent will hold its annual meeting on May 14. The Hang Seng Index tumbled 2% as stocks sank.",
        "en",
        {"00700.HK": "neutral"},
    ),
    ("騰訊（0700）將於5月14日舉行股東大會。恒指急跌2%，大市全面下挫。", "zh", {"00700.HK": "neutral"}),
]


@pytest.mark.parametrize(("text", "lang", "expected"), SCOPE)
def test_scope_is_the_company_clause(pipeline: Pipeline, text: str, lang: str, expected: dict[str, str]) -> None:
    labels = run(pipeline, text, lang).sentiment.labels
    assert {k: labels.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Xiaomi shares fell 4.7% after the company said margins would shrink.", "en"),
        ("小米（１８１０）股價跌４．７％，毛利率不及預期。", "zh"),  # full-width: spans quote the original
    ],
)
def test_evidence_spans_quote_the_article(pipeline: Pipeline, text: str, lang: str) -> None:
    sentiment = run(pipeline, text, lang).sentiment
    spans = sentiment.evidence["01810.HK"]
    assert spans
    for span in spans:
        assert span.text == text[span.start : span.end]
        assert span.weight < 0  # a negative label is explained by negative words only
    dumped = sentiment.to_dict()
    assert dumped["labels"]["01810.HK"] == "negative"
    assert dumped["evidence"]["01810.HK"][0]["text"] == spans[0].text


def test_eval_grades_sentiment_through_the_issuer(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    gold = tmp_path / "gold.jsonl"
    rows = [
        ("a1", "en", "Tencent shares rose 3.2% after profit beat estimates.", {"00700.HK": "positive"}),
        ("a2", "zh", "小米（1810）股價跌4.7%，毛利率不及預期。", {"01810.HK": "negative"}),
        ("a3", "en", "Xiaomi shares fell 4.7% after a weak quarter.", {"01810.HK": "positive"}),  # graded wrong
    ]
    docs.write_text("".join(json.dumps({"id": i, "lang": lang, "text": t}) + "\n" for i, lang, t, _ in rows))
    empty = {"issuers": [], "indices": [], "moves": [], "index_levels": [], "amounts": [], "events": []}
    gold.write_text(
        "".join(
            json.dumps({"id": i, **empty, "sentiment": {"article": "mixed", "by_subject": by}}) + "\n"
            for i, _, _, by in rows
        )
    )
    summary = run_eval(docs, gold).sentiment_summary()
    assert summary["all"]["labels"] == 3
    assert summary["all"]["accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert summary["en"]["accuracy"] == 0.5
    assert summary["zh"]["f1_negative"] == 1.0
    # negative: tp 1 (a2), fp 1 (a3 predicted negative for positive gold) → P 0.5, R 1 → F1 2/3
    assert summary["all"]["f1_negative"] == pytest.approx(2 / 3, abs=1e-3)


def test_inverse_figures_ship_in_both_scripts() -> None:
    from tickerwire.refdata.lexicons import load_lexicon

    assert {"costs", "debt"} <= load_lexicon("en").inverse_figures
    assert {"成本", "负债", "負債"} <= load_lexicon("zh").inverse_figures


@pytest.mark.parametrize(
    ("reported", "hedged", "lang"),
    [
        ("Xiaomi shares fell after the results.", "Xiaomi shares could fall after the results.", "en"),
        ("Tencent shares surged on the news.", "Tencent shares may surge on the news.", "en"),
        ("小米（1810）股價下跌。", "小米（1810）股價可能下跌。", "zh"),
        ("騰訊（0700）股價上漲。", "騰訊（0700）股價或將上漲。", "zh"),
    ],
)
def test_hedged_moves_weigh_less_than_reported_ones(pipeline: Pipeline, reported: str, hedged: str, lang: str) -> None:
    said = run(pipeline, reported, lang).sentiment
    maybe = run(pipeline, hedged, lang).sentiment
    (listing, score), = said.by_subject.items()
    assert 0 < abs(maybe.by_subject[listing]) < abs(score)
    assert (maybe.by_subject[listing] > 0) == (score > 0)
