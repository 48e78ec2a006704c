"""Word lists the trust scorer reads: aspect keywords, sentiment words, negation, clauses.

General e-commerce vocabulary written for this project (not learned from, nor tuned on, the dev
files). It serves twice: as cheap features beside the MiniLM embedding, and as the documented
weak labels of the review and dialogue sentences that carry no aspect labels of their own
(`app/trust/training_data.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.trust.base import Aspect

# Each aspect's keywords and phrases (regular expressions, matched on whole words).
_ASPECT_PATTERNS: Mapping[Aspect, tuple[str, ...]] = {
    Aspect.SHIPPING: (
        r"ship(?:s|ped|ping|ment|ments)?",
        r"deliver(?:y|ed|ies|ing|s)?",
        r"dispatch(?:ed)?",
        r"parcels?|packages?|couriers?|postage|in transit|tracking|eta",
        r"arriv(?:e|ed|es|al|ing)",
        r"track (?:my|the|an?) (?:order|parcel|package|purchase)",
        r"came (?:in|quickly|fast|early)",
        r"where(?: i|')s my (?:order|parcel|package|purchase|item)",
        r"shipping address|delivery address|lost in the (?:post|mail)|in the mail",
        r"(?:order|parcel|package|delivery|item)s? (?:is |was |are |were )?"
        r"(?:late|delayed|missing|lost)",
    ),
    Aspect.REFUNDS: (
        r"refund(?:s|ed|ing)?|reimburse(?:d|ment|ments)?|money back",
        r"charge ?back|credited back|restitution|rebate|compensation|paid back",
    ),
    Aspect.RETURNS: (
        r"returns?|returned|returning|return label|restocking fee|rma",
        r"send(?:ing)? back|sent back|send(?:ing)? (?:it|them|this|the|my)\b[^.?!]{0,40}\bback",
        r"sent (?:it|them|this) back",
        r"exchange(?:d|s)?|exchanging|swap (?:it|them|this)",
    ),
    Aspect.PRICING: (
        r"prices?|priced|pricing|pricey|costs?|costly|expensive|overpriced",
        r"cheaper|cheapest|inexpensive|affordable|afford|bargain",
        r"(?:good|great|nice|a) deal|deals|discounts?|coupons?|promo(?: code)?|on sale",
        r"fees?|surcharges?|overcharged|charged me|penalt(?:y|ies)|how much",
        r"worth (?:it|the|every)|not worth|value for money|good value|great value",
        r"waste of (?:my )?money|\$\s?\d+|[£€]\s?\d+|(?:\d+|\w+ty|hundred) (?:dollars?|pounds?"
        r"|euros?|quid|bucks)",
    ),
    Aspect.PRODUCT_FEATURES: (
        r"features?|specs?|specifications?|sizes?|sizing|dimensions?|weight",
        r"colou?rs?|materials?|fabric|cotton|leather|made of",
        r"battery|batteries|screen|display|sound|audio|volume|camera|speakers?|mic|microphone",
        r"bluetooth|wireless|buttons?|design|pockets?|zipper|waterproof|water resistant",
        r"capacity|compatible|compatibility|reception|signal|range|charger|charging",
        r"fits?|fitting|comfortable|comfort|uncomfortable|lightweight|heavy",
        r"warranty|settings?|function(?:s|ality)?|performance|noise cancel+ing",
    ),
    Aspect.AVAILABILITY: (
        r"in stock|out of stock|stock|restock(?:ed|ing)?|back in stock|sold out",
        r"available|availability|unavailable|backorder(?:ed)?|pre-?order",
        r"do you (?:have|carry|sell)|do you still have|carry (?:it|them|this)",
        r"in (?:size|a size|another size)|in (?:other|another) colou?rs?",
        r"any\b[^.?!]{0,40}\bleft|how many\b[^.?!]{0,40}\bleft|left in stock",
        r"run(?:s|ning)? out|ran out",
    ),
    Aspect.ITEM_QUALITY: (
        r"quality|build quality|craftsmanship|construction|built",
        r"well[- ]made|made well|poorly made|cheaply made|badly made|shoddy|cheap plastic",
        r"sturdy|durable|durability|flimsy|solid|reliable|unreliable|fake|counterfeit",
        r"broke|broken|breaks|breaking|breaks? down|cracked|defective|faulty|damaged",
        r"fell apart|falls apart|ripped|torn|tears?|scratch(?:ed|es)?|snapped|frayed|fraying",
        r"faded|fades|peel(?:s|ed|ing)|chipped|dented|leaks|leaking|split seams?",
        r"stopped working|quit working|not working",
        r"(?:does ?n[o']?t|did ?n[o']?t|wo ?n[o']?t) work",
        r"(?:works|worked|working) (?:great|well|fine|perfectly)",
        r"junk|garbage|crap|piece of (?:junk|crap|garbage)",
        r"lasts|lasted|long[- ]lasting|last(?:ed)? (?:long|for (?:years|months|ages))",
        r"usually last|wears? well",
    ),
    Aspect.CUSTOMER_SERVICE: (
        r"customer (?:service|support|care|assistance)|support team|service team",
        r"agents?|representatives?|reps?|staff|help ?desk|sellers?|manager|supervisor",
        r"the company|contacted|contact (?:you|them)|called you|call you|emailed you",
        r"(?:nobody|no one|no-one) (?:answers?|answered|replies|replied|responds?|responded"
        r"|helps?|helped|gets? back|called back|calls? back)",
        r"respon(?:d|ded|ds|se|sive|siveness)|repl(?:y|ied)|get back to me|got back to me",
        r"talk to (?:a |an )?(?:person|human|agent|manager|someone)|human",
        r"complain(?:t|ts|ed)?|rude|unhelpful|helpful|on hold|hung up",
        r"your service|the service",
    ),
}
ASPECT_PATTERNS: Mapping[Aspect, re.Pattern[str]] = {
    aspect: re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")
    for aspect, parts in _ASPECT_PATTERNS.items()
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


POSITIVE_WORDS = _words(
    """good great excellent amazing awesome love loved loves lovely perfect perfectly
    happy pleased satisfied recommend recommended best fantastic wonderful nice fast quick quickly
    easy helpful comfortable impressed impressive superb brilliant beautiful reliable sturdy
    solid worth thanks thank thankful glad enjoy enjoyed outstanding clear crisp smooth friendly
    prompt promptly bargain cool incredible exceeded delighted appreciate appreciated flawless
    fabulous terrific gorgeous super efficient affordable durable convenient pleasant fine
    excited exceptional works worked rocks sharp sweet favourite favorite
    wow stylish elegant premium ideal handy useful accurate responsive courteous painless
    effortless simple simpler easier better lucky worthwhile decent"""
)
NEGATIVE_WORDS = _words(
    """bad poor poorly terrible awful horrible worst hate hated disappointed disappointing
    disappointment broken broke defective faulty damaged useless waste junk garbage crap problem
    problems issues fail failed fails failure late delayed delay slow missing lost wrong
    rude unhelpful ignored ignoring angry furious upset annoyed annoying frustrated frustrating
    unacceptable ridiculous refused scam fraud cheated sucks stupid complaint complain unhappy
    dissatisfied regret flimsy uncomfortable noisy static died dead stopped cracked overpriced
    pathetic mediocre unreliable misleading fake worse lousy shoddy sloppy joke nightmare hassle
    disgusting avoid beware horrendous incompetent error errors mess hopeless lied
    liar dreadful inferior damn goddamn bloody hell annoyance unusable scratched scratches
    snapped frayed faded peeling chipped dented leaking leaks torn ripped"""
)
NEGATIONS = _words("not no never cannot without hardly barely nor neither nothing none nobody zero")
INTENSIFIERS = _words("very really so extremely totally absolutely super highly too")
_NEGATIVE_PHRASES = re.compile(
    r"\b(?:"
    + "|".join(
        (
            r"waste of|stopped working|quit working|fell apart|falls apart",
            r"never (?:arrived|came|received|got|showed up|answered|replied)",
            r"still (?:waiting|not|no|nothing|haven'?t|hasn'?t|have ?n[o']?t|has ?n[o']?t)",
            r"(?:nobody|no one|no-one) (?:answers?|answered|replies|replied|responds?"
            r"|responded|helps?|helped|cares?)",
            r"do ?n[o']?t (?:buy|waste)|not worth|stay away|more than it(?:'s| is| was) worth",
            r"took (?:forever|ages|too long|so long)|taking (?:forever|ages|so long)",
            r"yet to (?:receive|get|hear)",
            r"(?:have|has)(?: ?n[o']?t| not) (?:arrived|received|heard)",
            r"(?:days|weeks|months) late|waited (?:for )?(?:\w+ )?(?:days|weeks|months)",
            r"(?:wo|could|would)(?: ?n[o']?t| not) (?:recommend|buy again)",
            r"rip[- ]?off|ripped off|what a joke|never again",
            r"not happy|not impressed|not satisfied|not as described",
            r"(?:was|were) supposed to (?:arrive|come|be here|be delivered)",
        )
    )
    + r")\b"
)
_POSITIVE_PHRASES = re.compile(
    r"\b(?:"
    + "|".join(
        (
            r"works? (?:great|well|perfectly|fine|like a charm)|well[- ]made",
            r"no (?:problems?|issues?|complaints?)|thank(?:s| you)|highly recommend",
            r"would (?:buy|order|recommend) (?:it |this )?again",
            r"(?:arrived|came) (?:early|quickly|fast|on time|ahead)",
            r"value for money|money well spent|worth (?:it|every)|five stars|5 stars",
            r"exceeded (?:my )?expectations|love (?:it|this|them)",
            r"exactly what i (?:wanted|needed|was looking for)|just what i (?:wanted|needed)",
            r"(?:sorted|solved|fixed|resolved) (?:out )?(?:my|the|it|everything)",
        )
    )
    + r")\b"
)
_WAITING = re.compile(
    r"\b(?:\d+|a few|few|two|three|four|five|six|several|many) (?:days|weeks|months)\b"
)
_QUESTION_START = re.compile(
    r"^(?:how|what|when|where|which|who|why|do|does|did|is|are|can|could|will|would|should"
    r"|may|have|has)\b"
)
_TOKEN = re.compile(r"[a-z0-9$]+(?:'[a-z]+)?|[.!?;,]")
_CLAUSE_BREAK = re.compile(
    r"[.!?;]+\s*|\s*,?\s*\b(?:but|however|although|though|whereas|while|except|yet|and)\b\s*"
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas|while|except|yet)\b")
_BREAKERS = frozenset(".!?;,") | {"but", "however", "although", "though", "yet", "and"}
NEGATION_WINDOW = 3


def normalise(text: str) -> str:
    """Lower case with typographic apostrophes and whitespace made plain."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("`", "'")).strip().lower()


def aspect_hits(text: str) -> frozenset[Aspect]:
    """The aspects whose keywords occur in `text` (the documented keyword lexicon)."""
    plain = normalise(text)
    return frozenset(aspect for aspect, pattern in ASPECT_PATTERNS.items() if pattern.search(plain))


def sentiment_counts(text: str) -> tuple[int, int]:
    """(positive, negative) sentiment words and phrases in `text`, negations flipping words."""
    plain = normalise(text)
    tokens = _TOKEN.findall(plain)
    positive = len(_POSITIVE_PHRASES.findall(plain))
    negative = len(_NEGATIVE_PHRASES.findall(plain))
    for index, token in enumerate(tokens):
        sign = 1 if token in POSITIVE_WORDS else -1 if token in NEGATIVE_WORDS else 0
        if sign and _negated(tokens, index):
            sign = -sign
        positive += sign > 0
        negative += sign < 0
    return positive, negative


def _negated(tokens: list[str], index: int) -> bool:
    for back in range(1, NEGATION_WINDOW + 1):
        if index - back < 0:
            return False
        token = tokens[index - back]
        if token in _BREAKERS:
            return False
        if token in NEGATIONS or token.endswith("n't") or token in {"dont", "didnt", "doesnt"}:
            return True
    return False


def clauses(text: str) -> list[str]:
    """`text` cut at sentence ends, "and" and contrastive words ("but"), 2+ words each."""
    parts = (part.strip(" ,") for part in _CLAUSE_BREAK.split(text))
    return [part for part in parts if len(part.split()) >= 2]


def needs_clauses(text: str) -> bool:
    """Whether scoring `text` clause by clause could change its reading (costs an encoder call).

    True for a message of two or more clauses with a contrast ("but", "however"), with both
    praise and complaint words, or with keywords of two or more aspects.
    """
    if len(clauses(text)) < 2:
        return False
    plain = normalise(text)
    positive, negative = sentiment_counts(plain)
    contrast = bool(_CONTRAST.search(plain))
    return contrast or (positive > 0 and negative > 0) or len(aspect_hits(plain)) > 1


def is_question(text: str) -> bool:
    """A question mark, or a question word first."""
    plain = normalise(text)
    return "?" in plain or bool(_QUESTION_START.match(plain))


def lexical_features(text: str) -> list[float]:
    """Cheap features beside the embedding, each in 0-1 (names in `LEXICAL_FEATURES`)."""
    plain = normalise(text)
    positive, negative = sentiment_counts(plain)
    tokens = plain.split()
    hits = aspect_hits(plain)
    return [
        min(positive, 3) / 3,
        min(negative, 3) / 3,
        float(positive > negative),
        float(negative > positive),
        float(any(t in NEGATIONS or t.endswith("n't") for t in tokens)),
        float(is_question(plain)),
        float("!" in plain),
        float(any(t in INTENSIFIERS for t in tokens)),
        float(bool(_WAITING.search(plain))),
        float(any(w.isupper() and len(w) > 2 for w in text.split())),
        *(float(aspect in hits) for aspect in Aspect),
    ]


LEXICAL_FEATURES = (
    "positive_words",
    "negative_words",
    "more_positive",
    "more_negative",
    "negation",
    "question",
    "exclamation",
    "intensifier",
    "waiting_time",
    "shouting",
    *(f"keyword_{aspect.value}" for aspect in Aspect),
)
