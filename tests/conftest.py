"""Shared fixtures: the real corpus, acquired once per session into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import build, sources
from analysis.params import load_params

SHARED_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data"
ARTICLES = load_params("acquire").of_kind("articles")  # the collections whose titles the classifier reads


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three pinned corpus files, from $ANALYSIS_DATA_MIRROR, ../shared/data, or their URLs."""
    params = load_params("acquire")
    mirror = sources.mirror_dir() or (SHARED_MIRROR if SHARED_MIRROR.is_dir() else None)
    dest = tmp_path_factory.mktemp("raw")
    for spec in params.collections:
        sources.acquire(spec.source(), dest, mirror=mirror, retries=params.retries, timeout_s=params.timeout_s)
    return dest


@pytest.fixture(scope="session")
def raw_frames(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return build.read_sources(raw_dir, acquire=load_params("acquire"))


@pytest.fixture(scope="session")
def corpus_tables(raw_frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """documents, reports, ledger built from the real corpus with the project's params."""
    return build.build_corpus(
        raw_frames, acquire=load_params("acquire"), params=load_params("clean"), seed=load_params("base").seed
    )


@pytest.fixture(scope="session")
def gold_and_weak(corpus_tables):
    """The gold table and weak labels built from the real corpus as the gold and weak_label stages do."""
    from analysis import documents as documents_mod
    from analysis import paths
    from analysis.codebook import EVENT_TYPES
    from analysis.labels import combine, gold
    from analysis.labels.actors import actors_to_json, load_actors
    from analysis.labels.functions import apply_lfs

    documents = corpus_tables[0]
    labels = gold.read_annotations([paths.ANNOTATIONS, paths.ANNOTATIONS_TEST, paths.ANNOTATIONS_ACTIVE], documents)
    gold_params = load_params("gold")
    table = gold.gold_table(
        labels,
        documents,
        seed=load_params("base").seed,
        fractions=gold_params.split_fractions,
        retired_test_dev_share=gold_params.retired_test_dev_share,
        train_only_strata=gold_params.train_only_strata,
        test_strata=gold_params.test_strata,
    )
    eligible = documents_mod.eligible(documents)
    weak_params = load_params("weak_label")
    actors = load_actors([paths.ROOT / f for f in weak_params.actor_files])
    votes = apply_lfs(documents_mod.document_input(eligible, articles=ARTICLES).set_axis(eligible["doc_id"]), actors)
    train = table[table["split"] == "train"].set_index("doc_id")
    label_model = combine.fit_label_model(
        votes.loc[train.index],
        train[list(EVENT_TYPES)],
        combine=weak_params.combine,
        min_accuracy=weak_params.min_lf_accuracy,
        prior=train.loc[train["stratum"] == "random", list(EVENT_TYPES)],
    )
    label_model["actors"] = actors_to_json(actors)
    weak = combine.apply_label_model(votes, label_model).rename_axis("doc_id").reset_index()
    return table, weak, label_model


@pytest.fixture(scope="session")
def trained_model(corpus_tables, gold_and_weak):
    """The classifier trained on the real corpus with the project's params (features + train stages)."""

    from analysis.model import datasets
    from analysis.model.classifier import EventClassifier
    from analysis.model.thresholds import threshold_grid

    documents = corpus_tables[0]
    table, weak, label_model = gold_and_weak
    seed = load_params("base").seed
    feats, params = load_params("features"), load_params("train")
    train = datasets.training_set(
        documents, table, weak, weak_weight=feats.weak_weight, max_weak=feats.max_weak, seed=seed, articles=ARTICLES
    )
    dev = datasets.gold_set(documents, table, split="dev", articles=ARTICLES)
    model = EventClassifier(params.spec(), seed=seed).fit(
        train["text"], train, sample_weight=train["weight"].to_numpy(), label_model=label_model
    )
    model.tune_thresholds(model.predict_proba(dev["text"]), dev, grid=threshold_grid(params.threshold_step))
    return model


# a small hand-written training set: enough to fit, not a model of anything
TEXTS = [
    "Warplanes struck the town",
    "Airstrikes hit the market",
    "Artillery shelled the district",
    "Mortars fell on the city",
    "Rebels captured the village",
    "Troops retook the airport",
    "Clashes erupted near the base",
    "Fighting raged in the suburbs",
] * 3


@pytest.fixture(scope="session")
def small_model():
    from analysis.codebook import EVENT_TYPES
    from analysis.model.classifier import EventClassifier

    labels = pd.DataFrame({t: [False] * len(TEXTS) for t in EVENT_TYPES})
    for i, text in enumerate(TEXTS):
        labels.loc[i, "airstrike"] = "Warplanes" in text or "Airstrikes" in text
        labels.loc[i, "shelling"] = "Artillery" in text or "Mortars" in text
        labels.loc[i, "advance"] = "captured" in text or "retook" in text
        labels.loc[i, "clash"] = "Clashes" in text or "Fighting" in text
    spec = load_params("train").spec()
    return EventClassifier(spec, seed=1).fit(pd.Series(TEXTS), labels)
