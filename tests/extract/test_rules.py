"""Rule tables as data: the packaged YAML loads, bad tables fail clearly, and every event pattern
match holds one of its type's cues (a match without one would be silently skipped)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import regex

from tickerwire.errors import RefdataError
from tickerwire.extract.events import EVENT_CUES, EVENT_PATTERNS
from tickerwire.model import Article, Extraction
from tickerwire.refdata.rules import load_rules, parse_rules
from tickerwire.sources import read_path
from tickerwire.taxonomy import EVENT_TYPE_NAMES

ROOT = Path(__file__).resolve().parents[2]
Extract = Callable[..., Extraction]


def _corpus() -> list[str]:
    """Every article the project ships: the sample news and the project's own eval documents."""
    texts: list[str] = []
    for path in sorted((ROOT / "examples" / "news").iterdir()):
        texts += [a.text for a in read_path(path) if isinstance(a, Article)]
    for name in ("eval", "eval2"):
        with (ROOT / "tests" / "fixtures" / name / "docs.jsonl").open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def test_packaged_tables_load_both_languages() -> None:
    rules = load_rules()
    assert set(EVENT_CUES) == set(rules.events)
    for etype, rule in rules.events.items():
        assert rule.cues, etype
        langs = {"zh" if any("\u4e00" <= ch <= "\u9fff" for ch in cue) else "en" for cue in rule.cues}
        assert langs == {"en", "zh"}, f"{etype} needs cues in both languages"
    assert {etype for etype, _ in EVENT_PATTERNS} == set(rules.events) - {"sector_move"}


def test_every_pattern_match_in_the_shipped_articles_holds_a_cue() -> None:
    matches = 0
    for text in _corpus():
        for etype, source in EVENT_PATTERNS:
            for m in re.compile(*source).finditer(text):
                matches += 1
                found = m.group(0).lower()
                assert any(cue in found for cue in EVENT_CUES[etype]), f"{etype}: {m.group(0)!r} holds no cue"
    assert matches > 500  # the corpus exercises the table


@pytest.mark.parametrize(
    ("etype", "sentence"),
    [
        ("listing_application", "The robot maker submitted a fresh listing application to the exchange."),
        ("listing_application", "該公司已通過上市聆訊，下周招股。"),
        ("ipo", "Shares of the tea chain made their debut on Wednesday, rising 40%."),
        ("ipo", "这家电池厂商二次上市首日高开。"),
        ("fund_flow", "Mainland investors bought a net HK$9.8 billion of Hong Kong shares."),
        ("fund_flow", "港股通淨買入騰訊12億港元。"),
        ("target_price", "Jefferies set a HK$95 price target on the stock."),
        ("target_price", "花旗将其目标股价上调至120港元。"),
        ("analyst_rating", "Morgan Stanley downgraded the lender to underweight from equal-weight."),
        ("analyst_rating", "大行調升該股評級至買入。"),
        ("earnings", "The insurer swung to a net profit in the first half."),
        ("earnings", "比亚迪公布第三季业绩，收入按年增长。"),
        ("guidance", "The carmaker issued a profit warning for the full year."),
        ("guidance", "公司預計第四季收入介乎300億至310億元。"),
        ("policy", "The State Council pledged more support for consumption."),
        ("policy", "人民銀行宣布降準0.5個百分點。"),
        ("geopolitics", "Beijing answered with tariffs on US farm goods."),
        ("geopolitics", "美方把多家中國企業列入實體清單。"),
        ("m_and_a", "The miner agreed to acquire a majority stake in a copper project."),
        ("m_and_a", "恒生银行将被私有化。"),
        ("index_inclusion", "The carmaker will be included in the Hang Seng Index from next month."),
        ("index_inclusion", "泡泡玛特获纳入恒指成分股。"),
        ("other", "The developer announced a share buyback of up to HK$1 billion."),
        ("other", "公司宣布回购股份并派发特别股息。"),
        ("product_launch", "The phone maker launched a new foldable handset."),
        ("product_launch", "小米推出新一代电动车。"),
    ],
)
def test_each_type_matches_realistic_sentences_through_a_cue(etype: str, sentence: str) -> None:
    pattern = re.compile(*dict(EVENT_PATTERNS)[etype])
    m = pattern.search(sentence)
    assert m is not None
    assert any(cue in m.group(0).lower() for cue in EVENT_CUES[etype])


def _tables(en: str, zh: str = "events: {}\n") -> dict[str, str]:
    return {"en": en, "zh": zh}


