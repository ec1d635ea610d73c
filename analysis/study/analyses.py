"""The analyses of the study: who reports what, when, how fast, and how outlets differ.

Pure DataFrame-in/DataFrame-out functions over the pipeline's tables; the figures
and tables of the ``report`` stage are drawn from their outputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.codebook import EVENT_TYPES
from analysis.labels.cues import CUES, PARAPHRASES
from analysis.stats import bootstrap_mean_interval, holm


def labelled_documents(documents: pd.DataFrame, predictions: pd.DataFrame) -> pd.DataFrame:
    """Join the predicted event types onto the documents (one boolean column per type)."""
    cols = ["doc_id", *EVENT_TYPES]
    return documents.merge(predictions[cols], on="doc_id", how="left", validate="one_to_one")


def monthly_volume(reports: pd.DataFrame) -> pd.DataFrame:
    """Count reports per calendar month and collection, marking months the data cover only in part.

    Returns
    -------
    DataFrame
        Columns ``month`` (first day), ``collection``, ``n_reports``, ``partial`` (the first
        month when the collection's first report is after its 1st, the last when its last
        report is before its last day).
    """
    dated = reports.dropna(subset=["published"])
    month = dated["published"].dt.to_period("M").dt.to_timestamp()
    out = dated.assign(month=month).groupby(["month", "collection"]).size().rename("n_reports").reset_index()
    first, last = dated.groupby("collection")["published"].min(), dated.groupby("collection")["published"].max()
    starts_late = out["month"].eq(out["collection"].map(first.dt.to_period("M").dt.to_timestamp())) & out[
        "collection"
    ].map(first.dt.day.gt(1))
    month_end = out["month"] + pd.offsets.MonthEnd(0)
    ends_early = out["month"].eq(out["collection"].map(last.dt.to_period("M").dt.to_timestamp())) & (
        out["collection"].map(last.dt.normalize()) < month_end
    )
    out["partial"] = (starts_late | ends_early).astype(bool)
    return out.sort_values(["collection", "month"], ignore_index=True)


def association_tests(frame: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Test, per event type, whether its share differs across groups (chi-square, Cramér's V).

    Returns
    -------
    DataFrame
        Columns ``event_type``, ``n_docs``, ``n_groups``, ``chi2``, ``dof``, ``p_value``,
        ``p_value_holm`` (Holm-adjusted over types), ``cramers_v``.
    """
    rows = []
    for t in EVENT_TYPES:
        table = pd.crosstab(frame[by], frame[t].astype(bool)).reindex(columns=[False, True], fill_value=0)
        table = table[table.sum(axis=1) > 0]
        n = int(table.to_numpy().sum())
        if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
            rows.append(
                {
                    "event_type": t,
                    "n_docs": n,
                    "n_groups": table.shape[0],
                    "chi2": np.nan,
                    "dof": 0,
                    "p_value": np.nan,
                    "cramers_v": np.nan,
                }
            )
            continue
        chi2, p, dof, _ = stats.chi2_contingency(table.to_numpy(), correction=False)
        v = float(np.sqrt(chi2 / (n * (min(table.shape) - 1))))
        rows.append(
            {
                "event_type": t,
                "n_docs": n,
                "n_groups": table.shape[0],
                "chi2": float(chi2),
                "dof": int(dof),
                "p_value": float(p),
                "cramers_v": v,
            }
        )
    out = pd.DataFrame(rows)
    out.insert(6, "p_value_holm", holm(out["p_value"].to_numpy()))
    return out


