"""One function per figure, each named like the file it writes (``figures/<name>.pdf|png``).

Every figure is drawn in the style of :mod:`analysis.study.style` and saved by its
:func:`~analysis.study.style.save`, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.study.style import DOUBLE, SINGLE, paper_style


def volume_monthly(volume: pd.DataFrame, *, key_dates: list[tuple[str, str]]) -> plt.Figure:
    """Plot reports per month by collection, with the study's key dates marked."""
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 2.4))
        for collection, part in volume.groupby("collection", sort=True):
            # months without reports stay gaps (a line across them would invent a trend)
            months = pd.date_range(part["month"].min(), part["month"].max(), freq="MS")
            series = part.set_index("month")["n_reports"].reindex(months)
            ax.plot(series.index, series.to_numpy(dtype=float), label=collection, marker="o", markersize=1.5)
        ax.set_yscale("log")
        ax.set_ylabel("reports per month (log scale)")
        ax.set_xlabel("month of publication")
        _mark_dates(ax, key_dates)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.legend(title="collection", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return fig


def _mark_dates(ax, key_dates: list[tuple[str, str]]) -> None:
    """Dashed vertical lines at key dates, labels stacked below the top so they never overlap."""
    for i, (date, label) in enumerate(key_dates):
        x = pd.Timestamp(date)
        ax.axvline(x, color="0.4", linestyle="--", linewidth=0.7)
        ax.annotate(
            label,
            xy=(x, 1),
            xycoords=("data", "axes fraction"),
            xytext=(-2, -3 - 8 * i),
            textcoords="offset points",
            fontsize=6,
            color="0.25",
            va="top",
            ha="right",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )


def _heatmap(ax, matrix: pd.DataFrame, *, fmt: str = "{:.0%}") -> None:
    im = ax.imshow(
        matrix.to_numpy(dtype=float),
        aspect="auto",
        cmap="Blues",
        vmin=0,
        vmax=max(0.01, float(np.nanmax(matrix.to_numpy()))),
    )
    ax.set_xticks(range(matrix.shape[1]), labels=matrix.columns, rotation=45, ha="right")
    ax.set_yticks(range(matrix.shape[0]), labels=matrix.index)
    ax.grid(False)
    top = float(np.nanmax(matrix.to_numpy()))
    for (i, j), v in np.ndenumerate(matrix.to_numpy(dtype=float)):
        if not np.isnan(v):
            ax.text(
                j, i, fmt.format(v), ha="center", va="center", fontsize=5.5, color="white" if v > 0.6 * top else "black"
            )
    return im


def outlet_profiles(shares: pd.DataFrame, *, group: str) -> plt.Figure:
    """Heatmap: share of each outlet group's FA-KES articles reporting each event type."""
    matrix = shares.pivot(index=group, columns="event_type", values="share")[list(EVENT_TYPES)]
    n = shares.groupby(group)["n_docs"].first()
    matrix.index = [f"{g} (n={n[g]})" for g in matrix.index]
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 0.3 * len(matrix) + 1.3))
        im = _heatmap(ax, matrix)
        fig.colorbar(im, ax=ax, label="share of articles", fraction=0.03, pad=0.01)
        ax.set_xlabel("event type (predicted)")
        return fig


def credibility_profile(shares: pd.DataFrame) -> plt.Figure:
    """Event-type shares of FA-KES articles labelled credible versus not, with 95% Wilson intervals."""
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 2.6))
        labels = {1: "credible", 0: "not credible"}
        offsets = {1: -0.15, 0: 0.15}
        x = np.arange(len(EVENT_TYPES))
        for value, part in shares.groupby("credibility", sort=True):
            part = part.set_index("event_type").loc[list(EVENT_TYPES)]
            err = np.vstack([part["share"] - part["share_ci_lower"], part["share_ci_upper"] - part["share"]])
            ax.errorbar(
                x + offsets[int(value)],
                part["share"],
                yerr=err,
                fmt="o",
                markersize=3,
                capsize=2,
                label=f"{labels[int(value)]} (n={int(part['n_docs'].iloc[0])})",
            )
        ax.set_xticks(x, labels=EVENT_TYPES, rotation=45, ha="right")
        ax.set_ylabel("share of articles")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.legend()
        return fig


def reporting_lag(lags: pd.DataFrame, summary: pd.DataFrame, *, by: str, max_days: int) -> plt.Figure:
    """Plot reporting lag by outlet: median (dot), interquartile range (thick), 5th-95th percentile (thin)."""
    order = [o for o in summary[by] if o != "other"][:10]
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 2.8))
        n = summary.set_index(by)
        for i, outlet in enumerate(order):
            lag = lags.loc[lags[by] == outlet, "lag_days"].dropna().astype(float).clip(upper=max_days)
            p5, q1, med, q3, p95 = np.percentile(lag, [5, 25, 50, 75, 95])
            ax.plot([p5, p95], [i, i], color="0.55", linewidth=1)
            ax.plot([q1, q3], [i, i], color="C0", linewidth=4, solid_capstyle="butt")
            ax.plot([med], [i], "o", color="C3", markersize=4)
            ax.annotate(
                f"{n.loc[outlet, 'share_within_1_day']:.0%} within a day",
                xy=(max_days, i),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=6,
                color="0.3",
                annotation_clip=False,
            )
        ax.set_yticks(range(len(order)), labels=[f"{o} (n={n.loc[o, 'n_reports']:,})" for o in order])
        ax.invert_yaxis()
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlim(-1.5, max_days)
        ax.set_xticks([-1, 0, 1, 2, 5, 10, 30, max_days], labels=["-1", "0", "1", "2", "5", "10", "30", f"{max_days}+"])
        ax.set_xlabel(
            "days from event to publication (symmetric log scale; dot median, bar IQR, line 5th-95th percentile)"
        )
        return fig


