"""Sentence gate for a streamed answer: each sentence is shown only after it passed the guards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from app.guardrails.base import GuardDecision
from app.guardrails.output.base import OutputContext, split_sentences
from app.guardrails.output.grounding import is_factual
from app.guardrails.verdicts import Finding, OutputVerdict, SentenceVerdict


class SentenceJudge(Protocol):
    """What the gate needs from the pipeline."""

    def check_sentence(self, sentence: str, context: OutputContext) -> SentenceVerdict:
        """The output guards' verdict on one sentence."""
        ...

    def output_decisions(self, findings: Sequence[Finding]) -> tuple[GuardDecision, ...]:
        """One decision per output guard from per-sentence findings."""
        ...

    def refusal_text(self) -> str:
        """The safe reply when nothing of the answer can be shown."""
        ...


def has_claims(answer: str) -> bool:
    """Whether any sentence of `answer` states something (more than conversation)."""
    return any(is_factual(s.text(answer)) for s in split_sentences(answer))


class OutputStream:
    """Holds streamed text until a sentence is complete, judges it, releases it if it passed."""

    def __init__(
        self,
        judge: SentenceJudge,
        context: OutputContext,
        restore: Callable[[str], str] | None = None,
    ) -> None:
        self._judge = judge
        self._context = context
        self._restore = restore or (lambda text: text)  # placeholders back, per sentence
        self._buffer = ""
        self._released: list[str] = []
        self._findings: list[Finding] = []
        self._dropped = 0
        self.stop: SentenceVerdict | None = None  # set when a refrain or reask ended the answer

    def feed(self, text: str) -> str:
        """Add streamed text; returns what may be shown now (complete, passing sentences)."""
        if self.stop is not None:
            return ""
        self._buffer += text
        sentences = split_sentences(self._buffer)
        if len(sentences) < 2:  # the last sentence may not be finished yet
            return ""
        cut = sentences[-2].end  # the space before the last sentence stays as its lead
        done, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return self._release(done)

    def close(self) -> str:
        """The stream ended: judge what is left in the buffer."""
        rest, self._buffer = self._buffer, ""
        return self._release(rest) if self.stop is None and rest.strip() else ""

    @property
    def text(self) -> str:
        """Everything released so far."""
        return "".join(self._released).strip()

    def verdict(self) -> OutputVerdict:
        """The streamed answer's verdict (before any reask)."""
        decisions = self._judge.output_decisions(self._findings)
        stop = self.stop
        if stop is not None and stop.action == "reask":
            return OutputVerdict(self.text, decisions, reask_reason=stop.reason)
        if stop is not None or (self._dropped and not has_claims(self.text)):
            blocked_by = stop.validator if stop is not None else "grounding"
            return OutputVerdict(self._judge.refusal_text(), decisions, True, blocked_by)
        return OutputVerdict(self.text, decisions)

    def _release(self, text: str) -> str:
        shown: list[str] = []
        position = 0
        for sentence in split_sentences(text):
            lead, position = text[position : sentence.start], sentence.end
            said = self._restore(sentence.text(text))
            verdict = self._judge.check_sentence(said, self._context)
            self._findings.extend(verdict.findings)
            if verdict.release:
                first = not self._released and not shown
                shown += ["" if first else lead, said]
            elif verdict.action == "fix":
                self._dropped += 1
            else:
                self.stop = verdict
                break
        released = "".join(shown)
        if released:
            self._released.append(released)
        return released
