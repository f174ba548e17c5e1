"""Shared helpers for the reader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tickerwire.errors import SourceError
from tickerwire.model import Article
from tickerwire.sources import read_path

FIXTURES = Path(__file__).parent / "fixtures"


def read_all(path: Path) -> tuple[list[Article], list[SourceError]]:
    """Articles and errors read from ``path``."""
    articles: list[Article] = []
    errors: list[SourceError] = []
    for item in read_path(path):
        if isinstance(item, SourceError):
            errors.append(item)
        else:
            articles.append(item)
    return articles, errors


def read_one(path: Path) -> Article:
    articles, errors = read_all(path)
    assert not errors, errors
    assert len(articles) == 1
    return articles[0]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
