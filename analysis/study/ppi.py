"""Error-aware estimates from predicted labels: prediction-powered inference (PPI++) with a random gold sample.

A share computed from the classifier's labels inherits its errors: a type it misses half
the time is reported at half its share, and a Wilson interval around that biased share
says nothing about the bias. Prediction-powered inference (Angelopoulos et al., Science
2023; PPI++, Angelopoulos, Duchi and Zrnic 2023) combines the predictions on every
document with a random sample of gold labels: the predictions' mean, corrected by how far
they are from gold on the sample, with an interval that holds whatever the classifier's
errors (``ppi_py.ppi_mean_ci``, power-tuned). The gold sample is round 1's random stratum,
and its predictions are cross-fitted (:mod:`analysis.model.crossfit`), so no gold
document is predicted by a model that saw it.

Every estimate comes with its naive version (predictions alone), its gold-only version
(the sample alone) and the number of gold documents behind it: where that number is
small, the interval says so.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from ppi_py import ppi_mean_ci, ppi_mean_pointestimate
from scipy import stats

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.stats import holm, wilson_interval

log = logging.getLogger(__name__)

#: Below this many gold documents in a group, no PPI interval is given (it would be the
#: sample's own, and unreadably wide).
MIN_GOLD = 10
#: Below this many gold positives in a group, no PPI interval either: the normal approximation
#: behind it needs some positives to measure the classifier's errors on.
MIN_GOLD_POSITIVES = 5


def ppi_share(
    y: np.ndarray,
    yhat: np.ndarray,
    yhat_unlabeled: np.ndarray,
    *,
    level: float,
    w: np.ndarray | None = None,
    w_unlabeled: np.ndarray | None = None,
    lam: float | None = None,
) -> tuple[float, float, float, float]:
    """Return the PPI++ estimate of a share, its interval and standard error.

    ``nan`` below :data:`MIN_GOLD` gold units or :data:`MIN_GOLD_POSITIVES` gold positives
    (the gold-only Wilson interval of :func:`shares` still bounds such a share).

    Parameters
    ----------
    y, yhat : ndarray
        Gold labels (0/1) and (cross-fitted) predictions of the gold units.
    yhat_unlabeled : ndarray
        Predictions of the other units of the population.
    level : float
        Coverage of the interval.
    w, w_unlabeled : ndarray, optional
        Unit weights (documents per text group); the estimate is a share of documents.
    lam : float, optional
        The power-tuning parameter; None tunes it from the data (PPI++), 1 is plain PPI and 0
        the gold sample alone (a normal interval).

    >>> y = np.array([1, 1, 0, 0, 1, 0, 1, 0, 0, 1] * 3)
    >>> est, lo, hi, se = ppi_share(y, y, np.array([1, 0] * 100), level=0.9)
    >>> round(est, 3), lo < est < hi
    (0.5, True)
    """
    y, yhat, yu = (np.asarray(a, dtype=float) for a in (y, yhat, yhat_unlabeled))
    if len(y) < MIN_GOLD or len(yu) == 0 or (y > 0).sum() < MIN_GOLD_POSITIVES:
        # with (almost) no gold positive the rectifier's variance is unmeasured: a normal
        # interval would be [0, 0] or nearly, a certainty the sample does not have
        return float("nan"), float("nan"), float("nan"), float("nan")
    w = None if w is None else np.asarray(w, dtype=float)
    wu = None if w_unlabeled is None else np.asarray(w_unlabeled, dtype=float)
    # with lam None, both calls tune it alike (from the plain PPI estimate), so they agree
    estimate = float(np.ravel(ppi_mean_pointestimate(y, yhat, yu, lam=lam, w=w, w_unlabeled=wu))[0])
    if not 0 <= estimate <= 1:
        log.warning("a PPI++ share fell outside [0, 1] (%.3f): clipped", estimate)
        estimate = float(np.clip(estimate, 0, 1))
    lower, upper = (
        float(np.ravel(b)[0]) for b in ppi_mean_ci(y, yhat, yu, alpha=1 - level, lam=lam, w=w, w_unlabeled=wu)
    )
    se = (upper - lower) / (2 * stats.norm.ppf((1 + level) / 2))  # a normal interval: read its standard error back
    return estimate, float(np.clip(lower, 0, 1)), float(np.clip(upper, 0, 1)), float(se)


def text_units(frame: pd.DataFrame, *, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """Collapse documents to units of one text group within a group: the sampling units of the gold.

    The random gold stratum drew one document per eligible text group, so a gold label holds
    for every document sharing its text: the unit is the text group, weighted by its documents.

    Returns
    -------
    DataFrame
        ``keys``..., ``text_group``, ``weight`` (documents), and the mean of each of ``columns``
        over the unit's documents.
    """
    grouped = frame.groupby([*keys, "text_group"], sort=True, observed=True)
    out = grouped[list(columns)].mean().astype(float)
    out.insert(0, "weight", grouped.size())
    return out.reset_index()


def gold_labels(gold: pd.DataFrame, crossfit: pd.DataFrame, *, strata: tuple[str, ...]) -> pd.DataFrame:
    """Return the random gold sample: each document's gold labels beside its cross-fitted predictions.

    Returns
    -------
    DataFrame
        ``doc_id``, ``collection``, ``text_group``, ``gold_<type>`` (0/1, NaN where the
        annotators could not decide) and ``pred_<type>`` (0/1) per event type.
    """
    sample = gold[gold["stratum"].isin(strata)]
    out = sample[["doc_id", "collection", "text_group"]].copy()
    for t in EVENT_TYPES:
        out[f"gold_{t}"] = sample[t].astype(float).to_numpy()
    pred = crossfit.set_index("doc_id").reindex(out["doc_id"])[list(EVENT_TYPES)]
    for t in EVENT_TYPES:
        out[f"pred_{t}"] = pred[t].astype(float).to_numpy()
    return out.reset_index(drop=True)


def with_crossfit(population: pd.DataFrame, crossfit: pd.DataFrame) -> pd.DataFrame:
    """Add each document's cross-fitted prediction (``cf_<type>``) beside the saved model's (``<type>``)."""
    cf = crossfit.set_index("doc_id").reindex(population["doc_id"])[list(EVENT_TYPES)]
    missing = int(cf.isna().any(axis=1).sum())
    if missing:
        raise DataError(f"crossfit predictions lack {missing} population documents (re-run dvc repro crossfit)")
    return population.assign(**{f"cf_{t}": cf[t].astype(float).to_numpy() for t in EVENT_TYPES})


def shares(
    population: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    by: list[str],
    types: list[str],
    level: float,
) -> pd.DataFrame:
    """Estimate the share of documents of each type, per group: naive, gold-only and prediction-powered.

    The naive share reads the saved model's predictions; PPI++ reads the cross-fitted ones,
    on the gold units and the rest alike (:mod:`analysis.model.crossfit`). A gold document
    counts in its own group only: other documents sharing its text elsewhere are unlabeled.

    Parameters
    ----------
    population : DataFrame
        The documents the gold sample was drawn from (unsealed): ``doc_id``, ``text_group``,
        the ``by`` columns, one boolean column per type (the saved model) and ``cf_<type>``
        (cross-fitted; :func:`with_crossfit`).
    gold : DataFrame
        :func:`gold_labels`: the random gold sample.
    by : list of str
        The grouping columns.
    types : list of str
        The event types.
    level : float
        Coverage of every interval.

    Returns
    -------
    DataFrame
        ``by``..., ``event_type``, ``n_docs``, ``n_pos`` (predicted), ``share`` (naive) with
        Wilson ``share_ci_lower``/``share_ci_upper``; ``n_gold`` (gold text groups in the
        group), ``share_gold`` (the sample alone, weighted by documents per text group) with a
        Wilson ``share_gold_ci_lower``/``_ci_upper`` at the sample's effective size; and
        ``share_ppi`` with ``share_ppi_ci_lower``/``share_ppi_ci_upper`` and ``share_ppi_se``
        (PPI++; empty below :data:`MIN_GOLD` gold units or :data:`MIN_GOLD_POSITIVES` gold positives).
    """
    cf = [f"cf_{t}" for t in types]
    units = text_units(population, keys=by, columns=cf)
    sampled = gold.drop(columns=["collection"]).merge(population[["doc_id", *by]], on="doc_id")
    labelled = units.merge(sampled.drop(columns="doc_id"), on=[*by, "text_group"], how="left", indicator=True)
    in_gold = labelled.pop("_merge").eq("both").to_numpy()
    rows = []
    for key, part in population.groupby(by, sort=True, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        mask = np.logical_and.reduce([labelled[c].eq(v).to_numpy() for c, v in zip(by, key, strict=True)])
        lab, unl = labelled[mask & in_gold], labelled[mask & ~in_gold]
        for t in types:
            k, n = int(part[t].sum()), len(part)
            (lo,), (hi,) = wilson_interval(np.array([k]), np.array([n]), level=level)
            known = lab[lab[f"gold_{t}"].notna()]
            y, yhat, w = known[f"gold_{t}"], known[f"cf_{t}"], known["weight"]
            est, plo, phi, se = ppi_share(y, yhat, unl[f"cf_{t}"], level=level, w=w, w_unlabeled=unl["weight"])
            gest, glo, ghi = gold_share(y, w, level=level)
            rows.append(
                {
                    **dict(zip(by, key, strict=True)),
                    "event_type": t,
                    "n_docs": n,
                    "n_pos": k,
                    "share": k / n,
                    "share_ci_lower": float(lo),
                    "share_ci_upper": float(hi),
                    "n_gold": len(known),
                    "share_gold": gest,
                    "share_gold_ci_lower": glo,
                    "share_gold_ci_upper": ghi,
                    "share_ppi": est,
                    "share_ppi_ci_lower": plo,
                    "share_ppi_ci_upper": phi,
                    "share_ppi_se": se,
                }
            )
    return pd.DataFrame(rows, columns=[*by, *SHARE_COLUMNS])


def gold_share(y: pd.Series, w: pd.Series, *, level: float) -> tuple[float, float, float]:
    """Return the gold sample's weighted share and a Wilson interval at its effective size (Kish).

    >>> est, lo, hi = gold_share(pd.Series([1.0, 0.0, 0.0, 1.0]), pd.Series([1.0, 1.0, 1.0, 1.0]), level=0.95)
    >>> est, round(lo, 3), round(hi, 3)
    (0.5, 0.15, 0.85)
    """
    if len(y) == 0:
        return float("nan"), float("nan"), float("nan")
    w = np.asarray(w, dtype=float)
    est = float(np.average(y, weights=w))
    n_eff = w.sum() ** 2 / (w**2).sum()  # unequal weights carry less information than their count
    (lo,), (hi,) = wilson_interval(np.array([est * n_eff]), np.array([n_eff]), level=level)
    return est, float(lo), float(hi)


#: The columns of :func:`shares` after the grouping columns.
SHARE_COLUMNS = (
    "event_type",
    "n_docs",
    "n_pos",
    "share",
    "share_ci_lower",
    "share_ci_upper",
    "n_gold",
    "share_gold",
    "share_gold_ci_lower",
    "share_gold_ci_upper",
    "share_ppi",
    "share_ppi_ci_lower",
    "share_ppi_ci_upper",
    "share_ppi_se",
)


def equal_shares_test(table: pd.DataFrame) -> pd.DataFrame:
    """Test, per type, whether the PPI++ shares of the groups are equal (Wald chi-square on independent estimates).

    The groups' gold documents are disjoint and their unlabeled documents too, so their
    estimates are independent: with their standard errors (``share_ppi_se``),
    sum (e_i - e_bar)^2 / se_i^2 (e_bar the precision-weighted mean) is chi-square with
    k - 1 degrees of freedom. Groups without a PPI++ estimate, or with a zero standard
    error, are left out.

    Parameters
    ----------
    table : DataFrame
        :func:`shares` output with one row per (group, ``event_type``).

    Returns
    -------
    DataFrame
        ``event_type``, ``n_groups_ppi``, ``chi2_ppi``, ``dof_ppi``, ``p_value_ppi`` and
        ``p_value_ppi_holm`` (Holm over types).
    """
    rows = []
    for t, part in table.groupby("event_type", sort=False):
        est = part["share_ppi"].to_numpy(dtype=float)
        se = part["share_ppi_se"].to_numpy(dtype=float)
        ok = ~np.isnan(est) & (se > 0)
        est, se = est[ok], se[ok]
        k = len(est)
        if k < 2:
            rows.append({"event_type": t, "n_groups_ppi": k, "chi2_ppi": np.nan, "dof_ppi": 0, "p_value_ppi": np.nan})
            continue
        weights = 1 / se**2
        pooled = float(np.sum(weights * est) / np.sum(weights))
        chi2 = float(np.sum(weights * (est - pooled) ** 2))
        rows.append(
            {
                "event_type": t,
                "n_groups_ppi": k,
                "chi2_ppi": chi2,
                "dof_ppi": k - 1,
                "p_value_ppi": float(stats.chi2.sf(chi2, k - 1)),
            }
        )
    out = pd.DataFrame(rows, columns=["event_type", "n_groups_ppi", "chi2_ppi", "dof_ppi", "p_value_ppi"])
    out["p_value_ppi_holm"] = holm(out["p_value_ppi"].to_numpy(dtype=float))
    return out
