"""Train the embedded trust scorer and save its artefacts.

    python -m app.trust.training --out var/models/trust --dev ../shared/data/dev

Reads only the dev data and the demo store (`training_data.py` says how each source is
labelled). Deterministic (hash splits, lbfgs, fixed embedding order): the same data and encoder
give the same files. Aspect thresholds are chosen on out-of-fold scores of the training split;
the metrics printed at the end are the real scorer's on the held-out split, never tuned on.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from app.guardrails.detectors.linear import (
    SEED,
    FloatArray,
    best_f1_threshold,
    embeddable,
    fit_logistic,
    out_of_fold,
)
from app.guardrails.training_corpus import LookupEmbeddings
from app.trust.artefacts import DEFAULT_DIR, save_model
from app.trust.base import Aspect
from app.trust.embedded import EmbeddedTrustScorer
from app.trust.labels import TrustExample
from app.trust.lexicon import LEXICAL_FEATURES
from app.trust.model import POLARITIES, AspectModel, SoftmaxModel, TrustModel, feature_matrix
from app.trust.training_data import HELDOUT_PERCENT, DevData, build_dev_data
from app.trust.training_templates import ALL_TEMPLATES_TEXT
from evals.trust_metrics import TrustMetrics, evaluate
from evals.trust_report import by_source_lines, metrics_lines
from rag.training_inputs import offline_encoder, store_documents

logger = logging.getLogger(__name__)

# Chosen by 5-fold cross-validation on the training split (aspect F1 with template-grouped folds:
# C 1, 4 and 16 gave mean out-of-fold F1 0.866, 0.878, 0.878; polarity accuracy).
ASPECT_C = 4.0
POLARITY_C = 4.0
LEXICAL_SCALE = 0.3
NEUTRAL_TRUST = 0.55  # a neutral message reads as medium trust (0.4-0.6), never low
BATCH = 64
FOLDS = 5


@dataclass(frozen=True)
class TrustTrainingReport:
    """What training produced: the folder, the held-out metrics, overall and per source."""

    output_dir: Path
    seconds: float
    heldout: TrustMetrics
    by_source: dict[str, TrustMetrics]
    cv_f1: dict[str, float]

    def lines(self) -> list[str]:
        """The printed report: the held-out table, then per-source numbers."""
        title = f"Held-out split ({HELDOUT_PERCENT}% of every source, never trained on)"
        rows = metrics_lines(self.heldout, title=title)
        rows += by_source_lines(self.by_source)
        rows.append(f"trained in {self.seconds:.1f}s -> {self.output_dir}")
        return rows


def train_trust(
    output_dir: Path,
    dev_dir: Path,
    *,
    store_dir: Path = Path("data/store"),
    embeddings: Embeddings | None = None,
    encoder_sha256: str | None = None,
    encoder_dir: Path = Path("var/models"),
    max_per_source: int | None = None,
    progress: bool = True,
) -> TrustTrainingReport:
    """Train on the dev data (+ the store), save the artefacts, return the held-out report."""
    started = time.perf_counter()
    if embeddings is None:
        embeddings, encoder_sha256 = offline_encoder(encoder_dir)
    data = _limit(
        build_dev_data(
            dev_dir,
            store_dir,
            store_documents(store_dir, without="no templated messages, no DummyJSON reviews"),
        ),
        max_per_source,
    )
    vectors = embed_texts(embeddings, [e.text for e in data.train + data.heldout], progress)
    features = feature_matrix(
        np.stack([vectors[embeddable(e.text)] for e in data.train]),
        [e.text for e in data.train],
        LEXICAL_SCALE,
    )
    aspects, cv_f1 = train_aspects(features, data.train)
    model = TrustModel(
        aspects=aspects,
        polarity=train_polarity(features, data.train),
        dim=features.shape[1] - len(LEXICAL_FEATURES),
        lexical_scale=LEXICAL_SCALE,
        neutral_trust=NEUTRAL_TRUST,
    )
    scorer = EmbeddedTrustScorer(model, LookupEmbeddings(vectors, embeddings))
    predicted = [scorer.score(e.text) for e in data.heldout]
    heldout = evaluate(data.heldout, predicted)
    by_source = _by_source(data.heldout, predicted)
    manifest = _manifest(data, encoder_sha256 or "unknown", model, heldout, by_source, cv_f1)
    save_model(output_dir, model, manifest)
    seconds = time.perf_counter() - started
    return TrustTrainingReport(output_dir, seconds, heldout, by_source, cv_f1)


def embed_texts(
    embeddings: Embeddings, texts: Sequence[str], progress: bool = True
) -> dict[str, FloatArray]:
    """Vectors of the distinct texts, in batches of similar length, with a progress bar."""
    from tqdm import tqdm

    unique = sorted({embeddable(t) for t in texts}, key=lambda t: (len(t), t))
    vectors: dict[str, FloatArray] = {}
    with tqdm(total=len(unique), desc="embedding", unit="text", disable=not progress) as bar:
        for start in range(0, len(unique), BATCH):
            chunk = unique[start : start + BATCH]
            rows = np.asarray(embeddings.embed_documents(chunk), dtype=np.float32)
            vectors.update(zip(chunk, rows, strict=True))
            bar.update(len(chunk))
    return vectors


def train_aspects(
    features: FloatArray, examples: Sequence[TrustExample]
) -> tuple[dict[Aspect, AspectModel], dict[str, float]]:
    """One detector per aspect; its threshold maximises out-of-fold F1 on the training split.

    Folds keep each group (a template's fills) together, so every out-of-fold score is that of
    wording the fold's model never saw: thresholds tuned on seen wording sit too high for new
    shoppers' phrasing and cost recall.
    """
    rows = [i for i, e in enumerate(examples) if e.aspects is not None]
    x = features[rows]
    groups = [examples[i].group or examples[i].text for i in rows]
    models: dict[Aspect, AspectModel] = {}
    cv_f1: dict[str, float] = {}
    for aspect in Aspect:
        labels = np.array([aspect in examples[i].aspect_set for i in rows])
        oof = out_of_fold(x, labels, c=ASPECT_C, folds=FOLDS, groups=groups)
        threshold = best_f1_threshold(oof.tolist(), labels.tolist())
        flagged = oof >= threshold
        cv_f1[aspect.value] = float(2 * (flagged & labels).sum() / (flagged.sum() + labels.sum()))
        models[aspect] = AspectModel(fit_logistic(x, labels, c=ASPECT_C), threshold)
    return models, cv_f1


def train_polarity(features: FloatArray, examples: Sequence[TrustExample]) -> SoftmaxModel:
    """Negative / neutral / positive, classes balanced (neutral requests outnumber the rest)."""
    from sklearn.linear_model import LogisticRegression

    rows = [i for i, e in enumerate(examples) if e.polarity is not None]
    labels = [POLARITIES.index(examples[i].polarity) for i in rows]  # type: ignore[arg-type]
    model = LogisticRegression(
        C=POLARITY_C, max_iter=5000, class_weight="balanced", random_state=SEED
    )
    model.fit(features[rows], labels)
    return SoftmaxModel(
        coef=np.asarray(model.coef_, dtype=np.float32),
        intercept=np.asarray(model.intercept_, dtype=np.float32),
    )


def _by_source(
    examples: Sequence[TrustExample], predicted: Sequence[Any]
) -> dict[str, TrustMetrics]:
    sources = sorted({e.source for e in examples})
    return {
        source: evaluate(
            [e for e in examples if e.source == source],
            [p for e, p in zip(examples, predicted, strict=True) if e.source == source],
        )
        for source in sources
    }


def _manifest(
    data: DevData,
    encoder_sha: str,
    model: TrustModel,
    heldout: TrustMetrics,
    by_source: dict[str, TrustMetrics],
    cv_f1: dict[str, float],
) -> dict[str, Any]:
    templates_sha = hashlib.sha256(ALL_TEMPLATES_TEXT.encode("utf-8")).hexdigest()
    return {
        "encoder": {"model": "all-MiniLM-L6-v2", "weights_sha256": encoder_sha},
        "data_sha256": {**data.files, "training_templates": templates_sha},
        "seed": SEED,
        "heldout_percent": HELDOUT_PERCENT,
        "regularisation_c": {"aspects": ASPECT_C, "polarity": POLARITY_C},
        "lexical_scale": LEXICAL_SCALE,
        "neutral_trust": NEUTRAL_TRUST,
        "thresholds": {a.value: m.threshold for a, m in model.aspects.items()},
        "threshold_selection": f"max out-of-fold F1, {FOLDS} folds grouped by template",
        "counts": _counts(data),
        "cv_f1": cv_f1,
        "heldout": heldout.as_dict(),
        "heldout_by_source": {
            source: {
                "texts": m.texts,
                "aspect_macro_f1": m.macro_f1,
                "polarity_accuracy": m.polarity_accuracy,
            }
            for source, m in by_source.items()
        },
    }


def _counts(data: DevData) -> dict[str, int]:
    counts: dict[str, int] = {}
    for split, examples in (("train", data.train), ("heldout", data.heldout)):
        for example in examples:
            key = f"{example.source}_{split}"
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def _limit(data: DevData, cap: int | None) -> DevData:
    """At most `cap` training and `cap // 4` held-out examples per source (smoke runs)."""
    if cap is None:
        return data

    def pick(examples: list[TrustExample], limit: int) -> list[TrustExample]:
        kept: dict[str, int] = {}
        out = []
        for example in examples:
            if kept.get(example.source, 0) < limit:
                kept[example.source] = kept.get(example.source, 0) + 1
                out.append(example)
        return out

    return DevData(pick(data.train, cap), pick(data.heldout, max(1, cap // 4)), data.files)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: train the trust scorer and print the held-out metrics."""
    parser = argparse.ArgumentParser(prog="python -m app.trust.training", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR, help="artefact folder")
    parser.add_argument("--dev", type=Path, default=Path("../shared/data/dev"), help="dev data")
    parser.add_argument("--store", type=Path, default=Path("data/store"), help="shop data")
    parser.add_argument(
        "--encoder-dir", type=Path, default=Path("var/models"), help="ONNX encoder cache"
    )
    parser.add_argument("--limit", type=int, default=None, help="rows per source (smoke runs)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    report = train_trust(
        args.out,
        args.dev,
        store_dir=args.store,
        encoder_dir=args.encoder_dir,
        max_per_source=args.limit,
        progress=not args.no_progress,
    )
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
