"""Print PII span precision/recall/F1 per entity type and find() latency on an annotated file.

    uv run python -m evals.pii_report [--data FILE] [--split heldout|tune|all] [--errors N]
                                      [--no-name-lists] [--faker-probe]

FILE is a JSON list or JSONL of records in the Presidio research format or the generic
{"text", "spans": [{"start", "end", "label"}]} format (see `evals.pii_metrics`).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from app.guardrails.base import PiiSpan
from app.guardrails.pii import PiiDetector
from app.guardrails.pii_vocab import words
from evals.pii_metrics import (
    PiiExample,
    Span,
    Split,
    format_table,
    in_split,
    overlap,
    parse_record,
    score_corpus,
)

DEFAULT_DATA = Path("data/dev/presidio_synth_pii.json")  # `make dev-data`


def load_examples(path: Path, split: Split = "all") -> list[PiiExample]:
    """Read a JSON list or JSONL file of annotated texts and keep the requested split."""
    raw = path.read_text(encoding="utf-8")
    records = json.loads(raw) if raw.lstrip().startswith("[") else _jsonl(raw)
    examples = [parse_record(r) for r in records]
    return [e for e in examples if in_split(e.text, split)]


def _jsonl(raw: str) -> Iterable[dict[str, Any]]:
    return (json.loads(line) for line in raw.splitlines() if line.strip())


def predict(detector: PiiDetector, examples: Sequence[PiiExample]) -> list[list[Span]]:
    """Run the detector over every example."""
    return [_spans(detector.find(e.text)) for e in examples]


def _spans(found: Sequence[PiiSpan]) -> list[Span]:
    return [Span(s.start, s.end, s.entity) for s in found]


def latency_ms(detector: PiiDetector, texts: Sequence[str], rounds: int = 3) -> tuple[float, float]:
    """p50 and p95 of find() in milliseconds over `texts` (after one warm-up pass)."""
    for text in texts:
        detector.find(text)
    timings: list[float] = []
    for _ in range(rounds):
        for text in texts:
            began = time.perf_counter()
            detector.find(text)
            timings.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[94]


def shop_messages(dev_dir: Path, count: int = 1000, size: int = 200) -> list[str]:
    """Messages of about `size` characters glued from real shopper requests (Bitext, tau)."""
    lines: list[str] = []
    bitext = dev_dir / "bitext_customer_support.csv"
    if bitext.is_file():
        with bitext.open(encoding="utf-8") as handle:
            lines += [row["instruction"] for row in csv.DictReader(handle)]
    dialogues = dev_dir / "tau_retail_dialogues.jsonl"
    if dialogues.is_file():
        for record in _jsonl(dialogues.read_text(encoding="utf-8")):
            turns = str(record.get("messages_display", "")).split("\n")
            lines += [t.removeprefix("user: ") for t in turns if t.startswith("user: ")]
    if not lines:
        return []
    picker = random.Random(13)
    messages: list[str] = []
    while len(messages) < count:
        message = ""
        while len(message) < size - 20:
            message += picker.choice(lines) + " "
        messages.append(message[: size + 20].strip())
    return messages


PROBE_LOCALES = tuple(
    sorted(
        words(
            """en_US en_GB en_AU en_CA en_IE de_DE de_AT de_CH fr_FR fr_CH es_ES es_MX it_IT
            nl_NL nl_BE pt_BR pt_PT pl_PL sv_SE da_DK no_NO fi_FI cs_CZ sk_SK hu_HU el_GR
            ro_RO hr_HR sl_SI et_EE lt_LT lv_LV tr_TR id_ID"""
        )
    )
)
PROBE_TEMPLATES = (
    "My address is {a}.",
    "Please ship it to {a} thanks",
    "{a}",
    "I moved to {a}, can you update my account?",
)


def faker_address_recall(detector: PiiDetector, per_locale: int = 40) -> dict[str, float]:
    """Address recall on Faker street lines and full addresses of 35 locales (a generality
    probe independent of the dev file; same >= 50 % overlap rule)."""
    from faker import Faker  # a dependency of guardrails-ai, only needed for this probe

    recall: dict[str, float] = {}
    for locale in PROBE_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(7)
        hits = total = 0
        for i in range(per_locale):
            for address in (fake.street_address(), fake.address()):
                text = PROBE_TEMPLATES[i % len(PROBE_TEMPLATES)].format(a=address)
                gold = Span(text.index(address), text.index(address) + len(address), "ADDRESS")
                found = _spans(detector.find(text))
                hits += any(
                    s.entity == "ADDRESS" and overlap(s, gold) >= len(address) / 2 for s in found
                )
                total += 1
        recall[locale] = hits / total
    return recall


def _errors(examples: Sequence[PiiExample], preds: Sequence[list[Span]], limit: int) -> None:
    shown = 0
    for example, pred in zip(examples, preds, strict=True):
        gold = [(example.text[s.start : s.end], s.entity) for s in example.spans]
        got = [(example.text[s.start : s.end], s.entity) for s in pred]
        if sorted(gold) != sorted(got) and shown < limit:
            print(repr(example.text[:300]))
            print("   gold:", gold)
            print("   pred:", got)
            shown += 1


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=["heldout", "tune", "all"], default="heldout")
    parser.add_argument("--no-name-lists", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="print up to N mismatching texts")
    parser.add_argument("--faker-probe", action="store_true", help="address recall, 35 locales")
    args = parser.parse_args()
    detector = PiiDetector(name_lists=not args.no_name_lists)
    examples = load_examples(args.data, args.split)
    preds = predict(detector, examples)
    scores = score_corpus(zip(preds, [list(e.spans) for e in examples], strict=True))
    print(f"{args.data} split={args.split} texts={len(examples)}")
    print(format_table(scores))
    p50, p95 = latency_ms(detector, [e.text for e in examples])
    print(f"find() latency over these texts: p50 {p50:.3f} ms, p95 {p95:.3f} ms")
    messages = shop_messages(args.data.parent)
    if messages:
        p50, p95 = latency_ms(detector, messages)
        mean = sum(map(len, messages)) / len(messages)
        print(
            f"find() latency, {len(messages)} shopper messages of ~{mean:.0f} chars: "
            f"p50 {p50:.3f} ms, p95 {p95:.3f} ms"
        )
    if args.errors:
        _errors(examples, preds, args.errors)
    if args.faker_probe:
        recall = faker_address_recall(detector)
        print("Faker address recall:", " ".join(f"{k}={v:.2f}" for k, v in recall.items()))
        print(f"Faker address recall, all locales: {sum(recall.values()) / len(recall):.3f}")


if __name__ == "__main__":
    main()
