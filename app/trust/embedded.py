"""The embedded trust scorer: linear models over the message's MiniLM vector and its words.

One embedding per message, shared with the guards and retrieval through the encoder's LRU cache.
A message of several clauses that may disagree ("the jacket is great but shipping took forever":
a contrast, praise and complaint, or two aspects' keywords) also has its clauses scored, in one
batched encoder call: an aspect found in any clause counts, each aspect
is swayed by the clause most about it, and the trust score is no higher than the clauses'
mean (the message's own polarity is read from the whole message, the most accurate on dev
data). CPU only, numpy inference.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from app.guardrails.detectors.linear import FloatArray, embed_text, embeddable
from app.trust.artefacts import load_model, read_manifest
from app.trust.base import Aspect, AspectSentiment, MessageTrust, Polarity
from app.trust.lexicon import clauses, needs_clauses
from app.trust.model import POLARITIES, TrustModel

MAX_ASPECTS = 3
# An aspect seen in one clause only must be clearly there: a short fragment ("got nothing
# back") is easily mistaken for another topic.
CLAUSE_MIN_PROBABILITY = 0.5


@dataclass(frozen=True)
class _Clauses:
    """Per clause of a message: P(aspect) for each aspect, and the clause's polarity."""

    aspect_probability: dict[Aspect, FloatArray]  # aspect -> one probability per clause
    polarity: FloatArray  # one row of polarity probabilities per clause


class EmbeddedTrustScorer:
    """Aspects (multi-label), polarity per aspect and overall, and a 0-1 trust score."""

    name = "embedded"

    def __init__(
        self,
        model: TrustModel,
        embeddings: Embeddings,
        *,
        manifest: dict[str, Any] | None = None,
        max_aspects: int = MAX_ASPECTS,
    ) -> None:
        self._model = model
        self._embeddings = embeddings
        self._max_aspects = max_aspects
        self.manifest = manifest or {}

    def score(self, text: str) -> MessageTrust:
        """The message's aspects with polarity, its overall polarity and trust score."""
        started = time.perf_counter()
        features = self._model.features(embed_text(self._embeddings, text), text)
        probabilities = self._model.polarity.probabilities(features)
        overall = _polarity(probabilities)
        parts = self._clauses(text)
        found = self._aspects(features, parts)
        polarities = _aspect_polarities([a for a, _ in found], probabilities, parts)
        trust = self._model.trust(probabilities)
        if parts is not None:
            # Praise does not hide a complaint: a message trusts no more than its clauses do
            # on average ("the jacket is great but shipping took forever" is medium).
            trust = min(trust, self._model.trust(parts.polarity.mean(axis=0)))
        return MessageTrust(
            aspects=tuple(AspectSentiment(a, polarities[a], round(p, 4)) for a, p in found),
            polarity=overall,
            score=round(trust, 4),
            scorer=self.name,
            latency_ms=(time.perf_counter() - started) * 1000.0,
        )

    def _aspects(self, features: FloatArray, parts: _Clauses | None) -> list[tuple[Aspect, float]]:
        """Aspects sure enough in the whole message or in one of its clauses, surest first."""
        found: list[tuple[Aspect, float]] = []
        for aspect, part in self._model.aspects.items():
            probability = part.model.probability(features)
            if parts is not None:
                # A mean-pooled vector dilutes each topic of a long message; clauses do not.
                in_clause = float(parts.aspect_probability[aspect].max())
                if in_clause >= max(part.threshold, CLAUSE_MIN_PROBABILITY):
                    probability = max(probability, in_clause)
            if probability >= part.threshold:
                found.append((aspect, probability))
        found.sort(key=lambda item: -item[1])
        return found[: self._max_aspects]

    def _clauses(self, text: str) -> _Clauses | None:
        """Clause-level scores (one batched encoder call), None where they cannot matter."""
        if not needs_clauses(text):
            return None
        parts = clauses(text)
        vectors = self._embeddings.embed_documents([embeddable(p) for p in parts])
        rows = np.stack(
            [
                self._model.features(np.asarray(v, dtype=np.float32), p)
                for v, p in zip(vectors, parts, strict=True)
            ]
        )
        return _Clauses(
            {a: part.model.probabilities(rows) for a, part in self._model.aspects.items()},
            self._model.polarity.probabilities(rows),
        )


def _aspect_polarities(
    aspects: Sequence[Aspect], message: FloatArray, parts: _Clauses | None
) -> dict[Aspect, Polarity]:
    """Each aspect's polarity: the message's, swayed by the clause most about the aspect.

    A polar clause ("shipping took forever") is weighed equally with the whole message (alone,
    short clauses are read less accurately). A neutral clause ("how long does shipping take?")
    keeps the message's polarity, unless another aspect's clause already carries it ("the
    jacket is lovely").
    """
    overall = _polarity(message)
    if parts is None:
        return dict.fromkeys(aspects, overall)
    owner = {a: int(np.argmax(parts.aspect_probability[a])) for a in aspects}
    polarities: dict[Aspect, Polarity] = {}
    for aspect in aspects:
        clause = parts.polarity[owner[aspect]]
        if _polarity(clause) is not Polarity.NEUTRAL:
            polarities[aspect] = _polarity(message + clause)
            continue
        elsewhere = any(
            owner[other] != owner[aspect] and _polarity(parts.polarity[owner[other]]) == overall
            for other in aspects
        )
        polarities[aspect] = Polarity.NEUTRAL if elsewhere else overall
    return polarities


def _polarity(probabilities: FloatArray) -> Polarity:
    return POLARITIES[int(np.argmax(probabilities))]


def load_trust_scorer(
    folder: Path, embeddings: Embeddings, encoder_sha256: str | None = None
) -> EmbeddedTrustScorer:
    """The trained scorer in `folder` (FileNotFoundError when not trained; ValueError when it
    was trained on other encoder weights than `encoder_sha256`)."""
    manifest = read_manifest(folder)
    trained_with = manifest.get("encoder", {}).get("weights_sha256")
    if encoder_sha256 is not None and trained_with != encoder_sha256:
        # Weights of another encoder would read noise from these vectors: refuse them.
        raise ValueError(
            f"the trust scorer in {folder} was trained on encoder {trained_with}, "
            f"not {encoder_sha256}: run `make trust`"
        )
    return EmbeddedTrustScorer(load_model(folder), embeddings, manifest=manifest)
