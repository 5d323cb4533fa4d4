"""``realtime.rows``: values of fixed-SQL reads in the ORM's types."""

from datetime import UTC, datetime

import pytest

from realtime.rows import aware


@pytest.mark.parametrize(
    "raw",
    [
        datetime(2026, 12, 1, 18, 0, 0, 1000),  # SQLite, a column
        "2026-12-01 18:00:00.001000",  # SQLite, an expression
        datetime(2026, 12, 1, 18, 0, 0, 1000, tzinfo=UTC),  # PostgreSQL
    ],
)
def test_aware_is_utc_however_the_driver_gives_it(raw):
    assert aware(raw) == datetime(2026, 12, 1, 18, 0, 0, 1000, tzinfo=UTC)
    assert aware(raw).tzinfo is not None


def test_aware_keeps_none():
    assert aware(None) is None