@pytest.mark.parametrize(
    ("en", "message"),
    [
        ("events: [\n", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
        ("events: {}\nkeywords: {}\n", "expected a mapping"),
        ("events:\n  ipo:\n    patterns: ['IPO(']\n    cues: [ipo]\n", "bad regular expression"),
        ("events:\n  ipo:\n    patterns: ['IPO']\n    cues: [IPO]\n", "must be lower case"),
        ("events:\n  ipo:\n    patterns: ['IPO']\n", "patterns without cues"),
        ("events:\n  ipo:\n    patterns: 'IPO'\n    cues: [ipo]\n", "list of non-empty strings"),
        ("events:\n  ipo:\n    patterns: ['IPO']\n    cues: [ipo]\n    note: x\n", "only 'patterns' and 'cues'"),
        ("words:\n  southbound: ['south(']\n", "bad regular expression"),
    ],
)
def test_bad_tables_raise_a_clear_error(en: str, message: str) -> None:
    with pytest.raises(RefdataError, match=message):
        parse_rules(_tables(en))


def test_every_packaged_entry_is_a_regular_expression_of_its_own() -> None:
    """The loader compiles each rule whole; an entry must also stand alone ('a(' and 'b)' would not)."""
    rules = load_rules()
    entries = [e for words in rules.words.values() for e in words]
    entries += [p for rule in rules.events.values() for p in rule.patterns]
    assert len(entries) > 1000
    for entry in entries:
        regex.compile(entry, regex.IGNORECASE)


def test_languages_merge_english_first() -> None:
    rules = parse_rules(
        _tables(
            "events:\n  ipo:\n    patterns: ['IPO']\n    cues: [ipo]\nwords:\n  southbound: [southbound]\n",
            "events:\n  ipo:\n    patterns: ['新股']\n    cues: ['新股']\nwords:\n  southbound: ['南向']\n",
        )
    )
    assert rules.events["ipo"].pattern == "IPO|新股"
    assert rules.events["ipo"].cues == ("ipo", "新股")
    assert rules.alternation("southbound") == "southbound|南向"
    with pytest.raises(RefdataError, match="no word list 'northbound'"):
        rules.word_list("northbound")


def test_a_word_list_can_be_read_one_language_at_a_time() -> None:
    rules = parse_rules(
        _tables(
            "words:\n  metric: ['revenues?', 'EPS']\n  turnover_en: [turnover]\n",
            "words:\n  metric: ['收入', '營收']\n",
        )
    )
    assert rules.alternation("metric", "en") == "revenues?|EPS"
    assert rules.alternation("metric", "zh") == "收入|營收"
    assert rules.alternation("metric") == "revenues?|EPS|收入|營收"
    assert rules.word_list("turnover_en", "zh") == ()  # a list may have entries in one language only
    with pytest.raises(RefdataError, match="no word list 'sales'"):
        rules.alternation("sales", "en")
    with pytest.raises(RefdataError, match="no language 'fr'"):
        rules.alternation("metric", "fr")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Revenue rose 12%", ["Revenue"]),
        ("Prevenue is not a word", []),  # an English entry only matches a whole word
        ("EPS of HK$1.20", ["EPS"]),
        ("STEPS ahead", []),
        ("全年收入增長12%", ["收入"]),
        ("该集团營收按年增長", ["營收"]),  # Chinese entries match anywhere
    ],
)
def test_whole_words_bound_only_the_english_entries(text: str, found: list[str]) -> None:
    rules = parse_rules(_tables("words:\n  metric: ['revenues?', 'EPS']\n", "words:\n  metric: ['收入', '營收']\n"))
    pattern = regex.compile(rules.whole_words("metric"), regex.IGNORECASE)
    assert [m.group(0) for m in pattern.finditer(text)] == found
    english_only = parse_rules(_tables("words:\n  both: [both]\n"))
    assert english_only.whole_words("both") == "(?<![A-Za-z])(?:both)(?![A-Za-z])"  # no empty alternative


@pytest.mark.parametrize(
    ("text", "kind", "value", "event"),
    [
        ("Southbound investors bought a net HK$12.3 billion of Hong Kong stocks on Tuesday.", "south", 12.3e9, True),
        ("Mainland money poured HK$8.1 billion into Hong Kong shares via the link.", "south", 8.1e9, True),
        ("South-bound trading saw net purchases of HK$5.6 billion.", "south", 5.6e9, True),
        # bare net buying: the article's flow words decide the direction; no flow word, no event
        ("Net buying reached HK$4 billion as Stock Connect traders piled in.", "south", 4e9, False),
        ("Foreign investors were net buyers of 2.1 billion yuan.", "north", 2.1e9, False),
        ("港股通南向资金今日净买入98.5亿港元。", "south", 9.85e9, True),
        ("北水全日淨買入港股52.3億港元。", "south", 5.23e9, True),
        ("Northbound investors sold a net 3.2 billion yuan of A shares.", "north", 3.2e9, True),
        ("北向资金净卖出32亿元。", "north", -3.2e9, True),
    ],
)
def test_flow_words_make_one_flow_fact(extract: Extract, text: str, kind: str, value: float, event: bool) -> None:
    ex = extract(text)
    flows = [(f.kind, f.value) for f in ex.facts if f.kind.endswith("_net_inflow")]
    assert flows == [(f"{kind}bound_net_inflow", pytest.approx(value))]
    assert ("fund_flow" in {e.type for e in ex.events}) is event


@pytest.mark.parametrize(
    "text",
    [
        "The southbound lane of the bridge was closed for repairs.",  # a flow word without an amount
        "南向车道今日封闭维修。",
        "Turnover on the main board reached HK$250 billion.",  # another kind of money
    ],
)
def test_flow_words_need_a_flow_amount(extract: Extract, text: str) -> None:
    ex = extract(text)
    assert not [f for f in ex.facts if f.kind.endswith("_net_inflow")]
    assert "fund_flow" not in {e.type for e in ex.events}


