"""Personal-name finder: honorifics, cue phrases, contact blocks and first-name lists.

Rules, strongest first:
- an honorific ("Mr.", "Dr", "ms.") followed by capitalised words;
- a strong cue ("my name is", "Name:", "call me", "my son") followed by a name-like run,
  lower case accepted in all-lower-case text;
- a line holding only two to four capitalised words just above an address, phone or e-mail
  (signature and shipping-label blocks);
- with name lists: a known first name followed by more capitalised words ("Mathias Ruud"),
  a known first name after a weak cue ("I'm", "hi", "speak to") or before a person verb
  ("Anna is", "Sandra lives").
Name lists come from Faker's person providers (a dependency of guardrails-ai), loaded once.
List rules never fire on everyday words ("Will", "Grace"), on all-lower/upper-case text, on
words of the shop's own catalogue (`allow_words`, e.g. "Olivia" of "Olivia 1/4 Zip Jacket")
or on a run followed by a product noun ("Nadia Elements Shell").
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from app.guardrails.pii_tokens import Token, blocked_mask, is_caseless, tokenize
from app.guardrails.pii_vocab import (
    COMMON_NAME_WORDS,
    HONORIFICS,
    MONTHS_AND_DAYS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    NOT_PLACE,
    ORG_WORDS,
    PRODUCT_NOUNS,
    STOP_WORDS,
    STRONG_SUFFIXES,
    WEAK_SUFFIXES,
    words,
)

logger = logging.getLogger(__name__)

_KIN = (
    r"son|daughter|kid|child|wife|husband|partner|friend|brother|sister|mother|father|mom|mum|"
    r"dad|boss|manager|colleague|neighbou?r|cousin|aunt|uncle|grandma|grandpa|fianc[eé]e?"
)
_NAME_OWNER = (
    r"my|his|her|their|your|the|account|maiden|full|first|last|given|family|middle|customer|"
    r"contact|cardholder|partner's|partner’s"
)
_NAME_VERB = r"'s|’s|\s+is|\s+was|\s+should\s+be|\s+on\s+the\s+(?:account|card|order)\s+is"
STRONG_CUE_RE = re.compile(
    rf"(?:\b(?:{_NAME_OWNER})\s+(?:name|surname)(?:{_NAME_VERB})?\s*[:\-?]?"
    rf"|\b(?:name|surname)(?:(?:{_NAME_VERB})\s*[:\-?]?|\s*[:\-?])"
    r"|\b(?:call\s+me|calls\s+me|i\s+am\s+called|signed|sincerely|yours\s+truly|"
    r"(?:correct|change|update)\s+it\s+to|account\s+holder|card\s*holder|attn|"
    r"(?:was|were|is|am|are)\s+(?:called|named))"
    r"\s*[,:\-]?)[ \t]*\n?[ \t]*",
    re.IGNORECASE,
)
# "my son Mario": trusted only when the text has capitals ("my father retired" is no name).
KIN_CUE_RE = re.compile(rf"\bmy\s+(?:{_KIN})\s*,?[ \t]*", re.IGNORECASE)
# Cues after which two or more capitalised words are a name even if no list knows them.
INTRO_CUE_RE = re.compile(
    r"\b(?:i\s+am|i'm|i’m|this\s+is|it's|it’s|it\s+is|under|speak\s+(?:to|with)|talk\s+to|"
    r"ask\s+for|contact|hi|hello|hey|dear|add|follow\s+up\s+with|meet|met)"
    r"\s*[,:\-]?[ \t]*\n?[ \t]*",
    re.IGNORECASE,
)
# Weaker cues: they make a known first name a name.
WEAK_CUE_RE = re.compile(
    r"\b(?:thanks|thank\s+you|regards|cheers|best|by|with|said|says|tell|ask|call)"
    r"\s*[,:\-]?[ \t]*\n?[ \t]*",
    re.IGNORECASE,
)
PERSON_VERBS = words(
    """is was has had will would said says lives lived works worked shouted listed spent
    began gave called wrote told asked sent paid ordered bought wants wanted needs"""
)
# Words before a capitalised run that make it a thing ("the Olivia jacket"), not a person.
# An inner capital after two lower-case letters ("HeatTec"), not "McDonald" or "DeShawn".
_CAMEL_RE = re.compile(r"[a-z]{3,}[A-Z]")
ARTICLES = words("the a an this that these those our your my their its")


@dataclass(frozen=True)
class NameLists:
    """Known first and last names (everyday words removed)."""

    first: frozenset[str]
    last: frozenset[str]


@cache
def load_name_lists() -> NameLists:
    """First and last names of every Faker locale (about 1 s, once per process)."""
    first: set[str] = set()
    last: set[str] = set()
    try:
        import faker.providers.person as person_providers
    except ImportError:  # faker comes with guardrails-ai; without it only cue rules run
        logger.warning("faker is not installed: PII name lists are off")
        return NameLists(frozenset(), frozenset())
    for module in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"{person_providers.__name__}.{module.name}").Provider
        _collect(provider, ("first_names", "first_names_male", "first_names_female"), first)
        _collect(provider, ("last_names", "last_names_male", "last_names_female"), last)
    return NameLists(_clean(first), _clean(last))


def _collect(provider: type, attributes: tuple[str, ...], into: set[str]) -> None:
    for attribute in attributes:
        value = provider.__dict__.get(attribute)
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            into.update(str(name) for name in value)


def _clean(names: set[str]) -> frozenset[str]:
    return frozenset(
        n
        for n in names
        if len(n) > 1
        and n.replace("-", "").replace("'", "").isalpha()
        and n.lower() not in COMMON_NAME_WORDS
        and n.lower() not in STOP_WORDS
    )


NO_LISTS = NameLists(frozenset(), frozenset())


@dataclass
class _Text:
    text: str
    tokens: Sequence[Token]
    caseless: bool
    blocked: Sequence[bool]
    lists: NameLists
    allow_words: frozenset[str] = field(default_factory=frozenset)
    strong_cues: set[int] = field(default_factory=set)  # offsets where a strong cue ends
    weak_cues: set[int] = field(default_factory=set)
    intro_cues: set[int] = field(default_factory=set)

    def tok(self, index: int) -> Token | None:
        if 0 <= index < len(self.tokens) and not self.blocked[index]:
            return self.tokens[index]
        return None


def find_names(
    text: str,
    tokens: Sequence[Token] | None = None,
    taken: Sequence[tuple[int, int]] = (),
    lists: NameLists = NO_LISTS,
    allow_words: frozenset[str] = frozenset(),
) -> list[tuple[int, int, float]]:
    """Character spans (start, end, score) of personal names."""
    toks = tokens if tokens is not None else tokenize(text)
    blocked = blocked_mask(toks, taken)
    caseless = is_caseless(text)
    strong = _cue_ends(STRONG_CUE_RE, text) | (set() if caseless else _cue_ends(KIN_CUE_RE, text))
    ctx = _Text(text, toks, caseless, blocked, lists, allow_words, strong)
    ctx.weak_cues = _cue_ends(WEAK_CUE_RE, text)
    ctx.intro_cues = _cue_ends(INTRO_CUE_RE, text)
    hits: list[tuple[int, int, float]] = []
    index = 0
    while index < len(toks):
        hit = _name_at(ctx, index) or _contact_block_name(ctx, index, taken)
        if hit is None:
            index += 1
            continue
        hits.append(hit)
        index = hit[1]
    hits = sorted(hits + _enumerated_names(ctx, hits))
    hits = sorted(hits + _repeated_mentions(ctx, hits))
    return [(toks[first].start, _span_end(toks[end - 1]), score) for first, end, score in hits]


def _covered(hits: Sequence[tuple[int, int, float]]) -> set[int]:
    return {i for first, end, _ in hits for i in range(first, end)}


def _repeated_mentions(
    ctx: _Text, hits: Sequence[tuple[int, int, float]]
) -> list[tuple[int, int, float]]:
    """Other places where a found name's first or last name stands alone ("... Bulgakov")."""
    parts = {
        tok.text.removesuffix("'s").removesuffix("’s")
        for first, end, _ in hits
        for tok in ctx.tokens[first:end]
        if len(tok.text) > 2 and tok.text[0].isupper() and tok.lower not in COMMON_NAME_WORDS
    }
    extra: list[tuple[int, int, float]] = []
    covered = _covered(hits)
    for index, tok in enumerate(ctx.tokens):
        bare = tok.text.removesuffix("'s").removesuffix("’s")
        if bare in parts and not ctx.blocked[index] and index not in covered:
            extra.append((index, index + 1, 0.6))
    return extra


