"""Gold standard: validation of the annotation file, the split, agreement."""

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataError
from analysis.labels import gold
from analysis.params import SPLIT_STRATA, load_params


def _docs():
    return pd.DataFrame(
        {
            "doc_id": ["ucdp_iraq:1", "ucdp_iraq:2", "ucdp_iraq:3", "ucdp_iraq:4"],
            "collection": "ucdp_iraq",
            "text_group": ["ucdp_iraq:1", "ucdp_iraq:1", "ucdp_iraq:3", "ucdp_iraq:4"],
            "sealed": [False, False, False, True],
            "sealed_group": [False, False, False, True],
        }
    )


def _labels(rows):
    return pd.DataFrame(rows, columns=["doc_id", "pass", "labels", "stratum", "codebook_version"])


def _table(labels, *, seed=7, train_only=(), test=()):
    return gold.gold_table(
        labels,
        _docs(),
        seed=seed,
        fractions=(0.5, 0.2, 0.3),
        retired_test_dev_share=0.5,
        train_only_strata=train_only,
        test_strata=test,
    )


def test_validate_rejects_sealed_documents():
    # annotating a sealed document is never allowed
    labels = _labels([["ucdp_iraq:4", "a", "clash", "random", "1"]])
    with pytest.raises(DataError, match="ucdp_iraq:4 is sealed"):
        gold.validate_annotations(labels, _docs(), source="labels.csv")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["ucdp_iraq:1", "a", "sieg", "random", "1"]],
            r"row 2: unknown event type\(s\) \['sieg'\]",
        ),  # a typo in a label
        ([["ucdp_iraq:9", "a", "", "random", "1"]], "ucdp_iraq:9 is not in the documents table"),  # unknown document
        ([["ucdp_iraq:1", "c", "", "random", "1"]], "unknown pass 'c'"),  # unknown pass
        (
            [["ucdp_iraq:1", "a", "", "random", "1"], ["ucdp_iraq:1", "a", "clash", "random", "1"]],
            "annotated twice in pass a",
        ),
    ],
)
def test_validate_names_row_and_problem(rows, message):
    with pytest.raises(DataError, match=message):
        gold.validate_annotations(_labels(rows), _docs(), source="labels.csv")


def test_split_keeps_text_groups_together_and_is_stable():
    labels = _labels(
        [[d, "adjudicated", "clash", "random", "1"] for d in ("ucdp_iraq:1", "ucdp_iraq:2", "ucdp_iraq:3")]
    )
    table = _table(labels)
    split = table.set_index("doc_id")["split"]
    assert split["ucdp_iraq:1"] == split["ucdp_iraq:2"]  # same text group, same split
    pd.testing.assert_frame_equal(table, _table(labels.iloc[::-1]))


def test_round_one_test_part_is_retired_into_train_and_dev():
    # round 1 never reaches test any more: its test part is re-split, the rest keeps its split
    retired = [f"g{i}" for i in range(400) if gold.split_of(f"g{i}", seed=3, fractions=(0.5, 0.2, 0.3)) == "test"]
    kept = [f"g{i}" for i in range(400) if gold.split_of(f"g{i}", seed=3, fractions=(0.5, 0.2, 0.3)) != "test"]
    new = pd.Series(
        [gold.round_one_split(g, seed=3, fractions=(0.5, 0.2, 0.3), retired_test_dev_share=0.5) for g in retired]
    )
    assert set(new) == {"train", "dev"} and abs((new == "dev").mean() - 0.5) < 0.1
    assert all(
        gold.round_one_split(g, seed=3, fractions=(0.5, 0.2, 0.3), retired_test_dev_share=0.5)
        == gold.split_of(g, seed=3, fractions=(0.5, 0.2, 0.3))
        for g in kept
    )


