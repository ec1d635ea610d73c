"""Stage ``train``: fit the model family (``train.family``), tune per-type thresholds on dev, refit on both."""

import json

import pandas as pd

from analysis import paths
from analysis.io import write_parquet, write_table
from analysis.model import persist
from analysis.model.families import train_model
from analysis.model.teacher import committed_teachers
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Fit, tune thresholds on the gold dev split, refit on train + dev (``train.refit_on_dev``), save securely."""
    params = load_params("train")
    spec = params.spec()
    model, thresholds, dev_proba, training_labels = train_model(
        pd.read_parquet(paths.TRAIN_SET),
        pd.read_parquet(paths.DEV_SET),
        spec=spec,
        label_model=json.loads(paths.LABEL_MODEL.read_text()),
        grid=threshold_grid(params.threshold_step),
        refit_on_dev=params.refit_on_dev,
        seed=load_params("base").seed,
        n_jobs=params.n_jobs,
        teachers=committed_teachers(spec, params.teacher, paths.TEACHER_LABELS),
    )
    persist.save(paths.MODEL, model)
    write_parquet(paths.TRAINING_LABELS, training_labels)
    write_parquet(paths.DEV_PREDICTIONS, dev_proba)
    write_table(
        paths.THRESHOLDS,
        thresholds,
        caption="Decision thresholds tuned on the dev split (rules: the type backs off to the weak-label rules).",
        float_format="{:.3f}",
    )
    write_table(
        paths.TOP_FEATURES,
        model.top_features(n=load_params("evaluate").top_features),
        caption="Features with the largest weights per event type.",
        float_format="{:.3f}",
    )


if __name__ == "__main__":
    run(main)
