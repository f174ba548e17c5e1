"""The server's start: what the reads need is loaded, then frozen out of the collector's way."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tickerwire.app import create_app
from tickerwire.server.app import build_app
from tickerwire.settings import Settings


def test_start_up_objects_are_frozen_while_serving_and_released_at_shutdown(
    tmp_path: Path,
) -> None:
    assert gc.get_freeze_count() == 0
    with TestClient(create_app(Settings(db_path=tmp_path / "absent.db"))) as client:
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the modules, the security master and its names
        assert client.get("/api/health").status_code == 200
    assert gc.get_freeze_count() == 0


def test_the_master_and_its_names_are_read_before_the_freeze(tmp_path: Path) -> None:
    from tickerwire.insights.issuers import security_master

    with TestClient(create_app(Settings(db_path=tmp_path / "absent.db"))):
        master = security_master()
        assert master._alias_lookups is not None  # what preload() reads
        assert master.resolve("騰訊控股").issuer is not None
        assert master.resolve("Tencent").issuer is not None


def test_a_start_that_cannot_warm_still_serves(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def broken() -> None:
        calls.append("warm")
        raise OSError("reference data unreadable")

    app = build_app(Settings(db_path=tmp_path / "absent.db"), title="t", warm=broken)

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    with TestClient(app) as client:
        assert client.get("/ping").json() == {"ok": True}
        assert gc.get_freeze_count() > 0
    assert calls == ["warm"]
    assert "could not load at start-up" in caplog.text
    assert gc.get_freeze_count() == 0
