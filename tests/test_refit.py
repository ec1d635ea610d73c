"""Refitting on train + dev after tuning thresholds (train.refit_on_dev) and its dev-only check."""

import dataclasses

import pandas as pd
import pytest

from analysis.checks.refit import refit_on_dev
from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model.classifier import EventClassifier, learnable_types, train_classifier
from analysis.model.datasets import SET_COLUMNS
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params

from training_sets import NO_RULES

PLACES = ("north", "south", "east", "west", "old", "new", "upper", "lower")


def _set(prefix: str, rows: list[tuple[str, dict]]) -> pd.DataFrame:
    """A training or dev set (analysis.model.datasets.SET_COLUMNS) from (text, {type: True}) rows."""
    frame = pd.DataFrame(
        {
            "doc_id": [f"ucdp_iraq:{prefix}{i:03d}" for i in range(len(rows))],
            "collection": "ucdp_iraq",
            "source": "gold",
            "stratum": "random",
            "weight": 1.0,
            "text": [text for text, _ in rows],
        }
    )
    for t in EVENT_TYPES:
        frame[t] = [bool(labels.get(t)) for _, labels in rows]
    return frame[SET_COLUMNS]


def _rows(places, *, start=0) -> list[tuple[str, dict]]:
    rows = []
    for i, p in enumerate(places, start):
        rows.append((f"Warplanes struck the {p} district {i}", {"airstrike": True}))  # airstrike
        rows.append((f"Officials met in the {p} district {i} to discuss aid", {}))  # nothing
        rows.append((f"Rebels captured the {p} village {i} after fighting", {"advance": True}))  # advance
    return rows


@pytest.fixture(scope="module")
def spec():
    # tiny sets: two calibration folds, a low back-off bar, every n-gram kept
    return dataclasses.replace(load_params("train").spec(), min_positives=4, calibration_folds=2, min_df=1)


def test_refit_keeps_thresholds_and_the_learned_types(spec):
    train = _set("t", _rows(PLACES))
    model = EventClassifier(spec, seed=1).fit(train["text"], train, label_model=NO_RULES)
    model.thresholds["airstrike"] = 0.37
    # the new data give surrender 4 positives, enough to learn it; the refit must still back it off,
    # since its threshold was never tuned for a learned model
    extra = _set("x", [(f"Fighters in the {p} town surrendered to the army", {"surrender": True}) for p in PLACES[:4]])
    both = pd.concat([train, extra], ignore_index=True)
    refit = model.refit(both["text"], both)
    assert refit.learned_types() == model.learned_types() == ["advance", "airstrike"]
    assert refit.thresholds == model.thresholds and refit.thresholds is not model.thresholds
    # and it is a working model, fitted on the larger set
    proba = refit.predict_proba(pd.Series(["Warplanes struck the far district", "Officials met in the far district"]))
    assert proba.loc[0, "p_airstrike"] > proba.loc[1, "p_airstrike"]


def test_train_classifier_tunes_on_dev_then_refits_on_train_and_dev(spec):
    train = _set("t", _rows(PLACES[:6]))
    # dev alone holds "overran" for advance: only a model that saw dev can learn it
    dev = _set("d", [(f"Militants overran the {p} outpost", {"advance": True}) for p in PLACES] + _rows(PLACES[6:]))
    kwargs = {"spec": spec, "label_model": NO_RULES, "grid": threshold_grid(0.05), "seed": 1}
    kept, thresholds, dev_proba = train_classifier(train, dev, refit_on_dev=False, **kwargs)
    refit, refit_thresholds, _ = train_classifier(train, dev, refit_on_dev=True, **kwargs)
    assert dev_proba["doc_id"].tolist() == dev["doc_id"].tolist()  # the train-only model on dev, for the dev scores
    # thresholds are tuned once, on dev, with the train-only model, whichever model is kept
    pd.testing.assert_frame_equal(thresholds, refit_thresholds)
    assert refit.thresholds == kept.thresholds
    unseen = pd.Series(["Militants overran the far outpost"])
    assert refit.predict_proba(unseen).loc[0, "p_advance"] > kept.predict_proba(unseen).loc[0, "p_advance"]


