"""The grader follows the evaluation set's matching rules (docs/accuracy.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tickerwire.evaluation import grade, run_eval
from tickerwire.model import Article, Event, Extraction, Fact, IndexMention, Mention

SMIC = ("00981.HK", "688981.SH")


def mention(listing: str, text: str, issuer: str = "00981.HK", listings: tuple[str, ...] = SMIC) -> Mention:
    return Mention(issuer, text, listing, listings, text, 0, len(text), 0.9)


def extraction(**kw: object) -> Extraction:
    return Extraction(article=Article(text="x", source_id="a1"), **kw)  # type: ignore[arg-type]


def gold(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "a1",
        "issuers": [],
        "unresolved": [],
        "private": [],
        "indices": [],
        "moves": [],
        "index_levels": [],
        "amounts": [],
        "events": [],
    }
    return base | kw


def test_issuer_matches_on_any_listing_and_roles_are_optional() -> None:
    ex = extraction(mentions=(mention("688981.SH", "中芯国际"), mention("GS.US", "Goldman", "GS.US", ("GS.US",))))
    g = gold(issuers=[{"name": "SMIC", "codes": ["00981.HK"]}, {"name": "GS", "codes": ["GS.US"], "role": "broker"}])
    s = grade(ex, g, "en").scores["issuers"]
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)


def test_private_companies_are_excused_and_other_extras_count() -> None:
    ex = extraction(mentions=(mention("09999.HK", "Reuters", "09999.HK", ("09999.HK",)),))
    assert grade(ex, gold(private=["Reuters"]), "en").scores["issuers"].fp == 0
    assert grade(ex, gold(), "en").scores["issuers"].fp == 1


def test_moves_match_subject_issuer_and_pct_within_tolerance_with_duplicates_merged() -> None:
    facts = (
        Fact("price_move", "688981.SH", pct=-3.6),
        Fact("price_move", "00981.HK", pct=-3.6),
        Fact("price_move", "00700.HK", pct=2.004),
        Fact("price_move", None, pct=5.0),
    )
    g = gold(
        moves=[
            {"target": "00981.HK", "pct": -3.6},
            {"target": "00981.HK", "pct": -3.6},
            {"target": "00700.HK", "pct": 2.0},
        ]
    )
    s = grade(extraction(facts=facts), g, "en").scores["moves"]
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)


def test_levels_and_amounts_tolerances() -> None:
    facts = (
        Fact("index_level", "HSI", value=26752.9),
        Fact("turnover", "HK", value=118_000_000_000),
        Fact("turnover", "HK", value=200_000_000_000),
    )
    g = gold(
        index_levels=[{"index": "HSI", "level": 26752.59}],
        amounts=[{"kind": "turnover", "value": 118_500_000_000}, {"kind": "other", "value": 5}],
    )
    r = grade(extraction(facts=facts), g, "en")
    assert (r.scores["index_levels"].tp, r.scores["index_levels"].fp) == (1, 0)
    assert (r.scores["amounts"].tp, r.scores["amounts"].fp, r.scores["amounts"].fn) == (1, 1, 0)


def test_previous_values_are_graded_on_found_amounts() -> None:
    facts = (
        Fact("target_price", "00981.HK", value=95.0, previous=80.0),  # raised from HK$80 to HK$95
        Fact("target_price", "00700.HK", value=700.0),  # 由620港元上调至700港元, old value missed
    )
    g = gold(amounts=[
        {"kind": "target_price", "value": 95, "previous": 80},
        {"kind": "target_price", "value": 700, "previous": 620},
        {"kind": "target_price", "value": 11},  # no previous: not graded here
        {"kind": "target_price", "value": 50, "previous": 40},  # not found: an amounts miss only
    ])
    r = grade(extraction(facts=facts), g, "en")
    assert (r.scores["previous"].tp, r.scores["previous"].fp, r.scores["previous"].fn) == (1, 1, 1)
    assert r.missed["previous"] == ["target_price 700: previous None for 620"]


def test_sector_move_is_not_graded_and_indices_are_sets() -> None:
    ev = (Event("sector_move", (), "", 0, 0), Event("price_move", (), "", 0, 0))
    ix = (IndexMention("HSI", "恒指", 0, 2), IndexMention("HSI", "Hang Seng Index", 5, 20))
    r = grade(extraction(events=ev, indices=ix), gold(events=["price_move"], indices=["hsi"]), "en")
    assert (r.scores["events"].tp, r.scores["events"].fp) == (1, 0)
    assert (r.scores["indices"].tp, r.scores["indices"].fp) == (1, 0)


def test_run_eval_reads_files_and_reports_per_language(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    golds = tmp_path / "gold.jsonl"
    docs.write_text(
        json.dumps({"id": "e1", "lang": "en", "text": "SMIC (00981.HK) fell 3.6% to HK$72.15."})
        + "\n"
        + json.dumps({"id": "z1", "lang": "zh", "text": "恒指收跌1.5%，報25,611點。"})
        + "\n",
        encoding="utf-8",
    )
    golds.write_text(
        json.dumps(
            gold(id="e1", issuers=[{"name": "SMIC", "codes": list(SMIC)}], moves=[{"target": "00981.HK", "pct": -3.6}])
        )
        + "\n"
        + json.dumps(gold(id="z1", indices=["HSI"], index_levels=[{"index": "HSI", "level": 25611}]))
        + "\n",
        encoding="utf-8",
    )
    report = run_eval(docs, golds)
    rows = {(r.field, r.lang): r for r in report.rows}
    assert rows[("moves", "en")].f1 == 1.0
    assert rows[("index_levels", "zh")].recall == 1.0
    assert rows[("issuers", "all")].tp == 1


def test_run_eval_names_a_bad_line(tmp_path: Path) -> None:
    from tickerwire.errors import InvalidInputError

    bad = tmp_path / "docs.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"docs\.jsonl:1"):
        run_eval(bad, bad)


@pytest.mark.parametrize("folder", ["eval", "eval2"])
def test_accuracy_floor_on_the_projects_held_out_sets(folder: str) -> None:
    """A regression guard: the extractor keeps its accuracy on the hand-annotated sets in tests/fixtures."""
    path = Path(__file__).parent / "fixtures" / folder
    report = run_eval(path / "docs.jsonl", path / "gold.jsonl")
    f1 = {r.field: r.f1 for r in report.rows if r.lang == "all"}
    floors = {"issuers": 0.98, "indices": 0.98, "moves": 0.98, "index_levels": 0.96, "amounts": 0.99, "events": 0.90}
    assert {k: round(f1[k], 3) for k in floors if f1[k] < floors[k]} == {}
