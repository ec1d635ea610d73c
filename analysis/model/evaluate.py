"""Tidy metric frames with bootstrap confidence intervals.

Metrics follow two conventions, both reported: scikit-learn's per-type, micro
and macro F1; and the example-based F1 of ConfliBERT (Hu et al. 2022), which
drops documents whose true and predicted label sets are both empty before
averaging ``2|T∩P| / (|T|+|P|)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve

from analysis.codebook import EVENT_TYPES


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return precision, recall, f1


def example_f1(y: np.ndarray, p: np.ndarray) -> float:
    """ConfliBERT's example-based F1: mean of 2|T∩P|/(|T|+|P|) over documents not empty in both.

    >>> example_f1(np.array([[1, 0], [0, 0], [1, 1]]), np.array([[1, 0], [0, 0], [1, 0]]))
    0.8333333333333333
    """
    inter = (y & p).sum(axis=1)
    size = y.sum(axis=1) + p.sum(axis=1)
    keep = size > 0
    return float(np.mean(2 * inter[keep] / size[keep])) if keep.any() else float("nan")


def _example_f1_weighted(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> np.ndarray:
    inter = (y & p).sum(axis=1)
    size = y.sum(axis=1) + p.sum(axis=1)
    keep = size > 0
    score = np.where(keep, 2 * inter / np.where(keep, size, 1), 0.0)
    wk = w[:, keep]
    return (wk @ score[keep]) / np.maximum(wk.sum(axis=1), 1)


def score_table(
    y: pd.DataFrame, pred: pd.DataFrame, *, n_bootstrap: int, seed: int, level: float = 0.95
) -> pd.DataFrame:
    """Per-type and aggregate scores with percentile bootstrap intervals over documents.

    Parameters
    ----------
    y, pred : DataFrame
        Boolean frames, one column per event type, same index (documents).
    n_bootstrap : int
        Bootstrap replicates (documents resampled with replacement).
    seed : int
        Seed of the resampling.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        One row per event type and for ``micro``, ``macro`` (all types), ``macro_measurable``
        (types with at least 10 positives here), ``example_based``. Columns ``event_type``,
        ``n_docs``, ``n_pos``, ``n_pred``, ``precision``, ``recall``, ``f1`` and, for each,
        ``_ci_lower`` / ``_ci_upper``.
    """
    yt = y[list(EVENT_TYPES)].to_numpy().astype(bool)
    pt = pred[list(EVENT_TYPES)].to_numpy().astype(bool)
    n = len(yt)
    rng = np.random.default_rng(seed)
    # replicate weights: how often each document is drawn in each replicate (plus the point estimate)
    w = np.vstack([np.ones(n), rng.multinomial(n, np.full(n, 1 / n), size=n_bootstrap)]) if n else np.ones((1, 0))
    tp, fp, fn = w @ (yt & pt), w @ (~yt & pt), w @ (yt & ~pt)
    p, r, f = _prf(tp, fp, fn)
    mp, mr, mf = _prf(tp.sum(axis=1), fp.sum(axis=1), fn.sum(axis=1))
    measurable = yt.sum(axis=0) >= 10
    ex = _example_f1_weighted(yt, pt, w)
    lo, hi = (1 - level) / 2 * 100, (1 + level) / 2 * 100

    def row(name: str, prec: np.ndarray, rec: np.ndarray, f1: np.ndarray, n_pos: int, n_pred: int) -> dict:
        out = {"event_type": name, "n_docs": n, "n_pos": n_pos, "n_pred": n_pred}
        for metric, values in (("precision", prec), ("recall", rec), ("f1", f1)):
            out[metric] = float(values[0])
            boot = values[1:]
            ok = boot[~np.isnan(boot)]
            out[f"{metric}_ci_lower"] = float(np.percentile(ok, lo)) if len(ok) else np.nan
            out[f"{metric}_ci_upper"] = float(np.percentile(ok, hi)) if len(ok) else np.nan
        return out

    rows = [
        row(t, p[:, j], r[:, j], f[:, j], int(yt[:, j].sum()), int(pt[:, j].sum())) for j, t in enumerate(EVENT_TYPES)
    ]
    rows.append(row("micro", mp, mr, mf, int(yt.sum()), int(pt.sum())))
    rows.append(row("macro", p.mean(axis=1), r.mean(axis=1), f.mean(axis=1), int(yt.sum()), int(pt.sum())))
    if measurable.any():
        sel = measurable
        rows.append(
            row(
                "macro_measurable",
                p[:, sel].mean(axis=1),
                r[:, sel].mean(axis=1),
                f[:, sel].mean(axis=1),
                int(yt[:, sel].sum()),
                int(pt[:, sel].sum()),
            )
        )
    nan = np.full(len(ex), np.nan)
    rows.append(row("example_based", nan, nan, ex, int(yt.sum()), int(pt.sum())))
    return pd.DataFrame(rows)


def majority_labels(train: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Label every document with the most frequent label set of the training data (majority baseline)."""
    sets = train[list(EVENT_TYPES)].astype(bool).apply(tuple, axis=1)
    top = sets.value_counts().sort_index().idxmax() if len(sets) else tuple(False for _ in EVENT_TYPES)
    return pd.DataFrame([list(top)] * len(index), index=index, columns=list(EVENT_TYPES))


