"""Word lists of the toxicity detector: mild profanity, name-calling, threats and slurs.

Mild profanity ("where the hell is my damn parcel?") is how upset shoppers talk about a late
order; it is masked out before the model judges the rest of the message. Name-calling aimed at
a person, threats and slurs are abuse whatever the model says. Slurs are written as stems
because this is a moderation list: it exists to recognise them, never to produce them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_STAR = r"[*#@$%!._-]"  # characters people use to censor themselves: f***, sh!t
_FUCK = rf"(?:f(?:u|{_STAR})(?:c|{_STAR})?k+|f{_STAR}{{2,4}}|fk|fck|phuck|feck)"

MILD_PROFANITY = re.compile(
    r"\b(?:"
    rf"{_FUCK}(?:ing|in'?|ed|er|s)?|f{_STAR}+(?:in|ing)\b|effing|frigg?in[g']?|freakin[g']?"
    rf"|sh(?:i|{_STAR}|1)t(?:ty|s|e)?|s{_STAR}{{2}}t|bullsh(?:i|{_STAR})t|crap(?:py)?"
    r"|damn(?:ed|it)?|dammit|goddamn(?:ed|it)?|god damn|bloody|bugger|hell|heck"
    rf"|wtf|ffs|omfg|stfu|piss(?:ed|ing)?(?: off)?|sucks?|sucked|arse|a{_STAR}{{2}}"
    r")(?!\w)",
    re.IGNORECASE,
)

_INSULT_NOUNS = (
    r"idiots?|morons?|imbeciles?|cretins?|retards?|retarded|scum(?:bags?)?|bastards?|"
    r"assholes?|arseholes?|a{_STAR}{_STAR}holes?|dumbass(?:es)?|dickheads?|pricks?|cunts?|twats?|"
    r"wankers?|bitch(?:es)?|b{_STAR}tch(?:es)?|whores?|sluts?|douche(?:bags?)?|shitheads?|"
    r"motherf\w*"
).replace("{_STAR}", _STAR)
_TARGET_NOUNS = r"clowns?|losers?|jerks?|fools?|pigs?|animals?|parasites?|vermin|dogs?|rats?"
_INTENSIFIERS = (
    rf"(?:a|an|such(?: an?)?|so|the|one|total|complete|absolute|utter|bunch of|{_FUCK}(?:ing|in)?|"
    r"damn|bloody|stupid|dumb|little|useless|pathetic|worthless|lazy|incompetent|fat|ugly|"
    r"filthy|disgusting|dirty|stinking|greedy|miserable|sorry|brainless|ignorant)"
)
# Scorn for the assistant itself ("shut up you worthless bot") is abuse, not an attack on it.
_SCORN = (
    rf"stupid|dumb|useless|worthless|pathetic|idiotic|brainless|incompetent|clueless|moronic|"
    rf"lousy|garbage|trash|crappy|shitty|retarded|{_FUCK}(?:ing|in)?|damn(?:ed)?|bloody|"
    r"piece of (?:shit|crap|junk|garbage)"
)
_BOT_NOUNS = r"(?:chat\s?)?bots?|robots?|machines?|ai|programs?|computers?|assistants?|software"

INSULT = re.compile(
    rf"\b(?:{_INSULT_NOUNS})\b"
    rf"|\b(?:you|u|ya|y'all|you guys)\s*(?:'re|\s+are|\s+r|\s+is)?\s+(?:{_INTENSIFIERS}\s+){{0,3}}"
    rf"(?:{_TARGET_NOUNS}|pieces? of (?:shit|crap|garbage|trash|sh{_STAR}t)|waste of space)\b"
    # "worthless bot" anywhere; "you useless machine" when it is said to the assistant
    rf"|\b(?:{_SCORN})\s+(?:chat\s?)?bots?\b"
    rf"|\b(?:you|u|ya)\s*(?:'re|\s+are|\s+r)?\s+(?:{_INTENSIFIERS}\s+){{0,3}}(?:{_SCORN})\s+"
    rf"(?:{_BOT_NOUNS})\b"
    rf"|\b(?:{_FUCK}|screw|damn|sod)\s+(?:you|u|off|yourself|yourselves|ya)\b"
    rf"|\bgo\s+(?:to\s+hell|die|{_FUCK}\s+yourself|screw\s+yourself|jump off a)\b"
    rf"|\bshut\s+(?:up|the\s+{_FUCK}\s+up|your\s+(?:mouth|face))\b|\bgtfo\b|\beat\s+shit\b"
    r"|\bsuck\s+my\b|\bkiss\s+my\s+(?:ass|arse)\b",
    re.IGNORECASE,
)

_HARM_VERBS = (
    r"kill|hurt|murder|beat(?:\s+up)?|shoot|stab|strangle|burn(?:\s+down)?|bomb|rape|smash|"
    r"punch|slap|attack|hunt(?:\s+down)?|destroy|come after"
)
_HARM_TARGETS = (
    r"you|u|ya|him|her|them|staff|employees|store|shop|office|warehouse|family|driver|"
    r"courier|everyone|face|ceo|manager|boss|kids|house|people|agents?"
)
# The harm must land on a person or place right after the verb ("burn your store down"),
# so "I'll beat any price" or "I will find another shop" stay complaints.
THREAT = re.compile(
    r"\b(?:i|we)\s*(?:'ll|'m going to|'m gonna|\s+will|\s+am going to|\s+are going to|"
    r"\s+gonna|\s+shall|\s+want to|\s+wanna)\s+(?:\w+\s+)?"
    rf"(?:(?:{_HARM_VERBS})\s+(?:(?:the|that|this|your|ur|all|every|whole|of)\s+){{0,2}}"
    rf"(?:{_HARM_TARGETS})\b|find\s+(?:you|u|where\s+you\s+live)\b)"
    r"|\b(?:i|we)\s+know\s+where\s+(?:you|u)\s+live\b|\bwatch\s+your\s+back\b"
    r"|\byou(?:'ll|\s+will|'re going to|\s+are going to)\s+(?:regret|pay for)\s+(?:this|it)\b"
    r"|\b(?:hope|wish)\s+(?:you|u|your\s+\w+)\s+(?:\w+\s+)?(?:die|dies|burn|rot|get cancer)\b"
    r"|\bdie\s+in\s+a\s+fire\b|\bdeserve\s+to\s+die\b|\b(?:kill|shoot|hang)\s+(?:yo)?urself\b"
    r"|\bkys\b|\bbomb\s+(?:your|the)\s+(?:store|shop|office|warehouse)\b",
    re.IGNORECASE,
)

# Stems of identity slurs (racial, ethnic, homophobic, transphobic) common in English abuse.
SLUR = re.compile(
    r"\b(?:"
    r"nigg(?:er|a|ah|uh|az)s?|niccas?|fag(?:s|got|gots|gy)?|f{_STAR}g(?:got)?s?|spics?|"
    r"wetbacks?|beaners?|chinks?|gooks?|kikes?|coons?|towelheads?|ragheads?|trann(?:y|ies)|"
    r"dykes?|sand\s?n\w+|zipperheads?|pakis?|golliwogs?|sambos?|wogs?|jungle\s?bunn(?:y|ies)"
    r")\b".replace("{_STAR}", _STAR),
    re.IGNORECASE,
)

PATTERNS: Mapping[str, re.Pattern[str]] = {"threat": THREAT, "slur": SLUR, "insult": INSULT}
_BY_WEIGHT = (("slur", SLUR), ("threat", THREAT), ("insult", INSULT))  # the gravest first


def abuse_in(text: str) -> str:
    """ "slur", "threat" or "insult" when `text` is abuse whatever a model says; else ""."""
    return next((reason for reason, pattern in _BY_WEIGHT if pattern.search(text)), "")


def mask_mild_profanity(text: str) -> str:
    """`text` with its mild swear words removed, to judge what the message says without them."""
    return re.sub(r"\s{2,}", " ", MILD_PROFANITY.sub(" ", text)).strip()


def has_mild_profanity(text: str) -> bool:
    """Whether `text` contains a mild swear word (damn, hell, f***ing, ...)."""
    return MILD_PROFANITY.search(text) is not None
