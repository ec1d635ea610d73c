"""Check ``refit_on_dev``: what refitting on train + dev (``train.refit_on_dev``) buys, on halves of gold dev."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.metrics import average_precision_score, f1_score

from analysis.checks.compare import comparison_frame
from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model.classifier import EventClassifier
from analysis.model.features import fit_features
from analysis.model.thresholds import best_threshold
from analysis.params import ModelSpec


def refit_on_dev(
    train: pd.DataFrame,
    dev: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    spec: ModelSpec,
    label_model: dict,
    grid: np.ndarray,
    min_dev_positives: int,
    repeats: int,
    seed: int,
) -> pd.DataFrame:
    """Check ``train.refit_on_dev`` on gold dev alone: score a train-only and a refitted model.

    Dev is split into halves by text group (so no near-copy could straddle them),
    ``repeats`` times. For each half, thresholds are tuned on the *other* half with the train-only
    model, as the train stage tunes them on dev; then both the train-only model and a
    model refitted on train plus that other half are scored on this half at those
    thresholds. Every dev document is thus scored once per repeat by a model that never
    saw it. The vectorisers are fitted on the training set once and shared, so the refit
    adds the tuning half's rows to the linear models only (the train stage also refits
    the vocabulary). The test split is never read.

    Parameters
    ----------
    train, dev : DataFrame
        The training and gold dev sets (:data:`analysis.model.datasets.SET_COLUMNS`).
    gold : DataFrame
        The gold table; gives each dev document's ``text_group``.
    spec : ModelSpec
        The train stage's model settings.
    label_model : dict
        The label model whose labels back off the rare types.
    grid : ndarray
        Candidate thresholds, as the train stage tunes over.
    min_dev_positives : int
        Types with fewer dev positives are not compared.
    repeats : int
        Random halvings of dev; the scores are their means.
    seed : int
        Seed of the models and the halvings.

    Raises
    ------
    DataError
        If no learned type has ``min_dev_positives`` dev positives.

    Returns
    -------
    DataFrame
        As :func:`dev_comparison`: ``event_type``, ``n_pos_dev``, ``ap_train_only``,
        ``f1_train_only``, ``ap_refit``, ``f1_refit``, ``ap_difference``, ``f1_difference``
        (refit minus train-only), rounded to 4 decimals: one row per type that the train-only
        model learns and that has ``min_dev_positives`` dev positives, plus ``macro``.
        ``ap_refit`` ranks the pooled scores of the two refitted models of each repeat.
    """
    features, x = fit_features(spec, train["text"])
    x_dev = features.transform(dev["text"]).tocsr()
    weight = train["weight"].to_numpy()
    base = EventClassifier(spec, seed=seed).fit_matrix(x, train, sample_weight=weight, label_model=label_model)
    p_base = base.learned_proba(x_dev)
    types = [t for t in base.learned_types() if dev[t].sum() >= min_dev_positives]
    if not types:
        raise DataError(f"refit on dev: no learned event type has {min_dev_positives} or more dev positives")
    groups = gold.set_index("doc_id").loc[dev["doc_id"], "text_group"].to_numpy()
    distinct = np.unique(groups)
    y = {t: dev[t].to_numpy().astype(bool) for t in types}
    scores = {t: {"ap_train_only": [], "f1_train_only": [], "ap_refit": [], "f1_refit": []} for t in types}
    for r in range(repeats):
        first = np.isin(groups, np.random.default_rng(seed + r).permutation(distinct)[: len(distinct) // 2])
        p_refit = {t: np.zeros(len(dev)) for t in types}
        cut = {t: np.zeros(len(dev)) for t in types}
        for tune in (first, ~first):
            rows = np.flatnonzero(tune)
            refit = EventClassifier(spec, seed=seed).fit_matrix(
                sparse.vstack([x, x_dev[rows]], format="csr"),
                pd.concat([train[list(EVENT_TYPES)], dev.iloc[rows][list(EVENT_TYPES)]], ignore_index=True),
                sample_weight=np.concatenate([weight, dev["weight"].to_numpy()[rows]]),
                label_model=label_model,
                learn=types,  # only the compared types are fitted
            )
            for t, p in refit.learned_proba(x_dev[~tune]).items():
                p_refit[t][~tune] = p
                cut[t][~tune] = best_threshold(p_base[t][tune], y[t][tune], grid=grid)[0]
        for t in types:
            scores[t]["ap_train_only"].append(average_precision_score(y[t], p_base[t]))
            scores[t]["f1_train_only"].append(f1_score(y[t], p_base[t] >= cut[t], zero_division=0))
            scores[t]["ap_refit"].append(average_precision_score(y[t], p_refit[t]))
            scores[t]["f1_refit"].append(f1_score(y[t], p_refit[t] >= cut[t], zero_division=0))
    rows = [
        {"event_type": t, "n_pos_dev": int(y[t].sum()), **{k: float(np.mean(v)) for k, v in scores[t].items()}}
        for t in types
    ]
    return comparison_frame(rows, baseline="train_only", variant="refit")
