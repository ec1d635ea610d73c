"""Check ``encoder_on_study_dev``: do the yardstick's sentence embeddings help the study classifier? Dev only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.checks.compare import dev_comparison
from analysis.model.classifier import EventClassifier
from analysis.model.embeddings import stack_embeddings
from analysis.model.features import fit_features
from analysis.params import ModelSpec


def encoder_on_study_dev(
    train: pd.DataFrame,
    dev: pd.DataFrame,
    train_embeddings: np.ndarray,
    dev_embeddings: np.ndarray,
    *,
    spec: ModelSpec,
    encoder_weight: float,
    min_dev_positives: int,
    grid: np.ndarray,
    seed: int,
) -> pd.DataFrame:
    """Score the study classifier with and without stacked sentence embeddings, on the gold dev split only.

    Both variants are the study's per-type calibrated linear models on the study's
    training set (gold train plus weak labels, with their weights): the TF-IDF and rule
    features alone, and the same with the embeddings (times ``encoder_weight``) beside
    them. Types with at least ``min_dev_positives`` dev positives and a learned model
    (not backed off to rules) are compared. The test split is never read.

    Returns
    -------
    DataFrame
        One row per type plus ``macro``: ``event_type``, ``n_pos_dev``, ``ap_tfidf``,
        ``ap_stacked`` (average precision), ``f1_tfidf``, ``f1_stacked`` (cross-fitted
        thresholds, :func:`analysis.model.thresholds.cross_fitted_f1`), ``ap_difference``,
        ``f1_difference`` (stacked minus TF-IDF).
    """
    features, x_train = fit_features(spec, train["text"])
    x_dev = features.transform(dev["text"])
    variants = {
        "tfidf": (x_train, x_dev),
        "stacked": (
            stack_embeddings(x_train, train_embeddings, encoder_weight),
            stack_embeddings(x_dev, dev_embeddings, encoder_weight),
        ),
    }
    weight = train["weight"].to_numpy(dtype=float)
    probas: dict[str, dict[str, np.ndarray]] = {}
    for name, (a, b) in variants.items():
        model = EventClassifier(spec, seed=seed).fit_matrix(a, train, sample_weight=weight)
        learned = model.learned_proba(b)
        probas[name] = {t: p for t, p in learned.items() if dev[t].sum() >= min_dev_positives}
    return dev_comparison(dev, probas, baseline="tfidf", variant="stacked", grid=grid, seed=seed)