def test_test_strata_go_to_test_and_never_share_a_fitted_group():
    # ucdp_iraq:3 is a fresh-test document: test whatever its hash says
    labels = _labels([["ucdp_iraq:3", "adjudicated", "", "fresh_test", "1"]])
    assert _table(labels, test=("fresh_test",))["split"].tolist() == ["test"]
    # ucdp_iraq:1 (round 1) and ucdp_iraq:2 (fresh test) share a text group: refused
    labels = _labels(
        [["ucdp_iraq:1", "adjudicated", "", "random", "1"], ["ucdp_iraq:2", "adjudicated", "", "fresh_test", "1"]]
    )
    with pytest.raises(
        DataError, match="ucdp_iraq:2 .test stratum. shares its text group with a train or dev document"
    ):
        _table(labels, test=("fresh_test",))


def test_train_only_strata_go_to_train_and_never_share_a_held_out_group():
    # ucdp_iraq:3 is a supplement document: train whatever its hash says
    seed = next(s for s in range(100) if gold.split_of("ucdp_iraq:3", seed=s, fractions=(0.5, 0.2, 0.3)) != "train")
    labels = _labels([["ucdp_iraq:3", "adjudicated", "", "supplement_territory", "1"]])
    table = _table(labels, seed=seed, train_only=("supplement_territory",))
    assert table["split"].tolist() == ["train"]
    # ucdp_iraq:1 (random, held out by its hash) and ucdp_iraq:2 (supplement) share a text group
    seed = next(
        s
        for s in range(100)
        if gold.round_one_split("ucdp_iraq:1", seed=s, fractions=(0.5, 0.2, 0.3), retired_test_dev_share=0.5) == "dev"
    )
    labels = _labels(
        [
            ["ucdp_iraq:1", "adjudicated", "", "random", "1"],
            ["ucdp_iraq:2", "adjudicated", "", "supplement_territory", "1"],
        ]
    )
    with pytest.raises(DataError, match="ucdp_iraq:2 .* shares its text group with a dev or test document"):
        _table(labels, seed=seed, train_only=("supplement_territory",))


def test_a_stratum_missing_from_train_only_strata_fails_loudly():
    # a supplement document whose stratum the parameter forgot must not fall into dev or test
    labels = _labels([["ucdp_iraq:3", "adjudicated", "", "supplement_territory", "1"]])
    with pytest.raises(DataError, match="ucdp_iraq:3 has stratum 'supplement_territory', which is neither"):
        _table(labels)


def test_split_fractions_are_respected_on_many_groups():
    splits = pd.Series([gold.split_of(f"g{i}", seed=1, fractions=(0.5, 0.2, 0.3)) for i in range(20000)]).value_counts(
        normalize=True
    )
    assert abs(splits["train"] - 0.5) < 0.02 and abs(splits["dev"] - 0.2) < 0.02 and abs(splits["test"] - 0.3) < 0.02


def test_agreement_matches_hand_computed_kappa():
    # 4 documents; the passes disagree on siege for one of them
    rows = []
    for doc, a, b in [("d1", "siege", "siege"), ("d2", "", ""), ("d3", "siege", ""), ("d4", "", "")]:
        rows += [[doc, "a", a, "random", "1"], [doc, "b", b, "random", "1"], [doc, "adjudicated", a, "random", "1"]]
    table = gold.annotation_agreement(_labels(rows)).set_index("event_type")
    # po = 3/4; pe = (2/4)(1/4) + (2/4)(3/4) = 0.5; kappa = (0.75 - 0.5) / 0.5 = 0.5
    assert table.loc["siege", "cohen_kappa"] == pytest.approx(0.5)
    assert table.loc["siege", "n_adjudicated"] == 1


def test_krippendorff_alpha_perfect_agreement_is_one():
    x = np.array([1, 0, 1, 1, 0])
    assert gold.krippendorff_alpha_nominal(x, x) == pytest.approx(1.0)


