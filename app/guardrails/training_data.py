"""Training texts made from the demo store and from general prompts (deterministic).

In-domain: questions about the shop's own products, categories and policy pages, and short
follow-ups built from the catalogue's sizes and colours, so that "Is the Frankie Sweatshirt in
stock?" or "and in green?" are known shop talk. Out-of-domain: the single sentences inside
general prompts, so that the model also learns short general requests ("Translate this to
English?"), not only long ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from langchain_core.documents import Document

from rag.schema import CATEGORY, DOC_TYPE, NAME, SECTION

PRODUCT_TEMPLATES = (
    "How much is the {}?",
    "Is the {} in stock?",
    "Do you have the {} in another size?",
    "What colours does the {} come in?",
    "Tell me about the {}.",
    "Can I return the {} if it doesn't fit?",
    "What is the warranty on the {}?",
    "I want to order the {}",
    "How long does delivery of the {} take?",
    "What do reviews say about the {}?",
    "Is the {} good for a beginner?",
    "My {} arrived damaged, what can I do?",
)
CATEGORY_TEMPLATES = (
    "Do you sell {}?",
    "Show me your {} under $50",
    "I'm looking for {}",
    "What {} do you have on sale?",
    "Which {} would you recommend?",
)
POLICY_TEMPLATES = ("Where can I read about {}?", "What is your policy on {}?", "Tell me about {}")
FOLLOWUP_TEMPLATES = (
    "and in {}?",
    "do you have it in {}?",
    "what about {}?",
    "is there one in {}?",
    "I'd prefer {}",
)
_OPTION_LINE = re.compile(r"^(?:Sizes|Colours|Colors|Options|Material):\s*(.+?)\.?$", re.MULTILINE)


def store_questions(documents: Sequence[Document]) -> list[str]:
    """Shopper questions about the store's products, categories and policy sections."""
    names = _distinct(
        str(d.metadata.get(NAME, "")) for d in documents if d.metadata.get(DOC_TYPE) == "product"
    )
    categories = _distinct(
        str(d.metadata.get(CATEGORY, "")).split(">")[-1].strip().lower() for d in documents
    )
    sections = _distinct(
        str(d.metadata.get(SECTION, "")).lower()
        for d in documents
        if d.metadata.get(DOC_TYPE) == "policy"
    )
    questions = _fill(PRODUCT_TEMPLATES, names) + _fill(CATEGORY_TEMPLATES, categories)
    return (
        questions
        + _fill(POLICY_TEMPLATES, sections)
        + _fill(FOLLOWUP_TEMPLATES, _options(documents))
    )


def general_sentences(prompts: Iterable[str], limit: int) -> list[str]:
    """Up to `limit` distinct 3-25 word sentences from general prompts, chosen by text hash."""
    found: set[str] = set()
    for prompt in prompts:
        for raw in re.split(r"(?<=[.!?])\s+|\n+", prompt):
            sentence = raw.strip(" \"'*-#>")
            if 3 <= len(sentence.split()) <= 25 and re.match(r"[A-Za-z]", sentence):
                found.add(sentence)
    return sorted(found, key=_hash)[:limit]


def _options(documents: Sequence[Document]) -> list[str]:
    """Sizes, colours and materials named in the catalogue ("XL", "green", "organic cotton")."""
    values: list[str] = []
    for doc in documents:
        for match in _OPTION_LINE.finditer(doc.page_content):
            for part in re.split(r"[,;]", match.group(1)):
                value = part.split(":")[-1].strip().lower()
                if value and len(value) <= 20:
                    values.append(value)
    return sorted(set(values), key=_hash)[:200]


def _fill(templates: Sequence[str], values: Sequence[str]) -> list[str]:
    # Each value in one template, rotating, so every template meets many values.
    return [templates[i % len(templates)].format(v) for i, v in enumerate(values)]


def _distinct(values: Iterable[str]) -> list[str]:
    return sorted({v.strip() for v in values if v.strip()})


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
