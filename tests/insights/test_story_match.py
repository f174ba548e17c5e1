"""Story matching of single pairs: shingles, fact keys and the same-story rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tickerwire.extract import build_pipeline
from tickerwire.insights.story_match import (
    COMPANY_WEIGHT,
    INDEX_WEIGHT,
    MARKET_WEIGHT,
    FactKey,
    SignatureIndex,
    StorySignature,
    fact_key,
    fact_weight,
    same_story,
    shingles,
    signature_of,
    text_jaccard,
    text_minhash,
)
from tickerwire.model import Article, Fact, Link
from tickerwire.sources.jsonl import read_jsonl

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
MARKETS = {"HSI": "HK", "HSCEI": "HK", "HSTECH": "HK", "SSE": "CN", "CSI300": "CN"}


@pytest.fixture(scope="module")
def signatures() -> dict[str, StorySignature]:
    """The fixture articles' signatures, keyed by their JSONL ids (st-fx-01 …, st-ho-01 …)."""
    pipeline = build_pipeline()
    out: dict[str, StorySignature] = {}
    for path in (FIXTURES / "articles.jsonl", FIXTURES / "held_out.jsonl"):
        for item in read_jsonl(path.read_text(encoding="utf-8"), origin=str(path)):
            assert isinstance(item, Article)
            assert item.published_at is not None
            out[item.id] = signature_of(item.id, item, pipeline(item),
                                        anchor_at=item.published_at, index_markets=MARKETS)
    return out


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("美团股价大涨6.8% 海外外卖亏损收窄", "美團股價大漲6.8% 海外外賣虧損收窄"),
        ("Meituan ＪＵＭＰＳ ６．８％", "meituan jumps 6.8%"),
        ("Hang  Seng\nIndex rises", "hang seng index rises"),
    ],
)
def test_shingles_fold_script_width_case_and_space(a: str, b: str) -> None:
    assert sorted(shingles(a)) == sorted(shingles(b))


def test_shingles_of_short_text_and_of_nothing() -> None:
    assert shingles("SMIC") == [b"smic"]
    assert shingles("…") == []


@pytest.mark.parametrize("text", [
    "SMIC fell 2.4% to HK$75.25 on Friday as the Hang Seng Index rose 0.6%.",
    "中芯國際周五跌2.4%，收報75.25港元，恒生指數升0.6%。",
    "SMIC",
])
def test_a_text_minhash_is_datasketchs_with_the_fixed_seed(text: str) -> None:
    """The permutations drawn once per process give the MinHash datasketch draws per text: the
    signatures stored by earlier versions still match."""
    from datasketch import MinHash

    fresh = MinHash(num_perm=128, seed=1, scheme="affine32")
    fresh.update_batch(shingles(text))
    assert text_minhash(text) == tuple(int(v) for v in fresh.hashvalues)
    assert text_minhash(text) == text_minhash(text)


