"""A pinned classifier: the switch in params.yaml, the model file's codebook, its installation, its predictions."""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.codebook import CODEBOOK_VERSION, EVENT_TYPES
from analysis.config import build
from analysis.corpus.sources import AcquireError
from analysis.errors import DataError
from analysis.labels import gold
from analysis.model import persist, pinned
from analysis.params import ClassifierParams, ParamsError, check_params, load_params

SHA = "0" * 64


def _classifier(**values) -> ClassifierParams:
    return build(ClassifierParams, values, "classifier")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        # the study trains its classifier: a file beside it would be ignored, so it is refused
        ({"source": "trained", "path": "m.skops"}, r"\['path'\] are for source: pinned"),
        # a pinned file without its hash cannot be verified
        ({"source": "pinned", "path": "m.skops"}, "needs the sha256"),
        # both a path and a url: which one is meant?
        ({"source": "pinned", "path": "m.skops", "url": "https://x/m.skops", "sha256": SHA}, "exactly one of path"),
        # neither
        ({"source": "pinned", "sha256": SHA}, "exactly one of path"),
        # a hash that is not one
        ({"source": "pinned", "path": "m.skops", "sha256": "abc"}, "64 lower-case hex"),
        # an unknown source
        ({"source": "download"}, r"must be one of \['trained', 'pinned'\]"),
    ],
)
def test_bad_classifier_settings_are_one_line_errors(values, message):
    with pytest.raises(ParamsError, match=message):
        _classifier(**values)