def test_train_classifier_gives_the_same_model_with_fits_at_once(spec):
    # train.n_jobs runs the train-only fit and the refit in two worker processes: the saved
    # model's probabilities, thresholds and dev probabilities must not depend on it
    train = _set("t", _rows(PLACES[:6]))
    dev = _set("d", [(f"Militants overran the {p} outpost", {"advance": True}) for p in PLACES] + _rows(PLACES[6:]))
    kwargs = {"spec": spec, "label_model": NO_RULES, "grid": threshold_grid(0.05), "seed": 1, "refit_on_dev": True}
    serial, serial_thresholds, serial_dev = train_classifier(train, dev, n_jobs=1, **kwargs)
    both, both_thresholds, both_dev = train_classifier(train, dev, n_jobs=2, **kwargs)
    texts = pd.Series(["Militants overran the far outpost", "Warplanes struck the far district", "Officials met"])
    pd.testing.assert_frame_equal(serial.predict_proba(texts), both.predict_proba(texts))
    pd.testing.assert_frame_equal(serial_thresholds, both_thresholds)
    pd.testing.assert_frame_equal(serial_dev, both_dev)
    assert serial.thresholds == both.thresholds


def test_learnable_types_need_positives_and_a_negative_per_fold(spec):
    rows = _rows(PLACES)  # 8 airstrike, 8 advance, 8 with nothing
    rows += [(f"Fighters in the {p} town surrendered", {"surrender": True}) for p in PLACES[:3]]  # 3 < min_positives
    labels = _set("l", rows)
    assert learnable_types(labels, spec) == ["advance", "airstrike"]
    # every document positive: no negative for the calibration folds, so it cannot be learned either
    everywhere = labels.assign(clash=True)
    assert "clash" not in learnable_types(everywhere, spec)
    # a missing label (NaN) counts neither way: 3 known positives of clash are too few
    unknown = labels.assign(clash=[True] * 3 + [None] * (len(labels) - 3))
    assert "clash" not in learnable_types(unknown, spec)


def test_refit_on_dev_scores_learned_types_on_halves_of_dev(spec):
    train = _set("t", _rows(PLACES))
    dev_rows = _rows(PLACES, start=100)
    # dev alone holds "overran" for advance: the train-only model misses it, a refit learns it
    dev_rows += [(f"Militants overran the {p} outpost", {"advance": True}) for p in PLACES]
    # three surrender documents in dev: enough positives, but no model learns surrender (none in train)
    dev_rows += [(f"Fighters in the {p} town surrendered", {"surrender": True}) for p in PLACES[:3]]
    dev = _set("d", dev_rows)
    gold = pd.DataFrame({"doc_id": dev["doc_id"], "text_group": dev["doc_id"]})
    grid = threshold_grid(0.01)
    kwargs = {"spec": spec, "label_model": NO_RULES, "grid": grid, "repeats": 2, "seed": 1}
    table = refit_on_dev(train, dev, gold, min_dev_positives=3, **kwargs).set_index("event_type")
    # only the types the train-only model learns, plus the macro row: surrender is left out
    assert table.index.tolist() == ["advance", "airstrike", "macro"]
    assert list(table.columns[:5]) == ["n_pos_dev", "ap_train_only", "f1_train_only", "ap_refit", "f1_refit"]
    assert table.loc["macro", "n_pos_dev"] == 24  # 16 advance, 8 airstrike
    # each half is scored by a refit that saw the other half's "overran" documents
    assert table.loc["advance", "ap_refit"] > table.loc["advance", "ap_train_only"]
    assert table.loc["advance", "ap_difference"] > 0
    # both variants separate the strike templates on every half
    assert table.loc["airstrike", "ap_train_only"] == table.loc["airstrike", "ap_refit"] == 1.0
    # too few dev positives for any learned type is an error, not an empty table
    with pytest.raises(DataError, match="no learned event type has 17 or more dev positives"):
        refit_on_dev(train, dev, gold, min_dev_positives=17, **kwargs)


def test_refit_refuses_data_that_cannot_learn_a_tuned_type(spec):
    train = _set("t", _rows(PLACES))
    model = EventClassifier(spec, seed=1).fit(train["text"], train, label_model=NO_RULES)
    # the new data hold only 2 advance positives, below min_positives: advance would back off
    # to the rules with a threshold tuned for a learned model
    fewer = _set("f", _rows(PLACES[:2]) + [(f"Warplanes struck the {p} area", {"airstrike": True}) for p in PLACES])
    with pytest.raises(DataError, match=r"refit: too few training positives to learn \['advance'\] again"):
        model.refit(fewer["text"], fewer)