def _enumerated_names(
    ctx: _Text, hits: Sequence[tuple[int, int, float]]
) -> list[tuple[int, int, float]]:
    """'Romi, Erik, Amy and Donald': a list of single capitalised words, mostly known names."""
    if not ctx.lists.first:
        return []
    extra: list[tuple[int, int, float]] = []
    index = 0
    while index < len(ctx.tokens):
        items = _list_items(ctx, index)
        # Count names that are only first names: "Barnett, Melton and Garcia" is a firm.
        known = sum(
            ctx.tokens[i].text in ctx.lists.first and ctx.tokens[i].text not in ctx.lists.last
            for i in items
        )
        if len(items) >= 3 and known * 2 >= len(items):
            covered = _covered(hits)
            extra += [(i, i + 1, 0.6) for i in items if i not in covered]
            index = items[-1] + 1
        else:
            index += 1
    return extra


def _list_items(ctx: _Text, index: int) -> list[int]:
    """Indices of 'A, B, C and D' single-word items starting at `index` ([] if none)."""
    items: list[int] = []
    k = index
    while _is_name_part(ctx, ctx.tok(k), lenient=False) and not ctx.tokens[k].text.isupper():
        items.append(k)
        sep = ctx.tok(k + 1)
        if sep is None or sep.lower not in {",", "and", "&"}:
            break
        k += 2
        if sep.text == "," and ctx.tok(k) is not None and ctx.tokens[k].lower == "and":
            k += 1
    return items if len(items) >= 3 else []