def test_the_fresh_test_labels_are_complete_and_frozen():
    labels = pd.read_csv(paths.ANNOTATIONS_TEST, dtype=str, keep_default_na=False)
    sample = pd.read_csv(paths.ANNOTATION_FRESH_TEST, dtype=str)
    assert labels.groupby("pass")["doc_id"].apply(set).map(len).to_dict() == {"a": 792, "adjudicated": 792, "b": 792}
    assert set(labels["doc_id"]) == set(sample["doc_id"]) and set(labels["stratum"]) == {"fresh_test"}
    assert set(load_params("gold").test_strata) == {"fresh_test"}
    # frozen: the file scored once is this one (docs/decisions.md)
    import hashlib

    digest = hashlib.sha256(paths.ANNOTATIONS_TEST.read_bytes()).hexdigest()
    assert digest == "a7a8cb082e45edb133992d50c059e6a3bc54e9f7ce6c8de612c6236bff434211"


def test_project_annotations_are_complete_and_consistent():
    labels = pd.read_csv(paths.ANNOTATIONS, dtype=str, keep_default_na=False)
    sample = pd.read_csv(paths.ANNOTATION_SAMPLE, dtype=str)
    supplement = pd.concat([pd.read_csv(path, dtype=str) for path in paths.ANNOTATION_SUPPLEMENTS])
    per_pass = labels.groupby("pass")["doc_id"].apply(set)
    drawn = set(sample["doc_id"]) | set(supplement["doc_id"])
    assert per_pass["a"] == per_pass["b"] == per_pass["adjudicated"] == drawn
    assert len(sample) >= 800 and (sample["stratum"] == "random").sum() >= 500
    assert not set(sample["doc_id"]) & set(supplement["doc_id"])
    # every label row carries the stratum its document was drawn in
    strata = pd.concat([sample, supplement]).set_index("doc_id")["stratum"]
    assert (labels["stratum"] == labels["doc_id"].map(strata)).all()
    # round 1 is split by hash; every supplement stratum goes to train only
    assert set(sample["stratum"]) <= set(SPLIT_STRATA)
    assert set(supplement["stratum"]) <= set(load_params("gold").train_only_strata)
    assert (labels["codebook_version"] == "1").all()
    assert not labels.columns.str.contains("text").any()  # ids and labels only, never texts


@pytest.mark.slow
def test_project_annotations_are_valid_for_the_real_corpus(corpus_tables, gold_and_weak):
    labels = gold.read_annotations(
        [paths.ANNOTATIONS, paths.ANNOTATIONS_TEST, paths.ANNOTATIONS_ACTIVE], corpus_tables[0]
    )
    assert labels["doc_id"].nunique() == 1871 + 792 + 1000
    table = gold_and_weak[0]
    # the test split is the fresh test set, exactly; round 1 and the supplement are in train and dev
    assert set(table.loc[table["split"] == "test", "stratum"]) == {"fresh_test"}
    assert (table["split"] == "test").sum() == 792
    assert set(table.loc[table["stratum"] != "fresh_test", "split"]) == {"train", "dev"}
    assert set(table.loc[table["stratum"].str.startswith("active_"), "split"]) == {"train"}  # never dev or test


def test_active_rounds_are_complete_frozen_and_train_only():
    # two rounds of 500, each document with passes a, b and adjudicated, its stratum that of its sample file
    labels = pd.read_csv(paths.ANNOTATIONS_ACTIVE, dtype=str, keep_default_na=False)
    samples = pd.concat([pd.read_csv(p, dtype=str) for p in paths.ANNOTATION_ACTIVE_SAMPLES])
    assert labels.groupby("pass")["doc_id"].apply(set).map(len).to_dict() == {"a": 1000, "adjudicated": 1000, "b": 1000}
    assert set(labels["doc_id"]) == set(samples["doc_id"]) and samples["doc_id"].is_unique
    assert (labels["stratum"] == labels["doc_id"].map(samples.set_index("doc_id")["stratum"])).all()
    assert set(samples["stratum"]) <= set(load_params("gold").train_only_strata)
    # no earlier round's document was drawn again
    earlier = [paths.ANNOTATION_SAMPLE, *paths.ANNOTATION_SUPPLEMENTS, paths.ANNOTATION_FRESH_TEST]
    assert not set(samples["doc_id"]) & set(pd.concat(pd.read_csv(p, dtype=str) for p in earlier)["doc_id"])
    assert not labels.columns.str.contains("text").any()
