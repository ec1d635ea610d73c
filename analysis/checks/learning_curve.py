"""Check ``learning_curve``: would another gold round pay? Dev scores against the gold the model learnt from.

The gold training documents are added round by round, in the order they were annotated
(:data:`ROUNDS`): round 1's training part, the territorial supplement, then each
active-learning round. At each step the linear model is fitted on the weak and out-of-domain
rows plus that much gold, and scored on the same gold dev split (332 documents, thresholds
cross-fitted on its halves): macro-F1 over the types with 10 or more dev positives, macro
average precision, and ``clash`` recall and precision, with 95% intervals. The weak rows are
the same at every step (their labels come from the current label model), so the curve
measures the gold alone. The test split is never read.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analysis.model import scoring
from analysis.model.classifier import EventClassifier
from analysis.stats import wilson_interval

log = logging.getLogger(__name__)

#: The gold training strata, in the order their rounds were annotated (annotations/README.md).
ROUNDS = (
    ("round 1", ("random", "enriched_rare", "enriched_siege")),
    ("supplement", ("supplement_territory",)),
    ("active 1", ("active_1",)),
    ("active 2", ("active_2",)),
)


def steps(train: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Return the training sets of the curve: every non-gold row, plus the gold of the rounds so far.

    Returns
    -------
    list of tuple
        ``(step name, training set)`` per round present in ``train``, cumulative.
    """
    gold = train["source"] == "gold"
    out, strata = [], []
    for name, members in ROUNDS:
        if not train.loc[gold, "stratum"].isin(members).any():
            continue
        strata += members
        out.append((name, train[~gold | train["stratum"].isin(strata)].reset_index(drop=True)))
    return out


def curve(
    train: pd.DataFrame,
    dev: pd.DataFrame,
    *,
    spec,
    label_model: dict,
    grid: np.ndarray,
    n_bootstrap: int,
    seed: int,
    level: float,
) -> pd.DataFrame:
    """Fit and score one linear model per step of :func:`steps`.

    Returns
    -------
    DataFrame
        ``step``, ``n_gold_train``, ``macro_f1``, ``macro_f1_ci_lower``, ``macro_f1_ci_upper``,
        ``macro_ap``, ``clash_recall``, ``clash_recall_ci_lower``, ``clash_recall_ci_upper``,
        ``clash_precision``, ``n_clash_dev`` and ``n_dev_docs``, one row per step.
    """
    rows = []
    for name, frame in steps(train):
        model = EventClassifier(spec, seed=seed).fit(
            frame["text"], frame, sample_weight=frame["weight"].to_numpy(), label_model=label_model
        )
        proba = model.predict_proba(dev["text"]).reset_index(drop=True)
        result, macro = scoring.classifier_dev_scores(
            model, dev, proba, label_model=label_model, grid=grid, n_bootstrap=n_bootstrap, seed=seed, level=level
        )
        truth = dev["clash"].to_numpy(dtype=bool)
        predicted = result["systems"]["classifier"]["clash"].to_numpy(dtype=bool)
        hits = int((truth & predicted).sum())
        low, high = wilson_interval(np.array([hits]), np.array([int(truth.sum())]), level=level)
        rows.append(
            {
                "step": name,
                "n_gold_train": int((frame["source"] == "gold").sum()),
                "macro_f1": macro.loc["macro_measurable", "f1"],
                "macro_f1_ci_lower": macro.loc["macro_measurable", "f1_ci_lower"],
                "macro_f1_ci_upper": macro.loc["macro_measurable", "f1_ci_upper"],
                "macro_ap": result["average_precision"]["macro"],
                "clash_recall": hits / max(int(truth.sum()), 1),
                "clash_recall_ci_lower": float(low[0]),
                "clash_recall_ci_upper": float(high[0]),
                "clash_precision": hits / max(int(predicted.sum()), 1),
                "n_clash_dev": int(truth.sum()),
                "n_dev_docs": len(dev),
            }
        )
        log.info("learning curve %s: %d gold, dev macro-F1 %.3f", name, rows[-1]["n_gold_train"], rows[-1]["macro_f1"])
    return pd.DataFrame(rows)


def learning_curve(table: pd.DataFrame):
    """Draw dev macro-F1 and ``clash`` recall against the gold the model learnt from, with 95% intervals.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from analysis.study.style import DOUBLE, paper_style

    n_dev, n_clash = int(table["n_dev_docs"].iloc[0]), int(table["n_clash_dev"].iloc[0])
    panels = (
        ("macro_f1", "dev macro-F1 (types with 10+ positives)"),
        ("clash_recall", f"dev clash recall ({n_clash} positives)"),
    )
    with paper_style():
        fig, axes = plt.subplots(1, 2, figsize=(DOUBLE, 2.6), sharex=True, layout="constrained")
        x = table["n_gold_train"].to_numpy()
        for ax, (column, title) in zip(axes, panels, strict=True):
            y = table[column].to_numpy()
            err = np.vstack([y - table[f"{column}_ci_lower"], table[f"{column}_ci_upper"] - y])
            ax.errorbar(x, y, yerr=err, marker="o", capsize=3)
            for i, (xi, yi, name) in enumerate(zip(x, y, table["step"], strict=True)):
                ax.annotate(name, (xi, yi), textcoords="offset points", xytext=(5, 6 if i % 2 else -11), fontsize=7)
            ax.set_title(title)
            ax.set_xlabel("gold training documents")
            ax.set_xlim(0, x.max() * 1.15)
        axes[0].set_ylabel("score, 95% interval")
        fig.suptitle(f"Gold added round by round; every point scored on the same gold dev split ({n_dev} documents)")
    return fig
