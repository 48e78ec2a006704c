"""Database engines and schema upgrades (Alembic) for the turn log and the Chainlit data layer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Sync drivers used by the turn log and Alembic; async ones used by Chainlit's data layer.
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def _with_driver(url: str, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"Unsupported database {backend!r}: use SQLite or PostgreSQL")
    return parsed.set(drivername=drivers[backend])


def sync_url(url: str) -> str:
    """The URL with the driver the turn log and Alembic use (sqlite / psycopg)."""
    return _with_driver(url, _SYNC_DRIVERS).render_as_string(hide_password=False)


def async_url(url: str) -> str:
    """The URL with the asyncio driver Chainlit's data layer uses (aiosqlite / asyncpg)."""
    return _with_driver(url, _ASYNC_DRIVERS).render_as_string(hide_password=False)


def async_connection(url: str) -> tuple[str, dict[str, Any]]:
    """Async URL plus connect_args; libpq `options=-c name=value` become asyncpg server settings.

    psycopg understands `?options=-csearch_path%3Dschema` in the URL, asyncpg does not, so a
    database kept in its own schema works for both the turn log and Chainlit's data layer.
    """
    parsed = make_url(async_url(url))
    options = parsed.query.get("options")
    if parsed.get_backend_name() != "postgresql" or options is None:
        return parsed.render_as_string(hide_password=False), {}
    text_options = options if isinstance(options, str) else " ".join(options)
    stripped = parsed.difference_update_query(["options"])
    server_settings = _libpq_settings(text_options)
    return stripped.render_as_string(hide_password=False), {"server_settings": server_settings}


def _libpq_settings(options: str) -> dict[str, str]:
    settings: dict[str, str] = {}
    tokens = options.split()
    for index, token in enumerate(tokens):
        if token == "-c" and index + 1 < len(tokens):
            token = "-c" + tokens[index + 1]
        if token.startswith("-c") and "=" in token[2:]:
            name, value = token[2:].split("=", 1)
            settings[name] = value
    return settings


def is_sqlite(url: str) -> bool:
    """Whether the URL names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the UI's async readers and the turn-log writer thread share one file;
    # busy_timeout makes a briefly locked database wait instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """A sync engine for `url`; SQLite files get their folder created and WAL mode."""
    url = sync_url(url)
    if is_sqlite(url):
        _ensure_sqlite_folder(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    """Alembic configuration pointing at our migrations, independent of the working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_database(url: str) -> None:
    """Create or upgrade the schema at `url` to the newest migration (`alembic upgrade head`)."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
    logger.info("database schema is up to date", extra={"database": _safe(url)})


def database_ok(engine: Engine) -> bool:
    """Whether the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # health probes report, they never raise
        logger.warning("database health check failed", exc_info=True)
        return False
    return True


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
