"""Handoff to a person: spotting a shopper who asks for one, and the policy that decides when.

`asks_for_human` is deliberately narrow: a request for a person replaces the bot's answer, so
a question that merely mentions a person ("can a person return a gift?", "human hair wig", "is
the agent policy...") must not trip it. It needs a way of reaching someone (talk/speak/chat
to or with, contact, call, reach, transfer, "I want/need ...") followed by someone to reach (a
person, human, agent, operator, representative, manager, someone...), or a message that is only
that ("agent please"), or "call me". Cheap typo repair (one edit on the few keywords) catches
"speakign to a eprson"; negated wishes ("I don't want to talk to a human"), past tense ("I was
talking to an agent") and questions about the bot ("am I talking to a real person?") do not
count. `python -m evals.handoff_eval` measures it on the Bitext dev requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.trust.base import Handoff, HandoffReason

# --- typo repair --------------------------------------------------------------------------

# Keywords repaired when a token is one edit away (tokens of 5+ letters: shorter words are too
# often other real words: "that" is one edit from "chat").
_KEYWORDS = (
    *("talking", "speaking", "chatting", "contact", "contacting", "someone", "somebody"),
    *("person", "human", "agent", "operator", "representative", "assistant", "manager"),
    *("supervisor", "customer", "service", "support"),
)
# Real words one edit away from a keyword; never "repaired".
_REAL_WORDS = frozenset(
    {"taking", "stalking", "walking", "contract", "contracts", "charting", "speaker", "humane"}
    | {"persona", "agents", "humans", "persons", "managers", "operators"}
)
_SHORT_TYPOS = {
    "wth": "with",
    "wiht": "with",
    "wirh": "with",
    "witn": "with",
    "wtih": "with",
    "taok": "talk",
    "tlak": "talk",
    "tlk": "talk",
    "spek": "speak",
    "speek": "speak",
    "caht": "chat",
}
_GLUED = re.compile(r"^(to|with)(someone|somebody|a|an)$")  # "tosomebody" -> "to somebody"
_WORD = re.compile(r"[a-z]+")


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swap = len(diff) == 2 and diff[1] == diff[0] + 1
        return len(diff) == 1 or (swap and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@lru_cache(maxsize=4096)
def _repair(token: str) -> str:
    if token in _SHORT_TYPOS:
        return _SHORT_TYPOS[token]
    if glued := _GLUED.match(token):
        return f"{glued[1]} {glued[2]}"
    if len(token) < 5 or token in _REAL_WORDS or token in _KEYWORDS:
        return token
    return next((word for word in _KEYWORDS if _one_edit(token, word)), token)


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, spaces collapsed, keyword typos repaired."""
    text = text.lower().replace("\u2019", "'")
    text = _WORD.sub(lambda m: _repair(m.group(0)), text)
    return re.sub(r"\s+", " ", text).strip()


# --- patterns ------------------------------------------------------------------------------

_DET = r"(?:(?:a|an|the|some|one|any|your|a real)\s)?"
_MOD = r"(?:(?:real|live|actual|human|physical|proper|damn|bloody|fucking|goddamn|freaking)\s){0,2}"
_PEOPLE = (
    r"(?:human beings?|humans?|persons?|agents?|operators?|representatives?|reps?|someone|"
    r"somebody|anyone|anybody|managers?|supervisors?|staff(?: members?)?|employees?|"
    r"team members?|customer (?:service|services|support|care|assistance)(?: team)?|support team)"
)
# "a human hair wig", "the agent policy": a compound noun, not a person to reach.
_NOT_COMPOUND = (
    r"(?![-'])(?!\s(?:hair|resources|rights|policy|policies|commission|fees?|program|portal|login|"
    r"account|page|code|error|nature|body)\b)"
)
_TARGET = rf"(?:{_DET}{_MOD}{_PEOPLE}\b{_NOT_COMPOUND}|(?:a|an)\s{_MOD}assistant\b)"
_WITH_VERB = (
    r"(?:talk|talking|speak|speaking|chat|chatting|get in touch|getting in touch|"
    r"put me through|be put through|connect me|connecting me|transfer me|pass me|hand me over)"
    r"\s(?:to|with)"
)
_DIRECT_VERB = (
    r"(?:contact|contacting|reach|reaching|call|calling|phone|ring|email|"
    r"escalate (?:this|it|me) to)"
)
_SOMEONE = r"(?:someone|somebody|anyone|a person|a human|an agent)"
_END = (
    r"(?=\s*(?:$|[.!?,;:)]|please\b|pls\b|now\b|asap\b|right away\b|immediately\b|instead\b|to\b))"
)
_STRONG = (
    r"(?:(?:real|live|actual) (?:person|human|agent)|humans?|human beings?|agents?|operators?|"
    r"representatives?|reps?|managers?|supervisors?)\b"
)

