"""QCA cases from the SQL turn log: one per scored conversation, crisp conditions per aspect.

Conditions (all 0/1, one set of conversations each):
- `<aspect>_good` = 1 when the shopper raised the aspect and their last non-neutral polarity
  about it was not negative (positive, or only neutral mentions). 0 when it was never raised or
  the last non-neutral mention was negative: "~shipping_good" reads "shipping did not go well or
  did not come up".
- `answered` = 1 when the bot knew the answer on every finished turn (it never said it did not
  know or failed) and the mean answer confidence of those turns, where recorded, reaches
  `answered_from`.
Outcome: high trust = the conversation's running trust >= HIGH_FROM; low trust = below
LOW_BELOW (medium conversations count as neither). Aspects raised in fewer than
`min_aspect_cases` conversations, and conditions with one value in every case, are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.store.models import Conversation, Turn, TurnAspect
from app.trust.base import HIGH_FROM, LOW_BELOW, Aspect, Polarity
from app.trust.qca import Case

TrustOutcome = Literal["high", "low"]
ANSWERED = "answered"
_ASPECT_ORDER = {aspect.value: i for i, aspect in enumerate(Aspect)}


@dataclass(frozen=True)
class CaseSet:
    """The cases built from the log, the conditions kept, and why others were left out."""

    cases: tuple[Case, ...]
    conditions: tuple[str, ...]
    outcome: str  # "high trust" / "low trust"
    outcome_rule: str  # how the outcome was coded, for the reader
    left_out: tuple[str, ...]  # one line per condition left out, with the reason
    answered_from: float = 0.5

    def describe(self) -> list[str]:
        """Lines saying which cases, outcome and conditions went in, and what was left out."""
        with_outcome = sum(case.outcome for case in self.cases)
        lines = [
            f"cases: {len(self.cases)} conversation(s) with scored turns; {self.outcome} "
            f"({self.outcome_rule}) in {with_outcome} of them",
            f"conditions: {', '.join(self.conditions) or 'none'}",
            "X_good = 1 for aspect X: the shopper raised X and did not end negative about it "
            "(0: X not raised, or the last non-neutral mention of X was negative)",
            f"answered = 1: the bot knew the answer on every finished turn and its mean answer "
            f"confidence was >= {self.answered_from}",
        ]
        return lines + [f"left out: {line}" for line in self.left_out]


@dataclass
class ConversationFacts:
    """What the log says about one scored conversation, in turn order."""

    trust: float  # the conversation's running trust after its latest scored turn
    polarities: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    knew: list[bool] = field(default_factory=list)  # knows_answer of each finished turn
    confidences: list[float] = field(default_factory=list)  # answer confidence, where recorded


def aspect_good(polarities: Sequence[str]) -> bool:
    """Raised, and the last non-neutral polarity about it (if any) is not negative."""
    decided = [p for p in polarities if p != Polarity.NEUTRAL]
    return bool(polarities) and (not decided or decided[-1] != Polarity.NEGATIVE)


def load_cases(
    source: Session | Engine,
    *,
    outcome: TrustOutcome = "high",
    min_aspect_cases: int = 3,
    answered_from: float = 0.5,
) -> CaseSet:
    """One QCA case per conversation with scored turns, read from the turn log."""
    if isinstance(source, Session):
        conversations = _read(source)
    else:
        with Session(source) as session:
            conversations = _read(session)
    return build_cases(
        conversations,
        outcome=outcome,
        min_aspect_cases=min_aspect_cases,
        answered_from=answered_from,
    )


def _read(session: Session) -> dict[str, ConversationFacts]:
    scored = select(Turn.conversation_id).where(col(Turn.trust_score).is_not(None))
    rows = session.exec(
        select(Conversation.id, Conversation.trust_score).where(
            col(Conversation.trust_score).is_not(None), col(Conversation.id).in_(scored)
        )
    ).all()
    conversations = {cid: ConversationFacts(trust=float(trust or 0.0)) for cid, trust in rows}
    ordered = (col(Turn.conversation_id), col(Turn.number), col(Turn.created_at))
    turns = session.exec(
        select(Turn.conversation_id, Turn.knows_answer, Turn.answer_confidence)
        .where(col(Turn.conversation_id).in_(scored), col(Turn.knows_answer).is_not(None))
        .order_by(*ordered)
    ).all()
    for cid, knew, confidence in turns:
        _add_answer(conversations.get(cid), knew, confidence)
    aspects = session.exec(
        select(Turn.conversation_id, TurnAspect.aspect, TurnAspect.polarity)
        .join(Turn, col(TurnAspect.turn_id) == col(Turn.id))
        .where(col(Turn.conversation_id).in_(scored))
        .order_by(*ordered, col(TurnAspect.id))
    ).all()
    for cid, aspect, polarity in aspects:
        if cid in conversations:
            conversations[cid].polarities[aspect].append(polarity)
    return conversations


def _add_answer(
    conversation: ConversationFacts | None, knew: Any, confidence: float | None
) -> None:
    if conversation is None:
        return
    conversation.knew.append(bool(knew))
    if confidence is not None:
        conversation.confidences.append(float(confidence))


def build_cases(
    conversations: dict[str, ConversationFacts],
    *,
    outcome: TrustOutcome,
    min_aspect_cases: int,
    answered_from: float,
) -> CaseSet:
    """Code each conversation's conditions and outcome; leave out rare and constant conditions."""
    raised: dict[str, int] = defaultdict(int)
    for conversation in conversations.values():
        for aspect in conversation.polarities:
            raised[aspect] += 1
    aspects = sorted(raised, key=lambda a: (_ASPECT_ORDER.get(a, len(_ASPECT_ORDER)), a))
    kept = [a for a in aspects if raised[a] >= min_aspect_cases]
    left_out = [
        f"{a}_good: {a} raised in {raised[a]} conversation(s), fewer than {min_aspect_cases}"
        for a in aspects
        if a not in kept
    ]
    cases = [
        _case(cid, conversation, kept, outcome, answered_from)
        for cid, conversation in sorted(conversations.items())
    ]
    names = [f"{a}_good" for a in kept] + [ANSWERED]
    constant = [name for name in names if len({case.conditions[name] for case in cases}) == 1]
    left_out += [
        f"{name}: {cases[0].conditions[name]} in every conversation (no variation)"
        for name in constant
    ]
    conditions = tuple(name for name in names if name not in constant)
    return CaseSet(
        cases=tuple(_only(case, conditions) for case in cases),
        conditions=conditions,
        outcome=f"{outcome} trust",
        outcome_rule=_rule(outcome),
        left_out=tuple(left_out),
        answered_from=answered_from,
    )


def _case(
    cid: str,
    conversation: ConversationFacts,
    aspects: Iterable[str],
    outcome: TrustOutcome,
    answered_from: float,
) -> Case:
    values = {f"{a}_good": int(aspect_good(conversation.polarities.get(a, []))) for a in aspects}
    values[ANSWERED] = int(_answered(conversation, answered_from))
    hit = conversation.trust >= HIGH_FROM if outcome == "high" else conversation.trust < LOW_BELOW
    return Case(conditions=values, outcome=int(hit), case_id=cid)


def _answered(conversation: ConversationFacts, answered_from: float) -> bool:
    if not conversation.knew or not all(conversation.knew):
        return False
    confidences = conversation.confidences
    return not confidences or sum(confidences) / len(confidences) >= answered_from


def _only(case: Case, conditions: Sequence[str]) -> Case:
    values = {name: case.conditions[name] for name in conditions}
    return Case(conditions=values, outcome=case.outcome, case_id=case.case_id)


def _rule(outcome: TrustOutcome) -> str:
    if outcome == "high":
        return f"conversation trust >= {HIGH_FROM}"
    return f"conversation trust < {LOW_BELOW} (medium trust counts as not low)"
