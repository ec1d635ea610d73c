"""The frozen test set: only `python -m analysis score-test` reads it, and every scoring is logged."""

import datetime as dt

import pytest
import yaml

from analysis import paths
from analysis.errors import DataError
from analysis.publish import heldout

MARKER = heldout.LOG_MARKER


def test_score_test_stage_is_frozen_and_its_outputs_are_committed_files():
    # frozen: `dvc repro` and `dvc exp run` never re-run it; cache: false: the files live in git
    stage = yaml.safe_load(paths.DVC_YAML.read_text())["stages"][heldout.STAGE]
    assert stage.get("frozen") is True
    for out in stage["outs"]:
        name, spec = next(iter(out.items()))
        assert spec == {"cache": False}, name
        assert name.startswith("results/test/"), name


def test_stage_outputs_include_the_files_the_report_reads():
    outputs = heldout.stage_outputs()
    for path in (paths.TEST_METRICS, paths.CALIBRATION_CURVE, paths.CLASSIFIER_SCORES.with_suffix(".csv")):
        assert path in outputs
        assert path.is_file(), f"{path} must be committed: a fresh clone's dvc repro never writes it"


def test_no_stage_of_the_study_depends_on_the_test_scores_except_report():
    # an experiment re-runs every stage downstream of what it changed; only the report may read test scores
    stages = yaml.safe_load(paths.DVC_YAML.read_text())["stages"]
    readers = {name for name, s in stages.items() if any(str(d).startswith("results/test/") for d in s.get("deps", []))}
    assert readers == {"report"}


def test_append_log_adds_the_first_line_after_the_marker():
    # an empty log: the marker followed by a blank line and the next section
    text = f"intro\n\n{MARKER}\n\n## Next\n"
    assert heldout._appended(text, "- one") == f"intro\n\n{MARKER}\n- one\n\n## Next\n"


def test_append_log_keeps_earlier_lines_in_order():
    # two scorings logged already: the new one goes last, the section after stays
    text = f"{MARKER}\n- one\n- two\n\n## Next\n"
    assert heldout._appended(text, "- three") == f"{MARKER}\n- one\n- two\n- three\n\n## Next\n"


def test_append_log_refuses_a_file_without_the_marker(tmp_path):
    # someone deleted the marker: say so rather than append somewhere arbitrary
    decisions = tmp_path / "decisions.md"
    decisions.write_text("# Decisions\n")
    with pytest.raises(DataError, match="no score-test log marker"):
        heldout.append_log(decisions, "- one")
    assert decisions.read_text() == "# Decisions\n"  # nothing half-written


def test_decisions_has_the_marker():
    assert MARKER in paths.DECISIONS.read_text()


def test_log_line_says_whether_the_scores_moved():
    metrics = {"classifier": {"macro_measurable_f1": 0.8}, "ood_false_alarm_rate": 0.02}
    line = heldout.log_line(metrics, changed=True, reason="why.", revision="r", date=dt.date(2027, 1, 2))
    assert line.startswith("- **2027-01-02**, revision r: macro-F1 0.800")
    assert "outputs changed" in line and line.endswith("Why: why.")


def test_score_test_needs_exactly_one_mode():
    # a scoring must say why; a check must not be logged: both at once, or neither, is refused
    with pytest.raises(DataError, match="either --reason"):
        heldout.score_test(reason="x", check=True)
    with pytest.raises(DataError, match="either --reason"):
        heldout.score_test()


def test_put_back_restores_earlier_bytes_and_removes_new_files(tmp_path):
    # a failed or non-reproducing run: the committed file comes back, a file it created goes
    kept, created = tmp_path / "kept.csv", tmp_path / "created.csv"
    kept.write_text("new")
    created.write_text("new")
    heldout._put_back({kept: b"committed", created: None})
    assert kept.read_bytes() == b"committed" and not created.exists()


def test_a_scoring_refuses_uncommitted_params(monkeypatch):
    # a variant left in the workspace by `dvc exp run` is never scored on test
    monkeypatch.setattr(heldout, "_git", lambda *args: " M params.yaml" if "params.yaml" in args else "")
    with pytest.raises(DataError, match="differ from the last commit"):
        heldout.score_test(reason="adopted")
