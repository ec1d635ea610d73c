"""Generalised linear models with cluster-robust errors, and their design-based correction for predicted covariates.

A covariate the classifier predicts is measured with error, and a regression on it is
biased however many documents it reads. Design-based supervised learning (DSL; Egami,
Hinck, Stewart and Wei, NeurIPS 2023) corrects the model's estimating equations with a
gold sample drawn with known inclusion probabilities pi_i. Each unit's score
psi(beta; y_i, x_i) is replaced by

    psi(beta; y_i, xhat_i) + (R_i / pi_i) * [psi(beta; y_i, x_i) - psi(beta; y_i, xhat_i)],

where xhat_i holds the predicted covariates, x_i the gold ones (known where R_i = 1), and
the root of the summed scores is consistent whatever the predictions' errors, provided the
gold labels never trained the predictor (here: a round annotated after the model was
fitted). Its variance is the sandwich J^-1 B J^-1, with B summed over clusters, so units
that share a cluster (events reported by the same articles) are not counted as
independent. With every unit in the gold sample (R_i = pi_i = 1) it is the ordinary GLM
fit on gold.

The families are the three the study's models use: Poisson with a log link (a pseudo-ML
mean model for counts), binomial with a logit link, and binomial with a complementary
log-log link (discrete-time hazards).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Link:
    """A GLM family and link: the mean, its derivative and the variance function, all of the linear predictor."""

    name: str

    def mean(self, eta: np.ndarray) -> np.ndarray:
        """Return the mean at the linear predictor ``eta``."""
        if self.name == "poisson":
            return np.exp(eta)
        if self.name == "logit":
            return 1 / (1 + np.exp(-eta))
        return -np.expm1(-np.exp(eta))  # cloglog: 1 - exp(-exp(eta))

    def weight(self, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``mu``, the score weight ``mu' / V(mu)`` and the information weight ``mu'^2 / V(mu)`` at ``eta``."""
        mu = self.mean(eta)
        if self.name in ("poisson", "logit"):  # canonical links: dmu/deta = V(mu)
            variance = mu if self.name == "poisson" else mu * (1 - mu)
            return mu, np.ones_like(mu), variance
        e = np.exp(eta)
        dmu = e * np.exp(-e)
        variance = np.clip(mu * (1 - mu), 1e-12, None)
        return mu, dmu / variance, dmu**2 / variance


LINKS = {name: Link(name) for name in ("poisson", "logit", "cloglog")}


def _score_parts(link: Link, beta: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-row scores (n x k) and the summed expected information (k x k) of a GLM at ``beta``."""
    eta = np.clip(X @ beta, -30, 30)
    mu, w, info = link.weight(eta)
    scores = X * (w * (y - mu))[:, None]
    return scores, (X * info[:, None]).T @ X


def fit(
    link: str,
    y: np.ndarray,
    X_hat: np.ndarray,
    *,
    X_gold: np.ndarray | None = None,
    weight: np.ndarray | None = None,
    clusters: np.ndarray,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit a GLM by its (design-corrected) estimating equations; return the coefficients and their covariance.

    Parameters
    ----------
    link : str
        ``poisson``, ``logit`` or ``cloglog``.
    y : ndarray
        The outcome per row.
    X_hat : ndarray
        The design matrix with the predicted covariates (n x k).
    X_gold : ndarray, optional
        The same design with the gold covariates; rows outside the gold sample are ignored.
        None: no correction (every covariate observed without error).
    weight : ndarray, optional
        ``R_i / pi_i`` per row: 0 outside the gold sample, the inverse inclusion probability
        in it. Needed with ``X_gold``.
    clusters : ndarray
        The cluster of each row (units in one cluster share their errors).

    Returns
    -------
    beta, cov : ndarray
        The coefficients (k) and their cluster-robust covariance (k x k), with the small-sample
        factor G / (G - 1) for G clusters.
    """
    glm = LINKS[link]
    y = np.asarray(y, dtype=float)
    corrected = X_gold is not None
    w = np.zeros(len(y)) if weight is None else np.asarray(weight, dtype=float)
    beta = np.zeros(X_hat.shape[1])
    if link == "poisson":
        beta[0] = np.log(max(y.mean(), 1e-8))  # the intercept's start: the mean
    elif y.mean() > 0:
        p = np.clip(y.mean(), 1e-6, 1 - 1e-6)
        beta[0] = np.log(p / (1 - p)) if link == "logit" else np.log(-np.log1p(-p))

    def moments(b: np.ndarray, *, correct: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-row scores, their summed information (the Jacobian) and the plain fit's information."""
        scores, info = _score_parts(glm, b, X_hat, y)
        plain = info
        if correct:
            sampled = w > 0
            gold_scores, _ = _score_parts(glm, b, X_gold[sampled], y[sampled])
            hat_scores, _ = _score_parts(glm, b, X_hat[sampled], y[sampled])
            ws = w[sampled]
            scores = scores.copy()
            scores[sampled] += (gold_scores - hat_scores) * ws[:, None]
            info = info + _weighted_info(glm, b, X_gold[sampled], ws) - _weighted_info(glm, b, X_hat[sampled], ws)
        return scores, info, plain

    # the plain fit first (Fisher scoring), then the corrected equations from there; every step is
    # taken with the plain fit's information, which is positive definite where the corrected one
    # need not be, and halved while it does not shrink the summed score
    for correct in (False, True) if corrected else (False,):
        for _ in range(max_iter):
            scores, _, plain = moments(beta, correct=correct)
            total = scores.sum(axis=0)
            step = np.linalg.lstsq(plain, total, rcond=None)[0]  # a collinear design still steps (minimum norm)
            for _ in range(30):
                trial = moments(beta + step, correct=correct)[0].sum(axis=0)
                if np.linalg.norm(trial) <= np.linalg.norm(total) or np.max(np.abs(step)) < tol:
                    break
                step = step / 2
            beta = beta + step
            if np.max(np.abs(step)) < tol:
                break
    scores, info, _ = moments(beta, correct=corrected)
    summed = pd.DataFrame(scores).groupby(np.asarray(clusters)).sum().to_numpy()
    g = len(summed)
    bread = np.linalg.pinv(info)
    cov = bread @ (summed.T @ summed) @ bread * (g / max(g - 1, 1))
    return beta, cov


def _weighted_info(link: Link, beta: np.ndarray, X: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Return the expected information of rows ``X`` at ``beta``, each row weighted."""
    eta = np.clip(X @ beta, -30, 30)
    _, _, info = link.weight(eta)
    return (X * (info * weights)[:, None]).T @ X


def coefficient_table(
    beta: np.ndarray, cov: np.ndarray, names: list[str], *, level: float, exponentiate: bool
) -> pd.DataFrame:
    """Tidy coefficients: ``term``, ``estimate``, ``std_error``, ``p_value`` and the interval bounds.

    With ``exponentiate`` the estimate and its bounds are ``exp`` of the coefficient (a rate,
    odds or hazard ratio); the standard error and p-value stay on the coefficient's scale.
    """
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    z = stats.norm.ppf(0.5 + level / 2)
    lower, upper = beta - z * se, beta + z * se
    p = 2 * stats.norm.sf(np.abs(beta / np.where(se > 0, se, np.nan)))
    f = np.exp if exponentiate else (lambda v: v)
    return pd.DataFrame(
        {
            "term": names,
            "estimate": f(beta),
            "std_error": se,
            "p_value": p,
            "estimate_ci_lower": f(lower),
            "estimate_ci_upper": f(upper),
        }
    )
