"""Dev-only comparisons of two classifier variants: average precision and cross-fitted F1.

Dev is where the study tunes its thresholds, so these comparisons score probabilities
(average precision) and F1 at thresholds cross-fitted on halves of dev, and never read
the test split. The checks pipeline (``checks/dvc.yaml``) records them:
``supplement_on_dev`` and ``encoder_on_study_dev`` report through :func:`dev_comparison`;
``refit_on_dev`` scores each half of dev with a model refitted on the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from analysis.errors import DataError
from analysis.model.thresholds import cross_fitted_f1


def dev_comparison(
    dev: pd.DataFrame,
    probas: dict[str, dict[str, np.ndarray]],
    *,
    baseline: str,
    variant: str,
    grid: np.ndarray,
    seed: int,
) -> pd.DataFrame:
    """Compare two variants' dev probabilities type by type: average precision and cross-fitted F1.

    Parameters
    ----------
    dev : DataFrame
        The gold dev set, one boolean column per event type.
    probas : dict
        ``{variant name: {event type: dev probabilities}}`` for ``baseline`` and ``variant``,
        over the same types (the caller decides which types are comparable).
    baseline, variant : str
        Keys of ``probas``; differences are ``variant`` minus ``baseline``.
    grid : ndarray
        Candidate thresholds (:func:`analysis.model.thresholds.threshold_grid`).
    seed : int
        Seed of the random halves of :func:`cross_fitted_f1` (5 repeats).

    Raises
    ------
    DataError
        If no type is left to compare.

    Returns
    -------
    DataFrame
        One row per type plus ``macro``: ``event_type``, ``n_pos_dev``, ``ap_<baseline>``,
        ``f1_<baseline>``, ``ap_<variant>``, ``f1_<variant>``, ``ap_difference``,
        ``f1_difference``, rounded to 4 decimals. The ``macro`` row holds the unweighted
        mean of each score over the types and the total of ``n_pos_dev``.
    """
    if not probas[baseline]:
        raise DataError(f"dev comparison {variant} vs {baseline}: no event type is left to compare")
    rows = []
    for t in probas[baseline]:
        y_dev = dev[t].to_numpy().astype(bool)
        row = {"event_type": t, "n_pos_dev": int(y_dev.sum())}
        for name in (baseline, variant):
            proba = probas[name][t]
            row[f"ap_{name}"] = average_precision_score(y_dev, proba)
            row[f"f1_{name}"] = cross_fitted_f1(proba, y_dev, grid=grid, repeats=5, seed=seed)
        rows.append(row)
    return comparison_frame(rows, baseline=baseline, variant=variant)


def comparison_frame(rows: list[dict], *, baseline: str, variant: str) -> pd.DataFrame:
    """Add the ``macro`` row and the differences to per-type score rows, rounded (see :func:`dev_comparison`)."""
    out = pd.DataFrame(rows)
    macro = {"event_type": "macro", "n_pos_dev": int(out["n_pos_dev"].sum())}
    macro.update(out.drop(columns=["event_type", "n_pos_dev"]).mean().to_dict())
    out = pd.concat([out, pd.DataFrame([macro])], ignore_index=True)
    out["ap_difference"] = out[f"ap_{variant}"] - out[f"ap_{baseline}"]
    out["f1_difference"] = out[f"f1_{variant}"] - out[f"f1_{baseline}"]
    numeric = out.columns.drop("event_type")
    out[numeric] = out[numeric].round(4) + 0  # + 0 turns a rounded -0.0 into 0.0
    return out
