"""One function per figure of the study's questions, each named like the file it writes (``figures/<name>.pdf|png``).

Every figure says its n, its source collection and what its intervals are, and clips
nothing silently. Shares estimated from predicted labels are drawn twice: the naive share
(hollow) and the prediction-powered one (PPI++, filled, with its interval). Every figure is
drawn in the style of :mod:`analysis.study.style`, whose ``save`` writes byte-identical files.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES, panel_grid
from analysis.study.style import DOUBLE, paper_style

PERCENT = plt.FuncFormatter(lambda v, _: f"{v:.0%}")
MIN_BAND_EVENTS = 5  # selection: a fatality band's mean is drawn from this many events up


def volume_monthly(
    volume: pd.DataFrame, *, labels: dict[str, str], key_dates: dict[str, list[tuple[str, str]]]
) -> plt.Figure:
    """Plot reports per month, one panel per collection, each with its own key dates; partial months hollow."""
    collections = sorted(volume["collection"].unique())
    with paper_style():
        fig, axes = plt.subplots(
            len(collections), 1, figsize=(DOUBLE, 1.5 * len(collections) + 0.4), sharex=True, layout="constrained"
        )
        for ax, collection in zip(np.atleast_1d(axes), collections, strict=True):
            part = volume[volume["collection"] == collection]
            # months without reports stay gaps (a line across them would invent a trend)
            months = pd.date_range(part["month"].min(), part["month"].max(), freq="MS")
            series = part.set_index("month").reindex(months)
            full = series["n_reports"].where(~series["partial"].fillna(False).astype(bool))
            ax.plot(months, full.to_numpy(dtype=float), marker="o", markersize=1.8, color="C0", label="whole month")
            partial = series[series["partial"].fillna(False).astype(bool)]
            if len(partial):
                ax.plot(
                    partial.index,
                    partial["n_reports"],
                    "o",
                    markersize=3.5,
                    markerfacecolor="white",
                    color="C0",
                    label="month covered in part",
                )
            empty = series.index[series["n_reports"].isna()]  # inside the collection's span, no report at all
            if len(empty):
                ax.plot(
                    empty,
                    np.full(len(empty), max(float(part["n_reports"].min()), 1) * 0.6),
                    "x",
                    markersize=3,
                    color="C3",
                    label="month with no report",
                )
            ax.set_yscale("log")
            total = int(part["n_reports"].sum())
            ax.set_title(f"{labels.get(collection, collection)} (n={total:,} dated reports)", loc="left")
            ax.set_ylabel("reports / month")
            _mark_dates(ax, key_dates.get(collection, []))
            ax.legend(loc="lower right", fontsize=6)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.set_xlabel(
            "month of publication (dashed lines: the collection's key dates; y axis on a log scale;\n"
            "before a collection's first and after its last month it holds no data)"
        )
        return fig


def _mark_dates(ax, key_dates: list[tuple[str, str]], *, labelled: bool = True) -> None:
    """Dashed vertical lines at key dates; labels above the axes, staggered, never on the data."""
    for i, (date, label) in enumerate(sorted(key_dates)):
        x = pd.Timestamp(date)
        ax.axvline(x, color="0.35", linestyle="--", linewidth=0.7, zorder=0)
        if labelled:
            ax.annotate(
                f"{label} ({x:%d %b %Y})",
                xy=(x, 1),
                xycoords=("data", "axes fraction"),
                xytext=(0, 2 + 7 * (i % 2)),
                textcoords="offset points",
                fontsize=5.5,
                color="0.25",
                ha="center",
                va="bottom",
                annotation_clip=False,
            )


def type_panels(*, height: float, **shared) -> tuple[plt.Figure, np.ndarray]:
    """Return a figure with one panel per event type, in the codebook's grid (:func:`panel_grid`).

    ``height`` is the figure's height for three rows (twelve types), scaled to the rows the
    codebook needs; panels past the last type are hidden. ``shared``: ``sharex``/``sharey``.
    """
    rows, columns = panel_grid(len(EVENT_TYPES))
    fig, axes = plt.subplots(rows, columns, figsize=(DOUBLE, height / 3 * rows), layout="constrained", **shared)
    axes = np.atleast_2d(axes)
    for ax in axes.flat[len(EVENT_TYPES) :]:
        ax.set_visible(False)
    return fig, axes


def label_grid(axes: np.ndarray, *, xlabel: str, ylabel: str) -> None:
    """Label the x axes of a grid's bottom row and the y axes of its first column."""
    for ax in axes[-1]:
        ax.set_xlabel(xlabel)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)


