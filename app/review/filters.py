"""The queue's filters, read from a page's query string (anything malformed is ignored)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from app.store.models import HandoffStatus
from app.trust.base import Aspect

E = TypeVar("E", HandoffStatus, Aspect)

REVIEW_STATES = ("unreviewed", "reviewed")
MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class QueueFilters:
    """What the agent narrowed the queue to; None or "" means no filter."""

    since: date | None = None  # last activity on or after this day (UTC)
    until: date | None = None  # last activity on or before this day (UTC)
    handoff: HandoffStatus | None = None
    review: str | None = None  # "unreviewed" / "reviewed" since the latest turn
    aspect: Aspect | None = None
    prompt: tuple[str, int] | None = None  # ("answer", 1) from "answer@v1"
    backend: str | None = None
    q: str = ""  # words in the shopper's messages, the answers or the conversation id
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> QueueFilters:
        """Filters from query parameters; a value that does not parse is left out."""
        return cls(
            since=_day(params.get("since")),
            until=_day(params.get("until")),
            handoff=_choice(params.get("handoff"), HandoffStatus),
            review=params.get("review") if params.get("review") in REVIEW_STATES else None,
            aspect=_choice(params.get("aspect"), Aspect),
            prompt=parse_prompt(params.get("prompt")),
            backend=(params.get("backend") or "").strip()[:64] or None,
            q=" ".join((params.get("q") or "").split())[:MAX_QUERY_CHARS],
            page=_page(params.get("page")),
        )

    def as_params(self, **override: object) -> dict[str, str]:
        """The filters as query parameters (for links that keep them), empty ones left out."""
        values: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(override)
        out: dict[str, str] = {}
        for name, value in values.items():
            if value is None or value == "" or (name == "page" and value == 1):
                continue
            out[name] = _prompt_text(value) if isinstance(value, tuple) else str(value)
        return out

    def window(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) in UTC covering the chosen days."""
        start = datetime.combine(self.since, time.min, UTC) if self.since else None
        end = (
            datetime.combine(self.until, time.min, UTC) + timedelta(days=1) if self.until else None
        )
        return start, end


def parse_prompt(value: str | None) -> tuple[str, int] | None:
    """("answer", 1) from "answer@v1"; None for anything else."""
    name, sep, version = (value or "").partition("@v")
    if not sep or not name or not version.isdigit():
        return None
    return name[:128], int(version)


def _prompt_text(value: tuple[object, ...]) -> str:
    return f"{value[0]}@v{value[1]}"


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _choice(value: str | None, enum: type[E]) -> E | None:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def _page(value: str | None) -> int:
    return max(1, min(int(value), 10_000)) if value and value.isdigit() else 1
