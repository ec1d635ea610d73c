"""Check ``supplement_on_dev`` (checks/dvc.yaml): the classifier with and without the train-only supplement."""

import json

import pandas as pd

from analysis import paths
from analysis.checks.supplement import supplement_on_dev
from analysis.codebook import EVENT_TYPES
from analysis.io import write_table
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Build both training sets as the features stage does, train both, score on gold dev only."""
    features, train = load_params("features"), load_params("train")
    table = supplement_on_dev(
        pd.read_parquet(paths.DOCUMENTS),
        pd.read_parquet(paths.GOLD),
        pd.read_parquet(paths.WEAK_LABELS, columns=["doc_id", *EVENT_TYPES]),
        pd.read_parquet(paths.DEV_SET),
        spec=train.spec(),
        label_model=json.loads(paths.LABEL_MODEL.read_text()),
        train_only_strata=load_params("gold").train_only_strata,
        weak_weight=features.weak_weight,
        max_weak=features.max_weak,
        min_dev_positives=10,  # the bar for a measurable type
        grid=threshold_grid(train.threshold_step),
        seed=load_params("base").seed,
        articles=load_params("acquire").of_kind("articles"),
    )
    caption = "The classifier trained with and without the train-only gold supplement, gold dev split."
    write_table(paths.SUPPLEMENT_ON_DEV, table, caption=caption, float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
