"""Check ``learning_curve`` (checks/dvc.yaml): dev scores against the gold training rounds, one round at a time."""

import json

import pandas as pd

from analysis import paths
from analysis.checks.learning_curve import curve, learning_curve
from analysis.io import write_table
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run
from analysis.study import style


def main() -> None:
    """Fit the linear model on each cumulative round of gold; score each on gold dev; draw the curve."""
    params, evaluate, seed = load_params("train"), load_params("evaluate"), load_params("base").seed
    table = curve(
        pd.read_parquet(paths.TRAIN_SET),
        pd.read_parquet(paths.DEV_SET),
        spec=params.spec(),
        label_model=json.loads(paths.LABEL_MODEL.read_text()),
        grid=threshold_grid(params.threshold_step),
        n_bootstrap=evaluate.n_bootstrap,
        seed=seed,
        level=evaluate.ci_level,
    )
    caption = "Dev scores of the linear model against the gold it learnt from, round by round (95% intervals)."
    write_table(paths.LEARNING_CURVE, table, caption=caption, float_format="{:.3f}")
    style.save(learning_curve(table), paths.FIG_LEARNING_CURVE)


if __name__ == "__main__":
    run(main)
