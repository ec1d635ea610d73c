"""Stage ``features``: the training (gold train + weak + out-of-domain negatives), dev and test sets."""

import pandas as pd

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.io import write_json, write_parquet
from analysis.model import datasets, ood
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Assemble the three sets, keeping sealed documents and gold text groups out of training."""
    seed = load_params("base").seed
    params = load_params("features")
    articles = load_params("acquire").of_kind("articles")
    documents, gold = pd.read_parquet(paths.DOCUMENTS), pd.read_parquet(paths.GOLD)
    weak = pd.read_parquet(paths.WEAK_LABELS, columns=["doc_id", *EVENT_TYPES])
    negatives = ood.read_negatives(paths.OOD_RAW, tasks=load_params("ood").tasks, split="train")
    negatives = ood.sentences(negatives) if params.ood_sentences else negatives
    train = datasets.training_set(
        documents, gold, weak, weak_weight=params.weak_weight, max_weak=params.max_weak, seed=seed, articles=articles
    )
    train = datasets.with_rows(
        train, ood.negatives_set(negatives, weight=params.ood_weight, max_rows=params.max_ood, seed=seed)
    )
    gate = ood.corpus_sentences(train, articles=articles, max_rows=params.gate_sentences, seed=seed)
    train = datasets.with_rows(train, gate)
    sets = {split: datasets.gold_set(documents, gold, split=split, articles=articles) for split in ("dev", "test")}
    write_parquet(paths.TRAIN_SET, train)
    write_parquet(paths.DEV_SET, sets["dev"])
    write_parquet(paths.TEST_SET, sets["test"])
    write_json(paths.DATASET_METRICS, datasets.set_counts(train, sets["dev"], sets["test"], documents))


if __name__ == "__main__":
    run(main)