def _pinned_params(tmp_path, **change) -> object:
    data = yaml.safe_load((paths.ROOT / "own_study" / "params.yaml").read_text())
    data.update(change)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_pinned_project_reads_its_own_sections_and_refuses_the_studys(tmp_path):
    # the shipped own_study/params.yaml is valid as it is
    assert set(check_params(path=_pinned_params(tmp_path))) == {
        "base",
        "engine",
        "acquire",
        "clean",
        "classifier",
        "report",
    }
    # a training section would never be read: refused, named
    with pytest.raises(ParamsError, match=r"\['train'\] are not read with classifier.source: pinned"):
        check_params(path=_pinned_params(tmp_path, train=yaml.safe_load(paths.PARAMS.read_text())["train"]))
    # gold is left out: its defaults (no study stratum) apply
    assert load_params("gold", path=_pinned_params(tmp_path)).train_only_strata == ()
    # the study's params.yaml still needs every section
    data = yaml.safe_load(paths.PARAMS.read_text())
    del data["weak_label"]
    (tmp_path / "study.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ParamsError, match=r"missing section\(s\) \['weak_label'\]"):
        check_params(path=tmp_path / "study.yaml")


def test_a_project_folder_moves_params_data_and_own_annotations_but_not_the_studys(tmp_path):
    code = (
        "from analysis import paths; import json; print(json.dumps([str(p) for p in "
        "(paths.PARAMS, paths.DOCUMENTS, paths.OWN_ANNOTATIONS, paths.ANNOTATIONS, paths.BEHAVIOUR_CASES)]))"
    )
    env = {**os.environ, "ANALYSIS_PROJECT": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    params, documents, own, study, cases = json.loads(out.stdout)
    assert params == str(tmp_path / "params.yaml")
    assert documents == str(tmp_path / "data" / "interim" / "documents.parquet")
    assert own == str(tmp_path / "annotations" / "own")
    # the study's gold and the behavioural suite belong to the package
    assert study == str(paths.ROOT / "annotations" / "labels.csv") and cases.startswith(str(paths.ROOT))


def test_every_model_file_records_its_codebook(small_model, tmp_path):
    persist.save(tmp_path / "m.skops", small_model)
    assert persist.codebook_of(tmp_path / "m.skops") == {
        "codebook_version": CODEBOOK_VERSION,
        "event_types": list(EVENT_TYPES),
    }
    # and it still loads as the model it was
    assert persist.load(tmp_path / "m.skops").event_types == list(EVENT_TYPES)


def _with_codebook(data: bytes, record: dict | None) -> bytes:
    """Rewrite a skops archive with another codebook record (None: none, as files written before)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in source.namelist():
            if name != persist.CODEBOOK_ENTRY:
                zf.writestr(name, source.read(name))
        if record is not None:
            zf.writestr(persist.CODEBOOK_ENTRY, json.dumps(record))
    return out.getvalue()


def _pin(tmp_path, data: bytes) -> ClassifierParams:
    (tmp_path / "pinned.skops").write_bytes(data)
    return _classifier(source="pinned", path=str(tmp_path / "pinned.skops"), sha256=hashlib.sha256(data).hexdigest())


def test_a_pinned_model_is_installed_verified_and_described(small_model, tmp_path):
    params = _pin(
        tmp_path, persist.dumps(small_model, extra={persist.CODEBOOK_ENTRY: persist.codebook_record().encode()})
    )
    dest = tmp_path / "models" / "event_classifier.skops"
    dest.parent.mkdir()
    card = pinned.install(params, dest, mirror=None, retries=1, timeout_s=1)
    assert dest.read_bytes() == (tmp_path / "pinned.skops").read_bytes()
    assert card["source"] == "pinned" and card["sha256"] == params.sha256
    assert card["codebook_version"] == CODEBOOK_VERSION and set(card["learned_types"]) <= set(EVENT_TYPES)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        # trained under another version of the codebook: its types may mean something else
        ({"codebook_version": CODEBOOK_VERSION + 1, "event_types": list(EVENT_TYPES)}, "codebook version 2"),
        # the same version, but other types (a codebook edited without a new version)
        ({"codebook_version": CODEBOOK_VERSION, "event_types": ["clash"]}, r"event types \['clash'\]"),
        # written before model files recorded their codebook
        (None, "records no codebook version"),
    ],
)
def test_a_model_of_another_codebook_is_refused_and_nothing_is_left(small_model, tmp_path, record, message):
    params = _pin(tmp_path, _with_codebook(persist.dumps(small_model), record))
    dest = tmp_path / "models" / "event_classifier.skops"
    dest.parent.mkdir()
    with pytest.raises(DataError, match=message):
        pinned.install(params, dest, mirror=None, retries=1, timeout_s=1)
    assert not dest.exists()


def test_a_changed_model_file_no_longer_matches_its_pin(small_model, tmp_path):
    params = _pin(tmp_path, persist.dumps(small_model))
    (tmp_path / "pinned.skops").write_bytes(b"PK another file")
    dest = tmp_path / "models" / "event_classifier.skops"
    dest.parent.mkdir()
    with pytest.raises(AcquireError, match="sha256 mismatch"):
        pinned.install(params, dest, mirror=None, retries=1, timeout_s=1)
    assert not dest.exists()


def test_out_of_sample_predictions_cover_every_eligible_document_once():
    documents = pd.DataFrame(
        {
            "doc_id": ["c:3", "c:1", "c:2"],
            "sealed": [False, False, True],  # c:2 is sealed: never in a gold sample's frame
            "sealed_group": [False, False, True],
        }
    )
    predictions = pd.DataFrame({"doc_id": ["c:1", "c:2", "c:3"]})
    for t in EVENT_TYPES:
        predictions[t] = [True, False, False]
        predictions[f"p_{t}"] = [0.9, 0.1, 0.2]
    out = pinned.out_of_sample(documents, predictions)
    assert list(out["doc_id"]) == ["c:1", "c:3"] and out["fold"].eq(0).all()
    assert out["clash"].tolist() == [True, False] and out["p_clash"].tolist() == [0.9, 0.2]


def test_a_sample_stratum_is_neither_fitted_on_nor_scored():
    documents = pd.DataFrame(
        {"doc_id": ["o:1", "o:2"], "collection": "o", "text_group": ["o:1", "o:2"], "sealed": False}
    )
    labels = pd.DataFrame(
        {"doc_id": ["o:1", "o:2"], "pass": "adjudicated", "labels": ["clash", ""], "stratum": "own_random"}
    )
    common = {"seed": 1, "fractions": (0.5, 0.2, 0.3), "retired_test_dev_share": 0.5, "test_strata": ()}
    table = gold.gold_table(labels, documents, train_only_strata=(), sample_strata=("own_random",), **common)
    assert table["split"].eq("sample").all() and table["clash"].tolist() == [True, False]
    # a stratum named nowhere is still an error, which names where it could be declared
    with pytest.raises(DataError, match=r"report.sample_strata \[\]"):
        gold.gold_table(labels, documents, train_only_strata=(), **common)
