"""Finders for PII with a fixed shape: e-mail, payment card, IBAN, SSN, IP address, phone.

Each finder returns (start, end, score) character spans and skips what an earlier finder took.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from app.guardrails.pii_patterns import (
    CARD_CANDIDATE_RE,
    CARD_CUE_RE,
    DATE_LIKE_RE,
    EMAIL_RE,
    IBAN_LENGTHS,
    IBAN_START_RE,
    IPV4_RE,
    IPV6_CANDIDATE_RE,
    NANP_RE,
    NOT_PII_NUMBER_CUE_RE,
    PHONE_CANDIDATE_RE,
    PHONE_CUE_AFTER_RE,
    PHONE_CUE_BEFORE_RE,
    PHONE_EXTENSION_RE,
    PHONE_GROUPS_RE,
    SSN_BARE_RE,
    SSN_CUE_RE,
    SSN_RE,
    VERSION_CUE_RE,
    iban_valid,
    luhn_valid,
)

Found = tuple[int, int, float]
_NON_DIGIT_RE = re.compile(r"\D")
_CUE_WINDOW = 40


def overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    """Whether [start, end) intersects any span in `taken`."""
    return any(s < end and start < e for s, e in taken)


def _before(text: str, start: int) -> str:
    return text[max(0, start - _CUE_WINDOW) : start]


def find_emails(text: str, taken: Sequence[tuple[int, int]]) -> list[Found]:
    """E-mail addresses (local part, @, dotted domain with an alphabetic TLD)."""
    return [
        (m.start(), m.end(), 1.0)
        for m in EMAIL_RE.finditer(text)
        if not overlaps(m.start(), m.end(), taken)
    ]


def find_ibans(text: str, taken: Sequence[tuple[int, int]]) -> list[Found]:
    """IBANs of a known country and length, spaced or not, with a valid mod-97 check."""
    found: list[Found] = []
    for match in IBAN_START_RE.finditer(text):
        length = IBAN_LENGTHS.get(match.group(1).upper())
        if length is None:
            continue
        end = _read_iban(text, match.start(), length)
        if end is None or overlaps(match.start(), end, taken):
            continue
        if iban_valid(text[match.start() : end]):
            found.append((match.start(), end, 1.0))
    return found


def _read_iban(text: str, start: int, length: int) -> int | None:
    """End offset after `length` alphanumerics (single spaces allowed between), or None."""
    count, pos = 0, start
    while pos < len(text) and count < length:
        char = text[pos]
        if char.isascii() and char.isalnum():
            count += 1
        elif not (char == " " and count >= 4 and pos + 1 < len(text) and text[pos + 1] != " "):
            return None
        pos += 1
    if count < length or (pos < len(text) and text[pos].isalnum()):
        return None
    return pos


def find_cards(text: str, taken: Sequence[tuple[int, int]]) -> list[Found]:
    """Payment card numbers: 12-19 digits, Luhn-valid, usual grouping, issuer digit 1-6."""
    found: list[Found] = []
    for match in CARD_CANDIDATE_RE.finditer(text):
        raw = match.group()
        digits = _NON_DIGIT_RE.sub("", raw)
        if digits[0] not in "123456" or not luhn_valid(digits):
            continue
        if overlaps(match.start(), match.end(), taken) or not _card_grouping_ok(raw):
            continue
        before = _before(text, match.start())
        cued = CARD_CUE_RE.search(before) is not None
        grouped = len(digits) != len(raw)
        if not cued and not (grouped or _known_brand(digits)):
            continue
        if not cued and not grouped and NOT_PII_NUMBER_CUE_RE.search(before):
            continue
        found.append((match.start(), match.end(), 1.0 if cued or grouped else 0.8))
    return found


def _known_brand(digits: str) -> bool:
    """Issuer prefix and length of a major scheme (Visa, Mastercard, Amex, Discover, JCB,
    Diners, UnionPay): what a bare digit run needs to pass as a card without a cue."""
    n, two, four = len(digits), int(digits[:2]), int(digits[:4])
    if digits[0] == "4":
        return n in {13, 16, 19}
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16
    if two in {34, 37}:
        return n == 15
    if digits.startswith(("6011", "65", "62")) or 644 <= int(digits[:3]) <= 649:
        return 16 <= n <= 19
    if 3528 <= four <= 3589:
        return 16 <= n <= 19
    return (300 <= int(digits[:3]) <= 305 or two in {36, 38}) and n == 14


def _card_grouping_ok(raw: str) -> bool:
    """No separators, or one kind of separator in 4-4-4-4(-3) / 4-6-5 / 4-6-4 groups."""
    if raw.isdigit():
        return True
    if " " in raw and "-" in raw:
        return False
    sizes = [len(g) for g in re.split(r"[ \-]", raw)]
    if sizes[:2] == [4, 6] and len(sizes) == 3:
        return sizes[2] in {4, 5}
    return all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4


def find_ssns(text: str, taken: Sequence[tuple[int, int]]) -> list[Found]:
    """US social security numbers: 123-45-6789 anywhere; spaced or bare only after a cue."""
    found: list[Found] = []
    for match in SSN_RE.finditer(text):
        dashed = match.group(1) == "-"
        cued = dashed or SSN_CUE_RE.search(_before(text, match.start())) is not None
        if cued and not overlaps(match.start(), match.end(), taken):
            found.append((match.start(), match.end(), 0.9 if dashed else 0.8))
    for match in SSN_BARE_RE.finditer(text):
        if SSN_CUE_RE.search(_before(text, match.start())) and not overlaps(
            match.start(), match.end(), taken
        ):
            found.append((match.start(), match.end(), 0.8))
    return found


def find_ips(text: str, taken: Sequence[tuple[int, int]]) -> list[Found]:
    """IPv4 addresses (not version strings) and IPv6 addresses that parse."""
    found: list[Found] = []
    for match in IPV4_RE.finditer(text):
        if not VERSION_CUE_RE.search(_before(text, match.start())) and not overlaps(
            match.start(), match.end(), taken
        ):
            found.append((match.start(), match.end(), 0.9))
    for match in IPV6_CANDIDATE_RE.finditer(text):
        raw = match.group()
        if raw.count(":") < 2 or not any(c.isalnum() for c in raw):
            continue
        try:
            ipaddress.IPv6Address(raw)
        except ValueError:
            continue
        if not overlaps(match.start(), match.end(), taken):
            found.append((match.start(), match.end(), 0.9))
    return found


def find_phones(text: str, taken: Sequence[tuple[int, int]]) -> list[Found]:
    """Phone numbers: international, NANP, bracketed area code or trunk-0 formats anywhere;
    other 7-13 digit groupings only next to a phone cue ("call me on", "Mobile:", "-Fax")."""
    found: list[Found] = []
    for match in PHONE_CANDIDATE_RE.finditer(text):
        start, end = match.start(), match.end()
        raw = match.group()
        strength = _phone_strength(raw)
        if strength == 0 or overlaps(start, end, taken):
            continue
        before = _before(text, start)
        extension = PHONE_EXTENSION_RE.match(text, end)
        end = extension.end() if extension else end
        cued = bool(PHONE_CUE_BEFORE_RE.search(before) or PHONE_CUE_AFTER_RE.match(text[end:]))
        if NOT_PII_NUMBER_CUE_RE.search(before) and not cued:
            continue
        if strength == 1 and not cued:
            continue
        found.append((start, end, 0.9 if strength == 2 else 0.75))
    return found


def _phone_strength(raw: str) -> int:
    """2: unmistakable phone format; 1: could be a phone given a cue; 0: not a phone."""
    digits = _NON_DIGIT_RE.sub("", raw)
    if not 7 <= len(digits) <= 15 or raw.count("(") != raw.count(")"):
        return 0
    if re.search(r"[ .\-/]{2,}|[.\-/][ .\-/]", raw) or raw.count("/") > 1:
        return 0
    if DATE_LIKE_RE.fullmatch(raw) or re.match(r"(?:19|20)\d\d[./\-]\d\d?[./\-]\d\d?\b", raw):
        return 0
    has_separator = len(digits) + raw.count("+") != len(raw)
    if raw.startswith("+") or raw.startswith("(+"):
        return 2 if len(digits) >= 8 else 0
    if raw.startswith("00") and len(digits) >= 10 and has_separator:
        return 2
    if NANP_RE.fullmatch(raw) and has_separator:
        return 2
    if re.match(r"\(\d{2,5}\)", raw) and len(digits) >= 7:
        return 2
    groups = PHONE_GROUPS_RE.findall(raw)
    dashed = "-" in raw and not re.search(r"[ ./()]", raw)
    if dashed and len(groups) >= 3 and all(2 <= len(g) <= 4 for g in groups):
        return 2 if 9 <= len(digits) <= 12 else 1  # "62-3286-0129", "71-33-52-22" + cue
    if raw.startswith("0") and has_separator and (10 <= len(digits) <= 12 or len(groups) >= 3):
        return 2
    return 1 if len(digits) <= 13 else 0