def _share_panel(ax, part: pd.DataFrame, *, y: np.ndarray, color: str, label: str | None) -> None:
    """Naive share (hollow) and the design's estimate with its interval (filled) at positions ``y``.

    A share that no sampled unit measures (method ``bounds``) is drawn as its interval alone.
    """
    ax.plot(part["share"], y, "o", markersize=3, markerfacecolor="white", color=color)
    ok = part["share_est"].notna().to_numpy()
    err = np.vstack([part["share_est"] - part["share_est_ci_lower"], part["share_est_ci_upper"] - part["share_est"]])
    ax.errorbar(
        part["share_est"].to_numpy()[ok],
        y[ok],
        xerr=bars(err[:, ok]),
        fmt="o",
        markersize=3,
        capsize=1.5,
        color=color,
        label=label,
    )
    for yi, lo, hi in zip(
        y[~ok], part["share_est_ci_lower"].to_numpy()[~ok], part["share_est_ci_upper"].to_numpy()[~ok], strict=True
    ):
        ax.plot([lo, hi], [yi, yi], color=color, linewidth=0.8, alpha=0.5)


def method_note(table: pd.DataFrame, *, level: float) -> str:
    """Say in words how the filled shares of ``table`` were estimated (its ``method`` column)."""
    notes = {
        "exact": "exact where every document has a gold label (no bar)",
        "ppi++": f"PPI++ for the unlabelled rest with its {level:.0%} interval",
        "gold": f"the gold sample alone with an exact {level:.0%} interval where it holds under 30 units",
        "bounds": "the possible range alone where no sampled unit speaks (faint bar)",
    }
    present = [m for m in notes if (table["method"] == m).any()]
    return "; ".join(notes[m] for m in present)


def outlet_profiles(
    profiles: pd.DataFrame, tests: pd.DataFrame, *, group_label, collection: str, level: float
) -> plt.Figure:
    """Share of each outlet group's articles reporting each type: naive (hollow) and the design's estimate (filled)."""
    groups = sorted(profiles["outlet_group"].unique())
    n = profiles.groupby("outlet_group")[["n_docs", "n_gold"]].max()
    names = [f"{group_label(g)} (n={n.loc[g, 'n_docs']}, gold {n.loc[g, 'n_gold']})" for g in groups]
    p_value = tests.set_index("event_type")["p_value_est_holm"]
    with paper_style():
        fig, axes = type_panels(height=5.6, sharey=True)
        y = np.arange(len(groups))
        for ax, t in zip(axes.flat, EVENT_TYPES, strict=False):  # spare panels hidden
            part = profiles[profiles["event_type"] == t].set_index("outlet_group").loc[groups]
            _share_panel(ax, part, y=y, color="C0", label=None)
            ax.set_title(f"{t}{_p_text(p_value.get(t, np.nan), sep='  ')}", fontsize=7)
            ax.xaxis.set_major_formatter(PERCENT)
            ax.set_xlim(left=0)
            ax.set_yticks(y, labels=names, fontsize=5.5)
        axes[0, 0].invert_yaxis()
        fig.suptitle(
            f"{collection} articles only: share reporting each type, by outlet group (n articles, gold: of them "
            f"with a gold label).\nHollow: predicted labels taken as true; filled: "
            f"{method_note(profiles, level=level)}."
            f"\np: equal shares across groups ({_test_names(tests)}, Holm-adjusted).",
            fontsize=6.5,
        )
        return fig


