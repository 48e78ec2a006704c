"""The embedded default backend: answers by quoting the most relevant sentences of the sources.

No generative model is involved, so every fact in an answer is a verbatim quote of a cited chunk.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from app.llm import facts, lexical, money
from app.llm.base import AnswerEvent, AnswerRequest, GeneratedAnswer
from app.llm.citations import make_citation
from app.llm.facts import ChunkView, QuestionFeatures
from app.prompts import AnswerLayout
from app.turns import Citation
from rag.schema import NAME, PRODUCT_ID, SECTION, SOURCE_ID

logger = logging.getLogger(__name__)

BACKEND = "extractive"
MODEL = "extractive-v1"
_SPECIFIC_PRODUCT = 0.6  # share of a product's name the question must use to be "about it"
_DEFAULT_FACTS = frozenset({facts.PRICE, facts.AVAIL})
_LISTED_SENTENCES = 2  # name line + one fact per product when several are listed
_CLOSE = 0.75  # policy sentences scoring at least this share of the best one are quoted too
# "What is your return policy?" asks for the gist of a section, not one fact: quote more of it.
_CLOSE_BROAD = 0.35
_BROAD_TERMS = frozenset({"polici"})
_RANK_PENALTY = 0.01  # retrieval order breaks ties between equally good sentences
_PIECE = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class _Quote:
    """Sentences quoted from one chunk, in the chunk's order."""

    view: ChunkView
    sentences: tuple[str, ...]


class ExtractiveGenerator:
    """Composes short grounded answers from retrieved chunks without any language model."""

    backend = BACKEND
    model = MODEL
    uses_history = False  # follow-ups arrive already resolved into standalone questions

    async def stream(self, request: AnswerRequest) -> AsyncIterator[AnswerEvent]:
        """Yield the answer word by word, then the finished answer."""
        answer = self.answer(request)
        for piece in _PIECE.findall(answer.text):
            yield AnswerEvent(text=piece)
        yield AnswerEvent(answer=answer)

    def answer(self, request: AnswerRequest) -> GeneratedAnswer:
        """Compose the whole answer at once (the stream just cuts it into pieces)."""
        layout = request.prompt.layout
        lexicon = facts.lexicon(layout.cues, layout.vocabulary)
        q = facts.analyse_question(request.question, request.shop_name, lexicon)
        views = [ChunkView.of(chunk, rank) for rank, chunk in enumerate(request.chunks)]
        quotes = _select(q, views, layout)
        if not quotes:
            return _dont_know(layout, request.shop_name)
        text, citations = _compose(quotes, layout)
        ungrounded = lexical.ungrounded_numbers(text, [quote.view.chunk.text for quote in quotes])
        if ungrounded:  # cannot happen while we only quote; refuse rather than mislead
            logger.error("extractive answer had numbers not in its sources: %s", ungrounded)
            return _dont_know(layout, request.shop_name)
        return GeneratedAnswer(text=text, citations=citations, knows_answer=True)


def _dont_know(layout: AnswerLayout, shop_name: str) -> GeneratedAnswer:
    return GeneratedAnswer(text=layout.dont_know_text(shop_name), knows_answer=False)


def _select(q: QuestionFeatures, views: list[ChunkView], layout: AnswerLayout) -> list[_Quote]:
    """Decide what kind of answer fits (named products, a policy, a product list) and quote it."""
    if q.weight == 0 or not views:
        return []
    relevant = [v for v in views if facts.relevance(q, v) >= layout.min_relevance]
    products = [v for v in relevant if v.is_product]
    policies = [v for v in relevant if not v.is_product]
    named = _named_products(q, products)
    if len(named) == 1 and not _product_answers(q, named[0]):
        # "How long does shipping take for the Chaz hoodie?": the shop's policy may answer that;
        # if nothing does, listing the hoodie's price would only pretend to answer.
        rest = q.without(named[0].title_stems)
        if rest.weight >= 1:
            return _quote_general(rest, views, layout)
    if named:
        sentences = layout.max_sentences if len(named) == 1 else _LISTED_SENTENCES
        return [_quote_product(q, v, sentences) for v in named[: layout.max_products]]
    best_policy = max((facts.relevance(q, v) for v in policies), default=0.0)
    best_product = max((facts.relevance(q, v) for v in products), default=0.0)
    if policies and (q.policy_topic or best_policy >= best_product):
        return _quote_policy(q, policies, layout.max_sentences)
    if q.policy_topic:  # product facts are no answer to a question about the shop's policy
        return []
    listed = _ranked_products(q, products)[: layout.max_products]
    return [_quote_product(q, v, _LISTED_SENTENCES) for v in listed]


def _product_answers(q: QuestionFeatures, view: ChunkView) -> bool:
    """Whether the product's own text says something about what was asked beyond its name."""
    return any(
        facts.sentence_score(q, view, i, view.title_stems) > 0
        for i in range(1, len(view.sentences))
    )


def _quote_general(
    q: QuestionFeatures, views: list[ChunkView], layout: AnswerLayout
) -> list[_Quote]:
    """A policy answer for what is left of the question, if a policy chunk covers it."""
    if q.weight == 0:
        return []
    policies = [
        v for v in views if not v.is_product and facts.relevance(q, v) >= layout.min_relevance
    ]
    return _quote_policy(q, policies, layout.max_sentences) if policies else []


