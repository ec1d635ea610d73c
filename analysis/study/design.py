"""The study's sampling design: every gold label used, exact where gold is complete.

Each text group of the population (unsealed documents) plays one of three roles
(``docs/methods.md``, "The sampling design"):

- ``known``: its text carries a gold label from a round that is not a probability sample of
  the rest (round 1's random and cue-enriched strata, the cue-drawn supplement). Its documents
  are counted from gold, exactly.
- ``sample``: drawn uniformly at random, per collection, among the text groups that no earlier
  round had drawn (``report.sample_strata``: the fresh test set). Counted exactly too, and the
  probability sample that measures the rest.
- ``rest``: no gold label. Its share is estimated from the sample
  (:mod:`analysis.study.estimators`): PPI++ with the cross-fitted predictions, the sample alone
  with an exact interval where it is small, the logical bounds where a group holds no sampled
  unit.

A group, type and collection with no ``rest`` is computed from gold alone, exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.labels.annotation import model_chosen_strata
from analysis.stats import holm, wilson_interval
from analysis.study import estimators

ROLES = ("known", "sample", "rest")


def design_gold(gold: pd.DataFrame, *, sample_strata: tuple[str, ...]) -> pd.DataFrame:
    """Return every gold text group with its role in the design and its labels.

    The strata a model chose (the active-learning rounds;
    :func:`analysis.labels.annotation.model_chosen_strata`) are left out:
    a model chose them from the sample's own frame after the sample was drawn, for being hard
    to label. Counting them as known would take them out of the rest that the sample speaks
    for and leave a rest the sample no longer represents; left in the rest, they are
    estimated like it, from their predictions and the sample.

    Returns
    -------
    DataFrame
        ``text_group``, ``collection``, ``stratum``, ``role`` (``sample`` for ``sample_strata``,
        else ``known``) and ``gold_<type>`` (0/1) per event type; one row per text group.

    Raises
    ------
    DataError
        If two gold documents share a text group (a label would count twice), or a label is
        missing (every gold document is decided for every type).
    """
    gold = gold[~gold["stratum"].isin(model_chosen_strata())]
    twice = gold["text_group"].duplicated()
    if twice.any():
        raise DataError(f"gold: text group {gold.loc[twice, 'text_group'].iloc[0]} holds two gold documents")
    out = gold[["text_group", "collection", "stratum"]].copy()
    out["role"] = np.where(gold["stratum"].isin(sample_strata), "sample", "known")
    for t in EVENT_TYPES:
        out[f"gold_{t}"] = gold[t].astype(float).to_numpy()
        if out[f"gold_{t}"].isna().any():
            raise DataError(f"gold: {gold.loc[out[f'gold_{t}'].isna().to_numpy(), 'doc_id'].iloc[0]} has no {t} label")
    return out.reset_index(drop=True)


def with_crossfit(population: pd.DataFrame, crossfit: pd.DataFrame) -> pd.DataFrame:
    """Add each document's cross-fitted label ``cf_<type>`` and probability ``cfp_<type>`` beside the saved model's.

    Where ``crossfit`` has no ``p_<type>`` column, the label stands for the probability.
    """
    cf = crossfit.set_index("doc_id").reindex(population["doc_id"])
    missing = int(cf[list(EVENT_TYPES)].isna().any(axis=1).sum())
    if missing:
        raise DataError(f"crossfit predictions lack {missing} population documents (re-run dvc repro crossfit)")
    labels = {f"cf_{t}": cf[t].astype(float).to_numpy() for t in EVENT_TYPES}
    proba = {f"cfp_{t}": cf.get(f"p_{t}", cf[t]).astype(float).to_numpy() for t in EVENT_TYPES}
    return population.assign(**labels, **proba)


def sampling_fractions(population: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    """Return each collection's sampling fraction ``n / N``: sampled text groups among those not ``known``.

    Returns
    -------
    Series
        Indexed by ``collection``; 0 where a collection has no sample.
    """
    groups = population[["collection", "text_group"]].drop_duplicates()
    role = groups["text_group"].map(gold.set_index("text_group")["role"]).fillna("rest")
    frame = groups.assign(role=role)[lambda d: d["role"] != "known"]
    counts = frame.groupby("collection", observed=True)["role"].agg(n=lambda r: int((r == "sample").sum()), N="size")
    fractions = counts["n"] / counts["N"]
    return fractions.reindex(population["collection"].unique(), fill_value=0.0).sort_index()


def design_units(population: pd.DataFrame, gold: pd.DataFrame, *, by: list[str], types: list[str]) -> pd.DataFrame:
    """Collapse documents to design units: one text group within one group, weighted by its documents.

    Returns
    -------
    DataFrame
        ``by``..., ``text_group``, ``weight`` (documents), ``role`` and, per type, ``<type>``,
        ``cf_<type>`` and ``cfp_<type>`` (the mean saved-model label, cross-fitted label and
        cross-fitted probability over the unit's documents),
        ``gold_<type>`` (NaN for ``rest``).
    """
    columns = [c for t in types for c in (t, f"cf_{t}", f"cfp_{t}")]
    grouped = population.groupby([*by, "text_group"], sort=True, observed=True)
    units = grouped[columns].mean().astype(float)
    units.insert(0, "weight", grouped.size())
    units = units.reset_index()
    labels = gold[["text_group", "role", *(f"gold_{t}" for t in types)]]
    units = units.merge(labels, on="text_group", how="left", validate="many_to_one")
    units["role"] = units["role"].fillna("rest")
    return units


def shares(
    population: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    by: list[str],
    types: list[str],
    level: float,
    fractions: pd.Series | None = None,
) -> pd.DataFrame:
    """Estimate the share of documents of each type, per group: naive, gold-only and the design's estimate.

    Parameters
    ----------
    population : DataFrame
        The documents (unsealed): ``doc_id``, ``collection``, ``text_group``, the ``by`` columns,
        one boolean column per type (the saved model), ``cf_<type>`` and ``cfp_<type>``
        (:func:`with_crossfit`).
    gold : DataFrame
        :func:`design_gold`.
    by : list of str
        The grouping columns (``collection`` first).
    types : list of str
        The event types.
    level : float
        Coverage of every interval.
    fractions : Series, optional
        :func:`sampling_fractions` of the whole population, where ``population`` is a part of it.

    Returns
    -------
    DataFrame
        ``by``... and :data:`SHARE_COLUMNS`: ``n_docs``, ``n_pos`` (predicted), ``share`` (naive)
        with its Wilson interval; ``share_crossfit`` (naive, cross-fitted labels); ``n_gold``
        (gold text groups in the group), ``n_sample`` (of them, the probability sample) and
        ``known_share`` (documents whose label gold knows); ``share_gold`` with
        ``share_gold_ci_lower``/``_ci_upper`` (the gold labels and the sample alone, exact
        interval); ``method`` (``exact``, ``ppi++``, ``gold``, ``bounds``), ``share_est`` with
        ``share_est_ci_lower``/``share_est_ci_upper``, ``share_est_se`` and ``lam``.
    """
    if fractions is None:
        fractions = sampling_fractions(population, gold)
    units = design_units(population, gold, by=by, types=types)
    rows = []
    for key, part in units.groupby(by, sort=True, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        fraction = float(fractions.get(part["collection"].iloc[0], 0.0))
        w = part["weight"].to_numpy(dtype=float)
        for t in types:
            rows.append({**dict(zip(by, key, strict=True)), **_type_share(part, w, t, fraction, level)})
    return pd.DataFrame(rows, columns=[*by, *SHARE_COLUMNS])


def _type_share(part: pd.DataFrame, w: np.ndarray, t: str, fraction: float, level: float) -> dict:
    y, f, cf = (part[c].to_numpy(dtype=float) for c in (f"gold_{t}", f"cfp_{t}", f"cf_{t}"))
    naive = part[t].to_numpy(dtype=float)
    known = part["role"].ne("rest").to_numpy()  # design_gold refuses a missing gold label
    sample = part["role"].eq("sample").to_numpy()
    rest = ~known
    total, w_rest = w.sum(), w[rest].sum()
    y_known = float(np.sum(w[known] * y[known]))
    f_rest = float(np.average(f[rest], weights=w[rest])) if rest.any() else 0.0
    ys, fs, ws = y[sample], f[sample], w[sample]
    if w_rest == 0:  # gold is complete: nothing to estimate
        est = gold = estimators.domain_share(y_known, 0.0, total, None)
    else:
        rest_est = estimators.rest_mean(ys, fs, ws, f_rest_mean=f_rest, fraction=fraction, level=level)
        est = estimators.domain_share(y_known, w_rest, total, rest_est)
        gold = estimators.domain_share(
            y_known, w_rest, total, estimators.gold_mean(ys, ws, fraction=fraction, level=level)
        )
    n_pos = float(np.sum(w * naive))
    (lo,), (hi,) = wilson_interval(np.array([round(n_pos)]), np.array([int(total)]), level=level)
    return {
        "event_type": t,
        "n_docs": int(total),
        "n_pos": int(round(n_pos)),
        "share": n_pos / total,
        "share_ci_lower": float(lo),
        "share_ci_upper": float(hi),
        "share_crossfit": float(np.sum(w * cf) / total),
        "n_gold": int(known.sum()),
        "n_sample": int(sample.sum()),
        "known_share": float(w[known].sum() / total),
        "share_gold": gold.estimate,
        "share_gold_ci_lower": gold.lower,
        "share_gold_ci_upper": gold.upper,
        "method": est.method,
        "share_est": est.estimate,
        "share_est_ci_lower": est.lower,
        "share_est_ci_upper": est.upper,
        "share_est_se": est.se,
        "lam": est.lam,
    }


#: The columns of :func:`shares` after the grouping columns.
SHARE_COLUMNS = (
    "event_type",
    "n_docs",
    "n_pos",
    "share",
    "share_ci_lower",
    "share_ci_upper",
    "share_crossfit",
    "n_gold",
    "n_sample",
    "known_share",
    "share_gold",
    "share_gold_ci_lower",
    "share_gold_ci_upper",
    "method",
    "share_est",
    "share_est_ci_lower",
    "share_est_ci_upper",
    "share_est_se",
    "lam",
)


def equal_shares_test(
    table: pd.DataFrame,
    population: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    by: list[str],
    n_perm: int,
    seed: int,
) -> pd.DataFrame:
    """Test, per type, whether the groups' shares are equal: by permutation where gold is complete, else Wald.

    Where every group is ``exact``, the question is whether a type is more common in one group's
    reporting than another's: units are exchanged between groups (:func:`estimators.permutation_test`),
    which holds its level at any group size. Otherwise the estimates are independent (disjoint
    units) and ``sum (e_i - e_bar)^2 / se_i^2`` is referred to chi-square with k - 1 degrees of
    freedom, over the groups with a standard error (``ppi++`` or ``gold``).

    Returns
    -------
    DataFrame
        ``event_type``, ``test_est`` (``permutation`` or ``wald``), ``n_groups_est``, ``chi2_est``,
        ``dof_est``, ``p_value_est`` and ``p_value_est_holm`` (Holm over types).
    """
    group = by[-1]
    types = list(table["event_type"].unique())
    units = design_units(population, gold, by=by, types=types)
    rows = []
    for i, (t, part) in enumerate(table.groupby("event_type", sort=False)):
        k = len(part)
        if (part["method"] == "exact").all():
            y = units[f"gold_{t}"].to_numpy(dtype=float)
            chi2, p = estimators.permutation_test(
                y,
                units["weight"].to_numpy(dtype=float),
                units[group].astype(str).to_numpy(),
                n_perm=n_perm,
                seed=seed + i,
            )
            rows.append(_test_row(t, "permutation", k, chi2, k - 1, p))
            continue
        ok = part["share_est_se"].gt(0).to_numpy() & part["share_est"].notna().to_numpy()
        est, se = part["share_est"].to_numpy(dtype=float)[ok], part["share_est_se"].to_numpy(dtype=float)[ok]
        if len(est) < 2:
            rows.append(_test_row(t, "wald", len(est), np.nan, 0, np.nan))
            continue
        weights = 1 / se**2
        chi2 = float(np.sum(weights * (est - np.sum(weights * est) / np.sum(weights)) ** 2))
        rows.append(_test_row(t, "wald", len(est), chi2, len(est) - 1, float(stats.chi2.sf(chi2, len(est) - 1))))
    out = pd.DataFrame(rows, columns=["event_type", "test_est", "n_groups_est", "chi2_est", "dof_est", "p_value_est"])
    out["p_value_est_holm"] = holm(out["p_value_est"].to_numpy(dtype=float))
    return out


def _test_row(t, test, k, chi2, dof, p) -> dict:
    return {"event_type": t, "test_est": test, "n_groups_est": k, "chi2_est": chi2, "dof_est": dof, "p_value_est": p}


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


def gold_design(draws: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Describe how each gold stratum was drawn, per collection, and its role in the design.

    Parameters
    ----------
    draws : DataFrame
        :func:`analysis.labels.annotation.inclusion_probabilities` (the ``gold`` stage's
        ``gold_draws.parquet``): each gold document's frame and inclusion probability.
    gold : DataFrame
        :func:`design_gold`, for the roles.

    Returns
    -------
    DataFrame
        ``collection``, ``stratum``, ``draw``, ``role``, ``n_units`` (gold text groups),
        ``n_frame_units`` (text groups of the frame it was drawn from), ``inclusion_probability``
        and ``probability_sample`` (drawn uniformly, not by cues or by a model).
    """
    roles = gold.drop_duplicates("stratum").set_index("stratum")["role"]
    grouped = draws.groupby(["collection", "stratum", "draw"], sort=True)
    out = grouped.agg(
        n_units=("doc_id", "size"),
        n_frame_units=("n_frame_units", "first"),
        inclusion_probability=("inclusion_probability", "first"),
    ).reset_index()
    out.insert(3, "role", out["stratum"].map(roles).fillna("rest"))  # active rounds: estimated with the rest
    out["probability_sample"] = ~out["draw"].str.startswith(("cue:", "model:"))
    return out
