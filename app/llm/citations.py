"""Citations: numbered sources for prompts and the [n] markers answers refer to them by."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.turns import Citation
from rag.schema import ANCHOR, SECTION, SOURCE, RetrievedChunk

_MARKER = re.compile(r"\[(\d+)\]|\^(\d+)")
SNIPPET_CHARS = 300


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def make_citation(index: int, chunk: RetrievedChunk, quoted: str | None = None) -> Citation:
    """A citation of `chunk` under marker `index`; `quoted` is the text the answer used."""
    title = chunk.title
    section = str(chunk.metadata.get(SECTION) or "")
    return Citation(
        index=index,
        chunk_id=chunk.chunk_id,
        source=str(chunk.metadata.get(SOURCE, "")),
        title=f"{title} — {section}" if section and section != title else title,
        snippet=snippet(quoted or chunk.text),
        anchor=str(chunk.metadata.get(ANCHOR, "")),
        score=chunk.score,
    )


def numbered_sources(chunks: Sequence[RetrievedChunk]) -> str:
    """The chunks as the numbered source list a chat prompt shows ([1] title\\ntext)."""
    blocks = []
    for index, chunk in enumerate(chunks, start=1):
        section = str(chunk.metadata.get(SECTION) or "")
        heading = (
            f"{chunk.title} — {section}" if section and section != chunk.title else chunk.title
        )
        blocks.append(f"[{index}] {heading}\n{chunk.text.strip()}")
    return "\n\n".join(blocks) if blocks else "(no sources found)"


def cited_indices(text: str, count: int) -> list[int]:
    """Source numbers an answer cites, in order of first use, ignoring numbers out of range."""
    seen: list[int] = []
    for match in _MARKER.finditer(text):
        index = int(match[1] or match[2])
        if 1 <= index <= count and index not in seen:
            seen.append(index)
    return seen


def citations_for(text: str, chunks: Sequence[RetrievedChunk]) -> list[Citation]:
    """Citations of the sources an answer's markers refer to, keeping the prompt's numbering."""
    return [make_citation(i, chunks[i - 1]) for i in cited_indices(text, len(chunks))]
