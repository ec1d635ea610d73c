"""Interval widths before and after the sampling design, per collection and type (``docs/decisions.md``).

*Before* is the estimator the study used until 2026-12-06: PPI++ (``ppi_py.ppi_mean_ci``,
power-tuned) on round 1's random stratum alone, with the cross-fitted labels, weights of
documents per text group passed to ``ppi_py`` (whose weighted variance is that of ``w * r``,
not the linearised one), and no interval below 10 gold units or 5 gold positives. *After*
is :func:`analysis.study.design.shares`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from ppi_py import ppi_mean_ci, ppi_mean_pointestimate

from analysis.study import design

#: The former gates: no interval below this many gold units or gold positives.
OLD_MIN_GOLD, OLD_MIN_POSITIVES = 10, 5


def old_estimate(y: np.ndarray, yhat: np.ndarray, yu: np.ndarray, w: np.ndarray, wu: np.ndarray, level: float):
    """Return the former PPI++ share and interval (NaN where its gates held it back)."""
    if len(y) < OLD_MIN_GOLD or y.sum() < OLD_MIN_POSITIVES:
        return np.nan, np.nan, np.nan
    est = float(np.ravel(ppi_mean_pointestimate(y, yhat, yu, w=w, w_unlabeled=wu))[0])
    lo, hi = (float(np.ravel(b)[0]) for b in ppi_mean_ci(y, yhat, yu, alpha=1 - level, w=w, w_unlabeled=wu))
    return est, max(lo, 0.0), min(hi, 1.0)


def design_widths(population: pd.DataFrame, gold: pd.DataFrame, *, random_strata, sample_strata, level: float):
    """Compare, per collection and type, the former estimate's interval with the design's.

    Returns
    -------
    DataFrame
        ``collection``, ``event_type``, ``share_before``, ``half_width_before``, ``method``,
        ``share_after``, ``half_width_after`` and ``half_width_gold_after`` (gold alone).
    """
    types = [c.removeprefix("cfp_") for c in population.columns if c.startswith("cfp_")]
    sampled = design.design_gold(gold, sample_strata=sample_strata)
    after = design.shares(population, sampled, by=["collection"], types=types, level=level)
    random = sampled[gold["stratum"].isin(random_strata).to_numpy()].assign(role="sample")
    units = design.design_units(population, random, by=["collection"], types=types)
    rows = []
    for (collection, t), part in after.groupby(["collection", "event_type"], sort=False):
        u = units[units["collection"] == collection]
        lab, unl = u[u["role"] == "sample"], u[u["role"] == "rest"]
        est, lo, hi = old_estimate(
            lab[f"gold_{t}"].to_numpy(float),
            lab[f"cf_{t}"].to_numpy(float),
            unl[f"cf_{t}"].to_numpy(float),
            lab["weight"].to_numpy(float),
            unl["weight"].to_numpy(float),
            level,
        )
        r = part.iloc[0]
        rows.append(
            {
                "collection": collection,
                "event_type": t,
                "share_before": est,
                "half_width_before": (hi - lo) / 2,
                "method": r["method"],
                "share_after": r["share_est"],
                "half_width_after": (r["share_est_ci_upper"] - r["share_est_ci_lower"]) / 2,
                "half_width_gold_after": (r["share_gold_ci_upper"] - r["share_gold_ci_lower"]) / 2,
            }
        )
    return pd.DataFrame(rows)