_ASKS = [
    re.compile(rf"\b(?:{_WITH_VERB}|{_DIRECT_VERB})\s{_TARGET}"),
    re.compile(
        rf"\b(?:want|wanna|need|get me|give me|request|ask for|bring me|i'd like)\s"
        rf"(?:(?:a|an|the|your|some|to have a)\s)?{_STRONG}{_END}"
    ),
    re.compile(r"\b(?:call|ring|phone) me\b|\bgive me a (?:call|ring)\b|\bcall ?back\b"),
    re.compile(rf"\b{_SOMEONE} (?:to )?(?:call|contact|phone|ring|email|get back to) me\b"),
    re.compile(rf"\b{_SOMEONE} (?:i|we) (?:can|could) (?:talk|speak|chat) (?:to|with)\b"),
    re.compile(r"\bescalate (?:this|it|my|the)\b"),
    re.compile(
        r"\bis(?:n't)? there (?:a|an|any)\s(?:real |live |actual )?(?:supervisor|manager|human|"
        rf"agent|representative|operator)\b{_NOT_COMPOUND}"
    ),
    re.compile(
        r"^(?:(?:a|an|the)\s)?(?:(?:real|live|actual)\s)?(?:human|agent|operator|representative|"
        r"rep|person|manager|supervisor|customer (?:service|support))\b(?:\s*(?:please|pls|plz|"
        r"now|asap))?[\s.!?]*$"
    ),
]
# Said about the bot or the past, or a wish not to: never a request.
_ABOUT_THE_BOT = re.compile(
    r"\b(?:are you|is this|is that|am i (?:talking|speaking|chatting) (?:to|with))\s"
    r"(?:(?:a|an)\s)?(?:(?:real|actual|live)\s)?(?:person|human|bot|robot|machine|agent|ai)\b"
)
_BEFORE = re.compile(
    r"(?:\b(?:don't|dont|do not|doesn't|didn't|never|no need to|not) (?:want|need|wish|ask)\b"
    r"[^.!?,;]*|\b(?:was|were|been|i've|had|don't|dont|not|never|no) )$"
)
_CLAUSE_START = re.compile(r".*(?:[.!?,;]|\bbut\b)", re.DOTALL)
# A question about reaching customer service (its hours, number, address) is answered, not
# handed off: the shop's pages say it.
_CONTACT_DETAILS = re.compile(
    r"\b(?:hours?|what time|open|opening|number|phone no|e-?mail address|address|available)\b"
)
_SERVICE_ONLY = re.compile(
    r"\bcustomer (?:service|services|support|care|assistance)\b|\bsupport team\b"
)


def asks_for_human(text: str) -> bool:
    """Whether the shopper asks to be put in touch with a person."""
    clean = _ABOUT_THE_BOT.sub(" ", normalise(text))
    for pattern in _ASKS:
        for match in pattern.finditer(clean):
            if _counts(clean, match):
                return True
    return False


def _counts(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()]
    clause = _CLAUSE_START.sub("", before)
    if _BEFORE.search(clause):
        return False
    found = match.group(0)
    if _SERVICE_ONLY.search(found) and not re.search(rf"\b{_STRONG}", found):
        return not _CONTACT_DETAILS.search(text)
    return True


# --- policy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoffPolicy:
    """When a conversation goes to a person: asked for one > abuse > trust below `threshold`.

    Low trust needs `min_turns` scored turns: one message (perhaps misread by the scorer) is not
    yet a pattern, and the bot gets one chance to help. A request for a person or abuse the
    guards flagged for an agent hands off at once. A conversation already handed off is not
    handed off again.
    """

    threshold: float = 0.35
    min_turns: int = 2

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"handoff threshold must be within 0-1, got {self.threshold}")
        if self.min_turns < 1:
            raise ValueError(f"handoff min_turns must be at least 1, got {self.min_turns}")

    def decide(
        self,
        *,
        asked_for_human: bool,
        conversation_trust: float | None,
        scored_turns: int,
        flagged_for_agent: bool,
        already_handed_off: bool,
    ) -> Handoff | None:
        """The handoff this turn calls for, or None."""
        if already_handed_off:
            return None
        if asked_for_human:
            return Handoff(HandoffReason.ASKED_FOR_HUMAN, conversation_trust, "shopper asked")
        if flagged_for_agent:
            return Handoff(HandoffReason.ABUSE, conversation_trust, "input guard flagged abuse")
        if (
            conversation_trust is not None
            and scored_turns >= self.min_turns
            and conversation_trust < self.threshold
        ):
            detail = (
                f"conversation trust {conversation_trust:.2f} < {self.threshold:.2f} "
                f"after {scored_turns} scored turns"
            )
            return Handoff(HandoffReason.LOW_TRUST, conversation_trust, detail)
        return None
