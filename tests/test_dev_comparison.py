"""Dev-only comparisons of two classifier variants (supplement_on_dev, encoder_on_study_dev)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis.checks.compare import dev_comparison
from analysis.checks.supplement import supplement_on_dev
from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params

GRID = threshold_grid(0.01)


def _dev(**columns):
    frame = pd.DataFrame({t: False for t in EVENT_TYPES}, index=range(len(next(iter(columns.values())))))
    for t, values in columns.items():
        frame[t] = np.asarray(values, dtype=bool)
    return frame


def test_dev_comparison_scores_each_variant_and_the_difference():
    dev = _dev(siege=[1, 1, 0, 0])
    probas = {
        "old": {"siege": np.array([0.9, 0.8, 0.1, 0.2])},  # positives ranked first: AP 1
        "new": {"siege": np.array([0.1, 0.2, 0.9, 0.8])},  # positives ranked last: AP (1/3 + 2/4) / 2
    }
    table = dev_comparison(dev, probas, baseline="old", variant="new", grid=GRID, seed=1).set_index("event_type")
    assert table.loc["siege", "ap_old"] == 1.0
    assert table.loc["siege", "ap_new"] == pytest.approx((1 / 3 + 2 / 4) / 2, abs=1e-4)
    assert table.loc["siege", "ap_difference"] == pytest.approx(table.loc["siege", "ap_new"] - 1.0, abs=1e-4)
    assert table.loc["macro", "n_pos_dev"] == 2 and table.loc["macro", "ap_old"] == 1.0
    assert list(table.columns[:5]) == ["n_pos_dev", "ap_old", "f1_old", "ap_new", "f1_new"]


def test_dev_comparison_refuses_an_empty_comparison():
    with pytest.raises(DataError, match="no event type is left to compare"):
        dev_comparison(_dev(siege=[1, 0]), {"old": {}, "new": {}}, baseline="old", variant="new", grid=GRID, seed=1)


def _supplement_case():
    places = ("north", "south", "east", "west", "old", "new")
    texts = (
        [f"Warplanes struck the {p} district overnight" for p in places]  # airstrike
        + [f"Officials met in the {p} district to discuss aid" for p in places]  # nothing
        + [f"Rebels captured the {p} village after fighting" for p in places]  # advance
    )
    documents = pd.DataFrame(
        {
            "doc_id": [f"ucdp_iraq:{i}" for i in range(len(texts))],
            "collection": "ucdp_iraq",
            "title": "",
            "text": texts,
            "sealed": False,
            "sealed_group": False,
        }
    )
    documents["text_group"] = documents["doc_id"]
    labels = pd.DataFrame({t: False for t in EVENT_TYPES}, index=documents.index)
    labels["airstrike"] = documents["text"].str.startswith("Warplanes")
    labels["advance"] = documents["text"].str.startswith("Rebels")
    # gold: every other strike/calm document in round 1 (train), all advance documents in the supplement
    is_advance = labels["advance"]
    in_gold = is_advance | (documents.index % 2 == 0)
    gold = pd.concat([documents[["doc_id", "collection", "text_group"]], labels], axis=1)[in_gold]
    gold.insert(2, "stratum", np.where(is_advance[in_gold], "supplement_territory", "random"))
    gold.insert(4, "split", "train")
    # weak labels for every document; they miss advance entirely
    weak = pd.concat([documents[["doc_id"]], labels.assign(advance=False)], axis=1)
    dev = pd.concat(
        [
            pd.DataFrame({"text": [texts[0], texts[7], texts[14], texts[3]]}),
            _dev(airstrike=[1, 0, 0, 1], advance=[0, 0, 1, 0]),
        ],
        axis=1,
    )
    return documents, gold, weak, dev


def test_supplement_on_dev_compares_only_types_both_variants_learn():
    documents, gold, weak, dev = _supplement_case()
    spec = dataclasses.replace(load_params("train").spec(), min_positives=3, calibration_folds=2, min_df=1)
    kwargs = {
        "spec": spec,
        "label_model": {"combine": "majority", "min_accuracy": 0.0, "voting_lfs": []},
        "weak_weight": 1.0,
        "max_weak": 100,
        "min_dev_positives": 1,
        "grid": GRID,
        "seed": 1,
        "articles": (),
    }
    table = supplement_on_dev(documents, gold, weak, dev, train_only_strata=("supplement_territory",), **kwargs)
    # without the supplement, the advance documents return as weak rows labelled "no advance":
    # advance has no positive and backs off to the rules, so it is not compared
    assert table["event_type"].tolist() == ["airstrike", "macro"]
    assert table.loc[0, "ap_with"] == table.loc[0, "ap_without"] == 1.0  # both separate the strikes
    # a gold table without any supplement document is an error, not a zero difference
    with pytest.raises(DataError, match="no document of the train-only strata"):
        supplement_on_dev(documents, gold, weak, dev, train_only_strata=("other",), **kwargs)
