"""The annotation planner: how many more random gold documents each share needs.

Under the design (:mod:`analysis.study.design`), a share's variance is
``a^2 (1/n - 1/N) s2``: ``a`` the part of the group's documents outside the ``known`` strata,
``N`` the text groups there, ``n`` of them sampled and ``s2`` the per-unit variance of the
estimator the group uses now (:func:`_unit_variance`). A better classifier lowers ``s2``, and so the count. For a target
half-width ``h`` at normal quantile ``z``, ``n = 1 / (h^2 / (z^2 a^2 s2) + 1 / N)``. A group's
sampled units are a share ``N_group / N_collection`` of the collection's draw, so a group needs
the collection to draw ``n_more * N_collection / N_group``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.study import design, estimators


def plan(
    population: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    by: list[str],
    types: list[str],
    half_width: float,
    level: float,
    extra: int = 0,
) -> pd.DataFrame:
    """Say, per group and type, how many more sampled text groups reach ``half_width``.

    Parameters
    ----------
    population, gold : DataFrame
        As :func:`analysis.study.design.shares` reads them.
    by : list of str
        The grouping columns (``collection`` first).
    types : list of str
        The event types.
    half_width : float
        The target half-width of the interval.
    level : float
        Its coverage.
    extra : int
        Also report the half-width after this many more sampled units per collection.

    Returns
    -------
    DataFrame
        ``by``..., ``event_type``, ``method`` (the estimator's now), ``n_sample``, ``n_frame``
        (text groups outside the known strata), ``half_width_now`` (the reported interval's),
        ``n_needed`` and ``n_more`` (sampled units in the group), ``n_more_collection`` (the
        collection's draw that yields them; 0 where gold is complete) and
        ``half_width_after_extra`` (normal approximation).
    """
    z = stats.norm.ppf((1 + level) / 2)
    units = design.design_units(population, gold, by=by, types=types)
    current = design.shares(population, gold, by=by, types=types, level=level).set_index([*by, "event_type"])
    frame_sizes = units[units["role"] != "known"].groupby("collection")["text_group"].nunique()
    rows = []
    for key, part in units.groupby(by, sort=True, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        collection = part["collection"].iloc[0]
        open_ = part[part["role"] != "known"]
        big_n, w = len(open_), part["weight"].to_numpy(float)
        a = open_["weight"].sum() / w.sum()
        sample = open_[open_["role"] == "sample"]
        n = len(sample)
        for t in types:
            now = current.loc[(*key, t)]
            s2 = _unit_variance(sample, open_, t, method=now["method"])
            needed = _needed(s2, a=a, big_n=big_n, z=z, half_width=half_width)
            more = max(needed - n, 0)
            scale = frame_sizes.get(collection, 0) / big_n if big_n else 0.0
            after_n = min(n + extra * (big_n / frame_sizes[collection]), big_n) if big_n else 0
            after = z * a * np.sqrt(max(s2 * (1 / after_n - 1 / big_n), 0.0)) if after_n else 0.0
            rows.append(
                {
                    **dict(zip(by, key, strict=True)),
                    "event_type": t,
                    "method": now["method"],
                    "n_sample": n,
                    "n_frame": big_n,
                    "half_width_now": float((now["share_est_ci_upper"] - now["share_est_ci_lower"]) / 2),
                    "n_needed": needed,
                    "n_more": more,
                    "n_more_collection": int(np.ceil(more * scale)),
                    "half_width_after_extra": float(after),
                }
            )
    return pd.DataFrame(rows)


def _needed(s2: float, *, a: float, big_n: int, z: float, half_width: float) -> int:
    """Solve ``half_width = z a sqrt(s2 (1/n - 1/N))`` for ``n`` (0 where nothing is left to estimate)."""
    if big_n == 0 or s2 <= 0 or a == 0:
        return 0
    return int(np.ceil(1 / (half_width**2 / (z**2 * a**2 * s2) + 1 / big_n)))


def _unit_variance(sample: pd.DataFrame, open_: pd.DataFrame, t: str, *, method: str) -> float:
    """Return the per-unit variance ``s2`` of the estimator the group uses now.

    PPI++: the linearised variance at the tuned ``lam``. The sample alone: ``p (1 - p)`` times
    Kish's design effect, with ``p`` kept at least ``1 / (n + 1)`` from 0 and 1, so that a type
    with no sampled positive is not planned as a certainty. No sample yet: the predictions' share.
    """
    if open_.empty:
        return 0.0
    if len(sample) >= 2:
        y, f, w = (sample[c].to_numpy(float) for c in (f"gold_{t}", f"cfp_{t}", "weight"))
        if method == "ppi++":
            return estimators.linearised_variance(y - estimators.tuned_lambda(y, f, w) * f, w)
        floor = 1 / (len(y) + 1)
        p = float(np.clip(np.average(y, weights=w), floor, 1 - floor))
        return p * (1 - p) * len(w) * np.sum(w**2) / w.sum() ** 2
    p = float(np.clip(np.average(open_[f"cfp_{t}"], weights=open_["weight"]), 0.01, 0.99))
    return p * (1 - p)


def draw_plan(documents: pd.DataFrame, gold: pd.DataFrame, counts: dict[str, int], *, seed: int, stratum: str):
    """Draw ``counts[collection]`` text groups uniformly from each collection's rest (no gold yet).

    One document per text group (the smallest ``doc_id``), as every earlier round drew: the sample
    extends the probability sample of the rest, so its stratum belongs in ``report.sample_strata``.
    No gold text group is drawn again, the active-learning rounds' included, although the design
    estimates those with the rest: the new sample is then uniform over the rest outside them, an
    approximation the design does not yet correct (docs/methods.md, "The annotation planner").

    Returns
    -------
    DataFrame
        ``doc_id``, ``collection``, ``stratum``, sorted by ``doc_id``.
    """
    from analysis.labels.annotation import eligible_for_annotation

    pool = eligible_for_annotation(documents)
    pool = pool[~pool["text_group"].isin(set(gold["text_group"]))]
    rng = np.random.default_rng(seed)
    parts = []
    for collection, n in sorted(counts.items()):
        group = pool[pool["collection"] == collection]
        take = rng.choice(len(group), size=min(n, len(group)), replace=False)
        parts.append(group.iloc[np.sort(take)][["doc_id", "collection"]])
    out = (
        pd.concat(parts).assign(stratum=stratum) if parts else pd.DataFrame(columns=["doc_id", "collection", "stratum"])
    )
    return out.sort_values("doc_id", ignore_index=True)
