"""Cross-fitted predictions: every document predicted by a model that never saw it.

The study's error-aware estimates (:mod:`analysis.study.ppi`) combine predictions
on the whole population with round 1's random gold sample. Prediction-powered inference
needs the same predictor on both, and one that was not fitted on either: the saved model
was trained on the gold documents (their gold labels) and on most other documents (their
weak labels), so its predictions on them are in-sample. Here every text group of the
population goes to one of a few folds; each fold's documents are predicted by the saved
model refitted (same settings, label model, learned types and thresholds) on the training
data minus every document of that fold, as in cross-prediction-powered inference (Zrnic
and Candès, PNAS 2024).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model.classifier import EventClassifier
from analysis.model.families import refit_model

log = logging.getLogger(__name__)

#: Documents predicted at once (bounds the memory of one fold's feature matrix).
BATCH = 4000


def fold_of(text_groups: pd.Series, *, folds: int, seed: int) -> pd.Series:
    """Assign each text group to one of ``folds`` folds at random (seeded); documents of a group share it."""
    groups = np.sort(text_groups.unique())
    order = np.random.default_rng(seed).permutation(len(groups))
    fold = np.empty(len(groups), dtype=int)
    fold[order] = np.arange(len(groups)) % folds  # balanced folds: the k-th group drawn goes to fold k mod folds
    return text_groups.map(pd.Series(fold, index=groups))


def cross_fitted(
    documents: pd.DataFrame,
    fitted: pd.DataFrame,
    model: EventClassifier,
    *,
    folds: int,
    seed: int,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Predict every document with the saved model refitted on ``fitted`` minus the document's fold.

    Parameters
    ----------
    documents : DataFrame
        The documents to predict: ``doc_id``, ``text_group``, ``text``.
    fitted : DataFrame
        The data the saved model was fitted on (:data:`analysis.model.datasets.SET_COLUMNS`),
        with ``text_group`` (empty for documents from outside the corpus, which every fold keeps).
    model : EventClassifier
        The saved model: its settings, label model, learned types and thresholds are reused.
    folds, seed : int
        Number of folds (by text group) and the seed of their assignment.
    n_jobs : int
        Folds fitted at once (processes); the predictions do not depend on it.

    Returns
    -------
    DataFrame
        ``doc_id``, ``fold``, one boolean column per type (at the saved thresholds) and
        ``p_<type>``, in the order of ``documents``.
    """
    fold = fold_of(documents["text_group"], folds=folds, seed=seed)
    held = [documents[fold.to_numpy() == k] for k in range(folds)]
    parts = Parallel(n_jobs=min(n_jobs, folds))(delayed(_predict_fold)(k, h, fitted, model) for k, h in enumerate(held))
    out = pd.concat(parts).set_index("doc_id").loc[documents["doc_id"]].reset_index()
    return out[["doc_id", "fold", *EVENT_TYPES, *(f"p_{t}" for t in EVENT_TYPES)]]


def with_labels(train: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Return the training set with the labels the saved model learned from (``train`` writes them).

    Returns
    -------
    DataFrame
        ``train``, its type columns replaced row by row from ``labels`` (``doc_id`` and the types).

    Raises
    ------
    DataError
        If ``labels`` is not one row per row of ``train``, in the same order.
    """
    if not labels["doc_id"].equals(train["doc_id"]):
        raise DataError("training labels: not one row per training-set row, in order; re-run `dvc repro train`")
    return train.assign(**{t: labels[t].array for t in EVENT_TYPES})  # .array keeps the nullable booleans


def _predict_fold(k: int, held: pd.DataFrame, fitted: pd.DataFrame, model: EventClassifier) -> pd.DataFrame:
    # nor any training document sharing a held text (a weakly labelled copy would leak its label)
    seen = fitted["text_group"].isin(held["text_group"]) | fitted["text"].isin(held["text"])
    train = fitted[~seen]
    log.info("cross-fitting fold %d: %d documents held out, fitted on %d", k + 1, len(held), len(train))
    refit = refit_model(model, train)
    parts = []
    for start in range(0, len(held), BATCH):
        batch = held.iloc[start : start + BATCH]
        proba = refit.predict_proba(batch["text"])
        parts.append(
            pd.concat([batch[["doc_id"]].assign(fold=k), refit.labels_from_proba(proba), proba.round(6)], axis=1)
        )
    return pd.concat(parts)
