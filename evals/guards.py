"""`trustdesk eval guards`: precision, recall, false-positive rate and latency of each guard.

Default data: the held-out split of the dev files (the hash split training used, so no row a
detector learned from is scored):

| guard | violations | benign |
|---|---|---|
| injection | jailbreak_train.csv jailbreaks | its benign prompts |
| toxicity | Davidson hate + offensive tweets | Davidson "neither" tweets |
| off_topic | general prompts and their sentences | tau-bench turns, store questions, reviews |
| size | empty, oversized, binary and control-character messages (made here) | shopper requests |
| pii | presidio_synth_pii.json annotated spans (span precision / recall) | - |

Every guard is also run on the held-out Bitext customer-support requests, real shopper messages
(complaints included) that must all pass: its false-positive rate there is the "benign FPR"
column, and the last row runs the whole input pipeline on them.

`--data FILE` scores any CSV or JSONL with a `text` and a `label` column (1/0, true/false,
jailbreak/benign, toxic, off_topic...; see app.guardrails.datasets) on the guards named by
`--guard` (default: every binary guard), or a JSON/JSONL file of texts with annotated `spans`
(Presidio or {"text", "spans": [{"start", "end", "label"}]}) on the PII guard.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.guardrails.base import TextDetector
from app.guardrails.verdicts import InputVerdict
from evals.guard_metrics import (
    BinaryMetrics,
    LatencyStats,
    binary_metrics,
    evaluate_detector,
    latency_stats,
)
from evals.pii_metrics import SpanScore

BINARY_GUARDS = ("injection", "toxicity", "off_topic", "size")
ALL_GUARDS = (*BINARY_GUARDS, "pii")
PII_FILE = "presidio_synth_pii.json"
CheckInput = Callable[[str], InputVerdict]


@dataclass(frozen=True)
class Suite:
    """Labelled texts for one guard (True = violation)."""

    name: str
    texts: list[str]
    labels: list[bool]


@dataclass(frozen=True)
class GuardRow:
    """One line of the report."""

    guard: str
    dataset: str
    metrics: BinaryMetrics | None
    latency: LatencyStats | None
    benign: BinaryMetrics | None = None
    spans: SpanScore | None = None


def size_suite(benign: Sequence[str], limit: int = 4000) -> Suite:
    """Messages the size guard must stop, made here, against real requests that must pass."""
    bad = [
        "",
        "   \n\t ",
        "x" * (limit + 1),
        "Where is my order? " * 300,
        "bin\x00ary\x00data",
        "\ud800 broken surrogate",
        "hello\x07\x1b[31m",
        "\ufffd" * 12 + "abc",
    ]
    texts = bad + list(benign)
    return Suite(
        "made-up bad input vs bitext held-out", texts, [True] * len(bad) + [False] * len(benign)
    )


def dev_suites(dev_dir: Path, store_dir: Path) -> tuple[dict[str, Suite], list[str]]:
    """The held-out suite of each binary guard, and the held-out Bitext requests."""
    from app.guardrails.datasets import NEITHER
    from app.guardrails.training_corpus import build_corpus
    from rag.store import load_store

    corpus = build_corpus(dev_dir, load_store(store_dir) if store_dir.is_dir() else [])
    jail, tweets = corpus.jailbreak, corpus.davidson
    outside = corpus.jailbreak.test + corpus.general.test
    inside = corpus.tau.test + corpus.store.test + corpus.amazon.test
    suites = {
        "injection": Suite(
            "jailbreak_train.csv held-out", jail.test, [bool(y) for y in jail.test_labels]
        ),
        "toxicity": Suite(
            "davidson held-out (hate+offensive)",
            tweets.test,
            [k != NEITHER for k in tweets.test_labels],
        ),
        "off_topic": Suite(
            "general prompts vs shop talk, held-out",
            outside + inside,
            [True] * len(outside) + [False] * len(inside),
        ),
        "size": size_suite(corpus.bitext.test[:200]),
    }
    return suites, corpus.bitext.test


def file_suite(path: Path) -> Suite:
    """A `text`/`label` CSV or JSONL file as a suite."""
    from app.guardrails.datasets import read_labelled

    examples = read_labelled(path)
    return Suite(path.name, [e.text for e in examples], [e.label for e in examples])


def has_spans(path: Path) -> bool:
    """Whether a --data file is annotated with PII spans (rather than labels)."""
    if path.suffix.lower() not in (".json", ".jsonl", ".ndjson"):
        return False
    with path.open(encoding="utf-8") as handle:
        head = handle.read(4096).lstrip()
    if head.startswith("["):
        head = head[1:].lstrip()
    try:
        first = json.loads(head.splitlines()[0]) if head else {}
    except json.JSONDecodeError:
        first = json.JSONDecoder().raw_decode(head)[0] if head else {}
    return isinstance(first, dict) and "spans" in first


def score_binary(
    name: str, detector: TextDetector, suite: Suite, benign: Sequence[str]
) -> GuardRow:
    """Precision, recall, FPR and latency on `suite`; FPR on the benign requests."""
    score = evaluate_detector(detector, suite.texts, suite.labels, name=name, dataset=suite.name)
    benign_metrics = None
    if benign:
        flagged = [detector.detect(text).flagged for text in benign]
        benign_metrics = binary_metrics([False] * len(benign), flagged)
    return GuardRow(name, suite.name, score.metrics, score.latency, benign_metrics)


def score_pii(detector: TextDetector, path: Path, benign: Sequence[str], split: str) -> GuardRow:
    """Span precision and recall (all entity types) and find() latency; FPR on benign texts."""
    from evals.pii_metrics import score_corpus
    from evals.pii_report import load_examples, predict

    examples = load_examples(path, "heldout" if split == "heldout" else "all")
    predictions = predict(detector, examples)  # type: ignore[arg-type]
    scores = score_corpus(zip(predictions, [list(e.spans) for e in examples], strict=True))
    latency = _latency(detector, [e.text for e in examples]) if examples else None
    benign_metrics = None
    if benign:
        flagged = [detector.detect(text).flagged for text in benign]
        benign_metrics = binary_metrics([False] * len(benign), flagged)
    label = f"{path.name} {'held-out' if split == 'heldout' else 'all'}"
    return GuardRow("pii", label, None, latency, benign_metrics, scores["ALL"])


def _latency(detector: TextDetector, texts: Sequence[str]) -> LatencyStats:
    samples = []
    for text in texts:
        began = time.perf_counter()
        detector.detect(text)
        samples.append((time.perf_counter() - began) * 1000.0)
    return latency_stats(samples)


def score_pipeline(check_input: object, benign: Sequence[str]) -> GuardRow:
    """The whole input pipeline on the benign requests: share stopped, latency together."""
    samples, stopped = [], []
    for text in benign:
        began = time.perf_counter()
        verdict = check_input(text)  # type: ignore[operator]
        samples.append((time.perf_counter() - began) * 1000.0)
        stopped.append(bool(verdict.blocked))
    metrics = binary_metrics([False] * len(benign), stopped)
    return GuardRow(
        "all input", "bitext held-out, whole pipeline", None, latency_stats(samples), metrics
    )


def _pct(value: float | None) -> str:
    return "     -" if value is None else f"{100 * value:5.1f}%"


def format_rows(rows: Sequence[GuardRow]) -> str:
    """The printed table, one guard per line."""
    head = (
        f"{'guard':<10} {'data':<40} {'n':>5} {'prec':>6} {'recall':>6} {'FPR':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'benign FPR':>10} {'(n)':>6}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        m, s, b, lat = row.metrics, row.spans, row.benign, row.latency
        n = m.n if m else (s.n_gold if s else (b.n if b else 0))
        precision = m.precision if m else (s.precision if s else None)
        recall = m.recall if m else (s.recall if s else None)
        fpr = m.fpr if m else None
        lines.append(
            f"{row.guard:<10} {row.dataset[:40]:<40} {n:>5} {_pct(precision)} {_pct(recall)} "
            f"{_pct(fpr)} {_ms(lat, 'p50')} {_ms(lat, 'p95')} {_pct(b.fpr if b else None):>10} "
            f"{(b.n if b else ''):>6}"
        )
    lines.append(
        "benign FPR: share of held-out Bitext shopper requests a guard stops (for pii: in which "
        "it finds and redacts personal data; the message still passes)"
    )
    return "\n".join(lines)


def _ms(latency: LatencyStats | None, which: str) -> str:
    if latency is None:
        return f"{'-':>7}"
    return f"{(latency.p50_ms if which == 'p50' else latency.p95_ms):7.2f}"


def run_eval(
    detectors: Mapping[str, TextDetector],
    *,
    dev_dir: Path,
    store_dir: Path,
    data: Path | None = None,
    guards: Sequence[str] = (),
    check_input: CheckInput | None = None,
    limit: int | None = None,
) -> list[GuardRow]:
    """Score the chosen guards (all by default) on the dev data or on `data`."""
    chosen = [g for g in (guards or ALL_GUARDS) if g in detectors]
    suites, benign = dev_suites(dev_dir, store_dir)
    benign = benign[:limit] if limit else benign
    rows: list[GuardRow] = []
    # First, while the encoder's cache has never seen these requests: a shopper's message is new.
    whole = None
    if check_input is not None and data is None and not guards:
        whole = score_pipeline(check_input, benign)
    if data is not None and has_spans(data):
        return [score_pii(detectors["pii"], data, benign, "all")]
    for name in chosen:
        if name == "pii":
            if data is None:
                rows.append(score_pii(detectors["pii"], dev_dir / PII_FILE, benign, "heldout"))
            continue
        suite = file_suite(data) if data is not None else suites[name]
        if limit:
            suite = Suite(suite.name, suite.texts[:limit], suite.labels[:limit])
        rows.append(score_binary(name, detectors[name], suite, benign))
    return [*rows, whole] if whole is not None else rows