def test_minhashes_made_in_several_threads_at_once_are_each_texts_own() -> None:
    """Each thread reuses its own MinHash: texts hashed concurrently (an API server ingests in
    a thread pool) get the values they get one by one."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"Tencent rose {i}.{i % 10}% as southbound buying reached HK${i} billion; "
             f"騰訊股價上升{i}%，南向資金淨買入{i}億港元。" for i in range(200)]
    alone = [text_minhash(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(text_minhash, texts)) == alone
    assert len(set(alone)) == len(texts)


def test_a_precomputed_minhash_gives_the_same_signature() -> None:
    article = Article("SMIC fell 2.4%\nSMIC fell 2.4% to HK$75.25 on Friday.",
                      url="https://news.example.com/smic")
    anchor = datetime(2025, 11, 7, 8, 0, tzinfo=UTC)
    computed = signature_of("a", article, None, anchor_at=anchor)
    given = signature_of("a", article, None, anchor_at=anchor,
                         minhash=text_minhash(article.text))
    assert computed == given
    index = SignatureIndex()
    index.add(computed)
    copy = signature_of("b", article, None, anchor_at=anchor)
    assert [s.article_id for s in index.candidates(copy)] == ["a"]
    assert text_jaccard(copy, computed) == 1.0


DAY = date(2025, 12, 1)


@pytest.mark.parametrize(
    ("fact", "key"),
    [
        (Fact("price_move", "03690.HK", pct=6.8, price=104.5, horizon="close", day=DAY),
         ("price_move", "03690.HK", "2025-12-01", "close", "6.8")),
        (Fact("price_move", "03690.HK", price=104.5, day=DAY),
         ("price_move", "03690.HK", "2025-12-01", "", "104.50")),
        (Fact("index_level", "HSI", value=26120.4, horizon="close", day=DAY),
         ("index_level", "HSI", "2025-12-01", "close", "26120")),
        (Fact("turnover", "HK", value=231_500_000_000, currency="HKD", day=DAY),
         ("turnover", "HK", "2025-12-01", "", "2.32e+11")),
        (Fact("target_price", "03690.HK", value=130.0, day=DAY),
         ("target_price", "03690.HK", "", "", "130.00")),
        (Fact("revenue", "00981.HK", value=2_382_000_000, currency="USD", day=DAY),
         ("revenue", "00981.HK", "", "", "2.38e+09")),
    ],
)
def test_fact_key_is_kind_subject_day_horizon_and_rounded_number(
    fact: Fact, key: tuple[str, ...]
) -> None:
    assert fact_key(fact) == key


def test_reported_figures_keep_their_key_on_another_day_market_figures_do_not() -> None:
    next_day = date(2025, 12, 2)
    results = [Fact("net_profit", "00981.HK", value=1.918e8, day=d) for d in (DAY, next_day)]
    closes = [Fact("close_price", "00981.HK", value=75.25, day=d) for d in (DAY, next_day)]
    assert fact_key(results[0]) == fact_key(results[1])
    assert fact_key(closes[0]) != fact_key(closes[1])


@pytest.mark.parametrize(
    "fact",
    [
        Fact("price_move", None, pct=2.0, day=DAY),  # no subject
        Fact("price_move", "00981.HK", pct=2.0),  # undated article
        Fact("price_move", "00981.HK", pct=5.0, qualifier="over", day=DAY),  # a bound
        Fact("turnover", "HK", day=DAY),  # no number
    ],
)
def test_fact_key_is_none_when_a_fact_cannot_identify_a_story(fact: Fact) -> None:
    assert fact_key(fact) is None


def test_the_same_move_in_english_and_chinese_has_one_key() -> None:
    pipeline = build_pipeline()
    when = datetime(2025, 11, 7, 17, 0, tzinfo=UTC)
    en = pipeline(Article("SMIC (00981.HK) fell 2.4% to HK$75.25 on Friday, November 7, 2025.",
                          published_at=when, lang="en"))
    zh = pipeline(Article("中芯国际（00981.HK）2025年11月7日（星期五）股价下跌2.4%，收报75.25港元。",
                          published_at=when, lang="zh"))
    en_keys = {fact_key(f) for f in en.facts} - {None}
    zh_keys = {fact_key(f) for f in zh.facts} - {None}
    assert en_keys & zh_keys


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("st-fx-01", "st-fx-02", "near_duplicate"),  # syndicated copy with boilerplate
        ("st-fx-03", "st-fx-04", "near_duplicate"),  # 简体 and 繁體
        ("st-fx-01", "st-fx-03", "facts"),  # English and 简体
        ("st-fx-01", "st-fx-04", "facts"),  # English and 繁體
        ("st-fx-07", "st-fx-08", "facts"),  # two wraps of one close, EN and 繁體
        ("st-fx-10", "st-fx-11", "facts"),  # EN and 简体 sharing one share move, nothing else
        ("st-ho-01", "st-ho-02", "facts"),  # EN and 繁體 wraps of 8 Dec
        ("st-ho-04", "st-ho-05", "facts"),  # EN and 简体: one company move and the index close
        ("st-ho-07", "st-ho-08", "facts"),  # EN results and next-morning 简体: one revenue figure
        ("st-ho-09", "st-ho-10", "facts"),  # EN and 繁體: one target price
    ],
)
def test_same_story(signatures: dict[str, StorySignature], a: str, b: str, reason: str) -> None:
    match = same_story(signatures[a], signatures[b])
    assert match is not None and match.reason == reason
    assert same_story(signatures[b], signatures[a]) == match


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("st-fx-01", "st-fx-05"),  # Meituan on consecutive days
        ("st-fx-07", "st-fx-09"),  # consecutive days' closes
        ("st-fx-01", "st-fx-06"),  # same company, same day, another event (a target change)
        ("st-fx-01", "st-fx-07"),  # a company story and the wrap that cites its move
        ("st-fx-10", "st-fx-12"),  # Xiaomi deliveries and Xiaomi phones, same day
        ("st-ho-01", "st-ho-03"),  # a wrap and a central-bank story quoting the index close
        ("st-ho-02", "st-ho-03"),  # the same in 繁體
        ("st-ho-01", "st-ho-04"),  # a wrap and the company story whose move it quotes
        ("st-ho-09", "st-ho-11"),  # two brokers' Pop Mart targets, same day, same share move
        ("st-ho-07", "st-ho-06"),  # Kuaishou results and the wrap quoting its move
        ("st-ho-01", "st-ho-06"),  # consecutive days' wraps
    ],
)
def test_different_stories(signatures: dict[str, StorySignature], a: str, b: str) -> None:
    assert same_story(signatures[a], signatures[b]) is None


@pytest.mark.parametrize(
    ("key", "weight"),
    [
        (("price_move", "00960.HK", "2025-12-08", "close", "-5.1"), COMPANY_WEIGHT),
        (("revenue", "01024.HK", "", "", "3.56e+10"), COMPANY_WEIGHT),
        (("turnover", "HK", "2025-12-08", "", "2.05e+11"), MARKET_WEIGHT),
        (("southbound_net_inflow", "HK", "2025-12-08", "", "4.12e+09"), MARKET_WEIGHT),
        (("index_level", "HSI", "2025-12-08", "close", "25610"), INDEX_WEIGHT),
        (("price_move", "HSTECH", "2025-12-08", "close", "-1.5"), INDEX_WEIGHT),
    ],
)
def test_fact_weight_says_how_specific_a_figure_is(key: FactKey, weight: float) -> None:
    assert fact_weight(key) == weight


_INDEX_CLOSE = frozenset({("index_level", "HSI", "2025-12-01", "close", "26120"),
                          ("price_move", "HSI", "2025-12-01", "close", "0.6"),
                          ("index_level", "SSE", "2025-12-01", "close", "3900"),
                          ("price_move", "SSE", "2025-12-01", "close", "0.4")})


def test_index_figures_alone_never_make_one_story() -> None:
    a = _signature("a", fact_keys=_INDEX_CLOSE, wrap=True)
    assert same_story(a, _signature("b", fact_keys=_INDEX_CLOSE, wrap=True)) is None
    flows = _INDEX_CLOSE | {("turnover", "HK", "2025-12-01", "", "2.32e+11"),
                            ("southbound_net_inflow", "HK", "2025-12-01", "", "6.2e+09")}
    match = same_story(_signature("c", fact_keys=flows, wrap=True),
                       _signature("d", fact_keys=flows, wrap=True))
    assert match is not None and match.reason == "facts"


@pytest.mark.parametrize(
    ("events_a", "events_b", "same"),
    [
        ({"earnings"}, {"earnings", "guidance"}, True),  # two results stories
        ({"ipo"}, {"ipo", "earnings"}, False),  # an IPO story restating last year's revenue
        ({"ipo"}, {"ipo"}, False),  # a revenue figure is not the news of two IPO steps
    ],
)
def test_one_shared_company_figure_is_enough_when_it_is_both_articles_news(
    events_a: set[str], events_b: set[str], same: bool
) -> None:
    keys = frozenset({("revenue", "06031.HK", "", "", "4.45e+10")})
    a = _signature("a", fact_keys=keys | {("ipo_raise", "06031.HK", "", "", "1.24e+10")},
                   headline=frozenset({"06031.HK"}), event_types=frozenset(events_a))
    b = _signature("b", fact_keys=keys | {("price_move", "06031.HK", "2025-12-01", "close", "6.6")},
                   headline=frozenset({"06031.HK"}), event_types=frozenset(events_b))
    assert (same_story(a, b) is not None) is same


@pytest.mark.parametrize(
    ("title", "wrap"),
    [
        ("Hang Seng Index review: brokers tip Pop Mart (09992.HK) for inclusion", False),
        ("Hong Kong close: Hang Seng Index rises 0.6% as Pop Mart (09992.HK) leads", True),
        ("港股收市：恒指升0.6% 泡泡瑪特（09992.HK）領漲", True),
        ("Pop Mart (09992.HK) shares rise 2.3%", False),
    ],
)
def test_a_title_that_only_names_an_index_does_not_make_a_market_story(
    title: str, wrap: bool
) -> None:
    when = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    article = Article(f"{title}\n\nMore text on Monday, December 1, 2025.", published_at=when)
    signature = signature_of("a", article, build_pipeline()(article), anchor_at=when,
                             index_markets=MARKETS)
    assert signature.wrap is wrap


def _signature(article_id: str, **changes: object) -> StorySignature:
    base = StorySignature(article_id, datetime(2025, 12, 1, tzinfo=UTC), "en", None, frozenset(),
                          b"", frozenset(), frozenset(), frozenset())
    fields = {f: getattr(base, f) for f in base.__slots__}  # type: ignore[attr-defined]
    fields.update(changes)
    return StorySignature(**fields)  # type: ignore[arg-type]


def test_language_versions_linked_by_the_publisher_are_one_story() -> None:
    en = _signature("a", url="https://longbridge.com/en/news/1",
                    locale_urls=frozenset({"https://longbridge.com/zh-cn/news/1"}))
    zh = _signature("b", url="https://longbridge.com/zh-cn/news/1")
    match = same_story(en, zh)
    assert match is not None and match.reason == "locale"


def test_facts_further_apart_than_the_window_are_not_one_story() -> None:
    keys = frozenset({("price_move", "HSI", "2025-12-01", "close", "0.6"),
                      ("price_move", "00700.HK", "2025-12-01", "close", "0.9"),
                      ("price_move", "09988.HK", "2025-12-01", "close", "-0.4")})
    a = _signature("a", fact_keys=keys, wrap=True)
    assert same_story(a, _signature("b", fact_keys=keys, wrap=True)) is not None
    later = _signature("c", fact_keys=keys, wrap=True,
                       anchor_at=datetime(2025, 12, 1, tzinfo=UTC) + timedelta(days=4))
    assert same_story(a, later) is None


def test_market_stories_of_different_markets_are_apart() -> None:
    keys = frozenset({("price_move", "HSI", "2025-12-01", "close", "0.6"),
                      ("index_level", "SSE", "2025-12-01", "close", "3900"),
                      ("price_move", "00700.HK", "2025-12-01", "close", "0.9"),
                      ("price_move", "09988.HK", "2025-12-01", "close", "-0.4")})
    assert same_story(_signature("a", fact_keys=keys, wrap=True),
                      _signature("b", fact_keys=keys, wrap=True)) is not None
    hk = _signature("a", fact_keys=keys, wrap=True, markets=frozenset({"HK"}))
    cn = _signature("b", fact_keys=keys, wrap=True, markets=frozenset({"CN"}))
    assert same_story(hk, cn) is None


def test_signature_round_trips_through_its_stored_form(
    signatures: dict[str, StorySignature],
) -> None:
    for signature in signatures.values():
        again = StorySignature.from_dict(signature.article_id, signature.anchor_at,
                                         signature.to_dict())
        assert again == signature
        assert text_jaccard(again, signature) == 1.0


def test_index_finds_candidates_by_text_facts_and_links(
    signatures: dict[str, StorySignature],
) -> None:
    index = SignatureIndex()
    for key in ("st-fx-01", "st-fx-05", "st-fx-12"):
        index.add(signatures[key])
    found = [s.article_id for s in index.candidates(signatures["st-fx-02"])]
    assert "st-fx-01" in found and "st-fx-12" not in found
    linked = _signature("x", locale_urls=frozenset({"https://a.example/1"}))
    index.add(_signature("y", url="https://a.example/1"))
    assert [s.article_id for s in index.candidates(linked)] == ["y"]


def test_a_locale_link_without_url_is_ignored() -> None:
    article = Article("Text", url=None, locales=(Link("en", ""),))
    signature = signature_of("a", article, None, anchor_at=datetime(2025, 12, 1, tzinfo=UTC))
    assert signature.locale_urls == frozenset()


def _variants(text: str) -> list[str]:
    """Edited copies of ``text`` from near-identical to loosely related: a line dropped, the
    lines reversed, the first half, every other sentence."""
    lines = [line for line in text.split("\n") if line.strip()]
    sentences = [s for s in text.replace("。", ".").split(".") if s.strip()]
    return [
        "\n".join(lines[:-1]) or text,
        "\n".join(reversed(lines)),
        text[: len(text) // 2],
        ".".join(sentences[::2]),
    ]


def test_text_candidates_are_datasketchs_lsh_candidates() -> None:
    """The index compares whole LSH bands over a day's signatures at once; it proposes exactly
    the texts datasketch's MinHash LSH (same threshold and permutations) proposes."""
    from datasketch import LeanMinHash, MinHashLSH

    texts = []
    for path in (FIXTURES / "articles.jsonl", FIXTURES / "held_out.jsonl"):
        for item in read_jsonl(path.read_text(encoding="utf-8"), origin=str(path)):
            assert isinstance(item, Article)
            texts += [item.text, *_variants(item.text)]
    anchor = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
    signed = [signature_of(f"t{i:03d}", Article(text), None, anchor_at=anchor)
              for i, text in enumerate(texts)]
    index = SignatureIndex()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for signature in signed:
        index.add(signature)
        lsh.insert(signature.article_id, LeanMinHash(seed=1, hashvalues=signature.minhash_values(),
                                                     scheme="affine32"))
    proposed = 0
    for signature in signed:
        ours = {s.article_id for s in index.candidates(signature)}
        theirs = set(lsh.query(LeanMinHash(seed=1, hashvalues=signature.minhash_values(),
                                           scheme="affine32"))) - {signature.article_id}
        assert ours == theirs, signature.article_id
        proposed += len(ours)
    assert proposed > len(signed)  # the variants do meet their originals


