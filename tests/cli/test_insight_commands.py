"""The insight commands (stock, movers, market, ipos, brief), over the sample news.

The store is ``examples/news`` ingested once (``sample_news``); every command runs through typer's
runner against it. The commands are thin: their ``--json`` must equal the library result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from tickerwire import insights
from tickerwire.cli import app, render_insights
from tickerwire.store import Store

ROOT = Path(__file__).resolve().parents[2]
NEWS = ROOT / "examples" / "news"
BEFORE_ANY_ARTICLE = "2000-01-01"

if not NEWS.is_dir() or not any(NEWS.iterdir()):
    pytest.skip("examples/news holds no sample news", allow_module_level=True)


@pytest.fixture(scope="module")
def db(sample_news: Path | str) -> Path | str:
    """``examples/news``, ingested once (tests/conftest.py); the commands only read it."""
    return sample_news


@pytest.fixture(scope="module")
def store(db: Path | str) -> Iterator[Store]:
    with Store(db, readonly=True) as opened:
        yield opened


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKERWIRE_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("COLUMNS", "160")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


def run_json(*args: str | Path) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def one_line_error(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def library_json(result: Any) -> Any:
    """A library result as the CLI prints it (through JSON, so types compare equal)."""
    return json.loads(json.dumps(result.to_dict(), ensure_ascii=False))


# --- tables ---------------------------------------------------------------------------------

TABLES = [
    (("stock", "SMIC"), ("Listings", "00981.HK", "688981.SH", "中芯国际", "Per day", "Facts",
                         "Events", "Articles", "Sources")),
    (("stock", "中芯国际"), ("Semiconductor Manufacturing International", "00981.HK")),
    (("movers",), ("Movers", "listing", "move", "price", "why", "Sources")),
    (("market",), ("Indices", "HSI", "Hang Seng Index", "Turnover", "Sources")),
    (("ipos",), ("IPO pipeline", "stage", "target raise", "raised", "key dates", "Sources")),
]


@pytest.mark.parametrize(("args", "words"), TABLES, ids=[" ".join(a) for a, _ in TABLES])
def test_table_output(args: tuple[str, ...], words: tuple[str, ...], db: Path | str) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    for word in words:
        assert word in result.stdout, word


def test_global_db_option_works_too(db: Path | str) -> None:
    result = run("--db", db, "movers", "--limit", "3")
    assert result.exit_code == 0, result.stderr
    assert "Movers" in result.stdout


# --- JSON: the library's to_dict(), unchanged ------------------------------------------------

KEYS = {
    "stock": {"query", "issuer", "since", "until", "as_of", "articles", "facts", "events", "days"},
    "movers": {"day", "as_of", "movers"},
    "market": {"day", "as_of", "indices", "turnover", "southbound", "northbound"},
    "ipos": {"ipos", "total", "limit", "offset", "since", "until", "as_of"},
    "brief": {"day", "as_of", "title", "headline", "sections", "sources"},
}


@pytest.mark.parametrize("command", sorted(KEYS))
def test_json_top_level_keys(command: str, db: Path | str) -> None:
    args = ("stock", "SMIC") if command == "stock" else (command,)
    data = run_json(*args, "--db", db)
    assert set(data) >= KEYS[command]


def test_stock_json_is_the_timeline(db: Path | str, store: Store) -> None:
    data = run_json("stock", "981 HK", "--since", "2025-10-01", "--until", "2025-10-31",
                    "--all", "--db", db)
    expected = insights.timeline(
        store, "981 HK", since=date(2025, 10, 1), until=date(2025, 10, 31)
    )
    assert data == library_json(expected)
    assert data["issuer"]["id"] == "00981.HK"
    assert {listing["code"] for listing in data["issuer"]["listings"]} >= {"00981.HK", "688981.SH"}
    assert all("2025-10-01" <= point["day"] <= "2025-10-31" for point in data["days"])
    for fact in data["facts"]:
        assert fact["source"]["article_id"] and fact["source"]["quote"]


@pytest.mark.parametrize(
    ("args", "limit", "offset"),
    [((), 50, 0), (("-n", "3"), 3, 0), (("--limit", "3", "--offset", "3"), 3, 3)],
)
def test_stock_pages_by_default(
    db: Path | str, store: Store, args: tuple[str, ...], limit: int, offset: int
) -> None:
    data = run_json("stock", "SMIC", *args, "--db", db)
    assert data == library_json(insights.timeline_page(store, "SMIC", limit=limit, offset=offset))
    whole = insights.timeline(store, "SMIC")
    assert [a["article_id"] for a in data["articles"]] == [
        a.article_id for a in whole.articles[offset : offset + limit]]
    assert data["total"] == len(whole.articles) > 3


def test_stock_says_where_the_page_stands(db: Path | str) -> None:
    result = run("stock", "SMIC", "-n", "3", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "articles 1–3 of" in result.stdout and "next: --offset 3" in result.stdout
    assert "articles 1–3 of" not in run("stock", "SMIC", "--all", "--db", db).stdout


@pytest.mark.parametrize("limit", [1, 2, 1000])
def test_stock_lists_as_many_days_as_its_page_has_articles(store: Store, limit: int) -> None:
    """A page's day table shows the newest ``--limit`` days and says how many earlier ones it
    leaves out (``--json`` and ``--all`` have every day)."""
    page = insights.timeline_page(store, "SMIC", limit=limit)
    whole = insights.timeline(store, "SMIC")
    console = Console(width=160, record=True)
    console.print(render_insights.stock_view(page, limit=limit))
    shown = console.export_text()
    listed = [p for p in page.days if f"\n{p.day}  " in shown.split("Per day (HKT)")[1]
              .split("Facts")[0]]
    assert listed == list(page.days[-limit:])
    left_out = len(page.days) - len(listed)
    assert len(page.days) > 2
    if left_out:
        assert f"… {left_out} earlier days with news, from {page.days[0].day}" in shown
    else:
        assert "earlier days" not in shown
    console = Console(width=160, record=True)
    console.print(render_insights.stock_view(whole, limit=None))
    every = console.export_text()
    assert all(f"\n{p.day}  " in every for p in whole.days) and "earlier days" not in every


def test_ipos_pages_by_company(db: Path | str, store: Store) -> None:
    every = insights.ipos(store)
    data = run_json("ipos", "-n", "1", "--offset", "1", "--db", db)
    assert data["ipos"] == [library_json(every[1])] and data["total"] == len(every) > 2
    shown = run("ipos", "-n", "1", "--db", db).stdout
    assert f"companies 1–1 of {len(every)}" in shown and "next: --offset 1" in shown
    whole = run_json("ipos", "--all", "-n", "1", "--db", db)
    assert whole["ipos"] == [library_json(e) for e in every] and whole["limit"] is None


def test_movers_json_is_the_board(db: Path | str, store: Store) -> None:
    data = run_json("movers", "--limit", "5", "--db", db)
    assert data == library_json(insights.movers(store, limit=5))
    assert 0 < len(data["movers"]) <= 5
    pcts = [abs(mover["pct"]) for mover in data["movers"]]
    assert pcts == sorted(pcts, reverse=True)


def test_market_json_for_a_date(db: Path | str, store: Store) -> None:
    day = insights.market(store).day
    data = run_json("market", "--date", day.isoformat(), "--db", db)
    assert data == library_json(insights.market(store, day))
    assert data["day"] == day.isoformat()


def test_ipos_json_lists_entries(db: Path | str, store: Store) -> None:
    data = run_json("ipos", "--db", db)
    assert data == library_json(insights.ipo_page(store, limit=20))
    assert data["ipos"] == [library_json(entry) for entry in insights.ipos(store)]
    for entry in data["ipos"]:
        assert {"company", "stage", "exchange", "board", "target_raise", "actual_raise",
                "dates", "sources"} <= set(entry)


def test_brief_json_is_the_brief(db: Path | str, store: Store) -> None:
    data = run_json("brief", "--db", db)
    assert data == library_json(insights.brief(store))


# --- brief formats --------------------------------------------------------------------------


def test_brief_text_is_the_default(db: Path | str, store: Store) -> None:
    result = run("brief", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == insights.brief(store).render_text()
    assert "Sources" in result.stdout


def test_brief_markdown_has_citations_and_sources(db: Path | str, store: Store) -> None:
    result = run("brief", "--format", "md", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Market brief")
    assert "\n## Sources\n" in result.stdout
    assert "[1]" in result.stdout
    assert result.stdout == insights.brief(store).render_markdown()


def test_brief_html_is_a_page(db: Path | str) -> None:
    result = run("brief", "-f", "HTML", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert 'id="sources"' in result.stdout


def test_brief_for_a_date_as_of(db: Path | str, store: Store) -> None:
    day = insights.brief(store).day.isoformat()
    # The fixture's articles were first seen now: as of that evening nothing was known yet.
    before = run("brief", "--date", day, "--as-of", f"{day}T23:00:00", "--format", "md", "--db", db)
    assert before.exit_code == 0, before.stderr
    assert "No news is dated" in before.stdout
    now = datetime.now(UTC).isoformat()
    result = run("brief", "--date", day, "--as-of", now, "--format", "md", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "## Sources" in result.stdout


def test_brief_unknown_format_is_a_usage_error(db: Path | str) -> None:
    assert run("brief", "--format", "pdf", "--db", db).exit_code == 2


# --- disagreements are shown, each with its sources ------------------------------------------


def test_market_shows_disagreeing_sources(db: Path | str, store: Store) -> None:
    day = next(
        (d for d in sorted(store.days()) if _disagrees(insights.market(store, d))), None
    )
    if day is None:
        pytest.skip("no day in the sample news where sources disagree on a market number")
    result = run("market", "--date", day.isoformat(), "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "≠" in result.stdout and "sources differ" in result.stdout


def _disagrees(board: insights.MarketBoard) -> bool:
    rows = [*board.indices, *board.turnover, *board.southbound, *board.northbound]
    return any(row.disagreement for row in rows)


# --- point in time --------------------------------------------------------------------------


def test_as_of_before_any_article_is_empty_but_valid(db: Path | str, store: Store) -> None:
    day = insights.movers(store).day.isoformat()
    stock = run_json("stock", "SMIC", "--as-of", BEFORE_ANY_ARTICLE, "--db", db)
    assert (stock["articles"], stock["facts"], stock["events"], stock["days"]) == ([], [], [], [])
    assert stock["issuer"]["id"] == "00981.HK"
    ipos = run_json("ipos", "--as-of", BEFORE_ANY_ARTICLE, "--db", db)
    assert (ipos["ipos"], ipos["total"]) == ([], 0)
    when = ("--date", day, "--as-of", BEFORE_ANY_ARTICLE, "--db", db)
    assert run_json("movers", *when)["movers"] == []
    board = run_json("market", *when)
    assert [board[k] for k in ("indices", "turnover", "southbound", "northbound")] == [[]] * 4
    brief = run_json("brief", *when)
    assert brief["sources"] == [] and all(not s["lines"] for s in brief["sections"])


@pytest.mark.parametrize(
    "args", [("stock", "SMIC"), ("ipos",), ("movers", "--date", "2025-10-24"),
             ("market", "--date", "2025-10-24")],
)
def test_as_of_before_any_article_tables_say_so(args: tuple[str, ...], db: Path | str) -> None:
    result = run(*args, "--as-of", BEFORE_ANY_ARTICLE, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "none" in result.stdout or "no " in result.stdout


@pytest.mark.parametrize("command", ["movers", "market", "brief"])
def test_no_default_day_before_any_article_exits_2(command: str, db: Path | str) -> None:
    result = run(command, "--as-of", BEFORE_ANY_ARTICLE, "--db", db)
    assert result.exit_code == 2
    assert "no articles" in one_line_error(result)


# --- errors ---------------------------------------------------------------------------------


def test_unknown_stock_exits_2_with_one_line(db: Path | str) -> None:
    result = run("stock", "Qwxzy Zzyzx Holdings", "--db", db)
    assert result.exit_code == 2
    assert "not a known security" in one_line_error(result)
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [("movers", "--date", "2025/10/24"), ("market", "--date", "yesterday"),
     ("brief", "--date", "2025-02-30"), ("stock", "SMIC", "--since", "Oct 1"),
     ("ipos", "--as-of", "soon")],
)
def test_bad_dates_exit_2(args: tuple[str, ...], db: Path | str) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in one_line_error(result)


@pytest.mark.parametrize(
    "args", [("stock", "SMIC"), ("movers",), ("market",), ("ipos",), ("brief",), ("serve",)]
)
def test_missing_database_says_ingest_first(args: tuple[str, ...], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = run(*args, "--db", missing)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert str(missing) in line and "ingest" in line
    assert not missing.exists()


@pytest.mark.parametrize("bound", [2, 10_000])
def test_stock_says_how_far_its_days_and_count_go(store: Store, bound: int) -> None:
    """Past the bound the day series says where it starts and the count says "at least"."""
    page = insights.timeline_page(store, "SMIC", limit=3, days_articles=bound)
    console = Console(width=160, record=True)
    console.print(render_insights.stock_view(page, limit=3))
    shown = console.export_text()
    if bound == 2:
        assert page.days_from is not None and not page.total_exact
        assert f"coverage since {page.days_from}" in shown and "articles 1–3 of 4+;" in shown
    else:
        assert page.days_from is None and page.total_exact
        assert "coverage since" not in shown and f"articles 1–3 of {page.total};" in shown
