"""The guards' training corpus: dev files split into train / held-out, embedded in batches.

Every source is split by a hash of each text (`datasets.is_heldout`), so the held-out rows are
the same whoever reads the files. Texts are embedded once, in batches, and looked up by text
afterwards; `LookupEmbeddings` lets the real detectors run on held-out rows without
re-encoding them one by one.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from app.guardrails import datasets as ds
from app.guardrails.detectors.linear import FloatArray, embeddable
from app.guardrails.training_data import general_sentences, store_questions
from app.guardrails.training_questions import GENERAL_QUESTIONS, product_knowledge_questions

logger = logging.getLogger(__name__)

HELDOUT_PERCENT = 20
DAVIDSON_HELDOUT_PERCENT = 8  # ~1,400 tweets: enough for stable rates, quick to embed
# Training tweets kept per class (hate keeps all ~900): embedding time is the cost of training.
CLASS_CAPS = {ds.OFFENSIVE: 800, ds.NEITHER: 1300}
GENERAL_SENTENCES = 800
BATCH = 64


@dataclass(frozen=True)
class Split:
    """Training and held-out texts of one source (labels where the source has them)."""

    train: list[str]
    test: list[str]
    train_labels: list[int] = field(default_factory=list)
    test_labels: list[int] = field(default_factory=list)
    # label -> rows in the source per row kept, where a class was subsampled for training
    class_weights: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Corpus:
    """All sources the three detectors learn from, already split."""

    jailbreak: Split  # labels: 1 jailbreak, 0 benign
    bitext: Split
    tau: Split
    amazon: Split
    store: Split
    general: Split  # sentences of the benign and jailbreak prompts (train from train prompts)
    questions: Split  # short questions; labels: 1 general knowledge, 0 about the products
    davidson: Split  # labels: 0 hate, 1 offensive, 2 neither
    files: dict[str, str]  # file name -> sha256 of the data read


def build_corpus(
    dev_dir: Path, store_documents: Sequence[Document], *, max_per_source: int | None = None
) -> Corpus:
    """Read, split and (optionally) subsample every source deterministically."""
    jail = ds.read_jailbreak(dev_dir / ds.JAILBREAK_FILE)
    jailbreak = _split_labelled(
        [e.text for e in jail], [int(e.label) for e in jail], max_per_source
    )
    general = Split(
        general_sentences(jailbreak.train, GENERAL_SENTENCES),
        general_sentences(jailbreak.test, GENERAL_SENTENCES // 5),
    )
    tweets = ds.read_davidson(dev_dir / ds.DAVIDSON_FILE)
    products = product_knowledge_questions(store_documents)
    return Corpus(
        jailbreak=jailbreak,
        bitext=_split(ds.read_bitext_requests(dev_dir / ds.BITEXT_FILE), max_per_source),
        tau=_split(ds.read_tau_user_turns(dev_dir / ds.TAU_FILE), max_per_source),
        amazon=_split(ds.read_amazon_reviews(dev_dir / ds.AMAZON_FILE), max_per_source),
        store=_split(store_questions(store_documents), max_per_source),
        general=_cap_split(general, max_per_source),
        questions=_split_labelled(
            [*GENERAL_QUESTIONS, *products],
            [1] * len(GENERAL_QUESTIONS) + [0] * len(products),
            max_per_source,
        ),
        davidson=_davidson_split(tweets, max_per_source),
        files={
            name: _sha256(dev_dir / name)
            for name in (
                ds.JAILBREAK_FILE,
                ds.BITEXT_FILE,
                ds.TAU_FILE,
                ds.AMAZON_FILE,
                ds.DAVIDSON_FILE,
            )
        },
    )


class VectorTable:
    """Embeddings of many texts, computed in batches (and cached on disk when asked)."""

    def __init__(self, embeddings: Embeddings, cache_file: Path | None = None) -> None:
        self._embeddings = embeddings
        self._cache_file = cache_file
        self._cache = _load_cache(cache_file)  # text sha256 -> vector, from earlier runs
        self._vectors: dict[str, FloatArray] = {}

    def add(self, texts: Sequence[str]) -> None:
        """Embed every text not seen yet (in batches; from the disk cache when there)."""
        missing: list[str] = []
        # By length, so each batch pads little; the order is fixed, and so are the vectors
        # (padding changes the last bits of a vector, which is why the cache is opt-in).
        for text in sorted({embeddable(t) for t in texts} - self._vectors.keys(), key=_by_length):
            cached = self._cache.get(_hash(text))
            if cached is None:
                missing.append(text)
            else:
                self._vectors[text] = cached
        started = time.perf_counter()
        for start in range(0, len(missing), BATCH * 16):
            chunk = missing[start : start + BATCH * 16]
            rows = np.asarray(self._embeddings.embed_documents(chunk), dtype=np.float32)
            self._vectors.update(zip(chunk, rows, strict=True))
            self._cache.update((_hash(t), row) for t, row in zip(chunk, rows, strict=True))
        if missing:
            logger.info("embedded %d texts in %.1fs", len(missing), time.perf_counter() - started)
            _save_cache(self._cache_file, self._cache)

    def matrix(self, texts: Sequence[str]) -> FloatArray:
        """One row per text (each must have been added)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vectors[embeddable(t)] for t in texts])

    @property
    def dim(self) -> int:
        """Embedding size."""
        return len(next(iter(self._vectors.values())))

    def lookup(self) -> LookupEmbeddings:
        """An `Embeddings` that answers from this table, falling back to the encoder."""
        return LookupEmbeddings(self._vectors, self._embeddings)


