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
from analysis.study.style import DOUBLE, paper_style

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
            few = int(k.sum()) < MIN_TEST_POSITIVES
            title = f"{t} (n={int(part['n'].sum())}, {int(k.sum())} positive)"
            title += "\nfew positives: not measurable" if few else ""
            ax.set_title(title, fontsize=6.5, color="0.45" if few else "black")
            if few:  # too few positives for the curve to say anything: drawn, but greyed
                ax.set_facecolor("0.94")
            ax.set_aspect("equal")
        label_grid(axes, xlabel="mean predicted probability", ylabel="fraction positive")
        fig.suptitle(
            "Calibration on the frozen test set, per type the classifier learns (the rules' 0/1 votes left out):\n"
            f"10 equal-width bins; marker area grows with the bin's documents (log); "
            f"bars: {level:.0%} Wilson intervals;\ngrey panels: fewer than {MIN_TEST_POSITIVES} test positives, "
            "not measurable",
            fontsize=6.5,
        )
        return fig


def coefficients(table: pd.DataFrame, *, title: str, xlabel: str, level_label=str) -> plt.Figure:
    """Plot a model table's ratios on a log axis, one marker per specification, fixed effects left out.

    The intercept, year, governorate and day-band terms are not drawn (the title says so);
    a term missing from a specification is simply absent from its row.
    """
    skip = table["term"].str.match(r"Intercept|C\(year\)|C\(governorate\)|C\(band\)")
    part = table[~skip]
    terms = list(dict.fromkeys(part["term"]))[::-1]
    specs = list(dict.fromkeys(part["spec"]))
    names = [model_tables.term_name(t, level_label=level_label) for t in terms]
    with paper_style():
        fig, ax = plt.subplots(figsize=(DOUBLE * 0.8, 0.2 * len(terms) + 1.3), layout="constrained")
        offsets = np.linspace(-0.15, 0.15, len(specs)) if len(specs) > 1 else [0.0]
        low, high = CLIP
        clipped = False
        for k, (spec, dy) in enumerate(zip(specs, offsets, strict=True)):
            rows = part[part["spec"] == spec].set_index("term").reindex(terms)
            y = np.arange(len(terms)) + dy
            lo, hi = rows["ratio_ci_lower"].clip(lower=low), rows["ratio_ci_upper"].clip(upper=high)
            for cut, edge, mark in (
                (rows["ratio_ci_lower"] < low, low, "<"),
                (rows["ratio_ci_upper"] > high, high, ">"),
            ):
                if cut.any():  # an interval past the axis is cut at its edge, and says so
                    clipped = True
                    ax.plot(np.full(int(cut.sum()), edge), y[cut.to_numpy()], marker=mark, linestyle="none",
                            color=f"C{k}", markersize=3.5)  # fmt: skip
            err = np.vstack([rows["ratio"] - lo, hi - rows["ratio"]])
            marker = ("o", "s", "^")[k % 3]
            ax.errorbar(rows["ratio"], y, xerr=bars(err), fmt=marker, markersize=3, capsize=1.5, color=f"C{k}",
                        label=spec.replace("_", " "))  # fmt: skip
        ax.axvline(1, color="0.5", linewidth=0.7, linestyle="--")
        ax.set_xscale("log")
        lo_x = max(float(np.nanmin(part["ratio_ci_lower"])), low)
        hi_x = min(float(np.nanmax(part["ratio_ci_upper"])), high)
        candidates = [v for v in _NICE_RATIOS if lo_x / 1.2 <= v <= hi_x * 1.2]
        nice = [1.0] if 1 in candidates else []
        for v in candidates:  # ticks at least 30% apart, so that their labels never touch
            if all(max(v / t, t / v) >= 1.3 for t in nice):
                nice.append(v)
        nice.sort()
        ax.xaxis.set_major_locator(plt.FixedLocator(nice))
        ax.xaxis.set_minor_locator(plt.NullLocator())
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_yticks(np.arange(len(terms)), labels=names, fontsize=6)
        ax.set_xlabel(xlabel + (f"; intervals past {low:g} or {high:g} cut at the edge (arrows)" if clipped else ""))
        if len(specs) > 1:
            ax.legend(fontsize=6, loc="lower right", frameon=False)
        ax.set_title(title, fontsize=6, loc="left")
        return fig


def convergent_validity(table: pd.DataFrame, *, labels: dict[str, str], level: float) -> plt.Figure:
    """Draw, per collection and criterion, on the design's sample: what the annotators and the classifier found.

    Of the events UCDP coded, filled: the share the classifier (cross-fitted) gives the type;
    hollow: the share the annotators gave it, on the same sampled events and headlines. A
    criterion with fewer than :data:`analysis.study.validity.MIN_GOLD_CODED` such events is
    greyed. The whole collection's recall and AUC are written at the right.
    """
    from analysis.study.validity import MIN_GOLD_CODED

    collections = list(dict.fromkeys(table["collection"]))
    with paper_style():
        fig, axes = plt.subplots(
            1, len(collections), figsize=(DOUBLE, 2.1), sharey=True, squeeze=False, layout="constrained"
        )
        for ax, collection in zip(axes[0], collections, strict=True):
            part = table[table["collection"] == collection].reset_index(drop=True)
            y = np.arange(len(part))[::-1]
            few = (part["n_gold_coded"] < MIN_GOLD_CODED).to_numpy()
            marks = (("sample_recall", 0.12, None, "classifier"), ("gold_mention", -0.12, "white", "annotators"))
            for col, dy, face, name in marks:
                err = np.vstack([part[col] - part[f"{col}_ci_lower"], part[f"{col}_ci_upper"] - part[col]])
                for rows, color, label in ((~few, "C0", name), (few, "0.7", None)):
                    if rows.any():
                        ax.errorbar(part.loc[rows, col], y[rows] + dy, xerr=bars(err[:, rows]), fmt="o",
                                    markersize=3.5, capsize=1.5, color=color, markerfacecolor=face or color,
                                    label=label)  # fmt: skip
            for yi, (_, r) in zip(y, part.iterrows(), strict=True):
                text = f"sample {r['n_gold_coded']}; all {r['n_coded']:,}\nrecall {r['recall']:.2f}, AUC {r['auc']:.2f}"
                ax.text(1.02, yi, text, fontsize=5, va="center", transform=ax.get_yaxis_transform())
            ax.set_xlim(0, 1)
            ax.set_yticks(y, labels=[f"{r.event_type}\n~ {r.criterion}" for r in part.itertuples()], fontsize=5.5)
            ax.set_title(labels.get(collection, collection), fontsize=7)
        fig.supxlabel("share of the UCDP-coded sampled events given the type", fontsize=7)
        axes[0][0].legend(fontsize=5.5, loc="lower right", frameon=False)
        fig.suptitle(
            "The classifier against UCDP's coders, on the design's random sample of unsealed events: of the\n"
            "events UCDP coded, the share the annotators (hollow) and the cross-fitted classifier (filled) gave\n"
            f"the type; {level:.0%} Wilson intervals; grey: under {MIN_GOLD_CODED} coded sampled events. At the right: "
            "sampled and\nall coded events, the whole collection's recall and AUC",
            fontsize=6.5,
        )
        return fig


#: The ratio axis of the coefficient plots: an interval past it is cut at the edge and marked.
CLIP = (0.2, 5.0)
_NICE_RATIOS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 5, 10, 20, 50)
