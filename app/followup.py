"""Follow-up resolution: "and in orange?" after a hoodie question becomes a standalone question."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from app.llm.facts import COLOURS, SIZES
from app.llm.lexical import STOPWORDS, stem, strip_markers, word_set, words

History = Sequence[tuple[str, str]]  # (resolved question, answer), oldest first

_FILLER = r"(?:(?:ok(?:ay)?|so|great|thanks|cool|right|hm+)\b[\s,!.]*)*"
_CONNECTIVE = re.compile(
    rf"^\s*{_FILLER}(?:(?:and|also|or|but|plus)\s+)?(?:what|how)\s+about\b[\s,]*"
    rf"|^\s*{_FILLER}(?:and|also|or|but|plus)\b[\s,]*|^\s*{_FILLER}same\s+(?=in\b|for\b)",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(its|it|they|them|their|this|that|these|those|one|ones)\b", re.I)
_POSSESSIVE = frozenset({"its", "their"})
_IMPERSONAL = re.compile(r"\b(?:is|was|will|would)\s+it\s+(?:possible|ok(?:ay)?|true|safe)\b", re.I)
_QUESTION_WORD = re.compile(
    r"^(?:what|which|how|is|are|do|does|can|could|will|when|where|why)\b", re.IGNORECASE
)
_MONEY = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
# Words that only pick a variant or a fact of the thing already being discussed.
_ATTRIBUTES = frozenset(
    stem(w)
    for w in COLOURS
    | SIZES
    | word_set(
        """size colour color price cost much cheap cheaper expensive stock available availability
        material warranty variant version model option bigger smaller larger"""
    )
)
_MAX_CONNECTIVE_CONTENT = 1  # "and the Hero Hoodie?" names a new subject: two words
_MAX_PRONOUN_CONTENT = 2  # "Can I machine-wash it?" is a follow-up; longer questions stand alone
_HISTORY_ANSWER_CHARS = 300


class FollowupResolver(Protocol):
    """Turns a shopper's message into a standalone question, given the conversation so far."""

    def wants_history(self, text: str, subject: str | None = None) -> bool:
        """Whether resolving `text` needs the conversation (lets most turns skip the read)."""
        ...

    async def resolve(self, text: str, history: History, subject: str | None = None) -> str:
        """The standalone question; `subject` is the product the previous turn was about."""
        ...


class RuleFollowupResolver:
    """Deterministic resolver: carries the previous turn's subject into short anaphoric messages."""

    def wants_history(self, text: str, subject: str | None = None) -> bool:
        """Only a follow-up whose product is not already known needs the conversation."""
        return subject is None and is_followup(text)

    async def resolve(self, text: str, history: History, subject: str | None = None) -> str:
        """The standalone question (the message itself when it is not a follow-up)."""
        return resolve_followup(text, history, subject)


def _content(text: str) -> list[str]:
    """Stems of the words that name a thing rather than a variant or fact of it."""
    kept = [stem(w) for w in words(text) if len(w) > 1 and w not in STOPWORDS]
    return [s for s in kept if s not in _ATTRIBUTES and not s.isdigit()]


def is_followup(text: str) -> bool:
    """Whether a message leans on the previous turn ("and in blue?", "how much is it?")."""
    connective = _CONNECTIVE.match(text)
    rest = text[connective.end() :] if connective else text
    content = _content(rest)
    if _PRONOUN.search(rest) and not _IMPERSONAL.search(rest):
        return len(content) <= _MAX_PRONOUN_CONTENT
    # A bare "and in orange?" / "XL?" only picks a variant of what was just discussed.
    if connective is not None:  # "and overnight?", "what about the XL?"
        return bool(words(rest)) and len(content) <= _MAX_CONNECTIVE_CONTENT
    return not content and any(stem(w) in _ATTRIBUTES for w in words(rest))


def resolve_followup(text: str, history: History, subject: str | None = None) -> str:
    """Rewrite a follow-up as a standalone question about the previous turn's subject."""
    text = " ".join(text.split())
    if not (history or subject) or not is_followup(text):
        return text
    connective = _CONNECTIVE.match(text)
    rest = text[connective.end() :] if connective else text
    if subject:
        resolved = _about_product(rest, subject)
    else:
        resolved = _about_question(rest, history[-1][0].strip())
    return resolved[:1].upper() + resolved[1:]


def _about_question(rest: str, previous: str) -> str:
    """Carry the previous question; "and for $350?" swaps in the new amount of money."""
    new_amount, old_amount = _MONEY.search(rest), _MONEY.search(previous)
    if new_amount and old_amount:
        return previous[: old_amount.start()] + new_amount[0] + previous[old_amount.end() :]
    return f"{previous.rstrip('?.! ')} — {rest}"


def _about_product(rest: str, subject: str) -> str:
    """Put the product's name where the pronoun was, or in front of a bare fragment."""
    match = _PRONOUN.search(rest)
    if match and not _IMPERSONAL.search(rest):
        name = f"the {subject}'s" if match[1].lower() in _POSSESSIVE else f"the {subject}"
        return f"{rest[: match.start()]}{name}{rest[match.end() :]}"
    fragment = _LEADING_ARTICLE.sub("", rest)
    if _QUESTION_WORD.match(fragment):  # "What colours?" -> "Chaz Kangeroo Hoodie: What colours?"
        return f"{subject}: {fragment}"
    return f"{subject} {fragment}"


def history_text(history: History, limit: int = 3) -> str:
    """The last turns as prompt text ("Shopper: ... / Assistant: ..."), or "(none)"."""
    if not history:
        return "(none)"
    lines = []
    for question, answer in list(history)[-limit:]:
        short = " ".join(strip_markers(answer).split())
        if len(short) > _HISTORY_ANSWER_CHARS:
            short = short[:_HISTORY_ANSWER_CHARS].rsplit(" ", 1)[0] + "…"
        lines += [f"Shopper: {question}", f"Assistant: {short}"]
    return "\n".join(lines)
