"""Stage ``supplement_on_dev``: the classifier with and without the train-only gold supplement, on gold dev."""

import json

import pandas as pd

from analysis import evaluate, paths
from analysis.io import write_table
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Score both variants on the gold dev split only; the test split is never read."""
    train, dev = pd.read_parquet(paths.TRAIN_SET), pd.read_parquet(paths.DEV_SET)
    table = evaluate.supplement_on_dev(
        train,
        dev,
        spec=load_params("train").spec(),
        voting_lfs=json.loads(paths.LABEL_MODEL.read_text())["voting_lfs"],
        train_only_strata=load_params("gold").train_only_strata,
        min_dev_positives=10,  # the bar for a measurable type
        seed=load_params("base").seed,
    )
    write_table(
        paths.SUPPLEMENT_ON_DEV,
        table,
        caption="The classifier trained with and without the train-only gold supplement, gold dev split.",
        float_format="{:.3f}",
    )


if __name__ == "__main__":
    run(main)
