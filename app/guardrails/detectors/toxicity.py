"""Abuse and toxicity detector with levels: none, mild (profanity), abusive, hateful.

A swear word about a late parcel is "mild": it passes (the pipeline may flag it for an agent).
The model judges the message with its mild swear words masked, so "this f***ing order is late
again" is judged as "this order is late again". Name-calling, threats and slurs are abusive or
hateful outright; otherwise the model's probability decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from langchain_core.embeddings import Embeddings

from app.guardrails.base import Detection
from app.guardrails.detectors.lexicon import abuse_in, has_mild_profanity, mask_mild_profanity
from app.guardrails.detectors.linear import MAX_EMBED_CHARS, LinearModel, embed_text

NAME = "toxicity"
ToxicityLevel = Literal["none", "mild", "abusive", "hateful"]
LEVELS: tuple[ToxicityLevel, ...] = get_args(ToxicityLevel)
BLOCKING_LEVELS: frozenset[ToxicityLevel] = frozenset({"abusive", "hateful"})
PATTERN_SCORE = 0.95


@dataclass(frozen=True)
class ToxicityModel:
    """Two linear models on the embedding (toxic vs not; hate vs other toxic) and thresholds."""

    toxic: LinearModel
    hate: LinearModel
    abusive_threshold: float
    hateful_threshold: float

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for the artefact file."""
        return {
            "toxic": self.toxic.to_json(),
            "hate": self.hate.to_json(),
            "abusive_threshold": self.abusive_threshold,
            "hateful_threshold": self.hateful_threshold,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], dim: int) -> ToxicityModel:
        """Rebuild from `to_json` output."""
        return cls(
            toxic=LinearModel.from_json(data["toxic"], dim),
            hate=LinearModel.from_json(data["hate"], dim),
            abusive_threshold=float(data["abusive_threshold"]),
            hateful_threshold=float(data["hateful_threshold"]),
        )


@dataclass(frozen=True)
class ToxicityAssessment:
    """The level of one message, its score and why."""

    level: ToxicityLevel
    score: float
    reason: str

    @property
    def blocking(self) -> bool:
        """Abusive or hateful: the message gets a de-escalating reply instead of an answer."""
        return self.level in BLOCKING_LEVELS


def level_of(detection: Detection) -> ToxicityLevel:
    """The level a toxicity `Detection` carries at the start of its detail ("mild: ...")."""
    head = detection.detail.split(":", 1)[0].strip()
    for level in LEVELS:
        if head == level:
            return level
    return "abusive" if detection.flagged else "none"


class ToxicityDetector:
    """Scores abuse in a shopper's message and grades it none / mild / abusive / hateful."""

    name = NAME

    def __init__(self, model: ToxicityModel, embeddings: Embeddings) -> None:
        self._model = model
        self._embeddings = embeddings

    def detect(self, text: str) -> Detection:
        """Flag abusive or hateful text; the detail starts with the level ("mild: profanity")."""
        result = self.assess(text)
        detail = f"{result.level}: {result.reason}" if result.reason else result.level
        return Detection(NAME, result.blocking, round(result.score, 4), detail)

    def assess(self, text: str) -> ToxicityAssessment:
        """The level, score and reason for `text`."""
        if not text.strip():
            return ToxicityAssessment("none", 0.0, "")
        model = self._model
        embedding = embed_text(self._embeddings, text)
        score = model.toxic.probability(embedding)
        text = text[:MAX_EMBED_CHARS]  # the words the model read; bounds the pattern work
        reason = abuse_in(text)
        if reason:
            level: ToxicityLevel = "hateful" if reason == "slur" else "abusive"
            return ToxicityAssessment(level, max(score, PATTERN_SCORE), reason)
        profane = has_mild_profanity(text)
        if profane and score >= model.abusive_threshold:
            score = self._without_profanity(text)
        if score >= model.abusive_threshold:
            hateful = model.hate.probability(embedding) >= model.hateful_threshold
            return ToxicityAssessment("hateful" if hateful else "abusive", score, "model")
        if profane:
            return ToxicityAssessment("mild", score, "profanity")
        return ToxicityAssessment("none", score, "")

    def _without_profanity(self, text: str) -> float:
        masked = mask_mild_profanity(text)
        if len(masked.split()) < 2:  # nothing left but swearing: "f*** this"
            return 0.0
        return self._model.toxic.probability(embed_text(self._embeddings, masked))
