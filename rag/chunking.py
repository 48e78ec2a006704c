"""Chunking: split long texts so every piece repeats its header line; wrap pieces as Documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.schema import SOURCE_ID

MetadataValue = str | int | float | bool
Metadata = dict[str, MetadataValue]

# Extra metadata keys (beyond rag/schema.py) that place a piece inside its source document.
CHUNK_INDEX = "chunk_index"
CHUNK_COUNT = "chunk_count"

# all-MiniLM-L6-v2 reads 256 word pieces (about 1,000 characters of English) and truncates the rest.
DEFAULT_MAX_CHARS = 1000
DEFAULT_OVERLAP = 100
_MIN_BODY_CHARS = 200
_SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


def join_lines(*parts: str) -> str:
    """Join non-empty parts with newlines."""
    return "\n".join(part for part in parts if part)


def split_with_header(
    header: str,
    units: Sequence[str],
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    overlap: int = DEFAULT_OVERLAP,
) -> list[str]:
    """Pack whole units (lines, paragraphs, tables) into pieces that each start with `header`.

    A unit too long for one piece is cut with LangChain's recursive splitter first.
    """
    budget = max(max_chars - len(header) - 1, _MIN_BODY_CHARS)
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=budget,
        chunk_overlap=min(overlap, budget // 4),
        separators=_SEPARATORS,
        keep_separator="end",  # a sentence keeps its full stop
    )
    parts: list[str] = []
    for unit in filter(None, units):
        parts.extend(splitter.split_text(unit) if len(unit) > budget else [unit])
    return pack_lines(header, parts, max_chars=max_chars)


def pack_lines(
    header: str, lines: Sequence[str], *, max_chars: int = DEFAULT_MAX_CHARS
) -> list[str]:
    """Group whole lines into pieces that each start with `header`; a line is never cut."""
    pieces: list[str] = []
    current: list[str] = []
    size = len(header)
    for line in filter(None, lines):
        if current and size + 1 + len(line) > max_chars:
            pieces.append(join_lines(header, *current))
            current, size = [], len(header)
        current.append(line)
        size += 1 + len(line)
    if current or not pieces:
        pieces.append(join_lines(header, *current))
    return pieces


def check_metadata(metadata: Mapping[str, object]) -> Metadata:
    """Return `metadata` if every value is a str, int, float or bool (what Chroma stores)."""
    checked: Metadata = {}
    for key, value in metadata.items():
        if not isinstance(value, str | int | float | bool):
            raise ValueError(f"metadata {key!r} must be str/int/float/bool, got {value!r}")
        checked[key] = value
    return checked


def to_documents(pieces: Sequence[str], metadata: Mapping[str, MetadataValue]) -> list[Document]:
    """One Document per piece, sharing `metadata` plus its position and a stable id."""
    base = check_metadata(metadata)
    source_id = str(base[SOURCE_ID])
    return [
        Document(
            id=f"{source_id}:{index}",
            page_content=piece,
            metadata={**base, CHUNK_INDEX: index, CHUNK_COUNT: len(pieces)},
        )
        for index, piece in enumerate(pieces)
    ]
