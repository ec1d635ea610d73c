"""The encoder and distilled families (train.family): passages, fine-tuning, model files, distilled labels.

They fine-tune the real pinned encoder on a few hand-written sentences for one short
epoch, so each fit takes seconds on CPU.
"""

import copy
import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.config import build, read_yaml
from analysis.errors import DataError, ParamsError
from analysis.model import crossfit, encoder, persist
from analysis.model.embeddings import encoder_dir
from analysis.model.families import EncoderClassifier, _fine_tune_rows, refit_model, train_model
from analysis.model.teacher import distilled_labels, taught_by
from analysis.model.thresholds import threshold_grid
from analysis.params import TrainParams, load_params

from training_sets import NO_RULES, labelled_set

pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

PLACES = ("north", "south", "east", "west", "old", "new")


def _rows(places) -> list[tuple[str, dict]]:
    rows = []
    for p in places:
        rows.append((f"Warplanes struck the {p} district", {"airstrike": True}))  # airstrike
        rows.append((f"Officials met in the {p} district to discuss the harvest", {}))  # nothing
    return rows


@pytest.fixture(scope="module")
def spec():
    # tiny sets: a low back-off bar, one epoch of short passages at a brisk learning rate
    base = load_params("train").spec()
    tiny = dataclasses.replace(base.encoder, max_tokens=16, max_passages=2, epochs=2, batch_size=4, learning_rate=5e-4)
    return dataclasses.replace(
        base, family="encoder", type_family={}, encoder=tiny, min_positives=3, calibration_folds=2, min_df=1
    )


@pytest.fixture(scope="module")
def fitted(spec):
    train = labelled_set("t", _rows(PLACES))
    return EncoderClassifier(spec, seed=1).fit(train["text"], train, label_model=NO_RULES)


def test_passages_split_long_texts_and_keep_empty_ones():
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(encoder_dir("all-MiniLM-L6-v2")))
    texts = ["one two three four five six seven eight nine ten", "", "short"]
    psg = encoder.passages(texts, tokenizer=tokenizer, max_tokens=6, max_passages=2)
    # 10 words, 4 per passage: 3 passages, the first 2 kept; the empty text still gets one passage
    assert psg.doc.tolist() == [0, 0, 1, 2]
    assert all(len(p) <= 6 and p[0] == tokenizer.cls_token_id and p[-1] == tokenizer.sep_token_id for p in psg.ids)
    assert psg.ids[2] == [tokenizer.cls_token_id, tokenizer.sep_token_id]


def test_fine_tuning_learns_and_backs_off_rare_types(fitted):
    # airstrike has 6 positives (learned); every other type has none and backs off to the rules
    assert fitted.learned_types() == ["airstrike"]
    proba = fitted.predict_proba(pd.Series(["Warplanes struck the far district", "Officials met in the far district"]))
    assert proba.loc[0, "p_airstrike"] > proba.loc[1, "p_airstrike"]
    assert (proba.drop(columns="p_airstrike") == 0).all().all()  # no rule votes (NO_RULES)


def test_fine_tuning_repeats_exactly(spec, fitted):
    # same data, seed and threads: the same weights, to the bit (dvc repro -f keeps dvc.lock)
    train = labelled_set("t", _rows(PLACES))
    again = EncoderClassifier(spec, seed=1).fit(train["text"], train, label_model=NO_RULES)
    for (name, a), (_, b) in zip(fitted.net_.state_dict().items(), again.net_.state_dict().items(), strict=True):
        assert np.array_equal(a.numpy(), b.numpy()), name


def test_an_encoder_model_file_round_trips_byte_stably(fitted, tmp_path):
    fitted = copy.copy(fitted)  # the fixture is shared: change a copy's thresholds
    fitted.thresholds = {**fitted.thresholds, "airstrike": 0.42}
    persist.save(tmp_path / "a", fitted)
    persist.save(tmp_path / "b", fitted)
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
    assert persist.codebook_of(tmp_path / "a")["event_types"] == list(fitted.event_types)  # pinnable elsewhere
    loaded = persist.load(tmp_path / "a")
    texts = pd.Series(["Warplanes struck the far district", "Officials met"])
    pd.testing.assert_frame_equal(loaded.predict_proba(texts), fitted.predict_proba(texts))
    assert loaded.thresholds == fitted.thresholds and loaded.learned_types() == fitted.learned_types()


def test_a_foreign_safetensors_file_is_refused(tmp_path):
    import torch
    from safetensors.torch import save_file

    save_file({"w": torch.zeros(2)}, str(tmp_path / "other.safetensors"))  # someone else's tensors
    with pytest.raises(DataError, match="not an event classifier"):
        persist.load(tmp_path / "other.safetensors")


def test_fine_tune_rows_take_gold_and_a_capped_extra_sample():
    # 2 gold rows, 5 weak rows, 1 out-of-domain row: gold always, 3 of the other 6 at most
    labels = pd.DataFrame({"source": ["gold", "weak", "weak", "ood", "weak", "gold", "weak", "weak"]})
    rows = _fine_tune_rows(labels, max_extra=3, seed=1)
    assert {0, 5} <= set(rows) and len(rows) == 5
    assert rows.tolist() == sorted(rows) and _fine_tune_rows(labels, max_extra=3, seed=1).tolist() == rows.tolist()
    assert len(_fine_tune_rows(labels, max_extra=100, seed=1)) == 8  # a cap above the pool takes it all


