"""Okapi BM25 over a fixed set of chunks, precomputed as numpy postings for sub-ms scoring."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

# Money first so "$45.00" stays one token; words may join with - _ . so SKUs ("24-mb01",
# "mh01-xs-black") and decimals ("45.50") survive as exact tokens.
_TOKEN = re.compile(
    r"\$\s?\d[\d,]*(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|[a-z0-9]+(?:[-_.][a-z0-9]+)*"
)
_NUMBER = re.compile(r"[\d,]+(?:\.\d+)?")
_JOINERS = re.compile(r"[-_.]")

# A compact English stop list; shop words ("return", "free", "size") are deliberately kept.
# A word block reads better than 150 quoted items, hence the split.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t d ll re ve don doesn didn isn aren wasn weren won hasn haven hadn shouldn wouldn couldn
    please hi hello thanks thank""".split()  # noqa: SIM905
)


def tokenize(text: str) -> list[str]:
    """Lowercased terms without stopwords; numbers, $-amounts and joined codes (SKUs) kept."""
    terms: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        token = match.group()
        if token.startswith("$"):
            amount = _canonical_number(token[1:].replace(",", "").strip())
            terms += [f"${amount}", amount]
        elif _NUMBER.fullmatch(token):
            terms.append(_canonical_number(token.replace(",", "")))
        elif _JOINERS.search(token):
            # The whole code for exact matches, its parts for partial ones ("mb01").
            terms.append(token)
            terms += [part for part in _JOINERS.split(token) if part and part not in STOPWORDS]
        elif token not in STOPWORDS:
            terms.append(_singular(token))
    return terms


def _singular(word: str) -> str:
    # Fold plain English plurals so "returns" finds "return" and "policies" finds "policy".
    if len(word) <= 3 or not word.isalpha() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _canonical_number(number: str) -> str:
    # "45.00" and "45" are the same price to a shopper.
    return number.rstrip("0").rstrip(".") if "." in number else number


@dataclass(frozen=True)
class BM25Index:
    """Per-term postings (CSR layout) holding each document's precomputed BM25 term weight."""

    vocabulary: dict[str, int]
    idf: FloatArray
    indptr: npt.NDArray[np.int64]
    doc_ids: npt.NDArray[np.int32]
    weights: FloatArray
    size: int

    @classmethod
    def build(cls, texts: Sequence[str], *, k1: float = 1.5, b: float = 0.75) -> BM25Index:
        """Index `texts`; weights use Lucene's non-negative idf and length normalisation."""
        counts = [Counter(tokenize(text)) for text in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
        average = float(lengths.mean()) if len(texts) and lengths.mean() > 0 else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc, counter in enumerate(counts):
            for term, tf in counter.items():
                postings.setdefault(term, []).append((doc, tf))
        vocabulary = {term: row for row, term in enumerate(sorted(postings))}
        indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        idfs = np.zeros(len(vocabulary), dtype=np.float32)
        doc_ids: list[int] = []
        weights: list[float] = []
        for term, row in vocabulary.items():
            entries = postings[term]
            idf = _idf(len(texts), len(entries))
            idfs[row] = idf
            for doc, tf in entries:
                norm = k1 * (1 - b + b * lengths[doc] / average)
                weights.append(idf * tf * (k1 + 1) / (tf + norm))
                doc_ids.append(doc)
            indptr[row + 1] = len(doc_ids)
        return cls(
            vocabulary=vocabulary,
            idf=idfs,
            indptr=indptr,
            doc_ids=np.array(doc_ids, dtype=np.int32),
            weights=np.array(weights, dtype=np.float32),
            size=len(texts),
        )

    def scores(self, query: str) -> FloatArray:
        """BM25 score of every document for `query` (zeros where no term matches)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term in dict.fromkeys(tokenize(query)):
            row = self.vocabulary.get(term)
            if row is not None:
                start, end = self.indptr[row], self.indptr[row + 1]
                # Each document appears once per term, so fancy-index += is safe here.
                scores[self.doc_ids[start:end]] += self.weights[start:end]
        return scores

    def query_weight(self, query: str) -> float:
        """Sum of the query terms' idf: about the score of a chunk matching every term once.

        A term no chunk contains counts as the rarest possible term, so matching only the
        common words of a query ("ship" in "do you ship to Canada") scores as a weak match.
        """
        unseen = _idf(self.size, 0)
        return float(
            sum(
                float(self.idf[row]) if (row := self.vocabulary.get(term)) is not None else unseen
                for term in dict.fromkeys(tokenize(query))
            )
        )


def _idf(documents: int, containing: int) -> float:
    # Lucene's BM25 idf: never negative, even for a term in most documents.
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))
