"""The background writer retries transient database errors and reports writes it cannot make."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from app.store import crud, make_engine
from app.store.models import Conversation
from app.store.writer import BackgroundWriter, Write


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _flaky(failures: int, error: Exception, conversation_id: str) -> tuple[Write, list[int]]:
    calls: list[int] = []

    def apply(session: Session) -> None:
        calls.append(1)
        if len(calls) <= failures:
            raise error
        crud.ensure_conversation(session, conversation_id=conversation_id, channel="api")

    return Write("flaky", apply, {"conversation_id": conversation_id}), calls


def test_transient_errors_are_retried_until_the_write_lands(engine: Engine) -> None:
    writer = BackgroundWriter(engine, first_backoff_s=0.01)
    write, calls = _flaky(2, OperationalError("INSERT", {}, Exception("database is locked")), "c1")
    writer.submit(write)
    writer.close()
    with Session(engine) as session:
        assert session.get(Conversation, "c1") is not None
    assert len(calls) == 3
    assert writer.lost_writes == 0


def test_permanent_errors_are_logged_with_the_data_and_not_retried(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    writer = BackgroundWriter(engine, first_backoff_s=0.01)
    write, calls = _flaky(1, IntegrityError("INSERT", {}, Exception("duplicate")), "c2")
    with caplog.at_level(logging.ERROR, logger="app.store.writer"):
        writer.submit(write)
        writer.close()
    assert len(calls) == 1
    assert writer.lost_writes == 1
    assert '"conversation_id": "c2"' in caplog.text


def test_writes_after_a_failed_one_still_land(engine: Engine) -> None:
    writer = BackgroundWriter(engine, attempts=2, first_backoff_s=0.01)
    failing, _ = _flaky(5, OperationalError("INSERT", {}, Exception("gone")), "c3")
    fine, _ = _flaky(0, OperationalError("INSERT", {}, Exception("unused")), "c4")
    writer.submit(failing)
    writer.submit(fine)
    writer.close()
    with Session(engine) as session:
        assert session.get(Conversation, "c3") is None
        assert session.get(Conversation, "c4") is not None
    assert writer.lost_writes == 1