def _named_products(q: QuestionFeatures, products: list[ChunkView]) -> list[ChunkView]:
    """The products whose names the question uses best, if it (mostly) names them."""
    coverage = {id(v): facts.title_coverage(q, v) for v in products}
    best = max(coverage.values(), default=0.0)
    if best < _SPECIFIC_PRODUCT:
        return []
    return _distinct(q, [v for v in products if coverage[id(v)] == best])


def _ranked_products(q: QuestionFeatures, products: list[ChunkView]) -> list[ChunkView]:
    """Products for a search-like question: more of the question in the name first."""
    ordered = sorted(
        products, key=lambda v: (-facts.title_coverage(q, v), -facts.relevance(q, v), v.rank)
    )
    return _distinct(q, ordered)


def _distinct(q: QuestionFeatures, views: list[ChunkView]) -> list[ChunkView]:
    """One chunk per product, so its reviews or a second part do not repeat it.

    The main chunk (no section) wins unless the question names the section ("reviews").
    """
    best: dict[str, ChunkView] = {}
    for view in views:
        key = _product_key(view)
        kept = best.get(key)
        if kept is None or _section_fit(q, view) > _section_fit(q, kept):
            best[key] = view
    order = list(dict.fromkeys(_product_key(v) for v in views))
    return [best[key] for key in order]


def _product_key(view: ChunkView) -> str:
    meta = view.chunk.metadata
    return str(meta.get(PRODUCT_ID) or meta.get(NAME) or meta.get(SOURCE_ID) or view.chunk.chunk_id)


def _section_fit(q: QuestionFeatures, view: ChunkView) -> int:
    section = str(view.chunk.metadata.get(SECTION) or "")
    if not section:
        return 1
    return 2 if lexical.stem_set(section) & q.terms.keys() else 0


def _quote_product(q: QuestionFeatures, view: ChunkView, max_sentences: int) -> _Quote:
    """The product's name line, the facts asked for, then price and stock to fill up."""
    ignore = view.title_stems  # the name line already covers the product's own name
    scores = {
        i: facts.sentence_score(q, view, i, ignore)
        for i in range(1, len(view.sentences))
        if not facts.is_heading(view.sentences[i])
    }
    chosen = [i for i in sorted(scores, key=lambda i: (-scores[i], i)) if scores[i] > 0]
    defaults = [i for i in scores if facts.label_of(view.sentences[i]) & _DEFAULT_FACTS]
    picked = list(dict.fromkeys(chosen + defaults))[: max_sentences - 1]
    return _Quote(view, (view.sentences[0], *(view.sentences[i] for i in sorted(picked))))


def _may_quote(q: QuestionFeatures, sentence: str) -> bool:
    """A price question is only answered by money; "on a $150 order" only by the row for $150."""
    if facts.PRICE not in q.intents:
        return True
    if q.amount is not None:
        bounds = money.money_range(sentence)
        return bounds is not None and money.in_range(q.amount, bounds)
    return lexical.states_money(sentence)


def _quote_policy(q: QuestionFeatures, views: list[ChunkView], max_sentences: int) -> list[_Quote]:
    """The best-matching sentences of the single policy section that answers best."""
    scored = [
        (facts.sentence_score(q, v, i, frozenset()) - _RANK_PENALTY * v.rank, v, i)
        for v in views
        for i in range(len(v.sentences))
        if not facts.is_heading(v.sentences[i]) and _may_quote(q, v.sentences[i])
    ]
    best_score, best_view, _ = max(scored, key=lambda item: item[0], default=(0.0, None, 0))
    if best_view is None or best_score <= 0:
        return []
    # Quote only sentences close to the best one, so a rate row is not drowned in preamble.
    share = _CLOSE_BROAD if _BROAD_TERMS & q.terms.keys() and q.amount is None else _CLOSE
    close = [(s, i) for s, v, i in scored if v is best_view and s >= share * best_score]
    picked = sorted(i for _, i in sorted(close, key=lambda item: -item[0])[:max_sentences])
    return [_Quote(best_view, tuple(best_view.sentences[i] for i in picked))]


def _compose(quotes: Sequence[_Quote], layout: AnswerLayout) -> tuple[str, list[Citation]]:
    """Join the quotes, each group followed by its citation marker."""
    lines: list[str] = []
    citations: list[Citation] = []
    for index, quote in enumerate(quotes, start=1):
        body = _join(quote)
        lines.append(f"{body} {layout.marker(index)}")
        citations.append(make_citation(index, quote.view.chunk, body))
    separator = "\n" if len(quotes) > 1 else " "
    prefix = "- " if len(quotes) > 1 else ""
    return separator.join(prefix + line for line in lines), citations


def _join(quote: _Quote) -> str:
    """The quoted sentences as one passage; a bare product name line is joined with a dash."""
    first, *rest = quote.sentences
    if rest and quote.view.is_product and not first.endswith((".", "!", "?")):
        return f"{first} — {' '.join(rest)}"
    return " ".join(quote.sentences)
