"""Span-level precision, recall and F1 for PII detection, per entity type (pure functions).

Matching rule (the same for precision and recall): a predicted span matches a gold span when
both carry the same entity type (after mapping dataset labels with `map_label`) and their
character overlap covers at least `min_overlap` (default 0.5) of the *gold* span.
- recall = gold spans matched by some prediction / gold spans;
- precision = predicted spans that match some gold span / predicted spans.
One long prediction may therefore cover several gold fragments (e.g. an address annotated as
building number, street and ZIP separately); that is deliberate, since redaction cares about
covering the personal data, not about where an annotator split it. Gold labels that map to no
entity of ours (DATE_TIME, GPE, ...) are ignored; a prediction overlapping only those is a miss.

Record formats accepted by `parse_record` (JSON object per example):
- Presidio research: {"full_text": str,
  "spans": [{"entity_type", "start_position", "end_position"}]}
- generic: {"text": str, "spans": [{"start", "end", "label" | "entity" | "entity_type"}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from hashlib import sha256
from typing import Any, Literal

Split = Literal["tune", "heldout", "all"]
HELDOUT_SHARE = 3  # tenths of the examples kept out of tuning

# Dataset labels (Presidio research, ai4privacy, Gretel, CoNLL-style and ours), compared
# upper-cased with "-", "_" and spaces removed, mapped to our entity names. Labels for parts
# of a name or a street (FIRSTNAME, BUILDINGNUMBER) map to the whole; a prediction covering
# "John Smith" then finds both FIRSTNAME "John" and LASTNAME "Smith".
_LABELS: Mapping[str, tuple[str, ...]] = {
    "EMAIL": ("EMAIL", "EMAILADDRESS", "MAIL"),
    "PHONE": ("PHONE", "PHONENUMBER", "TELEPHONENUM", "TELEPHONE", "TEL", "PHONENUM", "MOBILE"),
    "CREDIT_CARD": ("CREDITCARD", "CREDITCARDNUMBER", "CARDNUMBER", "CCNUMBER"),
    "IBAN": ("IBAN", "IBANCODE"),
    "ADDRESS": (
        "ADDRESS",
        "STREETADDRESS",
        "STREET",
        "BUILDINGNUMBER",
        "BUILDINGNUM",
        "SECONDARYADDRESS",
        "POSTALADDRESS",
    ),
    "PERSON": (
        "PERSON",
        "PER",
        "NAME",
        "FULLNAME",
        "FIRSTNAME",
        "LASTNAME",
        "MIDDLENAME",
        "GIVENNAME",
        "GIVENNAME1",
        "GIVENNAME2",
        "SURNAME",
    ),
    "US_SSN": ("USSSN", "SSN", "SOCIALNUM", "SOCIALSECURITYNUMBER"),
    "IP_ADDRESS": ("IPADDRESS", "IP", "IPV4", "IPV6"),
}
LABEL_MAP: Mapping[str, str] = {
    label: entity for entity, labels in _LABELS.items() for label in labels
}


@dataclass(frozen=True)
class Span:
    """A labelled character range (end exclusive)."""

    start: int
    end: int
    entity: str


@dataclass(frozen=True)
class PiiExample:
    """One text with its gold spans (already mapped to our entity names)."""

    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class SpanScore:
    """Counts and rates for one entity type (or "ALL" for the micro average)."""

    entity: str
    n_gold: int
    n_pred: int
    gold_found: int
    pred_correct: int

    @property
    def precision(self) -> float:
        """Share of predicted spans that match a gold span (1.0 when nothing was predicted)."""
        return self.pred_correct / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        """Share of gold spans found (1.0 when there is no gold span)."""
        return self.gold_found / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def map_label(label: str) -> str | None:
    """Our entity name for a dataset label, or None when we do not score that label."""
    key = label.strip().upper().replace("-", "").replace("_", "").replace(" ", "")
    return LABEL_MAP.get(key)


def parse_record(record: Mapping[str, Any]) -> PiiExample:
    """Turn one JSON record (Presidio or generic format) into a `PiiExample`."""
    text = str(record.get("full_text", record.get("text", "")))
    spans: list[Span] = []
    for raw in record.get("spans") or ():
        label = raw.get("entity_type", raw.get("label", raw.get("entity", "")))
        entity = map_label(str(label))
        if entity is None:
            continue
        start = int(raw.get("start_position", raw.get("start", 0)))
        end = int(raw.get("end_position", raw.get("end", 0)))
        if 0 <= start < end <= len(text):
            spans.append(Span(start, end, entity))
    return PiiExample(text=text, spans=tuple(sorted(spans, key=lambda s: (s.start, s.end))))


def in_split(text: str, split: Split) -> bool:
    """Deterministic tune/held-out split by a hash of the normalised text (30 % held out)."""
    if split == "all":
        return True
    bucket = int(sha256(text.strip().lower().encode("utf-8")).hexdigest()[:8], 16) % 10
    return (bucket < HELDOUT_SHARE) == (split == "heldout")


def overlap(a: Span, b: Span) -> int:
    """Number of characters two spans share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def matches(pred: Span, gold: Span, min_overlap: float = 0.5) -> bool:
    """Whether `pred` counts for `gold`: same entity and >= `min_overlap` of the gold span."""
    if pred.entity != gold.entity:
        return False
    return overlap(pred, gold) >= min_overlap * (gold.end - gold.start)


