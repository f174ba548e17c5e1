"""Paths of the sample news and prices, and a cheap copy of a built database (shared by the
price tests; a module of its own so that no test imports a conftest by name)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NEWS, PRICES = ROOT / "examples" / "news", ROOT / "examples" / "prices"


def copy_db(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target
