"""``tickerwire --help`` imports no command module and ``tickerwire COMMAND`` only its own; the
command table stays complete and its help matches the commands' docstrings.

The tests that run a command read ``sys.modules`` after it ran, in a process like a fresh one
(``fresh_commands.py``): they guard start-up time without timing anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.main import get_command

from tickerwire.cli import COMMANDS, app

SRC = Path(__file__).resolve().parents[2] / "src"
HARNESS = Path(__file__).with_name("fresh_commands.py")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "news"

# Imported by any of these, a command would spend seconds before its work: the library layers a
# command imports inside its function, the web stack, and what the stories and IPO code pull in.
HEAVY = (
    "tickerwire.insights",
    "tickerwire.extract",
    "tickerwire.store",
    "tickerwire.sources",
    "tickerwire.ingest",
    "tickerwire.evaluation",
    "tickerwire.app",
    "tickerwire.api",
    "tickerwire.web",
    "fastapi",
    "uvicorn",
    "datasketch",
    "scipy",
    "numpy",
    "pyarrow",
    "yaml",
)
CLI_MODULES = sorted({f"tickerwire.cli.{command.module}" for command in COMMANDS.values()})
# One command of each module: help loads the module, whichever of its commands is asked about.
ONE_PER_MODULE = list({command.module: name for name, command in COMMANDS.items()}.values())


class FreshCommands:
    """``tickerwire`` commands run as fresh processes would run them (``fresh_commands.py``: one
    interpreter forks a child per command from the state a fresh process starts a command in)."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.runs = 0
        env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "100"}
        self.server = subprocess.Popen([sys.executable, str(HARNESS)], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True, env=env, cwd=scratch)

    def run(self, argv: list[str], cwd: Path, cache: Path
            ) -> tuple[set[str], subprocess.CompletedProcess[str]]:
        assert self.server.stdin is not None and self.server.stdout is not None
        self.runs += 1
        files = {kind: self.scratch / f"{self.runs}.{kind}" for kind in ("stdout", "stderr",
                                                                         "modules")}
        job = {"argv": argv, "cwd": str(cwd), "env": {"TICKERWIRE_CACHE_DIR": str(cache)},
               **{kind: str(path) for kind, path in files.items()}}
        self.server.stdin.write(json.dumps(job) + "\n")
        self.server.stdin.flush()
        reply = self.server.stdout.readline()
        assert reply, "the command runner stopped"
        done = subprocess.CompletedProcess(
            argv, json.loads(reply)["returncode"],
            files["stdout"].read_text(encoding="utf-8"), files["stderr"].read_text(encoding="utf-8"))
        return set(json.loads(files["modules"].read_text(encoding="utf-8"))), done

    def close(self) -> None:
        assert self.server.stdin is not None
        self.server.stdin.close()
        self.server.wait(timeout=60)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshCommands]:
    if not hasattr(os, "fork"):
        pytest.skip("the command runner forks (POSIX only)")
    commands = FreshCommands(tmp_path_factory.mktemp("fresh-commands"))
    yield commands
    commands.close()


