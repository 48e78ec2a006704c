"""The trust scorer's labelled messages, built from the dev data and the demo store only.

Sources and how each is labelled (documented in README, "Trust scoring"):
- Bitext customer-support requests: the intent gives the aspect (`INTENT_ASPECTS`; intents
  about accounts, invoices, newsletters, orders and payment methods are about none of the eight).
  Polarity: neutral, except complaints and requests tagged offensive ("W": "my damn address")
  which are negative.
- Amazon review sentences (UCI): polarity from the label; aspects from the keyword lexicon
  (`app/trust/lexicon.py`): weak labels. A review sentence without a keyword is about the
  product in ways the lexicon cannot tell ("Poor construction"), so its aspects stay unknown:
  it teaches polarity only.
- DummyJSON reviews in the store: polarity from the ratings (4-5 positive, 1-3 negative: the
  3-star comments are all complaints); aspects as for the Amazon sentences.
- tau-bench retail dialogues, the customers' turns: aspects from the lexicon; polarity neutral
  when no sentiment word occurs, positive when only positive ones do, otherwise unlabelled.
- Templated messages filled from the catalogue (`training_templates.py`).
Held-out rows: a stable hash of the text (of the template, for templated messages) puts 20% of
every source aside; training never reads them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from langchain_core.documents import Document

from app.guardrails.datasets import (
    AMAZON_FILE,
    BITEXT_FILE,
    TAU_FILE,
    is_heldout,
    read_tau_user_turns,
)
from app.trust.base import Aspect, Polarity
from app.trust.labels import TrustExample
from app.trust.lexicon import aspect_hits, sentiment_counts
from app.trust.training_templates import templates
from rag.schema import CATEGORY, DOC_TYPE, NAME

HELDOUT_PERCENT = 20
FILLS_PER_TEMPLATE = 6
DUMMYJSON_FILE = "dummyjson_products.json"

# Bitext intent -> aspect. Cancellation fees are charges, so pricing; payment methods and
# payment problems are how a shopper pays, not what things cost, so no aspect.
INTENT_ASPECTS: dict[str, Aspect] = {
    "delivery_options": Aspect.SHIPPING,
    "delivery_period": Aspect.SHIPPING,
    "track_order": Aspect.SHIPPING,
    "change_shipping_address": Aspect.SHIPPING,
    "set_up_shipping_address": Aspect.SHIPPING,
    "get_refund": Aspect.REFUNDS,
    "track_refund": Aspect.REFUNDS,
    "check_refund_policy": Aspect.REFUNDS,
    "contact_customer_service": Aspect.CUSTOMER_SERVICE,
    "contact_human_agent": Aspect.CUSTOMER_SERVICE,
    "complaint": Aspect.CUSTOMER_SERVICE,
    "check_cancellation_fee": Aspect.PRICING,
}
NEGATIVE_INTENTS = frozenset({"complaint"})
OFFENSIVE_TAG = "W"  # Bitext's tag for requests with offensive words

COUNTRIES = ("Canada", "Germany", "Australia", "the UK", "Ireland", "Mexico", "Japan", "France")
DURATIONS = ("three days", "two weeks", "10 days", "a month", "five days", "three weeks")
_OPTION_LINE = re.compile(r"^(?:Sizes|Colours):\s*(.+?)\.?$", re.MULTILINE)


@dataclass(frozen=True)
class DevData:
    """Training and held-out examples, and the sha256 of every file read."""

    train: list[TrustExample]
    heldout: list[TrustExample]
    files: dict[str, str]


def build_dev_data(dev_dir: Path, store_dir: Path, documents: Sequence[Document] = ()) -> DevData:
    """Every source, labelled and split (deterministic, whatever the row order)."""
    keyed = [
        *bitext_examples(dev_dir / BITEXT_FILE),
        *amazon_examples(dev_dir / AMAZON_FILE),
        *dummyjson_examples(store_dir / DUMMYJSON_FILE),
        *tau_examples(dev_dir / TAU_FILE),
        *template_examples(documents),
    ]
    train: list[TrustExample] = []
    heldout: list[TrustExample] = []
    seen: set[str] = set()
    for example, key in keyed:
        folded = example.text.casefold()
        if folded in seen:
            continue  # the first source to give a text labels it
        seen.add(folded)
        grouped = replace(example, group=key)
        (heldout if is_heldout(key, HELDOUT_PERCENT) else train).append(grouped)
    files = {name: _sha256(dev_dir / name) for name in (BITEXT_FILE, AMAZON_FILE, TAU_FILE)}
    if (store_dir / DUMMYJSON_FILE).is_file():
        files[DUMMYJSON_FILE] = _sha256(store_dir / DUMMYJSON_FILE)
    return DevData(train, heldout, files)


def bitext_examples(path: Path) -> list[tuple[TrustExample, str]]:
    """Bitext requests labelled by intent (aspect) and by complaint/offensive tag (polarity)."""
    out: list[tuple[TrustExample, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["instruction"].strip()
            negative = row["intent"] in NEGATIVE_INTENTS or OFFENSIVE_TAG in row["tags"]
            polarity = Polarity.NEGATIVE if negative else Polarity.NEUTRAL
            aspect = INTENT_ASPECTS.get(row["intent"])
            aspects = {} if aspect is None else {aspect: polarity}
            out.append((TrustExample(text, aspects, polarity, "bitext"), text))
    return out


def amazon_examples(path: Path) -> list[tuple[TrustExample, str]]:
    """UCI Amazon review sentences: labelled polarity, lexicon aspects."""
    out: list[tuple[TrustExample, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if text.strip() and label.strip() in ("0", "1"):
            polarity = Polarity.POSITIVE if label.strip() == "1" else Polarity.NEGATIVE
            out.append((_review(text.strip(), polarity, "amazon"), text.strip()))
    return out


def dummyjson_examples(path: Path) -> list[tuple[TrustExample, str]]:
    """DummyJSON review comments: polarity from the majority of their ratings."""
    if not path.is_file():
        return []
    votes: dict[str, Counter[Polarity]] = {}
    for product in json.loads(path.read_text(encoding="utf-8")):
        for review in product.get("reviews", []):
            text = str(review.get("comment", "")).strip()
            rating = int(review.get("rating", 0))
            polarity = Polarity.POSITIVE if rating >= 4 else Polarity.NEGATIVE
            votes.setdefault(text, Counter())[polarity] += 1
    return [
        (_review(text, count.most_common(1)[0][0], "dummyjson"), text)
        for text, count in sorted(votes.items())
        if text
    ]


def tau_examples(path: Path) -> list[tuple[TrustExample, str]]:
    """tau-bench customers' turns: lexicon aspects; neutral or thankful, else unlabelled."""
    out: list[tuple[TrustExample, str]] = []
    for turn in read_tau_user_turns(path):
        text = turn.replace("###STOP###", "").strip()
        if not text:
            continue
        positive, negative = sentiment_counts(text)
        polarity = (
            Polarity.NEUTRAL
            if positive == negative == 0
            else Polarity.POSITIVE
            if negative == 0
            else None
        )
        out.append((_lexicon_labelled(text, polarity, "tau"), text))
    return out


