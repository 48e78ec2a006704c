"""Grounding check: each factual sentence of an answer must be supported by a retrieved source."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from app.guardrails.output.base import (
    CheckResult,
    OutputContext,
    Sentence,
    split_sentences,
    strip_markers,
    verdict,
)
from app.guardrails.output.numbers import quantities
from app.llm import lexical
from rag.schema import RetrievedChunk

logger = logging.getLogger(__name__)

# Conversation, not claims: offers of help, apologies, questions back to the shopper.
_CONVERSATIONAL = re.compile(
    r"^(?:i'?m sorry|sorry|unfortunately,? i|would you like|do you want|shall i|let me know|"
    r"is there anything|anything else|happy to help|glad to help|you'?re welcome|thank|"
    r"hi\b|hello\b|please (?:let|tell|send|contact)|feel free)",
    re.IGNORECASE,
)
_OFFER = re.compile(
    r"\b(?:connect you|put you in touch|transfer you|hand you over|member of our|"
    r"customer[- ]service team|help you with)\b",
    re.IGNORECASE,
)
_MIN_CLAIM_STEMS = 2  # "Yes." or "Great choice!" states nothing checkable


def is_factual(sentence: str) -> bool:
    """Whether a sentence states something about the shop that a source must support."""
    body = strip_markers(sentence)
    if not body or body.endswith("?"):
        return False
    has_numbers = bool(quantities(body))
    if not has_numbers and (_CONVERSATIONAL.match(body) or _OFFER.search(body)):
        return False
    return has_numbers or len(set(lexical.content_stems(body))) >= _MIN_CLAIM_STEMS


class GroundingCheck:
    """Lexical overlap (words and numbers) with one source, else embedding similarity."""

    name = "grounding"

    def __init__(
        self,
        embeddings: Embeddings | None = None,
        *,
        min_overlap: float = 0.6,
        min_similarity: float = 0.7,
    ) -> None:
        self._embeddings = embeddings
        self._min_overlap = min_overlap
        self._min_similarity = min_similarity

    def check(self, answer: str, context: OutputContext) -> CheckResult:
        """Fail the factual sentences no retrieved chunk supports."""
        sentences = split_sentences(answer)
        claims = [s for s in sentences if is_factual(s.text(answer))]
        unsupported = [s for s in claims if not self._lexically_supported(answer, s, context)]
        if unsupported and self._embeddings is not None:
            unsupported = self._semantically_unsupported(answer, unsupported, context.chunks)
        failing = {s.index: "not supported by the retrieved sources" for s in unsupported}
        return verdict(self.name, failing, len(sentences))

    def _lexically_supported(self, answer: str, sentence: Sentence, context: OutputContext) -> bool:
        body = strip_markers(sentence.text(answer))
        stems = set(lexical.content_stems(body))
        for chunk in context.chunks:
            if not _numbers_in(body, chunk):
                continue
            source = _chunk_stems(chunk)
            if not stems or len(stems & source) / len(stems) >= self._min_overlap:
                return True
        return False

    def _semantically_unsupported(
        self, answer: str, sentences: Sequence[Sentence], chunks: Sequence[RetrievedChunk]
    ) -> list[Sentence]:
        assert self._embeddings is not None
        pieces = [(chunk, s) for chunk in chunks for s in lexical.sentences(chunk.text)]
        if not pieces:
            return list(sentences)
        try:
            claims = [strip_markers(s.text(answer)) for s in sentences]
            claim_vectors = np.asarray(self._embeddings.embed_documents(claims))
            source_vectors = np.asarray(self._embeddings.embed_documents([p for _, p in pieces]))
        except Exception:  # no similarity, no benefit of the doubt: lexical verdict stands
            logger.exception("grounding: embedding failed; keeping the lexical verdict")
            return list(sentences)
        similarity = claim_vectors @ source_vectors.T
        left = []
        for row, (sentence, claim) in enumerate(zip(sentences, claims, strict=True)):
            best = int(np.argmax(similarity[row]))
            chunk = pieces[best][0]
            if similarity[row, best] < self._min_similarity or not _numbers_in(claim, chunk):
                left.append(sentence)
        return left


def _chunk_stems(chunk: RetrievedChunk) -> set[str]:
    return set(lexical.content_stems(f"{chunk.title}\n{chunk.text}"))


def _numbers_in(claim: str, chunk: RetrievedChunk) -> bool:
    """Every number the claim writes appears somewhere in the chunk (or its title)."""
    wanted = _values(lexical.numbers(claim))
    return not wanted or wanted <= _values(lexical.numbers(f"{chunk.title}\n{chunk.text}"))


def _values(numbers: list[str]) -> set[float | str]:
    # "$16" in an answer is the source's "$16.00".
    values: set[float | str] = set()
    for number in numbers:
        try:
            values.add(float(number))
        except ValueError:  # "1.2.3" (a version or a date) compares as text
            values.add(number)
    return values