def selection(table: pd.DataFrame, *, types: list[str]) -> plt.Figure:
    """Mean number of sources per UCDP event by fatality band, for selected event types (95% CI)."""
    with paper_style():
        fig, ax = plt.subplots(figsize=(SINGLE * 1.4, 2.6))
        for i, t in enumerate(types):
            part = table[(table["event_type"] == t) & (table["n_events"] >= 5)]
            x = np.arange(len(part)) + (i - len(types) / 2) * 0.08
            err = np.vstack(
                [
                    part["mean_sources"] - part["mean_sources_ci_lower"],
                    part["mean_sources_ci_upper"] - part["mean_sources"],
                ]
            )
            ax.errorbar(x, part["mean_sources"], yerr=np.nan_to_num(err), marker="o", markersize=3, capsize=2, label=t)
        bands = table.loc[table["event_type"] == types[0], "deaths_band"].tolist()
        ax.set_xticks(range(len(bands)), labels=bands)
        ax.set_xlabel("fatalities (UCDP best estimate)")
        ax.set_ylabel("sources per event")
        ax.legend(ncols=2)
        return fig


def dynamics(
    panels: list[tuple[str, pd.DataFrame]], *, types: list[str], key_dates: list[tuple[str, str]]
) -> plt.Figure:
    """Weekly share of events reporting selected types: one panel per event collection (title, weekly shares)."""
    with paper_style():
        fig, axes = plt.subplots(len(panels), 1, figsize=(DOUBLE, 2.3 * len(panels)), sharey=True, layout="constrained")
        axes = np.atleast_1d(axes)
        for ax, (title, frame) in zip(axes, panels, strict=True):
            for t in types:
                part = frame[frame["event_type"] == t].sort_values("week")
                smooth = part["share"].rolling(4, min_periods=1, center=True).mean()
                ax.plot(part["week"], smooth, label=t)
            _mark_dates(
                ax, [(d, lab) for d, lab in key_dates if frame["week"].min() <= pd.Timestamp(d) <= frame["week"].max()]
            )
            ax.set_title(title, loc="left")
            ax.set_ylabel("share of events\n(4-week mean)")
            ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        axes[-1].set_xlabel("week of event")
        axes[0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return fig


def classifier_performance(scores: pd.DataFrame) -> plt.Figure:
    """Per-type F1 on the gold test split with 95% bootstrap intervals: classifier versus baselines."""
    full = scores[(scores["subset"] == "all") & scores["event_type"].isin(EVENT_TYPES)]
    systems = ["classifier", "weak_labels", "keyword_rules"]
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 2.6))
        x = np.arange(len(EVENT_TYPES))
        for i, s in enumerate(systems):
            part = full[full["system"] == s].set_index("event_type").loc[list(EVENT_TYPES)]
            err = np.vstack([part["f1"] - part["f1_ci_lower"], part["f1_ci_upper"] - part["f1"]])
            ax.errorbar(x + (i - 1) * 0.22, part["f1"], yerr=err, fmt="o", markersize=3, capsize=2, label=s)
        n = full[full["system"] == "classifier"].set_index("event_type").loc[list(EVENT_TYPES), "n_pos"]
        ax.set_xticks(x, labels=[f"{t}\n(n={k})" for t, k in n.items()], rotation=45, ha="right")
        ax.set_ylabel("F1 on gold test")
        ax.set_ylim(0, 1.02)
        ax.legend(loc="lower left")
        return fig


def calibration(curve: pd.DataFrame) -> plt.Figure:
    """Reliability diagram of the classifier's probabilities on the gold test split (all types pooled)."""
    pooled = curve[curve["event_type"] == "all"]
    with paper_style():
        fig, ax = plt.subplots(figsize=(SINGLE, SINGLE * 0.9))
        ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=0.8, label="perfect calibration")
        ax.plot(pooled["mean_predicted"], pooled["fraction_positive"], marker="o", markersize=3, label="classifier")
        for _, r in pooled.iterrows():  # sparse middle bins are noisy: show how many pairs each holds
            ax.annotate(
                f"n={int(r['n'])}",
                xy=(r["mean_predicted"], r["fraction_positive"]),
                xytext=(3, -8),
                textcoords="offset points",
                fontsize=5.5,
                color="0.35",
            )
        ax.set_xlabel("mean predicted probability (10 equal-width bins; all types pooled)")
        ax.set_ylabel("fraction of positives")
        ax.legend(loc="upper left")
        return fig


def not_applicable(title: str, *, reason: str) -> plt.Figure:
    """Draw a placeholder for a figure whose analysis does not apply to this corpus, saying why."""
    with paper_style():
        fig, ax = plt.subplots(figsize=(SINGLE, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, f"{title}: not drawn\n{reason}", ha="center", va="center", fontsize=7, color="0.3")
        return fig
