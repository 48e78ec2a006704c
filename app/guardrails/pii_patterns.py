"""Compiled patterns and checksums for structured PII: e-mail, phone, card, IBAN, SSN, IP.

Every pattern is linear: character classes with bounded repeats and no nested optional groups,
so a 4,000-character adversarial string cannot trigger catastrophic backtracking. Candidates are
found loosely by regex and then validated in code (checksums, digit counts, context cues).
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- checksums


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check used by payment card numbers; `digits` holds digits only."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# ISO 13616 lengths by country (SWIFT IBAN registry); an unknown country is never an IBAN.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def iban_valid(iban: str) -> bool:
    """ISO 13616 check: known country, right length, alphanumeric, mod-97 remainder of 1."""
    code = iban.replace(" ", "").upper()
    if len(code) != IBAN_LENGTHS.get(code[:2], -1) or not code.isalnum():
        return False
    if not code[2:4].isdigit():
        return False
    rearranged = code[4:] + code[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


# ---------------------------------------------------------------- e-mail

EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])"
    r"[\w%+\-](?:[\w.%+\-']{0,62}[\w%+\-])?"
    r"@(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24}"
    r"(?![\w\-]|\.\w)"
)

# ---------------------------------------------------------------- phone numbers

# A run of digits and phone separators that starts with +, ( or a digit and ends with a digit.
PHONE_CANDIDATE_RE = re.compile(
    r"(?<![\w+#$€£¥./\-])(?<!\d,)(?:\+|\(\+?)?\d[\d \-.()/]{5,24}\d(?!\d)"
)
PHONE_EXTENSION_RE = re.compile(r"[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,5}(?!\w)", re.IGNORECASE)
PHONE_GROUPS_RE = re.compile(r"\d+")
NANP_RE = re.compile(r"(?:\+?1[ .\-]?)?\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}")
DATE_LIKE_RE = re.compile(
    r"(?:\d{4}([./\-])\d{1,2}\1\d{1,2}|\d{1,2}([./\-])\d{1,2}\2(?:\d{2}|\d{4}))"
)
# Words before (or right after) a number that say "this is a phone number".
PHONE_CUE_BEFORE_RE = re.compile(
    r"(?:\b(?:phone|tel|telephone|mobile|cell|cellphone|fax|desk|office|landline|whatsapp|home|"
    r"work)\s*(?:number|no\.?|nr\.?|#)?\s*(?:is|:|-)?\s*"
    r"|\b(?:phone|telephone|mobile|cell|fax|whatsapp|sms|text|call|ring|reach|dial|contact|"
    r"hotline|answering|messages|registered)\W{1,12}(?:\w+\W{1,3}){0,3})$",
    re.IGNORECASE,
)
PHONE_CUE_AFTER_RE = re.compile(
    r"^\W{0,3}(?:office|fax|mobile|cell|home|work|desk|landline|phone|tel)\b", re.IGNORECASE
)
# Words before a number that say "this is an order, item or account number, not personal data".
NOT_PII_NUMBER_CUE_RE = re.compile(
    r"(?:order|purchase|item|sku|product|tracking|track|invoice|receipt|ref|reference|"
    r"transaction|ticket|case|id|zip|postcode|postal|model|serial|quantity|qty|size|"
    r"licen[cs]e|passport|account|member|membership|customer|"
    r"price|total|amount|\$|€|£)\W{0,6}(?:(?:number|no|nr|num|id|code|is|was|of|#)\W{0,4}){0,3}$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- payment cards

CARD_CANDIDATE_RE = re.compile(r"(?<![\d\-.])\d(?:[ \-]?\d){11,18}(?![\d\-]|\.\d)")
CARD_CUE_RE = re.compile(
    r"(?:card|cc|visa|master\s?card|amex|american express|discover|maestro|jcb|diners|"
    r"credit|debit|payment)\W{0,4}(?:\w+\W{1,3}){0,4}$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- IBAN

# Start of an IBAN: country code and check digits; the rest is read per country in code.
IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})(?=[ ]?[A-Za-z0-9])")

# ---------------------------------------------------------------- US social security numbers

SSN_RE = re.compile(r"(?<![\d\-])(?!000|666|9\d\d)\d{3}([\- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d\-])")
SSN_BARE_RE = re.compile(r"(?<!\d)(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}(?!\d)")
SSN_CUE_RE = re.compile(
    r"(?:ssn|social security|social sec\.?|ss#|ss no\.?)\W{0,6}(?:\w+\W{1,3}){0,3}$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- IP addresses

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4_RE = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)")
IPV6_CANDIDATE_RE = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
VERSION_CUE_RE = re.compile(r"(?:version|ver\.?|v)\s?$", re.IGNORECASE)