def credibility_profile(profile: pd.DataFrame, tests: pd.DataFrame, *, collection: str, level: float) -> plt.Figure:
    """Type shares of articles labelled credible versus not: naive (hollow) and the design's estimate (filled)."""
    order = [(1, "credible", "C0", -0.15), (0, "not credible", "C1", 0.15)]  # plotted and listed in this order
    p_value = tests.set_index("event_type")["p_value_est_holm"]
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 3.0), layout="constrained")
        x = np.arange(len(EVENT_TYPES))
        for value, name, color, offset in order:
            part = profile[profile["credibility"] == value].set_index("event_type").loc[list(EVENT_TYPES)]
            n, n_gold = int(part["n_docs"].iloc[0]), int(part["n_gold"].max())
            ax.plot(x + offset, part["share"], "o", markersize=3, markerfacecolor="white", color=color)
            ok = part["share_est"].notna().to_numpy()
            err = np.vstack(
                [part["share_est"] - part["share_est_ci_lower"], part["share_est_ci_upper"] - part["share_est"]]
            )[:, ok]
            ax.errorbar(
                (x + offset)[ok],
                part["share_est"].to_numpy()[ok],
                yerr=bars(err),
                fmt="o",
                markersize=3,
                capsize=2,
                color=color,
                label=f"{name} (n={n}, gold {n_gold}); hollow: naive",
            )
        labels = [f"{t}{_p_text(p_value.get(t, np.nan), sep=chr(10))}" for t in EVENT_TYPES]
        ax.set_xticks(x, labels=labels, rotation=45, ha="right", fontsize=6)
        ax.set_xlabel(f"event type (p: equal shares, {_test_names(tests)}, Holm-adjusted)")
        ax.set_title(f"Filled: {method_note(profile, level=level)}", fontsize=6.5)
        ax.set_ylabel(f"share of {collection} articles")
        ax.yaxis.set_major_formatter(PERCENT)
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", fontsize=6)
        return fig


def _test_names(tests: pd.DataFrame) -> str:
    """Name the tests behind a table's p-values: permutation over gold units and/or Wald."""
    names = {"permutation": "permutation over gold articles", "wald": "Wald"}
    return " or ".join(names[t] for t in names if (tests["test_est"] == t).any()) or "no test"


def _p_text(p: float, *, sep: str) -> str:
    """Format a p-value for a label: ``p<0.01`` or ``p=0.23``; nothing when there is no test."""
    if np.isnan(p):
        return ""
    return f"{sep}(p<0.01)" if p < 0.01 else f"{sep}(p={p:.2f})"


def reporting_lag(
    lags: pd.DataFrame, summary: pd.DataFrame, *, by: str, collections: str, min_reports: int
) -> plt.Figure:
    """Plot the reporting lag of every outlet (and outlets with fewer than ``min_reports`` reports, pooled)."""
    order = [o for o in summary[by] if o != "other"] + [o for o in summary[by] if o == "other"]  # pooled rest last
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 0.24 * len(order) + 1.2), layout="constrained")
        s = summary.set_index(by)
        lo_all, hi_all = 0.0, 1.0
        grouped = lags[by].where(lags[by].isin([o for o in order if o != "other"]), "other")  # as lag_summary pools
        for i, outlet in enumerate(order):
            lag = lags.loc[grouped == outlet, "lag_days"].dropna().astype(float)
            p5, q1, med, q3, p95 = np.percentile(lag, [5, 25, 50, 75, 95])
            lo_all, hi_all = min(lo_all, p5), max(hi_all, p95)
            ax.plot([p5, p95], [i, i], color="0.55", linewidth=1)
            ax.plot([q1, q3], [i, i], color="C0", linewidth=4, solid_capstyle="butt")
            ax.plot([med], [i], "o", color="C3", markersize=4, zorder=3)
        n_pooled = lags.loc[grouped == "other", by].nunique()
        names = [
            f"{o} (n={s.loc[o, 'n_reports']:,})"
            if o != "other"
            else f"{n_pooled} other outlets (n={s.loc[o, 'n_reports']:,})"
            for o in order
        ]
        ax.set_yticks(range(len(order)), labels=names, fontsize=6)
        ax.invert_yaxis()
        right = ax.twinx()  # the share within a day, and reports dated before their event, beside each row
        right.set_ylim(ax.get_ylim())
        notes = []
        for o in order:
            neg = int(s.loc[o, "n_negative_lag"])
            notes.append(
                f"{s.loc[o, 'share_within_1_day']:.0%} within a day" + (f"; {neg} before the event" if neg else "")
            )
        right.set_yticks(range(len(order)), labels=notes, fontsize=5.5, color="0.3")
        right.tick_params(length=0)
        right.grid(False)
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlim(min(-1.5, lo_all * 1.3), hi_all * 1.3)
        ax.axvline(0, color="0.6", linewidth=0.6)
        ticks = [t for t in (-365, -30, -7, -1, 0, 1, 7, 30, 365, 1000) if min(-1.5, lo_all * 1.3) <= t <= hi_all * 1.3]
        ax.set_xticks(ticks, labels=[str(t) for t in ticks])
        ax.set_xlabel("days from event to publication (symmetric log scale)")
        ax.set_title(
            f"{collections}: every dated source report, by outlet. Dot: median; bar: interquartile range; line: "
            f"5th-95th percentile.\nOutlets with fewer than {min_reports:,} reports are pooled (last row).",
            fontsize=6.5,
            loc="left",
        )
        return fig


