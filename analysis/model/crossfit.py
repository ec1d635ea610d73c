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

import hashlib
import logging

import pandas as pd
from joblib import Parallel, delayed

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model.classifier import EventClassifier
from analysis.model.families import refit_model
from analysis.model.teacher import TeacherLabels

log = logging.getLogger(__name__)

#: Documents predicted at once (bounds the memory of one fold's feature matrix).
BATCH = 4000


def fold_of(text_groups: pd.Series, *, folds: int, seed: int) -> pd.Series:
    """Assign each text group to one of ``folds`` folds by a seeded hash of its id; documents of a group share it.

    A group's fold depends on its id and the seed alone, not on which other groups are in
    the corpus: a corpus added beside the study's leaves every study document in its fold,
    so the committed fold teachers (:mod:`analysis.model.teacher`) still serve. (An added
    document that joins a study group and sorts first renames the group, which may move it;
    :func:`analysis.model.teacher.labels_for` then refuses the teacher that saw it.)
    """
    groups = pd.Series(text_groups.unique())
    fold = groups.map(lambda g: int(hashlib.sha256(f"{seed}:{g}".encode()).hexdigest()[:8], 16) % folds)
    return text_groups.map(pd.Series(fold.to_numpy(), index=groups.to_numpy()))


def cross_fitted(
    documents: pd.DataFrame,
    fitted: pd.DataFrame,
    model: EventClassifier,
    *,
    folds: int,
    seed: int,
    n_jobs: int = 1,
    teachers: list[TeacherLabels] | None = None,
    also: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    teachers : list of TeacherLabels, optional
        The committed fold teachers of a distilled or mixture model (none: each fold
        fine-tunes its own).
    also : DataFrame, optional
        Other texts to predict by the same fold models: ``doc_id`` (the document of
        ``documents`` whose fold predicts it) and ``text``; e.g. an event's first report.

    Returns
    -------
    tuple of DataFrame
        The documents' predictions: ``doc_id``, ``fold``, one boolean column per type (at the
        saved thresholds) and ``p_<type>``, in the order of ``documents``; and the same
        columns for ``also``, in its order (no row without it).
    """
    held = held_folds(documents, folds=folds, seed=seed)
    also = pd.DataFrame({"doc_id": pd.Series(dtype=str), "text": pd.Series(dtype=str)}) if also is None else also
    extra = [also[also["doc_id"].isin(h["doc_id"])] for h in held]
    parts = Parallel(n_jobs=min(n_jobs, folds))(
        delayed(_predict_fold)(k, h, e, fitted, model, teachers)
        for k, (h, e) in enumerate(zip(held, extra, strict=True))
    )
    columns = ["doc_id", "fold", *EVENT_TYPES, *(f"p_{t}" for t in EVENT_TYPES)]
    out = pd.concat([p for p, _ in parts if len(p)]).set_index("doc_id").loc[documents["doc_id"]].reset_index()
    more = pd.concat([e for _, e in parts]).set_index("doc_id").loc[also["doc_id"]].reset_index()
    return out[columns], more[columns]


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


def held_folds(documents: pd.DataFrame, *, folds: int, seed: int) -> list[pd.DataFrame]:
    """Split the documents to predict into ``folds`` folds by text group (seeded), in fold order."""
    fold = fold_of(documents["text_group"], folds=folds, seed=seed)
    return [documents[fold.to_numpy() == k] for k in range(folds)]


def fitted_frame(train: pd.DataFrame, dev: pd.DataFrame, documents: pd.DataFrame, *, seen_dev: bool) -> pd.DataFrame:
    """Return what the saved model was fitted on: train (and dev if it refitted on it), with ``text_group``.

    Returns
    -------
    DataFrame
        The rows of ``train`` then ``dev`` (when ``seen_dev``), their columns and ``text_group``
        (empty for documents from outside the corpus).
    """
    fitted = pd.concat([train, dev], ignore_index=True) if seen_dev else train
    return fitted.merge(documents[["doc_id", "text_group"]], on="doc_id", how="left")


def fold_frame(fitted: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of ``fitted`` a fold's refit may see: none of the held text groups or texts."""
    # nor any training document sharing a held text (a weakly labelled copy would leak its label)
    seen = fitted["text_group"].isin(held["text_group"]) | fitted["text"].isin(held["text"])
    return fitted[~seen]


def _predict_fold(
    k: int, held: pd.DataFrame, extra: pd.DataFrame, fitted: pd.DataFrame, model: EventClassifier, teachers
) -> tuple[pd.DataFrame, pd.DataFrame]:
    train = fold_frame(fitted, held)
    log.info("cross-fitting fold %d: %d documents held out, fitted on %d", k + 1, len(held), len(train))
    refit = refit_model(model, train, teachers=teachers)
    return _predicted(refit, held, fold=k), _predicted(refit, extra, fold=k)


def _predicted(model: EventClassifier, frame: pd.DataFrame, *, fold: int) -> pd.DataFrame:
    """``doc_id``, ``fold``, labels and ``p_<type>`` of ``frame``'s texts, in batches."""
    parts = []
    for start in range(0, len(frame), BATCH):
        batch = frame.iloc[start : start + BATCH].reset_index(drop=True)
        proba = model.predict_proba(batch["text"])
        parts.append(
            pd.concat([batch[["doc_id"]].assign(fold=fold), model.labels_from_proba(proba), proba.round(6)], axis=1)
        )
    if not parts:
        return pd.DataFrame(columns=["doc_id", "fold", *EVENT_TYPES, *(f"p_{t}" for t in EVENT_TYPES)])
    return pd.concat(parts, ignore_index=True)
