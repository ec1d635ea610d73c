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


def first_report_texts(events: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Return every eligible event's first report headline, the text its types are read from.

    Parameters
    ----------
    events : DataFrame
        ``event_reports`` documents: ``doc_id`` and the eligibility columns.
    reports : DataFrame
        Their reports (``report_id``, ``doc_id``, ``lag_days``, ``headline``).

    Returns
    -------
    DataFrame
        ``doc_id`` (the event's), ``first_lag_days``, ``headline_chars`` and ``text`` (the
        headline, empty where missing), sorted by ``doc_id``.
    """
    first = first_reports(reports[reports["doc_id"].isin(eligible(events)["doc_id"])])
    text = first["headline"].fillna("").astype(str).to_numpy()
    out = pd.DataFrame(
        {
            "doc_id": first["doc_id"].astype(str).to_numpy(),
            "first_lag_days": first["first_lag_days"].astype(float).to_numpy(),
            "headline_chars": pd.Series(text, dtype=str).str.len().to_numpy(),
            "text": pd.Series(text, dtype=str).to_numpy(),
        }
    )
    return out.sort_values("doc_id", ignore_index=True)


def with_predictions(texts: pd.DataFrame, proba: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Return the first reports with their predicted types (``texts``, ``proba`` and ``labels`` row-aligned).

    Returns
    -------
    DataFrame
        ``doc_id``, ``first_lag_days``, ``headline_chars``, one boolean column per type and
        ``p_<type>``, sorted by ``doc_id``.
    """
    out = pd.concat(
        [
            texts[["doc_id", "first_lag_days", "headline_chars"]].reset_index(drop=True),
            labels[list(EVENT_TYPES)].reset_index(drop=True),
            proba[[f"p_{t}" for t in EVENT_TYPES]].round(6).reset_index(drop=True),
        ],
        axis=1,
    )
    return out.sort_values("doc_id", ignore_index=True)


def first_report_predictions(events: pd.DataFrame, reports: pd.DataFrame, model) -> pd.DataFrame:
    """Predict the types of every eligible event's first report from its headline alone, by ``model``.

    A pinned model saw none of a researcher's events; the study predicts its own first
    reports out of fold instead (:func:`analysis.model.crossfit.cross_fitted`).

    Parameters
    ----------
    events : DataFrame
        ``event_reports`` documents: ``doc_id`` and the eligibility columns.
    reports : DataFrame
        Their reports (``report_id``, ``doc_id``, ``lag_days``, ``headline``).
    model : EventClassifier
        The classifier.

    Returns
    -------
    DataFrame
        As :func:`with_predictions`.
    """
    texts = first_report_texts(events, reports)
    if texts.empty:  # a corpus without event collections
        return empty_predictions()
    proba = model.predict_proba(texts["text"]).reset_index(drop=True)
    return with_predictions(texts, proba, model.labels_from_proba(proba))


def empty_predictions() -> pd.DataFrame:
    """Return :func:`with_predictions`'s columns with no row (a corpus without event collections)."""
    columns = ["doc_id", "first_lag_days", "headline_chars", *EVENT_TYPES, *(f"p_{t}" for t in EVENT_TYPES)]
    return pd.DataFrame({c: pd.Series(dtype=bool if c in EVENT_TYPES else float) for c in columns}).astype(
        {"doc_id": str}
    )