def selection(table: pd.DataFrame, *, level: float) -> plt.Figure:
    """Plot mean sources per event by fatality band, one panel per type, one line per country (bootstrap intervals)."""
    countries = sorted(table["country"].unique())
    bands = list(dict.fromkeys(table["deaths_band"]))
    with paper_style():
        fig, axes = type_panels(height=5.2, sharex=True, sharey=True)  # one scale: types compare at a glance
        x = np.arange(len(bands))
        for ax, t in zip(axes.flat, EVENT_TYPES, strict=False):  # spare panels hidden
            if not (table.loc[table["event_type"] == t, "n_events"] >= MIN_BAND_EVENTS).any():
                ax.text(
                    0.5,
                    0.5,
                    f"no band with {MIN_BAND_EVENTS}+ events",
                    transform=ax.transAxes,
                    ha="center",
                    fontsize=6,
                    color="0.4",
                )
            for j, country in enumerate(countries):
                part = table[(table["event_type"] == t) & (table["country"] == country)].set_index("deaths_band")
                part = part.reindex(bands)
                ok = (part["n_events"] >= MIN_BAND_EVENTS).to_numpy()
                err = np.vstack(
                    [
                        part["mean_sources"] - part["mean_sources_ci_lower"],
                        part["mean_sources_ci_upper"] - part["mean_sources"],
                    ]
                )[:, ok]
                n = int(part["n_events"].sum())
                ax.errorbar(
                    x[ok] + (j - 0.5) * 0.15,
                    part["mean_sources"].to_numpy()[ok],
                    yerr=bars(err),
                    marker="o",
                    markersize=2.5,
                    capsize=1.5,
                    linewidth=0.8,
                    color=f"C{j}",
                    label=f"{country} (n={n:,})",
                )
            ax.set_title(t, fontsize=7)
            ax.legend(fontsize=5, loc="upper left")
            ax.set_xticks(x, labels=bands, fontsize=5.5)
        label_grid(axes, xlabel="fatalities (UCDP best)", ylabel="sources per event")
        caption = (
            "UCDP events: mean source reports by fatality band and country, per type predicted (uncorrected) from "
            "the event's first report alone by a model that held the event's document out (n: unsealed events). "
            f"Bars: {level:.0%} percentile bootstrap interval of the mean; bands with fewer than {MIN_BAND_EVENTS} "
            "events are not drawn."
        )
        fig.suptitle(textwrap.fill(caption, width=130), fontsize=6.5)
        return fig


