"""Small lexical toolkit for the extractive backend: words, stems, sentences and numbers."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")
_MONEY = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MARKER = re.compile(r"\[\d+\]|\^\d+")
# Within a line, a sentence ends at . ! ? followed by space and a capital/digit/quote/bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*$•])")


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` (keeps long word lists readable)."""
    return frozenset(text.split())


STOPWORDS = word_set(
    """a an the and or but if of to in on at by for from with without about into over under
    is are was were be been being am do does did done doing have has had having will would
    shall should can could may might must i me my mine we us our ours you your yours he him his
    she her it its they them their this that these those there here what which who whom whose
    when where why how any some all each every no not nor only own same so than too very just
    also please tell know want like need get got hi hello hey thanks thank one ones as
    take takes use come comes go goes make makes let see say"""
)

# Words that say "shop" rather than "what": weak evidence that a chunk is relevant.
GENERIC = word_set(
    "sell buy purchase product item thing store shop offer carry find look order much many ok okay"
)

# Synonyms mapped onto one canonical stem so "cost" finds "Price:" and "colour" finds "color".
_CANONICAL = {
    "cost": "price",
    "pric": "price",
    "expensiv": "price",
    "cheap": "price",
    "charg": "price",
    "colour": "color",
    "deliveri": "ship",
    "deliver": "ship",
    "shipment": "ship",
    "postag": "ship",
    "refund": "return",
    "exchang": "return",
    "guarante": "warranti",
    "availabl": "avail",
    "availabiliti": "avail",
    "instock": "avail",
    "stock": "avail",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem, mapped to a canonical synonym where one is known."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "i"
    elif len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 6 and w.endswith("ly"):  # internationally -> international
        w = w[:-2]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            # shipp -> ship, but keep double l/s (sell, dress) that belong to the word.
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
                w = w[:-1]
            break
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return _CANONICAL.get(w, w)


def words(text: str) -> list[str]:
    """Lower-cased alphanumeric words of `text`."""
    return _WORD.findall(text.lower())


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (stopwords and one-letter words dropped)."""
    return [stem(w) for w in words(text) if len(w) > 1 and w not in STOPWORDS]


def stem_set(text: str) -> frozenset[str]:
    """Every stem of `text`, plus `price` when the text names an amount of money."""
    stems = {stem(w) for w in words(text)}
    if _MONEY.search(text):
        stems.add("price")
    return frozenset(stems)


def states_money(text: str) -> bool:
    """Whether `text` names an amount of money ("$16")."""
    return _MONEY.search(text) is not None


def sentences(text: str) -> list[str]:
    """Split chunk text into sentences (and lines), keeping each one verbatim."""
    return [
        part.strip()
        for line in text.splitlines()
        for part in _SENTENCE_END.split(line)
        if part and not part.isspace()
    ]


def strip_markers(text: str) -> str:
    """Text without its citation markers ([1], ^1)."""
    return _MARKER.sub("", text)


def numbers(text: str) -> list[str]:
    """Every number written in `text` (citation markers excluded), thousands separators removed."""
    return [n.replace(",", "") for n in _NUMBER.findall(strip_markers(text))]


def ungrounded_numbers(answer: str, sources: list[str]) -> list[str]:
    """Numbers in `answer` that no source text contains."""
    known = {n for source in sources for n in numbers(source)}
    return [n for n in numbers(answer) if n not in known]
