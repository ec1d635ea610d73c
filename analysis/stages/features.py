"""Stage ``features``: the training (gold train + weak), dev and test sets."""

import pandas as pd

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.io import write_json, write_parquet
from analysis.model import datasets
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Assemble the three sets, keeping sealed documents and gold text groups out of training."""
    seed = load_params("base").seed
    params = load_params("features")
    articles = load_params("acquire").of_kind("articles")
    documents = pd.read_parquet(paths.DOCUMENTS)
    gold = pd.read_parquet(paths.GOLD)
    weak = pd.read_parquet(paths.WEAK_LABELS, columns=["doc_id", *EVENT_TYPES])
    train = datasets.training_set(
        documents, gold, weak, weak_weight=params.weak_weight, max_weak=params.max_weak, seed=seed, articles=articles
    )
    sets = {
        "train": train,
        "dev": datasets.gold_set(documents, gold, split="dev", articles=articles),
        "test": datasets.gold_set(documents, gold, split="test", articles=articles),
    }
    for name, path in (("train", paths.TRAIN_SET), ("dev", paths.DEV_SET), ("test", paths.TEST_SET)):
        write_parquet(path, sets[name])
    write_json(
        paths.DATASET_METRICS,
        {
            "n_train_gold": int((train["source"] == "gold").sum()),
            "n_train_weak": int((train["source"] == "weak").sum()),
            "n_dev": len(sets["dev"]),
            "n_test": len(sets["test"]),
            "n_sealed_excluded": int((documents["sealed"] | documents["sealed_group"]).sum()),
        },
    )


if __name__ == "__main__":
    run(main)
