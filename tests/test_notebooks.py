"""Every notebook runs headlessly against the pipeline outputs (run `dvc repro` first)."""

from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from analysis import paths

pytestmark = pytest.mark.notebooks

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.py"))


def test_there_are_three_paired_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_corpus_overview.py", "02_model_diagnostics.py", "03_reporting_bias.py"]
    for path in NOTEBOOKS:
        assert "formats: ipynb,py:percent" in path.read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path):
    if not paths.NUMBERS.exists():
        pytest.fail(
            f"pipeline outputs missing ({paths.relative(paths.NUMBERS)}): run `dvc repro` (or `make test`) first"
        )
    notebook = jupytext.read(path)
    NotebookClient(
        notebook, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
