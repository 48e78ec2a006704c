"""A fixed, named benchmark question set generated from the demo store (distinct questions)."""

from __future__ import annotations

from langchain_core.documents import Document

from rag.schema import DOC_TYPE, NAME, SECTION, TITLE

POLICY_QUESTIONS = [
    "What is your return policy?",
    "How much is shipping on a $150 order?",
    "How much is overnight shipping for a $350 order?",
    "How long do I have to return an item?",
    "Can I return a gift?",
    "How long does standard delivery take?",
    "Do you deliver on weekends?",
    "Is there an extra charge for shipping to Hawaii?",
    "How long does it take to process my return?",
    "Do you use SSL to protect my credit card?",
]

_TEMPLATES = (
    "How much is the {name}?",
    "Is the {name} in stock?",
    "What sizes does the {name} come in?",
    "What is the warranty on the {name}?",
)


def benchmark_questions(documents: list[Document], count: int = 120) -> list[str]:
    """Policy questions plus product questions over distinct product names, in store order."""
    names: list[str] = []
    for doc in documents:
        name = str(doc.metadata.get(NAME) or doc.metadata.get(TITLE) or "")
        is_product = doc.metadata.get(DOC_TYPE) == "product" and not doc.metadata.get(SECTION)
        if is_product and name and name not in names:
            names.append(name)
    # Spread over the store so every source (Luma, DummyJSON, retail) is asked about.
    step = max(1, len(names) // max(1, count - len(POLICY_QUESTIONS)))
    picked = names[::step]
    questions = list(POLICY_QUESTIONS)
    for index, name in enumerate(picked):
        questions.append(_TEMPLATES[index % len(_TEMPLATES)].format(name=name))
    return questions[:count]
