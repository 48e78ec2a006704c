"""Chainlit persistence on our database: threads for resume, feedback mirrored into the turn log."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.storage_clients.base import BaseStorageClient
from chainlit.step import StepDict
from chainlit.types import Feedback

from app.store import async_connection, feedback_source
from app.store.models import FeedbackSource

if TYPE_CHECKING:
    from app.container import Container

logger = logging.getLogger(__name__)

# Called with (turn_id, score, comment) for every thumbs up/down given in the UI.
FeedbackRecorder = Callable[[str, int, str | None], None]
# Called with (text, conversation id): the text as it may be stored (personal data redacted).
Redactor = Callable[[str, str], str]

_ANSWER_IN_RUN = """
    SELECT "id" FROM steps WHERE "parentId" = :run_id AND "type" = :kind
    ORDER BY "createdAt" DESC LIMIT 1
"""

# Source snippets are short; anything bigger is not ours to inline into the database.
MAX_INLINE_BYTES = 64 * 1024


class InlineTextStorage(BaseStorageClient):
    """Keeps small text elements (answer sources) in the elements table as data: URLs.

    Chainlit persists elements only through a storage client; the sources shown beside answers
    are a few hundred bytes of text, so they live in the database instead of a blob store and
    reappear when a conversation is resumed.
    """

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        """Encode the element as a data: URL; refuses binary or large content."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if not mime.startswith("text/") or len(raw) > MAX_INLINE_BYTES:
            raise ValueError(f"only small text elements are stored inline, not {mime}")
        encoded = base64.b64encode(raw).decode("ascii")
        # No object key: Chainlit then reads the stored url back instead of asking us for one.
        return {"url": f"data:{mime};charset=utf-8;base64,{encoded}", "object_key": None}

    async def delete_file(self, object_key: str) -> bool:
        """Nothing to delete: the content lives in the element row."""
        return True

    async def get_read_url(self, object_key: str) -> str:
        """Never asked for, since no element carries an object key."""
        raise LookupError(object_key)

    async def close(self) -> None:
        """Nothing to release."""


class TrustDeskDataLayer(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy data layer whose feedback also lands in our turn log."""

    def __init__(
        self,
        conninfo: str,
        *,
        record_feedback: FeedbackRecorder,
        connect_args: dict[str, Any] | None = None,
        redact: Redactor | None = None,
    ) -> None:
        super().__init__(
            conninfo=conninfo, connect_args=connect_args, storage_provider=InlineTextStorage()
        )
        self._record_feedback = record_feedback
        self._redact = redact

    async def create_step(self, step_dict: StepDict) -> None:
        """Store a step; the shopper's own messages only with their personal data redacted."""
        output = step_dict.get("output")
        if self._redact is not None and step_dict.get("type") == "user_message" and output:
            thread = str(step_dict.get("threadId") or "")
            step_dict = cast(StepDict, {**step_dict, "output": self._redact(output, thread)})
        await super().create_step(step_dict)

    async def update_thread(
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Store a thread; its name (the first message) only with personal data redacted."""
        if name and self._redact is not None:
            name = self._redact(name, thread_id)
        await super().update_thread(thread_id, name, user_id, metadata, tags)

    async def upsert_feedback(self, feedback: Feedback) -> str:
        """Store the feedback for the UI, then record it against our turn (message id = turn id)."""
        feedback_id = await super().upsert_feedback(feedback)
        turn_id = await self._turn_id_for(feedback.forId)
        comment = (feedback.comment or "").strip() or None
        self._record_feedback(turn_id, int(feedback.value), comment)
        return feedback_id

    async def _turn_id_for(self, step_id: str) -> str:
        # With chain of thought hidden the UI rates the handler's "run" step, not the answer
        # message inside it; the answer message carries our turn id.
        rows = await self.execute_sql(
            query=_ANSWER_IN_RUN, parameters={"run_id": step_id, "kind": "assistant_message"}
        )
        if isinstance(rows, list) and rows:
            return str(rows[0]["id"])
        return step_id


class FeedbackSink(Protocol):
    """Anything with ChatService's / TurnLog's feedback method."""

    def __call__(self, *, turn_id: str, score: int, comment: str | None) -> None:
        """Record one thumbs up/down."""


def feedback_recorder(feedback: FeedbackSink) -> FeedbackRecorder:
    """Wrap a `feedback(*, turn_id, score, comment)` method to record UI feedback as such."""

    def record(turn_id: str, score: int, comment: str | None) -> None:
        try:
            with feedback_source(FeedbackSource.CHAINLIT):
                feedback(turn_id=turn_id, score=score, comment=comment)
        except Exception:  # the UI already stored it; our copy failing must not fail the click
            logger.exception("could not record feedback", extra={"turn_id": turn_id})

    return record


def build_data_layer(container: Container) -> TrustDeskDataLayer:
    """The data layer on the turn log's database; UI feedback goes through ChatService.feedback."""
    url, connect_args = async_connection(container.settings.database_url)
    return TrustDeskDataLayer(
        url,
        record_feedback=feedback_recorder(container.chat.feedback),
        connect_args=connect_args,
        redact=container.chat.redact,
    )
