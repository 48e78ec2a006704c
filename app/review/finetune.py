"""Fine-tuning data from reviewed turns: chat-format JSONL, PII removed, deduplicated, split.

Each line is `{"messages": [system, user, assistant]}`, the format of OpenAI's chat fine-tuning
and of the chat templates vLLM-served models are trained with (TRL's SFTTrainer reads it as
is). System and user are the turn's own prompt version rendered as the chat backend renders it
(shop name, the numbered sources the shopper saw, the conversation so far, the question); the
assistant message is the approved answer or the agent's correction.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.followup import history_text
from app.guardrails.base import PiiSpan
from app.guardrails.pii import ALL_ENTITIES
from app.guardrails.redaction import PiiVault, Redactor
from app.prompts import Prompt
from app.review.reviewed import Reviewed

ROLES = ("system", "user", "assistant")
NO_SOURCES = "(no sources found)"
_SPACE = re.compile(r"\s+")
PiiFinder = Callable[[str], Sequence[PiiSpan]]


@dataclass(frozen=True)
class Example:
    """One training conversation and what it came from."""

    messages: tuple[dict[str, str], ...]
    question: str  # the redacted question, for deduplication and the split
    origin: str
    turn_id: str
    created_at: str
    prompt: str
    backend: str

    def line(self) -> str:
        """The JSONL line: only the messages, as fine-tuning tools expect."""
        return json.dumps({"messages": list(self.messages)}, ensure_ascii=False)


@dataclass
class BuildReport:
    """Counts for the dataset card."""

    pii: Counter[str] = field(default_factory=Counter)  # entity -> spans removed
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> turns


class ExampleBuilder:
    """Turns a reviewed turn into a chat example with personal data removed."""

    def __init__(
        self, prompts: Callable[[str], Prompt], *, shop_name: str, find_pii: PiiFinder
    ) -> None:
        """`prompts`: looks up a prompt by `name@vN` (raises KeyError when unknown)."""
        self._prompts = prompts
        self._shop = shop_name
        self._find = find_pii
        # Hard redaction ([EMAIL]): a training example needs no way back to the person.
        self._redactor = Redactor(policy=dict.fromkeys(ALL_ENTITIES, "redact"), find=self._find)
        self.report = BuildReport()

    def build(self, item: Reviewed) -> Example | None:
        """The example for `item`, or None (counted in the report) when it cannot be built."""
        turn = item.turn
        ref = f"{turn.prompt_name}@v{turn.prompt_version}"
        try:
            prompt = self._prompts(ref)
        except KeyError:
            self.report.skipped[f"prompt {ref} not found"] += 1
            return None
        sources = numbered_citations(turn.citations)
        question = self._clean(turn.resolved_question or turn.user_text)
        history = tuple((self._clean(q), self._clean(a)) for q, a in item.history)
        answer = self._clean(item.answer, public=sources)
        values = {
            "shop_name": self._shop,
            "sources": sources,
            "history": history_text(history, 3),
            "question": question,
            "dont_know": prompt.layout.dont_know_text(self._shop),
        }
        missing = set(prompt.variables) - values.keys()
        if missing or not answer:
            self.report.skipped["prompt variables unknown" if missing else "empty answer"] += 1
            return None
        system, user = prompt.render(**{name: values[name] for name in prompt.variables})
        messages = (
            {"role": "system", "content": system.strip()},
            {"role": "user", "content": user.strip()},
            {"role": "assistant", "content": answer},
        )
        created = turn.created_at.date().isoformat()
        return Example(messages, question, item.origin, turn.id, created, ref, turn.backend)

    def _clean(self, text: str, *, public: str = "") -> str:
        """`text` with personal data replaced by [ENTITY]; spans quoted from `public` stay."""
        spans = [s for s in self._find(text) if not public or s.text not in public]
        self.report.pii.update(span.entity for span in spans)
        redacted = self._redactor.redact(text, PiiVault(), spans=spans).text
        return redacted.strip()


def numbered_citations(citations: Sequence[dict[str, Any]]) -> str:
    """The cited sources as the chat prompt numbers them ("[n] title" then the text)."""
    blocks = [
        f"[{c.get('index', i)}] {c.get('title', '')}\n{str(c.get('snippet', '')).strip()}"
        for i, c in enumerate(citations, start=1)
    ]
    return "\n\n".join(blocks) if blocks else NO_SOURCES


def deduplicate(examples: Sequence[Example]) -> tuple[list[Example], int]:
    """Examples with the same question and answer (case and spacing aside) kept once."""
    seen: set[str] = set()
    kept: list[Example] = []
    for example in examples:
        key = _key(example.question, example.messages[-1]["content"])
        if key not in seen:
            seen.add(key)
            kept.append(example)
    return kept, len(examples) - len(kept)


def split(
    examples: Sequence[Example], *, validation_share: float, seed: str
) -> tuple[list[Example], list[Example]]:
    """Deterministic train/validation split by a hash of the question (never both sides).

    With two or more examples and a share above 0, each side gets at least one; a lone example
    always trains (`datasets` refuses a train split without rows).
    """
    ranked = sorted(examples, key=lambda e: _bucket(seed, e.question))
    validation = [e for e in ranked if _bucket(seed, e.question) < validation_share]
    train = [e for e in ranked if _bucket(seed, e.question) >= validation_share]
    if len(ranked) == 1:
        train, validation = ranked, []
    elif len(ranked) >= 2 and validation_share > 0:
        if not validation:
            validation, train = train[:1], train[1:]
        elif not train:
            validation, train = validation[:-1], validation[-1:]
    by_time = sorted(examples, key=lambda e: (e.created_at, e.turn_id))
    order = {id(e): n for n, e in enumerate(by_time)}
    return sorted(train, key=lambda e: order[id(e)]), sorted(validation, key=lambda e: order[id(e)])


def chat_format_errors(record: object) -> list[str]:
    """What keeps a JSONL record from being a valid chat fine-tuning example (empty: valid)."""
    if not isinstance(record, dict) or set(record) != {"messages"}:
        return ["a record is an object with exactly one key, messages"]
    messages = record["messages"]
    if not isinstance(messages, list) or len(messages) < 2:
        return ["messages is a list of at least two messages"]
    errors = []
    for n, message in enumerate(messages):
        if not isinstance(message, dict) or set(message) != {"role", "content"}:
            errors.append(f"message {n} needs exactly role and content")
        elif message["role"] not in ROLES:
            errors.append(f"message {n} has an unknown role {message['role']!r}")
        elif not isinstance(message["content"], str) or not message["content"].strip():
            errors.append(f"message {n} has empty content")
    if not errors and messages[-1]["role"] != "assistant":
        errors.append("the last message is the assistant's")
    return errors


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def _key(question: str, answer: str) -> str:
    return hashlib.sha256(f"{_normal(question)}\x00{_normal(answer)}".encode()).hexdigest()


def _bucket(seed: str, question: str) -> float:
    digest = hashlib.sha256(f"{seed}\x00{_normal(question)}".encode()).hexdigest()
    return int(digest[:12], 16) / 16**12


def write_jsonl(path: Path, examples: Sequence[Example]) -> None:
    """Write the examples' lines (validated) to `path`."""
    lines = []
    for example in examples:
        errors = chat_format_errors(json.loads(example.line()))
        if errors:
            raise ValueError(f"turn {example.turn_id}: {errors}")
        lines.append(example.line())
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
