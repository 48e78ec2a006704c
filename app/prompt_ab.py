"""Which answer prompt a conversation gets: one for everyone, or a sticky weighted A/B split.

A conversation's version comes from a hash of its id, so it is the same on every turn, on every
worker and after a restart, without storing the assignment anywhere; the turn log records the
version each turn used. Changing the weights moves only the conversations whose hash falls in
the part of the range that changed hands.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate

from app.prompts import Prompt

_SCALE = float(1 << 64)


def bucket(conversation_id: str, salt: str = "prompts.ab") -> float:
    """A stable, uniform number in [0, 1) for a conversation id."""
    digest = hashlib.sha256(f"{salt}:{conversation_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


class PromptChooser:
    """Picks a conversation's answer prompt; the first prompt is the default."""

    def __init__(self, weighted: Sequence[tuple[Prompt, float]]) -> None:
        kept = [(prompt, weight) for prompt, weight in weighted if weight > 0]
        if not kept:
            raise ValueError("a prompt chooser needs at least one prompt with a weight above 0")
        total = sum(weight for _, weight in kept)
        self._prompts = tuple(prompt for prompt, _ in kept)
        # Upper edges of each prompt's share of [0, 1); the last is 1.0 whatever the rounding.
        self._edges = [*list(accumulate(w / total for _, w in kept))[:-1], 1.0]

    @classmethod
    def single(cls, prompt: Prompt) -> PromptChooser:
        """Everyone gets `prompt` (no A/B test)."""
        return cls([(prompt, 1.0)])

    @classmethod
    def from_weights(
        cls, weights: Mapping[str, float], load: Callable[[str], Prompt]
    ) -> PromptChooser:
        """An A/B split by `weights` (name@vN -> weight), in name order so it is reproducible."""
        return cls([(load(key), weights[key]) for key in sorted(weights)])

    @property
    def default(self) -> Prompt:
        """The prompt for what belongs to no conversation (health probe, eval fingerprint)."""
        return self._prompts[0]

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        """Every prompt in the split."""
        return self._prompts

    def choose(self, conversation_id: str) -> Prompt:
        """The conversation's prompt (always the same one for the same id and weights)."""
        if len(self._prompts) == 1:
            return self._prompts[0]
        return self._prompts[bisect_right(self._edges, bucket(conversation_id))]
