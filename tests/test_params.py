from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.params import ParamsError, load_params


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


def test_every_collection_has_a_pinned_source():
    acquire = load_params("acquire")
    assert {s.collection for s in acquire.sources} == {"fakes", "ucdp_iraq", "ucdp_syria"}


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
        ("acquire", lambda d: d["acquire"]["sources"][0].update(sha256="xyz"), r"sha256 must be 64 hex digits"),
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