@pytest.mark.parametrize("module", ["amounts", "clauses", "events", "facts", "securities", "timeframes"])
def test_character_windows_are_named_and_documented(module: str) -> None:
    """Every look-back/ahead window is a module constant followed by its docstring."""
    tree = ast.parse((ROOT / "src" / "tickerwire" / "extract" / f"{module}.py").read_text(encoding="utf-8"))
    windows = 0
    for stmt, nxt in zip(tree.body, [*tree.body[1:], None], strict=True):
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)):
            continue
        name = next((t.id for t in stmt.targets if isinstance(t, ast.Name)), "")
        if name.endswith(("_WINDOW", "_LOOKBACK", "_LIMIT")):
            windows += 1
            assert isinstance(stmt.value.value, int) and stmt.value.value > 0, name
            documented = isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)
            assert documented and isinstance(nxt.value.value, str), f"{module}.{name} needs a docstring"
    assert windows >= 1


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Jefferies raised its target price on Pop Mart to HK$95.", 95.0),
        ("Jefferies raised its price target on Pop Mart to HK$95.", 95.0),  # same words, either order
        ("Nomura set a HK$88 target for Meituan.", 88.0),
        ("花旗将泡泡玛特目标价上调至95港元。", 95.0),
        ("大行將美團目標股價下調至88港元。", 88.0),
    ],
)
def test_target_price_words_make_the_fact_and_both_events(extract: Extract, text: str, target: float) -> None:
    ex = extract(text)
    assert [f.value for f in ex.facts if f.kind == "target_price"] == [target]
    assert {"target_price", "analyst_rating"} <= {e.type for e in ex.events}


def test_rule_event_types_are_in_the_taxonomy() -> None:
    assert set(load_rules().events) <= set(EVENT_TYPE_NAMES) - {"price_move", "index_move"}


@pytest.mark.parametrize(
    ("text", "results"),
    [
        ("预计公司2026年净利润将达到840亿元。", []),  # 将达: a forecast
        ("The company's net profit will reach US$2 billion next year.", []),
        ("Analysts forecast net profit of 84 billion yuan for 2026.", []),
        ("比亚迪第三季净利润为78亿元。", [("net_profit", 7.8e9)]),
        ("Tencent reported net profit of 53.2 billion yuan.", [("net_profit", 53.2e9)]),
    ],
)
def test_forecast_words_keep_forecasts_out_of_results(
    extract: Extract, text: str, results: list[tuple[str, float]]
) -> None:
    ex = extract(text)
    assert [(f.kind, f.value) for f in ex.facts if f.kind in {"net_profit", "revenue"}] == results


@pytest.mark.parametrize(
    "text",
    [
        "The carmaker warned that its full-year profit would fall by half.",
        "Tencent projected its revenue to grow 10% in the fourth quarter.",
        "公司發出盈警，預期全年純利下跌五成。",
        "该公司发出盈利警告，料中期亏损扩大。",
    ],
)
def test_warnings_and_projections_are_guidance_not_earnings(extract: Extract, text: str) -> None:
    types = {e.type for e in extract(text).events}
    assert "guidance" in types
    assert "earnings" not in types


@pytest.mark.parametrize("module", ["amounts", "clauses", "events", "facts", "securities", "timeframes"])
def test_no_window_is_a_bare_number(module: str) -> None:
    """Distances compared or added inside the rules are named windows, not literals ("> 40")."""
    tree = ast.parse((ROOT / "src" / "tickerwire" / "extract" / f"{module}.py").read_text(encoding="utf-8"))
    bare = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp | ast.Compare):
            operands = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.left, *node.comparators]
            for operand in operands:
                value = operand.value if isinstance(operand, ast.Constant) else None
                # a year (1900 <= int(raw) <= 2100) is no window
                if isinstance(value, int) and not isinstance(value, bool) and 10 <= value < 1900:
                    bare.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert bare == []


_RECORD_READS = """
import importlib, json, pkgutil, sys
from tickerwire.refdata import rules
read = set()
word_list = rules.RuleTables.word_list
def recording(self, name, lang=None):
    read.add(name)
    return word_list(self, name, lang)
rules.RuleTables.word_list = recording
import tickerwire.extract, tickerwire.insights
for package in (tickerwire.extract, tickerwire.insights):
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
json.dump(sorted(read), sys.stdout)
"""


def test_every_word_list_is_read_by_the_code() -> None:
    """No dead rule data: every word list is read when the components are imported, or is spliced
    into another entry of the data files with a YAML alias (``*southbound``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", _RECORD_READS], capture_output=True, text=True, env=env, check=True)
    read = set(json.loads(out.stdout))
    data = ROOT / "src" / "tickerwire" / "refdata" / "data" / "rules"
    aliased = {m for lang in ("en", "zh") for m in re.findall(r"\*(\w+)", (data / f"{lang}.yaml").read_text("utf-8"))}
    assert set(load_rules().words) - read - aliased == set()
    assert read <= set(load_rules().words)
