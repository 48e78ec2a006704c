"""Reader of labelled trust data (`trustdesk eval trust --data FILE`).

Format: a CSV file with a header row, or a JSON Lines file (`.jsonl`/`.ndjson`) with one object
per line, holding the columns `text`, `aspect` and `polarity`, one row per (text, aspect) label:
- `aspect` is one of the eight names (shipping, refunds, returns, pricing, product_features,
  availability, item_quality, customer_service; case, spaces and hyphens do not matter, and the
  paper's phrases "return process", "refund process", "product availability" are accepted), or
  empty (missing, null) for the text as a whole;
- `polarity` is positive, negative or neutral (pos/neg/neu also accepted).
Rows are grouped by their exact text (leading and trailing spaces removed), in order of first
appearance. A text's aspects are the aspects of its rows; a text with only empty-aspect rows is
about none of the eight (an aspect predicted for it is a false detection). The text's own
polarity is its empty-aspect row's; without one it is the polarity its aspect rows share, the
non-neutral one when they are that and neutral, and none (mixed: left out of the polarity
accuracy) when they hold both positive and negative. Repeating a row is allowed; giving one
(text, aspect) two polarities is an error.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from app.trust.base import Aspect, Polarity
from app.trust.labels import TrustExample

COLUMNS = ("text", "aspect", "polarity")
_ASPECT_ALIASES = {
    "return_process": Aspect.RETURNS,
    "return": Aspect.RETURNS,
    "refund_process": Aspect.REFUNDS,
    "refund": Aspect.REFUNDS,
    "product_availability": Aspect.AVAILABILITY,
    "price": Aspect.PRICING,
    "prices": Aspect.PRICING,
    "delivery": Aspect.SHIPPING,
    "quality": Aspect.ITEM_QUALITY,
    "features": Aspect.PRODUCT_FEATURES,
}
_POLARITY_ALIASES = {"pos": Polarity.POSITIVE, "neg": Polarity.NEGATIVE, "neu": Polarity.NEUTRAL}


class TrustDataError(ValueError):
    """A labelled trust file that cannot be read; the message names the file and the row."""


def read_trust_data(path: Path) -> list[TrustExample]:
    """The labelled texts of a CSV or JSONL file in the documented format."""
    if not path.is_file():
        raise TrustDataError(f"{path}: no such file")
    grouped: dict[str, tuple[dict[Aspect, Polarity], list[Polarity]]] = {}
    for number, row in _rows(path):
        text, aspect, polarity = _parse(path, number, row)
        aspects, whole = grouped.setdefault(text, ({}, []))
        if aspect is None:
            if whole and whole[0] != polarity:
                raise TrustDataError(f"{path}: row {number}: text has two overall polarities")
            whole[:] = [polarity]
        elif aspects.setdefault(aspect, polarity) != polarity:
            raise TrustDataError(
                f"{path}: row {number}: {aspect.value!r} has two polarities for this text"
            )
    if not grouped:
        raise TrustDataError(f"{path}: no labelled rows")
    return [
        TrustExample(text, aspects, whole[0] if whole else _text_polarity(aspects), path.name)
        for text, (aspects, whole) in grouped.items()
    ]


def parse_aspect(value: object) -> Aspect | None:
    """The aspect a cell names, None for an empty cell (ValueError when unknown)."""
    if value is None:
        return None
    key = re.sub(r"[\s\-]+", "_", str(value).strip().lower())
    if not key:
        return None
    if key in _ASPECT_ALIASES:
        return _ASPECT_ALIASES[key]
    try:
        return Aspect(key)
    except ValueError:
        names = ", ".join(a.value for a in Aspect)
        raise ValueError(f"unknown aspect {value!r} (expected one of {names}, or empty)") from None


def parse_polarity(value: object) -> Polarity:
    """The polarity a cell names (ValueError when missing or unknown)."""
    key = "" if value is None else str(value).strip().lower()
    if key in _POLARITY_ALIASES:
        return _POLARITY_ALIASES[key]
    try:
        return Polarity(key)
    except ValueError:
        raise ValueError(
            f"unknown polarity {value!r} (expected positive, negative or neutral)"
        ) from None


def _text_polarity(aspects: Mapping[Aspect, Polarity]) -> Polarity | None:
    signs = set(aspects.values()) - {Polarity.NEUTRAL}
    if len(signs) > 1:
        return None  # mixed
    if signs:
        return signs.pop()
    return Polarity.NEUTRAL if aspects else None


def _parse(
    path: Path, number: int, row: Mapping[str, object]
) -> tuple[str, Aspect | None, Polarity]:
    missing = [c for c in ("text", "polarity") if c not in row]
    if missing:
        raise TrustDataError(f"{path}: row {number} lacks column(s) {missing} (needs {COLUMNS})")
    text = str(row["text"] or "").strip()
    if not text:
        raise TrustDataError(f"{path}: row {number}: empty text")
    try:
        return text, parse_aspect(row.get("aspect")), parse_polarity(row["polarity"])
    except ValueError as error:
        raise TrustDataError(f"{path}: row {number}: {error}") from error


def _rows(path: Path) -> Iterator[tuple[int, Mapping[str, object]]]:
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from _jsonl_rows(path)
        else:
            yield from _csv_rows(path)
    except UnicodeDecodeError as error:
        raise TrustDataError(f"{path}: not UTF-8 text ({error.reason})") from error


def _csv_rows(path: Path) -> Iterator[tuple[int, Mapping[str, object]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        if "text" not in header or "polarity" not in header:
            raise TrustDataError(f"{path}: header {header} lacks `text` or `polarity` ({COLUMNS})")
        reader.fieldnames = header
        try:
            for number, row in enumerate(reader, start=2):
                if None in row:
                    raise TrustDataError(f"{path}: line {number} has more cells than the header")
                yield number, row
        except csv.Error as error:
            raise TrustDataError(f"{path}: not a readable CSV file ({error})") from error


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Mapping[str, object]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise TrustDataError(f"{path}: line {number} is not JSON ({error.msg})") from error
            if not isinstance(row, dict):
                raise TrustDataError(f"{path}: line {number} is not a JSON object")
            yield number, row
