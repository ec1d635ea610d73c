"""The one decision-threshold search: one grid, one tie rule, for train, the checks and the yardstick.

A probability becomes a label at a per-type threshold chosen to maximise F1 on a tuning
split. :func:`threshold_grid` is the candidate grid (``train.threshold_step``);
:func:`best_threshold` picks from it, ties going to the highest threshold (the more
conservative cut); :func:`cross_fitted_f1` scores a variant on dev without letting the
threshold see the documents it is scored on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score


def threshold_grid(step: float) -> np.ndarray:
    """Return the candidate thresholds: 0.05 to 0.95 in steps of ``step``.

    >>> threshold_grid(0.25).tolist()
    [0.05, 0.3, 0.55, 0.8]
    """
    return np.round(np.arange(0.05, 0.95 + 1e-9, step), 4)


def f1_by_threshold(scores: np.ndarray, y: np.ndarray, *, grid: np.ndarray) -> np.ndarray:
    """F1 of ``scores >= t`` against boolean ``y`` for every ``t`` of ``grid`` (0 where nothing is predicted or true).

    >>> f1_by_threshold(np.array([0.2, 0.6, 0.9]), np.array([False, True, True]), grid=np.array([0.1, 0.5, 0.95]))
    array([0.8, 1. , 0. ])
    """
    y = np.asarray(y, dtype=bool)
    pred = np.asarray(scores)[None, :] >= np.asarray(grid)[:, None]
    tp = (pred & y[None, :]).sum(axis=1)
    denominator = pred.sum(axis=1) + y.sum()
    return np.divide(2 * tp, denominator, out=np.zeros(len(grid)), where=denominator > 0)


def best_threshold(scores: np.ndarray, y: np.ndarray, *, grid: np.ndarray) -> tuple[float, float]:
    """Return the F1-best threshold of ``grid`` and its F1; ties go to the highest threshold.

    >>> best_threshold(np.array([0.2, 0.6, 0.9]), np.array([False, True, True]), grid=np.array([0.3, 0.5, 0.6, 0.7]))
    (0.6, 1.0)
    """
    f1 = f1_by_threshold(scores, y, grid=grid)
    i = len(grid) - 1 - int(np.argmax(f1[::-1]))
    return float(grid[i]), float(f1[i])


def cross_fitted_f1(proba: np.ndarray, y: np.ndarray, *, grid: np.ndarray, repeats: int, seed: int) -> float:
    """F1 with the threshold chosen on one half of dev and applied to the other, both ways, averaged.

    Dev is also where the study tunes its thresholds, so F1 at a threshold tuned on the
    same documents would flatter every variant; cross-fitting keeps the comparison honest.

    Returns
    -------
    float
        The mean over ``repeats`` random halvings of the F1 of the whole dev split.
    """
    y = np.asarray(y, dtype=bool)
    scores = []
    for r in range(repeats):
        order = np.random.default_rng(seed + r).permutation(len(y))
        halves = (order[: len(y) // 2], order[len(y) // 2 :])
        pred = np.zeros(len(y), dtype=bool)
        for tune, apply in (halves, halves[::-1]):
            pred[apply] = proba[apply] >= best_threshold(proba[tune], y[tune], grid=grid)[0]
        scores.append(f1_score(y, pred, zero_division=0))
    return float(np.mean(scores))


def cross_fitted_predictions(
    proba: pd.DataFrame, gold: pd.DataFrame, *, types: list[str], grid: np.ndarray, seed: int
) -> pd.DataFrame:
    """Labels for a tuning split with thresholds chosen on the other half of it (one seeded halving).

    Scores of a model whose thresholds were tuned on these documents would flatter it; here
    each half is labelled at the thresholds the other half chose (:func:`best_threshold`).

    Parameters
    ----------
    proba : DataFrame
        ``p_<type>`` per type, one row per document.
    gold : DataFrame
        One boolean column per type, same index.
    types : list of str
        The types to cut this way; the others are cut at 0.5 (their probabilities are the
        rules' 0/1 votes).

    Returns
    -------
    DataFrame
        One boolean column per type of ``gold``, index of ``proba``.
    """
    n = len(proba)
    order = np.random.default_rng(seed).permutation(n)
    halves = (order[: n // 2], order[n // 2 :])
    out = {}
    for t in gold.columns:
        p = proba[f"p_{t}"].to_numpy()
        if t not in types:
            out[t] = p >= 0.5
            continue
        y = gold[t].to_numpy().astype(bool)
        pred = np.zeros(n, dtype=bool)
        for tune, apply in (halves, halves[::-1]):
            pred[apply] = p[apply] >= best_threshold(p[tune], y[tune], grid=grid)[0]
        out[t] = pred
    return pd.DataFrame(out, index=proba.index)
