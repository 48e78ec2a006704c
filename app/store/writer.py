"""A single background thread that applies database writes in order, retrying transient errors."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError
from sqlmodel import Session

logger = logging.getLogger(__name__)

Apply = Callable[[Session], object]


@dataclass(frozen=True)
class Write:
    """One unit of work: a function run inside its own transaction, and what to log if it fails."""

    name: str
    apply: Apply
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Barrier:
    reached: threading.Event


def is_transient(error: BaseException) -> bool:
    """Whether retrying might help (lost connection, locked SQLite file, pool exhausted)."""
    if isinstance(error, OperationalError | TimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class BackgroundWriter:
    """Runs writes on one daemon thread so callers (the asyncio streaming path) never block."""

    def __init__(
        self,
        engine: Engine,
        *,
        attempts: int = 6,
        first_backoff_s: float = 0.05,
        max_backoff_s: float = 2.0,
        name: str = "turn-log-writer",
    ) -> None:
        self._engine = engine
        self._attempts = attempts
        self._first_backoff_s = first_backoff_s
        self._max_backoff_s = max_backoff_s
        self._queue: queue.SimpleQueue[Write | _Barrier | None] = queue.SimpleQueue()
        self._lost = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def lost_writes(self) -> int:
        """How many writes failed for good (each was logged at ERROR with its data)."""
        return self._lost

    def submit(self, write: Write) -> None:
        """Queue a write; returns at once."""
        if not self._thread.is_alive():
            raise RuntimeError("the turn-log writer is closed")
        self._queue.put(write)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every write queued before this call is done; False on timeout."""
        if not self._thread.is_alive():
            return True
        barrier = _Barrier(threading.Event())
        self._queue.put(barrier)
        return barrier.reached.wait(timeout)

    def close(self, timeout: float | None = 30.0) -> None:
        """Finish queued writes, then stop the thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, _Barrier):
                item.reached.set()
                continue
            self._apply_with_retries(item)

    def _apply_with_retries(self, write: Write) -> None:
        backoff = self._first_backoff_s
        for attempt in range(1, self._attempts + 1):
            try:
                self._apply_once(write)
                return
            except Exception as error:  # the writer thread must survive any single bad write
                if not is_transient(error) or attempt == self._attempts:
                    self._give_up(write, error, attempt)
                    return
                logger.warning(
                    "transient error writing %s (attempt %d/%d), retrying: %s",
                    write.name,
                    attempt,
                    self._attempts,
                    error,
                    extra=write.context,
                )
                time.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff_s)

    def _apply_once(self, write: Write) -> None:
        with Session(self._engine) as session:
            write.apply(session)
            session.commit()

    def _give_up(self, write: Write, error: BaseException, attempts: int) -> None:
        # Never drop a write silently: the full payload goes to the error log for replay.
        self._lost += 1
        logger.error(
            "lost turn-log write %s after %d attempt(s): %s; data=%s",
            write.name,
            attempts,
            error,
            json.dumps(write.context, default=str),
            extra=write.context,
            exc_info=error,
        )
