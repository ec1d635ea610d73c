"""The study's tables, figures and quoted numbers, assembled from the pipeline outputs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis import figures, study, tables
from analysis.params import ReportParams

CAPTIONS = {
    "outlet_profiles": "Event-type shares per FA-KES outlet group (95% Wilson intervals).",
    "outlet_tests": "Differences across outlet groups per event type (chi-square, Holm-adjusted).",
    "credibility_profile": "Event-type shares of FA-KES articles by credibility label.",
    "credibility_tests": "Differences between credible and non-credible articles per event type.",
    "lag_by_outlet": "Reporting lag of UCDP source reports by outlet (days).",
    "lag_by_type": "Reporting lag of UCDP source reports by predicted event type (days).",
    "selection_by_type": "Sources per UCDP event by fatality band and predicted event type.",
}


def study_tables(labelled: pd.DataFrame, reports: pd.DataFrame, *, params: ReportParams) -> dict[str, pd.DataFrame]:
    """Build every study table, keyed by its file name (see :data:`CAPTIONS`).

    Returns
    -------
    dict of str to DataFrame
        ``outlet_profiles``, ``outlet_tests``, ``credibility_profile``, ``credibility_tests``,
        ``lag_by_outlet``, ``lag_by_type``, ``selection_by_type``.
    """
    fakes = labelled[labelled["collection"] == "fakes"].assign(
        outlet_group=lambda d: d["outlet"].map(params.outlet_groups).fillna("unassigned")
    )
    ucdp_reports = reports[reports["collection"] != "fakes"]
    return {
        "outlet_profiles": tables.outlet_profiles(fakes),
        "outlet_tests": tables.outlet_tests(fakes),
        "credibility_profile": tables.credibility_profile(fakes),
        "credibility_tests": tables.credibility_tests(fakes),
        "lag_by_outlet": tables.lag_by_outlet(ucdp_reports, min_reports=params.lag_min_reports),
        "lag_by_type": tables.lag_by_type(ucdp_reports, labelled),
        "selection_by_type": tables.selection_by_type(labelled, bins=list(params.selection_death_bins)),
    }


def study_figures(
    labelled: pd.DataFrame,
    reports: pd.DataFrame,
    built: dict[str, pd.DataFrame],
    scores: pd.DataFrame,
    calibration: pd.DataFrame,
    *,
    params: ReportParams,
) -> dict[str, plt.Figure]:
    """Draw every study figure, keyed by its file name (without suffix)."""
    dates = [(d.date, d.label) for d in params.key_dates]
    ucdp_reports = reports[reports["collection"] != "fakes"]
    iraq = study.weekly_shares(labelled, collection="ucdp_iraq", start=params.iraq_window[0], end=params.iraq_window[1])
    syria = study.weekly_shares(labelled, collection="ucdp_syria", start=None, end=None)
    return {
        "volume_monthly": figures.volume_monthly(study.monthly_volume(reports), key_dates=dates),
        "outlet_profiles": figures.outlet_profiles(built["outlet_profiles"], group="outlet_group"),
        "credibility_profile": figures.credibility_profile(built["credibility_profile"]),
        "reporting_lag": figures.reporting_lag(
            ucdp_reports, built["lag_by_outlet"], by="outlet", max_days=params.lag_max_days
        ),
        "selection": figures.selection(built["selection_by_type"], types=list(params.selection_types)),
        "dynamics": figures.dynamics(iraq, syria, types=list(params.dynamics_types), key_dates=dates),
        "classifier_performance": figures.classifier_performance(scores),
        "calibration": figures.calibration(calibration),
    }


def headline_numbers(
    documents: pd.DataFrame, reports: pd.DataFrame, ledger: pd.DataFrame, lag_by_outlet: pd.DataFrame, *, metrics: dict
) -> dict[str, object]:
    """Collect every number quoted in prose, keyed in snake_case (macro names come from the keys).

    Returns
    -------
    dict
        Counts of documents, reports, outlets, sealed and gold documents, ledger fates,
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
        "n_events_syria": int((documents["collection"] == "ucdp_syria").sum()),
        "n_events_iraq": int((documents["collection"] == "ucdp_iraq").sum()),
        "n_articles_fakes": int((documents["collection"] == "fakes").sum()),
        "n_gold": int(metrics["gold"]["n_gold"]),
        "n_gold_test": int(metrics["gold"]["n_by_split"]["test"]),
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
