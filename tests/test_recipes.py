"""The README's daily loop, run as written on a fresh clone: status, an experiment, the restore.

A fresh clone is what a researcher starts from, so these tests clone the committed repository
(``git clone`` of HEAD: commit before running them) rather than trust this checkout's state.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis import paths

BIN = Path(sys.executable).parent  # the project's environment: python, dvc


def _env() -> dict[str, str]:
    # dvc exp run commits experiment refs: give git an identity the CI machine may lack
    ident = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "t@example.org"}
    ident |= {"GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **ident}


def _run(command: str, cwd: Path, timeout: int = 900) -> str:
    done = subprocess.run(
        command, shell=True, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"`{command}` exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


def _clone(tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(paths.ROOT), str(clone)], check=True)
    return clone


def readme_commands(heading: str) -> list[str]:
    """Return the commands of the first bash block under ``heading`` in the README, comments removed."""
    text = (paths.ROOT / "README.md").read_text()
    section = text.split(f"## {heading}\n", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL).group(1)
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def _stage_names(out: str) -> set[str]:
    # `dvc status` names each stage on an unindented line: `name:`, or `other/dvc.yaml:name:`
    return {line[:-1] for line in out.splitlines() if line.endswith(":") and not line[:1].isspace()}


def test_bare_dvc_status_of_a_fresh_clone_answers_about_the_study_only(tmp_path):
    # nothing built yet: the study's stages are listed, the checks' and the yardstick's never
    clone = _clone(tmp_path)
    study = set(yaml.safe_load(paths.DVC_YAML.read_text())["stages"])
    others = set()
    for pipeline in (paths.CHECKS_DVC_YAML, paths.BENCHMARK_DVC_YAML):
        others |= set(yaml.safe_load(pipeline.read_text())["stages"])
    named = _stage_names(_run("dvc status", clone))
    assert named and named <= study
    assert not named & others
    # the checks answer where they are asked for
    assert _stage_names(_run("dvc status", clone / "checks")) <= others


def test_the_restore_recipe_is_in_the_readme():
    commands = readme_commands("Try a change, then restore the outputs")
    assert commands[0].startswith("dvc exp run -S ")
    assert commands[-1] == "git checkout params.yaml dvc.lock && dvc checkout"


@pytest.mark.slow
@pytest.mark.fresh_clone  # retrains the model and the cross-fit: about 400 s, outside make test's 10 minutes
def test_the_readme_experiment_and_restore_recipe_on_a_fresh_clone(tmp_path):
    # needs the built pipeline of this checkout (make test builds it first): the clone shares its
    # DVC cache, so `dvc checkout` gives it the committed outputs without rebuilding them
    clone = _clone(tmp_path)
    _run(f"dvc cache dir --local {paths.ROOT / '.dvc' / 'cache'}", clone)
    _run("dvc checkout", clone)
    assert "up to date" in _run("dvc status", clone), "the clone's outputs must match its dvc.lock (run dvc repro)"
    model = clone / paths.relative(paths.MODEL)
    committed_model = model.read_bytes()
    test_scores = {p: p.read_bytes() for p in (clone / "results" / "test").rglob("*") if p.is_file()}

    commands = readme_commands("Try a change, then restore the outputs")
    *experiment, restore = commands
    outputs = [_run(command, clone) for command in experiment]
    assert model.read_bytes() != committed_model, "the variant retrained the model"
    # the frozen test set was not re-scored by the experiment
    assert {p: p.read_bytes() for p in test_scores} == test_scores
    assert "Running stage 'score_test'" not in outputs[0]
    table = outputs[-1].splitlines()  # the experiments table, in 120 columns
    assert max(len(line) for line in table) <= 120
    assert any("train.c=1.0" in line for line in table), outputs[-1]

    _run(restore, clone)
    assert _run("git status --porcelain --untracked-files=no", clone).strip() == ""
    assert "up to date" in _run("dvc status", clone)
    assert model.read_bytes() == committed_model
