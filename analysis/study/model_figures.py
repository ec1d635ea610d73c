"""The figures of the instrument and of the event-level models, each named like the file it writes.

The classifier's figures read the frozen test set's scores (``score_test``): types with
fewer than 10 test positives, and the types the classifier leaves to the rules (too few
training positives), are marked as such rather than drawn as comparable. The coefficient
plots read the tidy tables of :mod:`analysis.study.regressions`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.stats import wilson_interval
from analysis.study import model_tables
from analysis.study.figures import bars, label_grid
from analysis.study.style import DOUBLE, SINGLE, paper_style

#: Types with fewer test positives than this are not measurable: no comparison is drawn.
MIN_TEST_POSITIVES = 10


def classifier_performance(scores: pd.DataFrame, *, rules: list[str]) -> plt.Figure:
    """Plot per-type F1 on the frozen test set (95% bootstrap intervals): classifier, rules, old model."""
    full = scores[(scores["subset"] == "all") & scores["event_type"].isin(EVENT_TYPES)]
    systems = [s for s in ("classifier", "weak_labels", "keyword_rules", "old_model") if s in set(full["system"])]
    n = full[full["system"] == "classifier"].set_index("event_type").loc[list(EVENT_TYPES), "n_pos"]
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE, 2.9), layout="constrained")
        x = np.arange(len(EVENT_TYPES))
        for i, t in enumerate(EVENT_TYPES):
            if n[t] < MIN_TEST_POSITIVES:
                ax.axvspan(i - 0.45, i + 0.45, color="0.92", zorder=0)
        for i, s in enumerate(systems):
            part = full[full["system"] == s].set_index("event_type").loc[list(EVENT_TYPES)]
            measurable = (part["n_pos"] >= MIN_TEST_POSITIVES).to_numpy()
            err = np.vstack([part["f1"] - part["f1_ci_lower"], part["f1_ci_upper"] - part["f1"]])[:, measurable]
            offset = (i - (len(systems) - 1) / 2) * 0.18
            ax.errorbar(
                x[measurable] + offset,
                part["f1"].to_numpy()[measurable],
                yerr=bars(err),
                fmt="o",
                markersize=3,
                capsize=2,
                label=s.replace("_", " "),
            )
        labels = []
        for t in EVENT_TYPES:
            note = "not measurable" if n[t] < MIN_TEST_POSITIVES else ""
            note = ", ".join(p for p in (note, "rules" if t in rules else "") if p)
            labels.append(f"{t}\n(n={n[t]}{'; ' + note if note else ''})")
        ax.set_xticks(x, labels=labels, rotation=45, ha="right", fontsize=6)
        ax.set_ylabel("F1 on the frozen test set")
        ax.set_ylim(0, 1.02)
        ax.legend(loc="lower left", ncols=len(systems), fontsize=6)
        ax.set_title(
            f"Grey: fewer than {MIN_TEST_POSITIVES} test positives, no score drawn. 'rules': too few training "
            "positives, the classifier applies the weak-label rules. Bars: 95% bootstrap intervals.",
            fontsize=6,
            loc="left",
        )
        return fig


def calibration(curve: pd.DataFrame, *, rules: list[str], level: float) -> plt.Figure:
    """Reliability diagram per learned type on the frozen test set, with Wilson intervals per bin."""
    types = [t for t in EVENT_TYPES if t not in rules and t in set(curve["event_type"])]
    cols = 4
    rows = int(np.ceil(len(types) / cols))
    with paper_style():
        fig, axes = plt.subplots(
            rows, cols, figsize=(DOUBLE, 1.75 * rows + 0.5), sharex=True, sharey=True, layout="constrained"
        )
        for ax in axes.flat[len(types) :]:
            ax.axis("off")
        for ax, t in zip(axes.flat, types, strict=False):
            part = curve[curve["event_type"] == t]
            k = np.round(part["fraction_positive"] * part["n"]).astype(int).to_numpy()
            lo, hi = wilson_interval(k, part["n"].to_numpy(), level=level)
            ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=0.7)
            err = np.vstack([part["fraction_positive"] - lo, hi - part["fraction_positive"]])
            ax.errorbar(
                part["mean_predicted"],
                part["fraction_positive"],
                yerr=bars(err),
                fmt="none",
                capsize=1.5,
                linewidth=0.7,
            )
            # marker area grows with the bin's documents: the sparse middle bins read as the guesses they are
            ax.scatter(part["mean_predicted"], part["fraction_positive"], s=4 + 6 * np.log10(part["n"]), zorder=3)
            ax.set_title(f"{t} (n={int(part['n'].sum())}, {int(k.sum())} positive)", fontsize=6.5)
            ax.set_aspect("equal")
        label_grid(axes, xlabel="mean predicted probability", ylabel="fraction positive")
        fig.suptitle(
            "Calibration on the frozen test set, per type the classifier learns (the rules' 0/1 votes left out):\n"
            f"10 equal-width bins; marker area grows with the bin's documents (log); "
            f"bars: {level:.0%} Wilson intervals",
            fontsize=6.5,
        )
        return fig


def coefficients(table: pd.DataFrame, *, title: str, ratio: bool, xlabel: str, level_label=str) -> plt.Figure:
    """Plot a tidy model table's coefficients (``ratio``: exponentiated, on a log axis); intercept left out."""
    part = table[(table["term"] != "Intercept") & (table["term"] != "alpha")].iloc[::-1]
    est, lo, hi = (
        ("ratio", "ratio_ci_lower", "ratio_ci_upper")
        if ratio
        else ("estimate", "estimate_ci_lower", "estimate_ci_upper")
    )
    names = [model_tables.term_name(t, level_label=level_label) for t in part["term"]]
    with paper_style():
        fig, ax = plt.subplots(figsize=(SINGLE * 1.5, 0.17 * len(part) + 0.9), layout="constrained")
        y = np.arange(len(part))
        err = np.vstack([part[est] - part[lo], part[hi] - part[est]])
        ax.errorbar(part[est], y, xerr=bars(err), fmt="o", markersize=3, capsize=1.5, color="C0")
        ax.axvline(1 if ratio else 0, color="0.5", linewidth=0.7, linestyle="--")
        if ratio:
            ax.set_xscale("log")
            lo_x, hi_x = float(np.nanmin(part[lo])), float(np.nanmax(part[hi]))
            candidates = [v for v in _NICE_RATIOS if lo_x / 1.2 <= v <= hi_x * 1.2]
            nice = [1.0] if 1 in candidates else []
            for v in candidates:  # ticks at least 30% apart, so that their labels never touch
                if all(max(v / t, t / v) >= 1.3 for t in nice):
                    nice.append(v)
            nice.sort()
            ax.xaxis.set_major_locator(plt.FixedLocator(nice))
            ax.xaxis.set_minor_locator(plt.NullLocator())
            ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_yticks(y, labels=names, fontsize=6)
        ax.set_xlabel(xlabel)
        ax.set_title(title, fontsize=6.5, loc="left")
        return fig


_NICE_RATIOS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 5, 10, 20, 50)
