"""The numbers the study quotes in prose, gathered from the pipeline outputs."""

from __future__ import annotations

import pandas as pd


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