def lag_summary(reports: pd.DataFrame, *, by: str, min_reports: int) -> pd.DataFrame:
    """Summarise reporting lag (publication minus event date, days) per group of event reports.

    Groups with fewer than ``min_reports`` dated reports are pooled as ``other``.

    Returns
    -------
    DataFrame
        Columns ``<by>``, ``n_reports``, ``median_lag_days``, ``q1_lag_days``, ``q3_lag_days``,
        ``share_within_1_day``, ``n_negative_lag`` (reports dated before the event), sorted
        by ``n_reports`` descending.
    """
    lagged = reports.dropna(subset=["lag_days"]).copy()
    lagged["lag_days"] = lagged["lag_days"].astype(float)
    counts = lagged[by].value_counts()
    keep = counts[counts >= min_reports].index
    lagged[by] = lagged[by].where(lagged[by].isin(keep), "other")
    g = lagged.groupby(by)["lag_days"]
    out = pd.DataFrame(
        {
            "n_reports": g.size(),
            "median_lag_days": g.median(),
            "q1_lag_days": g.quantile(0.25),
            "q3_lag_days": g.quantile(0.75),
            "share_within_1_day": g.apply(lambda s: float((s.between(0, 1)).mean())),
            "n_negative_lag": g.apply(lambda s: int((s < 0).sum())),
        }
    ).reset_index()
    return out.sort_values(["n_reports", by], ascending=[False, True], ignore_index=True)


def report_types(reports: pd.DataFrame, labelled: pd.DataFrame) -> pd.DataFrame:
    """Long frame of (report, event type) for event reports whose event has that type predicted.

    Returns
    -------
    DataFrame
        The columns of ``reports``, plus ``event_type``: one row per report and predicted type.
    """
    ucdp = reports.merge(labelled[["doc_id", *EVENT_TYPES]], on="doc_id", how="inner")
    long = ucdp.melt(
        id_vars=[c for c in ucdp.columns if c not in EVENT_TYPES],
        value_vars=list(EVENT_TYPES),
        var_name="event_type",
        value_name="has_type",
    )
    return long[long["has_type"].astype(bool)].drop(columns="has_type")


def selection_by_type(events: pd.DataFrame, *, bins: list[int], level: float, seed: int = 0) -> pd.DataFrame:
    """Count sources per event by country, fatality band and predicted event type.

    Returns
    -------
    DataFrame
        Columns ``country``, ``event_type``, ``deaths_band``, ``n_events``, ``mean_sources`` with
        ``mean_sources_ci_lower``/``_ci_upper`` (a percentile bootstrap interval of the mean over
        the band's events, which stays within the counts' support; empty below 2 events), and
        ``spearman_rho`` / ``spearman_p`` of sources against best fatalities per country and type.
    """
    ucdp = events.dropna(subset=["deaths_best"]).copy()
    ucdp["deaths_best"] = ucdp["deaths_best"].astype(float)
    labels = [f"{lo}-{hi - 1}" if hi - lo > 1 else f"{lo}" for lo, hi in zip(bins[:-1], bins[1:], strict=True)] + [
        f"{bins[-1]}+"
    ]
    ucdp["deaths_band"] = pd.cut(ucdp["deaths_best"], bins=[*bins, np.inf], right=False, labels=labels)
    rows = []
    for country, by_country in ucdp.groupby("country", sort=True):
        for t in EVENT_TYPES:
            part = by_country[by_country[t].astype(bool)]
            enough = len(part) > 2 and part["n_reports"].nunique() > 1 and part["deaths_best"].nunique() > 1
            rho, p = stats.spearmanr(part["n_reports"], part["deaths_best"]) if enough else (np.nan, np.nan)
            for band, g in part.groupby("deaths_band", observed=False):
                n = len(g)
                mean = float(g["n_reports"].mean()) if n else np.nan
                lo, hi = bootstrap_mean_interval(g["n_reports"].to_numpy(dtype=float), level=level, seed=seed)
                rows.append(
                    {
                        "country": country,
                        "event_type": t,
                        "deaths_band": str(band),
                        "n_events": n,
                        "mean_sources": mean,
                        "mean_sources_ci_lower": lo,
                        "mean_sources_ci_upper": hi,
                        "spearman_rho": float(rho),
                        "spearman_p": float(p),
                    }
                )
    columns = ["country", "event_type", "deaths_band", "n_events", "mean_sources"]
    columns += ["mean_sources_ci_lower", "mean_sources_ci_upper", "spearman_rho", "spearman_p"]
    return pd.DataFrame(rows, columns=columns)