def score_example(
    pred: Sequence[Span], gold: Sequence[Span], min_overlap: float = 0.5
) -> dict[str, SpanScore]:
    """Per-entity counts for one text."""
    entities = {s.entity for s in pred} | {s.entity for s in gold}
    scores: dict[str, SpanScore] = {}
    for entity in entities:
        p = [s for s in pred if s.entity == entity]
        g = [s for s in gold if s.entity == entity]
        found = sum(any(matches(x, y, min_overlap) for x in p) for y in g)
        correct = sum(any(matches(x, y, min_overlap) for y in g) for x in p)
        scores[entity] = SpanScore(entity, len(g), len(p), found, correct)
    return scores


def add(a: SpanScore, b: SpanScore) -> SpanScore:
    """Sum the counts of two scores (the entity name of `a` is kept)."""
    return SpanScore(
        a.entity,
        a.n_gold + b.n_gold,
        a.n_pred + b.n_pred,
        a.gold_found + b.gold_found,
        a.pred_correct + b.pred_correct,
    )


def score_corpus(
    pairs: Iterable[tuple[Sequence[Span], Sequence[Span]]],
    entities: Iterable[str] | None = None,
    min_overlap: float = 0.5,
) -> dict[str, SpanScore]:
    """Per-entity scores plus an "ALL" micro average over (predicted, gold) pairs.

    When `entities` is given, only those types are scored (the others are dropped on both sides),
    so a detector is not charged for types it does not claim to find.
    """
    keep = set(entities) if entities is not None else None
    totals: dict[str, SpanScore] = {}
    for pred, gold in pairs:
        if keep is not None:
            pred = [s for s in pred if s.entity in keep]
            gold = [s for s in gold if s.entity in keep]
        for entity, score in score_example(pred, gold, min_overlap).items():
            zero = SpanScore(entity, 0, 0, 0, 0)
            totals[entity] = add(totals.get(entity, zero), score)
    overall = SpanScore("ALL", 0, 0, 0, 0)
    for score in totals.values():
        overall = add(overall, score)
    return {**dict(sorted(totals.items())), "ALL": overall}


def format_table(scores: Mapping[str, SpanScore]) -> str:
    """A plain-text table: entity, gold, predicted, precision, recall, F1."""
    lines = [f"{'entity':<12} {'gold':>5} {'pred':>5} {'prec':>6} {'recall':>6} {'f1':>6}"]
    for s in scores.values():
        lines.append(
            f"{s.entity:<12} {s.n_gold:>5} {s.n_pred:>5} "
            f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
        )
    return "\n".join(lines)
