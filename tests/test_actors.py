"""The armed-actor dictionary and the clash functions built on it (analysis/labels/actors.py)."""

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataError
from analysis.labels.actors import EMPTY, actors_of, actors_to_json, coverage, load_actors
from analysis.labels.functions import apply_lfs, labeling_functions

STUDY = paths.ROOT / "dictionaries" / "actors_iraq_syria.yaml"


@pytest.fixture(scope="module")
def actors():
    return load_actors([STUDY])


@pytest.mark.parametrize(
    "text, acts, killed",
    [
        ("Iraqi forces reportedly kill 18 Islamic State militants in Al-Anbar", 1, 1),  # actor kills actor
        ("Kurd troops attack Iraq jihadists on three fronts", 1, -1),  # aliases on both sides
        ("Rebels attack regime bastions in the eastern Qalamoun", 1, -1),  # generic words for both
        ("6 soldiers killed in the military academy in Aleppo", -1, 1),  # fighters killed (rule 5)
        ("Turkish warplanes hit PKK targets", -1, -1),  # a weapon of another type: airstrike's
        ("The army denied that soldiers killed militants", -1, -1),  # negated
        ("Shares fell as traders attack the pound", -1, -1),  # no armed party
        ("No soldiers were killed", -1, -1),  # no count of dead
    ],
)
def test_actor_functions_vote_on_armed_actors_only(actors, text, acts, killed):
    votes = apply_lfs(pd.Series([text]), actors)
    assert (votes.loc[0, "clash_actors"], votes.loc[0, "clash_fighters_killed"]) == (acts, killed)


def test_without_a_dictionary_the_actor_functions_abstain():
    # a model trained before the dictionary existed predicts as it did
    votes = apply_lfs(pd.Series(["Iraqi forces kill 18 Islamic State militants"]), EMPTY)
    assert (votes[["clash_actors", "clash_fighters_killed"]] == -1).all().all()
    assert [lf.name for lf in labeling_functions(EMPTY)] == list(votes.columns)


def test_the_dictionary_travels_in_the_label_model(actors):
    label_model = {"actors": actors_to_json(actors)}
    assert actors_of(label_model) == actors
    assert actors_of({}) == EMPTY


def test_a_second_file_extends_the_dictionary(actors, tmp_path):
    # another war: a researcher's file adds its actors to the study's
    extra = tmp_path / "sahel.yaml"
    extra.write_text("generic: [jihadists]\nactors:\n- {ucdp: JNIM, kind: jihadist, aliases: [Nusrat al-Islam]}\n")
    merged = load_actors([STUDY, extra])
    assert {"JNIM", "Nusrat al-Islam"} <= set(merged.names) and set(actors.names) < set(merged.names)
    votes = apply_lfs(pd.Series(["Malian troops repel JNIM fighters near Gao"]), merged)
    assert votes.loc[0, "clash_actors"] == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("generic: [troops]\n", "no `actors` list"),  # the list is missing
        ("actors:\n- {kind: rebel}\n", "actor 1: no `ucdp` name"),  # an entry without its name
        ("actors:\n- {ucdp: X, kind: army}\n", "kind 'army' is not one of"),  # an unknown kind
    ],
)
def test_a_bad_dictionary_is_a_one_line_error(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    with pytest.raises(DataError, match=message):
        load_actors([bad])


def test_coverage_counts_split_sides_and_leaves_out_civilians():
    # "A, B" is two groups; Civilians is not an armed actor; Z is not in the file
    share, missing = coverage(["IS", "Government of Iraq", "Civilians", "HTS, Southern Front", "Z"], [STUDY])
    assert missing == ["Z"] and share == pytest.approx(4 / 5)


@pytest.mark.slow
def test_the_dictionary_names_nearly_every_side_ucdp_coded():
    # the study's pinned UCDP files (run dvc repro first): 99% or more of the armed-side mentions are listed
    from analysis.corpus.readers import read_csv_table, read_rda_table

    iraq = read_csv_table(paths.RAW / "conflict_data_irq.csv", required=["side_a", "side_b"])
    syria = read_rda_table(paths.RAW / "ucdp_syria_df.rda", required=["side_a", "side_b"], object_name="ucdp_syria_df")
    sides = [s for f in (iraq, syria) for c in ("side_a", "side_b") for s in f[c].dropna().astype(str)]
    sides = [s for s in sides if not s.startswith("#")]  # the Iraq file's HXL tag row
    share, missing = coverage(sides, [STUDY])
    assert share >= 0.99, missing[:10]
