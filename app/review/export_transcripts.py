"""`trustdesk export transcripts`: conversations with trust, labels and corrections for analysis.

JSONL holds one conversation per line with its turns nested; CSV one turn per row. Cells that a
spreadsheet would run as a formula (starting with = + - @) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.review.transcript import Transcript, TurnView, load_transcript
from app.store.models import Conversation

Format = Literal["jsonl", "csv"]
CSV_COLUMNS = (
    "conversation_id",
    "turn_id",
    "number",
    "created_at",
    "user_text",
    "answer",
    "status",
    "prompt",
    "backend",
    "model",
    "trust_score",
    "trust_level",
    "sentiment",
    "aspects",
    "answer_confidence",
    "conversation_trust",
    "blocked_by",
    "flagged_for_agent",
    "failed_guards",
    "total_ms",
    "feedback",
    "feedback_comment",
    "label",
    "label_reason",
    "labelled_by",
    "corrected_answer",
    "corrected_by",
    "handoff_status",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_transcripts(
    engine: Engine,
    out: Path,
    *,
    fmt: Format,
    since: date | None = None,
    until: date | None = None,
) -> int:
    """Write the conversations active between `since` and `until` (UTC days); returns how many."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with Session(engine) as session, out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS) if fmt == "csv" else None
        if writer is not None:
            writer.writeheader()
        for transcript in _transcripts(session, since, until):
            count += 1
            if writer is None:
                handle.write(json.dumps(conversation_record(transcript), ensure_ascii=False) + "\n")
                continue
            for view in transcript.turns:
                writer.writerow({k: _cell(v) for k, v in turn_row(transcript, view).items()})
    return count


def conversation_record(transcript: Transcript) -> dict[str, Any]:
    """One conversation as a JSON-ready dict, turns nested."""
    c = transcript.conversation
    return {
        "conversation_id": c.id,
        "created_at": _iso(c.created_at),
        "updated_at": _iso(c.updated_at),
        "channel": c.channel,
        "trust_score": c.trust_score,
        "handoff_status": str(c.handoff_status),
        "handoffs": [
            {
                "reason": h.reason,
                "created_at": _iso(h.created_at),
                "resolved_at": _iso(h.resolved_at),
                "resolved_by": h.resolved_by,
            }
            for h in transcript.handoffs
        ],
        "turns": [_turn_record(view) for view in transcript.turns],
    }


def _turn_record(view: TurnView) -> dict[str, Any]:
    t = view.turn
    feedback, fix = view.latest_feedback, view.latest_correction
    return {
        "turn_id": t.id,
        "number": t.number,
        "created_at": _iso(t.created_at),
        "user_text": t.user_text,
        "answer": t.answer,
        "status": str(t.status),
        "prompt": f"{t.prompt_name}@v{t.prompt_version}",
        "backend": t.backend,
        "model": t.model,
        "trust_score": t.trust_score,
        "trust_level": t.trust_level,
        "sentiment": t.sentiment,
        "aspects": [{"aspect": a.aspect, "polarity": a.polarity} for a in view.aspects],
        "answer_confidence": t.answer_confidence,
        "conversation_trust": t.conversation_trust,
        "blocked_by": t.blocked_by,
        "flagged_for_agent": t.flagged_for_agent,
        "failed_guards": [g.validator for g in view.failed_guards],
        "citations": [{"index": c.get("index"), "title": c.get("title")} for c in t.citations],
        "latency_ms": {"retrieve": t.retrieve_ms, "generate": t.generate_ms, "total": t.total_ms},
        "feedback": None
        if feedback is None
        else {"score": feedback.score, "comment": feedback.comment},
        "labels": [
            {"label": str(x.label), "reason": x.reason, "agent": x.agent, "at": _iso(x.created_at)}
            for x in view.labels
        ],
        "correction": None
        if fix is None
        else {"answer": fix.answer, "agent": fix.agent, "at": _iso(fix.created_at)},
    }


def turn_row(transcript: Transcript, view: TurnView) -> dict[str, Any]:
    """One turn as a flat CSV row."""
    record = _turn_record(view)
    label, fix, feedback = view.latest_label, view.latest_correction, view.latest_feedback
    flat = {k: v for k, v in record.items() if k in CSV_COLUMNS}
    flat.update(
        conversation_id=transcript.conversation.id,
        aspects=";".join(f"{a['aspect']}:{a['polarity']}" for a in record["aspects"]),
        failed_guards=";".join(record["failed_guards"]),
        total_ms=view.turn.total_ms,
        feedback=None if feedback is None else ("up" if feedback.score else "down"),
        feedback_comment=None if feedback is None else feedback.comment,
        label=None if label is None else str(label.label),
        label_reason=None if label is None else label.reason,
        labelled_by=None if label is None else label.agent,
        corrected_answer=None if fix is None else fix.answer,
        corrected_by=None if fix is None else fix.agent,
        handoff_status=str(transcript.conversation.handoff_status),
    )
    return flat


def _transcripts(session: Session, since: date | None, until: date | None) -> Iterator[Transcript]:
    query = select(Conversation.id)
    if since is not None:
        query = query.where(col(Conversation.updated_at) >= datetime.combine(since, time.min, UTC))
    if until is not None:
        end = datetime.combine(until, time.min, UTC) + timedelta(days=1)
        query = query.where(col(Conversation.created_at) < end)
    for conversation_id in session.exec(query.order_by(col(Conversation.created_at))).all():
        transcript = load_transcript(session, conversation_id)
        if transcript is not None:
            yield transcript


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
