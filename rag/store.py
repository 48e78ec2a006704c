"""Load a whole store folder: every file that a registered loader understands, in name order."""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from langchain_core.documents import Document

from rag.loaders import LoaderRegistry, default_registry
from rag.schema import SOURCE

logger = logging.getLogger(__name__)


def store_files(store_dir: Path) -> list[Path]:
    """Visible files of the store folder, sorted by name so loading order is stable."""
    if not store_dir.is_dir():
        raise FileNotFoundError(f"store folder not found: {store_dir}")
    return sorted(p for p in store_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def load_file(path: Path, registry: LoaderRegistry | None = None) -> list[Document]:
    """Documents of one file ([] when no loader understands it)."""
    loader = (registry or default_registry()).find(path)
    if loader is None:
        logger.info("no loader understands %s; skipped", path.name)
        return []
    documents = list(loader.load(path))
    logger.info("loaded %d chunks from %s with %s", len(documents), path.name, loader.name)
    return documents


def load_store(store_dir: Path, registry: LoaderRegistry | None = None) -> list[Document]:
    """Documents of every file in `store_dir` that a registered loader understands."""
    chosen = registry or default_registry()
    documents: list[Document] = []
    for path in store_files(store_dir):
        documents.extend(load_file(path, chosen))
    return documents


def count_by_source(documents: Sequence[Document]) -> dict[str, int]:
    """Number of chunks per source file."""
    return dict(Counter(str(doc.metadata.get(SOURCE, "")) for doc in documents))


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: print chunk counts per source and the longest chunk of a store folder."""
    parser = argparse.ArgumentParser(prog="python -m rag.store", description=main.__doc__)
    parser.add_argument("store_dir", nargs="?", type=Path, default=Path("data/store"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    documents = load_store(args.store_dir)
    for source, count in count_by_source(documents).items():
        print(f"{source}: {count} chunks")
    longest = max(documents, key=lambda doc: len(doc.page_content), default=None)
    if longest is not None:
        size = len(longest.page_content)
        print(f"total: {len(documents)} chunks; longest: {size} chars ({longest.id})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
