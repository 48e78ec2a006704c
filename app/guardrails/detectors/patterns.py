"""Cheap prompt-injection patterns, checked on the text and on decoded / de-obfuscated views.

Strong patterns block on their own: they name the attack outright ("ignore all previous
instructions", "stay in character", "reveal your system prompt") and never occur in real shopper
requests. Weak patterns are common in jailbreaks but can occur in an honest message ("without any
restrictions", "developer mode" on a phone, "jailbreaking" a phone); they are features of the
learned model, which weighs them against the meaning of the whole message.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

# Patterns read at most this much (the start and the end of a longer text, where a guard
# joins earlier messages to the new one), which bounds the work on odd, huge input.
MAX_SCAN_CHARS = 8000

_RULES = (
    r"(?:instructions|prompts?|rules|directives|guidelines|programming|commands|constraints|"
    r"guardrails|restrictions|filters)"
)
_QUALIFIER = r"(?:previous|prior|above|earlier|preceding|system|initial|original|safety|ethical)"
_OVERRIDE = r"(?:ignore|disregard|forget|override|bypass)"
# "disregard my previous instructions, ship it to my office" is a shopper changing an order.
_NOT_THE_SHOPPERS = r"(?!\s+(?:I|we)\b)"
_DATA = (
    r"(?:data|details|orders?|address(?:es)?|e-?mails?(?: address(?:es)?)?|phone(?: numbers?)?|"
    r"info(?:rmation)?|records|cards?|card numbers|purchase history|order history|purchases|"
    r"accounts?|passwords?|names?|full names?|contact(?: details| info)?|location)"
)
_OTHERS = r"(?:another|other|all|every|different)\s+(?:customers?|users?|shoppers?|clients?)"
_PEOPLE = r"(?:customers?|users?|shoppers?|clients?|buyers?|person|people|guy|lady|man|woman)"
# One other shopper, named indirectly: "the customer before me", "someone else".
_STRANGER = (
    rf"(?:another|(?:the\s+)?(?:previous|prior|last|next|other))\s+{_PEOPLE}"
    rf"|(?:the\s+)?{_PEOPLE}\s+(?:before|after|ahead of|behind|in front of)\s+me"
    r"|(?:someone|somebody|anyone|anybody)\s+else"
)
# Whoever placed a given order: "the person who ordered #W123".
_BUYER = (
    rf"(?:the\s+)?(?:{_PEOPLE}|owner|recipient)\s+(?:who|that)\s+(?:\w+\s+)?"
    r"(?:ordered|bought|purchased|placed|paid for|received)"
    r"|whoever\s+(?:ordered|bought|purchased|placed)"
)
_RECENT = r"(?:last|latest|recent|previous|first|newest)"
_REVEAL = r"(?:show|give|list|tell|send|display|export|dump|reveal|print|leak|look up|read out)"

STRONG: Mapping[str, str] = {
    "ignore_instructions": (
        rf"\b{_OVERRIDE}\s+(?:all\s+|any\s+)?(?:of\s+)?(?:(?:your|the)\s+)?"
        rf"(?:{_QUALIFIER}\s+)+{_RULES}\b{_NOT_THE_SHOPPERS}"
        rf"|\b{_OVERRIDE}\s+(?:all\s+)?(?:of\s+)?your\s+{_RULES}\b"
        rf"|\b(?:ignore|disregard|forget)\s+(?:all|any)\s+(?:of\s+)?(?:the\s+)?{_RULES}\b"
        rf"{_NOT_THE_SHOPPERS}"
        r"|\b(?:ignore|disregard|forget)\s+(?:everything|all|anything)\s+(?:that\s+)?"
        r"(?:you\s+(?:were|have been|was)\s+told|in your (?:prompt|instructions))"
        r"|\b(?:ignore|disregard)\s+(?:all\s+)?the\s+above\b"
        r"|\bforget\s+(?:everything|all)\s+(?:before|above)\s+(?:that|this)\b"
    ),
    # The same in the languages public injection sets use most (German, French, Spanish).
    "ignore_instructions_intl": (
        r"\b(?:ignorier\w*|vergiss|missachte)\s+(?:alle\s+|die\s+)?(?:vorherigen\s+|bisherigen\s+|"
        r"obigen\s+|vorigen\s+)?(?:Anweisungen|Instruktionen|Regeln|Befehle)\b"
        r"|\bvergiss\s+alles\s+(?:davor|bisher|vorher|oben)\b"
        r"|\bignore[rz]?\s+(?:toutes\s+)?les\s+(?:instructions|consignes|r[eè]gles)\b"
        r"|\bignora\s+(?:todas\s+)?las\s+(?:instrucciones|reglas)\b"
    ),
    "new_role": (
        r"\byour\s+(?:new|real|true|actual)\s+(?:role|task|job|purpose|persona|identity|goal)\s+"
        r"(?:is|will be|:)|\bnew\s+task\s*:"
    ),
    "system_prompt": (
        r"\b(?:system|hidden|secret|pre)[\s-]?(?:prompt|instructions)\b|\bdeveloper\s+prompt\b"
        r"|\b(?:reveal|print|repeat|output|dump|leak|spell out|recite|paste|display)\b"
        r"[^.\n]{0,30}\byour\s+(?:\w+\s+)?(?:prompt|instructions|rules|guidelines|configuration)\b"
        r"|\bwhat\s+(?:is|was)\s+your\s+(?:\w+\s+)?prompt\b"
        r"|\b(?:repeat|print|output)\s+(?:the\s+)?(?:words|text|everything)\s+above\b"
        r"|\b(?:rules|instructions|prompt)\s+(?:that\s+)?you\s+(?:were|have been)\s+given\b"
        r"|\bSystem-?prompt\b"
    ),
    "do_anything_now": r"\bdo anything now\b|\b(?:Better|Anti)(?:DAN|GPT)\b|\bDevMode\b",
    "mode_switch": (
        r"\b(?:jailbreak|jailbroken|unfiltered|uncensored|unrestricted|evil|amoral|chaos)\s+mode\b"
        r"|\b(?:developer|dev|god|debug|admin|sudo)\s+mode\s+(?:enabled|activated)\b"
        r"|\b(?:developer|dev|god|debug|admin|sudo)\s+mode\s*[:=]\s*(?:on|enabled|true)\b"
    ),
    "stay_in_character": (
        r"\b(?:stay|remain|keep)\s+in\s+character\b|\b(?:never|don'?t|do not)\s+break\s+character\b"
        r"|\bbreak(?:ing)?\s+character\b"
    ),
    "ai_policy": (
        r"\b(?:openai|anthropic|chatgpt'?s?|gpt'?s?)\s+(?:content\s+|usage\s+)?"
        r"(?:polic(?:y|ies)|guidelines|rules|filters?|restrictions)\b"
    ),
    "dual_response": r"\[(?:🔒|🔓)|🔓|\[(?:CLASSIC|JAILBREAK|JAILBROKEN)\]|\(🔓",
    "chat_markup": (
        r"<\|(?:im_start|im_end|system|endoftext|user|assistant)\|>|\[/?INST\]|<</?SYS>>"
    ),
    "other_customers_data": (
        rf"\b{_REVEAL}\s+(?:me\s+)?(?:the\s+)?(?:{_RECENT}\s+)?{_DATA}"
        rf"(?:\s*(?:,|and|or|&)\s*(?:the\s+)?{_DATA})*"
        rf"\s+(?:of|for|from|belonging to|(?:placed|made|bought|ordered)\s+by)\s+"
        rf"(?:{_OTHERS}|{_STRANGER}|{_BUYER})\b"
        rf"|\b{_REVEAL}\s+(?:me\s+)?(?:{_OTHERS}'?s?|(?:{_STRANGER})'s)\s+{_DATA}\b"
        # Asked without a verb to spot: "what is the address of the person who ordered #W1?"
        rf"|\b(?:what(?:'s|\s+is|\s+was|\s+are|\s+were)|who\s+is)\s+(?:the\s+)?{_DATA}\s+"
        rf"(?:of|for)\s+(?:{_STRANGER}|{_BUYER})\b"
        rf"|\bwhat\s+(?:did|does|has|have|was)\s+(?:{_STRANGER})\s+(?:\w+\s+)?"
        r"(?:order|ordered|buy|bought|purchase|purchased|get|ship|shipped)\b"
        r"|\bwho\s+(?:else\s+)?(?:ordered|bought|purchased|placed|owns|received)\s+"
        r"(?:(?:the|this|that)\s+)?(?:order\s+)?(?:#|no\.?\s*|number\s+)?[A-Z]{0,2}\d{3,}"
        r"|\bwho\s+else\s+(?:ordered|bought|purchased)\b"
    ),
}

WEAK: Mapping[str, str] = {
    "dan": r"(?-i:\bDAN\b)",  # a name too, and shoppers do write in capitals
    "new_instructions": rf"\b(?:new|updated|real|true|actual|override)\s+{_RULES}\s*:",
    "forget_before": (
        r"\b(?:ignore|disregard|forget)\s+(?:everything|all)\b[^.\n]{0,30}\b(?:before|above)\b"
    ),
    "no_restrictions": (
        r"\b(?:no|without|free (?:from|of)|not bound by|not restricted by|bypass(?:es|ing)?|"
        r"ignor(?:e|es|ing)|break(?:s|ing)? free of)\b[^.\n]{0,30}\b(?:restrictions|filters?|"
        r"censorship|limitations|guidelines|rules|ethics|morals|moral|ethical|safety)\b"
    ),
    "content_policy": r"\bcontent\s+polic(?:y|ies)\b",
    "jailbreak_word": r"\bjail\s?break(?:s|ed|ing)?\b",
    "mode": r"\b(?:developer|dev|god|debug|admin|sudo)\s+mode\b",
    "pretend": (
        r"\b(?:pretend|imagine|roleplay|role-play|act)\s+(?:to be|you are|that you are|as if you|"
        r"as an?)\b[^.\n]{0,60}\b(?:AI|model|assistant|chatbot|bot|GPT|"
        r"no (?:rules|restrictions|limits))\b"
    ),
    "you_are_now": (
        r"\byou\s+are\s+(?:now|no longer)\b[^.\n]{0,40}\b(?:AI|assistant|model|bot|GPT|free|"
        r"unrestricted|named|called)\b|\bfrom now on,?\s+you\s+(?:are|will|must|shall)\b"
    ),
    "amoral": (
        r"\b(?:amoral|unethical|immoral|unhinged|unfiltered|uncensored)\b[^.\n]{0,30}"
        r"\b(?:AI|assistant|model|chatbot|bot|responses?|answers?)\b"
    ),
    "two_answers": (
        r"\b(?:two|2)\s+(?:different\s+|separate\s+)?(?:responses|answers|paragraphs)\b"
        r"[^.\n]{0,60}\bone\b"
    ),
    "role_line": r"(?m)^\s*(?:system|assistant)\s*:",
    "admin_override": r"\b(?:system|admin|administrator|root|developer)\s+(?:override|command)\b",
    "other_customers": rf"\b{_OTHERS}'?s?\s+{_DATA}\b",
    "encoded_text": r"(?!)",  # set by the decoder below, never by a regex
}

_STRONG = {name: re.compile(p, re.IGNORECASE) for name, p in STRONG.items()}
_WEAK = {name: re.compile(p, re.IGNORECASE) for name, p in WEAK.items()}
WEAK_NAMES: tuple[str, ...] = tuple(WEAK)

_ZERO_WIDTH = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_SPACED = re.compile(r"\b(?:[A-Za-z][ .\-_]){3,}[A-Za-z]\b")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}[\s:]?){12,}")


@dataclass(frozen=True)
class PatternHits:
    """Names of the strong and weak patterns found (with a view prefix when decoded)."""

    strong: tuple[str, ...]
    weak: frozenset[str]

    def weak_vector(self) -> list[float]:
        """0/1 per weak pattern, in `WEAK_NAMES` order (the model's extra features)."""
        return [1.0 if name in self.weak else 0.0 for name in WEAK_NAMES]


def find_patterns(text: str) -> PatternHits:
    """Strong and weak injection patterns in `text` and in its decoded or de-obfuscated views."""
    strong: dict[str, str] = {}  # pattern name -> label (with the view it was found in)
    weak: set[str] = set()
    for view, content in _views(_window(text)):
        if view in ("text", "plain"):
            weak.update(name for name, pattern in _WEAK.items() if pattern.search(content))
        elif view in ("base64", "hex"):
            weak.add("encoded_text")  # readable words hidden in an encoding are suspect
        for name, pattern in _STRONG.items():
            if name not in strong and pattern.search(content):
                strong[name] = name if view == "text" else f"{view}:{name}"
        if strong and view == "text":
            break  # an outright attack: the obfuscated views cannot change the verdict
    return PatternHits(tuple(strong.values()), frozenset(weak))


def _window(text: str) -> str:
    if len(text) <= MAX_SCAN_CHARS:
        return text
    half = MAX_SCAN_CHARS // 2
    return f"{text[:half]}\n{text[-half:]}"


def _views(text: str) -> Iterator[tuple[str, str]]:
    yield "text", text
    plain = _plain(text)
    if plain != text:
        yield "plain", plain
    leet = plain.translate(_LEET)
    if leet != plain:
        yield "leet", leet
    yield "rot13", codecs.encode(plain, "rot13")
    yield from _decoded_payloads(text)


def _plain(text: str) -> str:
    # Compatibility forms fold full-width and styled letters; zero-width characters and
    # letter-by-letter spacing ("i g n o r e") are common ways to slip past patterns.
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    return _SPACED.sub(lambda m: re.sub(r"[ .\-_]", "", m.group(0)), text)


def _decoded_payloads(text: str) -> Iterator[tuple[str, str]]:
    for match in _BASE64.finditer(text):
        decoded = _readable(_b64decode(match.group(0)))
        if decoded:
            yield "base64", decoded
    for match in _HEX.finditer(text):
        try:
            raw = bytes.fromhex(re.sub(r"[\s:]", "", match.group(0)))
        except ValueError:
            continue
        decoded = _readable(raw)
        if decoded:
            yield "hex", decoded


def _b64decode(token: str) -> bytes:
    padded = token + "=" * (-len(token) % 4)
    try:
        if "-" in token or "_" in token:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return b""


def _readable(raw: bytes) -> str:
    """The decoded text when it reads as words (order numbers and hashes decode to noise)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in text)
    words = re.findall(r"[A-Za-z]{2,}", text)
    if len(text) < 8 or printable < 0.95 * len(text) or len(words) < 3 or " " not in text:
        return ""
    return text
