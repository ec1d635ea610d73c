"""One function per result table, each named like the file it writes (``tables/<name>.*``)."""

from __future__ import annotations

import pandas as pd

from analysis.study import analyses


def outlet_profiles(articles: pd.DataFrame) -> pd.DataFrame:
    """Share of each outlet group's articles reporting each type (``outlet_group`` column needed).

    Returns
    -------
    DataFrame
        See :func:`analysis.study.analyses.type_shares` (grouped by ``outlet_group``).
    """
    return analyses.type_shares(articles, by="outlet_group")


def outlet_tests(articles: pd.DataFrame) -> pd.DataFrame:
    """Test each type's share across outlet groups: chi-square, Holm-adjusted p, Cramér's V."""
    return analyses.association_tests(articles, by="outlet_group")


def credibility_profile(articles: pd.DataFrame) -> pd.DataFrame:
    """Share of articles reporting each type, credible (1) versus not (0); unlabelled left out."""
    return analyses.type_shares(articles.dropna(subset=["credibility"]), by="credibility")


def credibility_tests(articles: pd.DataFrame) -> pd.DataFrame:
    """Test each type's share between credible and non-credible articles."""
    return analyses.association_tests(articles.dropna(subset=["credibility"]), by="credibility")


def lag_by_outlet(event_reports: pd.DataFrame, *, min_reports: int) -> pd.DataFrame:
    """Summarise the reporting lag of UCDP source reports per outlet (median, IQR, n)."""
    return analyses.lag_summary(event_reports, by="outlet", min_reports=min_reports)


def lag_by_type(event_reports: pd.DataFrame, labelled: pd.DataFrame) -> pd.DataFrame:
    """Summarise the reporting lag per predicted event type of the reported event."""
    return analyses.lag_summary(analyses.report_types(event_reports, labelled), by="event_type", min_reports=1)


def selection_by_type(labelled: pd.DataFrame, *, bins: list[int]) -> pd.DataFrame:
    """Count sources per UCDP event by fatality band and type (see :func:`analysis.study.analyses.selection_by_type`)."""
    return analyses.selection_by_type(labelled, bins=bins)
