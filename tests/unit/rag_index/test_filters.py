"""SearchFilters as a Chroma `where` clause and as a numpy mask: same meaning on both paths."""

from __future__ import annotations

from rag.filters import MetadataTable, chroma_where
from rag.schema import SearchFilters
from tests.unit.rag_index.factories import small_store


def _kept(filters: SearchFilters) -> set[str]:
    docs = small_store()
    mask = MetadataTable.from_metadatas([doc.metadata for doc in docs]).mask(filters)
    assert mask is not None
    return {
        str(doc.metadata.get("sku") or doc.metadata["section"])
        for doc, keep in zip(docs, mask, strict=True)
        if keep
    }


def test_no_filters_means_no_where_and_no_mask() -> None:
    table = MetadataTable.from_metadatas([doc.metadata for doc in small_store()])

    assert chroma_where(None) is None
    assert chroma_where(SearchFilters()) is None
    assert table.mask(None) is None


def test_where_is_flat_for_one_condition_and_anded_for_several() -> None:
    assert chroma_where(SearchFilters(doc_type="policy")) == {"doc_type": {"$eq": "policy"}}
    assert chroma_where(SearchFilters(doc_type="product", max_price=30.0, in_stock=True)) == {
        "$and": [
            {"doc_type": {"$eq": "product"}},
            {"price": {"$lte": 30.0}},
            {"in_stock": {"$eq": True}},
        ]
    }


def test_doc_type_filter() -> None:
    assert _kept(SearchFilters(doc_type="policy")) == {
        "Returns and Replacements",
        "Shipping and Delivery",
        "Cookies",
    }


def test_price_range_matches_any_variant_price_and_drops_policies() -> None:
    # Apollo shorts cost 32.50-36.00: "under 33" and "over 35" both match one of its variants.
    assert _kept(SearchFilters(max_price=33.0)) == {"MSH02", "WSH02", "24-UG06"}
    assert _kept(SearchFilters(min_price=35.0)) == {"MJ11", "WJ06", "MSH02"}
    assert _kept(SearchFilters(min_price=29.0, max_price=40.0)) == {"MSH02"}


def test_stock_and_category_filters() -> None:
    assert _kept(SearchFilters(in_stock=False)) == {"WJ06"}
    assert "WJ06" not in _kept(SearchFilters(in_stock=True))
    assert _kept(SearchFilters(category="Men > Bottoms > Shorts")) == {"MSH02"}
