"""Address extension: the unit, city, state, postcode and country parts around a street line."""

from __future__ import annotations

import re

from app.guardrails.pii_address_words import (
    AddressText,
    is_house_number,
    is_money_or_id,
    is_name_word,
    is_quantity,
    skip_abbrev_dot,
)
from app.guardrails.pii_tokens import Token
from app.guardrails.pii_vocab import CONNECTORS, DIRECTIONS, NOT_PLACE, UNIT_WORDS

EIRCODE_KEY_RE = re.compile(r"[AC-FHKNPRTV-Y]\d{2}|D6W")
EIRCODE_ID_RE = re.compile(r"[0-9AC-FHKNPRTV-Y]{4}")
# Codes written without their space: NL "5819JR", CA "P6A3T2", IE "D02X285", UK "SW1A1AA".
JOINED_POSTCODE_RE = re.compile(
    r"\d{4}[A-Z]{2}|[A-Z]\d[A-Z]\d[A-Z]\d|(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[0-9AC-FHKNPRTV-Y]{4}"
    r"|[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}"
)
UK_POSTCODE_OUT_RE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?")
UK_POSTCODE_IN_RE = re.compile(r"\d[A-Z]{2}")
CA_POSTCODE_RE = re.compile(r"[A-Z]\d[A-Z]")
CA_POSTCODE_IN_RE = re.compile(r"\d[A-Z]\d")
# Marks that quote or bullet a line in e-mails and chats ("> ", "??? ", "* ").
LINE_MARKS = frozenset({">", "|", "?", "*", "-", "•", "#"})


def extend_back(ctx: AddressText, first: int) -> int:
    """Take in a building number or unit written before the street ('Flat 3, 14 Abbey Road')."""
    for _ in range(2):
        k = first - 1
        prev = ctx.tok(k)
        if prev is not None and prev.text == ",":
            k -= 1
            prev = ctx.tok(k)
            unit_start = _unit_before(ctx, k) if is_house_number(prev) else None
            if unit_start is not None:
                first = unit_start
            break
        if prev is None or prev.kind == "nl":
            break
        if is_house_number(prev) and not is_money_or_id(ctx, k):
            unit_start = _unit_before(ctx, k)
            first = unit_start if unit_start is not None else k
            continue
        break
    return first


def _unit_before(ctx: AddressText, num_index: int) -> int | None:
    """Start of 'Apt. ' / 'Suite ' when it precedes the number at `num_index`."""
    k = num_index - 1
    prev = ctx.tok(k)
    if prev is not None and prev.text == ".":
        k -= 1
        prev = ctx.tok(k)
    if prev is not None and prev.kind == "word" and prev.lower in UNIT_WORDS:
        return k
    return None


def extend(ctx: AddressText, last: int) -> int:
    """Grow a street line over unit, city, state, postcode and country parts."""
    end, previous = last, "street"
    for _ in range(8):
        start, separator = _separator(ctx, end)
        if separator == "stop":
            break
        step = _component(ctx, start, separator, previous)
        if step is None:
            break
        end, previous = step
    return end


def _separator(ctx: AddressText, index: int) -> tuple[int, str]:
    """Skip ', ' / line breaks / quote marks; say which kind of gap it was."""
    k, kind, breaks = index, "space", 0
    while k < len(ctx.tokens):
        cur = ctx.tok(k)
        if cur is None:
            return k, "stop"
        if cur.text == ",":
            kind = "comma" if kind == "space" else kind
        elif cur.kind == "nl":
            breaks += 1
            kind = "line"
            if breaks > 2:
                return k, "stop"
        elif not (
            (cur.text in LINE_MARKS and kind == "line")
            or (cur.text == "." and _next_is_break(ctx, k))
        ):
            break
        k += 1
    return k, kind


def _next_is_break(ctx: AddressText, index: int) -> bool:
    nxt = ctx.tok(index + 1)
    return nxt is not None and nxt.kind == "nl"


def _component(ctx: AddressText, k: int, separator: str, previous: str) -> tuple[int, str] | None:
    """One address part at token `k`: (end index, part kind), or None."""
    unit = _unit(ctx, k)
    if unit is not None:
        return unit, "unit"
    postal = _postal(ctx, k)
    if postal is not None and (separator != "space" or previous in {"place", "state", "street"}):
        return postal, "postal"
    tok = ctx.tok(k)
    if tok is None or tok.kind != "word":
        return None
    if separator == "space" and previous == "street" and tok.lower in DIRECTIONS and tok.is_title:
        return skip_abbrev_dot(ctx, k), "street"
    if _is_state(ctx, tok) and (separator != "space" or previous == "place"):
        return k + 1, "state"
    if separator == "space" and previous not in {"unit", "postal"}:
        return None
    place = _place(ctx, k)
    if place is None or (separator == "line" and not _ends_line(ctx, place)):
        return None
    return place, "place"