def _loaded_after(fresh: FreshCommands, argv: list[str], tmp_path: Path, *,
                  cache: Path | None = None) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules loaded once ``tickerwire *argv`` finished in ``tmp_path``, in a process like a
    fresh one (with an empty cache of reference data unless ``cache`` is given)."""
    return fresh.run(argv, tmp_path, cache or tmp_path / "cache")


def test_the_runner_loads_what_a_fresh_interpreter_loads(fresh: FreshCommands, tmp_path: Path
                                                          ) -> None:
    from tickerwire.store import Store

    Store(tmp_path / "news.db").close()  # an empty database, migrated
    argv = ["--db", str(tmp_path / "news.db"), "stats", "--json"]
    code = ("import atexit, json, sys\n"
            "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
            "from tickerwire.cli import main\n"
            "sys.argv[0] = 'tickerwire'\n"
            "main()\n")
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "100",
           "TICKERWIRE_CACHE_DIR": str(tmp_path / "cache")}
    alone = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=120)
    loaded, done = _loaded_after(fresh, argv, tmp_path)
    assert (done.returncode, done.stdout) == (alone.returncode, alone.stdout)
    assert done.returncode == 0 and json.loads(done.stdout)["articles"] == 0
    # its children start where a fresh process starts the command: nothing more is loaded
    assert loaded == set(json.loads(alone.stderr.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


def test_table_names_every_command_and_its_module() -> None:
    group = get_command(app)
    registered = {name: command.callback.__module__.rpartition(".")[2]  # type: ignore[union-attr]
                  for name, command in group.commands.items()}  # type: ignore[attr-defined]
    assert registered == {name: command.module for name, command in COMMANDS.items()}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_table_help_is_the_first_paragraph_of_the_docstring(name: str) -> None:
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help is not None
    first_paragraph = command.help.strip().split("\n\n")[0]
    assert COMMANDS[name].help == " ".join(first_paragraph.split())


@pytest.mark.parametrize("argv", [[], ["stocks", "AAPL"]])
def test_help_and_unknown_commands_import_no_command_module(
    argv: list[str], fresh: FreshCommands, tmp_path: Path
) -> None:
    loaded, done = _loaded_after(fresh, argv, tmp_path)
    assert not loaded & set(CLI_MODULES), sorted(loaded & set(CLI_MODULES))
    assert not _heavy(loaded), sorted(_heavy(loaded))
    assert "tickerwire.model" not in loaded
    if argv:
        assert done.returncode == 2
        assert "Did you mean 'stock'" in done.stderr
    else:  # no arguments: the help
        assert all(name in done.stdout for name in COMMANDS)


def test_top_level_help_reads_the_same_with_every_module_loaded(
    fresh: FreshCommands, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    loaded, lazy = _loaded_after(fresh, ["--help"], tmp_path)
    assert not loaded & set(CLI_MODULES)
    full = CliRunner().invoke(app, ["--help"], prog_name="tickerwire", terminal_width=100,
                              env={"COLUMNS": "100"})
    assert lazy.returncode == 0 and full.exit_code == 0
    assert lazy.stdout.split() == full.stdout.split()


@pytest.mark.parametrize("name", ONE_PER_MODULE)
def test_command_help_imports_only_its_module(
    name: str, fresh: FreshCommands, tmp_path: Path
) -> None:
    loaded, done = _loaded_after(fresh, [name, "--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Usage: tickerwire " + name in " ".join(done.stdout.split())
    assert loaded & set(CLI_MODULES) == {f"tickerwire.cli.{COMMANDS[name].module}"}
    assert not _heavy(loaded), sorted(_heavy(loaded))


def test_a_command_imports_only_what_it_uses(fresh: FreshCommands, tmp_path: Path) -> None:
    loaded, done = _loaded_after(fresh, ["securities", "中芯國際", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"00981.HK"' in done.stdout and '"688981.SH"' in done.stdout
    assert loaded & set(CLI_MODULES) == {"tickerwire.cli.securities"}
    assert not _heavy(loaded), sorted(_heavy(loaded))


def test_stats_imports_the_store_but_not_insights_or_extraction(
    fresh: FreshCommands, tmp_path: Path
) -> None:
    from tickerwire.store import Store

    with Store(tmp_path / "news.db"):
        pass  # an empty database, migrated
    loaded, done = _loaded_after(fresh, ["--db", str(tmp_path / "news.db"), "stats", "--json"],
                                 tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 0
    assert loaded & set(CLI_MODULES) == {"tickerwire.cli.read"}
    assert "tickerwire.store" in loaded
    assert not _heavy(loaded) - {m for m in loaded if m.startswith("tickerwire.store")}


def test_stats_without_a_database_says_so_before_importing_the_store(
    fresh: FreshCommands, tmp_path: Path
) -> None:
    loaded, done = _loaded_after(fresh, ["--db", str(tmp_path / "none.db"), "stats"], tmp_path)
    assert done.returncode != 0
    assert "no database at" in done.stderr
    assert not _heavy(loaded), sorted(_heavy(loaded))


def test_a_placeholder_becomes_the_command_when_resolved_and_never_runs_itself() -> None:
    import typer

    from tickerwire.cli._app import RootGroup

    group = RootGroup(name="tickerwire", commands={})
    ctx = typer.Context(group)
    placeholder = group.commands["stats"]
    assert placeholder.help == COMMANDS["stats"].help and placeholder.callback is None
    with pytest.raises(RuntimeError, match="not imported"):
        placeholder.invoke(ctx)
    name, command, rest = group.resolve_command(ctx, ["stats", "--json"])
    assert (name, rest) == ("stats", ["--json"])
    assert command is group.commands["stats"] and command.callback is not None
    assert [p.name for p in command.params if p.name == "as_json"] == ["as_json"]


# What a board command needs is the store, its own insight module and the security master; never
# the extraction pipeline, the stories' MinHash (datasketch, numpy, scipy), the YAML parser (the
# rule tables come from their cache), the price verdict rules, or the other boards' modules.
BOARD_NEVER = (
    "tickerwire.extract.pipeline",
    "tickerwire.extract.components",
    "tickerwire.sources",
    "tickerwire.ingest",
    "tickerwire.insights.stories",
    "tickerwire.insights.story_match",
    "tickerwire.insights.search",
    "tickerwire.insights.study",
    "tickerwire.prices.verdicts",
    "tickerwire.app",
    "datasketch",
    "numpy",
    "scipy",
    "yaml",
)


@pytest.fixture(scope="module")
def board_cache(fresh: FreshCommands, sample_news_sqlite: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory the first runs of a board and of ``extract`` filled (the master's, the
    gazetteer's, the rules', the sentiment lexicons'): the tests then see what every later run of
    a command loads."""
    cache = tmp_path_factory.mktemp("board-cache")
    for argv in (["--db", str(sample_news_sqlite), "brief"],
                 ["extract", str(EXAMPLES / "2025-10-14-hk-market-report.txt")]):
        _, done = _loaded_after(fresh, argv, cache.parent, cache=cache)
        assert done.returncode == 0, done.stderr
    return cache


