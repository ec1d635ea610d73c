"""Cross-fitted predictions (analysis.model.crossfit): every document, and every extra text, out of fold."""

import dataclasses

import pandas as pd
import pytest

from analysis.codebook import EVENT_TYPES
from analysis.model import crossfit
from analysis.model.classifier import train_classifier
from analysis.model.datasets import SET_COLUMNS
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params

from training_sets import NO_RULES

PLACES = ("north", "south", "east", "west", "old", "new", "upper", "lower", "far", "near", "high", "low")


def _set(rows: list[tuple[str, str, dict]]) -> pd.DataFrame:
    """A training set (SET_COLUMNS plus text_group) from (doc_id, text, {type: True}) rows."""
    frame = pd.DataFrame(
        {
            "doc_id": [d for d, _, _ in rows],
            "collection": "ucdp_iraq",
            "source": "gold",
            "stratum": "random",
            "weight": 1.0,
            "text": [text for _, text, _ in rows],
        }
    )
    for t in EVENT_TYPES:
        frame[t] = pd.array([bool(labels.get(t)) for _, _, labels in rows], dtype="boolean")
    return frame[SET_COLUMNS].assign(text_group=lambda d: "g:" + d["doc_id"])


def _corpus() -> pd.DataFrame:
    rows = []
    for p in PLACES:
        rows.append((f"ucdp_iraq:a{p}", f"Warplanes struck the {p} district", {"airstrike": True}))  # airstrike
        rows.append((f"ucdp_iraq:n{p}", f"Officials met in the {p} district about the harvest", {}))  # nothing
    return _set(rows)


@pytest.fixture(scope="module")
def fitted_model():
    # a linear model on the hand-written corpus: a low back-off bar, thresholds from four documents
    fitted = _corpus()
    spec = dataclasses.replace(
        load_params("train").spec(), min_positives=3, calibration_folds=2, min_df=1, family="linear", type_family={}
    )
    model, _, _ = train_classifier(
        fitted, fitted.iloc[:4], spec=spec, label_model=NO_RULES, grid=threshold_grid(0.05), refit_on_dev=False, seed=1
    )
    return fitted, model


def test_every_document_and_extra_text_is_predicted_by_the_fold_that_held_it_out(fitted_model):
    fitted, model = fitted_model
    documents = fitted[["doc_id", "text_group", "text"]]
    # an event's first report: predicted by its document's fold, in the order given
    also = pd.DataFrame(
        {
            "doc_id": ["ucdp_iraq:anorth", "ucdp_iraq:nsouth"],
            "text": ["Warplanes struck the town", "Officials met about a fair"],
        }
    )
    predicted, extra = crossfit.cross_fitted(documents, fitted, model, folds=2, seed=1, also=also)
    assert predicted["doc_id"].tolist() == documents["doc_id"].tolist()  # every document once, in order
    assert set(predicted["fold"]) == {0, 1}
    fold = predicted.set_index("doc_id")["fold"]
    assert extra["doc_id"].tolist() == also["doc_id"].tolist()
    assert extra["fold"].tolist() == fold.loc[also["doc_id"]].tolist()  # the fold of its document
    assert extra["p_airstrike"].iloc[0] > 0.5 > extra["p_airstrike"].iloc[1]  # read by a fitted fold model
    # no fold's refit sees a held-out group, nor a copy of a held-out text under another group
    held = crossfit.held_folds(documents, folds=2, seed=1)
    copy = fitted.iloc[[0]].assign(doc_id="ucdp_iraq:copy", text_group="g:other")
    for part in held:
        seen = crossfit.fold_frame(pd.concat([fitted, copy], ignore_index=True), part)
        assert not seen["text_group"].isin(part["text_group"]).any()
        assert not seen["text"].isin(part["text"]).any()


def test_without_extra_texts_the_second_frame_is_empty(fitted_model):
    fitted, model = fitted_model
    predicted, extra = crossfit.cross_fitted(fitted[["doc_id", "text_group", "text"]], fitted, model, folds=2, seed=1)
    assert len(predicted) == len(fitted) and extra.empty


def test_a_groups_fold_does_not_depend_on_the_other_groups():
    groups = pd.Series([f"ucdp_iraq:{i}" for i in range(200)])
    fold = crossfit.fold_of(groups, folds=2, seed=1)
    assert fold.value_counts().min() > 70  # near even, as a hash is
    # a corpus added beside: every study group keeps its fold, so no fold teacher saw a held-out one
    grown = pd.concat([groups, pd.Series([f"own_news:{i}" for i in range(50)])], ignore_index=True)
    assert crossfit.fold_of(grown, folds=2, seed=1).iloc[:200].tolist() == fold.tolist()
    assert crossfit.fold_of(groups, folds=2, seed=2).tolist() != fold.tolist()  # the seed still draws them
