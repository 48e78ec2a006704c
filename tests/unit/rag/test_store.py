"""The whole store: clean text, Chroma-safe metadata, stable ids, deterministic order."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from langchain_core.documents import Document

from rag import schema
from rag.loaders import default_registry
from rag.store import count_by_source, load_store

POLICY_KEYS = {
    schema.DOC_TYPE, schema.SOURCE, schema.SOURCE_ID, schema.TITLE, schema.SECTION, schema.ANCHOR,
}  # fmt: skip
PRODUCT_KEYS = POLICY_KEYS | {
    schema.PRODUCT_ID, schema.SKU, schema.NAME, schema.PRICE, schema.PRICE_MAX, schema.CATEGORY,
    schema.IN_STOCK,
}  # fmt: skip
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_ENTITY = re.compile(r"&(#\d+|[a-zA-Z]+);")


def test_chunk_counts_per_source(demo_documents: list[Document]) -> None:
    counts = count_by_source(demo_documents)
    assert counts["luma_products.csv"] >= 147
    assert counts["dummyjson_products.json"] >= 194
    assert counts["retail_db.json"] >= 50
    assert counts["luma_pages.csv"] >= 10
    assert "retail_agent_policy.md" not in counts


def test_no_markup_directives_or_entities_left(demo_documents: list[Document]) -> None:
    for doc in demo_documents:
        text = doc.page_content
        assert not _TAG.search(text), (doc.id, _TAG.search(text))
        assert "{{" not in text and "}}" not in text, doc.id
        assert not _ENTITY.search(text), (doc.id, _ENTITY.search(text))
        assert "  " not in text and "\n\n" not in text, doc.id


def test_metadata_fits_chroma_and_the_schema(demo_documents: list[Document]) -> None:
    for doc in demo_documents:
        meta = doc.metadata
        assert all(isinstance(v, str | int | float | bool) for v in meta.values()), doc.id
        expected = PRODUCT_KEYS if meta[schema.DOC_TYPE] == "product" else POLICY_KEYS
        assert meta[schema.DOC_TYPE] in {"product", "policy"}
        assert expected <= meta.keys(), (doc.id, expected - meta.keys())
        if meta[schema.DOC_TYPE] == "product":
            assert isinstance(meta[schema.PRICE], float) and isinstance(meta[schema.IN_STOCK], bool)
            assert 0 < meta[schema.PRICE] <= meta[schema.PRICE_MAX], doc.id


def test_every_chunk_opens_with_its_title(demo_documents: list[Document]) -> None:
    for doc in demo_documents:
        first_line = doc.page_content.splitlines()[0]
        assert first_line.startswith(str(doc.metadata[schema.TITLE])), doc.id
        if doc.metadata[schema.DOC_TYPE] == "policy":
            assert first_line.endswith(str(doc.metadata[schema.SECTION])), doc.id


def test_ids_are_unique(demo_documents: list[Document]) -> None:
    ids = [doc.id for doc in demo_documents]
    assert len(set(ids)) == len(ids)


def _snapshot(documents: list[Document]) -> list[tuple[str | None, str, dict[str, object]]]:
    return [(doc.id, doc.page_content, dict(doc.metadata)) for doc in documents]


def test_loading_is_deterministic(demo_store_dir: Path, demo_documents: list[Document]) -> None:
    assert _snapshot(load_store(demo_store_dir)) == _snapshot(demo_documents)


class FaqLoader:
    """A shop's own loader: plain-text FAQ files, one question and answer per line."""

    name = "faq_text"

    def matches(self, path: Path) -> bool:
        return path.suffix == ".txt" and path.read_text(encoding="utf-8").startswith("Q:")

    def load(self, path: Path) -> Iterator[Document]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            yield Document(page_content=line, metadata={schema.SOURCE: path.name, "n": number})


def test_a_shop_can_register_its_own_loader(demo_store_dir: Path, tmp_path: Path) -> None:
    shutil.copyfile(demo_store_dir / "luma_pages.csv", tmp_path / "pages.csv")
    (tmp_path / "faq.txt").write_text("Q: Gift wrap? A: Yes, $5.\n", encoding="utf-8")
    registry = default_registry()
    registry.register(FaqLoader())
    counts = count_by_source(load_store(tmp_path, registry))
    assert counts["faq.txt"] == 1
    assert counts["pages.csv"] == count_by_source(load_store(demo_store_dir))["luma_pages.csv"]
    assert "faq.txt" not in count_by_source(load_store(tmp_path))
