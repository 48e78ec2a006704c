"""Source loaders of the demo store, and the registry that picks one per file by its shape."""

from __future__ import annotations

from rag.loaders.base import LoaderRegistry, SourceLoader
from rag.loaders.dummyjson_products import DummyJsonProductsLoader
from rag.loaders.magento_pages import MagentoPagesLoader
from rag.loaders.magento_products import MagentoProductsLoader
from rag.loaders.retail_catalog import RetailCatalogLoader

__all__ = [
    "DummyJsonProductsLoader",
    "LoaderRegistry",
    "MagentoPagesLoader",
    "MagentoProductsLoader",
    "RetailCatalogLoader",
    "SourceLoader",
    "default_registry",
]


def default_registry() -> LoaderRegistry:
    """A fresh registry with every built-in loader; a shop may `register` its own on top."""
    return LoaderRegistry(
        [
            MagentoProductsLoader(),
            MagentoPagesLoader(),
            DummyJsonProductsLoader(),
            RetailCatalogLoader(),
        ]
    )
