"""`python -m analysis experiments`: the dvc experiments in 120 columns, changed params and dev scores."""

from analysis import paths
from analysis.publish import experiments

CLASSIFIER = paths.relative(paths.CLASSIFIER_METRICS)
BEHAVIOUR = paths.relative(paths.BEHAVIOUR_METRICS)


def _state(rev, c, f1, *, name=None, seed=0):
    # the shape of one entry of `dvc exp show --json` (DVC 3): params and metrics per file under "data"
    return {
        "rev": rev,
        "name": name,
        "data": {
            "rev": rev,
            "timestamp": "2026-12-06T08:30:00",
            "params": {"params.yaml": {"data": {"train": {"c": c, "grid": [1, 2]}, "base": {"seed": seed}}}},
            "metrics": {
                CLASSIFIER: {"data": {"classifier": {"macro_measurable_f1": f1, "micro_f1": 0.9}}},
                BEHAVIOUR: {"data": {"pass_rate": 0.75}},
            },
        },
    }


def _show(*exps):
    # the workspace, its baseline commit, and the baseline's experiments (each a range of revs, newest first)
    baseline = _state("a" * 40, 0.5, 0.86, name="main")
    baseline["experiments"] = [{"name": e["name"], "revs": [e]} for e in exps]
    return [_state("workspace", 0.5, 0.86), baseline]


def test_rows_name_each_experiment_and_only_the_params_it_changed():
    frame = experiments.experiments_frame(_show(_state("b" * 40, 1.0, 0.84, name="fuzzy-cat")))
    assert list(frame["experiment"]) == ["workspace", "main", "fuzzy-cat"]
    assert list(frame["changed"]) == ["", "", "train.c=1.0"]  # grid and seed are the same everywhere
    assert list(frame["macro_f1"]) == [0.86, 0.86, 0.84]
    assert frame["behaviour"].tolist() == [0.75] * 3
    assert frame["ood_alarm"].isna().all()  # absent from these metrics: shown as "-", not an error


def test_a_variant_left_in_the_workspace_shows_what_it_changed_from_the_commit():
    # after `dvc exp run -S train.c=1.0` the workspace holds the variant: read it against the baseline commit
    show = _show(_state("b" * 40, 1.0, 0.84, name="fuzzy-cat"))
    show[0] = _state("workspace", 1.0, 0.84)
    frame = experiments.experiments_frame(show)
    assert list(frame["changed"]) == ["train.c=1.0", "", "train.c=1.0"]


def test_all_params_lists_every_param():
    frame = experiments.experiments_frame(_show(), all_params=True)
    assert frame.loc[0, "changed"] == "base.seed=0 train.c=0.5 train.grid=[1, 2]"


def test_an_experiment_without_a_name_is_shown_by_its_short_revision():
    frame = experiments.experiments_frame(_show(_state("c" * 40, 0.5, 0.8, seed=3)))
    assert frame["experiment"].iloc[-1] == "ccccccc"
    assert frame["changed"].iloc[-1] == "base.seed=3"


def test_every_line_fits_120_columns_and_long_changes_wrap():
    many = _state("d" * 40, 2.0, 0.8, name="a-very-long-experiment-name-indeed", seed=12345)
    many["data"]["params"]["params.yaml"]["data"]["train"]["grid"] = list(range(40))
    text = experiments.format_experiments(experiments.experiments_frame(_show(many)), width=120)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 120
    assert len(lines) > 5  # the header, the rule, three rows, and the wrapped continuation
    assert "train.c=2.0" in text and "0.800" in text
