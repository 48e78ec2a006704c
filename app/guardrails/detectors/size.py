"""Size and encoding detector: empty, oversized, binary or control-character input."""

from __future__ import annotations

import re

from app.guardrails.base import Detection

NAME = "size"
MAX_CHARS = 4000

# C0 controls except tab, newline and carriage return; DEL; C1 controls; and the bidirectional
# overrides and isolates that can make text display differently from what it says. Zero-width
# joiners and variation selectors are left alone: emoji sequences are made of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BINARY_SHARE = 0.1


class SizeDetector:
    """Flags input the other guards and the model should never see."""

    name = NAME

    def __init__(self, max_chars: int = MAX_CHARS) -> None:
        self.max_chars = max_chars

    def detect(self, text: str) -> Detection:
        """Detail is one of: empty, too_long, binary, control_chars (or "" when fine)."""
        if not text.strip():
            return Detection(NAME, True, 1.0, "empty")
        if len(text) > self.max_chars:
            return Detection(NAME, True, 1.0, f"too_long: {len(text)} > {self.max_chars} chars")
        if _looks_binary(text):
            return Detection(NAME, True, 1.0, "binary")
        controls = len(_CONTROL.findall(text))
        if controls:
            return Detection(NAME, True, 1.0, f"control_chars: {controls}")
        return Detection(NAME, False, 0.0, "")


def _looks_binary(text: str) -> bool:
    """NUL bytes, undecodable code units, or mostly replacement and control characters."""
    if "\x00" in text or _SURROGATE.search(text):
        return True
    junk = text.count("\ufffd") + len(_CONTROL.findall(text))
    return junk >= 4 and junk > _BINARY_SHARE * len(text)
