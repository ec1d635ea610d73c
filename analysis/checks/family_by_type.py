"""Check ``family_by_type``: each type's model family, chosen by grouped cross-validation over train and dev.

Dev alone (a few hundred documents) cannot tell the families apart per type: its intervals
are as wide as the differences. Here every gold document of train and dev is predicted once
by models that did not see its text group (``k`` folds by text group), so each type is judged
on every gold positive it has. The weak and out-of-domain rows train every fold; the test
split is never read.

Per fold, one encoder is fine-tuned; it is the ``encoder`` family and the teacher of the
``distilled`` one (its weak rows relabelled at the teacher's default cut of 0.5, since no
fold has a dev split of its own to tune it on).

The rule (``docs/decisions.md``, written before the table was read) is
:func:`choose_families`.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from analysis.codebook import EVENT_TYPES
from analysis.model.classifier import EventClassifier
from analysis.model.crossfit import fold_of
from analysis.model.families import EncoderClassifier
from analysis.model.teacher import distilled_labels, taught_by
from analysis.model.thresholds import cross_fitted_f1

log = logging.getLogger(__name__)

CANDIDATES = ("linear", "encoder", "distilled")


def gold_folds(text_groups: pd.Series, *, k: int, seed: int) -> pd.Series:
    """Fold (0..k-1) of each gold row: a seeded hash of its text group, so a group never spans folds."""
    return fold_of(text_groups.astype(str), folds=k, seed=seed).astype(int)  # the cross-fitting's own hash


def out_of_fold(
    pool: pd.DataFrame, folds: pd.Series, *, spec, label_model: dict, seed: int, families=CANDIDATES
) -> pd.DataFrame:
    """Predict every gold row of ``pool`` by each family fitted without its fold.

    Parameters
    ----------
    pool : DataFrame
        The training rows of train and dev (``source`` gold, weak or ood; ``text``, ``weight``
        and one label column per type), as the features stage writes them.
    folds : Series
        The fold of each gold row, aligned with ``pool`` (NaN for the other rows).

    Returns
    -------
    DataFrame
        ``doc_id``, ``fold``, ``family`` and one ``p_<type>`` column per type, one row per gold
        row and family.
    """
    out = []
    for fold in sorted(folds.dropna().unique()):
        held = (folds == fold).to_numpy()
        frame, test = pool[~held].reset_index(drop=True), pool[held].reset_index(drop=True)
        fit = {"sample_weight": frame["weight"].to_numpy(), "label_model": label_model}
        models = {}
        if "linear" in families:
            models["linear"] = EventClassifier(spec, seed=seed).fit(frame["text"], frame, **fit)
        if "encoder" in families or "distilled" in families:
            teacher = EncoderClassifier(spec, seed=seed).fit(frame["text"], frame, **fit)
            models["encoder"] = teacher
            if "distilled" in families:
                taught = distilled_labels(frame, taught_by(teacher, frame, fit=f"fold_{int(fold)}"), EVENT_TYPES)
                models["distilled"] = EventClassifier(spec, seed=seed).fit(taught["text"], taught, **fit)
        for name in families:
            proba = models[name].predict_proba(test["text"]).round(6)
            out.append(pd.concat([test[["doc_id"]].assign(fold=int(fold), family=name), proba], axis=1))
        log.info("fold %d of %d: %d held-out gold documents", int(fold) + 1, int(folds.max()) + 1, int(held.sum()))
    return pd.concat(out, ignore_index=True)


def per_type_scores(
    oof: pd.DataFrame, gold: pd.DataFrame, *, grid: np.ndarray, n_bootstrap: int, seed: int, level: float
) -> pd.DataFrame:
    """Out-of-fold average precision and F1 per family and type, with paired bootstrap intervals.

    Parameters
    ----------
    oof : DataFrame
        :func:`out_of_fold`'s output.
    gold : DataFrame
        ``doc_id`` and one boolean column per type.

    Returns
    -------
    DataFrame
        ``family``, ``event_type``, ``n_docs``, ``n_pos``, ``ap``, ``ap_ci_lower``, ``ap_ci_upper``,
        ``ap_difference`` (against linear, on the same resamples), ``ap_difference_ci_lower``,
        ``ap_difference_ci_upper`` and ``f1`` (at thresholds cross-fitted on halves of the gold).
    """
    truth = gold.set_index("doc_id")
    wide = {name: part.set_index("doc_id").loc[truth.index] for name, part in oof.groupby("family")}
    rng = np.random.default_rng(seed)
    n = len(truth)
    draws = [rng.integers(0, n, n) for _ in range(n_bootstrap)]
    alpha = (1 - level) / 2
    rows = []
    for t in EVENT_TYPES:
        y = truth[t].to_numpy(dtype=bool)
        if y.sum() == 0:
            continue
        proba = {name: frame[f"p_{t}"].to_numpy() for name, frame in wide.items()}
        boot = {name: np.array([_ap(y[i], p[i]) for i in draws]) for name, p in proba.items()}
        ap = {name: _ap(y, p) for name, p in proba.items()}
        for name, p in proba.items():
            diff = boot[name] - boot["linear"] if "linear" in boot else np.full(len(draws), np.nan)
            rows.append(
                {
                    "family": name,
                    "event_type": t,
                    "n_docs": n,
                    "n_pos": int(y.sum()),
                    "ap": ap[name],
                    "ap_ci_lower": np.nanquantile(boot[name], alpha),
                    "ap_ci_upper": np.nanquantile(boot[name], 1 - alpha),
                    "ap_difference": ap[name] - ap["linear"],
                    "ap_difference_ci_lower": np.nanquantile(diff, alpha),
                    "ap_difference_ci_upper": np.nanquantile(diff, 1 - alpha),
                    "f1": cross_fitted_f1(p, y, grid=grid, repeats=5, seed=seed),
                }
            )
    return pd.DataFrame(rows)


def _ap(y: np.ndarray, p: np.ndarray) -> float:
    return float(average_precision_score(y, p)) if y.any() else float("nan")


def choose_families(scores: pd.DataFrame, *, min_positives: int, margin: float) -> pd.DataFrame:
    """Apply the rule: per type, the family with the best out-of-fold AP, if it clearly beats linear.

    A family replaces ``linear`` for a type only when the type has ``min_positives`` gold
    positives or more, the family's AP exceeds linear's by more than ``margin``, and the
    paired bootstrap interval of the difference lies above 0. Between ``encoder`` and
    ``distilled`` within ``margin`` of each other, ``distilled`` (it predicts at linear's
    speed). Every other type keeps ``linear``.

    Returns
    -------
    DataFrame
        ``event_type``, ``family`` (chosen), ``n_pos``, ``ap_linear``, ``ap_chosen`` and
        ``reason``, in codebook order.
    """
    rows = []
    for t, part in scores.groupby("event_type", sort=False):
        by = part.set_index("family")
        linear_ap = float(by.loc["linear", "ap"])
        n_pos = int(by["n_pos"].iloc[0])
        better = by[(by["ap_difference"] > margin) & (by["ap_difference_ci_lower"] > 0)]
        if n_pos < min_positives or better.empty:
            reason = (
                f"fewer than {min_positives} positives" if n_pos < min_positives else "no family clearly beats linear"
            )
            rows.append(
                {
                    "event_type": t,
                    "family": "linear",
                    "n_pos": n_pos,
                    "ap_linear": linear_ap,
                    "ap_chosen": linear_ap,
                    "reason": reason,
                }
            )
            continue
        best = better["ap"].idxmax()
        if (
            best == "encoder"
            and "distilled" in better.index
            and better.loc["encoder", "ap"] - better.loc["distilled", "ap"] <= margin
        ):
            best = "distilled"
        rows.append(
            {
                "event_type": t,
                "family": best,
                "n_pos": n_pos,
                "ap_linear": linear_ap,
                "ap_chosen": float(by.loc[best, "ap"]),
                "reason": f"AP above linear's by more than {margin}",
            }
        )
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    return pd.DataFrame(rows).sort_values("event_type", key=lambda s: s.map(order), ignore_index=True)
