"""A tiny tokenizer shared by the address and name finders (linear, offsets kept)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["num", "word", "alnum", "nl", "punct"]

# Numbers may carry a letter or a range ("221B", "12-14"); words keep inner apostrophes and
# hyphens; any other run of letters and digits ("MH01", "NW1") is one alnum token.
_TOKEN_RE = re.compile(
    r"(?P<num>\d+(?:st|nd|rd|th|[A-Za-z]?(?:[\-/]\d+[A-Za-z]?)?)(?![^\W_]))"
    r"|(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*(?![^\W_]))"
    r"|(?P<alnum>[^\W_]+)"
    r"|(?P<nl>\n)"
    r"|(?P<punct>[^\w\s])"
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text, kind and character offsets (end exclusive)."""

    text: str
    kind: Kind
    start: int
    end: int

    @property
    def lower(self) -> str:
        """The token text in lower case."""
        return self.text.lower()

    @property
    def is_title(self) -> bool:
        """Whether the token starts with an upper-case letter."""
        return self.kind == "word" and self.text[0].isupper()

    @property
    def is_upper(self) -> bool:
        """Whether every letter of the token is upper case."""
        return self.kind == "word" and self.text.isupper()


def tokenize(text: str) -> list[Token]:
    """Split `text` into number, word, newline and punctuation tokens (spaces dropped)."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        tokens.append(Token(match.group(), kind, match.start(), match.end()))  # type: ignore[arg-type]
    return tokens


def is_caseless(text: str) -> bool:
    """True for all-lower or all-upper text, where capitalisation says nothing about names."""
    has_lower = any(c.islower() for c in text)
    has_upper = any(c.isupper() for c in text)
    return not (has_lower and has_upper)


def adjacent(left: Token, right: Token) -> bool:
    """Whether two tokens touch (no space between them)."""
    return left.end == right.start


def blocked_mask(tokens: Sequence[Token], taken: Sequence[tuple[int, int]]) -> list[bool]:
    """For each token, whether it overlaps a span in `taken` (linear in tokens + spans)."""
    mask = [False] * len(tokens)
    ends = [t.end for t in tokens]
    for start, end in taken:
        index = bisect_left(ends, start + 1)  # first token ending after `start`
        while index < len(tokens) and tokens[index].start < end:
            mask[index] = True
            index += 1
    return mask
