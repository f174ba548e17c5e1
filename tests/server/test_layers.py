"""The server core, the API and the dashboard import each other only downwards.

``tickerwire.app`` assembles ``tickerwire.api`` and ``tickerwire.web``, which both build on
``tickerwire.server``; neither surface imports the other, and the library below imports none of
them. The contracts live in ``.importlinter``; import-linter checks every import, including the
ones inside functions.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SURFACES = ("tickerwire.app", "tickerwire.server", "tickerwire.api", "tickerwire.web")


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("package", "must_not_load"),
    [
        ("tickerwire.server", ("tickerwire.api", "tickerwire.web", "tickerwire.app")),
        ("tickerwire.server.app", ("tickerwire.api", "tickerwire.web", "tickerwire.app")),
        ("tickerwire.api", ("tickerwire.web", "tickerwire.app")),
        ("tickerwire.web", ("tickerwire.api", "tickerwire.app")),
        ("tickerwire.display", SURFACES),
        ("tickerwire.timeutil", SURFACES),
    ],
)
def test_each_package_imports_on_its_own(package: str, must_not_load: tuple[str, ...]) -> None:
    """Imported alone in a fresh interpreter, a package loads nothing above it."""
    script = (
        f"import json, sys, importlib; importlib.import_module({package!r}); "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('tickerwire'))))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert package in loaded
    for other in must_not_load:
        assert not any(m == other or m.startswith(other + ".") for m in loaded), other


def test_one_app_factory_serves_api_and_dashboard(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    with TestClient(create_app(Settings(db_path=tmp_path / "absent.db"))) as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/openapi.json").json()["info"]["title"] == "tickerwire"
        assert client.get("/docs").status_code == 200
        page = client.get("/")  # the dashboard, answering with its HTML error page
        assert page.headers["content-type"].startswith("text/html")
