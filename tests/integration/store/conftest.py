"""Fixtures for the turn-log tests: a fresh, migrated database on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.store import SqlTurnLog, make_engine, upgrade_database
from tests.support import require

POSTGRES_ENV = "TRUSTDESK_TEST_POSTGRES_URL"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database: a SQLite file, or a throwaway schema in the test Postgres."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'turns.db'}"
        return
    base_url = os.environ.get(POSTGRES_ENV)
    require(bool(base_url), f"{POSTGRES_ENV} is not set")
    assert base_url is not None
    yield from _postgres_schema(base_url)


def _postgres_schema(base_url: str) -> Iterator[str]:
    schema = f"td_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # libpq options put every connection of the test (psycopg and asyncpg) in the schema.
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """URL of a database upgraded to the newest migration."""
    upgrade_database(empty_database_url)
    return empty_database_url


@pytest.fixture
def turn_log(database_url: str) -> Iterator[SqlTurnLog]:
    """A running SqlTurnLog on the migrated database, closed after the test."""
    log = SqlTurnLog(make_engine(database_url))
    yield log
    log.close()