def calibration_frame(y: pd.DataFrame, proba: pd.DataFrame, *, n_bins: int) -> pd.DataFrame:
    """Reliability curve pooled over types, and per type where there are positives.

    Returns
    -------
    DataFrame
        Columns ``event_type`` (or ``all``), ``mean_predicted``, ``fraction_positive``, ``n``
        (document-type pairs in the bin).
    """
    rows = []
    pairs = [
        ("all", y[list(EVENT_TYPES)].to_numpy().ravel(), proba[[f"p_{t}" for t in EVENT_TYPES]].to_numpy().ravel())
    ]
    pairs += [(t, y[t].to_numpy(), proba[f"p_{t}"].to_numpy()) for t in EVENT_TYPES if y[t].any()]
    for name, yt, pt in pairs:
        frac, mean = calibration_curve(yt.astype(int), pt, n_bins=n_bins, strategy="uniform")
        # bin the way calibration_curve does, and drop empty bins as it does
        counts = np.bincount(np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], pt), minlength=n_bins)
        counts = counts[counts > 0]
        rows += [
            {
                "event_type": name,
                "mean_predicted": round(float(m), 6),
                "fraction_positive": round(float(f), 6),
                "n": int(c),
            }
            for m, f, c in zip(mean, frac, counts, strict=True)
        ]
    return pd.DataFrame(rows)


def pr_curve_frame(y: pd.DataFrame, proba: pd.DataFrame) -> pd.DataFrame:
    """Precision-recall curve points per type (types with positives only).

    Returns
    -------
    DataFrame
        Columns ``event_type``, ``recall``, ``precision``, ``threshold``.
    """
    rows = []
    for t in EVENT_TYPES:
        if not y[t].any():
            continue
        precision, recall, thresholds = precision_recall_curve(y[t].astype(int), proba[f"p_{t}"])
        for pr, rc, th in zip(precision[:-1], recall[:-1], thresholds, strict=True):
            rows.append(
                {
                    "event_type": t,
                    "recall": round(float(rc), 6),
                    "precision": round(float(pr), 6),
                    "threshold": round(float(th), 6),
                }
            )
    return pd.DataFrame(rows)


def _measurable_macro_f1(yt: np.ndarray, pt: np.ndarray, w: np.ndarray, measurable: np.ndarray) -> np.ndarray:
    tp, fp, fn = w @ (yt & pt), w @ (~yt & pt), w @ (yt & ~pt)
    return _prf(tp, fp, fn)[2][:, measurable].mean(axis=1)


def macro_f1_difference(
    y: pd.DataFrame, pred_a: pd.DataFrame, pred_b: pd.DataFrame, *, n_bootstrap: int, seed: int, level: float = 0.95
) -> dict[str, float]:
    """Paired bootstrap of macro-F1(a) - macro-F1(b) over the types with >= 10 positives.

    Returns
    -------
    dict
        ``difference``, ``difference_ci_lower``, ``difference_ci_upper``, ``n_types``.
    """
    yt = y[list(EVENT_TYPES)].to_numpy().astype(bool)
    a = pred_a[list(EVENT_TYPES)].to_numpy().astype(bool)
    b = pred_b[list(EVENT_TYPES)].to_numpy().astype(bool)
    n = len(yt)
    measurable = yt.sum(axis=0) >= 10
    rng = np.random.default_rng(seed)
    w = np.vstack([np.ones(n), rng.multinomial(n, np.full(n, 1 / n), size=n_bootstrap)])
    diff = _measurable_macro_f1(yt, a, w, measurable) - _measurable_macro_f1(yt, b, w, measurable)
    lo, hi = (1 - level) / 2 * 100, (1 + level) / 2 * 100
    return {
        "difference": float(diff[0]),
        "difference_ci_lower": float(np.percentile(diff[1:], lo)),
        "difference_ci_upper": float(np.percentile(diff[1:], hi)),
        "n_types": int(measurable.sum()),
    }