def _span_end(tok: Token) -> int:
    """End offset of a name token, without a possessive "'s"."""
    return tok.end - 2 if tok.text.endswith(("'s", "’s")) else tok.end


def _name_at(ctx: _Text, index: int) -> tuple[int, int, float] | None:
    """A name starting at token `index` (an honorific before it is skipped), if any."""
    tok = ctx.tok(index)
    if tok is None or tok.kind != "word":
        return None
    if tok.lower in HONORIFICS:
        start = _skip_dot(ctx, index)
        nxt = ctx.tok(start)
        if tok.text[0].isupper() or ctx.caseless or (nxt is not None and nxt.is_title):
            end = _name_run(ctx, start, lenient=True)
            return (start, end, 0.9) if end is not None else None
    if tok.start in ctx.strong_cues:
        end = _name_run(ctx, index, lenient=True)
        if end is not None:
            return index, end, 0.85
    if not ctx.lists.first or ctx.caseless:
        return None
    intro = tok.start in ctx.intro_cues
    if intro:
        end = _name_run(ctx, index, lenient=False)
        if end is not None and end - index >= 2 and not _looks_like_a_thing(ctx, index, end):
            return index, end, 0.7
    return _listed_name(ctx, index, weak_cue=intro or tok.start in ctx.weak_cues)


def _cue_ends(pattern: re.Pattern[str], text: str) -> set[int]:
    """Offsets right after each cue phrase (where a name would start)."""
    return {match.end() for match in pattern.finditer(text)}


def _listed_name(ctx: _Text, index: int, *, weak_cue: bool) -> tuple[int, int, float] | None:
    """A known first name with a surname, after a weak cue, or before a person verb."""
    tok = ctx.tokens[index]
    known_first = tok.text in ctx.lists.first
    if not known_first and tok.text not in ctx.lists.last:  # a last name may lead a full name
        return None
    end = _name_run(ctx, index, lenient=False)
    if end is None or _looks_like_a_thing(ctx, index, end):
        return None
    known_last = end - index >= 2 and ctx.tokens[end - 1].text in ctx.lists.last
    if known_first and end - index >= 2:
        return index, end, 0.85 if known_last else 0.7
    if known_last:
        return index, end, 0.7  # "Weronika Martinsen": an unknown first name, a known surname
    if not known_first:
        return None
    if len(tok.text) < 3:
        return None
    if weak_cue or _vocative(ctx, index):
        return index, end, 0.7
    nxt = ctx.tok(end)
    if nxt is not None and (
        nxt.lower in PERSON_VERBS or (nxt.text == ":" and _starts_line(ctx, index))
    ):
        return index, end, 0.6
    return None


def _looks_like_a_thing(ctx: _Text, first: int, end: int) -> bool:
    """A product, brand or organisation name rather than a person ("the Olivia jacket",
    "Nadia Elements Shell", "Knowledge Agency", "Olay Ultra Moisture Shea Butter Body Wash")."""
    prev = ctx.tok(first - 1)
    if prev is not None and prev.lower in ARTICLES:
        return True
    if any(t.lower in ctx.allow_words or t.lower in ORG_WORDS for t in ctx.tokens[first:end]):
        return True
    ahead: list[Token] = []
    for tok in ctx.tokens[end : end + 4]:
        if tok.kind == "nl":
            break
        if tok.kind == "word":
            ahead.append(tok)
    if any(t.lower in PRODUCT_NOUNS or t.lower in ORG_WORDS for t in ahead[:2]):
        return True
    return _capitalised_chain(ctx, first, end) > 4


def _capitalised_chain(ctx: _Text, first: int, end: int) -> int:
    """Length of the run of capitalised words around tokens [first, end)."""
    left = first
    while left > 0 and ctx.tokens[left - 1].is_title and not _starts_line(ctx, left):
        left -= 1
    right = end
    while right < len(ctx.tokens) and ctx.tokens[right].is_title:
        right += 1
    return right - left


