"""Stage ``score_test``: the frozen test set, scored once at the end (docs/decisions.md logs every scoring).

Its scores go to files of their own and are no DVC metric, so `dvc metrics diff` never shows them
while variants are compared on dev.
"""

import json

import pandas as pd

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.io import write_csv, write_json, write_parquet, write_table
from analysis.model import ood, persist, scoring
from analysis.params import SPLIT_STRATA, load_params
from analysis.stages._common import run

TABLES = {  # result name -> (path, caption)
    "scores": (paths.CLASSIFIER_SCORES, "Per-type scores on the frozen test set (95% bootstrap intervals)."),
    "summary": (paths.CLASSIFIER_SUMMARY, "Aggregate F1 on the frozen test set."),
    "headline": (paths.CLASSIFIER_HEADLINE, "Aggregate F1 on the frozen test set."),
    "per_type": (paths.CLASSIFIER_PER_TYPE, "Classifier per event type on the frozen test set."),
}


def main() -> None:
    """Score the classifier, the rules, the model before 2026-12-04 and the majority baseline; out-of-domain test."""
    params, seed = load_params("evaluate"), load_params("base").seed
    test, train = pd.read_parquet(paths.TEST_SET), pd.read_parquet(paths.TRAIN_SET)
    model, label_model = persist.load(paths.MODEL), json.loads(paths.LABEL_MODEL.read_text())
    proba = model.predict_proba(test["text"])
    old = pd.read_csv(paths.OLD_MODEL_TEST_PREDICTIONS).set_index("doc_id").loc[test["doc_id"]].astype(bool)
    old = old.reindex(columns=list(EVENT_TYPES), fill_value=False)  # a type added since: never predicted by it
    systems = {
        "classifier": model.labels_from_proba(proba),
        **scoring.baselines(test["text"], label_model=label_model),
        "old_model": old.set_index(test.index),
        "majority": scoring.majority_baseline(train, test.index, strata=SPLIT_STRATA),
    }
    kwargs = {"n_bootstrap": params.n_bootstrap, "calibration_bins": params.calibration_bins, "level": params.ci_level}
    result = scoring.test_evaluation(
        test, systems, proba, baselines_compared=("keyword_rules", "weak_labels", "old_model"), seed=seed, **kwargs
    )
    for name, (stem, caption) in TABLES.items():
        write_table(stem, result[name], caption=caption, float_format="{:.3f}")
    write_parquet(
        paths.TEST_PREDICTIONS, pd.concat([test[["doc_id", "stratum", *EVENT_TYPES]], proba.round(6)], axis=1)
    )
    write_csv(paths.CALIBRATION_CURVE, result["calibration"])
    negatives = ood.read_negatives(paths.OOD_RAW, tasks=load_params("ood").tasks, split="test")
    alarms = ood.false_alarms(negatives, model.predict(negatives["text"]), level=params.ci_level)
    write_table(
        paths.OOD_TEST, alarms, caption="Out-of-domain news given a military type (test).", float_format="{:.3f}"
    )
    ood_rate = float(alarms.set_index("task").loc["all", "false_alarm_rate"])
    behaviour_rate = json.loads(paths.BEHAVIOUR_METRICS.read_text())["pass_rate"]
    metrics = {**result["metrics"], "ood_false_alarm_rate": round(ood_rate, 4)}
    metrics["targets"] = scoring.targets(
        result["scores"], result["gains"]["keyword_rules"], ood_rate=ood_rate, behaviour_rate=behaviour_rate
    )
    write_json(paths.TEST_METRICS, metrics)


if __name__ == "__main__":
    run(main)