class LookupEmbeddings(Embeddings):
    """Query vectors from a precomputed table (held-out evaluation of the real detectors)."""

    def __init__(self, vectors: dict[str, FloatArray], fallback: Embeddings) -> None:
        self._vectors = vectors
        self._fallback = fallback

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors of `texts`."""
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """The stored vector, or the encoder's when the text was not precomputed."""
        vector = self._vectors.get(text)
        if vector is None:
            return self._fallback.embed_query(text)
        return [float(x) for x in vector]


def _split(texts: Sequence[str], cap: int | None) -> Split:
    train, test = ds.split_heldout(texts, HELDOUT_PERCENT)
    return _cap_split(Split([texts[i] for i in train], [texts[i] for i in test]), cap)


def _split_labelled(texts: Sequence[str], labels: Sequence[int], cap: int | None) -> Split:
    train, test = ds.split_heldout(texts, HELDOUT_PERCENT)
    split = Split(
        [texts[i] for i in train],
        [texts[i] for i in test],
        [labels[i] for i in train],
        [labels[i] for i in test],
    )
    return _cap_split(split, cap)


def _davidson_split(tweets: Sequence[ds.Tweet], cap: int | None) -> Split:
    train, test = ds.split_heldout([t.text for t in tweets], DAVIDSON_HELDOUT_PERCENT)
    kept = {i for i in train if tweets[i].klass not in CLASS_CAPS}
    weights: dict[int, float] = {}
    for klass, cap_of_class in CLASS_CAPS.items():
        rows = [i for i in train if tweets[i].klass == klass]
        rows.sort(key=lambda i: _hash(tweets[i].text))
        kept.update(rows[:cap_of_class])
        weights[klass] = len(rows) / max(1, min(cap_of_class, len(rows)))
    train = [i for i in train if i in kept]
    split = Split(
        [tweets[i].text for i in train],
        [tweets[i].text for i in test],
        [tweets[i].klass for i in train],
        [tweets[i].klass for i in test],
        weights,
    )
    return _cap_split(split, cap)


def _cap_split(split: Split, cap: int | None) -> Split:
    """At most `cap` training and `cap // 4` held-out rows, chosen by text hash (for tests)."""
    if cap is None:
        return split

    def pick(texts: list[str], labels: list[int], limit: int) -> tuple[list[str], list[int]]:
        order = sorted(range(len(texts)), key=lambda i: _hash(texts[i]))[:limit]
        order.sort()
        return [texts[i] for i in order], [labels[i] for i in order] if labels else []

    train, train_labels = pick(split.train, split.train_labels, cap)
    test, test_labels = pick(split.test, split.test_labels, max(1, cap // 4))
    return Split(train, test, train_labels, test_labels, split.class_weights)


def _load_cache(path: Path | None) -> dict[str, FloatArray]:
    if path is None or not path.is_file():
        return {}
    with np.load(path, allow_pickle=False) as data:
        return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))


def _save_cache(path: Path | None, vectors: dict[str, FloatArray]) -> None:
    if path is None or not vectors:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(vectors)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, keys=np.array(keys), vectors=np.stack([vectors[k] for k in keys]))
    tmp.replace(path)


def _by_length(text: str) -> tuple[int, str]:
    return len(text), text


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
