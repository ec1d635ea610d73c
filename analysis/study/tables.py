"""One function per result table, each named like the file it writes (``tables/<name>.*``).

Shares of event types come three ways (:func:`analysis.study.design.shares`): naive
(predicted labels taken as true), gold-only (gold labels and the probability sample alone)
and the design's estimate (exact where gold is complete, else PPI++ for the unlabelled
rest), each with its interval. The event-level models take predicted
types as covariates; :func:`measurement_error` shows how far that moves them.
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.study import analyses, design


def type_shares(population: pd.DataFrame, gold: pd.DataFrame, *, level: float, fractions: pd.Series) -> pd.DataFrame:
    """Share of each collection's documents reporting each type: naive, gold-only and PPI++.

    Returns
    -------
    DataFrame
        ``collection`` and the columns of :func:`analysis.study.design.shares`.
    """
    return design.shares(population, gold, by=["collection"], types=list(EVENT_TYPES), level=level, fractions=fractions)


def type_shares_by_year(
    events: pd.DataFrame, gold: pd.DataFrame, *, level: float, fractions: pd.Series
) -> pd.DataFrame:
    """Share of each event collection's events reporting each type, per year of the event.

    Returns
    -------
    DataFrame
        ``collection``, ``year`` and the columns of :func:`analysis.study.design.shares`.
    """
    dated = events.dropna(subset=["event_date"]).assign(year=lambda d: d["event_date"].dt.year.astype(int))
    return design.shares(
        dated, gold, by=["collection", "year"], types=list(EVENT_TYPES), level=level, fractions=fractions
    )


def outlet_profiles(articles: pd.DataFrame, gold: pd.DataFrame, *, level: float, fractions: pd.Series) -> pd.DataFrame:
    """Share of each outlet group's articles reporting each type (``outlet_group`` column needed).

    Returns
    -------
    DataFrame
        ``collection``, ``outlet_group`` and the columns of :func:`analysis.study.design.shares`.
    """
    return design.shares(
        articles, gold, by=["collection", "outlet_group"], types=list(EVENT_TYPES), level=level, fractions=fractions
    )


def outlet_tests(
    profiles: pd.DataFrame, articles: pd.DataFrame, gold: pd.DataFrame, *, n_perm: int, seed: int
) -> pd.DataFrame:
    """Test each type's share across outlet groups: on predicted labels (chi-square) and on the design's shares.

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.study.analyses.association_tests` (on predicted labels,
        Holm-adjusted), then ``test_est``, ``n_groups_est``, ``chi2_est``, ``dof_est``,
        ``p_value_est`` and ``p_value_est_holm`` (:func:`analysis.study.design.equal_shares_test`).
    """
    naive = analyses.association_tests(articles, by="outlet_group")
    tests = design.equal_shares_test(
        profiles, articles, gold, by=["collection", "outlet_group"], n_perm=n_perm, seed=seed
    )
    return naive.merge(tests, on="event_type", how="left")


def credibility_profile(
    articles: pd.DataFrame, gold: pd.DataFrame, *, level: float, fractions: pd.Series
) -> pd.DataFrame:
    """Share of articles reporting each type, credible (1) versus not (0); unlabelled articles left out.

    Returns
    -------
    DataFrame
        ``collection``, ``credibility`` and the columns of :func:`analysis.study.design.shares`.
    """
    labelled = articles.dropna(subset=["credibility"]).assign(credibility=lambda d: d["credibility"].astype(int))
    return design.shares(
        labelled, gold, by=["collection", "credibility"], types=list(EVENT_TYPES), level=level, fractions=fractions
    )


def credibility_tests(
    profile: pd.DataFrame, articles: pd.DataFrame, gold: pd.DataFrame, *, n_perm: int, seed: int
) -> pd.DataFrame:
    """Test each type's share between credible and non-credible articles (as :func:`outlet_tests`)."""
    labelled = articles.dropna(subset=["credibility"]).assign(credibility=lambda d: d["credibility"].astype(int))
    naive = analyses.association_tests(labelled, by="credibility")
    tests = design.equal_shares_test(
        profile, labelled, gold, by=["collection", "credibility"], n_perm=n_perm, seed=seed
    )
    return naive.merge(tests, on="event_type", how="left")


def shares_summary(shares: pd.DataFrame) -> pd.DataFrame:
    """Show, per type, each collection's naive share and the design's estimate with interval, as text for the docs.

    Returns
    -------
    DataFrame
        ``event_type`` and, per collection, ``<collection>`` as ``"naive -> estimate [lower, upper] (method)"``
        in percent (``"naive -> [lower, upper] (bounds)"`` where no sampled unit speaks), then
        ``n_gold_<collection>``.
    """
    out = pd.DataFrame({"event_type": list(EVENT_TYPES)})
    for collection, part in shares.groupby("collection", sort=True):
        part = part.set_index("event_type").reindex(list(EVENT_TYPES))
        out[collection] = [_share_text(r) for _, r in part.iterrows()]
        out[f"n_gold_{collection}"] = part["n_gold"].astype(int).to_numpy()
    return out


def _share_text(r: pd.Series) -> str:
    naive, bounds = f"{r['share']:.1%}", f"[{r['share_est_ci_lower']:.1%}, {r['share_est_ci_upper']:.1%}]"
    if r["method"] == "exact":
        return f"{naive} -> {r['share_est']:.1%} (exact)"
    if r["method"] == "bounds":
        return f"{naive} -> {bounds} (bounds)"
    return f"{naive} -> {r['share_est']:.1%} {bounds} ({r['method']})"
