"""`trustdesk eval ab`: the live prompt A/B test from the turn log, version by version.

Per version: conversations (counted under the version of their first turn), turns, feedback
rate (turns rated / turns), thumbs-up share (up / rated, the latest rating of a turn counts),
handoff rate (conversations handed to a person / conversations) and mean trust of the scored
turns. Each version is compared with the lowest one (the control) by a two-proportion z-test
on the thumbs-up share and the handoff rate: the difference with its 95 % confidence interval
and the two-sided p-value. Below `min_samples` per side the verdict is "not enough data".
Conversations of eval runs (channel "eval") are left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.store import make_engine, upgrade_database
from app.store.ab_crud import PromptTurn, prompt_turns

_Z95 = 1.959963984540054
MIN_SAMPLES = 30


@dataclass(frozen=True)
class Arm:
    """What the log holds for one prompt version."""

    version: int
    conversations: int
    turns: int
    rated: int
    thumbs_up: int
    handoffs: int
    trust_scored: int
    trust_sum: float

    @property
    def feedback_rate(self) -> float | None:
        """Share of turns the shopper rated."""
        return _share(self.rated, self.turns)

    @property
    def thumbs_up_share(self) -> float | None:
        """Share of rated turns rated up."""
        return _share(self.thumbs_up, self.rated)

    @property
    def handoff_rate(self) -> float | None:
        """Share of conversations handed to a person."""
        return _share(self.handoffs, self.conversations)

    @property
    def mean_trust(self) -> float | None:
        """Mean trust score of the scored turns."""
        return self.trust_sum / self.trust_scored if self.trust_scored else None


@dataclass(frozen=True)
class ProportionTest:
    """A version against the control on one proportion."""

    metric: str
    control: int
    version: int
    difference: float | None  # version minus control
    low: float | None
    high: float | None
    p_value: float | None
    verdict: str


def arms(turns: Sequence[PromptTurn]) -> list[Arm]:
    """One Arm per prompt version found, lowest version first."""
    first_version: dict[str, int] = {}
    handed: dict[str, bool] = {}
    for turn in turns:  # oldest first: the first turn decides the conversation's version
        first_version.setdefault(turn.conversation_id, turn.prompt_version)
        handed[turn.conversation_id] = turn.handed_off
    result = []
    for version in sorted({t.prompt_version for t in turns}):
        mine = [t for t in turns if t.prompt_version == version]
        rated = [t.feedback for t in mine if t.feedback is not None]
        scored = [t.trust_score for t in mine if t.trust_score is not None]
        conversations = [c for c, v in first_version.items() if v == version]
        result.append(
            Arm(
                version=version,
                conversations=len(conversations),
                turns=len(mine),
                rated=len(rated),
                thumbs_up=sum(rated),
                handoffs=sum(handed[c] for c in conversations),
                trust_scored=len(scored),
                trust_sum=float(sum(scored)),
            )
        )
    return result


def two_proportions(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float, float, float | None]:
    """p2 - p1, its 95 % Wald interval, and the pooled two-sided z-test p-value."""
    p1, p2 = x1 / n1, x2 / n2
    difference = p2 - p1
    half = _Z95 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    pooled = (x1 + x2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    # Both sides all up (or all down): no variation to test, and no difference either.
    p_value = None if spread == 0 else math.erfc(abs(difference) / spread / math.sqrt(2))
    return difference, difference - half, difference + half, p_value


def tests(found: Sequence[Arm], *, min_samples: int = MIN_SAMPLES) -> list[ProportionTest]:
    """Every version against the control on thumbs-up share and handoff rate."""
    if len(found) < 2:
        return []
    control, *others = found
    result = []
    for arm in others:
        result.append(
            _test("thumbs-up share", control, arm, "thumbs_up", "rated", "rated turns", min_samples)
        )
        result.append(
            _test(
                "handoff rate",
                control,
                arm,
                "handoffs",
                "conversations",
                "conversations",
                min_samples,
            )
        )
    return result


def _test(
    metric: str, control: Arm, arm: Arm, hits: str, total: str, unit: str, min_samples: int
) -> ProportionTest:
    x1, n1 = getattr(control, hits), getattr(control, total)
    x2, n2 = getattr(arm, hits), getattr(arm, total)
    if min(n1, n2) < min_samples:
        verdict = f"not enough data ({n1} and {n2} {unit}; {min_samples} each needed)"
        return ProportionTest(metric, control.version, arm.version, None, None, None, None, verdict)
    difference, low, high, p_value = two_proportions(x1, n1, x2, n2)
    if p_value is None:
        verdict = "no difference (no variation on either side)"
    elif p_value < 0.05:
        verdict = "significant at the 5 % level"
    else:
        verdict = "no significant difference"
    return ProportionTest(
        metric, control.version, arm.version, difference, low, high, p_value, verdict
    )


def format_ab(prompt_name: str, found: Sequence[Arm], checks: Sequence[ProportionTest]) -> str:
    """The per-version table and the tests, as text."""
    if not found:
        return f"no live turns answered with {prompt_name} in this period"
    lines = [
        f"{'prompt':<14} {'convs':>6} {'turns':>6} {'feedback':>9} {'thumbs up':>10} "
        f"{'handoff':>8} {'trust':>6}"
    ]
    for arm in found:
        lines.append(
            f"{f'{prompt_name}@v{arm.version}':<14} {arm.conversations:>6} {arm.turns:>6} "
            f"{_pct(arm.feedback_rate):>9} {_pct(arm.thumbs_up_share):>10} "
            f"{_pct(arm.handoff_rate):>8} {_num(arm.mean_trust):>6}"
        )
    if len(found) == 1:
        lines.append("only one version in this period: nothing to compare")
    for test in checks:
        lines.append(_test_line(test))
    return "\n".join(lines)


def ab_report(
    database_url: str,
    *,
    prompt_name: str = "answer",
    since: date | None = None,
    until: date | None = None,
    min_samples: int = MIN_SAMPLES,
) -> str:
    """The A/B report over the turn log at `database_url`."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            turns = prompt_turns(session, prompt_name=prompt_name, since=since, until=until)
    finally:
        engine.dispose()
    found = arms(turns)
    return format_ab(prompt_name, found, tests(found, min_samples=min_samples))


def _test_line(test: ProportionTest) -> str:
    head = f"{test.metric}, v{test.version} vs v{test.control}:"
    if test.difference is None or test.low is None or test.high is None:
        return f"{head} {test.verdict}"
    p_value = "–" if test.p_value is None else f"{test.p_value:.3f}"
    return (
        f"{head} {test.difference * 100:+.1f} pt (95 % CI {test.low * 100:+.1f} to "
        f"{test.high * 100:+.1f}), p = {p_value}: {test.verdict}"
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
