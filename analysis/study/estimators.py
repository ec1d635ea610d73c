"""The estimators of a share under the study's sampling design, on plain arrays.

A share of documents in a group (a *domain*) splits into what gold knows and what it does
not (``docs/methods.md``, "The sampling design"):

    p = (Y_known + W_rest * mu_rest) / W

with ``W`` the domain's documents, ``Y_known`` the documents whose text group carries a gold
label and report the type, ``W_rest`` the documents of the other text groups and ``mu_rest``
their (document-weighted) share, the one unknown. ``mu_rest`` is estimated from a simple random
sample of text groups drawn from the rest (with the groups it drew, ``N`` groups, ``n`` drawn,
sampling fraction ``f = n / N``), by the difference estimator of survey sampling, which is
PPI++ in a finite population:

    mu_hat = lam * mean_rest(f) + hajek_sample(y - lam * f)

``mean_rest(f)`` is the predictions' exact mean over the rest (every document is predicted, so
it carries no sampling error). Its error is the Hájek mean of ``r = y - lam * f`` over the sample
minus the same mean over the undrawn rest. ``lam`` minimises the linearised (Taylor) variance
of a ratio mean, ``s2 / (n (1 - f))`` with ``s2 = sum((w_i / w_bar)^2 (r_i - r_bar)^2) / (n - 1)``
(the regression coefficient of ``y`` on ``f``, clipped to [0, 1]; ``lam = 0`` is the gold sample
alone). The standard error is the delete-one jackknife's, with ``lam`` re-tuned in each
replicate, over ``1 - f``. The interval is Clopper-Pearson's at the effective sample size
``mu (1 - mu) / se^2`` (Korn and Graubard 1998) with their degrees-of-freedom correction, which
stays in [0, 1]; where the sample is small (:data:`MIN_SAMPLE`,
:data:`MIN_EXPECTED`) the gold sample alone speaks, with the same interval at its own
effective size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

#: Below this many sampled text groups in a domain, the normal interval of PPI++ is not trusted:
#: the gold-only exact interval (:func:`exact_interval`) speaks instead.
MIN_SAMPLE = 30
#: Nor below this many expected positives (or negatives) in the sample, reckoned from the
#: predictions over the undrawn rest, which the draw does not change: a choice of method that
#: no gold label steers, so each method keeps its own coverage. At 5 the simulation's coverage
#: fell to 84% (60 sampled units, 5% prevalence); at 10 it holds.
MIN_EXPECTED = 10


@dataclass(frozen=True)
class Estimate:
    """One share: its estimate, interval and standard error (NaN for exact and bounded shares)."""

    method: str  # exact, ppi++, gold (exact interval from the sample alone) or bounds (no sample)
    estimate: float
    lower: float
    upper: float
    se: float
    lam: float


def linearised_variance(r: np.ndarray, w: np.ndarray) -> float:
    """Return ``s2``: the per-unit linearised variance of the Hájek mean of ``r`` with weights ``w``.

    >>> round(linearised_variance(np.array([1.0, 0.0, 1.0, 0.0]), np.ones(4)), 4)
    0.3333
    """
    if len(r) < 2:
        return float("nan")
    z = (w / w.mean()) * (r - np.average(r, weights=w))
    return float(np.sum(z**2) / (len(r) - 1))


def tuned_lambda(y: np.ndarray, f: np.ndarray, w: np.ndarray) -> float:
    """Return the ``lam`` in [0, 1] that minimises the linearised variance of ``y - lam * f``.

    >>> tuned_lambda(np.array([1.0, 0.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0]), np.ones(4))
    1.0
    """
    u = (w / w.mean()) ** 2
    fc, yc = f - np.average(f, weights=w), y - np.average(y, weights=w)
    denom = float(np.sum(u * fc**2))
    if denom <= 0:
        return 0.0
    return float(np.clip(np.sum(u * fc * yc) / denom, 0.0, 1.0))


def jackknife_variance(y: np.ndarray, f: np.ndarray, w: np.ndarray, *, f_rest_mean: float, lam: float | None) -> float:
    """Return the delete-one jackknife variance of the difference estimator, ``lam`` re-tuned per replicate.

    Each replicate drops one sampled unit and, where ``lam`` is None, tunes ``lam`` again, so the
    variance carries the tuning's own noise; the linearised variance ignores it and, with unequal
    weights, under-covers (``checks/data/tables/design_coverage.md``). Leave-one-out sums make it
    O(n).

    >>> y = np.array([1.0, 0.0] * 20); round(jackknife_variance(y, y, np.ones(40), f_rest_mean=0.5, lam=None), 6)
    0.0
    """
    n = len(y)
    loo = lambda v: v.sum() - v  # noqa: E731 -- the sum over every unit but each one
    big_w = loo(w)
    y_bar, f_bar = loo(w * y) / big_w, loo(w * f) / big_w
    if lam is None:
        w2 = w**2
        syf, sy, sf, s1, sff = loo(w2 * y * f), loo(w2 * y), loo(w2 * f), loo(w2), loo(w2 * f * f)
        num = syf - y_bar * sf - f_bar * sy + y_bar * f_bar * s1
        den = sff - 2 * f_bar * sf + f_bar**2 * s1
        lams = np.clip(np.divide(num, den, out=np.zeros(n), where=den > 1e-12), 0.0, 1.0)
    else:
        lams = np.full(n, float(lam))
    theta = lams * f_rest_mean + y_bar - lams * f_bar
    return float((n - 1) / n * np.sum((theta - theta.mean()) ** 2))


def exact_interval(share: float, n_eff: float, *, level: float) -> tuple[float, float]:
    """Clopper-Pearson interval at an effective sample size (Korn and Graubard 1998): stays in [0, 1].

    >>> [round(b, 3) for b in exact_interval(0.0, 180, level=0.95)]
    [0.0, 0.02]
    """
    alpha = 1 - level
    x = share * n_eff
    lower = 0.0 if x <= 0 else float(stats.beta.ppf(alpha / 2, x, n_eff - x + 1))
    upper = 1.0 if x >= n_eff else float(stats.beta.ppf(1 - alpha / 2, x + 1, n_eff - x))
    return lower, upper


def rest_mean(
    y: np.ndarray,
    f: np.ndarray,
    w: np.ndarray,
    *,
    f_rest_mean: float,
    fraction: float,
    level: float,
    lam: float | None = None,
) -> Estimate:
    """Estimate the undrawn rest's mean ``mu_rest`` from the sample (PPI++, or gold-only where small).

    Parameters
    ----------
    y, f, w : ndarray
        The sampled units' gold labels, predictions and document weights.
    f_rest_mean : float
        The document-weighted mean of the predictions over the undrawn rest.
    fraction : float
        The sampling fraction ``n / N`` of the draw (its finite-population correction).
    level : float
        Coverage of the interval.
    lam : float, optional
        Fix the power-tuning parameter (1: plain PPI, 0: gold alone); None tunes it.

    Returns
    -------
    Estimate
        Of ``mu_rest``; method ``ppi++`` or ``gold`` (:data:`MIN_SAMPLE`, :data:`MIN_EXPECTED`).
    """
    n = len(y)
    expected = n * min(f_rest_mean, 1 - f_rest_mean)
    if n >= MIN_SAMPLE and expected >= MIN_EXPECTED:
        fixed = lam  # the jackknife re-tunes lam per replicate unless it was given
        lam = tuned_lambda(y, f, w) if lam is None else float(lam)
        r = y - lam * f
        est = lam * f_rest_mean + float(np.average(r, weights=w))
        se = float(np.sqrt(jackknife_variance(y, f, w, f_rest_mean=f_rest_mean, lam=fixed) / (1 - fraction)))
        share = min(max(est, 0.0), 1.0)
        if 0 < share < 1 and se > 0:
            # the interval of a proportion at PPI++'s effective sample size (Korn and Graubard),
            # with their degrees-of-freedom correction: a normal interval under-covers by up to
            # ten points near 0 and with unequal weights (checks/data/tables/design_coverage.md)
            df = (stats.norm.ppf((1 + level) / 2) / stats.t.ppf((1 + level) / 2, n - 1)) ** 2
            lower, upper = exact_interval(share, share * (1 - share) / se**2 * df, level=level)
            return Estimate("ppi++", est, lower, upper, se, lam)
    return gold_mean(y, w, fraction=fraction, level=level)


def gold_mean(y: np.ndarray, w: np.ndarray, *, fraction: float, level: float) -> Estimate:
    """Estimate from the sample alone: Hájek mean with an exact interval at the design's effective size.

    The effective size is Kish's ``(sum w)^2 / sum w^2`` times ``1 - f``: predicting the mean of
    the undrawn rest, not of the whole frame.
    """
    if len(y) == 0:
        return Estimate("bounds", float("nan"), 0.0, 1.0, float("nan"), float("nan"))
    est = float(np.average(y, weights=w))
    n_eff = w.sum() ** 2 / np.sum(w**2) * (1 - fraction)
    lower, upper = exact_interval(est, n_eff, level=level)
    se = float(np.sqrt(linearised_variance(y, w) / (len(y) * (1 - fraction)))) if len(y) > 1 else float("nan")
    return Estimate("gold", est, lower, upper, se, 0.0)


def domain_share(known: float, w_rest: float, total: float, rest: Estimate | None) -> Estimate:
    """Map an estimate of ``mu_rest`` to the domain's share ``(known + w_rest * mu_rest) / total``.

    >>> domain_share(3.0, 0.0, 10.0, Estimate("gold", 0.5, 0.0, 1.0, 0.1, 0.0)).estimate
    0.3
    """
    if w_rest == 0 or rest is None:
        share = known / total
        return Estimate("exact", share, share, share, 0.0, float("nan"))
    a = w_rest / total
    return Estimate(
        rest.method,
        known / total + a * rest.estimate,
        known / total + a * rest.lower,
        known / total + a * rest.upper,
        a * rest.se,
        rest.lam,
    )


def permutation_test(y: np.ndarray, w: np.ndarray, group: np.ndarray, *, n_perm: int, seed: int) -> tuple[float, float]:
    """Test that a type's document share is the same in every group, by permuting units among groups.

    The statistic is the documents' chi-square, ``sum_g W_g (p_g - p)^2 / (p (1 - p))``; units
    (text groups, with their documents) are exchanged between groups, so the test holds its level
    at any group size.

    Returns
    -------
    tuple of float
        The statistic and its permutation p-value, ``(1 + #{T* >= T}) / (1 + n_perm)``.
    """
    codes, index = np.unique(group, return_inverse=True)
    k = len(codes)
    pooled = np.sum(w * y) / w.sum()
    if k < 2 or pooled in (0.0, 1.0):
        return 0.0, 1.0

    def statistic(idx: np.ndarray) -> np.ndarray:
        # idx: (m, n) group of each unit per permutation
        offsets = idx + k * np.arange(idx.shape[0])[:, None]
        wg = np.bincount(offsets.ravel(), weights=np.tile(w, idx.shape[0]), minlength=k * idx.shape[0])
        yg = np.bincount(offsets.ravel(), weights=np.tile(w * y, idx.shape[0]), minlength=k * idx.shape[0])
        wg, yg = wg.reshape(-1, k), yg.reshape(-1, k)
        with np.errstate(invalid="ignore", divide="ignore"):
            dev = np.where(wg > 0, (yg / wg - pooled) ** 2 * wg, 0.0)
        return dev.sum(axis=1) / (pooled * (1 - pooled))

    observed = float(statistic(index[None, :])[0])
    rng = np.random.default_rng(seed)
    perms = np.stack([rng.permutation(index) for _ in range(n_perm)])
    exceed = int(np.sum(statistic(perms) >= observed - 1e-12 * max(1.0, observed)))
    return observed, (1 + exceed) / (1 + n_perm)
