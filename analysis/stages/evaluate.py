"""Stage ``evaluate``: the classifier and its baselines on the held-out gold test split."""

import json

import pandas as pd

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.io import write_json, write_parquet, write_table
from analysis.labels import combine
from analysis.labels.functions import apply_lfs
from analysis.model import evaluate, persist
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Score model, weak labels, keyword rules and majority baseline with bootstrap intervals."""
    seed = load_params("base").seed
    params = load_params("evaluate")
    test = pd.read_parquet(paths.TEST_SET)
    train = pd.read_parquet(paths.TRAIN_SET)
    model = persist.load(paths.MODEL)
    proba = model.predict_proba(test["text"])
    systems = {
        "classifier": model.labels_from_proba(proba),
        "weak_labels": combine.weak_labels(
            apply_lfs(test["text"]), use=json.loads(paths.LABEL_MODEL.read_text())["voting_lfs"]
        ),
        "keyword_rules": combine.keyword_labels(test["text"]),
        # the round-1 gold train: the supplement was drawn by cues, so its label sets are no prior
        "majority": evaluate.majority_labels(
            train[train["source"].eq("gold") & ~train["stratum"].isin(load_params("gold").train_only_strata)],
            test.index,
        ),
    }
    scores = []
    for subset, mask in (("all", test["stratum"].notna()), ("random", test["stratum"].eq("random"))):
        for name, pred in systems.items():
            table = evaluate.score_table(
                test[mask], pred[mask], n_bootstrap=params.n_bootstrap, seed=seed, level=params.ci_level
            )
            scores.append(table.assign(system=name, subset=subset))
    scores = pd.concat(scores, ignore_index=True)
    scores = scores[["system", "subset", *[c for c in scores.columns if c not in ("system", "subset")]]]
    summary = evaluate.summary_table(scores)
    gain = evaluate.macro_f1_difference(
        test, systems["classifier"], systems["keyword_rules"], n_bootstrap=params.n_bootstrap, seed=seed
    )
    write_table(
        paths.CLASSIFIER_SCORES,
        scores,
        caption="Per-type scores on the gold test split (95% bootstrap intervals).",
        float_format="{:.3f}",
    )
    write_table(
        paths.CLASSIFIER_SUMMARY,
        summary,
        caption="Aggregate F1 on the gold test split (95% bootstrap intervals).",
        float_format="{:.3f}",
    )
    write_table(
        paths.CLASSIFIER_HEADLINE, evaluate.headline_table(summary), caption="Aggregate F1 on the gold test split."
    )
    write_table(
        paths.CLASSIFIER_PER_TYPE,
        evaluate.per_type_table(scores),
        caption="Classifier per event type on the gold test split.",
        float_format="{:.3f}",
    )
    predictions = pd.concat([test[["doc_id", "stratum", *EVENT_TYPES]], proba.round(6)], axis=1)
    write_parquet(paths.TEST_PREDICTIONS, predictions)
    write_plot_data(test, proba, bins=params.calibration_bins)
    write_json(paths.CLASSIFIER_METRICS, evaluate.metrics_json(scores, gain=gain))


def write_plot_data(test: pd.DataFrame, proba: pd.DataFrame, *, bins: int) -> None:
    """Write the calibration and precision-recall curve data DVC plots render."""
    from analysis.io import write_csv

    write_csv(paths.CALIBRATION_CURVE, evaluate.calibration_frame(test, proba, n_bins=bins))
    write_csv(paths.PR_CURVE, evaluate.pr_curve_frame(test, proba))


if __name__ == "__main__":
    run(main)