def word_checks(documents: pd.DataFrame, predicted: pd.DataFrame, gold: pd.DataFrame, *, checks) -> pd.DataFrame:
    """Ask whether a collection's texts in a window use a type's words at all (the rules' cues and paraphrases).

    A flat line in a figure can mean that nothing happened, that the classifier misses it, or
    that the sources never say it. Counting the words themselves tells the last apart.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``collection``, ``event_date``, ``text``.
    predicted : DataFrame
        ``doc_id`` and one boolean column per type.
    gold : DataFrame
        :func:`analysis.study.design.gold_labels` (the random gold sample).
    checks : sequence of WordCheck
        ``report.word_checks``.

    Returns
    -------
    DataFrame
        ``label``, ``collection``, ``event_type``, ``start``, ``end``, ``n_docs`` (in the
        window), ``n_with_words``, ``n_predicted``, ``n_gold`` (random gold documents in the
        window) and ``n_gold_pos``.
    """
    rows = []
    for c in checks:
        window = documents[
            documents["collection"].eq(c.collection)
            & documents["event_date"].between(pd.Timestamp(c.start), pd.Timestamp(c.end))
        ]
        words = window["text"].map(lambda t, ty=c.event_type: bool(CUES[ty].search(t) or PARAPHRASES[ty].search(t)))
        pred = predicted.set_index("doc_id").loc[window["doc_id"], c.event_type]
        sampled = gold[gold["doc_id"].isin(window["doc_id"])]
        rows.append(
            {
                "label": c.label,
                "collection": c.collection,
                "event_type": c.event_type,
                "start": c.start,
                "end": c.end,
                "n_docs": len(window),
                "n_with_words": int(words.sum()),
                "n_predicted": int(pred.sum()),
                "n_gold": len(sampled),
                "n_gold_pos": int(sampled[f"gold_{c.event_type}"].fillna(0).sum()),
            }
        )
    return pd.DataFrame(rows)


def weekly_shares(labelled: pd.DataFrame, *, collection: str, start: str | None, end: str | None) -> pd.DataFrame:
    """Weekly share of a collection's events (by event date) reporting each type.

    Returns
    -------
    DataFrame
        Columns ``week`` (Monday), ``event_type``, ``n_docs``, ``n_pos``, ``share``.
    """
    part = labelled[labelled["collection"] == collection].dropna(subset=["event_date"])
    if start:
        part = part[part["event_date"] >= pd.Timestamp(start)]
    if end:
        part = part[part["event_date"] <= pd.Timestamp(end)]
    week = part["event_date"].dt.to_period("W-SUN").dt.start_time
    part = part.assign(week=week)
    g = part.groupby("week")
    # every week of the span, empty ones with 0 events, so that rolling windows span weeks, not rows
    weeks = pd.date_range(week.min(), week.max(), freq="7D") if len(part) else pd.DatetimeIndex([])
    n = g.size().reindex(weeks, fill_value=0)
    rows = [
        pd.DataFrame(
            {
                "week": n.index,
                "event_type": t,
                "n_docs": n.to_numpy(),
                "n_pos": g[t].sum().reindex(weeks, fill_value=0).astype(int).to_numpy(),
            }
        )
        for t in EVENT_TYPES
    ]
    out = pd.concat(rows, ignore_index=True)
    out["share"] = (out["n_pos"] / out["n_docs"]).where(out["n_docs"] > 0)
    return out


def lag_by_outlet(event_reports: pd.DataFrame, *, min_reports: int) -> pd.DataFrame:
    """Summarise the reporting lag of UCDP source reports per outlet (median, IQR, n)."""
    return lag_summary(event_reports, by="outlet", min_reports=min_reports)


def lag_by_type(event_reports: pd.DataFrame, labelled: pd.DataFrame) -> pd.DataFrame:
    """Summarise the reporting lag per predicted event type of the reported event."""
    return lag_summary(report_types(event_reports, labelled), by="event_type", min_reports=1)
