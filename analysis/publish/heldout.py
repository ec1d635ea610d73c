"""Scoring the frozen test set: the one command that reads test, and the log of every scoring.

The ``score_test`` stage is frozen in ``dvc.yaml``, so ``dvc repro`` and ``dvc exp run`` never
re-run it and no experiment reads test without knowing. Its outputs are committed to git under
``results/test/``. Two ways to run it, both through ``python -m analysis score-test``:

- a **scoring** (``--reason TEXT``): the adopted model scores test; the outputs and the
  stage's ``dvc.lock`` entry are replaced, and one dated line is appended to
  ``docs/decisions.md`` saying whether the scores moved;
- a **check** (``--check``, what CI runs): the stage re-runs and must give the committed
  outputs byte for byte; nothing is logged, as nothing new is read. If any output differs,
  the committed files are put back and the check fails without showing the new scores.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import sys
from pathlib import Path

import yaml

from analysis import paths
from analysis.errors import DataError
from analysis.io import write_text

log = logging.getLogger(__name__)

STAGE = "score_test"
#: The line in docs/decisions.md after which each scoring's line is appended.
LOG_MARKER = "<!-- score-test log: one line per scoring, appended by `python -m analysis score-test` -->"


def stage_outputs(dvc_yaml: Path = paths.DVC_YAML) -> list[Path]:
    """Return the outputs of the ``score_test`` stage, as ``dvc.yaml`` lists them."""
    outs = yaml.safe_load(dvc_yaml.read_text())["stages"][STAGE]["outs"]
    return [paths.ROOT / (o if isinstance(o, str) else next(iter(o))) for o in outs]


def _dvc(*args: str) -> str:
    """Run a DVC command of the project's environment in the project root; return its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "dvc", *args], cwd=paths.ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise DataError(f"dvc {' '.join(args)} failed: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout


def stale_stages() -> list[str]:
    """Return the study's stages that ``dvc repro`` would re-run (the frozen stage is never among them)."""
    status = json.loads(_dvc("status", "--json", "dvc.yaml") or "{}")
    return sorted(name.split(":")[-1] for name in status)


def _run_stage() -> None:
    done = subprocess.run([sys.executable, "-m", f"analysis.stages.{STAGE}"], cwd=paths.ROOT, check=False)
    if done.returncode != 0:
        raise DataError(f"the {STAGE} stage failed (exit {done.returncode}); its message is above")


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def log_line(metrics: dict, *, changed: bool, reason: str, revision: str, date: dt.date) -> str:
    """Return the Markdown line that records one scoring in ``docs/decisions.md``.

    Examples
    --------
    >>> m = {"classifier": {"macro_measurable_f1": 0.837}, "ood_false_alarm_rate": 0.0119}
    >>> line = log_line(m, changed=False, reason="adopted", revision="abc1234", date=dt.date(2026, 12, 6))
    >>> line.split(":")[0], line.split("; ")[1]
    ('- **2026-12-06**, revision abc1234', 'outputs byte-identical to the previous scoring. Why: adopted.')
    """
    what = "outputs changed" if changed else "outputs byte-identical to the previous scoring"
    return (
        f"- **{date.isoformat()}**, revision {revision}: macro-F1 "
        f"{metrics['classifier']['macro_measurable_f1']:.3f} over the measurable types, out-of-domain false "
        f"alarms {metrics['ood_false_alarm_rate']:.1%}; {what}. Why: {reason.strip().rstrip('.')}."
    )


def _appended(text: str, line: str) -> str:
    """Return ``text`` with ``line`` added to the block of lines right after :data:`LOG_MARKER`."""
    head, tail = text.split(LOG_MARKER, 1)
    body, sep, rest = tail.partition("\n\n")  # the log ends at the first blank line
    return f"{head}{LOG_MARKER}{body.rstrip()}\n{line}\n\n{rest}" if sep else f"{text.rstrip()}\n{line}\n"


def append_log(decisions: Path, line: str) -> None:
    """Append ``line`` to the list that follows :data:`LOG_MARKER` in ``decisions`` (atomically)."""
    text = decisions.read_text(encoding="utf-8")
    if LOG_MARKER not in text:
        raise DataError(f"{decisions}: no score-test log marker {LOG_MARKER!r}; add it where scorings are listed")
    write_text(decisions, _appended(text, line))


def _put_back(before: dict[Path, bytes | None]) -> None:
    """Restore each output's earlier bytes; remove an output that did not exist before."""
    for path, content in before.items():
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)


def score_test(*, reason: str | None = None, check: bool = False) -> bool:
    """Score the frozen test set (``reason``) or check that its committed scoring reproduces (``check``).

    Returns
    -------
    bool
        Whether the outputs changed (always False after a successful check).
    """
    if check == (reason is not None):
        raise DataError("score-test: give either --reason TEXT (a scoring, logged) or --check (CI's reproduction)")
    if reason is not None and _git("status", "--porcelain", "--", "params.yaml", "dvc.lock"):
        # the adopted model is the committed one: never score a variant left in the workspace by `dvc exp run`
        raise DataError(
            "score-test: params.yaml or dvc.lock differ from the last commit; restore them "
            "(`git checkout params.yaml dvc.lock && dvc checkout`) or commit the model you adopt, then score"
        )
    stale = stale_stages()
    if stale:
        raise DataError(f"score-test: the pipeline is not up to date ({', '.join(stale)}); run `dvc repro` first")
    outputs = stage_outputs()
    before = {p: p.read_bytes() if p.is_file() else None for p in outputs}
    try:
        _run_stage()
    except DataError:
        _put_back(before)  # a stage that failed half-way leaves the committed scoring, not half of a new one
        raise
    changed = any(before[p] != (p.read_bytes() if p.is_file() else None) for p in outputs)
    if check and changed:
        _put_back(before)  # a check reads nothing new
        raise DataError(
            f"score-test --check: {paths.relative(paths.TEST_RESULTS)} does not reproduce (the model or the test "
            "data changed); score the adopted model with `make score-test REASON=...`, which logs the scoring"
        )
    _dvc("commit", "--force", STAGE)
    if check:
        log.info("the committed test scoring reproduces byte for byte (dvc.lock's %s entry refreshed)", STAGE)
        return False
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--untracked-files=no") else ""
    revision = _git("rev-parse", "--short", "HEAD") + dirty
    metrics = json.loads(paths.TEST_METRICS.read_text())
    line = log_line(metrics, changed=changed, reason=reason, revision=revision, date=dt.datetime.now(dt.UTC).date())
    append_log(paths.DECISIONS, line)
    log.info("scored the test set; logged in %s: %s", paths.relative(paths.DECISIONS), line)
    return changed
