"""Word tests shared by the address finder's street cores and its extension step."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.guardrails.pii_tokens import Token
from app.guardrails.pii_vocab import (
    ABBREV_PREFIXES,
    AMBIGUOUS_PREFIXES,
    COMPOUND_ENDINGS,
    COMPOUND_EXCEPTIONS,
    CONNECTORS,
    MONTHS_AND_DAYS,
    PREFIX_TYPES,
    STANDALONE_TYPES,
    STOP_WORDS,
    STRONG_SUFFIXES,
    UNIT_AFTER_NUMBER,
    WEAK_SUFFIXES,
)

NUMBER_RE = re.compile(r"\d+")


@dataclass
class AddressText:
    """The tokens of one text and what the other finders already claimed."""

    tokens: Sequence[Token]
    caseless: bool
    blocked: Sequence[bool]  # token overlaps a span another finder already took

    def tok(self, index: int) -> Token | None:
        """Token at `index`, or None past either end or on a blocked token."""
        if 0 <= index < len(self.tokens) and not self.blocked[index]:
            return self.tokens[index]
        return None


def is_house_number(tok: Token | None) -> bool:
    """A number that can number a house: up to six digits, maybe a letter or a range."""
    if tok is None or tok.kind != "num" or tok.lower.endswith(("st", "nd", "rd", "th")):
        return False
    digits = NUMBER_RE.match(tok.text)
    return digits is not None and len(digits.group()) <= 6


def is_ordinal(tok: Token | None) -> bool:
    """'5th', '42nd' (street names such as '5th Avenue')."""
    return tok is not None and tok.kind == "num" and tok.lower.endswith(("st", "nd", "rd", "th"))


def is_name_word(ctx: AddressText, tok: Token | None, *, first: bool = False) -> bool:
    """A word that may be part of a street or place name."""
    if tok is None or tok.kind != "word":
        return False
    low = tok.lower
    if not first and low in CONNECTORS:
        return True
    if low in MONTHS_AND_DAYS or low in STOP_WORDS:
        return False
    return ctx.caseless or tok.text[0].isupper() or low.startswith(("d'", "l'", "d’", "l’"))


def suffix_kind(ctx: AddressText, tok: Token | None, *, after_name: bool = False) -> str | None:
    """'strong' / 'weak' for a street suffix; a lower-case one counts only after a name
    ("301 Fletcher court"), never on its own ("2 blue court shoes")."""
    if tok is None or tok.kind != "word":
        return None
    capitalised = ctx.caseless or tok.text[0].isupper()
    if tok.lower in STRONG_SUFFIXES and (capitalised or after_name):
        return "strong"
    if tok.lower in WEAK_SUFFIXES and capitalised:
        return "weak"
    return None


def is_prefix_type(ctx: AddressText, index: int) -> bool:
    """A street type written before the name ('Rua', 'Via', 'ul.'), case rules applied."""
    tok = ctx.tok(index)
    if tok is None or tok.kind != "word":
        return False
    if tok.lower in ABBREV_PREFIXES:
        nxt = ctx.tok(index + 1)
        undotted = tok.is_title and len(tok.text) > 1 and nxt is not None and nxt.is_title
        return skip_abbrev_dot(ctx, index) == index + 2 or undotted  # "Av Camila Sousa, 76"
    if tok.lower not in PREFIX_TYPES:
        return False
    if ctx.caseless or tok.lower not in AMBIGUOUS_PREFIXES or tok.text[0].isupper():
        return True
    # "avenue Beguin 9", "9, boulevard Gauthier": lower case is fine next to a house number
    # or before a capitalised (not all-caps: "via UPS") name.
    nxt = ctx.tok(index + 1)
    before = ctx.tok(index - 2 if is_comma(ctx.tok(index - 1)) else index - 1)
    return is_house_number(before) or (
        nxt is not None and nxt.is_title and not nxt.is_upper and len(nxt.text) > 1
    )


def is_compound_street(ctx: AddressText, index: int) -> bool:
    """A one-word street name with a street ending ('Harjukuja', 'Hauptstr.')."""
    tok = ctx.tok(index)
    if tok is None or tok.kind != "word" or not (ctx.caseless or tok.text[0].isupper()):
        return False
    low = tok.lower
    if low in COMPOUND_EXCEPTIONS:
        return False
    if low.endswith("str") and len(low) > 5 and skip_abbrev_dot(ctx, index) == index + 2:
        return True  # "Hauptstr. 5"
    if not low.endswith(COMPOUND_ENDINGS):  # one C-level check before the exact ending
        return False
    return any(low.endswith(e) and len(low) >= len(e) + 3 for e in COMPOUND_ENDINGS)


def is_quantity(ctx: AddressText, index: int) -> bool:
    """Whether the number at `index` is followed by a unit ("3 days", "10 am", "20%")."""
    nxt = ctx.tok(index + 1)
    if nxt is None:
        return False
    if nxt.text in {"%", ":"} and nxt.start == ctx.tokens[index].end:
        return True
    if nxt.text in {"N", "S", "E", "W"}:  # "500 W 2nd St" is west, not 500 watts
        after = ctx.tok(index + 2)
        return not (after is not None and (after.is_title or is_ordinal(after)))
    return nxt.kind == "word" and nxt.lower in UNIT_AFTER_NUMBER


def is_money_or_id(ctx: AddressText, index: int) -> bool:
    """Whether the number at `index` is a price, an id (#123) or a decimal part."""
    prev = ctx.tok(index - 1)
    return (
        prev is not None
        and prev.text in {"$", "€", "£", "#", ".", ",", "/", "-", "+"}
        and (prev.end == ctx.tokens[index].start)
    )


def skip_abbrev_dot(ctx: AddressText, index: int) -> int:
    """Index just past the word at `index`, including an attached abbreviation dot."""
    dot = ctx.tok(index + 1)
    if dot is not None and dot.text == "." and dot.start == ctx.tokens[index].end:
        return index + 2
    return index + 1


def is_comma(tok: Token | None) -> bool:
    """Whether `tok` is a comma."""
    return tok is not None and tok.text == ","


def is_lower_word(tok: Token | None) -> bool:
    """A lower-case word that is not an English function word ('rue des lieutenants')."""
    return tok is not None and tok.kind == "word" and tok.lower not in STOP_WORDS


def is_street_word(ctx: AddressText, index: int, *, loose: bool) -> bool:
    """Any street-type word; weak suffixes ('Lodge') only when `loose`."""
    tok = ctx.tokens[index]
    suffix = suffix_kind(ctx, tok)
    return bool(
        suffix == "strong"
        or (suffix == "weak" and loose)
        or is_prefix_type(ctx, index)
        or is_compound_street(ctx, index)
        or tok.lower in STANDALONE_TYPES
    )
