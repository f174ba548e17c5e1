"""The README's demo figures are what ``scripts/readme_figures.py`` captures from a real run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    path = ROOT / "scripts" / "readme_figures.py"
    spec = importlib.util.spec_from_file_location("readme_figures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


figures_script = _script()

README_SAMPLE = """# x

<!-- figure: corpus -->
old sentence
<!-- /figure -->

text between

<!-- figure: brief -->
```
old brief
```
<!-- /figure -->
"""


def test_rewrite_replaces_only_the_marked_blocks() -> None:
    new = figures_script.rewrite(README_SAMPLE, {"corpus": "new sentence\n", "brief": "```\nB\n```\n"})
    assert "old" not in new
    assert "<!-- figure: corpus -->\nnew sentence\n<!-- /figure -->" in new
    assert "text between" in new and new.startswith("# x\n")
    assert figures_script.rewrite(new, {"corpus": "new sentence\n", "brief": "```\nB\n```\n"}) == new


def test_a_missing_block_is_an_error() -> None:
    with pytest.raises(figures_script.FigureError, match="ingest"):
        figures_script.rewrite(README_SAMPLE, {"ingest": "x\n"})


def test_first_rows_keeps_wrapped_lines_of_a_row() -> None:
    rows = ["│ a.md │ binary │ not text │", "│      │        │ more     │", "│ b.md │ empty │ none │",
            "│ c.md │ x │ y │"]
    assert figures_script._first_rows(rows, 2) == rows[:3]


@pytest.mark.slow
def test_readme_figures_match_a_fresh_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fresh = figures_script.figures()
    assert set(fresh) == {"corpus", "ingest", "prices", "brief"}
    assert "73 articles" in fresh["corpus"] or "articles" in fresh["corpus"]
    assert figures_script.rewrite(readme, fresh) == readme, (
        "README figures are out of date: run python scripts/readme_figures.py"
    )
