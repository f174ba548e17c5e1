"""The pipeline's default window: the news of ``PIPELINE_DAYS`` up to the asked or latest day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from insight_stores import ACME, SANY, pair

from pg_server import new_target
from tickerwire.insights import IpoEntry, ipos
from tickerwire.insights.ipos import PIPELINE_DAYS, pipeline_since
from tickerwire.store import Store

# Acme filed in March (more than six months before Sany's debut on 16 October 2025).
OLD_ACME = replace(ACME, published=datetime(2025, 3, 3, 2, 0, tzinfo=UTC),
                   url="https://example.com/b/acme-0303")
SANY_CO = "Sany Heavy Industry Co., Ltd."
SEEN = datetime(2025, 10, 16, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def spread(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    for path in new_target(backend, request, tmp_path_factory.mktemp("ipo-window")):
        with Store(path) as store:
            for spec in (OLD_ACME, SANY):
                store.ingest_article(*pair(spec), now=SEEN)
        with Store(path, readonly=True) as store:
            yield store


def _companies(entries: list[IpoEntry]) -> list[str]:
    return [entry.company for entry in entries]


@pytest.mark.parametrize(
    ("since", "until", "companies"),
    [
        (None, None, [SANY_CO]),  # the window ends on the latest day with news
        (date(2025, 1, 1), None, [SANY_CO, "Acme Robotics Holdings"]),
        (None, date(2025, 3, 31), ["Acme Robotics Holdings"]),  # the window ends on until
        (None, date(2025, 9, 1), ["Acme Robotics Holdings"]),  # 182 days after the filing
        (None, date(2025, 9, 2), []),  # 183 days after: the application has lapsed from view
    ],
)
def test_the_pipeline_reads_a_window_of_days(
    spread: Store, since: date | None, until: date | None, companies: list[str]
) -> None:
    found = _companies(ipos(spread, since=since, until=until))
    assert sorted(found) == sorted(companies)


def test_the_window_starts_pipeline_days_before_its_last_day(spread: Store) -> None:
    assert PIPELINE_DAYS == 183
    assert pipeline_since(spread, None, None) == date(2025, 4, 17)
    assert pipeline_since(spread, date(2025, 9, 1), None) == date(2025, 3, 3)
    # as of an instant before anything was seen there is no news, so no window
    assert pipeline_since(spread, None, datetime(2025, 1, 1, tzinfo=UTC)) is None