def test_distilled_labels_replace_only_the_weak_rows(fitted):
    gold = labelled_set("g", [("Warplanes struck the far district", {})])  # a gold label the teacher would contradict
    weak = labelled_set(
        "w",
        [("Warplanes struck the near district", {}), ("Officials met to plan", {"negotiation": True})],
        source="weak",
    )
    fitted = copy.copy(fitted)
    fitted.thresholds = {**fitted.thresholds, "airstrike": 0.5}
    frame = pd.concat([gold, weak], ignore_index=True)
    out = distilled_labels(frame, taught_by(fitted, frame, fit="train"), EVENT_TYPES)
    assert not out.loc[0, "airstrike"]  # gold keeps its label
    assert out.loc[1, "airstrike"] and not out.loc[2, "airstrike"]  # weak rows take the teacher's
    assert out.loc[2, "negotiation"]  # a back-off type keeps its weak label


def test_train_model_reports_the_labels_it_learned_from(spec):
    linear = dataclasses.replace(spec, family="linear")
    train, dev = labelled_set("t", _rows(PLACES)), labelled_set("d", _rows(("far", "near")))
    kwargs = {"label_model": NO_RULES, "grid": threshold_grid(0.05), "refit_on_dev": False, "seed": 1}
    model, _, _, labels = train_model(train, dev, spec=linear, **kwargs)
    assert labels["doc_id"].tolist() == train["doc_id"].tolist()
    pd.testing.assert_frame_equal(crossfit.with_labels(train, labels), train)
    with pytest.raises(DataError, match="not one row per training-set row"):
        crossfit.with_labels(train, labels.iloc[::-1])


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("family", "transformer", "train.family: must be one of"),  # an unknown family
        ("encoder", {"name": "bert-large"}, "train.encoder.name"),  # an encoder that is not pinned
        ("encoder", {"threads": 0}, "train.encoder.threads"),  # no thread to run on
        ("encoder", {"name": "conflibert", "path": "models/conflibert"}, "train.encoder.sha256"),  # own, unpinned
        ("encoder", {"device": "tpu"}, "train.encoder.device"),  # no such device
    ],
)
def test_bad_family_settings_are_one_line_errors(key, value, message):
    section = read_yaml(paths.PARAMS)["train"]
    section[key] = {**section["encoder"], **value} if isinstance(value, dict) else value
    with pytest.raises(ParamsError, match=message) as err:
        build(TrainParams, section, "train")
    assert "\n" not in str(err.value)


def test_a_distilled_model_refits_with_a_teacher_of_its_own(spec):
    # the cross-fitted folds: the refit's teacher is fine-tuned on the refit's data alone, and
    # the refit keeps the saved model's thresholds and learned types
    distilled = dataclasses.replace(spec, family="distilled")
    weak = labelled_set("w", [(f"Jets bombed the {p} quarter", {}) for p in PLACES], source="weak")
    train = pd.concat([labelled_set("t", _rows(PLACES)), weak], ignore_index=True)
    dev = labelled_set("d", _rows(("far", "near")))
    kwargs = {"label_model": NO_RULES, "grid": threshold_grid(0.05), "refit_on_dev": False, "seed": 1}
    model, _, _, labels = train_model(train, dev, spec=distilled, **kwargs)
    assert model.teacher_thresholds_ and set(model.teacher_thresholds_) <= set(EVENT_TYPES)  # the teacher's cuts
    assert labels["doc_id"].tolist() == train["doc_id"].tolist()
    refit = refit_model(model, train.iloc[2:].reset_index(drop=True))
    assert refit.thresholds == model.thresholds and refit.learned_types() == model.learned_types()


def test_your_own_encoder_folder_is_used_when_its_sha256_matches(spec, tmp_path):
    # bring your own encoder: the packaged MiniLM's folder named by path and sha256 fine-tunes as the packaged one
    from analysis.io import sha256_file

    packaged = encoder_dir("all-MiniLM-L6-v2")
    digest = sha256_file(packaged / "model.safetensors")
    own = dataclasses.replace(
        spec, encoder=dataclasses.replace(spec.encoder, name="my-encoder", path=str(packaged), sha256=digest)
    )
    assert encoder.folder(own.encoder) == packaged.resolve()
    train = labelled_set("t", _rows(PLACES))
    fitted = EncoderClassifier(own, seed=1).fit(train["text"], train, label_model=NO_RULES)
    assert fitted.learned_types() == ["airstrike"]
    wrong = dataclasses.replace(own.encoder, sha256="0" * 64)  # another file than the one named
    with pytest.raises(DataError, match="sha256 is not train.encoder.sha256"):
        encoder.folder(wrong)
    with pytest.raises(DataError, match="no model.safetensors"):
        encoder.folder(dataclasses.replace(own.encoder, path=str(tmp_path)))  # an empty folder


def test_the_device_is_the_one_set_or_the_first_present(spec, monkeypatch):
    import torch

    # set explicitly: used as set
    assert encoder.device(dataclasses.replace(spec.encoder, device="cpu")) == "cpu"
    # auto: cuda first, then mps, then cpu
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert encoder.device(dataclasses.replace(spec.encoder, device="auto")) == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert encoder.device(dataclasses.replace(spec.encoder, device="auto")) == "cpu"
