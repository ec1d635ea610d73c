"""The teacher's committed labels (analysis.model.teacher) and the mixture family that learns from them.

The teacher here is written by hand (no fine-tune): what is tested is how its labels are
found, checked and used, which needs no encoder.
"""

import dataclasses

import pandas as pd
import pytest

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.config import build, read_yaml
from analysis.errors import DataError, ParamsError
from analysis.model import crossfit
from analysis.model.datasets import SET_COLUMNS
from analysis.model.families import refit_model, train_model
from analysis.model.teacher import (
    TeacherLabels,
    committed_teachers,
    distilled_labels,
    encoder_settings,
    frame_fingerprint,
    labels_for,
    read_teachers,
    write_teacher,
)
from analysis.model.thresholds import threshold_grid
from analysis.params import TrainParams, load_params

NO_RULES = {"combine": "majority", "min_accuracy": 0.0, "voting_lfs": []}
PLACES = ("north", "south", "east", "west", "old", "new")


def _set(prefix: str, rows: list[tuple[str, dict]], *, source: str = "gold") -> pd.DataFrame:
    """A training set (SET_COLUMNS) from (text, {type: True}) rows."""
    frame = pd.DataFrame(
        {
            "doc_id": [f"ucdp_iraq:{prefix}{i:03d}" for i in range(len(rows))],
            "collection": "ucdp_iraq",
            "source": source,
            "stratum": "random",
            "weight": 1.0,
            "text": [text for text, _ in rows],
        }
    )
    for t in EVENT_TYPES:
        frame[t] = pd.array([bool(labels.get(t)) for _, labels in rows], dtype="boolean")
    return frame[SET_COLUMNS]


def _gold() -> pd.DataFrame:
    rows = []
    for p in PLACES:
        rows.append((f"Warplanes struck the {p} district", {"airstrike": True}))  # airstrike
        rows.append((f"Troops fought rebels in the {p} district", {"clash": True}))  # clash
        rows.append((f"Officials met in the {p} district to discuss the harvest", {}))  # nothing
    return _set("g", rows)


def _weak() -> pd.DataFrame:
    # the rules called both weak rows a clash; the teacher will say airstrike for the first
    return _set(
        "w",
        [("Jets hit the market in the far district", {"clash": True}), ("Gunmen fought police", {"clash": True})],
        source="weak",
    )


@pytest.fixture(scope="module")
def spec():
    base = load_params("train").spec()
    return dataclasses.replace(
        base, family="mixture", type_family={"airstrike": "distilled"}, min_positives=3, calibration_folds=2, min_df=1
    )


def _teacher(frame: pd.DataFrame, spec, *, fit: str = "train") -> TeacherLabels:
    """A hand-written teacher for the weak rows of ``frame``: airstrike for the first, clash for the second."""
    weak = frame[frame["source"] == "weak"]
    labels = pd.DataFrame({"doc_id": weak["doc_id"].tolist(), "airstrike": [1, 0], "clash": [0, 0]})
    thresholds = {"airstrike": 0.4, "clash": 0.6}
    return TeacherLabels(fit, frame_fingerprint(frame), thresholds, encoder_settings(spec.encoder), labels)


def test_the_fingerprint_tells_frames_apart():
    frame = _gold()
    assert frame_fingerprint(frame) == frame_fingerprint(frame.copy())  # same rows, same print
    assert frame_fingerprint(frame) != frame_fingerprint(frame.iloc[1:])  # a row fewer
    edited = frame.assign(text=frame["text"].str.replace("north", "nord"))
    assert frame_fingerprint(frame) != frame_fingerprint(edited)  # a text changed under the same id
    assert frame_fingerprint(frame) == frame_fingerprint(frame.assign(clash=True))  # labels are not the frame


def test_distilled_labels_replace_only_the_weak_rows_of_the_distilled_types(spec):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    out = distilled_labels(frame, _teacher(frame, spec), spec.distilled_types())
    gold = frame["source"] == "gold"
    pd.testing.assert_frame_equal(out[gold], frame[gold])  # gold keeps every label
    assert out["airstrike"].iloc[-2:].tolist() == [True, False]  # the distilled type: the teacher's
    assert out["clash"].iloc[-2:].tolist() == [True, True]  # a linear type keeps the rules' labels
    assert out["airstrike"].dtype == frame["airstrike"].dtype


