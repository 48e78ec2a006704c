"""The takeover texts the shopper reads are a versioned reply set, checked when loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.prompts import PromptError
from app.takeover import TakeoverNotice, load_takeover_replies, takeover_replies_path

RELEASED = takeover_replies_path(Path("prompts"))


def test_the_released_set_names_the_shop_and_covers_every_moment() -> None:
    replies = load_takeover_replies(RELEASED, shop_name="Luma")
    assert str(replies.ref) == "takeover_replies@v1"
    for notice in TakeoverNotice:
        assert "Luma" in replies.text(notice)
    assert "will" in replies.text(TakeoverNotice.HANDOFF)  # says a person will write, no time


def _copy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "takeover_replies" / "v1.yaml"
    path.parent.mkdir()
    path.write_text(text)
    return path


def test_a_set_missing_a_moment_is_refused(tmp_path: Path) -> None:
    text = RELEASED.read_text().split("  handed_back:")[0]
    with pytest.raises(PromptError, match="replies must be exactly"):
        load_takeover_replies(_copy(tmp_path, text))


def test_an_unknown_placeholder_is_refused_with_the_reply_named(tmp_path: Path) -> None:
    text = RELEASED.read_text().replace("has joined the", "({agent_name}) has joined the")
    with pytest.raises(PromptError, match=r"replies\.joined uses an unknown placeholder"):
        load_takeover_replies(_copy(tmp_path, text))
