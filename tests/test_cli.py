"""The command line: every command, JSON output, exit codes, help text and docs coverage.

The articles are written here (never the eval set). A test that ingests gets a fresh database
under ``tmp_path``; the tests of the reading commands share one database per backend, made by
ingesting those articles once (``news_db``), and a test that writes to it gets a copy (``loaded``).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from pg_server import copy_target, new_target
from tickerwire.cli import app

ROOT = Path(__file__).resolve().parents[1]

ARTICLE_MD = """---
title: "Tencent and SMIC lead Hong Kong tech rebound"
type: news
locale: en
url: https://news.example.com/markets/tencent-smic-rebound
description: Hong Kong technology shares rebounded on Monday.
datetime: 2025-10-27T08:30:00Z
---
# Tencent and SMIC lead Hong Kong tech rebound

Hong Kong stocks rose on Monday. The Hang Seng Index gained 1.2% to close at 26,160.15, with
turnover of HK$250.3 billion.

Tencent (0700.HK) climbed 3.1% to HK$650.50, while SMIC (981 HK) jumped 5.2%.

### Related Stocks

- [00700.HK](https://news.example.com/quote/00700.HK)
- [00981.HK](https://news.example.com/quote/00981.HK)
"""

ARTICLE_TXT_ZH = """港股科技股反弹 恒指收涨1.2%
2025年10月27日，港股三大指数集体上涨。恒生指数收涨1.2%，报26160点；腾讯控股涨3.1%，中芯国际涨5.2%。
大市成交额2503亿港元，南向资金净买入85.6亿港元。
"""

ARTICLE_TXT_EN = """Hong Kong stocks slip as property developers weigh
On Tuesday, October 28, 2025, Hong Kong stocks edged lower. The Hang Seng Index fell 0.4%.
Property developers led the decline while technology shares were mixed.
"""


def _jsonl(*rows: dict[str, Any]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


JSONL = _jsonl(
    {"id": "wire-001", "title": "Xiaomi rises", "text": "Xiaomi rose 2% in Hong Kong trading.",
     "lang": "en", "published_at": "2025-10-27T10:00:00+08:00"},
    {"id": "wire-002", "title": "比亚迪下跌", "text": "比亚迪股份下跌1.5%。", "lang": "zh"},
)


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # never touch the user's database; wide enough that tables do not wrap ids
    monkeypatch.setenv("TICKERWIRE_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def db(db_target: Path | str) -> Path | str:
    """The database the commands use, on each backend."""
    return db_target


@pytest.fixture
def file_db(tmp_path: Path) -> Path:
    """A SQLite file, for what only a file can show (created or not)."""
    return tmp_path / "tw.db"


def _write_news(folder: Path) -> Path:
    folder.mkdir()
    (folder / "2025-10-27-tech-rebound.md").write_text(ARTICLE_MD, encoding="utf-8")
    (folder / "2025-10-27-hk-close.txt").write_text(ARTICLE_TXT_ZH, encoding="utf-8")
    (folder / "2025-10-28-hk-slip.txt").write_text(ARTICLE_TXT_EN, encoding="utf-8")
    return folder


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return _write_news(tmp_path / "news")


@pytest.fixture(scope="module")
def news_db(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path | str, dict[str, Any]]]:
    """The database ``tickerwire ingest`` made of ``news`` (as a user runs it: with its worker
    processes), once per backend, and the run's summary. Tests only read it: the reading
    commands open it read-only, and a test that writes takes ``loaded`` instead."""
    directory = tmp_path_factory.mktemp("cli-news")
    folder = _write_news(directory / "news")
    for target in new_target(backend, request, directory):
        yield target, ingested(target, folder)


@pytest.fixture
def loaded(
    backend: str, news_db: tuple[Path | str, dict[str, Any]], request: pytest.FixtureRequest,
    tmp_path: Path,
) -> Iterator[Path | str]:
    """A copy of ``news_db`` of this test's own, to write to."""
    yield from copy_target(backend, news_db[0], request, tmp_path)


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "broken" / "binary.md"
    path.parent.mkdir()
    path.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 200)
    return path


def run(*args: str | Path, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def run_json(*args: str | Path, input: str | bytes | None = None) -> Any:
    result = run(*args, "--json", input=input)
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def ingested(db: Path | str, news: Path) -> dict[str, Any]:
    summary: dict[str, Any] = run_json("ingest", news, "--db", db)
    return summary


def one_line_error(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# --- top level ------------------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"tickerwire \d+\.\d+\.\d+\S*\n", result.stdout)


def test_no_command_shows_usage() -> None:
    result = run()
    assert result.exit_code in (0, 2)
    assert "Usage" in result.stdout + result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    assert run("frobnicate").exit_code == 2


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_and_option_has_help() -> None:
    commands = _commands()
    expected = {"ingest", "search", "show", "securities", "stats", "extract", "reprocess", "eval"}
    assert expected <= set(commands)
    for name, command in commands.items():
        assert (command.help or "").strip(), f"{name} has no help text"
        for param in command.params:
            if param.name == "help":
                continue
            assert (getattr(param, "help", None) or "").strip(), f"{name} {param.name}: no help"
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Usage" in result.stdout


def _documented(text: str) -> set[str]:
    return set(re.findall(r"^#{2,3} `tickerwire (\w+)", text, flags=re.M))


def test_docs_cli_md_covers_every_command() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    documented = _documented(doc)
    commands = set(_commands())
    assert commands - documented == set(), "commands missing from docs/cli.md"
    assert documented - commands == set(), "docs/cli.md documents commands that do not exist"


def test_readme_cli_section_covers_every_command() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## CLI\b(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match is not None, "README.md has no '## CLI' section"
    section = match.group(1)
    named = set(re.findall(r"tickerwire (?:--db \S+ )?([a-z]+)", section))
    for command in _commands():
        assert command in named, f"README '## CLI' does not mention `tickerwire {command}`"
    assert named - set(_commands()) == set(), "README names commands that do not exist"


# --- argument errors (no library needed) ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("search", "tencent", "--since", "2025-13-01"),
        ("search", "tencent", "--until", "27/10/2025"),
        ("search", "tencent", "--as-of", "yesterday"),
        ("show", "tw-0000000000000000", "--as-of", "2025-02-30"),
    ],
)
def test_bad_date_exits_2_with_one_line(args: tuple[str, ...], file_db: Path) -> None:
    result = run(*args, "--db", file_db)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "YYYY-MM-DD" in line
    assert not file_db.exists()


@pytest.mark.parametrize("command", [("stats",), ("search", "x"), ("show", "tw-1")])
def test_missing_database_names_the_fix(command: tuple[str, ...], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = run(*command, "--db", missing)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert str(missing) in line and "ingest" in line
    assert not missing.exists()


DATABASE_URLS = [
    "postgresql:/localhost/news",  # a shell or a Path lost one slash
    "sqlite:///var/tickerwire.db",
    "sqlite+pysqlite:///:memory:",
    "file:///tmp/tickerwire.db",
    "mysql+pymysql://root@127.0.0.1/行情",
    "https://example.com/tickerwire.db",
]


@pytest.mark.parametrize("url", DATABASE_URLS)
@pytest.mark.parametrize("where", ["global", "command"])
def test_db_url_is_refused_before_anything_is_written(
    url: str, where: str, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    args = ("--db", url, "ingest", news) if where == "global" else ("ingest", news, "--db", url)
    result = run(*args)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "--db" in line and "URL" in line and "file path" in line and "postgresql://" in line
    assert sorted(tmp_path.iterdir()) == before, "nothing may be created for a URL"


# Port 1 on the loopback: nothing listens there, so the connection is refused at once.
UNREACHABLE = "postgresql://analyst:secret@127.0.0.1:1/tickerwire"


@pytest.mark.parametrize("command", [("ingest", "NEWS"), ("stats",), ("search", "腾讯")])
@pytest.mark.parametrize("where", ["global", "command", "env"])
def test_postgresql_url_without_a_server_is_one_line_without_the_password(
    command: tuple[str, ...], where: str, news: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("psycopg")
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    words = [str(news) if arg == "NEWS" else arg for arg in command]
    if where == "env":
        monkeypatch.setenv("TICKERWIRE_DB", UNREACHABLE)
        result = run(*words)
    else:
        result = run("--db", UNREACHABLE, *words) if where == "global" else run(
            *words, "--db", UNREACHABLE)
    assert result.exit_code == 1
    line = one_line_error(result)
    assert "cannot connect" in line and "127.0.0.1" in line
    assert "secret" not in result.stdout + result.stderr
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("url", DATABASE_URLS)
@pytest.mark.parametrize("command", [("ingest", "NEWS"), ("stats",), ("search", "腾讯")])
def test_env_db_url_is_refused(
    url: str, command: tuple[str, ...], news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TICKERWIRE_DB", url)
    before = sorted(tmp_path.iterdir())
    result = run(*(str(news) if arg == "NEWS" else arg for arg in command))
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "$TICKERWIRE_DB" in line and "URL" in line
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    "name", ["tw.db", "news:2025.db", "港股新闻.db", "nested/dir/tw.sqlite"]
)
def test_db_file_paths_are_accepted(
    name: str, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # one process: worker processes opening such a path are tests/test_ingest_workers.py's
    result = run("--db", name, "ingest", news, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / name).is_file()


def test_bad_lang_is_a_usage_error(db: Path | str) -> None:
    assert run("search", "x", "--lang", "fr", "--db", db).exit_code == 2


def test_stdin_cannot_mix_with_paths(db: Path | str, news: Path) -> None:
    result = run("ingest", "-", news, "--db", db, input="text")
    assert result.exit_code == 2
    assert "stdin" in one_line_error(result)


# --- eval -----------------------------------------------------------------------------------


@pytest.fixture
def eval_files(tmp_path: Path) -> tuple[Path, Path]:
    docs = tmp_path / "docs.jsonl"
    gold = tmp_path / "gold.jsonl"
    docs.write_text(
        _jsonl(
            {"id": "e1", "lang": "en", "text": "The Hang Seng Index rose 1.0% on Friday."},
            {"id": "z1", "lang": "zh", "text": "恒生指数周五上涨1.0%。"},
        ),
        encoding="utf-8",
    )
    empty = {"issuers": [], "moves": [], "index_levels": [], "amounts": []}
    gold.write_text(
        _jsonl(
            {"id": "e1", "indices": ["HSI"], "events": ["index_move"], **empty},
            {"id": "z1", "indices": ["HSI"], "events": ["index_move"], **empty},
        ),
        encoding="utf-8",
    )
    return docs, gold


def test_eval_table_has_rows_per_field_and_language(eval_files: tuple[Path, Path]) -> None:
    docs, gold = eval_files
    result = run("eval", "--docs", docs, "--gold", gold)
    assert result.exit_code == 0, result.stderr
    for word in ("issuers", "indices", "moves", "events", "precision", "recall", "F1"):
        assert word in result.stdout
    for lang in ("all", "en", "zh"):
        assert re.search(rf"│ {lang}\s+│", result.stdout)


def test_eval_json_and_lang_filter(eval_files: tuple[Path, Path]) -> None:
    docs, gold = eval_files
    report = run_json("eval", "--docs", docs, "--gold", gold, "--lang", "zh", "-v")
    assert report["articles"] == 1
    assert {row["lang"] for row in report["rows"]} == {"all", "zh"}
    row = report["rows"][0]
    assert set(row) >= {"field", "lang", "tp", "fp", "fn", "precision", "recall", "f1"}
    assert isinstance(report["details"], list)


def test_eval_missing_file_exits_2(eval_files: tuple[Path, Path], tmp_path: Path) -> None:
    _, gold = eval_files
    result = run("eval", "--docs", tmp_path / "absent.jsonl", "--gold", gold)
    assert result.exit_code == 2
    assert "absent.jsonl" in one_line_error(result)


# --- extract (no database) ------------------------------------------------------------------


def test_extract_prints_the_contract_one_object_per_line(news: Path, file_db: Path) -> None:
    result = run("--db", file_db, "extract", news / "2025-10-27-tech-rebound.md")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    contract = {"id", "title", "published_at", "lang", "source", "url", "mentions", "indices",
                "facts", "events", "sentiment"}
    assert contract <= set(obj)
    assert obj["title"] == "Tencent and SMIC lead Hong Kong tech rebound"
    assert obj["published_at"].startswith("2025-10-27T08:30:00")
    assert "text" not in obj
    assert not file_db.exists(), "extract must not create a database"


def test_extract_with_text_offsets_point_into_text(news: Path) -> None:
    result = run("extract", news, "--with-text")
    assert result.exit_code == 0, result.stderr
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objs) == 3
    for obj in objs:
        for item in [*obj["mentions"], *obj["facts"], *obj["indices"], *obj["events"]]:
            assert obj["text"][item["start"]:item["end"]] == item["text"]


def test_extract_jsonl_keeps_line_ids(tmp_path: Path) -> None:
    wire = tmp_path / "wire.jsonl"
    wire.write_text(JSONL, encoding="utf-8")
    result = run("extract", wire, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["wire-001", "wire-002"]


def test_extract_table_format(news: Path) -> None:
    result = run("extract", news, "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "3 articles" in result.stdout
    assert "Tencent and SMIC lead Hong Kong tech rebound" in result.stdout


def test_extract_reads_stdin() -> None:
    result = run("extract", "-", input=ARTICLE_TXT_EN.encode())
    assert result.exit_code == 0, result.stderr
    obj = json.loads(result.stdout.splitlines()[0])
    assert obj["lang"] == "en"


def test_extract_bad_input_goes_to_stderr_and_exits_1(news: Path, bad_file: Path) -> None:
    result = run("extract", news / "2025-10-28-hk-slip.txt", bad_file)
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1, "the good file is still printed"
    json.loads(result.stdout)
    assert "binary.md" in result.stderr


def test_extract_missing_path_exits_2_before_printing(news: Path, tmp_path: Path) -> None:
    result = run("extract", news, tmp_path / "no-such-file.md")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no-such-file.md" in one_line_error(result)


# --- ingest, stats, search, show, reprocess -------------------------------------------------


def test_ingest_summary_then_idempotent_reingest(
    news_db: tuple[Path | str, dict[str, Any]], loaded: Path | str, news: Path
) -> None:
    first = news_db[1]  # the first run, into an empty database
    assert (first["new"], first["unchanged"], first["revised"]) == (3, 0, 0)
    second = run_json("ingest", news, "--db", loaded)
    assert (second["new"], second["unchanged"], second["revised"]) == (0, 3, 0)


def test_ingest_table_output(db: Path | str, news: Path) -> None:
    result = run("ingest", news, "--db", db, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    for word in ("new", "unchanged", "revised", "quarantined"):
        assert word in result.stdout


def test_ingest_revision_after_edit(loaded: Path | str, news: Path) -> None:
    db = loaded
    page = news / "2025-10-27-tech-rebound.md"
    page.write_text(ARTICLE_MD.replace("jumped 5.2%", "jumped 5.4%"), encoding="utf-8")
    summary = run_json("ingest", page, "--db", db)
    assert summary["revised"] == 1


def test_ingest_quarantines_and_strict_fails(db: Path | str, news: Path, bad_file: Path) -> None:
    result = run("ingest", news, bad_file, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "binary.md" in result.stdout
    summary = run_json("ingest", bad_file, "--db", db)
    assert summary["quarantined"]
    strict = run("ingest", bad_file, "--db", db, "--strict")
    assert strict.exit_code == 1


def test_ingest_stdin(db: Path | str) -> None:
    summary = run_json("ingest", "-", "--db", db, input=ARTICLE_TXT_ZH.encode())
    assert summary["new"] == 1
    again = run_json("ingest", "-", "--db", db, input=ARTICLE_TXT_ZH.encode())
    assert again["unchanged"] == 1


def test_ingest_missing_path_exits_nonzero(db: Path | str, tmp_path: Path) -> None:
    result = run("ingest", tmp_path / "missing-folder", "--db", db)
    assert result.exit_code != 0
    assert "missing-folder" in result.stdout + result.stderr


def test_global_db_option_and_env(db: Path | str, news: Path, tmp_path: Path) -> None:
    # in one process (--workers 1): which database is used is the point here, not the workers
    assert run("--db", db, "ingest", news, "--workers", "1", "--json").exit_code == 0
    assert run_json("--db", db, "stats")["articles"] == 3
    # the command option wins over the global one
    assert run_json("--db", tmp_path / "other.db", "stats", "--db", db)["articles"] == 3
    # with neither, $TICKERWIRE_DB is used
    assert run("ingest", news, "--workers", "1", "--json").exit_code == 0
    assert (tmp_path / "env-default.db").exists()


def test_stats_table_and_json(news_db: tuple[Path | str, dict[str, Any]]) -> None:
    db = news_db[0]
    counts = run_json("stats", "--db", db)
    assert counts["articles"] == 3
    assert all(isinstance(v, int) for v in counts.values())
    result = run("stats", "--db", db)
    assert result.exit_code == 0
    assert "articles" in result.stdout


def test_search_json_filters(news_db: tuple[Path | str, dict[str, Any]]) -> None:
    db = news_db[0]
    hits = run_json("search", "Hong Kong", "--db", db)
    assert hits and all("id" in h and "title" in h for h in hits)
    zh = run_json("search", "恒生指数", "--db", db, "--lang", "zh")
    assert [h["lang"] for h in zh] == ["zh"]
    late = run_json("search", "", "--db", db, "--since", "2025-10-28")
    assert [h["title"] for h in late] == ["Hong Kong stocks slip as property developers weigh"]
    early = run_json("search", "", "--db", db, "--until", "2025-10-27")
    assert len(early) == 2
    assert len(run_json("search", "", "--db", db, "--limit", "1")) == 1


def test_search_table(news_db: tuple[Path | str, dict[str, Any]]) -> None:
    db = news_db[0]
    result = run("search", "Tencent", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "Tencent and SMIC lead Hong Kong tech rebound" in result.stdout
    nothing = run("search", "zzzzqqq", "--db", db)
    assert nothing.exit_code == 0
    assert "No articles" in nothing.stdout


def test_search_by_security(news_db: tuple[Path | str, dict[str, Any]]) -> None:
    db = news_db[0]
    result = run("search", "", "--security", "0700.HK", "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)
    unknown = run("search", "", "--security", "Qwxzy Holdings", "--db", db)
    assert unknown.exit_code == 2
    assert "not a known security" in one_line_error(unknown)


def _first_id(db: Path | str, query: str) -> str:
    hits = run_json("search", query, "--db", db)
    assert hits
    article_id: str = hits[0]["id"]
    return article_id


def test_show_json_and_table(news_db: tuple[Path | str, dict[str, Any]]) -> None:
    db = news_db[0]
    article_id = _first_id(db, "Tencent")
    obj = run_json("show", article_id, "--db", db)
    assert obj["id"] == article_id
    assert obj["title"] == "Tencent and SMIC lead Hong Kong tech rebound"
    result = run("show", article_id, "--db", db)
    assert result.exit_code == 0, result.stderr
    for word in ("Mentions", "Facts", "Events", "Sentiment", "Related Stocks", "revision",
                 "pipeline", "https://news.example.com/markets/tencent-smic-rebound"):
        assert word in result.stdout
    assert "00700.HK" in result.stdout  # the publisher's Related Stocks


def test_show_unknown_id_exits_2(news_db: tuple[Path | str, dict[str, Any]]) -> None:
    db = news_db[0]
    result = run("show", "tw-ffffffffffffffff", "--db", db)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "tw-ffffffffffffffff" in line and "search" in line


def test_show_as_of_before_first_seen_is_not_found(news_db: tuple[Path | str, dict[str, Any]]) -> None:
    db = news_db[0]
    article_id = _first_id(db, "Tencent")
    assert run("show", article_id, "--db", db, "--as-of", "2030-01-01").exit_code == 0
    assert run("show", article_id, "--db", db, "--as-of", "2001-01-01").exit_code == 2


def test_reprocess(loaded: Path | str) -> None:
    db = loaded
    result = run_json("reprocess", "--db", db, "--force")
    assert result["reprocessed"] == 3
    table = run("reprocess", "--db", db)
    assert table.exit_code == 0
    assert "Re-extracted" in table.stdout


# --- securities -----------------------------------------------------------------------------


def test_securities_found_by_code_forms() -> None:
    for query in ("0700.HK", "700 HK", "00700"):
        obj = run_json("securities", query)
        assert obj["status"] == "found"
        assert "00700.HK" in [li["code"] for li in obj["issuer"]["listings"]]


def test_securities_table_lists_names_and_listings() -> None:
    result = run("securities", "SMIC")
    assert result.exit_code == 0, result.stderr
    for word in ("00981.HK", "688981.SH", "Listings", "简体", "繁體"):
        assert word in result.stdout


def test_securities_partial_name_lists_candidates() -> None:
    obj = run_json("securities", "Bank")
    assert obj["status"] in ("candidates", "ambiguous")
    assert obj["issuer"] is None and obj["candidates"]
    result = run("securities", "Bank", "--limit", "3")
    assert result.exit_code == 0
    assert "3 issuers" in result.stdout


def test_securities_unknown_exits_2() -> None:
    result = run("securities", "Qwxzy Nonexistent Holdings")
    assert result.exit_code == 2
    assert "Qwxzy" in one_line_error(result)


def test_modules_are_small() -> None:
    package = importlib.import_module("tickerwire.cli")
    folder = Path(package.__file__ or "").parent
    for path in folder.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 600, path.name


def test_ambiguous_name_lists_candidates(monkeypatch: pytest.MonkeyPatch, file_db: Path) -> None:
    import tickerwire.refdata.master as master_module
    master = master_module.load_master()
    banks = (master.resolve("Bank of China").issuer, master.resolve("招商银行").issuer)
    ambiguous = master_module.Resolution("ambiguous", "Bank", None, banks)
    monkeypatch.setattr(master, "resolve", lambda text: ambiguous)
    monkeypatch.setattr(master_module, "load_master", lambda: master)
    obj = run_json("securities", "Bank")
    assert obj["status"] == "ambiguous"
    assert [c["id"] for c in obj["candidates"]] == ["03988.HK", "03968.HK"]
    table = run("securities", "Bank")
    assert "names 2 issuers" in table.stdout
    file_db.touch()
    search = run("search", "", "--security", "Bank", "--db", file_db)
    assert search.exit_code == 2
    assert "03988.HK" in one_line_error(search)
