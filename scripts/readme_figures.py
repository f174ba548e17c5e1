"""Re-capture the demo figures in README.md from a real run over ``examples/``.

Ingests ``examples/`` and imports the sample prices of ``examples/prices/`` into a fresh
temporary database with the CLI, exactly as the README's tour (and ``make demo``) does, and
rewrites every block between ``<!-- figure: NAME -->`` and ``<!-- /figure -->`` with what the
commands print now. With ``--check`` it changes nothing and exits 1 when a block is out of date
(tests/test_readme_figures.py runs the same check).

    python scripts/readme_figures.py [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from typer.testing import CliRunner

from tickerwire.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHOWN_DB = "var/demo.db"  # the path the tour's commands name
WIDTH = "150"  # terminal columns the figures are captured at
FIGURE = re.compile(r"(<!-- figure: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /figure -->)", re.DOTALL)


class FigureError(RuntimeError):
    """A command of the tour failed, or README.md lacks a figure block."""


def run_cli(db: Path, *args: str) -> str:
    """What ``tickerwire --db DB ARGS`` prints, run from the repository root."""
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(
            app, ["--db", str(db), *args], env={"COLUMNS": WIDTH, "NO_COLOR": "1"}
        )
    finally:
        os.chdir(cwd)
    if result.exit_code != 0:
        raise FigureError(f"tickerwire {' '.join(args)} failed: {result.output.strip()}")
    return result.stdout


def corpus_figure(db: Path) -> str:
    """The sentence that counts the sample files and articles."""
    files = sorted(p for p in (ROOT / "examples" / "news").iterdir() if p.is_file())
    articles = json.loads(run_cli(db, "stats", "--json"))["articles"]
    return (
        f"Ingest the sample news (`examples/news`: {len(files)} files, {articles} articles, three "
        "formats plus a feed and a\nJSONL file) and the broken files in `examples/bad`, which are "
        "quarantined with a reason each:\n"
    )


_SPEED = re.compile(r"^\d+ articles? in [\d.]+ s")


def ingest_figure(ingest_output: str, db: Path) -> str:
    """The ingest summary with the first three quarantined files, then the stats line."""
    # the line with the run's speed differs from run to run: it is not part of the figure
    lines = [line for line in ingest_output.rstrip("\n").split("\n") if not _SPEED.search(line)]
    head = lines[: _index(lines, "Quarantined") + 1]
    rows = _first_rows([line for line in lines[len(head) :] if line.startswith("│")], 3)
    stats = json.loads(run_cli(db, "stats", "--json"))
    block = _code_block(
        [f"$ tickerwire --db {SHOWN_DB} ingest examples/", *head, *rows, "…",
         f"$ tickerwire --db {SHOWN_DB} stats --json", json.dumps(stats, ensure_ascii=False)]
    )
    return (
        f"{block}\nRunning it again adds nothing (`unchanged: {stats['articles']}`); an edited "
        "file becomes a new revision.\n"
    )


def _first_rows(lines: Sequence[str], count: int) -> list[str]:
    """The lines of the first ``count`` table rows (a row's wrapped lines have a blank first cell)."""
    out: list[str] = []
    for line in lines:
        starts_row = bool(line.split("│")[1].strip()) if line.count("│") > 1 else True
        if starts_row and sum(1 for kept in out if kept.split("│")[1].strip()) == count:
            break
        out.append(line)
    return out


# Lines of the brief kept per section (None: all): all of the market context, the first two
# movers, the first sector theme, and the first source with two of its quotes.
_BRIEF_KEEP: dict[str, int | None] = {
    "Market context": None, "Notable movers": 2, "Sector themes": 1, "IPO pipeline": 0,
    "Risks mentioned": 0, "Sources": 3,
}


def prices_figure(import_output: str, db: Path) -> str:
    """The price import line, then ``verify``: the verdict counts and the first publishers."""
    lines = run_cli(db, "verify").rstrip("\n").split("\n")
    table_end = _index(lines, "Numbers the market disagrees with")
    sources = lines[_index(lines, "Sources (share"):table_end]
    head = lines[: _index(lines, "Sources (share")]
    return _code_block([f"$ tickerwire --db {SHOWN_DB} prices import examples/prices/",
                        " ".join(import_output.split()),
                        f"$ tickerwire --db {SHOWN_DB} verify", *head, *sources[:7], "…"])


def brief_figure(db: Path) -> str:
    """The latest day's brief, trimmed per section (``…`` marks what is left out)."""
    lines = run_cli(db, "brief").rstrip("\n").split("\n")
    starts = [n for n, line in enumerate(lines[:-1])
              if line in _BRIEF_KEEP and set(lines[n + 1]) == {"-"}]
    out = lines[: starts[0]] if starts else lines
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        title = lines[start]
        items = [line for line in lines[start + 2 : end] if line]
        keep = _BRIEF_KEEP[title]
        if keep == 0:
            continue
        shown = items if keep is None else items[:keep]
        out += [title, lines[start + 1], *shown]
        out += ["…"] if len(shown) < len(items) else []
        out.append("")
    return _code_block([f"$ tickerwire --db {SHOWN_DB} brief", *out[:-1]])


def _index(lines: Sequence[str], text: str) -> int:
    for n, line in enumerate(lines):
        if line.startswith(text):
            return n
    raise FigureError(f"the output has no line starting {text!r}")


def _code_block(lines: Sequence[str]) -> str:
    return "```\n" + "\n".join(line.rstrip() for line in lines) + "\n```\n"


def figures() -> dict[str, str]:
    """Every README figure as it would be captured now."""
    with tempfile.TemporaryDirectory(prefix="tickerwire-readme-") as tmp:
        db = Path(tmp) / "demo.db"
        ingest_output = run_cli(db, "ingest", "examples/")
        prices_output = run_cli(db, "prices", "import", "examples/prices/")
        makers: dict[str, Callable[[], str]] = {
            "corpus": lambda: corpus_figure(db),
            "ingest": lambda: ingest_figure(ingest_output, db),
            "prices": lambda: prices_figure(prices_output, db),
            "brief": lambda: brief_figure(db),
        }
        return {name: make() for name, make in makers.items()}


def rewrite(readme: str, new: dict[str, str]) -> str:
    """``readme`` with each marked block replaced by its new figure."""
    names = [m.group("name") for m in FIGURE.finditer(readme)]
    missing = sorted(set(new) - set(names))
    if missing:
        raise FigureError(f"README.md has no <!-- figure: {missing[0]} --> block")
    return FIGURE.sub(lambda m: m.group(1) + new.get(m.group("name"), m.group("body")) + m.group(4),
                      readme)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report out-of-date figures")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    updated = rewrite(current, figures())
    if updated == current:
        print("README figures are up to date")
        return 0
    if args.check:
        print("README figures are out of date: run python scripts/readme_figures.py", file=sys.stderr)
        return 1
    README.write_text(updated, encoding="utf-8")
    print("README figures rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
