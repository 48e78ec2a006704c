"""Alembic migrations create the whole schema on an empty database and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

from app.store import make_engine, upgrade_database
from app.store.db import alembic_config

TURN_LOG_TABLES = {"conversations", "turns", "turn_feedback"}
CHAINLIT_TABLES = {"users", "threads", "steps", "elements", "feedbacks"}


def test_upgrade_creates_every_table_on_an_empty_database(empty_database_url: str) -> None:
    upgrade_database(empty_database_url)
    upgrade_database(empty_database_url)  # a second start finds nothing to do

    engine = make_engine(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    assert tables >= TURN_LOG_TABLES | CHAINLIT_TABLES
    assert current == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_chainlit_steps_table_has_every_column_chainlit_writes(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        columns = {column["name"] for column in inspect(engine).get_columns("steps")}
    finally:
        engine.dispose()
    # StepDict keys Chainlit 2.x inserts; a missing one makes every step INSERT fail silently.
    written = {"autoCollapse", "defaultOpen", "command", "modes", "showInput", "generation"}
    assert written <= columns


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_name": lambda name, kind, _parents: (
                        not (kind == "table" and name in CHAINLIT_TABLES | {"alembic_version"})
                    )
                },
            )
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == []
