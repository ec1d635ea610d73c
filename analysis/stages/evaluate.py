"""Stage ``evaluate``: the classifier and the rules on gold dev, where every choice is made; out-of-domain on dev."""

import json

import pandas as pd

from analysis import paths
from analysis.io import write_csv, write_json, write_table
from analysis.labels.actors import actors_of
from analysis.labels.functions import apply_lfs
from analysis.model import diagnostics, evaluate, ood, persist, scoring
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Score on dev with cross-fitted thresholds; count errors by cue family; count out-of-domain false alarms."""
    params, seed = load_params("evaluate"), load_params("base").seed
    dev = pd.read_parquet(paths.DEV_SET)
    proba = pd.read_parquet(paths.DEV_PREDICTIONS).drop(columns="doc_id")
    model, label_model = persist.load(paths.MODEL), json.loads(paths.LABEL_MODEL.read_text())
    result = scoring.dev_evaluation(
        dev,
        proba,
        learned=model.learned_types(),
        label_model=label_model,
        grid=threshold_grid(load_params("train").threshold_step),
        n_bootstrap=params.n_bootstrap,
        seed=seed,
        level=params.ci_level,
    )
    caption = "Per-type scores on the gold dev split (cross-fitted thresholds; 95% bootstrap intervals)."
    write_table(paths.CLASSIFIER_DEV_SCORES, result["scores"], caption=caption, float_format="{:.3f}")
    caption = "Aggregate F1 on the gold dev split."
    write_table(paths.CLASSIFIER_DEV_SUMMARY, result["summary"], caption=caption, float_format="{:.3f}")
    errors = diagnostics.error_analysis(
        dev,
        apply_lfs(dev["text"], actors_of(label_model)),
        {k: result["systems"][k] for k in ("weak_labels", "classifier")},
    )
    write_table(paths.ERROR_ANALYSIS, errors, caption="Errors on gold dev by type and cue family.")
    negatives = ood.read_negatives(paths.OOD_RAW, tasks=load_params("ood").tasks, split="dev")
    alarms = ood.false_alarms(negatives, model.predict(negatives["text"]), level=params.ci_level)
    write_table(
        paths.OOD_DEV, alarms, caption="Out-of-domain news given a military type (dev splits).", float_format="{:.3f}"
    )
    write_csv(paths.CALIBRATION_DEV, evaluate.calibration_frame(dev, proba, n_bins=params.calibration_bins))
    write_csv(paths.PR_CURVE_DEV, evaluate.pr_curve_frame(dev, proba))
    metrics = evaluate.metrics_json(result["scores"])
    metrics["classifier"]["average_precision"] = {k: round(v, 4) for k, v in result["average_precision"].items()}
    metrics["ood_false_alarm_rate"] = round(float(alarms.set_index("task").loc["all", "false_alarm_rate"]), 4)
    write_json(paths.CLASSIFIER_METRICS, metrics)


if __name__ == "__main__":
    run(main)
