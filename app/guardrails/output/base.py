"""What every output check shares: answer sentences, their sources, and the check seam."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from app.guardrails.base import PiiSpan
from app.turns import Citation
from rag.schema import RetrievedChunk

_MARKER = re.compile(r"\[(\d+)\]|\^(\d+)")
# A sentence ends at . ! ? followed by space and something that starts a sentence; a citation
# marker after the full stop ("... 30 days. [1]") stays with the sentence it cites.
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?]\[\d\])|(?<=[.!?] \[\d\])|(?<=[.!?] \[\d\d\]))"
    r"\s+(?=[A-Z0-9\"'(*$•\-])"
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")

PiiFinder = Callable[[str], list[PiiSpan]]
# (entity, value) -> whether the shopper of this conversation gave that value.
ShopperGave = Callable[[str, str], bool]


@dataclass(frozen=True)
class Sentence:
    """One sentence of an answer, with where it sits and the sources it cites."""

    index: int
    start: int  # character offsets in the answer, end exclusive
    end: int
    line: int
    markers: tuple[int, ...]

    def text(self, answer: str) -> str:
        """The sentence as written (markers included)."""
        return answer[self.start : self.end]


def markers_in(text: str) -> tuple[int, ...]:
    """Citation numbers used in `text`, in order, without repeats."""
    found = (int(m[1] or m[2]) for m in _MARKER.finditer(text))
    return tuple(dict.fromkeys(found))


def strip_markers(text: str) -> str:
    """`text` without citation markers and list bullets."""
    return _BULLET.sub("", _MARKER.sub("", text)).strip()


def split_sentences(answer: str) -> list[Sentence]:
    """The answer's sentences, line by line; offsets let a check cut sentences out exactly."""
    sentences: list[Sentence] = []
    offset = 0
    for line_number, line in enumerate(answer.split("\n")):
        position = 0
        for part in _SENTENCE_END.split(line):
            start = line.index(part, position)
            position = start + len(part)
            if part.strip():
                stripped_start = start + len(part) - len(part.lstrip())
                stripped_end = start + len(part.rstrip())
                sentences.append(
                    Sentence(
                        index=len(sentences),
                        start=offset + stripped_start,
                        end=offset + stripped_end,
                        line=line_number,
                        markers=markers_in(part),
                    )
                )
        offset += len(line) + 1
    return sentences


def remove_sentences(answer: str, drop: Sequence[int]) -> str:
    """The answer without the given sentences; a dropped group's marker moves to what is left.

    The extractive backend cites a quoted group once, at its end ("A. B. [1]"): dropping B must
    not leave A without its source.
    """
    dropped = set(drop)
    if not dropped:
        return answer
    sentences = split_sentences(answer)
    kept_by_line: dict[int, list[str]] = {}
    carry: dict[int, str] = {}
    for sentence in reversed(sentences):
        text = sentence.text(answer)
        if sentence.index in dropped:
            if sentence.markers and sentence.line not in carry:
                carry[sentence.line] = " ".join(f"[{n}]" for n in sentence.markers)
            continue
        pending = carry.pop(sentence.line, None)
        if pending and not sentence.markers:
            text = f"{text} {pending}"
        kept_by_line.setdefault(sentence.line, []).insert(0, text)
    lines = []
    for line_number, line in enumerate(answer.split("\n")):
        if line_number in kept_by_line:
            bullet = _BULLET.match(line)
            body = " ".join(kept_by_line[line_number])
            if bullet and not _BULLET.match(body):
                body = bullet.group(0) + body
            lines.append(body)
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class OutputContext:
    """What an answer is checked against: its sources and the conversation it answers."""

    chunks: Sequence[RetrievedChunk]
    citations: Sequence[Citation] = ()
    user_texts: Sequence[str] = ()  # the shopper's own messages in this conversation, in clear
    system_prompt: str = ""  # the active prompt's system template
    shopper_gave: ShopperGave | None = None  # asks the conversation's PII vault

    def cited_chunks(self, markers: Sequence[int]) -> list[RetrievedChunk]:
        """The chunks the given markers refer to (through the answer's citations)."""
        by_id = {chunk.chunk_id: chunk for chunk in self.chunks}
        by_marker = {c.index: by_id[c.chunk_id] for c in self.citations if c.chunk_id in by_id}
        if not by_marker:  # citations not known yet (streaming): markers number the sources
            by_marker = dict(enumerate(self.chunks, start=1))
        return [by_marker[n] for n in markers if n in by_marker]

    def sources_for(self, answer: str, sentence: Sentence) -> list[RetrievedChunk]:
        """What a sentence rests on: its own markers, else its group's, else every source."""
        markers = sentence.markers or _group_markers(answer, sentence)
        cited = self.cited_chunks(markers) if markers else []
        return cited or list(self.chunks)


def _group_markers(answer: str, sentence: Sentence) -> tuple[int, ...]:
    """Markers of the next cited sentence on the same line (the group's closing marker)."""
    for other in split_sentences(answer)[sentence.index + 1 :]:
        if other.line != sentence.line:
            break
        if other.markers:
            return other.markers
    return ()


@dataclass(frozen=True)
class CheckResult:
    """One output check's verdict on one answer."""

    check: str
    passed: bool
    score: float  # 0..1, higher is worse
    detail: str = ""
    failing: tuple[int, ...] = field(default_factory=tuple)  # indices of failing sentences


class OutputCheck(Protocol):
    """A check on an answer before the shopper sees it."""

    name: str

    def check(self, answer: str, context: OutputContext) -> CheckResult:
        """Judge `answer`; never raises on odd text."""
        ...


# (sentence text, a getter of the sentence's sources) -> why it fails, or "" when it passes.
SentenceRule = Callable[[str, Callable[[], list[RetrievedChunk]]], str]


def check_sentences(
    name: str, answer: str, context: OutputContext, rule: SentenceRule
) -> CheckResult:
    """Judge each sentence of `answer` with `rule` (its sources are looked up only if asked)."""
    sentences = split_sentences(answer)
    failing: dict[int, str] = {}
    for sentence in sentences:
        reason = rule(sentence.text(answer), partial(context.sources_for, answer, sentence))
        if reason:
            failing[sentence.index] = reason
    return verdict(name, failing, len(sentences))


def verdict(name: str, failing: dict[int, str], total: int) -> CheckResult:
    """A CheckResult from the failing sentences and the reason for each."""
    if not failing:
        return CheckResult(check=name, passed=True, score=0.0)
    reasons = "; ".join(dict.fromkeys(failing.values()))
    return CheckResult(
        check=name,
        passed=False,
        score=round(len(failing) / max(total, 1), 3),
        detail=reasons[:500],
        failing=tuple(sorted(failing)),
    )
