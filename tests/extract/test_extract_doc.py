"""docs/extract.md stays true: its component table lists the pipeline's components in order, with
every field each one declares it reads and adds, and names every word list of the rule tables."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from tickerwire.extract.components import default_components
from tickerwire.refdata.rules import load_rules

DOC = (Path(__file__).resolve().parents[2] / "docs" / "extract.md").read_text(encoding="utf-8")


def test_component_table_matches_the_pipeline() -> None:
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \| ([^|]+) \|$", DOC, flags=re.MULTILINE)
    components = default_components()
    assert [name for name, _, _ in rows] == [c.name for c in components]
    for (name, reads, adds), component in zip(rows, components, strict=True):
        assert set(re.findall(r"[\w.]+", reads)) >= set(component.reads), name
        assert {field for field in component.adds if not adds.startswith(field) and f" {field}" not in adds} == set()


def test_every_word_list_is_documented() -> None:
    for name in load_rules().words:
        assert f"`{name}`" in DOC, name


def test_every_character_window_is_documented() -> None:
    for module in ("amounts", "clauses", "events", "facts", "securities", "timeframes"):
        names = vars(importlib.import_module(f"tickerwire.extract.{module}"))
        windows = [n for n, v in names.items() if n.endswith(("_WINDOW", "_LOOKBACK", "_LIMIT")) and isinstance(v, int)]
        assert windows, module
        for name in windows:
            assert f"`{name}`" in DOC, f"{module}.{name}"
