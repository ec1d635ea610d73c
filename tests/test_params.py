from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.params import ParamsError, check_params, load_params


def _write(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(paths.PARAMS.read_text())
    mutate(data)
    out = tmp_path / "params.yaml"
    out.write_text(yaml.safe_dump(data))
    return out


def test_project_params_load_into_frozen_dataclasses():
    clean = load_params("clean")
    assert clean.dedupe.threshold == 0.8
    assert clean.study_window["ucdp_iraq"].start_year == 2014
    with pytest.raises(AttributeError):
        clean.max_text_chars = 1  # frozen


def test_every_collection_declares_its_kind_and_a_pinned_file():
    acquire = load_params("acquire")
    assert acquire.kinds() == {"fakes": "articles", "ucdp_iraq": "event_reports", "ucdp_syria": "event_reports"}
    assert all(len(c.sha256) == 64 and c.source().sha256 == c.sha256 for c in acquire.collections)


def test_train_section_is_the_model_spec_plus_tuning():
    # one field list: the train section's model fields are ModelSpec's, and spec() carries them
    train = load_params("train")
    spec = train.spec()
    assert type(spec).__name__ == "ModelSpec" and spec.c == train.c and not hasattr(spec, "threshold_step")


@pytest.mark.parametrize(
    ("section", "mutate", "message"),
    [
        # a typo in a key must not be ignored
        (
            "clean",
            lambda d: d["clean"]["dedupe"].update(treshold=0.9),
            r"clean.dedupe: unknown key\(s\) \['treshold'\]",
        ),
        # out-of-range similarity threshold
        (
            "clean",
            lambda d: d["clean"]["dedupe"].update(threshold=1.5),
            r"clean.dedupe.threshold: must be in \[0.5, 1\)",
        ),
        # dev and test are drawn from the round-1 strata; none of them can be moved to train
        (
            "gold",
            lambda d: d["gold"].update(train_only_strata=["supplement_territory", "enriched_siege"]),
            r"gold.train_only_strata: must not include the round-1 strata \['enriched_siege'\]",
        ),
        # a switch written as a word: YAML reads "yes" in quotes as text, not true
        ("train", lambda d: d["train"].update(refit_on_dev="yes"), r"train.refit_on_dev: expected true or false"),
        # a string where a number belongs
        ("base", lambda d: d["base"].update(seed="abc"), r"base.seed: expected an integer"),
        # a missing key
        ("acquire", lambda d: d["acquire"].pop("retries"), r"acquire: missing key\(s\) \['retries'\]"),
        # a malformed hash pin
        ("acquire", lambda d: d["acquire"]["collections"][0].update(sha256="xyz"), r"sha256 must be 64 lower-case hex"),
        # an unknown kind of collection
        (
            "acquire",
            lambda d: d["acquire"]["collections"][0].update(kind="tweets"),
            r"acquire.collections\[fakes\].kind: must be one of \['articles', 'event_reports'\]",
        ),
        # a column mapping key the kind does not know
        (
            "acquire",
            lambda d: d["acquire"]["collections"][0]["columns"].update(body="article_content"),
            r"acquire.collections\[fakes\].columns: unknown logical column\(s\) \['body'\]",
        ),
        # two collections with one name
        (
            "acquire",
            lambda d: d["acquire"]["collections"][1].update(name="fakes"),
            r"acquire.collections: names must be unique",
        ),
        # a reversed study window
        (
            "clean",
            lambda d: d["clean"]["study_window"]["ucdp_iraq"].update(start_year=2019),
            r"start_year must be <= end_year",
        ),
        # a Dask scheduler without its scheme
        (
            "engine",
            lambda d: d["engine"].update(scheduler="localhost:8786"),
            r"engine.scheduler: must be null or a scheduler address",
        ),
        # an interval level given in percent
        ("report", lambda d: d["report"].update(ci_level=95), r"report.ci_level: must be in \(0.5, 1\)"),
        # the credibility model's reference must be one of the outlet groups
        (
            "report",
            lambda d: d["report"].update(credibility_reference_group="wire"),
            r"report.credibility_reference_group: 'wire' is not an outlet group",
        ),
        # a word check for a type the codebook does not have
        (
            "report",
            lambda d: d["report"]["word_checks"][0].update(event_type="blockade"),
            r"report.word_checks: unknown event type 'blockade'",
        ),
        # cross-fitting needs two folds at least
        ("crossfit", lambda d: d["crossfit"].update(folds=1), r"crossfit.folds: must be >= 2"),
        # a misspelt encoder fails when params.yaml is loaded, not an hour into a run
        (
            "benchmark",
            lambda d: d["benchmark"].update(encoder="all-MiniLM-L12"),
            r"benchmark.encoder: must be null or one of",
        ),
    ],
)
def test_bad_values_are_rejected_with_the_key_named(tmp_path, section, mutate, message):
    bad = _write(tmp_path, mutate)
    with pytest.raises(ParamsError, match=message):
        load_params(section, path=bad)


def test_unknown_section_is_rejected():
    with pytest.raises(ParamsError, match="unknown params section 'cleaning'"):
        load_params("cleaning")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        # a section nobody reads is a typo, not a setting
        (lambda d: d.update(bogus={"x": 1}), r"unknown section\(s\) \['bogus'\]"),
        # a bad value in a section of a later stage is caught before any stage runs
        (lambda d: d["train"].update(c=-1.0), r"train.c: must be > 0, got -1.0"),
        # a study window for a collection that is not declared, or not an event collection
        (
            lambda d: d["clean"]["study_window"].update(fakes={"start_year": 2014, "end_year": 2015}),
            r"\['fakes'\]: not",
        ),
        (lambda d: d["report"]["dynamics_windows"].update(gdelt=["2016-01-01", "2017-01-01"]), r"\['gdelt'\]: not"),
        # key dates for a collection that is not declared
        (lambda d: d["report"]["key_dates"].update(gdelt=[]), r"report.key_dates: \['gdelt'\]: not collections"),
        # the frozen test set is scored, never used as the study's gold sample
        (lambda d: d["crossfit"].update(strata=["random", "fresh_test"]), r"crossfit.strata: must not include a test"),
        # a missing section
        (lambda d: d.pop("evaluate"), r"missing section\(s\) \['evaluate'\]"),
    ],
)
def test_check_params_checks_the_whole_file(tmp_path, mutate, message):
    bad = _write(tmp_path, mutate)
    with pytest.raises(ParamsError, match=message):
        check_params(path=bad)


def test_check_params_accepts_the_project_file():
    assert set(check_params()) >= {"base", "acquire", "train", "report"}


def test_check_params_command_is_one_line_with_the_way_back(tmp_path, monkeypatch, capsys):
    # the command make repro runs first: a bad value anywhere stops it before any stage runs
    from analysis import params as params_module
    from analysis.__main__ import main as cli

    bad = _write(tmp_path, lambda d: d["train"].update(c=-1.0))
    monkeypatch.setattr(params_module.paths, "PARAMS", bad)
    monkeypatch.setattr(params_module.check_params, "__kwdefaults__", {"path": bad})
    assert cli(["check-params"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "error: params.yaml: train.c: must be > 0, got -1.0"
    assert err[1].startswith("hint: ") and "dvc checkout" in err[1]
