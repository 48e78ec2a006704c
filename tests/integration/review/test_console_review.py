"""Agents' work in the console against a real SQLite turn log: the ranked queue and its filters,
the transcript, labels, corrections and resolved handoffs, each stored with who and when."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.review.actions import ReviewError, label_turn
from app.store.models import Conversation, HandoffRow, HandoffStatus
from app.store.review_models import TurnCorrection, TurnLabel
from tests.integration.review.conftest import csrf_of, sign_in
from tests.integration.review.factories import NOW, Seeded, TurnSpec, seed_conversation

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


@pytest.fixture
def seeded(engine: Engine) -> dict[str, Seeded]:
    """Four conversations from calm to urgent."""
    with Session(engine) as session:
        return {
            "calm": seed_conversation(
                session,
                [TurnSpec(trust=0.8, conversation_trust=0.8, confidence=0.9, feedback=1)],
                at=NOW - timedelta(hours=1),
            ),
            "thumbs": seed_conversation(
                session,
                [
                    TurnSpec(
                        user_text="Where is my parcel? It is late.",
                        trust=0.55,
                        conversation_trust=0.55,
                        confidence=0.75,
                        feedback=0,
                        aspects=[("shipping", "negative")],
                    )
                ],
                at=NOW - timedelta(hours=2),
            ),
            "falling": seed_conversation(
                session,
                [
                    TurnSpec(trust=0.7, conversation_trust=0.7, confidence=0.8),
                    TurnSpec(
                        user_text="That is not what your refund page says",
                        trust=0.2,
                        conversation_trust=0.3,
                        confidence=0.4,
                        aspects=[("refunds", "negative")],
                        failed_guards=["numbers"],
                        prompt_version=2,
                        backend="vllm",
                    ),
                ],
                at=NOW - timedelta(hours=3),
            ),
            "handoff": seed_conversation(
                session,
                [
                    TurnSpec(trust=0.3, conversation_trust=0.3, confidence=0.5, feedback=0),
                    TurnSpec(
                        user_text="Let me talk to a human",
                        trust=0.1,
                        conversation_trust=0.15,
                        feedback=0,
                        aspects=[("customer_service", "negative")],
                    ),
                ],
                at=NOW - timedelta(days=3),
                handoff="asked_for_human",
            ),
        }


def queue_order(html: str) -> list[str]:
    return re.findall(r'<tr data-conversation="([^"]+)"', html)


def test_queue_ranks_by_risk_and_explains_why(web: TestClient, seeded: dict[str, Seeded]) -> None:
    sign_in(web, "alice")
    page = web.get("/console/")
    order = queue_order(page.text)
    names = {s.id: name for name, s in seeded.items()}
    assert [names[cid] for cid in order] == ["handoff", "falling", "thumbs", "calm"]
    assert "handoff requested" in page.text and "2 thumbs down" in page.text
    assert "trust fell 0.40" in page.text and "1 failed guard check<" in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("handoff=requested", ["handoff"]),
        ("aspect=refunds", ["falling"]),
        ("prompt=answer%40v2", ["falling"]),
        ("backend=vllm", ["falling"]),
        ("q=PARCEL", ["thumbs"]),
        ("since=2026-11-20&until=2026-11-20", ["falling", "thumbs", "calm"]),
        ("until=2026-11-18", ["handoff"]),
        ("q=%25", []),  # LIKE wildcards are searched for literally
    ],
)
def test_queue_filters(
    web: TestClient, seeded: dict[str, Seeded], query: str, expected: list[str]
) -> None:
    sign_in(web, "alice")
    names = {s.id: name for name, s in seeded.items()}
    order = queue_order(web.get(f"/console/?{query}").text)
    assert [names[cid] for cid in order] == expected


def test_search_finds_a_conversation_by_its_id(web: TestClient, seeded: dict[str, Seeded]) -> None:
    sign_in(web, "alice")
    target = seeded["calm"].id
    assert queue_order(web.get(f"/console/?q={target[:10]}").text) == [target]


def test_labelling_and_correcting_a_turn_are_stored_with_the_agent(
    web: TestClient, engine: Engine, seeded: dict[str, Seeded]
) -> None:
    sign_in(web, "alice")
    conversation = seeded["thumbs"]
    turn_id = conversation.turn_ids[0]
    page = web.get(f"/console/conversations/{conversation.id}")
    token = csrf_of(page.text)
    labelled = web.post(
        f"/console/turns/{turn_id}/label",
        data={"csrf": token, "label": "incorrect", "reason": "parcel was lost, not late"},
    )
    assert labelled.status_code == 303
    assert labelled.headers["location"].endswith(f"?done=labelled#turn-{turn_id}")
    corrected = web.post(
        f"/console/turns/{turn_id}/correction",
        data={"csrf": token, "answer": "I'm sorry your parcel is late. I've asked a colleague."},
    )
    assert corrected.status_code == 303
    with Session(engine) as session:
        label = session.exec(select(TurnLabel)).one()
        correction = session.exec(select(TurnCorrection)).one()
    assert (label.agent, label.label, label.reason) == (
        "alice",
        "incorrect",
        "parcel was lost, not late",
    )
    assert correction.agent == "alice" and correction.created_at is not None
    shown = web.get(labelled.headers["location"]).text
    assert "Label saved." in shown and "labelled incorrect" in shown
    assert "I&#39;m sorry your parcel is late." in shown and "Corrected by alice" in shown


def test_a_wrong_label_is_explained_not_stored(
    web: TestClient, engine: Engine, seeded: dict[str, Seeded]
) -> None:
    sign_in(web, "alice")
    conversation = seeded["calm"]
    token = csrf_of(web.get(f"/console/conversations/{conversation.id}").text)
    url = f"/console/turns/{conversation.turn_ids[0]}/label"
    no_reason = web.post(url, data={"csrf": token, "label": "unsafe", "reason": " "})
    assert no_reason.status_code == 400 and "say why" in no_reason.text
    unknown = web.post(url, data={"csrf": token, "label": "great", "reason": "x"})
    assert unknown.status_code == 400
    missing = web.post("/console/turns/nope/label", data={"csrf": token, "label": "correct"})
    assert missing.status_code == 404
    with Session(engine) as session:
        assert session.exec(select(TurnLabel)).all() == []


def test_resolving_a_handoff_records_who_and_when(
    web: TestClient, engine: Engine, seeded: dict[str, Seeded]
) -> None:
    sign_in(web, "alice")
    conversation = seeded["handoff"]
    page = web.get(f"/console/conversations/{conversation.id}")
    assert "Mark handoff resolved" in page.text
    url = f"/console/conversations/{conversation.id}/resolve"
    assert web.post(url, data={"csrf": csrf_of(page.text)}).status_code == 303
    with Session(engine) as session:
        stored = session.get(Conversation, conversation.id)
        handoff = session.exec(select(HandoffRow)).one()
        assert stored is not None and stored.handoff_status == HandoffStatus.RESOLVED
    assert handoff.resolved_by == "alice" and handoff.resolved_at is not None
    again = web.post(url, data={"csrf": csrf_of(page.text)})
    assert again.status_code == 409 and "no open handoff" in again.text
    queue = web.get("/console/?handoff=resolved").text
    assert queue_order(queue) == [conversation.id]
    assert "handoff requested" not in queue and "handoff resolved" in queue


def test_reviewed_filter_follows_the_latest_turn(
    web: TestClient, engine: Engine, seeded: dict[str, Seeded]
) -> None:
    with Session(engine) as session:
        label_turn(
            session,
            turn_id=seeded["calm"].turn_ids[0],
            label="correct",
            reason="",
            agent="alice",
            now=NOW,
        )
        session.commit()
    sign_in(web, "alice")
    assert queue_order(web.get("/console/?review=reviewed").text) == [seeded["calm"].id]
    assert seeded["calm"].id not in queue_order(web.get("/console/?review=unreviewed").text)


def test_transcript_shows_sources_guards_trust_confidence_prompt_and_latency(
    web: TestClient, seeded: dict[str, Seeded]
) -> None:
    sign_in(web, "alice")
    page = web.get(f"/console/conversations/{seeded['falling'].id}").text
    assert "Customer Service — Returns and Replacements" in page  # the cited source
    assert 'href="#t' in page and "[1]</a>" in page  # answer markers link to it
    assert "numbers" in page and ">fix<" in page  # the failed guard
    assert "refunds" in page and "negative" in page  # aspect polarity
    assert "answer@v2" in page and "vllm" in page
    assert "17 ms" in page or "18 ms" in page  # total latency
    assert "0.40" in page  # answer confidence


def test_shopper_text_renders_as_text(web: TestClient, engine: Engine) -> None:
    with Session(engine) as session:
        hostile = seed_conversation(
            session,
            [TurnSpec(user_text=XSS, answer=XSS + " [1]", feedback_comment=XSS, feedback=0)],
        )
    sign_in(web, "alice")
    page = web.get(f"/console/conversations/{hostile.id}").text
    assert "<script>window.__xss" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    queue = web.get("/console/").text
    assert "<script>window.__xss" not in queue and "&lt;script&gt;" in queue


def test_actions_refuse_unknown_turns_and_empty_corrections(engine: Engine) -> None:
    with Session(engine) as session:
        with pytest.raises(LookupError):
            label_turn(session, turn_id="nope", label="correct", reason="", agent="a")
        with pytest.raises(ReviewError):
            label_turn(session, turn_id="nope", label="bad", reason="", agent="a")
