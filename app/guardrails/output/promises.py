"""Promise check: no commitment (free returns, refund today, waived fee) the sources do not make."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.guardrails.output.base import CheckResult, OutputContext, check_sentences, strip_markers
from app.llm import lexical
from rag.schema import RetrievedChunk

# kind -> pattern. A promise counts as made by the shop when a cited source states the same
# kind of promise, not negated ("We don't guarantee delivery times" supports no guarantee).
PROMISES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "free returns": r"\bfree\s+(?:returns?|exchanges?|return\s+shipping)\b"
        r"|\breturns?\s+(?:are|is)\s+(?:always\s+|completely\s+)?free\b",
        "free shipping": r"\bfree\s+(?:shipping|delivery|postage)\b"
        r"|\bship(?:s|ped|ping)?\s+(?:it\s+|them\s+)?(?:for\s+)?free\b",
        "immediate refund": r"\brefund\w*\b[^.!?]{0,40}?\b(?:today|immediately|right\s+(?:away|now)"
        r"|instantly|at\s+once|within\s+(?:the|an|one)\s+hour)\b"
        r"|\b(?:today|immediately|right\s+away|instantly)\b[^.!?]{0,30}?\brefund",
        "guarantee": r"\bguarantee[ds]?\b",
        "waived fee": r"\bwaiv(?:e|ed|es|ing)\b",
        "compensation": r"\b(?:give|send|offer|issue)\s+you\s+(?:\S+\s+){0,3}?"
        r"(?:voucher|gift\s+card|store\s+credit|discount|coupon|credit|compensation)\b",
        "price match": r"\bprice[- ]match",
        "exception": r"\b(?:make\s+an\s+exception|no\s+questions\s+asked)\b",
        "personal promise": r"\b(?:i|we)\s+(?:promise|assure\s+you|will\s+make\s+sure)\b",
    }.items()
}
_NEGATION = re.compile(
    r"\b(?:not|no|never|don'?t|doesn'?t|won'?t|can'?t|cannot|isn'?t|aren'?t|unable)\b"
    r"(?:\W+\w+){0,3}\W*$",
    re.IGNORECASE,
)


def promises_in(text: str) -> set[str]:
    """Kinds of commitment `text` makes (negated mentions are no commitment)."""
    text = text.replace("’", "'")
    made = set()
    for kind, pattern in PROMISES.items():
        for match in pattern.finditer(text):
            if not _NEGATION.search(text[max(0, match.start() - 40) : match.start()]):
                made.add(kind)
                break
    return made


def _made_by(chunks_text: Iterable[str]) -> set[str]:
    made: set[str] = set()
    for text in chunks_text:
        for sentence in lexical.sentences(text):
            made |= promises_in(sentence)
    return made


class PromiseCheck:
    """Fails sentences that commit the shop to something its cited sources do not say."""

    name = "promises"

    def check(self, answer: str, context: OutputContext) -> CheckResult:
        """Each promise in a sentence must be one a source of that sentence makes too."""
        return check_sentences(self.name, answer, context, _unbacked_promises)


def _unbacked_promises(text: str, sources: Callable[[], list[RetrievedChunk]]) -> str:
    made = promises_in(strip_markers(text))
    if not made:
        return ""
    unbacked = sorted(made - _made_by(chunk.text for chunk in sources()))
    return f"promise not in the sources: {', '.join(unbacked)}" if unbacked else ""
