"""What a question asks for, and how well a chunk or one of its sentences answers it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.llm import lexical, money
from app.llm.lexical import stem
from rag.schema import SECTION, RetrievedChunk

# Fact labels that product chunks open sentences with ("Price: $52.00.").
PRICE, SIZE, COLOR, AVAIL = stem("price"), stem("size"), stem("color"), stem("availability")
WARRANTY, SHIP, RETURN = stem("warranty"), stem("shipping"), stem("returns")
_LABELS = frozenset({PRICE, SIZE, COLOR, AVAIL, WARRANTY, SHIP, RETURN})

COLOURS = lexical.word_set(
    """black white blue red green yellow orange purple pink gray grey brown beige navy tan
    olive lavender silver gold khaki"""
)
SIZES = lexical.word_set("xs xl xxl xxxl small medium large")
_PHRASE_INTENTS = (
    (re.compile(r"\bhow much\b|\bhow expensive\b", re.I), PRICE),
    (re.compile(r"\bdo you (?:have|sell|carry)\b|\bin stock\b|\bsold out\b", re.I), AVAIL),
    (re.compile(r"\bmade (?:of|from|out of)\b|\bfabric\b", re.I), stem("material")),
)
_DURATION_ASKED = re.compile(
    r"\bhow long\b|\bhow many (?:business )?days\b|\bwhen\b|\bwithin\b|\bdeadline\b|"
    r"\bwindow\b|\btime\b|\bpolicy\b|\bhow soon\b|\bhow quickly\b|\btake\b",
    re.I,
)
_DURATION = re.compile(r"\b\d+(?:\s*(?:—|–|-|to)\s*\d+)?\s*(?:business\s+)?days?\b", re.I)
_DEADLINE = re.compile(r"\bwithin\b", re.I)
_LABEL = re.compile(r"^([A-Z][A-Za-z ]{1,30}):\s")
_CUE_PHRASES = re.compile(r"\bhow (?:long|much|many|soon|quickly)\b", re.I)
_SENTENCE_END = (".", "!", "?")
_HEADING_WORDS = 8
# Policy-desk topics: a question about these and no product goes to the policy pages first.
_POLICY_TOPICS = frozenset(
    stem(w)
    for w in lexical.word_set(
        """ship deliver return refund exchange privacy cookie gift payment pay track cancel order
        tax international pickup restock"""
    )
)
_GENERIC_STEMS = frozenset(
    stem(w) for w in lexical.word_set("policy information detail option rule")
)
_WEAK = 0.25  # weight of generic shop words ("sell", "policy") that say little on their own
_NUMBER_WEIGHT = 0.5


@dataclass(frozen=True)
class QuestionFeatures:
    """The parts of a question the extractive backend scores text against."""

    terms: dict[str, float]  # stem -> weight
    intents: frozenset[str]  # fact labels asked for
    amount: float | None  # money named in the question
    wants_duration: bool

    @property
    def weight(self) -> float:
        """Total weight of the question's terms."""
        return sum(self.terms.values())

    def without(self, stems: frozenset[str]) -> QuestionFeatures:
        """The same question minus some terms (e.g. a product's name, once it is answered)."""
        terms = {t: w for t, w in self.terms.items() if t not in stems}
        return QuestionFeatures(terms, self.intents, self.amount, self.wants_duration)

    @property
    def policy_topic(self) -> bool:
        """Whether the question is about a shop policy (shipping, returns...)."""
        return any(t in _POLICY_TOPICS for t in self.terms)


@dataclass(frozen=True)
class Lexicon:
    """A prompt's question vocabulary (`AnswerLayout.cues` and `.vocabulary`), compiled."""

    cues: tuple[tuple[re.Pattern[str], str], ...] = ()  # phrase -> the kind of fact it asks for
    vocabulary: tuple[tuple[re.Pattern[str], str], ...] = ()  # phrase -> the sources' word

    def apply(self, question: str) -> tuple[str, frozenset[str], bool]:
        """The question without its cue phrases and in the sources' words; intents; duration."""
        intents: set[str] = set()
        wants_duration = False
        for pattern, kind in self.cues:
            if pattern.search(question):
                question = pattern.sub(" ", question)
                intents.update(_CUE_INTENTS.get(kind, ()))
                wants_duration = wants_duration or kind == "duration"
        for pattern, word in self.vocabulary:
            question = pattern.sub(f" {word} ", question)
        return question, frozenset(intents), wants_duration


_CUE_INTENTS = {"availability": (AVAIL,), "price": (PRICE,)}
NO_LEXICON = Lexicon()