def _starts_line(ctx: _Text, index: int) -> bool:
    return index == 0 or ctx.tokens[index - 1].kind == "nl"


def _vocative(ctx: _Text, index: int) -> bool:
    """'Danial, can I ...' at the start, or '..., Roy!' at the end of a sentence."""
    prev, nxt = ctx.tok(index - 1), ctx.tok(index + 1)
    if index == 0 and nxt is not None and nxt.text == ",":
        return True
    return prev is not None and prev.text == "," and (nxt is None or nxt.text in {"!", "?", "."})


def _contact_block_name(
    ctx: _Text, index: int, taken: Sequence[tuple[int, int]]
) -> tuple[int, int, float] | None:
    """A line of only 2-4 capitalised words shortly above an address, phone or e-mail."""
    prev = ctx.tokens[index - 1] if index > 0 else None
    if prev is not None and prev.kind not in {"nl", "punct"}:
        return None
    if (
        prev is not None
        and prev.kind == "punct"
        and not (prev.text == ":" or _line_start(ctx, index - 1))
    ):
        return None
    end = _name_run(ctx, index, lenient=False)
    if end is None or end - index < 2 or ctx.caseless or _looks_like_a_thing(ctx, index, end):
        return None
    after = ctx.tok(end)
    if after is not None and after.kind != "nl":
        return None
    line_end = ctx.tokens[end - 1].end
    window = ctx.text[line_end : line_end + 160]
    lines_below = window.split("\n")[:5]
    limit = line_end + sum(len(line) + 1 for line in lines_below)
    if any(line_end < s < limit for s, _ in taken):
        return index, end, 0.7
    return None


def _line_start(ctx: _Text, index: int) -> bool:
    """Whether token `index` is a quote/bullet mark at the start of a line."""
    k = index
    while k >= 0 and ctx.tokens[k].kind == "punct":
        k -= 1
    return k < 0 or ctx.tokens[k].kind == "nl"


def _skip_dot(ctx: _Text, index: int) -> int:
    dot = ctx.tok(index + 1)
    if dot is not None and dot.text == "." and dot.start == ctx.tokens[index].end:
        return index + 2
    return index + 1


def _name_run(ctx: _Text, index: int, *, lenient: bool) -> int | None:
    """End of a run of name words from `index` (initials, particles, Jr./III allowed)."""
    if not _is_name_part(ctx, ctx.tok(index), lenient=lenient):
        return None
    end, k, parts = index + 1, index + 1, 1
    while k < len(ctx.tokens) and parts < 4 and not _possessive(ctx.tokens[end - 1]):
        cur = ctx.tok(k)
        if cur is None or cur.kind != "word":
            break
        if _is_initial(ctx, cur):
            k = _skip_dot(ctx, k)
            continue
        if cur.lower in NAME_PARTICLES and _is_name_part(ctx, ctx.tok(k + 1), lenient=True):
            k += 1
            continue
        if cur.lower in NAME_SUFFIXES or _is_name_part(ctx, cur, lenient=lenient):
            k = _skip_dot(ctx, k) if cur.lower in NAME_SUFFIXES else k + 1
            end, parts = k, parts + 1
            continue
        break
    return end


def _possessive(tok: Token) -> bool:
    return tok.text.endswith(("'s", "’s"))


def _is_initial(ctx: _Text, tok: Token) -> bool:
    return len(tok.text) == 1 and (tok.text.isupper() or ctx.caseless)


def _is_name_part(ctx: _Text, tok: Token | None, *, lenient: bool) -> bool:
    """A word that can be part of a name: capitalised (any case in caseless text), no stopword."""
    if tok is None or tok.kind != "word" or len(tok.text) < 2:
        return False
    low = tok.lower.removesuffix("'s").removesuffix("’s")
    if low in STOP_WORDS or low in NOT_PLACE or low in MONTHS_AND_DAYS:
        return False
    if not (tok.text[0].isupper() or ctx.caseless):
        return False
    if lenient:
        return not ctx.caseless or low not in COMMON_NAME_WORDS
    if _CAMEL_RE.search(tok.text) or (tok.text.isupper() and not ctx.caseless):
        return False  # "HeatTec", "CK": trademarks and acronyms, not names
    if low in STRONG_SUFFIXES or low in WEAK_SUFFIXES:
        return False  # "Bela Vista", "Isaac Lodge": places and streets
    return not any(p in COMMON_NAME_WORDS or p in PRODUCT_NOUNS for p in low.split("-"))
