"""Train the embedded input detectors (injection, toxicity, off-topic) and save their artefacts.

    python -m app.guardrails.training --out var/models/guards --dev data/dev

Deterministic (hash splits, fixed seeds, lbfgs): the same data and encoder give the same files.
Thresholds are chosen on out-of-fold scores of the training split; the metrics printed at the end
are measured on the held-out split with the real detectors (patterns, masking and all).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from app.guardrails.base import TextDetector
from app.guardrails.datasets import HATE, NEITHER
from app.guardrails.detectors.artefacts import DEFAULT_DIR, GuardModels, save_models
from app.guardrails.detectors.injection import (
    InjectionDetector,
    InjectionModel,
    injection_features,
)
from app.guardrails.detectors.lexicon import has_mild_profanity, mask_mild_profanity
from app.guardrails.detectors.linear import (
    SEED,
    best_f1_threshold,
    fit_logistic,
    out_of_fold,
    threshold_for_fpr,
    threshold_for_recall,
)
from app.guardrails.detectors.patterns import find_patterns
from app.guardrails.detectors.topic import OffTopicDetector, TopicModel
from app.guardrails.detectors.toxicity import ToxicityDetector, ToxicityModel
from app.guardrails.training_corpus import Corpus, VectorTable, build_corpus
from evals.guard_metrics import BinaryMetrics, binary_metrics
from rag.training_inputs import offline_encoder, store_documents

logger = logging.getLogger(__name__)

# Regularisation chosen by 5-fold cross-validation on the training split (see the report).
INJECTION_C = 3.0
TOXICITY_C = 1.0
HATE_C = 1.0
TOPIC_C = 1.0
# Operating points, applied to out-of-fold scores of the training split.
INJECTION_RECALL = 0.96  # a point above the 0.95 target, as margin for unseen data
SHOP_FPR = 0.005  # on shopper requests, half the 1 % budget
TOXIC_SHOP_FPR = 0.002  # abuse on shopper texts: blocking an upset customer is costly
TWEET_FPR = 0.10  # abuse on Davidson's "neither" tweets (rude-ish chat labelled benign)
OTHER_SHOP_FPR = 0.02  # off-topic on tau-bench turns and store questions

Metrics = dict[str, BinaryMetrics]


@dataclass(frozen=True)
class TrainingReport:
    """What training produced: thresholds, example counts and held-out metrics per detector."""

    output_dir: Path
    seconds: float
    thresholds: dict[str, float]
    counts: dict[str, int]
    heldout: dict[str, Metrics] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """A plain-text table of the held-out metrics."""
        rows = [
            f"{'detector':<10} {'held-out set':<34} {'n':>5} {'recall':>7} "
            f"{'fpr':>7} {'precision':>9}"
        ]
        for detector, sets in self.heldout.items():
            for name, m in sets.items():
                rows.append(
                    f"{detector:<10} {name:<34} {m.n:>5} {_pct(m.recall):>7} "
                    f"{_pct(m.fpr):>7} {_pct(m.precision):>9}"
                )
        rows.append("thresholds: " + ", ".join(f"{k}={v:.4f}" for k, v in self.thresholds.items()))
        rows.append(f"trained in {self.seconds:.1f}s -> {self.output_dir}")
        return rows


def train_guards(
    output_dir: Path,
    shared_dev_dir: Path,
    *,
    store_dir: Path = Path("data/store"),
    embeddings: Embeddings | None = None,
    encoder_sha256: str | None = None,
    cache_dir: Path | None = None,
    max_per_source: int | None = None,
    encoder_dir: Path = Path("var/models"),
) -> TrainingReport:
    """Train the three detectors on the dev data (+ the store), save them, return the report.

    Without `embeddings`, the ONNX MiniLM encoder of the server is used (exported into
    `encoder_dir` on first use); `cache_dir` keeps embeddings between runs.
    """
    started = time.perf_counter()
    if embeddings is None:
        embeddings, encoder_sha256 = offline_encoder(encoder_dir)
    sha = encoder_sha256 or "unknown"
    corpus = build_corpus(
        shared_dev_dir,
        store_documents(store_dir, without="off-topic learns without shop questions"),
        max_per_source=max_per_source,
    )
    cache = None if cache_dir is None else cache_dir / f"guard-embeddings-{sha[:16]}.npz"
    table = VectorTable(embeddings, cache)
    table.add(_all_texts(corpus))
    injection, injection_metrics = train_injection(corpus, table)
    toxicity, toxicity_metrics = train_toxicity(corpus, table)
    topic, topic_metrics = train_topic(corpus, table)
    heldout = {"injection": injection_metrics, "toxicity": toxicity_metrics}
    heldout["off_topic"] = topic_metrics
    thresholds = {
        "injection": injection.threshold,
        "toxicity_abusive": toxicity.abusive_threshold,
        "toxicity_hateful": toxicity.hateful_threshold,
        "off_topic": topic.threshold,
    }
    counts = _counts(corpus)
    manifest = _manifest(corpus, sha, thresholds, counts, heldout)
    save_models(output_dir, GuardModels(injection, toxicity, topic, table.dim), manifest)
    return TrainingReport(output_dir, time.perf_counter() - started, thresholds, counts, heldout)


def train_injection(corpus: Corpus, table: VectorTable) -> tuple[InjectionModel, Metrics]:
    """Jailbreaks vs benign prompts and shopper requests; threshold for recall at low FPR."""
    jail, shop_texts = corpus.jailbreak, corpus.bitext.train + corpus.tau.train
    texts = jail.train + shop_texts
    labels = np.array([bool(y) for y in jail.train_labels] + [False] * len(shop_texts))
    hits = [find_patterns(t) for t in texts]
    vectors = table.matrix(texts)
    features = np.stack([injection_features(v, h) for v, h in zip(vectors, hits, strict=True)])
    oof = out_of_fold(features, labels, c=INJECTION_C)
    scores = np.where([bool(h.strong) for h in hits], 1.0, oof)
    is_shop = np.arange(len(texts)) >= len(jail.train)
    threshold = max(
        threshold_for_recall(scores[labels].tolist(), INJECTION_RECALL),
        threshold_for_fpr(scores[is_shop].tolist(), SHOP_FPR),
    )
    model = InjectionModel(fit_logistic(features, labels, c=INJECTION_C), threshold)
    detector = InjectionDetector(model, table.lookup())
    metrics = {
        "jailbreak_train.csv (held-out)": _run(detector, jail.test, jail.test_labels),
        "bitext requests (held-out)": _run(detector, corpus.bitext.test),
        "tau-bench user turns (held-out)": _run(detector, corpus.tau.test),
        "store questions (held-out)": _run(detector, corpus.store.test),
    }
    return model, metrics


def train_toxicity(corpus: Corpus, table: VectorTable) -> tuple[ToxicityModel, Metrics]:
    """Davidson tweets plus shopper texts as benign; a second model tells hate from offence."""
    tweets = corpus.davidson
    shop = corpus.bitext.train + corpus.tau.train + corpus.amazon.train
    texts = tweets.train + shop
    labels = np.array([k != NEITHER for k in tweets.train_labels] + [False] * len(shop))
    features = table.matrix(texts)
    oof = out_of_fold(features, labels, c=TOXICITY_C, balanced=True)
    is_tweet_neither = np.array([k == NEITHER for k in tweets.train_labels] + [False] * len(shop))
    is_shop = np.arange(len(texts)) >= len(tweets.train)
    abusive = max(
        threshold_for_fpr(oof[is_tweet_neither].tolist(), TWEET_FPR),
        threshold_for_fpr(oof[is_shop].tolist(), TOXIC_SHOP_FPR),
    )
    toxic_rows = [i for i, k in enumerate(tweets.train_labels) if k != NEITHER]
    weight = tweets.class_weights  # score the hate threshold at the tweets' real class mix
    hate_labels = np.array([tweets.train_labels[i] == HATE for i in toxic_rows])
    hate_features = features[toxic_rows]
    hate_oof = out_of_fold(hate_features, hate_labels, c=HATE_C, balanced=True)
    model = ToxicityModel(
        toxic=fit_logistic(features, labels, c=TOXICITY_C, balanced=True),
        hate=fit_logistic(hate_features, hate_labels, c=HATE_C, balanced=True),
        abusive_threshold=abusive,
        hateful_threshold=best_f1_threshold(
            hate_oof.tolist(),
            hate_labels.tolist(),
            [weight.get(tweets.train_labels[i], 1.0) for i in toxic_rows],
        ),
    )
    return model, _toxicity_heldout(model, corpus, table)


def _toxicity_heldout(model: ToxicityModel, corpus: Corpus, table: VectorTable) -> Metrics:
    tweets = corpus.davidson
    masked = [
        mask_mild_profanity(t) for t in tweets.test + corpus.bitext.test if has_mild_profanity(t)
    ]
    table.add(masked)  # the detector re-scores profane messages without their swear words
    detector = ToxicityDetector(model, table.lookup())
    levels = [detector.assess(t).level for t in tweets.test]
    toxic = [k != NEITHER for k in tweets.test_labels]
    shop_levels = [detector.assess(t).level for t in corpus.bitext.test]
    return {
        "davidson, abusive+hateful (held-out)": binary_metrics(
            toxic, [lv in ("abusive", "hateful") for lv in levels]
        ),
        "davidson, any level >= mild": binary_metrics(toxic, [lv != "none" for lv in levels]),
        "davidson hate -> hateful": binary_metrics(
            [k == HATE for k in tweets.test_labels], [lv == "hateful" for lv in levels]
        ),
        "bitext requests, blocked": binary_metrics(
            [False] * len(shop_levels), [lv in ("abusive", "hateful") for lv in shop_levels]
        ),
        "bitext requests, mild": binary_metrics(
            [False] * len(shop_levels), [lv == "mild" for lv in shop_levels]
        ),
        "tau-bench user turns (held-out)": _run(detector, corpus.tau.test),
        "amazon reviews (held-out)": _run(detector, corpus.amazon.test),
    }


def train_topic(corpus: Corpus, table: VectorTable) -> tuple[TopicModel, Metrics]:
    """Shop talk (requests, dialogue turns, reviews, store questions) vs general prompts."""
    # Reviews teach the model how people talk about products; they are statements, not chat
    # messages, so they train but do not set the threshold.
    questions = corpus.questions
    general = [q for q, y in zip(questions.train, questions.train_labels, strict=True) if y]
    products = [q for q, y in zip(questions.train, questions.train_labels, strict=True) if not y]
    chat = corpus.tau.train + corpus.store.train + products
    inside = [corpus.bitext.train, chat, corpus.amazon.train]
    outside = corpus.jailbreak.train + corpus.general.train + general
    texts = inside[0] + inside[1] + inside[2] + outside
    labels = np.array([False] * sum(len(part) for part in inside) + [True] * len(outside))
    features = table.matrix(texts)
    oof = out_of_fold(features, labels, c=TOPIC_C, balanced=True)
    bitext_end, chat_end = len(inside[0]), len(inside[0]) + len(inside[1])
    threshold = max(
        threshold_for_fpr(oof[:bitext_end].tolist(), SHOP_FPR),
        threshold_for_fpr(oof[bitext_end:chat_end].tolist(), OTHER_SHOP_FPR),
    )
    model = TopicModel(fit_logistic(features, labels, c=TOPIC_C, balanced=True), threshold)
    detector = OffTopicDetector(model, table.lookup())
    metrics = {
        "general prompts (held-out)": _run(detector, corpus.jailbreak.test, positive=True),
        "general sentences (held-out)": _run(detector, corpus.general.test, positive=True),
        "short questions (held-out)": _run(detector, questions.test, questions.test_labels),
        "bitext requests (held-out)": _run(detector, corpus.bitext.test),
        "tau-bench user turns (held-out)": _run(detector, corpus.tau.test),
        "store questions (held-out)": _run(detector, corpus.store.test),
        "amazon reviews (held-out)": _run(detector, corpus.amazon.test),
    }
    return model, metrics


def _run(
    detector: TextDetector,
    texts: Sequence[str],
    labels: Sequence[int] | None = None,
    *,
    positive: bool = False,
) -> BinaryMetrics:
    truth = [bool(y) for y in labels] if labels is not None else [positive] * len(texts)
    return binary_metrics(truth, [detector.detect(t).flagged for t in texts])


def _all_texts(corpus: Corpus) -> list[str]:
    texts: list[str] = []
    for split in (corpus.jailbreak, corpus.bitext, corpus.tau, corpus.amazon, corpus.store):
        texts += split.train + split.test
    texts += corpus.general.train + corpus.general.test + corpus.questions.train
    texts += corpus.questions.test
    return texts + corpus.davidson.train + corpus.davidson.test


def _counts(corpus: Corpus) -> dict[str, int]:
    names = ("jailbreak", "bitext", "tau", "amazon", "store", "general", "questions", "davidson")
    counts: dict[str, int] = {}
    for name in names:
        split = getattr(corpus, name)
        counts[f"{name}_train"], counts[f"{name}_heldout"] = len(split.train), len(split.test)
    return counts


def _manifest(
    corpus: Corpus,
    encoder_sha: str,
    thresholds: dict[str, float],
    counts: dict[str, int],
    heldout: dict[str, Metrics],
) -> dict[str, Any]:
    store_sha = hashlib.sha256("\n".join(corpus.store.train + corpus.store.test).encode())
    return {
        "encoder": {"model": "all-MiniLM-L6-v2", "weights_sha256": encoder_sha},
        "data_sha256": {**corpus.files, "store_questions": store_sha.hexdigest()},
        "seed": SEED,
        "regularisation_c": {
            "injection": INJECTION_C,
            "toxicity": TOXICITY_C,
            "hate": HATE_C,
            "off_topic": TOPIC_C,
        },
        "thresholds": thresholds,
        "counts": counts,
        "heldout": {d: {k: m.as_dict() for k, m in sets.items()} for d, sets in heldout.items()},
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: train the guards and print the held-out metrics."""
    parser = argparse.ArgumentParser(prog="python -m app.guardrails.training", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="artefact folder")
    parser.add_argument("--dev", type=Path, default=Path("data/dev"), help="dev data")
    parser.add_argument("--store", type=Path, default=Path("data/store"), help="shop data")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="keep embeddings here for quick re-runs (vectors then depend on earlier batches "
        "in their last bits, so the artefacts are no longer byte-reproducible)",
    )
    parser.add_argument(
        "--encoder-dir", type=Path, default=Path("var/models"), help="ONNX encoder cache"
    )
    parser.add_argument("--limit", type=int, default=None, help="rows per source (smoke runs)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    report = train_guards(
        args.out,
        args.dev,
        store_dir=args.store,
        cache_dir=args.cache,
        max_per_source=args.limit,
        encoder_dir=args.encoder_dir,
    )
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