def summary_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Pivot aggregate rows of a score table: one row per system and subset.

    Parameters
    ----------
    scores : DataFrame
        :func:`score_table` outputs stacked, with ``system`` and ``subset`` columns.

    Returns
    -------
    DataFrame
        Columns ``system``, ``subset``, ``n_docs``, and for ``micro``, ``macro``,
        ``macro_measurable`` and ``example_based``: ``<name>_f1``, ``<name>_f1_ci_lower``,
        ``<name>_f1_ci_upper``.
    """
    rows = []
    for (system, subset), part in scores.groupby(["system", "subset"], sort=False):
        part = part.set_index("event_type")
        row = {"system": system, "subset": subset, "n_docs": int(part["n_docs"].iloc[0])}
        for name in ("micro", "macro", "macro_measurable", "example_based"):
            if name in part.index:
                for suffix in ("", "_ci_lower", "_ci_upper"):
                    row[f"{name}_f1{suffix}"] = float(part.loc[name, f"f1{suffix}"])
        rows.append(row)
    return pd.DataFrame(rows)


def metrics_json(scores: pd.DataFrame) -> dict:
    """Flatten a score table for ``dvc metrics``: F1 per system and per type, on the whole split.

    Returns
    -------
    dict
        ``{system: {"macro_measurable_f1", "micro_f1", "example_f1", "per_type_f1": {...}}}``.
    """
    out: dict = {}
    full = scores[scores["subset"] == "all"]
    for system, part in full.groupby("system", sort=False):
        part = part.set_index("event_type")
        out[system] = {
            "macro_measurable_f1": round(float(part.loc["macro_measurable", "f1"]), 4),
            "micro_f1": round(float(part.loc["micro", "f1"]), 4),
            "example_f1": round(float(part.loc["example_based", "f1"]), 4),
            "per_type_f1": {t: round(float(part.loc[t, "f1"]), 4) for t in EVENT_TYPES},
        }
    return out


def _with_ci(frame: pd.DataFrame, metric: str) -> pd.Series:
    return frame.apply(
        lambda r: f"{r[metric]:.3f} [{r[f'{metric}_ci_lower']:.3f}, {r[f'{metric}_ci_upper']:.3f}]", axis=1
    )


def headline_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Aggregate F1 per system and subset, each as ``estimate [ci_lower, ci_upper]`` (for the README).

    Returns
    -------
    DataFrame
        Columns ``system``, ``subset``, ``n_docs``, ``macro_f1_types_10plus``, ``micro_f1``,
        ``example_based_f1``.
    """
    return pd.DataFrame(
        {
            "system": summary["system"],
            "subset": summary["subset"],
            "n_docs": summary["n_docs"],
            "macro_f1_types_10plus": _with_ci(summary, "macro_measurable_f1"),
            "micro_f1": _with_ci(summary, "micro_f1"),
            "example_based_f1": _with_ci(summary, "example_based_f1"),
        }
    )


def per_type_table(
    scores: pd.DataFrame, *, baselines: tuple[str, ...] = ("keyword_rules", "weak_labels")
) -> pd.DataFrame:
    """Per-type precision, recall and F1 of the classifier on the full split, beside the baselines' F1.

    Returns
    -------
    DataFrame
        Columns ``event_type``, ``n_pos``, ``precision``, ``recall``, ``f1`` (each
        ``estimate [ci_lower, ci_upper]``), then ``<baseline>_f1`` for each of ``baselines``.
    """
    full = scores[scores["subset"] == "all"]
    clf = full[full["system"] == "classifier"].set_index("event_type").loc[list(EVENT_TYPES)]
    out = pd.DataFrame(
        {
            "event_type": list(EVENT_TYPES),
            "n_pos": clf["n_pos"].to_numpy(),
            "precision": _with_ci(clf, "precision").to_numpy(),
            "recall": _with_ci(clf, "recall").to_numpy(),
            "f1": _with_ci(clf, "f1").to_numpy(),
        }
    )
    for name in baselines:
        f1 = full[full["system"] == name].set_index("event_type")["f1"]
        out[f"{name}_f1"] = f1.loc[list(EVENT_TYPES)].round(3).to_numpy()
    return out