def _unit(ctx: AddressText, k: int) -> int | None:
    tok = ctx.tok(k)
    if tok is None or not (tok.lower in UNIT_WORDS or tok.text == "#"):
        return None
    if tok.kind == "word" and not (ctx.caseless or tok.text[0].isupper() or tok.lower == "apt"):
        return None
    j = skip_abbrev_dot(ctx, k) if tok.kind == "word" else k + 1
    mark = ctx.tok(j)
    if mark is not None and mark.text == "#":
        j += 1
    value = ctx.tok(j)
    if value is None:
        return None
    short_letter = value.kind == "word" and len(value.text) <= 2 and value.text.isupper()
    if value.kind not in {"num", "alnum"} and not short_letter:
        return None
    return j + 1


def _postal(ctx: AddressText, k: int) -> int | None:
    """US/EU numeric codes ('62704', '75534-030', '340 12', '7412 SL'), UK and Canadian codes."""
    tok = ctx.tok(k)
    if tok is None:
        return None
    nxt = ctx.tok(k + 1)
    if tok.kind == "num" and 3 <= len(tok.text.replace("-", "")) <= 10 and tok.text[0].isdigit():
        if tok.lower.endswith(("st", "nd", "rd", "th")) or is_quantity(ctx, k):
            return None
        if nxt is not None and nxt.kind == "num" and len(nxt.text) in {2, 3}:
            return k + 2
        if nxt is not None and nxt.kind == "word" and len(nxt.text) == 2 and nxt.text.isupper():
            return k + 2
        return k + 1
    text = tok.text.upper() if ctx.caseless else tok.text
    nxt_text = "" if nxt is None else (nxt.text.upper() if ctx.caseless else nxt.text)
    if UK_POSTCODE_OUT_RE.fullmatch(text) and UK_POSTCODE_IN_RE.fullmatch(nxt_text):
        return k + 2
    if CA_POSTCODE_RE.fullmatch(text) and CA_POSTCODE_IN_RE.fullmatch(nxt_text):
        return k + 2
    if EIRCODE_KEY_RE.fullmatch(text) and EIRCODE_ID_RE.fullmatch(nxt_text):
        return k + 2
    if tok.kind == "alnum" and JOINED_POSTCODE_RE.fullmatch(text):
        return k + 1
    return _prefixed_postal(ctx, k)


def _prefixed_postal(ctx: AddressText, k: int) -> int | None:
    """'H-7613', 'D-10115', 'CH-8000': a country letter code joined to a numeric code."""
    tok, dash, number = ctx.tok(k), ctx.tok(k + 1), ctx.tok(k + 2)
    if tok is None or dash is None or number is None or dash.text != "-":
        return None
    joined = tok.end == dash.start and dash.end == number.start
    if joined and tok.is_upper and len(tok.text) <= 2 and number.kind == "num":
        return k + 3 if 4 <= len(number.text) <= 5 else None
    return None


def _is_state(ctx: AddressText, tok: Token) -> bool:
    if len(tok.text) not in {2, 3} or tok.lower in NOT_PLACE:
        return False
    return tok.text.isupper() or ctx.caseless


def _place(ctx: AddressText, k: int) -> int | None:
    """A city or country name: 1-4 capitalised words, optional '(...)' after."""
    first = ctx.tok(k)
    if first is None or first.kind != "word" or first.lower in NOT_PLACE:
        return None
    if not is_name_word(ctx, first, first=True):
        return None
    j, words = _abbrev_in_place(ctx, k), 1
    while words < 5:
        cur = ctx.tok(j)
        if cur is None or cur.kind != "word" or not is_name_word(ctx, cur):
            break
        j, words = _abbrev_in_place(ctx, j), words + 1
    while j - 1 > k and ctx.tokens[j - 1].lower in CONNECTORS:
        j -= 1
    paren = ctx.tok(j)
    if paren is not None and paren.text == "(":
        close = next(
            (i for i in range(j + 1, min(j + 5, len(ctx.tokens))) if ctx.tokens[i].text == ")"),
            None,
        )
        if close is not None:
            j = close + 1
    return j


def _abbrev_in_place(ctx: AddressText, index: int) -> int:
    """Index after the word at `index`, past the dot of 'St.' / 'Mt.' inside a place name."""
    tok = ctx.tokens[index]
    after = skip_abbrev_dot(ctx, index)
    if after == index + 2 and len(tok.text) <= 3 and is_name_word(ctx, ctx.tok(after)):
        return after
    return index + 1


def _ends_line(ctx: AddressText, index: int) -> bool:
    """Whether a place ending at `index` is followed by a line end, comma, state or postcode."""
    nxt = ctx.tok(index)
    if nxt is None or nxt.kind == "nl" or nxt.text in {",", ".", ";"}:
        return True
    return _postal(ctx, index) is not None or (nxt.kind == "word" and _is_state(ctx, nxt))
