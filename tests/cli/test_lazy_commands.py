"""``tickerwire COMMAND`` imports only the module of that command; the table stays complete."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.main import get_command

from tickerwire.cli import COMMAND_MODULES, app, command_modules

EVERY_MODULE = sorted(set(COMMAND_MODULES.values()))


def test_table_names_every_command_and_its_module() -> None:
    group = get_command(app)
    registered = {name: command.callback.__module__.rpartition(".")[2]  # type: ignore[union-attr]
                  for name, command in group.commands.items()}  # type: ignore[attr-defined]
    assert registered == COMMAND_MODULES


@pytest.mark.parametrize(("argv", "modules"), [
    (["securities", "中芯國際"], ["securities"]),
    (["--db", "x.db", "stats"], ["read"]),
    (["--db=x.db", "stock", "00700.HK"], ["insights"]),
    (["--db", "stock", "brief"], ["insights"]),  # a database file named "stock"
    (["eval", "--docs", "d.jsonl"], ["evaluate"]),
    (["reprocess"], ["ingest"]),
    ([], EVERY_MODULE),
    (["--help"], EVERY_MODULE),
    (["--version"], EVERY_MODULE),
    (["stocks", "AAPL"], EVERY_MODULE),  # a typo: the app lists every command
])
def test_command_modules(argv: list[str], modules: list[str]) -> None:
    assert command_modules(argv) == modules


def test_a_command_does_not_import_the_others() -> None:
    code = (
        "import sys; sys.argv = ['tickerwire', 'securities', 'AAPL', '--json']\n"
        "from tickerwire.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('tickerwire.cli.')"
        " or m in ('tickerwire.insights', 'tickerwire.extract.pipeline')), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    loaded = done.stderr.strip().splitlines()[-1]
    assert "tickerwire.cli.securities" in loaded
    for other in ("tickerwire.cli.insights", "tickerwire.cli.ingest", "tickerwire.cli.evaluate",
                  "tickerwire.insights'", "tickerwire.extract.pipeline"):
        assert other not in loaded, loaded
    assert '"AAPL.US"' in done.stdout