@lru_cache(maxsize=64)
def lexicon(
    cues: tuple[tuple[str, tuple[str, ...]], ...], vocabulary: tuple[tuple[str, str], ...]
) -> Lexicon:
    """Compile a layout's cues and vocabulary (cached: a prompt's layout never changes)."""
    return Lexicon(
        cues=tuple((_phrase_pattern(p), kind) for kind, phrases in cues for p in phrases),
        vocabulary=tuple((_phrase_pattern(phrase), word) for phrase, word in vocabulary),
    )


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole words, any spacing or case; the last may be plural ("weekend" finds "weekends")."""
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    return re.compile(rf"\b{words}(?:e?s)?\b", re.IGNORECASE)


def analyse_question(
    question: str, shop_name: str = "", lexicon: Lexicon = NO_LEXICON
) -> QuestionFeatures:
    """Extract weighted terms, asked-for facts, money and duration cues from a question."""
    amount = money.question_amount(question)
    # The prompt's cue phrases ("right now") say what is asked, not what to find in the text.
    phrased, cue_intents, cue_duration = lexicon.apply(question)
    # The amount and question phrases ("how long") are cues, not words to find in the text.
    text = _CUE_PHRASES.sub(" ", money.without_amounts(phrased))
    weak = {stem(w) for w in lexical.words(shop_name)} | _GENERIC_STEMS
    terms: dict[str, float] = {}
    intents: set[str] = set()
    for word in lexical.words(text):
        if word in COLOURS:
            intents.add(COLOR)
        elif word in SIZES:
            intents.add(SIZE)
        if len(word) < 2 or word in lexical.STOPWORDS:
            continue
        term = stem(word)
        weight = _NUMBER_WEIGHT if word.isdigit() else 1.0
        terms[term] = _WEAK if word in lexical.GENERIC or term in weak else weight
        if term in _LABELS:
            intents.add(term)
    intents.update(label for pattern, label in _PHRASE_INTENTS if pattern.search(question))
    intents.update(cue_intents)
    wants = bool(_DURATION_ASKED.search(question)) or cue_duration
    return QuestionFeatures(terms, frozenset(intents), amount, wants)


@dataclass(frozen=True)
class ChunkView:
    """A retrieved chunk split into sentences, with the stems scoring needs."""

    chunk: RetrievedChunk
    rank: int
    sentences: tuple[str, ...]
    sentence_stems: tuple[frozenset[str], ...]
    heading_stems: frozenset[str]  # title + section
    title_stems: frozenset[str]  # content stems of the title (product name)
    all_stems: frozenset[str]

    @classmethod
    def of(cls, chunk: RetrievedChunk, rank: int) -> ChunkView:
        """Split and stem a chunk (cached: the same chunks come back turn after turn)."""
        section = str(chunk.metadata.get(SECTION, "") or "")
        sentences, stems, heading, title, every = _analyse(chunk.text, chunk.title, section)
        return cls(chunk, rank, sentences, stems, heading, title, every)

    @property
    def is_product(self) -> bool:
        """Whether this chunk describes a product (else it is a policy page section)."""
        return self.chunk.metadata.get("doc_type") == "product"


@lru_cache(maxsize=4096)
def _analyse(
    text: str, title: str, section: str
) -> tuple[
    tuple[str, ...], tuple[frozenset[str], ...], frozenset[str], frozenset[str], frozenset[str]
]:
    sentences = tuple(lexical.sentences(text))
    stems = tuple(lexical.stem_set(s) for s in sentences)
    heading = lexical.stem_set(f"{title} {section}")
    title_stems = frozenset(lexical.content_stems(title))
    return sentences, stems, heading, title_stems, heading.union(*stems)


def relevance(q: QuestionFeatures, view: ChunkView) -> float:
    """Share of the question's term weight that the chunk contains (0..1)."""
    if q.weight == 0:
        return 0.0
    return sum(w for t, w in q.terms.items() if t in view.all_stems) / q.weight


def title_coverage(q: QuestionFeatures, view: ChunkView) -> float:
    """Share of the product name's words that the question names (0..1)."""
    if not view.title_stems:
        return 0.0
    return len(view.title_stems & q.terms.keys()) / len(view.title_stems)


def label_of(sentence: str) -> frozenset[str]:
    """Stems of the fact label a sentence opens with ("Return policy: ..." -> return, polici)."""
    match = _LABEL.match(sentence)
    return frozenset(stem(w) for w in match[1].split()) if match else frozenset()


def is_heading(sentence: str) -> bool:
    """Whether a line is a heading or breadcrumb ("Customer Service > Returns") and not prose."""
    if sentence.endswith(":") or (" > " in sentence and not sentence.endswith(_SENTENCE_END)):
        return True
    # Data lines ("- blue / M — $50.88, available") carry digits; headings are short and bare.
    bare = not sentence.endswith(_SENTENCE_END) and not any(ch.isdigit() for ch in sentence)
    return bare and len(sentence.split()) <= _HEADING_WORDS


def sentence_score(q: QuestionFeatures, view: ChunkView, i: int, ignore: frozenset[str]) -> float:
    """How well sentence `i` of a chunk answers the question; negative means never quote it."""
    sentence, stems = view.sentences[i], view.sentence_stems[i]
    score = sum(w for t, w in q.terms.items() if t in stems and t not in ignore)
    # Heading words count for every sentence under the heading, at half weight.
    score += 0.5 * sum(
        w for t, w in q.terms.items() if t in view.heading_stems and t not in stems | ignore
    )
    if label_of(sentence) & (q.intents | q.terms.keys()):  # "Material: Wool." for "material"
        score += 2.0
    # A duration only answers "how long" in a sentence that is already on topic.
    if score > 0 and q.wants_duration and _DURATION.search(sentence):
        score += 1.5 if _DEADLINE.search(sentence) else 1.0
    return score + _money_row_score(q, sentence)


def _money_row_score(q: QuestionFeatures, sentence: str) -> float:
    if q.amount is None:
        return 0.0
    bounds = money.money_range(sentence)
    if bounds is None:
        return 0.0
    return 5.0 if money.in_range(q.amount, bounds) else -100.0
