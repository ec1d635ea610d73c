"""One function per result table, each named like the file it writes (``tables/<name>.*``).

Shares of event types come three ways (:func:`analysis.study.inference.shares`): naive
(predicted labels taken as true), gold-only (the random gold sample alone) and
prediction-powered (PPI++), each with its interval. The event-level models take predicted
types as covariates; :func:`measurement_error` shows how far that moves them.
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.study import analyses, inference, models


def type_shares(population: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of each collection's documents reporting each type: naive, gold-only and PPI++.

    Returns
    -------
    DataFrame
        ``collection`` and the columns of :func:`analysis.study.inference.shares`.
    """
    return inference.shares(population, gold, by=["collection"], types=list(EVENT_TYPES), level=level)


def type_shares_by_year(events: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of each event collection's events reporting each type, per year of the event.

    Returns
    -------
    DataFrame
        ``collection``, ``year`` and the columns of :func:`analysis.study.inference.shares`.
    """
    dated = events.dropna(subset=["event_date"]).assign(year=lambda d: d["event_date"].dt.year.astype(int))
    return inference.shares(dated, gold, by=["collection", "year"], types=list(EVENT_TYPES), level=level)


def outlet_profiles(articles: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of each outlet group's articles reporting each type (``outlet_group`` column needed).

    Returns
    -------
    DataFrame
        ``collection``, ``outlet_group`` and the columns of :func:`analysis.study.inference.shares`.
    """
    return inference.shares(articles, gold, by=["collection", "outlet_group"], types=list(EVENT_TYPES), level=level)


def outlet_tests(profiles: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Test each type's share across outlet groups: on predicted labels (chi-square) and on the PPI++ shares (Wald).

    Returns
    -------
    DataFrame
        The columns of :func:`analysis.study.analyses.association_tests` (on predicted labels,
        Holm-adjusted), then ``n_groups_ppi``, ``chi2_ppi``, ``dof_ppi``, ``p_value_ppi`` and
        ``p_value_ppi_holm`` (:func:`analysis.study.inference.equal_shares_test`).
    """
    naive = analyses.association_tests(articles, by="outlet_group")
    return naive.merge(inference.equal_shares_test(profiles), on="event_type", how="left")


def credibility_profile(articles: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Share of articles reporting each type, credible (1) versus not (0); unlabelled articles left out.

    Returns
    -------
    DataFrame
        ``collection``, ``credibility`` and the columns of :func:`analysis.study.inference.shares`.
    """
    labelled = articles.dropna(subset=["credibility"]).assign(credibility=lambda d: d["credibility"].astype(int))
    return inference.shares(labelled, gold, by=["collection", "credibility"], types=list(EVENT_TYPES), level=level)


def credibility_tests(profile: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Test each type's share between credible and non-credible articles (as :func:`outlet_tests`)."""
    naive = analyses.association_tests(articles.dropna(subset=["credibility"]), by="credibility")
    return naive.merge(inference.equal_shares_test(profile), on="event_type", how="left")


def lag_by_outlet(event_reports: pd.DataFrame, *, min_reports: int) -> pd.DataFrame:
    """Summarise the reporting lag of UCDP source reports per outlet (median, IQR, n)."""
    return analyses.lag_summary(event_reports, by="outlet", min_reports=min_reports)


def lag_by_type(event_reports: pd.DataFrame, labelled: pd.DataFrame) -> pd.DataFrame:
    """Summarise the reporting lag per predicted event type of the reported event."""
    return analyses.lag_summary(analyses.report_types(event_reports, labelled), by="event_type", min_reports=1)


def selection_by_type(events: pd.DataFrame, *, bins: list[int], level: float, seed: int) -> pd.DataFrame:
    """Count sources per event by country, fatality band and type (:func:`analyses.selection_by_type`)."""
    return analyses.selection_by_type(events, bins=bins, level=level, seed=seed)


def model_sources(result, *, level: float) -> pd.DataFrame:
    """Tidy the sources model (negative binomial): coefficients, incidence-rate ratios, intervals."""
    return models.tidy(result, model="sources", exponentiate=True, level=level)


def model_first_report(result, *, level: float) -> pd.DataFrame:
    """Tidy the first-report model (proportional hazards): coefficients, hazard ratios, intervals."""
    return models.tidy(result, model="first_report", exponentiate=True, level=level)


def model_credibility(result, *, level: float) -> pd.DataFrame:
    """Tidy the credibility model (logit): coefficients, odds ratios, intervals."""
    return models.tidy(result, model="credibility", exponentiate=True, level=level)


def model_fit(results: dict) -> pd.DataFrame:
    """One row per event-level model (:func:`analysis.study.models.fit_summary`), with NB2's dispersion."""
    return models.fit_summary(results)


def measurement_error(checks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Type coefficients fitted on the random gold sample with gold types and with predicted types.

    Returns
    -------
    DataFrame
        ``model`` and the columns of :func:`analysis.study.models.measurement_error_check`.
    """
    frames = [frame.assign(model=name) for name, frame in checks.items()]
    if not frames:  # no random gold document in any modelled collection
        return pd.DataFrame(columns=["model", "term", "n_obs", "estimate_gold", "estimate_predicted", "difference"])
    out = pd.concat(frames, ignore_index=True)
    return out[["model", *[c for c in out.columns if c != "model"]]]


def word_checks(documents: pd.DataFrame, predicted: pd.DataFrame, gold: pd.DataFrame, *, checks) -> pd.DataFrame:
    """Count a type's words in a collection's window (:func:`analysis.study.analyses.word_checks`)."""
    return analyses.word_checks(documents, predicted, gold, checks=checks)


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


def models_summary(
    sources: pd.DataFrame, first_report: pd.DataFrame, credibility: pd.DataFrame, *, level_label=str
) -> pd.DataFrame:
    """Show the event-level models' ratios side by side, as text for the docs.

    Returns
    -------
    DataFrame
        ``term`` (named for readers) and ``sources_irr``, ``first_report_hr``, ``credibility_or``: each
        ``"ratio [lower, upper]"`` (empty where the term is not in that model); year terms left out.
    """
    columns = {"sources_irr": sources, "first_report_hr": first_report, "credibility_or": credibility}
    texts = {}
    for name, table in columns.items():
        if table.empty:
            continue
        keep = table[~table["term"].isin(["Intercept", "alpha"]) & ~table["term"].str.startswith("C(year)")]
        texts[name] = {
            r["term"]: f"{r['ratio']:.2f} [{r['ratio_ci_lower']:.2f}, {r['ratio_ci_upper']:.2f}]"
            for _, r in keep.iterrows()
        }
    terms = list(dict.fromkeys(t for v in texts.values() for t in v))
    out = pd.DataFrame({"term": [models.term_name(t, level_label=level_label) for t in terms]})
    for name in columns:
        out[name] = [texts.get(name, {}).get(t, "") for t in terms]
    return out
