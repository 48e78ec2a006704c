"""How the aspect detectors' thresholds are chosen: out-of-fold F1, folds grouped by template."""

from __future__ import annotations

import numpy as np

from app.guardrails.detectors.linear import best_f1_threshold, out_of_fold
from app.trust.base import Aspect, Polarity
from app.trust.labels import TrustExample
from app.trust.training import train_aspects

RNG_SEED = 7


def _f1(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    flagged = scores >= threshold
    return float(2 * (flagged & labels).sum() / (flagged.sum() + labels.sum()))


def test_a_group_is_always_scored_by_a_model_that_never_saw_it() -> None:
    # 60 templates, 6 identical-looking fills each, labels set per template at random: nothing
    # to learn. Seen wording would look learnable; unseen wording must score at chance.
    rng = np.random.default_rng(RNG_SEED)
    centres = rng.normal(size=(60, 64)).astype(np.float32)
    x = np.repeat(centres, 6, axis=0) + rng.normal(scale=0.01, size=(360, 64)).astype(np.float32)
    labels = np.repeat(rng.random(60) < 0.5, 6)
    groups = [f"template {i // 6}" for i in range(360)]
    scores = out_of_fold(x, labels, c=4.0, groups=groups)
    agreement = float(((scores >= 0.5) == labels).mean())
    assert agreement < 0.7  # folds that split a template reach 1.0 on these data


def test_a_rare_aspect_gets_the_threshold_that_maximises_out_of_fold_f1() -> None:
    # Shipping is rare and its messages are only weakly told apart: 0.5 would miss most of them.
    rng = np.random.default_rng(RNG_SEED)
    about = rng.random(600) < 0.08
    x = rng.normal(size=(600, 8)).astype(np.float32)
    x[about, 0] += 1.5
    others = [a for a in Aspect if a is not Aspect.SHIPPING]
    examples = [
        TrustExample(
            f"message {i}",
            {Aspect.SHIPPING if a else others[i % len(others)]: Polarity.NEUTRAL},
            None,
            "templates",
            f"template {i}",
        )
        for i, a in enumerate(about)
    ]
    models, cv_f1 = train_aspects(x, examples)
    chosen = models[Aspect.SHIPPING].threshold
    oof = out_of_fold(x, about, c=4.0, groups=[e.group for e in examples])
    assert chosen == best_f1_threshold(oof.tolist(), about.tolist())
    assert chosen < 0.5
    assert _f1(oof, about, chosen) > _f1(oof, about, 0.5)
    assert abs(cv_f1["shipping"] - _f1(oof, about, chosen)) < 1e-9
