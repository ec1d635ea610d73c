"""Model persistence and the metrics."""

import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model import evaluate, persist


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
    with pytest.raises(DataError, match="neither a skops nor a safetensors model file"):
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
