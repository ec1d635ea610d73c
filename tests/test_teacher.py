"""The teacher's committed labels (analysis.model.teacher) and the mixture family that learns from them.

The teacher here is written by hand (no fine-tune): what is tested is how its labels are
found, checked and used, which needs no encoder.
"""

import dataclasses

import pandas as pd
import pytest

from analysis import paths
from analysis.config import build, read_yaml
from analysis.errors import DataError, ParamsError
from analysis.model import crossfit
from analysis.model.families import refit_model, train_model
from analysis.model.teacher import (
    TeacherLabels,
    committed_teachers,
    distilled_labels,
    encoder_settings,
    frame_fingerprint,
    labels_for,
    read_teachers,
    teacher_labels,
    write_teacher,
)
from analysis.model.thresholds import threshold_grid
from analysis.params import TrainParams, load_params

from training_sets import NO_RULES, labelled_set

PLACES = ("north", "south", "east", "west", "old", "new")


def _gold() -> pd.DataFrame:
    rows = []
    for p in PLACES:
        rows.append((f"Warplanes struck the {p} district", {"airstrike": True}))  # airstrike
        rows.append((f"Troops fought rebels in the {p} district", {"clash": True}))  # clash
        rows.append((f"Officials met in the {p} district to discuss the harvest", {}))  # nothing
    return labelled_set("g", rows)


def _weak() -> pd.DataFrame:
    # the rules called both weak rows a clash; the teacher will say airstrike for the first
    return labelled_set(
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
    labels = pd.DataFrame({"doc_id": weak["doc_id"].tolist(), "airstrike": [1, 0][: len(weak)], "clash": 0})
    thresholds = {"airstrike": 0.4, "clash": 0.6}
    return teacher_labels(fit, frame, thresholds, encoder_settings(spec.encoder), labels)


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


def test_a_grown_frame_is_served_and_its_added_weak_rows_keep_the_rules_labels(spec, caplog):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    taught = _teacher(frame, spec)
    # a researcher's corpus added beside the study's: one more weak row, which the teacher never saw
    added = labelled_set("x", [("Aircraft bombed the port", {"clash": True})], source="weak")
    grown = pd.concat([frame, added], ignore_index=True)
    assert labels_for([taught], grown, encoder=spec.encoder) is taught
    assert "1 of this frame's 3 weak documents were added since" in caplog.text
    out = distilled_labels(grown, taught, spec.distilled_types())
    assert out["airstrike"].iloc[-3:].tolist() == [True, False, False]  # taught, taught, the rules' (none)
    assert out["clash"].iloc[-1]  # the added row: the rules' labels throughout


def test_a_stale_teacher_is_refused_with_what_to_run(spec):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    teachers = [_teacher(frame, spec)]
    assert labels_for(teachers, frame, encoder=spec.encoder) is teachers[0]
    with pytest.raises(DataError, match="re-run `make teacher`") as err:
        labels_for(teachers, frame.iloc[:-1], encoder=spec.encoder)  # a weak row it learnt from is gone
    assert "\n" not in str(err.value)
    edited = frame.assign(text=frame["text"].str.replace("police", "the police"))
    with pytest.raises(DataError, match="re-run `make teacher`"):
        labels_for(teachers, edited, encoder=spec.encoder)  # a weak row's text changed under its id
    other = dataclasses.replace(spec.encoder, epochs=spec.encoder.epochs + 1)
    with pytest.raises(DataError, match="other train.encoder settings"):
        labels_for(teachers, frame, encoder=other)


def test_a_teacher_that_saw_a_held_out_document_never_serves_the_fold(spec):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    everything = _teacher(frame, spec, fit="train")  # learnt from both weak rows
    fold = frame.iloc[:-1]  # a fold's refit: the second weak row is held out
    fold_teacher = _teacher(pd.concat([_gold(), _weak().iloc[:1]], ignore_index=True), spec, fit="fold_0")
    assert labels_for([everything, fold_teacher], fold, encoder=spec.encoder) is fold_teacher
    with pytest.raises(DataError, match="no teacher saw only rows of this training frame"):
        labels_for([everything], fold, encoder=spec.encoder)  # never the one that saw the held-out row
    # of two teachers a grown frame holds whole, the one that labels more of it
    grown = pd.concat([frame, labelled_set("x", [("Aircraft bombed the port", {})], source="weak")], ignore_index=True)
    assert labels_for([fold_teacher, everything], grown, encoder=spec.encoder) is everything


def test_a_teacher_that_saw_a_held_out_gold_document_is_refused(spec):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    taught = _teacher(frame, spec)
    # a fold holding out one gold document (no weak row): the teacher learnt that document's gold labels
    with pytest.raises(DataError, match="no teacher saw only rows of this training frame"):
        labels_for([taught], frame.iloc[1:], encoder=spec.encoder)
    # nor one whose gold text changed under its id since
    edited = frame.assign(text=frame["text"].str.replace("Warplanes struck the north", "Jets struck the north"))
    with pytest.raises(DataError, match="re-run `make teacher`"):
        labels_for([taught], edited, encoder=spec.encoder)


def test_teachers_round_trip_through_their_files(spec, tmp_path):
    frame = pd.concat([_gold(), _weak()], ignore_index=True)
    write_teacher(tmp_path, _teacher(frame, spec))
    (back,) = read_teachers(tmp_path)
    assert back.fit == "train" and back.thresholds == {"airstrike": 0.4, "clash": 0.6}
    assert back.seen["source"].value_counts().to_dict() == {"gold": 18, "weak": 2}  # every row it could learn from
    assert labels_for([back], frame, encoder=spec.encoder).labels["airstrike"].tolist() == [1, 0]
    assert [t.fit for t in read_teachers(tmp_path, fits=("train",))] == ["train"]  # the fits asked for
    with pytest.raises(DataError, match="no teacher labels"):
        read_teachers(tmp_path, fits=("fold_0",))
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
    dev = labelled_set("d", [("Warplanes struck the far district", {"airstrike": True}), ("A quiet day", {})])
    kwargs = {"label_model": NO_RULES, "grid": threshold_grid(0.05), "refit_on_dev": False, "seed": 1}
    model, _, _, learned = train_model(train, dev, spec=spec, teachers=[_teacher(train, spec)], **kwargs)
    assert learned["airstrike"].tolist()[-2:] == [True, False]  # the teacher's
    assert learned["clash"].tolist()[-2:] == [True, True]  # the rules'
    assert model.teacher_thresholds_ == {"airstrike": 0.4, "clash": 0.6}
    # a cross-fitted fold's refit (a weak row held out) needs a teacher that never saw the held-out row
    fold = crossfit.with_labels(train, learned).iloc[:-1].reset_index(drop=True)
    with pytest.raises(DataError, match="no teacher saw only rows of this training frame"):
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
