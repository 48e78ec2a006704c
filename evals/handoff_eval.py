"""Measure `asks_for_human` on the Bitext customer-support requests of the dev data.

    uv run python -m evals.handoff_eval [--dev-dir ../shared/data/dev] [--errors N]

Positives are the `contact_human_agent` requests; negatives are every other intent except
`contact_customer_service`, which mixes requests for a person ("I want to speak with customer
support") with questions about contact details ("what hours can I call customer service?") and
is reported on its own: the share flagged, and precision if all of it counted as negative.
The shopper turns of the tau-bench retail dialogues carry no labels: the ones flagged are
printed for a person to read.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.trust.handoff import asks_for_human
from evals.binary_metrics import ConfusionCounts

FILE = "bitext_customer_support.csv"
DIALOGUES = "tau_retail_dialogues.jsonl"
_TURN = re.compile(
    r"^user: (.*?)(?=\n(?:user|assistant|tool|system): |\Z)", re.MULTILINE | re.DOTALL
)
POSITIVE = "contact_human_agent"
MIXED = "contact_customer_service"


@dataclass(frozen=True)
class Counts(ConfusionCounts):
    """Confusion counts of a binary detector; an undefined rate reads as a perfect one."""

    @property
    def precision(self) -> float:
        """Share of flagged requests that are positives."""
        return _or(super().precision, 1.0)

    @property
    def recall(self) -> float:
        """Share of positives flagged."""
        return _or(super().recall, 1.0)

    @property
    def fpr(self) -> float:
        """Share of negatives flagged."""
        return _or(super().fpr, 0.0)


def load_requests(dev_dir: Path) -> list[tuple[str, str]]:
    """(instruction, intent) pairs of the Bitext dev file."""
    with (dev_dir / FILE).open(encoding="utf-8", newline="") as handle:
        return [(row["instruction"], row["intent"]) for row in csv.DictReader(handle)]


def shopper_turns(dev_dir: Path) -> list[str]:
    """The shopper's messages in the tau-bench retail dialogues (empty when the file is absent)."""
    path = dev_dir / DIALOGUES
    if not path.is_file():
        return []
    turns: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            turns += _TURN.findall(str(json.loads(line)["messages_display"]))
    return turns


def count(flags: Sequence[bool], truth: Sequence[bool]) -> Counts:
    """Confusion counts of predictions against labels."""
    return Counts.of(truth, flags)


def report(requests: Sequence[tuple[str, str]], errors: int = 0) -> list[str]:
    """The report's lines: main table, the mixed intent, and up to `errors` misses each way."""
    flagged = [asks_for_human(text) for text, _ in requests]
    main = [
        (f, intent == POSITIVE)
        for f, (_, intent) in zip(flagged, requests, strict=True)
        if intent != MIXED
    ]
    c = count([f for f, _ in main], [t for _, t in main])
    mixed = [f for f, (_, intent) in zip(flagged, requests, strict=True) if intent == MIXED]
    strict = Counts(c.tp, c.fp + sum(mixed), c.fn, c.tn + len(mixed) - sum(mixed))
    lines = [
        f"{FILE}: {len(requests)} requests; positives = {POSITIVE} ({c.tp + c.fn}), "
        f"negatives = other intents except {MIXED} ({c.fp + c.tn})",
        f"precision {c.precision:.3f}  recall {c.recall:.3f}  FPR {c.fpr:.4f}  "
        f"(tp {c.tp} fp {c.fp} fn {c.fn} tn {c.tn})",
        f"{MIXED}: flagged {sum(mixed)}/{len(mixed)} ({sum(mixed) / max(len(mixed), 1):.3f}); "
        f"counted as negatives: precision {strict.precision:.3f}  FPR {strict.fpr:.4f}",
    ]
    if errors:
        for label, wanted in (("missed", True), ("false alarm", False)):
            wrong = [
                text
                for f, (text, intent) in zip(flagged, requests, strict=True)
                if intent != MIXED and f != wanted and (intent == POSITIVE) == wanted
            ]
            lines += [f"  {label}: {text}" for text in wrong[:errors]]
    return lines


def main() -> None:
    """Print precision, recall and FPR of `asks_for_human` on the dev requests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-dir", type=Path, default=Path("../shared/data/dev"))
    parser.add_argument("--errors", type=int, default=0, help="show up to N misses each way")
    args = parser.parse_args()
    for line in report(load_requests(args.dev_dir), args.errors):
        print(line)
    turns = shopper_turns(args.dev_dir)
    flagged = [turn for turn in turns if asks_for_human(turn)]
    print(
        f"{DIALOGUES}: {len(turns)} shopper turns, {len(flagged)} flagged (unlabelled; read them):"
    )
    for turn in flagged:
        print(f"  {turn[:160]}")


def _or(rate: float | None, undefined: float) -> float:
    return undefined if rate is None else rate


if __name__ == "__main__":
    main()
