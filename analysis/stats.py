"""Small statistics every part uses: Wilson intervals, Holm's adjustment, a bootstrap interval.

On the shared floor so that the instrument's scores (``model/``) and the study's estimates
(``study/``) compute an interval or an adjustment one way, from one place.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def wilson_interval(k: np.ndarray, n: np.ndarray, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions ``k / n``.

    >>> lo, hi = wilson_interval(np.array([5]), np.array([10]))
    >>> round(float(lo[0]), 3), round(float(hi[0]), 3)
    (0.237, 0.763)
    """
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    z = stats.norm.ppf((1 + level) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, k / n, np.nan)
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def holm(p: np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (NaN kept as NaN).

    >>> holm(np.array([0.01, 0.04, 0.03])).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p, dtype=float)
    ok = ~np.isnan(p)
    out = np.full_like(p, np.nan)
    vals = p[ok]
    order = np.argsort(vals, kind="stable")
    m = len(vals)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * vals[order])
    res = np.empty(m)
    res[order] = np.minimum(adjusted, 1.0)
    out[ok] = res
    return out


def bootstrap_mean_interval(values: np.ndarray, *, level: float, seed: int, n_resamples: int = 2000):
    """Return a percentile bootstrap interval of a mean (NaN below two values).

    >>> bootstrap_mean_interval(np.array([1.0, 1.0, 1.0]), level=0.95, seed=0)
    (1.0, 1.0)
    """
    if len(values) < 2:
        return float("nan"), float("nan")
    draws = np.random.default_rng(seed).choice(values, size=(n_resamples, len(values)), replace=True).mean(axis=1)
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)
