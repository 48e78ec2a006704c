"""Magento CMS pages CSV (HTML content): one chunk per h1-h3 section of every page with text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.documents import Document

from rag.chunking import split_with_header, to_documents
from rag.clean import Block, html_to_blocks, slugify
from rag.loaders.base import csv_columns, policy_metadata, read_csv_rows

REQUIRED_COLUMNS = frozenset({"identifier", "title", "content"})
_SECTION_LEVELS = 3  # h1-h3 start a section; h4-h6 stay inside as ordinary lines


@dataclass
class Section:
    """Text under one heading; `path` lists the enclosing headings, outermost first."""

    path: list[str]
    anchor_id: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The section's own heading ("" for text before the first heading)."""
        return self.path[-1] if self.path else ""


class MagentoPagesLoader:
    """Loads Magento's CMS pages export (title, identifier, HTML content)."""

    name = "magento_pages"

    def matches(self, path: Path) -> bool:
        """A CSV with the CMS page columns (identifier, title, content)."""
        return csv_columns(path) >= REQUIRED_COLUMNS

    def load(self, path: Path) -> Iterator[Document]:
        """Policy chunks of every active page, section by section in page order."""
        for row in read_csv_rows(path):
            if row.get("is_active", "1").strip() == "0":
                continue
            yield from page_documents(path.name, row)


def split_sections(blocks: Sequence[Block]) -> list[Section]:
    """Group lines under their nearest h1-h3 heading; sections without text are dropped."""
    sections = [Section(path=[])]
    stack: list[tuple[int, str]] = []
    for block in blocks:
        if 0 < block.level <= _SECTION_LEVELS:
            stack = [(level, text) for level, text in stack if level < block.level]
            stack.append((block.level, block.text))
            sections.append(Section([text for _, text in stack], block.anchor_id))
        else:
            sections[-1].lines.append(block.text)
    return [section for section in sections if section.lines]


def page_documents(source: str, row: dict[str, str]) -> list[Document]:
    """Chunks of one CMS page; a page with no text (a widgets-only home page) gives none."""
    title = row.get("title", "").strip() or row.get("content_heading", "").strip()
    identifier = row["identifier"].strip()
    documents: list[Document] = []
    used_slugs: set[str] = set()
    for section in split_sections(html_to_blocks(row.get("content", ""))):
        heading = section.heading or title
        slug = _unique(slugify(heading) or "section", used_slugs)
        fragment = section.anchor_id or slug
        metadata = policy_metadata(
            source=source,
            source_id=f"{source}#{identifier}#{slug}",
            title=title,
            section=heading,
            anchor=f"/{identifier}#{fragment}" if section.heading else f"/{identifier}",
        )
        header = " > ".join([title, *section.path])
        pieces = split_with_header(header, section.lines)
        documents.extend(to_documents(pieces, metadata))
    return documents


def _unique(slug: str, used: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate)
    return candidate
