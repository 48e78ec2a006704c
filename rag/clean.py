"""HTML and text cleaning: shop HTML to readable lines, with tables rendered as sentences."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString

# Magento template directives ({{store url="..."}}, {{widget ...}}) carry no readable text.
_DIRECTIVE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_WHITESPACE = re.compile(r"\s+")
_FOOTNOTE_MARK = re.compile(r"\s*(\*+|†+)\s*$")
_FOOTNOTE_LINE = re.compile(r"^(\*+|†+)\s*(.+)$")
# Navigation, menus and widgets repeat the page's headings as links; they are not content.
_NAV_CLASS = re.compile(r"(^|[-_])(nav|navigation|menu|widget|breadcrumbs?)($|[-_])", re.IGNORECASE)

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_DROPPED = {
    "script",
    "style",
    "noscript",
    "nav",
    "form",
    "button",
    "iframe",
    "svg",
    "template",
    "head",
}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "header", "main", "ol", "p", "pre", "section", "ul",
}  # fmt: skip


@dataclass(frozen=True)
class Block:
    """A heading, paragraph line, list item or whole table; `level` is 1-6 for headings, else 0."""

    text: str
    level: int = 0
    anchor_id: str = ""


def strip_directives(text: str) -> str:
    """Remove Magento `{{...}}` template directives."""
    return _DIRECTIVE.sub("", text)


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace (non-breaking spaces included) to single spaces."""
    return _WHITESPACE.sub(" ", text.replace("\xa0", " ")).strip()


def slugify(text: str) -> str:
    """URL slug of `text`: ASCII lower case words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def html_to_blocks(html: str) -> list[Block]:
    """Readable lines of an HTML fragment: headings, paragraphs, list items and table rows."""
    soup = BeautifulSoup(strip_directives(html), "html.parser")
    builder = _BlockBuilder()
    builder.walk(soup)
    builder.flush()
    return builder.blocks


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment, one line per block."""
    return "\n".join(block.text for block in html_to_blocks(html))


def lower_first(text: str) -> str:
    """Lower-case the first letter of an ordinary word ("Up to" -> "up to"; "CART" stays)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def with_period(text: str) -> str:
    """End a sentence with a full stop unless it already ends with punctuation."""
    return text if not text or text[-1] in ".!?:;" else f"{text}."


@dataclass
class _BlockBuilder:
    """Walks a parsed fragment in document order and collects its readable lines."""

    blocks: list[Block] = field(default_factory=list)
    footnotes: dict[str, list[str]] = field(default_factory=dict)
    _buffer: list[str] = field(default_factory=list)
    _prefix: str = ""

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self._buffer.append(str(child))
            elif isinstance(child, Tag) and not _is_dropped(child):
                self._visit(child)

    def _visit(self, tag: Tag) -> None:
        name = tag.name
        if name == "br":
            self._buffer.append("\n")
        elif name in _HEADINGS:
            self.flush()
            text = normalize_space(tag.get_text(" "))
            if text:
                self.blocks.append(Block(text, _HEADINGS[name], str(tag.get("id") or "")))
        elif name == "table":
            self.flush()
            lines, marks = render_table(tag)
            self.footnotes.update(marks)
            if lines:
                # One block, so that chunking keeps a table's caption and rows together.
                self.blocks.append(Block("\n".join(lines)))
        elif name == "li":
            self.flush()
            self._prefix = "- "
            self.walk(tag)
            self.flush()
            self._prefix = ""
        elif name in _BLOCKS:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)

    def flush(self) -> None:
        """Turn buffered inline text into lines."""
        for raw in "".join(self._buffer).split("\n"):
            line = normalize_space(raw)
            if line:
                self.blocks.append(Block(self._prefix + self._explain_footnote(line)))
                self._prefix = ""
        self._buffer.clear()

    def _explain_footnote(self, line: str) -> str:
        # A footnote like "*before tax" reads well only once its mark names what it annotates.
        match = _FOOTNOTE_LINE.match(line)
        if match is None or match.group(1) not in self.footnotes:
            return line
        return with_period(f"Note on {', '.join(self.footnotes[match.group(1)])}: {match.group(2)}")


def _is_dropped(tag: Tag) -> bool:
    if tag.name in _DROPPED or tag.has_attr("hidden"):
        return True
    return any(_NAV_CLASS.search(name) for name in tag.get_attribute_list("class") if name)


def render_table(table: Tag) -> tuple[list[str], dict[str, list[str]]]:
    """Table rows as sentences that keep every cell, plus footnote marks found in the headers."""
    marks: dict[str, list[str]] = {}
    headers: list[str] = []
    lines: list[str] = []
    caption = table.find("caption")
    if isinstance(caption, Tag) and normalize_space(caption.get_text(" ")):
        lines.append(f"{normalize_space(caption.get_text(' '))}:")
    for row in table.find_all("tr"):
        cells = [
            cell for cell in row.find_all(["th", "td"], recursive=False) if isinstance(cell, Tag)
        ]
        if not cells:
            continue
        if not headers and all(cell.name == "th" for cell in cells):
            headers = [_header_label(cell, marks) for cell in cells]
            continue
        lines.append(_row_sentence(cells, headers))
    return lines, marks


def _cell_parts(cell: Tag) -> list[str]:
    """Text of a cell split at its line breaks."""
    pieces: list[str] = []
    for node in cell.descendants:
        if isinstance(node, Tag) and node.name == "br":
            pieces.append("\n")
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            pieces.append(str(node))
    return [part for part in (normalize_space(p) for p in "".join(pieces).split("\n")) if part]


def _header_label(cell: Tag, marks: dict[str, list[str]]) -> str:
    """ "STANDARD / 5—7 day shipping **" -> "Standard (5—7 day shipping)", remembering the mark."""
    parts = _cell_parts(cell)
    mark = ""
    for index, part in enumerate(parts):
        found = _FOOTNOTE_MARK.search(part)
        if found:
            mark = found.group(1)
            parts[index] = part[: found.start()].strip()
    parts = [part for part in parts if part]
    if not parts:
        return ""
    head = parts[0].capitalize() if parts[0].isupper() and len(parts[0]) > 1 else parts[0]
    label = f"{head} ({lower_first(' '.join(parts[1:]))})" if len(parts) > 1 else head
    if mark:
        marks.setdefault(mark, []).append(head)
    return label


def _row_sentence(cells: list[Tag], headers: list[str]) -> str:
    values = [" ".join(_cell_parts(cell)) for cell in cells]
    if cells[0].name != "th" or len(values) == 1:
        if headers and len(headers) == len(values):
            return with_period("; ".join(f"{h}: {v}" for h, v in zip(headers, values, strict=True)))
        return with_period(" | ".join(values))
    label, rest = values[0], values[1:]
    if len(rest) == 1:
        return with_period(f"{label}: {rest[0]}")
    corner = headers[0] if len(headers) == len(values) else ""
    prefix = f"{corner} {lower_first(label)}" if corner else label
    columns = headers[1:] if len(headers) == len(values) else [""] * len(rest)
    pairs = [f"{col} {value}".strip() for col, value in zip(columns, rest, strict=True)]
    return f"{prefix}: {'; '.join(pairs)}."