def _dated(article_id: str, anchor: datetime, keys: frozenset[FactKey]) -> StorySignature:
    return _signature(article_id, anchor_at=anchor, fact_keys=keys)


def test_the_index_answers_within_the_window_and_forgets_whole_days() -> None:
    close: FactKey = ("close_price", "00981.HK", "2025-12-01", "", "78.45")
    day = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
    index = SignatureIndex()
    for article_id, offset in (("early", -8), ("before", -7), ("same", 0), ("after", 7),
                               ("late", 8)):
        index.add(_dated(article_id, day + timedelta(days=offset), frozenset({close})))
    index.add(_dated("same", day, frozenset({close})))  # a second add changes nothing
    assert len(index) == 5
    query = _dated("query", day, frozenset({close}))
    assert [s.article_id for s in index.candidates(query)] == ["after", "before", "same"]
    assert index.reported_before(query) == {close}
    assert index.reported_before(_dated("q", day - timedelta(days=8, seconds=1),
                                        frozenset({close}))) == frozenset()
    before_day = (day - timedelta(days=7)).date().toordinal()
    assert index.drop_day(before_day, keep={"other"}) == ["before"]
    assert index.drop_day(day.date().toordinal(), keep={"same"}) == []
    assert len(index) == 4 and before_day not in index.days()
    assert [s.article_id for s in index.candidates(query)] == ["after", "same"]


def test_a_signature_keeps_its_minhash_packed() -> None:
    signature = signature_of("a", Article("SMIC fell 2.4%\n中芯國際周五跌2.4%。"), None,
                             anchor_at=datetime(2025, 12, 1, tzinfo=UTC))
    assert isinstance(signature.minhash, bytes) and len(signature.minhash) == 4 * 128
    assert signature.minhash_values() == text_minhash("SMIC fell 2.4%\n中芯國際周五跌2.4%。")