def dynamics(
    panels: list[tuple[str, str, pd.DataFrame]],
    yearly: pd.DataFrame,
    *,
    min_events: int,
    key_dates: dict[str, list[tuple[str, str]]],
    level: float,
) -> plt.Figure:
    """Share of events of each type over time, per event collection, over the yearly PPI++ share and its interval.

    ``panels`` holds (collection, title, weekly counts of :func:`analysis.study.analyses.weekly_shares`).
    The line pools four weeks (positives over events, centred), drawn where those weeks hold
    at least ``min_events`` events.
    """
    rows = len(EVENT_TYPES) + 1
    with paper_style():
        fig, axes = plt.subplots(
            rows, len(panels), figsize=(DOUBLE, 0.7 * rows + 0.8), sharex="col", squeeze=False, layout="constrained"
        )
        for col, (collection, title, frame) in enumerate(panels):
            weeks = frame[frame["event_type"] == EVENT_TYPES[0]].sort_values("week")
            pooled_n = weeks["n_docs"].rolling(4, min_periods=1, center=True).sum().to_numpy()
            top = axes[0, col]
            top.bar(weeks["week"], weeks["n_docs"], width=6, color="0.6")
            top.set_title(
                f"{title}\n(n={int(weeks['n_docs'].sum()):,} unsealed events)", loc="left", fontsize=7, pad=16
            )
            top.set_ylim(bottom=0)
            _mark_dates(top, key_dates.get(collection, []))
            for row, t in enumerate(EVENT_TYPES, start=1):
                ax = axes[row, col]
                part = frame[frame["event_type"] == t].sort_values("week")
                pooled_k = part["n_pos"].rolling(4, min_periods=1, center=True).sum().to_numpy()
                share = np.where(pooled_n >= min_events, pooled_k / np.maximum(pooled_n, 1), np.nan)
                ax.plot(part["week"], share, linewidth=0.7, color="C0")
                first, last = part["week"].min(), part["week"].max()
                years = yearly[(yearly["collection"] == collection) & (yearly["event_type"] == t)]
                for _, y in years.dropna(subset=["share_est"]).iterrows():
                    start = max(pd.Timestamp(f"{int(y['year'])}-01-01"), first)
                    end = min(pd.Timestamp(f"{int(y['year'])}-12-31"), last)
                    if (end - start).days < 28:  # a year the window barely touches: no band
                        continue
                    ax.fill_between(
                        [start, end], y["share_est_ci_lower"], y["share_est_ci_upper"], color="C1", alpha=0.25, lw=0
                    )
                    ax.plot([start, end], [y["share_est"]] * 2, color="C1", linewidth=0.9)
                _mark_dates(ax, key_dates.get(collection, []), labelled=False)
                ax.yaxis.set_major_formatter(PERCENT)
                ax.set_ylim(
                    0,
                    max(
                        0.02,
                        float(np.nanmax([*share, *years.dropna(subset=["share_est"])["share_est_ci_upper"], 0])) * 1.1,
                    ),
                )
                ax.yaxis.set_major_locator(plt.MaxNLocator(2))
                if col == 0:
                    ax.set_ylabel(t, fontsize=6, rotation=0, ha="right", va="center")
            axes[-1, col].xaxis.set_major_locator(mdates.YearLocator())
            axes[-1, col].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
            axes[-1, col].xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
            axes[-1, col].set_xlabel("week of event")
        for row in axes[1:]:  # a type reads on one scale in every collection
            top = max(ax.get_ylim()[1] for ax in row)
            for ax in row:
                ax.set_ylim(0, top)
        axes[0, 0].set_ylabel("events\nper week", fontsize=6, rotation=0, ha="right", va="center")
        drawn = yearly[yearly["method"].isin(["ppi++", "gold"])]
        sampled = f"{drawn['n_sample'].min()} to {drawn['n_sample'].max()}" if len(drawn) else "no"
        caption = (
            "Share of events of each type. Blue: the cross-fitted labels (each event read by a model that never "
            "trained on it; share_crossfit), pooled over 4 weeks (not drawn where "
            f"those weeks hold fewer than {min_events} events). Orange: each year's estimate from its gold labels and "
            f"{sampled} sampled events (PPI++, or the sample alone under 30 or 10 expected positives) with its "
            f"{level:.0%} interval; none for a year with no sampled event."
        )
        fig.suptitle(textwrap.fill(caption, width=118), fontsize=6.5)
        return fig


def not_applicable(title: str, *, reason: str) -> plt.Figure:
    """Draw a placeholder for a figure whose analysis does not apply to this corpus, saying why."""
    with paper_style():
        fig, ax = plt.subplots(figsize=(3.5, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, f"{title}: not drawn\n{reason}", ha="center", va="center", fontsize=7, color="0.3")
        return fig


def bars(err: np.ndarray) -> np.ndarray:
    """Error-bar lengths from an interval: a percentile interval may not contain its estimate, so clip at 0."""
    return np.clip(np.nan_to_num(np.asarray(err, dtype=float)), 0, None)
