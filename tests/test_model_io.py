"""Model persistence, metrics and the classify command's input handling."""

import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from analysis.__main__ import main as cli
from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model import classify, evaluate, persist
from analysis.params import load_params

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


@pytest.fixture(scope="module")
def small_model():
    from analysis.model.classifier import EventClassifier

    labels = pd.DataFrame({t: [False] * len(TEXTS) for t in EVENT_TYPES})
    for i, text in enumerate(TEXTS):
        labels.loc[i, "airstrike"] = "Warplanes" in text or "Airstrikes" in text
        labels.loc[i, "shelling"] = "Artillery" in text or "Mortars" in text
        labels.loc[i, "advance"] = "captured" in text or "retook" in text
        labels.loc[i, "clash"] = "Clashes" in text or "Fighting" in text
    spec = load_params("train").spec()
    return EventClassifier(spec, seed=1).fit(pd.Series(TEXTS), labels)


def test_model_files_are_byte_identical_and_load_back(small_model, tmp_path):
    first, second = persist.dumps(small_model), persist.dumps(small_model)
    assert first == second
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(io.BytesIO(first)).infolist())
    persist.save(tmp_path / "m.skops", small_model)
    loaded = persist.load(tmp_path / "m.skops")
    texts = pd.Series(["Warplanes struck the town"])
    pd.testing.assert_frame_equal(loaded.predict_proba(texts), small_model.predict_proba(texts))


def test_load_refuses_missing_and_foreign_files(tmp_path):
    with pytest.raises(DataError, match="model file not found"):
        persist.load(tmp_path / "absent.skops")
    (tmp_path / "bad.skops").write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a skops model file"):
        persist.load(tmp_path / "bad.skops")


def test_example_f1_drops_empty_empty_documents():
    y = np.array([[1, 0], [0, 0], [0, 0]], dtype=bool)
    p = np.array([[1, 0], [0, 0], [1, 0]], dtype=bool)
    # doc 2 is empty in both and dropped; doc 1 scores 1, doc 3 scores 0
    assert evaluate.example_f1(y, p) == pytest.approx(0.5)


def test_score_table_point_estimates_and_intervals():
    y = pd.DataFrame({t: [True, False, True, False] for t in EVENT_TYPES})
    p = pd.DataFrame({t: [True, True, False, False] for t in EVENT_TYPES})
    table = evaluate.score_table(y, p, n_bootstrap=200, seed=1).set_index("event_type")
    assert table.loc["siege", "precision"] == pytest.approx(0.5)
    assert table.loc["siege", "recall"] == pytest.approx(0.5)
    assert table.loc["siege", "f1_ci_lower"] <= 0.5 <= table.loc["siege", "f1_ci_upper"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("in.csv", "id,body\n1,Warplanes struck\n", r"missing column\(s\) \['text'\]"),  # wrong column name
        ("in.csv", "", "empty file"),  # nothing at all
        ("in.jsonl", '{"id": 1, "text": "ok"}\n{not json\n', "line 2: not valid JSON"),  # broken line
        ("in.txt", "id,text\n1,a\n", "unknown input format"),  # unsupported extension
    ],
)
def test_classify_input_errors_are_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        classify.read_input(str(path))


def test_classify_rejects_bad_encoding(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes("id,text\n1,café\n".encode("latin-1"))
    with pytest.raises(DataError, match="not valid UTF-8"):
        classify.read_input(str(path))


def test_classify_cli_writes_jsonl_and_csv(small_model, tmp_path, capsys):
    model_path = tmp_path / "m.skops"
    persist.save(model_path, small_model)
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "title": "Raid", "text": "Wed 05 Apr 2017 Warplanes struck the town"}\n{"id": "b", "text": "Artillery shelled the district"}\n'
    )
    assert cli(["classify", str(src), "--model", str(model_path)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert set(records[0]) == {"id", "labels", *[f"p_{t}" for t in EVENT_TYPES]}
    out = tmp_path / "out.csv"
    assert cli(["classify", str(src), "-o", str(out), "--model", str(model_path)]) == 0
    assert list(pd.read_csv(out)["id"]) == ["a", "b"]


def test_classify_cli_reports_errors_in_one_line(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,x\n")
    assert cli(["classify", str(src), "--model", str(tmp_path / "m.skops")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "missing column" in err[0]


def test_classify_reads_one_article_from_stdin():
    frame = classify.read_input("-", stdin=io.StringIO("Warplanes struck the town."))
    assert frame.loc[0, "id"] == "stdin"
    with pytest.raises(DataError, match="empty input"):
        classify.read_input("-", stdin=io.StringIO("  \n"))


def test_model_bytes_are_identical_across_processes():
    """id()-based fields (skops keys, scikit-learn's cached stop-word id) must not reach the file."""
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, pandas as pd\n"
        "from analysis.model import persist\n"
        "from analysis.codebook import EVENT_TYPES\n"
        "from analysis.model.classifier import EventClassifier\n"
        "from analysis.params import load_params\n"
        "texts = pd.Series(['Warplanes struck the town', 'Artillery shelled the district', 'Rebels captured the village'] * 4)\n"
        "labels = pd.DataFrame({t: [t == 'airstrike', t == 'shelling', t == 'advance'] * 4 for t in EVENT_TYPES})\n"
        "spec = load_params('train').spec()\n"
        "model = EventClassifier(spec, seed=1).fit(texts, labels)\n"
        "print(hashlib.sha256(persist.dumps(model)).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        .stdout.strip()
        .splitlines()[-1]
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_tables_show_a_tiny_negative_as_zero():
    from analysis.io import to_markdown

    frame = pd.DataFrame({"difference": [-0.0004, -0.02, 0.0]})
    # -0.0004 rounds to zero and shows as 0, never -0; a real negative keeps its sign
    # (the Markdown renderer drops trailing zeros of numeric-looking cells)
    cells = to_markdown(frame, float_format="{:.3f}").split("\n")[2:5]
    assert [c.strip("| ") for c in cells] == ["0", "-0.02", "0"]
