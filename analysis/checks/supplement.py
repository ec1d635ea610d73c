"""Check ``supplement_on_dev``: what the train-only gold supplement buys, on gold dev only."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from analysis.checks.compare import dev_comparison
from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model.classifier import EventClassifier
from analysis.model.datasets import training_set
from analysis.params import ModelSpec


def supplement_on_dev(
    documents: pd.DataFrame,
    gold: pd.DataFrame,
    weak: pd.DataFrame,
    dev: pd.DataFrame,
    *,
    spec: ModelSpec,
    label_model: dict,
    train_only_strata: tuple[str, ...],
    weak_weight: float,
    max_weak: int,
    min_dev_positives: int,
    grid: np.ndarray,
    seed: int,
    articles: Collection[str],
) -> pd.DataFrame:
    """Score the classifier with and without the train-only gold supplement, on gold dev only.

    ``with`` is the features and train stages' training set. ``without`` is the same set
    built from a gold table that lacks the ``train_only_strata`` documents, so those
    documents (and their text-group mates) come back as weakly labelled rows, as they
    would have been had they never been annotated. Both variants use the same model
    settings and the same label model (``label_model``, fitted on gold train with the
    supplement). The test split is never read.

    Parameters
    ----------
    documents, gold, weak : DataFrame
        The documents table, the gold table and the weak labels (``doc_id`` plus one
        boolean column per type), as the features stage reads them.
    dev : DataFrame
        The gold dev set.
    spec : ModelSpec
        The train stage's model settings.
    label_model : dict
        The label model whose labels back off the rare types.
    train_only_strata : tuple of str
        The strata of the supplement (``gold.train_only_strata``).
    weak_weight, max_weak : float, int
        As in :func:`analysis.model.datasets.training_set`.
    min_dev_positives : int
        Types with fewer dev positives are not compared.
    grid : ndarray
        Candidate thresholds of the cross-fitted F1.
    seed : int
        Seed of the weak sample, the models and the cross-fitting.
    articles : collection of str
        The collections of kind ``articles``.

    Raises
    ------
    DataError
        If the gold table has no document of ``train_only_strata``.

    Returns
    -------
    DataFrame
        As :func:`dev_comparison`: ``event_type``, ``n_pos_dev``, ``ap_without``,
        ``f1_without``, ``ap_with``, ``f1_with``, ``ap_difference``, ``f1_difference``
        (with minus without). Only types that both variants learn (rather than back off to
        the rules) are compared.
    """
    supplement = gold["stratum"].isin(train_only_strata)
    if not supplement.any():
        raise DataError(f"gold: no document of the train-only strata {list(train_only_strata)}")
    kwargs = {"weak_weight": weak_weight, "max_weak": max_weak, "seed": seed, "articles": articles}
    variants = {
        "without": training_set(documents, gold[~supplement], weak, **kwargs),
        "with": training_set(documents, gold, weak, **kwargs),
    }
    probas: dict[str, dict[str, np.ndarray]] = {}
    learned: dict[str, set[str]] = {}
    for name, train in variants.items():
        model = EventClassifier(spec, seed=seed).fit(
            train["text"], train, sample_weight=train["weight"].to_numpy(), label_model=label_model
        )
        proba = model.predict_proba(dev["text"])
        learned[name] = set(model.learned_types())
        probas[name] = {t: proba[f"p_{t}"].to_numpy() for t in EVENT_TYPES}
    types = [t for t in EVENT_TYPES if t in learned["without"] & learned["with"] and dev[t].sum() >= min_dev_positives]
    probas = {name: {t: p[t] for t in types} for name, p in probas.items()}
    return dev_comparison(dev, probas, baseline="without", variant="with", grid=grid, seed=seed)
