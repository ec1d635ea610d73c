"""One function per result table, each named like the file it writes (``tables/<name>.*``).

Shares of event types come three ways (:func:`analysis.study.ppi.shares`): naive
(predicted labels taken as true), gold-only (the random gold sample alone) and
prediction-powered (PPI++), each with its interval. The event-level models take predicted
types as covariates; :func:`measurement_error` shows how far that moves them.
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.study import analyses, ppi


def type_shares(population: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of each collection's documents reporting each type: naive, gold-only and PPI++.

    Returns
    -------
    DataFrame
        ``collection`` and the columns of :func:`analysis.study.ppi.shares`.
    """
    return ppi.shares(population, gold, by=["collection"], types=list(EVENT_TYPES), level=level)


def type_shares_by_year(events: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of each event collection's events reporting each type, per year of the event.

    Returns
    -------
    DataFrame
        ``collection``, ``year`` and the columns of :func:`analysis.study.ppi.shares`.
    """
    dated = events.dropna(subset=["event_date"]).assign(year=lambda d: d["event_date"].dt.year.astype(int))
    return ppi.shares(dated, gold, by=["collection", "year"], types=list(EVENT_TYPES), level=level)


def outlet_profiles(articles: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of each outlet group's articles reporting each type (``outlet_group`` column needed).

    Returns
    -------
    DataFrame
        ``collection``, ``outlet_group`` and the columns of :func:`analysis.study.ppi.shares`.
    """
    return ppi.shares(articles, gold, by=["collection", "outlet_group"], types=list(EVENT_TYPES), level=level)


def outlet_tests(profiles: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Test each type's share across outlet groups: on predicted labels (chi-square) and on the PPI++ shares (Wald).

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.study.analyses.association_tests` (on predicted labels,
        Holm-adjusted), then ``n_groups_ppi``, ``chi2_ppi``, ``dof_ppi``, ``p_value_ppi`` and
        ``p_value_ppi_holm`` (:func:`analysis.study.ppi.equal_shares_test`).
    """
    naive = analyses.association_tests(articles, by="outlet_group")
    return naive.merge(ppi.equal_shares_test(profiles), on="event_type", how="left")


def credibility_profile(articles: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of articles reporting each type, credible (1) versus not (0); unlabelled articles left out.

    Returns
    -------
    DataFrame
        ``collection``, ``credibility`` and the columns of :func:`analysis.study.ppi.shares`.
    """
    labelled = articles.dropna(subset=["credibility"]).assign(credibility=lambda d: d["credibility"].astype(int))
    return ppi.shares(labelled, gold, by=["collection", "credibility"], types=list(EVENT_TYPES), level=level)


def credibility_tests(profile: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Test each type's share between credible and non-credible articles (as :func:`outlet_tests`)."""
    naive = analyses.association_tests(articles.dropna(subset=["credibility"]), by="credibility")
    return naive.merge(ppi.equal_shares_test(profile), on="event_type", how="left")


def shares_summary(shares: pd.DataFrame) -> pd.DataFrame:
    """Show, per type, each collection's naive share and its PPI++ share with interval, as text for the docs.

    Returns
    -------
    DataFrame
        ``event_type`` and, per collection, ``<collection>`` as ``"naive -> PPI++ [lower, upper]"``
        in percent (``"naive -> n/a"`` where the gold sample cannot say), then ``n_gold_<collection>``.
    """
    out = pd.DataFrame({"event_type": list(EVENT_TYPES)})
    for collection, part in shares.groupby("collection", sort=True):
        part = part.set_index("event_type").reindex(list(EVENT_TYPES))
        out[collection] = [_share_text(r) for _, r in part.iterrows()]
        out[f"n_gold_{collection}"] = part["n_gold"].astype(int).to_numpy()
    return out


def _share_text(r: pd.Series) -> str:
    naive = f"{r['share']:.1%}"
    if pd.isna(r["share_ppi"]):
        return f"{naive} -> n/a"
    return f"{naive} -> {r['share_ppi']:.1%} [{r['share_ppi_ci_lower']:.1%}, {r['share_ppi_ci_upper']:.1%}]"
