"""Shared fixtures: the real corpus, acquired once per session into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus, sources
from analysis.params import load_params

SHARED_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three pinned corpus files, from $ANALYSIS_DATA_MIRROR, ../shared/data, or their URLs."""
    params = load_params("acquire")
    mirror = sources.mirror_dir() or (SHARED_MIRROR if SHARED_MIRROR.is_dir() else None)
    dest = tmp_path_factory.mktemp("raw")
    for spec in params.sources:
        sources.acquire(spec, dest, mirror=mirror, retries=params.retries, timeout_s=params.timeout_s)
    return dest


@pytest.fixture(scope="session")
def raw_frames(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return corpus.read_sources(raw_dir, acquire=load_params("acquire"))


@pytest.fixture(scope="session")
def corpus_tables(raw_frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """documents, reports, ledger built from the real corpus with the project's params."""
    return corpus.build_corpus(raw_frames, params=load_params("clean"), seed=load_params("base").seed)


@pytest.fixture(scope="session")
def gold_and_weak(corpus_tables):
    """The gold table and weak labels built from the real corpus as the gold and weak_label stages do."""
    from analysis import datasets, gold, paths, rules
    from analysis.codebook import EVENT_TYPES
    from analysis.model import model_input

    documents = corpus_tables[0]
    labels = pd.read_csv(paths.ANNOTATIONS, dtype=str, keep_default_na=False)
    gold.validate_annotations(labels, documents, source="annotations/labels.csv")
    gold_params = load_params("gold")
    table = gold.gold_table(
        labels,
        documents,
        seed=load_params("base").seed,
        fractions=gold_params.split_fractions,
        train_only_strata=gold_params.train_only_strata,
    )
    eligible = datasets.eligible_for_fitting(documents)
    votes = rules.apply_lfs(model_input(eligible).set_axis(eligible["doc_id"]))
    train = table[table["split"] == "train"].set_index("doc_id")
    use = rules.select_lfs(
        votes.loc[train.index], train[list(EVENT_TYPES)], min_accuracy=load_params("weak_label").min_lf_accuracy
    )
    weak = rules.weak_labels(votes, use=use).rename_axis("doc_id").reset_index()
    return table, weak, use


@pytest.fixture(scope="session")
def trained_model(corpus_tables, gold_and_weak):
    """The classifier trained on the real corpus with the project's params (features + train stages)."""
    import numpy as np

    from analysis import datasets
    from analysis.model import EventClassifier

    documents = corpus_tables[0]
    table, weak, use = gold_and_weak
    seed = load_params("base").seed
    feats, params = load_params("features"), load_params("train")
    train = datasets.training_set(
        documents, table, weak, weak_weight=feats.weak_weight, max_weak=feats.max_weak, seed=seed
    )
    dev = datasets.gold_set(documents, table, split="dev")
    model = EventClassifier(params.spec(), seed=seed).fit(
        train["text"], train, sample_weight=train["weight"].to_numpy(), voting_lfs=use
    )
    model.tune_thresholds(
        model.predict_proba(dev["text"]), dev, grid=np.round(np.arange(0.05, 0.951, params.threshold_step), 4)
    )
    return model
