"""Check ``encoder_on_study_dev`` (checks/dvc.yaml): do the yardstick's embeddings help the study? Dev only."""

import pandas as pd

from analysis import paths
from analysis.checks.stacked_embeddings import encoder_on_study_dev
from analysis.errors import ParamsError
from analysis.io import write_table
from analysis.model import embeddings
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Compare the study classifier with and without stacked sentence embeddings on the gold dev split."""
    params, train_params = load_params("benchmark"), load_params("train")
    if params.encoder is None:
        raise ParamsError(
            "benchmark.encoder is null: encoder_on_study_dev needs an encoder "
            "(for TF-IDF only, run `cd benchmarks && dvc repro benchmark`)"
        )
    if max(params.encoder_weights) <= 0:
        raise ParamsError(
            f"benchmark.encoder_weights is {list(params.encoder_weights)}: encoder_on_study_dev stacks the "
            "embeddings at the largest weight, so it needs a positive one"
        )
    train, dev = pd.read_parquet(paths.TRAIN_SET), pd.read_parquet(paths.DEV_SET)
    encoder = embeddings.load_encoder(params.encoder)
    table = encoder_on_study_dev(
        train,
        dev,
        embeddings.sentence_embeddings(train["text"], encoder=encoder),
        embeddings.sentence_embeddings(dev["text"], encoder=encoder),
        spec=train_params.spec(),
        encoder_weight=max(params.encoder_weights),
        min_dev_positives=10,  # the bar for a measurable type
        grid=threshold_grid(train_params.threshold_step),
        seed=load_params("base").seed,
    )
    write_table(
        paths.ENCODER_STUDY_DEV,
        table,
        caption="The study classifier with and without stacked sentence embeddings, gold dev split.",
        float_format="{:.3f}",
    )


if __name__ == "__main__":
    run(main)