@pytest.mark.parametrize(("argv", "board"), [
    (["market", "--help"], set()),
    (["market"], {"tickerwire.insights.market"}),
    (["movers"], {"tickerwire.insights.movers"}),
    (["stock", "01810.HK"], {"tickerwire.insights.timeline"}),
    (["brief"], {"tickerwire.insights.brief", "tickerwire.insights.ipos"}),
])
def test_a_board_command_imports_its_board_and_not_the_pipeline_or_the_stories(
    argv: list[str], board: set[str], fresh: FreshCommands, sample_news_sqlite: Path,
    board_cache: Path, tmp_path: Path
) -> None:
    loaded, done = _loaded_after(fresh, ["--db", str(sample_news_sqlite), *argv], tmp_path,
                                 cache=board_cache)
    assert done.returncode == 0, done.stderr
    assert board <= loaded
    never = {m for m in loaded if any(m == h or m.startswith(h + ".") for h in BOARD_NEVER)}
    assert not never, sorted(never)
    if "--help" in argv:
        assert not _heavy(loaded), sorted(_heavy(loaded))
    else:
        others = {"tickerwire.insights.brief", "tickerwire.insights.ipos"} - board
        assert not loaded & others, sorted(loaded & others)


def test_the_insights_package_gives_each_function_not_its_module() -> None:
    """A submodule named like its function (market, brief, timeline …) never shadows it, whichever
    was imported first."""
    import importlib
    import types

    import tickerwire.insights as insights

    importlib.import_module("tickerwire.insights.brief")  # imports .market and .movers too
    for name in ("market", "movers", "brief", "ipos", "timeline", "study"):
        value = getattr(insights, name)
        assert callable(value) and not isinstance(value, types.ModuleType), name
    assert insights.StoryAssigner.__name__ == "StoryAssigner"
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = insights.nothing_here


@pytest.mark.parametrize("package", ["tickerwire.insights", "tickerwire.extract"])
def test_every_exported_name_resolves_from_its_module(package: str) -> None:
    """``__all__`` and the lazily imported names agree: a name added to one and not the other
    fails here, not in a user's ``from tickerwire.insights import …``."""
    import importlib

    module = importlib.import_module(package)
    exports = getattr(module, "_EXPORTS", None)
    if exports is not None:
        assert sorted(module.__all__) == sorted(exports)
    for name in module.__all__:
        assert getattr(module, name) is not None, name


@pytest.mark.parametrize(("index_id", "name_en", "is_index"), [
    ("HSI", "Hang Seng Index", True),
    ("NOT-AN-INDEX", "NOT-AN-INDEX", False),
])
def test_index_names_on_a_board_come_without_loading_the_issuers(
    index_id: str, name_en: str, is_index: bool
) -> None:
    from tickerwire.insights import issuers
    from tickerwire.refdata.master import load_indices, load_master

    load_master.cache_clear()
    load_indices.cache_clear()
    info = issuers.index_info(index_id)
    assert (info.id, info.name_en) == (index_id, name_en)
    assert issuers.is_index(index_id) is is_index
    assert load_master.cache_info().currsize == 0  # the master was never loaded
    assert dict(load_indices()) == dict(load_master().indices)  # the same table

# The readers of web pages and feeds, with the libraries they stand on, and the tables of rich.
HTML_READER = ("tickerwire.sources.html", "trafilatura", "lxml", "justext", "htmldate", "courlan")
FEED_READER = ("tickerwire.sources.feed", "feedparser")
TABLES = ("rich", "tickerwire.cli.render")


def _among(loaded: set[str], names: tuple[str, ...]) -> set[str]:
    return {m for m in loaded if any(m == n or m.startswith(n + ".") for n in names)}


