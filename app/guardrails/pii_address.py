"""Postal-address finder: street-line cores, cue phrases, then unit/city/state/postcode lines.

A core is a street line we can recognise on its own:
- "<number> <Name...> <suffix>" (US/UK: "1234 Elm Street", "221B Baker Street");
- "<prefix type> <Name...> <number>" (Romance/Slavic: "Rua Igreja 25", "ul. Zakrzowska 92");
- "<Name><compound ending> <number>" or "<Name> <type word> <number>" ("Harjukuja 54",
  "Koepenicker Str. 74");
- "<number> <Name...> <number>" (a building number before a European street, lower score);
- PO boxes and US military addresses ("PSC 7951, Box 9972, APO AA 69974").
A cue phrase ("my address is", "ship it to", "lives at") also opens a street line whose type we
may not know ("Kuusiku 7"), as long as it holds a house number or a street word.
Each core is then extended backwards over a building number or unit and forwards over unit,
city, state, postcode and country parts separated by commas, spaces or line breaks.
Everything walks a token list once, so the cost is linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.guardrails.pii_address_parts import extend, extend_back
from app.guardrails.pii_address_words import (
    NUMBER_RE,
    AddressText,
    is_comma,
    is_compound_street,
    is_house_number,
    is_lower_word,
    is_money_or_id,
    is_name_word,
    is_ordinal,
    is_prefix_type,
    is_quantity,
    is_street_word,
    skip_abbrev_dot,
    suffix_kind,
)
from app.guardrails.pii_tokens import Token, blocked_mask, is_caseless, tokenize
from app.guardrails.pii_vocab import (
    AMBIGUOUS_PREFIXES,
    COMPOUND_ENDINGS,
    COMPOUND_EXCEPTIONS,
    CONNECTORS,
    DIRECTIONS,
    MONTHS_AND_DAYS,
    PRODUCT_NOUNS,
    STANDALONE_TYPES,
    STOP_WORDS,
    UNIT_WORDS,
)

ADDRESS_CUE_RE = re.compile(
    r"(?:\baddress(?:es)?\b(?:\s+(?:is|was|to|as|with|of\s+\S+\s+is|are))?"
    r"(?:\s+(?:now|still|here))?\s*[:\-?]?(?:\s*(?:it\s+is|it's|they\s+are:?))?"
    r"|\b(?:live[sd]?|living|reside[sd]?|located|situated|based)\s+(?:at|on|in)"
    r"|\b(?:is|are|was|were)\s+(?:at|on)"
    r"|\b(?:ship|send|deliver|mail|post|return|forward|dispatch|bring|take|drive|redirect|"
    r"move|sent|moved|go|come|taxi|walk)(?:ped|ed|ing|s)?\s+(?:\S+\s+){0,3}?to"
    r"|\b(?:meet|meeting|stop|off|arrived?|pick\s+up|collect)\s+(?:\S+\s+)?at"
    r"|\b(?:corner|side|end)\s+of|\benter\s+on|\bhere\s+they\s+are:)",
    re.IGNORECASE,
)
POBOX_RE = re.compile(
    r"(?<![\w.])(?:p\.?\s?o\.?\s?box|post\s+office\s+box|postfach|apartado(?:\s+de\s+correos)?|"
    r"caixa\s+postal|casilla|boîte\s+postale)\s*(?:no\.?\s*)?#?\s*\d{1,6}(?!\w)",
    re.IGNORECASE,
)
MILITARY_RE = re.compile(
    r"(?<![\w.])(?:(?:psc|cmr|unit)\s+\d{1,5},?\s+box\s+\d{1,5}"
    r"|(?:usns|usnv|uss|uscgc)\s+[^\W\d_]+(?:[ \t]+[^\W\d_]+)?)"
    r"(?:[ \t]*,?[ \t]*\n?[ \t]*[adf]po[ \t]+a[aep][ \t]+\d{5}(?:-\d{4})?)(?!\w)",
    re.IGNORECASE,
)
# Spelled-out street types that make a street name even without a house number.
NAMED_STREET_TYPES = frozenset({"Street", "Road", "Avenue", "Boulevard", "Lane", "Strasse"})


def find_addresses(
    text: str, tokens: Sequence[Token] | None = None, taken: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int, float]]:
    """Character spans (start, end, score) of postal addresses, merged where they overlap."""
    toks = tokens if tokens is not None else tokenize(text)
    blocked = blocked_mask(toks, taken)
    ctx = AddressText(toks, is_caseless(text), blocked)
    cores = _street_cores(ctx) + _regex_cores(text, ctx) + _cued_cores(text, ctx)
    spans: list[tuple[int, int, float]] = []
    for first, last, score in cores:
        first = extend_back(ctx, first)
        last = extend(ctx, last)
        spans.append((toks[first].start, toks[last - 1].end, score))
    return _merge(spans)


# ------------------------------------------------------------------ street cores


def _street_cores(ctx: AddressText) -> list[tuple[int, int, float]]:
    """Token ranges [first, last) of street lines recognised by their shape."""
    cores: list[tuple[int, int, float]] = []
    for index in range(len(ctx.tokens)):
        core = (
            _number_first(ctx, index)
            or _prefix_first(ctx, index)
            or _name_then_number(ctx, index)
            or _named_street(ctx, index)
        )
        if core is not None and not _names_a_product(ctx, core[0], core[1]):
            cores.append(core)
    return cores


def _names_a_product(ctx: AddressText, first: int, end: int) -> bool:
    """'2 Kenobi Trail Jacket', '12 Apple Watch Series 4': a product name, not a street."""
    nxt = ctx.tok(end)
    words = [t for t in ctx.tokens[first:end] if t.kind == "word"]
    if nxt is not None and nxt.kind == "word" and nxt.lower in PRODUCT_NOUNS:
        return True
    return any(w.lower in PRODUCT_NOUNS for w in words)


def _number_first(ctx: AddressText, index: int) -> tuple[int, int, float] | None:
    """'<number> <Name...> <suffix>' or '<number> <Name...> <number>'."""
    tok = ctx.tok(index)
    if not is_house_number(tok) or is_money_or_id(ctx, index) or is_quantity(ctx, index):
        return None
    names, k = 0, index + 1
    while k < len(ctx.tokens) and names <= 4:
        cur = ctx.tok(k)
        prev = ctx.tokens[k - 1]
        after_name = names > 0 and (prev.is_title or (prev.text == "." and k >= 2))
        kind = suffix_kind(ctx, cur, after_name=after_name) if names else None
        if kind and _suffix_fits(ctx, k) and (kind == "strong" or _weak_street_ok(ctx, index, k)):
            return index, skip_abbrev_dot(ctx, k), 0.9
        if names and is_house_number(cur) and not is_quantity(ctx, k):
            return _number_name_number(ctx, index, k)
        if is_ordinal(cur) or is_name_word(ctx, cur, first=names == 0):
            names, k = names + 1, skip_abbrev_dot(ctx, k)
            continue
        return None
    return None


def _weak_street_ok(ctx: AddressText, number: int, suffix: int) -> bool:
    """'2 Golf Club' is a product: a weak suffix needs a 2+ digit number or more address."""
    digits = NUMBER_RE.match(ctx.tokens[number].text)
    if digits is not None and len(digits.group()) >= 2:
        return True
    nxt = ctx.tok(skip_abbrev_dot(ctx, suffix))
    return nxt is not None and (nxt.kind == "nl" or nxt.text == "," or nxt.lower in UNIT_WORDS)


def _suffix_fits(ctx: AddressText, index: int) -> bool:
    """A weak suffix ("Park") must end the street line; a strong one ("Street") always fits."""
    if suffix_kind(ctx, ctx.tok(index)) == "strong":
        return True
    nxt = ctx.tok(skip_abbrev_dot(ctx, index))
    if nxt is None or nxt.kind in {"nl", "punct", "num", "alnum"}:
        return True
    return not nxt.text[0].isupper() or nxt.lower in DIRECTIONS or nxt.lower in UNIT_WORDS


def _number_name_number(ctx: AddressText, first: int, second: int) -> tuple[int, int, float] | None:
    """'22829 Jagerij 64': a building number, capitalised words, a house number."""
    words = [t for t in ctx.tokens[first + 1 : second] if t.kind == "word"]
    if len(NUMBER_RE.match(ctx.tokens[first].text).group()) < 2:  # type: ignore[union-attr]
        return None  # "2 Nike Air Jordan 1" is a quantity and a model
    if len(words) > 3 or not all(w.text[0].isupper() or ctx.caseless for w in words):
        return None
    if not ctx.caseless and any(w.is_upper and len(w.text) > 1 for w in words):
        return None  # "DELL XPS 13": brands and models are written in capitals
    if any(w.lower in UNIT_WORDS or w.lower in MONTHS_AND_DAYS for w in words):
        return None
    return first, second + 1, 0.6


def _prefix_first(ctx: AddressText, index: int) -> tuple[int, int, float] | None:
    """'Rua Igreja 25', 'ul. Zakrzowska 92', 'C/ Señores Curas 88'; also '12 rue de la Paix'."""
    tok = ctx.tok(index)
    slash = ctx.tok(index + 1)
    is_calle = tok is not None and tok.text in {"C", "c"} and slash is not None
    if is_calle and slash is not None and slash.text == "/":
        k = index + 2
    elif is_prefix_type(ctx, index):
        k = skip_abbrev_dot(ctx, index)
    else:
        return None
    lenient = tok is not None and tok.lower not in AMBIGUOUS_PREFIXES
    names = 0
    while k < len(ctx.tokens) and names <= 5:
        cur = ctx.tok(k)
        if names and is_house_number(cur) and not is_quantity(ctx, k):
            return index, k + 1, 0.9
        number_end = _number_after_mark(ctx, k) if names else None
        if number_end is not None:
            return index, number_end, 0.85  # "Avenida Paulista, 1578", "Jl. Joyoboyo No. 82"
        if not (is_name_word(ctx, cur) or (lenient and is_lower_word(cur))):
            break
        names, k = names + 1, skip_abbrev_dot(ctx, k)
    number = index - 2 if is_comma(ctx.tok(index - 1)) else index - 1
    if names and is_house_number(ctx.tok(number)) and not is_quantity(ctx, number):
        return number, _trim_to_title(ctx, index, k), 0.8  # "12 rue de la Paix", "9, rue X"
    return None


def _number_after_mark(ctx: AddressText, index: int) -> int | None:
    """End of ', 1578' / 'No. 82' / ', S/N' at `index` (a house number after a mark)."""
    cur = ctx.tok(index)
    if cur is None:
        return None
    if cur.text == ",":
        k = index + 1
    elif cur.lower in {"no", "nº", "n"}:
        k = skip_abbrev_dot(ctx, index)
    else:
        return None
    value = ctx.tok(k)
    if is_house_number(value) and not is_quantity(ctx, k):
        return k + 1
    marks = [t.lower if t is not None else "" for t in (value, ctx.tok(k + 1), ctx.tok(k + 2))]
    return k + 3 if marks == ["s", "/", "n"] else None  # "s/n": sin número, sem número


def _comma_then_number(ctx: AddressText, index: int) -> bool:
    cur = ctx.tok(index)
    if cur is None or cur.text != "," or not is_house_number(ctx.tok(index + 1)):
        return False
    return not is_quantity(ctx, index + 1)


def _trim_to_title(ctx: AddressText, first: int, end: int) -> int:
    """Drop trailing connectors so '12 rue de la Paix et' ends after 'Paix'."""
    while end - 1 > first and ctx.tokens[end - 1].lower in CONNECTORS:
        end -= 1
    return end


def _name_then_number(ctx: AddressText, index: int) -> tuple[int, int, float] | None:
    """'Harjukuja 54', 'Koepenicker Str. 74', 'Erzsébet tér 19' (the core starts at `index`)."""
    tok = ctx.tok(index)
    if tok is None or tok.kind != "word":
        return None
    if is_compound_street(ctx, index):
        after = skip_abbrev_dot(ctx, index)
        if is_house_number(ctx.tok(after)) and not is_quantity(ctx, after):
            return index, after + 1, 0.85
        return None
    if not is_name_word(ctx, tok, first=True):
        return None
    nxt = ctx.tok(index + 1)
    if nxt is not None and nxt.kind == "word" and nxt.text.islower() and tok.is_title:
        low = nxt.lower
        if low.endswith(COMPOUND_ENDINGS) and low not in COMPOUND_EXCEPTIONS and len(low) > 6:
            after = index + 2
            if is_house_number(ctx.tok(after)) and not is_quantity(ctx, after):
                return index, after + 1, 0.8  # "Haagan pappilankatu 3"
    k, names = index + 1, 1
    while k < len(ctx.tokens) and names <= 3:
        cur = ctx.tok(k)
        if cur is not None and cur.kind == "word" and cur.lower in STANDALONE_TYPES:
            after = skip_abbrev_dot(ctx, k)
            if is_house_number(ctx.tok(after)) and not is_quantity(ctx, after):
                return index, after + 1, 0.85
            return None
        if cur is None or cur.kind != "word" or cur.lower in STOP_WORDS:
            return None
        names, k = names + 1, k + 1
    return None


def _named_street(ctx: AddressText, index: int) -> tuple[int, int, float] | None:
    """'Baker Street', 'Isaac Lodge Street': capitalised words before a spelled-out type."""
    if ctx.caseless or is_house_number(ctx.tok(index - 1)):
        return None
    k = index
    while k < len(ctx.tokens) and k - index < 3:
        cur = ctx.tok(k)
        if not is_name_word(ctx, cur, first=True) or cur is None or not cur.text[0].isupper():
            return None
        nxt = ctx.tok(k + 1)
        if nxt is not None and nxt.text in NAMED_STREET_TYPES:
            after = ctx.tok(k + 2)
            if after is not None and after.is_title and after.lower not in DIRECTIONS:
                return None  # "Mach Street Sweatshirt", "Wall Street Journal"
            return index, k + 2, 0.5
        k += 1
    return None


# ------------------------------------------------------------------ regex and cue cores


def _token_index_at(ctx: AddressText, char_pos: int) -> int:
    """Index of the first token that starts at or after `char_pos`."""
    for index, tok in enumerate(ctx.tokens):
        if tok.start >= char_pos:
            return index
    return len(ctx.tokens)


def _regex_cores(text: str, ctx: AddressText) -> list[tuple[int, int, float]]:
    """PO boxes and military addresses, which regexes describe exactly."""
    cores: list[tuple[int, int, float]] = []
    for pattern in (POBOX_RE, MILITARY_RE):
        for match in pattern.finditer(text):
            first = _token_index_at(ctx, match.start())
            last = _token_index_at(ctx, match.end())
            if first < last and not any(ctx.blocked[first:last]):
                cores.append((first, last, 0.9))
    return cores


def _cued_cores(text: str, ctx: AddressText) -> list[tuple[int, int, float]]:
    """Street lines right after an address cue ('my address is', 'ship it to', 'lives at')."""
    cores: list[tuple[int, int, float]] = []
    for match in ADDRESS_CUE_RE.finditer(text):
        first = _token_index_at(ctx, match.end())
        loose = any(w in match.group().lower() for w in ("address", "corner", "side", "live"))
        last = _street_line(ctx, first, loose=loose)
        if last is None:
            continue
        joiner = ctx.tok(last)
        if joiner is not None and joiner.lower in {"and", "&"}:
            second = _street_line(ctx, last + 1, loose=True)
            last = second if second is not None else last
        cores.append((first, last, 0.7))
    return cores


def _street_line(ctx: AddressText, first: int, *, loose: bool) -> int | None:
    """End of an address-like run of words and numbers starting at `first`, if it is one.

    It needs a house number or a street word; a weak one ("Lodge", "Village") only counts
    after an explicit address cue (`loose`), not after "returned to".
    """
    k, has_number, has_type, names = first, False, False, 0
    while k < len(ctx.tokens) and k - first < 10:
        cur = ctx.tok(k)
        if is_house_number(cur):
            if is_quantity(ctx, k) or is_money_or_id(ctx, k):
                return None
            has_number, k = True, k + 1
        elif (
            cur is not None
            and cur.kind == "word"
            and (
                is_name_word(ctx, cur)
                or is_lower_word(cur)  # shoppers type "12 elm street" in lower case
                or is_street_word(ctx, k, loose=True)
                or cur.lower in UNIT_WORDS
            )
        ):
            has_type = has_type or is_street_word(ctx, k, loose=loose)
            names, k = names + 1, skip_abbrev_dot(ctx, k)
        elif cur is not None and cur.kind == "punct" and cur.text in {"/", "-", "'"}:
            k += 1
        else:
            break
    if names == 0 or not (has_number or has_type):
        return None
    return _trim_to_title(ctx, first, k)


def _merge(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Union of overlapping spans, keeping the best score."""
    merged: list[tuple[int, int, float]] = []
    for start, end, score in sorted(spans):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_score = merged[-1]
            merged[-1] = (last_start, max(last_end, end), max(last_score, score))
        else:
            merged.append((start, end, score))
    return merged
