"""The classifier and its baselines scored on a gold split: dev while choosing, the frozen test set once.

Dev is where every choice is made, and where the thresholds were tuned, so the dev scores
use the train-only model's probabilities at thresholds cross-fitted on halves of dev
(:func:`analysis.model.thresholds.cross_fitted_predictions`), plus average precision, which
needs no threshold. The test scores (:func:`test_evaluation`) use the saved model as it
stands, with its thresholds; they go to files of their own, read once, at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from analysis.codebook import EVENT_TYPES
from analysis.labels.actors import actors_of
from analysis.labels.combine import apply_label_model, keyword_labels
from analysis.labels.functions import apply_lfs
from analysis.model import evaluate
from analysis.model.thresholds import cross_fitted_predictions

#: What the study asks of the instrument (docs/results.md), checked on the frozen test set.
TARGETS = {
    "macro_f1_types_10plus": 0.88,
    "every_type_10plus": 0.80,
    "points_over_keyword_rules": 8.0,
    "ood_false_alarm_rate_at_most": 0.03,
    "behaviour_pass_rate": 0.97,
}


def baselines(texts: pd.Series, *, label_model: dict) -> dict[str, pd.DataFrame]:
    """Return the rules as systems: the weak labels (the label model) and the keyword rules (strong cues alone).

    Returns
    -------
    dict of str to DataFrame
        ``weak_labels`` and ``keyword_rules``: one boolean column per type, index of ``texts``.
    """
    return {
        "weak_labels": apply_label_model(apply_lfs(texts, actors_of(label_model)), label_model),
        "keyword_rules": keyword_labels(texts),
    }


def score_systems(
    gold: pd.DataFrame, systems: dict[str, pd.DataFrame], *, n_bootstrap: int, seed: int, level: float
) -> pd.DataFrame:
    """Score every system on the whole split and on each collection (:func:`analysis.model.evaluate.score_table`).

    Returns
    -------
    DataFrame
        ``system``, ``subset`` (``all`` or a collection), then the score table's columns.
    """
    subsets = [("all", pd.Series(True, index=gold.index))]
    subsets += [(c, gold["collection"].eq(c)) for c in sorted(gold["collection"].unique())]
    frames = []
    for subset, mask in subsets:
        for name, pred in systems.items():
            table = evaluate.score_table(gold[mask], pred[mask], n_bootstrap=n_bootstrap, seed=seed, level=level)
            frames.append(table.assign(system=name, subset=subset))
    scores = pd.concat(frames, ignore_index=True)
    return scores[["system", "subset", *[c for c in scores.columns if c not in ("system", "subset")]]]


def dev_evaluation(
    dev: pd.DataFrame,
    proba: pd.DataFrame,
    *,
    learned: list[str],
    label_model: dict,
    grid: np.ndarray,
    n_bootstrap: int,
    seed: int,
    level: float,
) -> dict:
    """Score the classifier (cross-fitted thresholds) and the rules on gold dev.

    Parameters
    ----------
    dev : DataFrame
        The gold dev set (:data:`analysis.model.datasets.SET_COLUMNS`).
    proba : DataFrame
        The train-only model's ``p_<type>`` on dev, same index (the train stage's dev predictions).
    learned : list of str
        The types with a learned model (the others' probabilities are the rules' 0/1 votes).

    Returns
    -------
    dict
        ``scores`` (:func:`score_systems`), ``summary`` (:func:`analysis.model.evaluate.summary_table`),
        ``average_precision`` (per learned type, and ``macro`` over those with 10 or more dev
        positives), and ``systems`` (the predicted labels).
    """
    systems = {
        "classifier": cross_fitted_predictions(proba, dev[list(EVENT_TYPES)], types=learned, grid=grid, seed=seed),
        **baselines(dev["text"], label_model=label_model),
    }
    scores = score_systems(dev, systems, n_bootstrap=n_bootstrap, seed=seed, level=level)
    ap = {t: float(average_precision_score(dev[t], proba[f"p_{t}"])) for t in learned if dev[t].any()}
    measurable = [t for t in ap if dev[t].sum() >= 10]
    ap["macro"] = float(np.mean([ap[t] for t in measurable])) if measurable else float("nan")
    return {"scores": scores, "summary": evaluate.summary_table(scores), "average_precision": ap, "systems": systems}


def classifier_dev_scores(
    model, dev: pd.DataFrame, proba: pd.DataFrame, *, label_model: dict, **scoring
) -> tuple[dict, pd.DataFrame]:
    """Run :func:`dev_evaluation` for a fitted model and keep the classifier's scores over all dev.

    ``scoring``: ``grid``, ``n_bootstrap``, ``seed`` and ``level``, as :func:`dev_evaluation`.

    Returns
    -------
    tuple
        :func:`dev_evaluation`'s dict, and the classifier's rows of its ``scores`` on the
        ``all`` subset, indexed by ``event_type`` (``macro_measurable`` among them).
    """
    result = dev_evaluation(
        dev.reset_index(drop=True),
        proba.reset_index(drop=True),
        learned=model.learned_types(),
        label_model=label_model,
        **scoring,
    )
    scores = result["scores"]
    return result, scores[(scores["system"] == "classifier") & (scores["subset"] == "all")].set_index("event_type")


def test_evaluation(
    test: pd.DataFrame,
    systems: dict[str, pd.DataFrame],
    proba: pd.DataFrame,
    *,
    baselines_compared: tuple[str, ...],
    n_bootstrap: int,
    calibration_bins: int,
    seed: int,
    level: float,
) -> dict:
    """Score every system on the frozen test set, with the classifier's margin over each compared baseline.

    Returns
    -------
    dict
        ``scores``, ``summary``, ``headline``, ``per_type`` (frames of
        :mod:`analysis.model.evaluate`), ``calibration`` (the classifier's reliability curve),
        ``metrics`` (:func:`analysis.model.evaluate.metrics_json` plus ``classifier_minus``:
        the paired-bootstrap macro-F1 difference to each of ``baselines_compared``) and
        ``gains`` (those differences).
    """
    scores = score_systems(test, systems, n_bootstrap=n_bootstrap, seed=seed, level=level)
    summary = evaluate.summary_table(scores)
    gains = {
        name: evaluate.macro_f1_difference(
            test, systems["classifier"], systems[name], n_bootstrap=n_bootstrap, seed=seed, level=level
        )
        for name in baselines_compared
    }
    metrics = evaluate.metrics_json(scores)
    metrics["classifier_minus"] = {k: {m: _round(v) for m, v in g.items()} for k, g in gains.items()}
    return {
        "scores": scores,
        "summary": summary,
        "headline": evaluate.headline_table(summary),
        "per_type": evaluate.per_type_table(scores, baselines=baselines_compared),
        "calibration": evaluate.calibration_frame(test, proba, n_bins=calibration_bins),
        "metrics": metrics,
        "gains": gains,
    }


def _round(value: object) -> object:
    return round(value, 4) if isinstance(value, float) else value


def majority_baseline(train: pd.DataFrame, index: pd.Index, *, strata: tuple[str, ...]) -> pd.DataFrame:
    """Label every document with the majority label set of gold train's round-1 documents.

    The supplement, drawn by cues, is no prior, and neither are the weak labels.
    """
    gold_train = train[train["source"].eq("gold") & train["stratum"].isin(strata)]
    return evaluate.majority_labels(gold_train, index)


def targets(test_scores: pd.DataFrame, gain: dict, *, ood_rate: float, behaviour_rate: float) -> dict:
    """Where the instrument stands against :data:`TARGETS` on the frozen test set.

    Returns
    -------
    dict
        Per target: the value, the bar and whether it is met; the per-type check lists the
        measurable types below the bar.
    """
    whole = test_scores[test_scores["subset"] == "all"]
    clf = whole[whole["system"] == "classifier"].set_index("event_type")
    measurable = [t for t in EVENT_TYPES if clf.loc[t, "n_pos"] >= 10]
    below = [t for t in measurable if clf.loc[t, "f1"] < TARGETS["every_type_10plus"]]
    points = 100 * gain["difference"]
    return {
        "macro_f1_types_10plus": {
            "value": round(float(clf.loc["macro_measurable", "f1"]), 4),
            "at_least": TARGETS["macro_f1_types_10plus"],
            "met": bool(clf.loc["macro_measurable", "f1"] >= TARGETS["macro_f1_types_10plus"]),
        },
        "every_type_10plus": {
            "types": measurable,
            "below": below,
            "at_least": TARGETS["every_type_10plus"],
            "met": not below,
        },
        "points_over_keyword_rules": {
            "value": round(points, 2),
            "at_least": TARGETS["points_over_keyword_rules"],
            "met": bool(points >= TARGETS["points_over_keyword_rules"]),
        },
        "ood_false_alarm_rate": {
            "value": round(ood_rate, 4),
            "at_most": TARGETS["ood_false_alarm_rate_at_most"],
            "met": bool(ood_rate <= TARGETS["ood_false_alarm_rate_at_most"]),
        },
        "behaviour_pass_rate": {
            "value": round(behaviour_rate, 4),
            "at_least": TARGETS["behaviour_pass_rate"],
            "met": bool(behaviour_rate >= TARGETS["behaviour_pass_rate"]),
        },
    }