@pytest.mark.parametrize(("name", "needs", "never"), [
    # Markdown: the YAML front matter's parser, no web-page or feed reader, no table
    ("2025-10-06-hk-close-hsi-holiday-eve.md", ("tickerwire.sources.markdown", "yaml"),
     (*HTML_READER, *FEED_READER, *TABLES)),
    # JSON Lines and plain text (English, 简体, 繁體): no other reader, and no YAML (the rule
    # tables and the sentiment lexicons come from their caches)
    ("2025-10-09_2025-11-07-newswire.jsonl", (),
     ("tickerwire.sources.markdown", "yaml", *HTML_READER, *FEED_READER, *TABLES)),
    ("2025-10-16-a-share-close-zh-hans.txt", (),
     ("tickerwire.sources.markdown", "yaml", *HTML_READER, *FEED_READER, *TABLES)),
    ("2025-10-21-hk-close-zh-hant.txt", (),
     ("tickerwire.sources.markdown", "yaml", *HTML_READER, *FEED_READER, *TABLES)),
    # a web page and a feed load their own reader and only it
    ("2025-10-08-hk-stocks-chip-rally.html", HTML_READER[:2], (*FEED_READER, *TABLES)),
    ("2025-10-15_2025-11-07-hk-desk.atom", FEED_READER, (*HTML_READER, *TABLES)),
])
def test_extract_imports_the_reader_of_its_input_only(
    name: str, needs: tuple[str, ...], never: tuple[str, ...], fresh: FreshCommands,
    board_cache: Path, tmp_path: Path
) -> None:
    loaded, done = _loaded_after(fresh, ["extract", str(EXAMPLES / name)], tmp_path,
                                 cache=board_cache)
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout.splitlines()[0])
    assert first["mentions"] or first["indices"]  # the pipeline ran on what was read
    assert _among(loaded, needs) >= set(needs), sorted(set(needs) - loaded)
    assert not _among(loaded, never), sorted(_among(loaded, never))
    # no database, no price verdicts without --prices, no story MinHash
    assert not _among(loaded, ("tickerwire.store", "tickerwire.insights", "tickerwire.prices",
                               "datasketch"))


def test_extract_as_a_table_loads_rich(fresh: FreshCommands, board_cache: Path,
                                       tmp_path: Path) -> None:
    path = EXAMPLES / "2025-10-06-hk-close-hsi-holiday-eve.md"
    loaded, done = _loaded_after(fresh, ["extract", "--format", "table", str(path)], tmp_path,
                                 cache=board_cache)
    assert done.returncode == 0, done.stderr
    assert {"rich.table", "tickerwire.cli.render"} <= loaded


@pytest.mark.parametrize("argv", [
    ["search", "Tencent"],
    ["search", "腾讯", "--json"],
    ["search", "", "--security", "00981.HK", "--json"],
])
def test_search_reads_the_store_without_the_readers_or_the_pipeline(
    argv: list[str], fresh: FreshCommands, sample_news_sqlite: Path, board_cache: Path,
    tmp_path: Path
) -> None:
    loaded, done = _loaded_after(fresh, ["--db", str(sample_news_sqlite), *argv], tmp_path,
                                 cache=board_cache)
    assert done.returncode == 0, done.stderr
    assert "tickerwire.insights.search" in loaded
    never = _among(loaded, (*BOARD_NEVER[:3], *HTML_READER, *FEED_READER, "yaml", "regex",
                            "ahocorasick_rs", "datasketch", "numpy"))
    assert not never, sorted(never)


@pytest.mark.parametrize(("argv", "tables"), [
    (["stock", "01810.HK", "--json"], False),
    (["movers", "--json"], False),
    (["market", "--json"], False),
    (["brief", "--json"], False),
    (["search", "中芯", "--json"], False),
    (["securities", "騰訊", "--json"], False),
    (["stats", "--json"], False),
    (["market"], True),
    (["securities", "騰訊"], True),
])
def test_a_command_printing_json_loads_no_tables(
    argv: list[str], tables: bool, fresh: FreshCommands, sample_news_sqlite: Path,
    board_cache: Path, tmp_path: Path
) -> None:
    loaded, done = _loaded_after(fresh, ["--db", str(sample_news_sqlite), *argv], tmp_path,
                                 cache=board_cache)
    assert done.returncode == 0, done.stderr
    if tables:
        assert {"rich.table", "rich.console"} <= loaded
    else:
        json.loads(done.stdout)
        assert not _among(loaded, TABLES), sorted(_among(loaded, TABLES))
