"""``tickerwire eval`` with documents and gold that do not fit: one error line, non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tickerwire.cli import app
from tickerwire.errors import InvalidInputError
from tickerwire.evaluation import run_eval

DOC_EN = {"id": "en-1", "lang": "en", "text": "Tencent (0700.HK) rose 3.1% to HK$650.50 on Monday."}
DOC_ZH = {"id": "zh-1", "lang": "zh", "text": "腾讯控股（00700）收涨3.1%，报650.5港元。"}
MOVE = [{"target": "00700.HK", "pct": 3.1}]
GOLD = {
    "issuers": [{"name": "Tencent", "codes": ["00700.HK"]}],
    "indices": [],
    "moves": MOVE,
    "index_levels": [],
    "amounts": [],
    "events": [],
}


def _jsonl(path: Path, rows: list[object] | str) -> Path:
    if isinstance(rows, str):
        path.write_text(rows, encoding="utf-8")
    else:
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    return path


def _run(docs: Path, gold: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["eval", "--docs", str(docs), "--gold", str(gold), *extra])
    return result.exit_code, result.stdout, result.stderr


CASES = [
    # (docs, gold, words the one error line must hold)
    ([{"lang": "en", "text": "Tencent rose."}], [{"id": "en-1", **GOLD}], ["docs.jsonl:1", '"id"']),
    ([DOC_EN, {"id": "", "text": "x"}], [{"id": "en-1", **GOLD}], ["docs.jsonl:2", '"id"']),
    ([DOC_EN, {"id": 7, "text": "x"}], [{"id": "en-1", **GOLD}], ["docs.jsonl:2", '"id"']),
    ([{"id": "en-1"}], [{"id": "en-1", **GOLD}], ["docs.jsonl:1", '"text"']),
    ([DOC_EN], [GOLD], ["gold.jsonl:1", '"id"']),
    ([DOC_EN, DOC_EN], [{"id": "en-1", **GOLD}], ["docs.jsonl:2", "'en-1'", "line 1"]),
    ([["en-1", "text"]], [{"id": "en-1", **GOLD}], ["docs.jsonl:1", "list"]),
    ([DOC_EN, DOC_ZH], [{"id": "article-9", **GOLD}], ["'en-1'", "'zh-1'", "'article-9'", "matches"]),
    ([DOC_ZH], [], ["'zh-1'", "none", "matches"]),
    ([], [{"id": "en-1", **GOLD}], ["no document to grade"]),
    ([DOC_EN], [{"id": "en-1", "moves": MOVE}], ["gold.jsonl:1", '"issuers" list']),
    ([DOC_EN], [{"id": "en-1", **GOLD, "events": "earnings"}], ["gold.jsonl:1", '"events" list']),
    ([DOC_EN], [{"id": "x", **GOLD}, {"id": "en-1", **GOLD, "moves": [{"target": "00700.HK"}]}],
     ["gold.jsonl:2", "'en-1'", "malformed", "pct"]),
]


@pytest.mark.parametrize(("docs", "gold", "words"), CASES)
def test_mismatched_or_missing_ids_give_one_error_line(
    tmp_path: Path, docs: list[object], gold: list[object], words: list[str]
) -> None:
    docs_path = _jsonl(tmp_path / "docs.jsonl", docs)
    code, out, err = _run(docs_path, _jsonl(tmp_path / "gold.jsonl", gold))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0]


def test_a_language_filter_that_leaves_nothing_is_an_error(tmp_path: Path) -> None:
    docs = _jsonl(tmp_path / "docs.jsonl", [DOC_EN])
    gold = _jsonl(tmp_path / "gold.jsonl", [{"id": "en-1", **GOLD}])
    code, _, err = _run(docs, gold, "--lang", "zh")
    assert code == 2 and "no document in zh to grade" in err


def test_not_json_names_the_line(tmp_path: Path) -> None:
    docs = _jsonl(tmp_path / "docs.jsonl", json.dumps(DOC_EN) + "\n{broken\n")
    gold = _jsonl(tmp_path / "gold.jsonl", [{"id": "en-1", **GOLD}])
    code, _, err = _run(docs, gold)
    assert code == 2 and "docs.jsonl:2: not JSON" in err


def test_documents_without_gold_are_graded_around_and_named(tmp_path: Path) -> None:
    docs = _jsonl(tmp_path / "docs.jsonl", [DOC_EN, DOC_ZH])
    gold = _jsonl(tmp_path / "gold.jsonl", [{"id": "zh-1", **GOLD}])
    code, out, err = _run(docs, gold, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["articles"] == 1 and report["ungraded"] == ["en-1"]
    assert "1 document(s) have no gold annotation" in err and "'en-1'" in err
    moves = next(r for r in report["rows"] if r["field"] == "moves" and r["lang"] == "all")
    assert (moves["tp"], moves["fn"]) == (1, 0)


def test_run_eval_raises_the_typed_error(tmp_path: Path) -> None:
    docs = _jsonl(tmp_path / "docs.jsonl", [DOC_EN])
    gold = _jsonl(tmp_path / "gold.jsonl", [{"id": "other", **GOLD}])
    with pytest.raises(InvalidInputError, match="matches an id"):
        run_eval(docs, gold)


def test_errors_lists_each_miss_and_extra_with_its_words_grouped_by_cause(tmp_path: Path) -> None:
    # The gold says 3.2%, the article 3.1%: one missed move (with the gold note) and one extra
    # move (with the article's words), in English and in Chinese.
    gold_move = [{"target": "00700.HK", "pct": 3.2, "note": "as the annotator read it"}]
    docs = _jsonl(tmp_path / "docs.jsonl", [DOC_EN, DOC_ZH])
    gold = _jsonl(tmp_path / "gold.jsonl", [{"id": d["id"], **GOLD, "moves": gold_move}
                                            for d in (DOC_EN, DOC_ZH)])
    code, out, _ = _run(docs, gold, "--errors", "--json")
    assert code == 0
    errors = json.loads(out)["errors"]
    assert len(errors["moves missed"]) == 2 and len(errors["moves extra"]) == 2
    assert any(e.startswith("en-1 [en]") and "as the annotator read it" in e for e in errors["moves missed"])
    assert any(e.startswith("zh-1 [zh]") and "3.1%" in e for e in errors["moves extra"])
    code, text, _ = _run(docs, gold, "--errors")
    assert code == 0 and "moves missed (2)" in text and "rose 3.1%" in text
