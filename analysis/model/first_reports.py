"""The classifier on each event's first report alone: covariates measured before any later report.

A UCDP event's document is the headlines of all its source reports, so an event with more
sources has more text, and more text means more predicted types: types read from the whole
document are built from the number of sources, the outcome of the sources model. The first
report (:func:`analysis.corpus.events.first_reports`) was written before any later one, so
its headline's types are not. They are still predictions; the event models correct them
with the first-report gold round (``annotations/labels_first_reports.csv``).
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.corpus.events import first_reports
from analysis.documents import eligible


def first_report_predictions(events: pd.DataFrame, reports: pd.DataFrame, model) -> pd.DataFrame:
    """Predict the types of every eligible event's first report from its headline alone.

    Parameters
    ----------
    events : DataFrame
        ``event_reports`` documents: ``doc_id`` and the eligibility columns.
    reports : DataFrame
        Their reports (``report_id``, ``doc_id``, ``lag_days``, ``headline``).
    model : EventClassifier
        The saved classifier.

    Returns
    -------
    DataFrame
        ``doc_id``, ``first_lag_days``, ``headline_chars`` (the first headline's length), one
        boolean column per type and ``p_<type>``, sorted by ``doc_id``.
    """
    first = first_reports(reports[reports["doc_id"].isin(eligible(events)["doc_id"])])
    if first.empty:  # a corpus without event collections
        columns = ["doc_id", "first_lag_days", "headline_chars", *EVENT_TYPES, *(f"p_{t}" for t in EVENT_TYPES)]
        return pd.DataFrame({c: pd.Series(dtype=bool if c in EVENT_TYPES else float) for c in columns}).astype(
            {"doc_id": str}
        )
    text = first["headline"].fillna("").astype(str).reset_index(drop=True)
    proba = model.predict_proba(text).reset_index(drop=True)
    labels = model.labels_from_proba(proba)
    out = pd.concat(
        [
            first[["doc_id", "first_lag_days"]].reset_index(drop=True).assign(headline_chars=text.str.len()),
            labels[list(EVENT_TYPES)],
            proba[[f"p_{t}" for t in EVENT_TYPES]].round(6),
        ],
        axis=1,
    )
    return out.sort_values("doc_id", ignore_index=True)
