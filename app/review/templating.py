"""Jinja2 for the console: autoescape always on, strict undefined, and a few display filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

TEMPLATES_DIR = Path(__file__).resolve().with_name("templates")
_MARKER = re.compile(r"\[(\d{1,3})\]")


def make_environment() -> Environment:
    """The template environment; every value is HTML-escaped unless it is `Markup`."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # all templates, whatever their file name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        dt=format_datetime,
        day=format_day,
        num=format_number,
        pct=format_percent,
        ms=format_ms,
        short=short_id,
        cite=link_citations,
    )
    return env


def format_datetime(value: datetime | None) -> str:
    """ "2026-11-23 14:05 UTC"."""
    if value is None:
        return "–"
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_day(value: datetime | date) -> str:
    """ "23 Nov 2026"."""
    return value.strftime("%d %b %Y").lstrip("0")


def format_number(value: float | None) -> str:
    """Two decimals, or a dash for no value."""
    return "–" if value is None else f"{value:.2f}"


def format_percent(value: float | None) -> str:
    """A share as a whole percentage, or a dash."""
    return "–" if value is None else f"{value * 100:.0f}%"


def format_ms(value: float | None) -> str:
    """Milliseconds, or a dash."""
    return "–" if value is None else f"{value:,.0f} ms"


def short_id(value: str) -> str:
    """The first 12 characters of an id (the full id is in the link)."""
    return value if len(value) <= 14 else value[:12] + "…"


def link_citations(text: str, turn_id: str) -> Markup:
    """The answer escaped, its [n] markers linked to the turn's source list."""
    escaped = str(escape(text))
    anchor = str(escape(turn_id))
    return Markup(
        _MARKER.sub(lambda m: f'<a class="cite" href="#t{anchor}-s{m[1]}">[{m[1]}]</a>', escaped)
    )
