"""What every dataset builder shares: stable sampling, source texts, and fact verification."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from langchain_core.documents import Document

from evals.cases import EvalCase, Fact
from rag.loaders.base import format_price
from rag.schema import DOC_TYPE, NAME, PRODUCT_ID, SOURCE, SOURCE_ID

T = TypeVar("T")
_SPACE = re.compile(r"\s+")


def stable_sample(items: Sequence[T], key: Callable[[T], str], count: int, salt: str) -> list[T]:
    """`count` items chosen by a hash of their key (spread over the data), in their own order."""
    ranked = sorted(range(len(items)), key=lambda i: _digest(f"{salt}:{key(items[i])}"))
    return [items[i] for i in sorted(ranked[:count])]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_hash(text: str, length: int = 10) -> str:
    """A short, stable id fragment for `text`."""
    return _digest(text)[:length]


def flat(text: str) -> str:
    """`text` with runs of whitespace collapsed (how facts are looked up in sources)."""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


@dataclass(frozen=True)
class SourceTexts:
    """The text of every source document (all its chunks), by `source_id`, as ingest sees it."""

    texts: dict[str, str]
    product_names: Counter[str]

    @classmethod
    def from_documents(cls, documents: Iterable[Document]) -> SourceTexts:
        """Index loaded store documents by source id."""
        parts: defaultdict[str, list[str]] = defaultdict(list)
        products: dict[tuple[str, str], str] = {}  # (file, product id) -> name
        for doc in documents:
            parts[str(doc.metadata[SOURCE_ID])].append(flat(doc.page_content))
            if doc.metadata.get(DOC_TYPE) == "product":
                key = (str(doc.metadata.get(SOURCE)), str(doc.metadata.get(PRODUCT_ID)))
                products[key] = str(doc.metadata.get(NAME) or "")
        names = Counter(name.lower() for name in products.values() if name)
        return cls({sid: "\n".join(texts) for sid, texts in parts.items()}, names)

    def unambiguous(self, name: str) -> bool:
        """Whether exactly one product document carries this name (case-insensitive)."""
        return self.product_names[name.lower()] == 1

    def has_fact(self, source_id: str, fact: Fact) -> bool:
        """Whether the fact's text is written in the source document."""
        return flat(fact.text) in self.texts.get(source_id, "")

    def check(self, case: EvalCase) -> None:
        """Refuse a case whose expected facts are not all written in one of its sources."""
        sources = case.expected.sources
        missing = [source for source in sources if source not in self.texts]
        if missing or not sources:
            raise ValueError(f"{case.id}: unknown expected sources {missing or sources}")
        for fact in case.expected.facts:
            if not any(self.has_fact(source, fact) for source in sources):
                raise ValueError(f"{case.id}: fact {fact.text!r} is not in {list(sources)}")


def money(amount: float, text: str | None = None) -> Fact:
    """A money fact, written as the catalogue writes prices ($52.00) unless told otherwise."""
    return Fact(kind="money", text=text or format_price(amount), value=round(amount, 2))


def rotate(templates: Sequence[str], index: int, **values: str) -> str:
    """The index-th phrasing (cycling), filled in."""
    return templates[index % len(templates)].format(**values)
