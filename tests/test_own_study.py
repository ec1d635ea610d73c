"""Your corpus alone, end to end: own_study/dvc.yaml's stages on the hand-written corpus with the study's model.

The stages run in the order of ``own_study/dvc.yaml`` (its commands, as DVC would run them) in a
temporary project folder whose params.yaml is the shipped one with absolute paths. Then a gold
round in Label Studio's export format (``tests/fixtures/own_corpus_label_studio_*.json``) is
imported with ``annotate import``, and the estimates use it. ``.ci/run`` runs the same through
``dvc repro`` in ``own_study/`` itself.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import paths

pytestmark = pytest.mark.slow  # needs the study's model file (make repro)

FIXTURES = Path(__file__).parent / "fixtures"
STAGES = yaml.safe_load(paths.OWN_STUDY_DVC_YAML.read_text())["stages"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    if not paths.MODEL.is_file():
        pytest.skip("the study's model file is not built: `make repro` first")
    folder = tmp_path_factory.mktemp("own_study")
    params = yaml.safe_load((paths.OWN_STUDY_DVC_YAML.parent / "params.yaml").read_text())
    params["acquire"]["collections"][0]["path"] = str(FIXTURES / "own_corpus.csv")
    params["classifier"].update(path=str(paths.MODEL), sha256=_sha256(paths.MODEL))
    (folder / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    (folder / "annotations" / "own").mkdir(parents=True)
    return folder


def _env() -> dict:
    bindir = str(Path(sys.executable).parent)  # the stage commands call `python`: this environment's
    return {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "ANALYSIS_PROJECT": ""}


def _run_stages(folder: Path, names) -> None:
    for name in names:
        done = subprocess.run(STAGES[name]["cmd"], shell=True, cwd=folder, env=_env(), capture_output=True, text=True)
        assert done.returncode == 0, f"{name}: {done.stderr[-2000:]}"


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**_env(), "ANALYSIS_PROJECT": str(folder)}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=folder, env=env, capture_output=True, text=True
    )


def test_the_shipped_project_pins_the_studys_current_model():
    # own_study/params.yaml runs as shipped once `make repro` has built the study's model
    if not paths.MODEL.is_file():
        pytest.skip("the study's model file is not built")
    shipped = yaml.safe_load((paths.OWN_STUDY_DVC_YAML.parent / "params.yaml").read_text())["classifier"]
    assert shipped["sha256"] == _sha256(paths.MODEL), "update own_study/params.yaml: classifier.sha256"


def test_your_corpus_alone_is_cleaned_labelled_and_estimated_then_annotated_and_estimated_again(project):
    _run_stages(project, STAGES)
    data = project / "data"
    ledger = pd.read_parquet(data / "interim" / "ledger.parquet")
    assert len(ledger) == 25 and set(ledger["collection"]) == {"own_news"}  # no study document anywhere
    card = json.loads((data / "reporting" / "metrics" / "model.json").read_text())
    assert card["source"] == "pinned" and card["codebook_version"] == 1
    predictions = pd.read_parquet(data / "processed" / "predictions.parquet").set_index("doc_id")
    assert len(predictions) == 22 and predictions.loc["own_news:n-003", "bombing"]
    shares = pd.read_csv(data / "reporting" / "tables" / "type_shares.csv")
    # no gold yet: every share has only its logical bounds beside the naive one
    assert shares["collection"].eq("own_news").all() and shares["method"].eq("bounds").all()
    figure = data / "reporting" / "figures" / "classifier_performance.png"
    assert figure.stat().st_size > 0  # says the classifier is pinned, evaluated where it was trained

    # a gold round in Label Studio: export the sample, import two passes and the adjudication
    round_dir = project / "round"
    assert _cli(project, "annotate", "export", str(round_dir), "--collection", "own_news", "--n", "12").returncode == 0
    passes = [f"--{p}={FIXTURES / f'own_corpus_label_studio_{n}.json'}" for p, n in (("a", "a"), ("b", "b"))]
    adjudicated = f"--adjudicated={FIXTURES / 'own_corpus_label_studio_adjudicated.json'}"
    output = project / "annotations" / "own" / "own_news_round1.csv"
    done = _cli(project, "annotate", "import", str(round_dir), *passes, adjudicated, "-o", str(output))
    assert done.returncode == 0, done.stderr
    _run_stages(project, ["gold", "crossfit_pinned", "report"])
    shares = pd.read_csv(data / "reporting" / "tables" / "type_shares.csv")
    assert shares["n_sample"].eq(12).all() and shares["method"].isin(["gold", "ppi++"]).all()
    assert shares["share_est"].between(0, 1).all()
    design = pd.read_csv(data / "reporting" / "tables" / "gold_design.csv")
    assert design.loc[0, "stratum"] == "own_random" and design.loc[0, "role"] == "sample"
