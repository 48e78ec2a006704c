"""Persistence: the SQL turn log, its Alembic migrations and the tables of Chainlit's data layer."""

from __future__ import annotations

# Registers the review tables (turn_labels, turn_corrections) and the takeover tables
# (takeovers, agent_replies) with the rest of the schema, so migrations and models are compared
# as one whole.
from app.store import console_session_models as _console_session_models  # noqa: F401
from app.store import review_models as _review_models  # noqa: F401
from app.store import takeover_models as _takeover_models  # noqa: F401
from app.store.db import (
    async_connection,
    async_url,
    database_ok,
    make_engine,
    sync_url,
    upgrade_database,
)
from app.store.sql_turn_log import SqlTurnLog, feedback_source


def open_turn_log(database_url: str, *, migrate: bool = True) -> SqlTurnLog:
    """A ready SqlTurnLog for `database_url`, upgrading the schema first unless told not to."""
    if migrate:
        upgrade_database(database_url)
    return SqlTurnLog(make_engine(database_url))


__all__ = [
    "SqlTurnLog",
    "async_connection",
    "async_url",
    "database_ok",
    "feedback_source",
    "make_engine",
    "open_turn_log",
    "sync_url",
    "upgrade_database",
]
