"""The study's tables, figures and quoted numbers, assembled from the pipeline outputs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.params import AcquireParams, ReportParams
from analysis.study import analyses, figures, tables

CAPTIONS = {
    "outlet_profiles": "Event-type shares per {articles} outlet group (95% Wilson intervals).",
    "outlet_tests": "Differences across outlet groups per event type (chi-square, Holm-adjusted).",
    "credibility_profile": "Event-type shares of {articles} articles by credibility label.",
    "credibility_tests": "Differences between credible and non-credible articles per event type.",
    "lag_by_outlet": "Reporting lag of {events} source reports by outlet (days).",
    "lag_by_type": "Reporting lag of {events} source reports by predicted event type (days).",
    "selection_by_type": "Sources per {events} event by fatality band and predicted event type.",
}


def captions(collections: AcquireParams) -> dict[str, str]:
    """Return each study table's caption, naming the collections it draws on (by kind)."""
    labels = collections.labels()
    names = {kind: " and ".join(labels[c] for c in collections.of_kind(k)) or "no" for kind, k in _KINDS.items()}
    return {k: v.format(**names) for k, v in CAPTIONS.items()}


_KINDS = {"articles": "articles", "events": "event_reports"}


def study_tables(
    labelled: pd.DataFrame, reports: pd.DataFrame, *, params: ReportParams, collections: AcquireParams
) -> dict[str, pd.DataFrame]:
    """Build every study table, keyed by its file name (see :data:`CAPTIONS`).

    The article analyses (outlet and credibility profiles) read the ``articles``
    collections; the event analyses (lag, selection) read the ``event_reports`` ones.

    Returns
    -------
    dict of str to DataFrame
        ``outlet_profiles``, ``outlet_tests``, ``credibility_profile``, ``credibility_tests``,
        ``lag_by_outlet``, ``lag_by_type``, ``selection_by_type``.
    """
    articles = labelled[labelled["collection"].isin(collections.of_kind("articles"))].assign(
        outlet_group=lambda d: d["outlet"].map(params.outlet_groups).fillna("unassigned")
    )
    events = collections.of_kind("event_reports")
    event_reports = reports[reports["collection"].isin(events)]
    return {
        "outlet_profiles": tables.outlet_profiles(articles),
        "outlet_tests": tables.outlet_tests(articles),
        "credibility_profile": tables.credibility_profile(articles),
        "credibility_tests": tables.credibility_tests(articles),
        "lag_by_outlet": tables.lag_by_outlet(event_reports, min_reports=params.lag_min_reports),
        "lag_by_type": tables.lag_by_type(event_reports, labelled),
        "selection_by_type": tables.selection_by_type(
            labelled[labelled["collection"].isin(events)], bins=list(params.selection_death_bins)
        ),
    }


def study_figures(
    labelled: pd.DataFrame,
    reports: pd.DataFrame,
    built: dict[str, pd.DataFrame],
    scores: pd.DataFrame,
    calibration: pd.DataFrame,
    *,
    params: ReportParams,
    collections: AcquireParams,
) -> dict[str, plt.Figure]:
    """Draw every study figure, keyed by its file name (without suffix)."""
    dates = [(d.date, d.label) for d in params.key_dates]
    events = collections.of_kind("event_reports")
    event_reports = reports[reports["collection"].isin(events)]
    panels = []
    for name in events:
        start, end = params.dynamics_windows.get(name, (None, None))
        panels.append(
            (collections.labels()[name], analyses.weekly_shares(labelled, collection=name, start=start, end=end))
        )
    drawn = {
        "volume_monthly": figures.volume_monthly(analyses.monthly_volume(reports), key_dates=dates),
        "classifier_performance": figures.classifier_performance(scores),
        "calibration": figures.calibration(calibration),
    }
    if collections.of_kind("articles"):
        drawn["outlet_profiles"] = figures.outlet_profiles(built["outlet_profiles"], group="outlet_group")
        drawn["credibility_profile"] = figures.credibility_profile(built["credibility_profile"])
    if events:
        drawn["reporting_lag"] = figures.reporting_lag(
            event_reports, built["lag_by_outlet"], by="outlet", max_days=params.lag_max_days
        )
        drawn["selection"] = figures.selection(built["selection_by_type"], types=list(params.selection_types))
        drawn["dynamics"] = figures.dynamics(panels, types=list(params.dynamics_types), key_dates=dates)
    for name in FIGURES:  # an analysis that does not apply to the corpus still writes its file, saying why
        if name not in drawn:
            kind = "articles" if name in ("outlet_profiles", "credibility_profile") else "event_reports"
            drawn[name] = figures.not_applicable(name, reason=f"the corpus has no collection of kind {kind}")
    return {name: drawn[name] for name in FIGURES}


#: The study's figures, in the order they are written (file names without suffix).
FIGURES = (
    "volume_monthly",
    "outlet_profiles",
    "credibility_profile",
    "reporting_lag",
    "selection",
    "dynamics",
    "classifier_performance",
    "calibration",
)


def headline_numbers(
    documents: pd.DataFrame,
    reports: pd.DataFrame,
    ledger: pd.DataFrame,
    lag_by_outlet: pd.DataFrame,
    *,
    metrics: dict,
    collections: AcquireParams,
) -> dict[str, object]:
    """Collect every number quoted in prose, keyed in snake_case (macro names come from the keys).

    Returns
    -------
    dict
        Counts of documents (also per collection: ``n_documents_<name>``), reports, outlets,
        sealed and gold documents, ledger fates,
        annotation agreement, classifier and keyword-rule F1 with intervals, and the
        median reporting lag overall and of the outlet with most reports.
    """
    lagged = reports["lag_days"].dropna().astype(float)
    top = lag_by_outlet[lag_by_outlet.iloc[:, 0] != "other"].iloc[0]
    clf, gain = metrics["classifier"]["classifier"], metrics["classifier"]["classifier_minus_keyword_rules"]
    fates = ledger["fate"].value_counts()
    return {
        "n_documents": len(documents),
        "n_reports": len(reports),
        "n_outlets": int(reports["outlet"].nunique()),
        "n_input_rows": len(ledger),
        "n_rows_merged": int(fates.get("merged", 0)),
        "n_rows_dropped": int(fates.get("dropped", 0)),
        "n_sealed": int(documents["sealed"].sum()),
        **{f"n_documents_{c.name}": int((documents["collection"] == c.name).sum()) for c in collections.collections},
        "n_gold": int(metrics["gold"]["n_gold"]),
        **{f"n_gold_{split}": int(n) for split, n in metrics["gold"]["n_by_split"].items()},
        **{f"n_gold_{stratum}": int(n) for stratum, n in metrics["gold"]["n_by_stratum"].items()},
        "kappa_pooled": float(metrics["gold"]["cohen_kappa_pooled"]),
        "macro_f_one": float(clf["macro_measurable_f1"]),
        "micro_f_one": float(clf["micro_f1"]),
        "keyword_macro_f_one": float(metrics["classifier"]["keyword_rules"]["macro_measurable_f1"]),
        "gain_over_keywords": float(gain["difference"]),
        "gain_over_keywords_ci_lower": float(gain["difference_ci_lower"]),
        "gain_over_keywords_ci_upper": float(gain["difference_ci_upper"]),
        "median_lag_days": f"{lagged.median():.1f}",
        "n_lagged_reports": int(len(lagged)),
        "top_outlet": str(top.iloc[0]),
        "top_outlet_median_lag_days": f"{float(top['median_lag_days']):.1f}",
    }
