"""Stage ``train``: fit the classifier on the training set, tune per-type thresholds on dev."""

import json

import numpy as np
import pandas as pd

from analysis import paths, persist
from analysis.io import write_table
from analysis.model import EventClassifier
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Fit, tune thresholds on the gold dev split, and save the model with skops."""
    seed = load_params("base").seed
    params = load_params("train")
    train = pd.read_parquet(paths.TRAIN_SET)
    dev = pd.read_parquet(paths.DEV_SET)
    voting_lfs = json.loads(paths.LABEL_MODEL.read_text())["voting_lfs"]
    model = EventClassifier(params.spec(), seed=seed).fit(
        train["text"], train, sample_weight=train["weight"].to_numpy(), voting_lfs=voting_lfs
    )
    grid = np.round(np.arange(0.05, 0.95 + 1e-9, params.threshold_step), 4)
    thresholds = model.tune_thresholds(model.predict_proba(dev["text"]), dev, grid=grid)
    persist.save(paths.MODEL, model)
    write_table(
        paths.THRESHOLDS, thresholds, caption="Decision thresholds tuned on the dev split.", float_format="{:.3f}"
    )
    write_table(
        paths.TOP_FEATURES,
        model.top_features(n=load_params("evaluate").top_features),
        caption="Features with the largest weights per event type.",
        float_format="{:.3f}",
    )


if __name__ == "__main__":
    run(main)
