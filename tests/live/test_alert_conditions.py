"""Each alert rule kind against articles the pipeline has read and the store has kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import live_articles as articles
import pytest
from live_support import ingest_text

from tickerwire.errors import InvalidInputError
from tickerwire.extract import Pipeline
from tickerwire.live.alerting import AlertEngine
from tickerwire.live.conditions import ContradictedClaim, Signals, StoryLead
from tickerwire.live.rules import AlertsConfig
from tickerwire.store import Store, StoredArticle


def fired(store: Store, pipeline: Pipeline, rule: dict[str, Any], *texts: str,
          signals: Signals | None = None) -> list[list[str]]:
    """The reasons ``rule`` fires for each text, ingested in order after the engine starts."""
    engine = AlertEngine(store, AlertsConfig.model_validate({"rules": [rule]}), signals=signals)
    engine.run()
    reasons = []
    for n, text in enumerate(texts):
        ingest_text(store, pipeline, f"item-{n}.txt", text)
        ids = engine.run()
        alerts = [a for a in store.recent_alerts(limit=100) if a.id in ids]
        reasons.append([m["reason"] for a in alerts for m in a.payload["matches"]])
    return reasons


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        # Watchlists: any listing of the issuer, named by code in any form or by name.
        ({"kind": "watchlist", "securities": ["700 HK"]}, articles.TENCENT_SLUMP,
         ["mentions Tencent"]),
        ({"kind": "watchlist", "securities": ["腾讯控股"]}, articles.TENCENT_SLUMP,
         ["mentions Tencent"]),
        ({"kind": "watchlist", "securities": ["BABA.US"]}, articles.ALIBABA_GAIN_ZH,
         ["mentions Alibaba"]),
        ({"kind": "watchlist", "securities": ["002594.SZ"]}, articles.BYD_US_LISTING_ONLY,
         ["BYDDY.US"]),
        ({"kind": "watchlist", "securities": ["0700.HK"]}, articles.ALIBABA_GAIN_ZH, []),
        ({"kind": "watchlist", "securities": ["HSBC"]}, articles.HSBC_HANT, ["00005.HK"]),
        # Moves: threshold, direction, scope.
        ({"kind": "move", "min_pct": 5}, articles.TENCENT_SLUMP, ["00700.HK moved -6.20%"]),
        ({"kind": "move", "min_pct": 5, "direction": "up"}, articles.TENCENT_SLUMP, []),
        ({"kind": "move", "min_pct": 3, "direction": "up"}, articles.ALIBABA_GAIN_ZH,
         ["09988.HK moved +3.10%"]),
        ({"kind": "move", "min_pct": 1.5, "indices": ["HSI"]}, articles.TENCENT_SLUMP,
         ["HSI moved -1.80%"]),
        ({"kind": "move", "min_pct": 1, "securities": ["BYD"]}, articles.TENCENT_SLUMP, []),
        ({"kind": "move", "min_pct": 1, "securities": ["HSBC"], "horizons": ["close"]},
         articles.HSBC_HANT, ["00005.HK moved -1.20%"]),
        ({"kind": "move", "min_pct": 1, "horizons": ["ytd"]}, articles.HSBC_HANT, []),
        # Event types.
        ({"kind": "event", "types": ["listing_application"]}, articles.MIXUE_FILES,
         ["listing application event"]),
        ({"kind": "event", "types": ["ipo"], "securities": ["Tencent"]}, articles.MIXUE_LISTS, []),
        ({"kind": "event", "types": ["index_move"]}, articles.ALIBABA_GAIN_ZH, ["index move event"]),
        # Sentiment bounds, per company or for the article.
        ({"kind": "sentiment", "below": -0.5, "securities": ["BYD"]}, articles.BYD_SLIDE,
         ["tone of 01211.HK"]),
        ({"kind": "sentiment", "below": -0.5, "securities": ["Tencent"]}, articles.BYD_SLIDE, []),
        ({"kind": "sentiment", "above": 0.5}, articles.ALIBABA_GAIN_ZH, ["article tone +"]),
        ({"kind": "sentiment", "above": 0.5}, articles.HSBC_HANT, []),
    ],
)
def test_rule_kinds(store: Store, pipeline: Pipeline, rule: dict[str, Any], text: str,
                    expected: list[str]) -> None:
    [reasons] = fired(store, pipeline, {"id": "r", **rule}, text)
    assert len(reasons) == len(expected), reasons
    for reason, words in zip(reasons, expected, strict=True):
        assert words in reason


def test_a_new_ipo_stage_fires_once_per_stage(store: Store, pipeline: Pipeline) -> None:
    rule = {"id": "ipo", "kind": "ipo_stage"}
    filing, listing, again = fired(store, pipeline, rule, articles.MIXUE_FILES,
                                   articles.MIXUE_LISTS, articles.MIXUE_LISTS.replace("Monday", "Mon."))
    assert filing == ["Mixue Group: IPO filed (first report)"]
    assert listing == ["Mixue Group: IPO listed (was filed)"]
    assert again == []  # a second report of the same stage is not a new stage


def test_ipo_stage_rule_limited_to_some_stages(store: Store, pipeline: Pipeline) -> None:
    rule = {"id": "ipo", "kind": "ipo_stage", "stages": ["listed"]}
    assert fired(store, pipeline, rule, articles.MIXUE_FILES, articles.MIXUE_LISTS) == [
        [], ["Mixue Group: IPO listed (was filed)"]]


class Claims:
    available = True

    def contradicted(self, article: StoredArticle) -> Sequence[ContradictedClaim]:
        facts = article.extraction.facts if article.extraction else ()
        return [ContradictedClaim(f.subject, f.text, f.start, f.end, "closed -0.4%")
                for f in facts if f.subject == "00700.HK"]


class Stories:
    available = True

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def first_report(self, article: StoredArticle) -> StoryLead | None:
        key = (article.title or "").split()[0]
        if key in self.seen:
            return None
        self.seen.add(key)
        return StoryLead(f"story-{key}", article.title, ("00700.HK",))


def test_contradicted_claims_come_from_the_claim_checks(store: Store, pipeline: Pipeline) -> None:
    rule = {"id": "c", "kind": "contradicted_claim", "securities": ["Tencent"]}
    [tencent, byd] = fired(store, pipeline, rule, articles.TENCENT_SLUMP, articles.BYD_SLIDE,
                           signals=Signals(claims=Claims()))
    assert tencent == ["contradicted: 'fell 6.2% to HK$598.50'; prices say closed -0.4%"] or (
        len(tencent) == 1 and tencent[0].startswith("contradicted: ") and "6.2%" in tencent[0])
    assert byd == []


def test_first_report_comes_from_the_story_leads(store: Store, pipeline: Pipeline) -> None:
    rule = {"id": "f", "kind": "first_report"}
    first, repeat = fired(store, pipeline, rule, articles.TENCENT_SLUMP,
                          articles.TENCENT_SLUMP.replace("slump", "sink"), signals=Signals(stories=Stories()))
    assert first == ["first report of story story-Tencent (Tencent shares slump after gaming curbs)"]
    assert repeat == []


@pytest.mark.parametrize("kind", ["contradicted_claim", "first_report"])
def test_rules_given_no_data_source_never_fire_and_say_so(
    store: Store, pipeline: Pipeline, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert fired(store, pipeline, {"id": "w", "kind": kind}, articles.TENCENT_SLUMP,
                 signals=Signals()) == [[]]
    assert "waits for" in caplog.text and "will not fire" in caplog.text


def test_first_report_reads_the_stories_the_store_keeps(store: Store, pipeline: Pipeline) -> None:
    import dataclasses

    from tickerwire.live.signals import StoredStoryLeads

    rule = {"id": "f", "kind": "first_report", "securities": ["Tencent"]}
    first, other = fired(store, pipeline, rule, articles.TENCENT_SLUMP, articles.BYD_SLIDE)
    assert len(first) == 1 and first[0].startswith("first report of story st-")
    assert first[0].endswith("(Tencent shares slump after gaming curbs)")
    assert other == []  # a story of its own, but not about Tencent
    [hit] = store.search("Tencent")
    article = store.get_article(hit.id)
    assert article is not None
    member = store.story_memberships([hit.id])[hit.id]

    class Joined:  # the same article as a later member of its story
        def story_memberships(self, ids: Sequence[str]) -> dict[str, Any]:
            return {hit.id: dataclasses.replace(member, reason="near_duplicate")}

    assert StoredStoryLeads(store).first_report(article) is not None
    assert StoredStoryLeads(Joined()).first_report(article) is None  # type: ignore[arg-type]


def test_contradicted_claims_read_the_stored_verdicts(store: Store, pipeline: Pipeline) -> None:
    import dataclasses

    from tickerwire.live.signals import StoredClaimChecks
    from tickerwire.model import Verification

    ingest_text(store, pipeline, "tencent.txt", articles.TENCENT_SLUMP)
    [hit] = store.search("Tencent")
    article = store.get_article(hit.id)
    assert article is not None and article.extraction is not None
    assert StoredClaimChecks().contradicted(article) == []  # no prices: nothing was checked
    verdicts = {"00700.HK": Verification("contradicted", "pct", -6.2, -0.4, 5.8),
                "HSI": Verification("confirmed", "pct", -1.8, -1.8, 0.0)}
    facts = tuple(dataclasses.replace(f, verification=verdicts.get(f.subject or ""))
                  for f in article.extraction.facts)
    checked = dataclasses.replace(article, extraction=dataclasses.replace(article.extraction, facts=facts))
    [claim] = StoredClaimChecks().contradicted(checked)
    assert claim.subject == "00700.HK" and "6.2%" in claim.text and claim.actual == "-0.4 (pct)"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "watchlist", "securities": ["Nonexistent Widget Co"]}, "not a known security"),
        ({"kind": "move", "min_pct": 2, "indices": ["NOT AN INDEX"]}, "not a known index"),
        ({"kind": "sentiment", "securities": ["BYD"]}, "give a bound"),
    ],
)
def test_rules_that_cannot_be_used_fail_at_start(store: Store, rule: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        AlertEngine(store, AlertsConfig.model_validate({"rules": [{"id": "bad", **rule}]}))
