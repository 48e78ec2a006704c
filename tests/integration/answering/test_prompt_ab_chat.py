"""ChatService under a live A/B split: each conversation answers with, and logs, its own version."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.chat import ChatService
from app.llm.extractive import ExtractiveGenerator
from app.prompt_ab import PromptChooser
from app.prompts import PromptRegistry
from app.store import SqlTurnLog
from app.store.models import Turn
from rag.retriever import HybridRetriever

QUESTION = "Is the Autumn Pullie available to buy right now?"


def _conversation_on(chooser: PromptChooser, version: int) -> str:
    return next(
        cid for cid in (f"ab-{i}" for i in range(100)) if chooser.choose(cid).version == version
    )


async def test_each_conversation_answers_and_logs_with_its_own_version(
    retriever: HybridRetriever, prompts: PromptRegistry, turn_log: SqlTurnLog
) -> None:
    chooser = PromptChooser.from_weights({"answer@v1": 1, "answer@v2": 1}, prompts.get)
    service = ChatService(
        retriever=retriever,
        generator=ExtractiveGenerator(),
        prompt=chooser,
        turn_log=turn_log,
        k=5,
        backend="extractive",
        model="extractive-v1",
        shop_name="Luma",
    )
    on_v1, on_v2 = _conversation_on(chooser, 1), _conversation_on(chooser, 2)
    first = await service.ask(conversation_id=on_v1, text=QUESTION)
    second = await service.ask(conversation_id=on_v2, text=QUESTION)
    again = await service.ask(conversation_id=on_v2, text="How much is the Autumn Pullie?")
    # v1 does not read "available to buy right now" as a stock question; v2's cues do.
    assert not first.knows_answer and "couldn't find" in first.answer
    assert second.knows_answer and "15 of 15 variants in stock" in second.answer
    assert [r.prompt.version for r in (first, second, again)] == [1, 2, 2]
    assert "$57.00" in again.answer
    turn_log.flush()
    with Session(turn_log.engine) as session:
        logged = session.exec(select(Turn).order_by(col(Turn.number), col(Turn.id))).all()
    by_conversation = {(t.conversation_id, t.prompt_version, t.prompt_sha256) for t in logged}
    assert by_conversation == {
        (on_v1, 1, prompts.get("answer@v1").sha256),
        (on_v2, 2, prompts.get("answer@v2").sha256),
    }
    assert service.prompt.ref == prompts.get("answer@v1").ref  # the default: the first arm
