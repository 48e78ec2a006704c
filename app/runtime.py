"""Hands the composition root's container to code a framework loads by path (Chainlit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.container import Container

_installed: Container | None = None


def install(container: Container) -> None:
    """Make `container` the one that framework-loaded handlers use."""
    global _installed
    _installed = container


def current() -> Container:
    """The installed container; fails loudly if the app was not built through create_app."""
    if _installed is None:
        raise RuntimeError(
            "No TrustDesk container installed: build the app with app.main.create_app"
        )
    return _installed
