"""Stage ``refit_on_dev``: does refitting on train + dev help? Checked on halves of gold dev."""

import json

import pandas as pd

from analysis import comparison, paths
from analysis.io import write_table
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Score each half of dev with the train-only model and with one refitted on the other half."""
    params = load_params("train")
    table = comparison.refit_on_dev(
        pd.read_parquet(paths.TRAIN_SET),
        pd.read_parquet(paths.DEV_SET),
        pd.read_parquet(paths.GOLD, columns=["doc_id", "text_group"]),
        spec=params.spec(),
        voting_lfs=json.loads(paths.LABEL_MODEL.read_text())["voting_lfs"],
        grid=params.threshold_grid(),  # the train stage's
        min_dev_positives=10,  # the bar for a measurable type
        repeats=3,
        seed=load_params("base").seed,
    )
    write_table(
        paths.REFIT_ON_DEV,
        table,
        caption=(
            "The train-only classifier and one refitted on train plus half of dev; each half of dev scored in turn."
        ),
        float_format="{:.3f}",
    )


if __name__ == "__main__":
    run(main)
