"""Drawing the annotation samples: eligibility, strata and the round-2 supplement."""

import pandas as pd
import pytest

from analysis import annotation, paths
from analysis.params import load_params


def _docs():
    rows = [
        # doc_id, text, text_group, sealed, sealed_group
        ("ucdp_iraq:1", "Army recaptured the town", "g1", False, False),  # territorial cue, eligible
        ("ucdp_iraq:2", "Army recaptured the town", "g1", False, False),  # same text group: only one is drawn
        ("ucdp_iraq:3", "Troops withdrew from the base", "g3", False, False),  # territorial cue, already in gold
        ("ucdp_iraq:4", "Rebels seized the hill", "g4", True, True),  # sealed: never drawn
        ("ucdp_iraq:5", "Rebels seized the hill again", "g4", False, True),  # shares a sealed group: never drawn
        ("ucdp_iraq:6", "Talks resumed in Geneva", "g6", False, False),  # no territorial cue
        ("ucdp_iraq:7", "Fighters pulled out of the village", "g7", False, False),  # cue, eligible
        ("fakes:8", "Government forces entered the district", "g8", False, False),  # cue, other collection
    ]
    frame = pd.DataFrame(rows, columns=["doc_id", "text", "text_group", "sealed", "sealed_group"])
    return frame.assign(collection=frame["doc_id"].str.split(":").str[0])


def test_eligible_pool_drops_sealed_groups_and_repeats():
    pool = annotation.eligible_for_annotation(_docs())
    assert pool["doc_id"].tolist() == ["fakes:8", "ucdp_iraq:1", "ucdp_iraq:3", "ucdp_iraq:6", "ucdp_iraq:7"]


def test_supplement_draws_cue_matches_outside_the_gold_groups():
    drawn = annotation.draw_supplement(
        _docs(), exclude_groups=pd.Series(["g3"]), per_collection={"ucdp_iraq": 10, "fakes": 10}, seed=1
    )
    # g3 is gold already, g4 is sealed, ucdp_iraq:6 has no cue, ucdp_iraq:2 repeats ucdp_iraq:1
    assert drawn["doc_id"].tolist() == ["fakes:8", "ucdp_iraq:1", "ucdp_iraq:7"]
    assert (drawn["stratum"] == annotation.SUPPLEMENT_STRATUM).all()


def test_supplement_respects_the_per_collection_size_and_seed():
    kwargs = {"exclude_groups": pd.Series(dtype=str), "per_collection": {"ucdp_iraq": 1, "fakes": 0}}
    first = annotation.draw_supplement(_docs(), seed=3, **kwargs)
    assert len(first) == 1 and first["collection"].iloc[0] == "ucdp_iraq"
    pd.testing.assert_frame_equal(first, annotation.draw_supplement(_docs(), seed=3, **kwargs))


@pytest.mark.slow
def test_committed_supplement_redraws_exactly_from_the_current_corpus(corpus_tables):
    # the committed files are the record; this shows they are what the command draws today,
    # each batch excluding the text groups of the round-1 sample and of the batches before it
    documents = corpus_tables[0]
    drawn_before = [pd.read_csv(paths.ANNOTATION_SAMPLE, dtype=str)]
    for path in paths.ANNOTATION_SUPPLEMENTS:
        committed = pd.read_csv(path, dtype=str)
        excluded = pd.concat(drawn_before)["doc_id"]
        groups = documents.loc[documents["doc_id"].isin(excluded), "text_group"]
        drawn = annotation.draw_supplement(
            documents,
            exclude_groups=groups,
            per_collection=committed["collection"].value_counts().to_dict(),
            seed=load_params("base").seed,
        )
        pd.testing.assert_frame_equal(drawn.reset_index(drop=True), committed, check_dtype=False)
        drawn_before.append(committed)
