"""How an answer's citations are shown in the chat: one text element per source."""

from __future__ import annotations

import chainlit as cl

from app.turns import Citation

SNIPPET_CHARS = 400


def source_label(citation: Citation) -> str:
    """The element name: the [n] marker used in the answer, then the source title."""
    return f"[{citation.index}] {citation.title}".strip()


def source_text(citation: Citation) -> str:
    """Element body: the quoted snippet, then where it comes from."""
    snippet = citation.snippet.strip()
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[:SNIPPET_CHARS].rstrip() + "…"
    where = citation.anchor or citation.source
    return f"{snippet}\n\nSource: {where}" if where else snippet


def source_elements(citations: list[Citation]) -> list[cl.Text]:
    """Inline text elements for the sources, in citation order, one per distinct marker."""
    seen: set[int] = set()
    elements: list[cl.Text] = []
    for citation in sorted(citations, key=lambda c: c.index):
        if citation.index in seen:
            continue
        seen.add(citation.index)
        elements.append(
            cl.Text(name=source_label(citation), content=source_text(citation), display="inline")
        )
    return elements