def test_a_weak_row_without_a_teacher_label_is_an_error(spec):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    taught = _teacher(frame, spec)
    taught = dataclasses.replace(taught, labels=taught.labels.iloc[:1])
    with pytest.raises(DataError, match="no label for weak document ucdp_iraq:w001"):
        distilled_labels(frame, taught, spec.distilled_types())


def test_a_stale_teacher_is_refused_with_what_to_run(spec):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    teachers = [_teacher(frame, spec)]
    assert labels_for(teachers, frame, encoder=spec.encoder) is teachers[0]
    with pytest.raises(DataError, match="re-run `make teacher`") as err:
        labels_for(teachers, frame.iloc[1:], encoder=spec.encoder)  # the training data changed
    assert "\n" not in str(err.value)
    other = dataclasses.replace(spec.encoder, epochs=spec.encoder.epochs + 1)
    with pytest.raises(DataError, match="other train.encoder settings"):
        labels_for(teachers, frame, encoder=other)


def test_teachers_round_trip_through_their_files(spec, tmp_path):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    write_teacher(tmp_path, _teacher(frame, spec))
    (back,) = read_teachers(tmp_path)
    assert back.fit == "train" and back.thresholds == {"airstrike": 0.4, "clash": 0.6}
    assert labels_for([back], frame, encoder=spec.encoder).labels["airstrike"].tolist() == [1, 0]
    (tmp_path / "train.json").write_text('{"format": "something else"}')
    with pytest.raises(DataError, match="not a teacher's labels"):
        read_teachers(tmp_path)


def test_no_teacher_is_read_where_none_is_needed(spec, tmp_path):
    linear = dataclasses.replace(spec, family="linear", type_family={})
    assert committed_teachers(linear, "committed", tmp_path) is None  # a linear model has no distilled type
    assert committed_teachers(spec, "fit", tmp_path) is None  # the stages fine-tune their own
    with pytest.raises(DataError, match="no teacher labels; run `make teacher`"):
        committed_teachers(spec, "committed", tmp_path)  # needed, and none committed


def test_the_mixture_learns_its_distilled_types_from_the_teacher(spec):
    train = pd.concat([_gold(), _weak()], ignore_index=True)
    dev = _set("d", [("Warplanes struck the far district", {"airstrike": True}), ("A quiet day", {})])
    kwargs = {"label_model": NO_RULES, "grid": threshold_grid(0.05), "refit_on_dev": False, "seed": 1}
    model, _, _, learned = train_model(train, dev, spec=spec, teachers=[_teacher(train, spec)], **kwargs)
    assert learned["airstrike"].tolist()[-2:] == [True, False]  # the teacher's
    assert learned["clash"].tolist()[-2:] == [True, True]  # the rules'
    assert model.teacher_thresholds_ == {"airstrike": 0.4, "clash": 0.6}
    # a cross-fitted fold's refit needs the teacher fitted on exactly its rows
    fold = crossfit.with_labels(train, learned).iloc[3:].reset_index(drop=True)
    with pytest.raises(DataError, match="no teacher was fitted on this training frame"):
        refit_model(model, fold, teachers=[_teacher(train, spec)])
    refit = refit_model(model, fold, teachers=[_teacher(fold, spec, fit="fold_0")])
    assert refit.thresholds == model.thresholds


@pytest.mark.parametrize(
    "family, type_family, message",
    [
        ("mixture", {"clash": "encoder"}, "a type's family must be one of"),  # the encoder needs its network
        ("mixture", {"clashes": "distilled"}, "unknown event type"),  # a typo in a type
        ("mixture", {"clash": "linear"}, "needs a distilled type"),  # a mixture that is all linear
        ("linear", {"clash": "distilled"}, "is for train.family: mixture"),  # per type, but not a mixture
    ],
)
def test_bad_type_families_are_one_line_errors(family, type_family, message):
    section = {**read_yaml(paths.PARAMS)["train"], "family": family, "type_family": type_family}
    with pytest.raises(ParamsError, match=message) as err:
        build(TrainParams, section, "train")
    assert "\n" not in str(err.value)


def test_the_teacher_source_is_checked():
    section = {**read_yaml(paths.PARAMS)["train"], "teacher": "download"}
    with pytest.raises(ParamsError, match="train.teacher: must be one of"):
        build(TrainParams, section, "train")