def template_examples(documents: Sequence[Document]) -> list[tuple[TrustExample, str]]:
    """Templated shopper messages filled with the catalogue's names, categories and options."""
    values = _fill_values(documents)
    out: list[tuple[TrustExample, str]] = []
    for index, template in enumerate(templates()):
        for fill in range(FILLS_PER_TEMPLATE):
            text = template.text.format(
                **{key: pool[(index * 7 + fill * 13) % len(pool)] for key, pool in values.items()}
            )
            example = TrustExample(text, dict(template.aspects), template.polarity, "templates")
            out.append((example, template.text))
    return out


def _review(text: str, polarity: Polarity, source: str) -> TrustExample:
    """A review sentence: lexicon aspects where a keyword occurs, else aspects unknown."""
    example = _lexicon_labelled(text, polarity, source)
    return example if example.aspects else TrustExample(text, None, polarity, source)


def _lexicon_labelled(text: str, polarity: Polarity | None, source: str) -> TrustExample:
    aspects = dict.fromkeys(sorted(aspect_hits(text)), polarity or Polarity.NEUTRAL)
    return TrustExample(text, aspects, polarity, source)


def _fill_values(documents: Sequence[Document]) -> dict[str, list[str]]:
    products = _by_hash(
        str(d.metadata.get(NAME, "")) for d in documents if d.metadata.get(DOC_TYPE) == "product"
    )
    categories = _by_hash(
        str(d.metadata.get(CATEGORY, "")).split(">")[-1].strip().lower() for d in documents
    )
    options = _by_hash(
        part.split(":")[-1].strip()
        for d in documents
        for match in _OPTION_LINE.finditer(d.page_content)
        for part in re.split(r"[,;]", match.group(1))
    )
    return {
        "product": products or ["jacket", "hoodie", "water bottle", "desk lamp"],
        "category": categories or ["jackets", "shoes", "bags"],
        "option": [o for o in options if len(o) <= 20] or ["blue", "size M", "XL"],
        "country": list(COUNTRIES),
        "days": list(DURATIONS),
    }


def _by_hash(values: Iterable[str]) -> list[str]:
    distinct = {v.strip() for v in values if v.strip()}
    return sorted(distinct, key=lambda v: hashlib.sha256(v.encode("utf-8")).hexdigest())


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
