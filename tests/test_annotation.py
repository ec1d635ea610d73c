"""Drawing the annotation samples: eligibility, strata and the round-2 supplement."""

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.__main__ import main as cli
from analysis.labels import annotation


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


def test_sampling_commands_never_overwrite_a_committed_sample(tmp_path, capsys):
    # the committed files are the record: replacing one takes --force
    assert cli(["sample-supplement", "-o", str(paths.ANNOTATION_SUPPLEMENTS[0])]) == 1
    assert "already exists" in capsys.readouterr().err
    assert cli(["sample-annotations"]) == 1  # its default output is annotations/sample.csv
    assert "pass --force to overwrite" in capsys.readouterr().err
    # an exclusion file that does not exist is named, not a traceback
    assert cli(["sample-supplement", "-o", str(tmp_path / "new.csv"), "--exclude", str(tmp_path / "nope.csv")]) == 1
    assert "nope.csv: no such sample file to exclude" in capsys.readouterr().err


@pytest.mark.slow
def test_committed_supplement_redraws_exactly_from_the_current_corpus(corpus_tables, tmp_path, monkeypatch):
    # the committed files are the record; the command, run as annotations/README.md says,
    # draws them again byte for byte from the current documents table
    documents = tmp_path / "documents.parquet"
    corpus_tables[0].to_parquet(documents)
    monkeypatch.setattr(paths, "DOCUMENTS", documents)
    first, second = (str(p) for p in paths.ANNOTATION_SUPPLEMENTS)
    batch_1 = tmp_path / "batch_1.csv"
    assert cli(["sample-supplement", "-o", str(batch_1)]) == 0
    assert batch_1.read_bytes() == Path(first).read_bytes()
    batch_2 = tmp_path / "batch_2.csv"
    counts = ["--per-collection", "fakes=88", "ucdp_iraq=31", "ucdp_syria=320"]
    exclude = ["--exclude", str(paths.ANNOTATION_SAMPLE), first]
    assert cli(["sample-supplement", *exclude, *counts, "-o", str(batch_2)]) == 0
    assert batch_2.read_bytes() == Path(second).read_bytes()
    # batch 2 took every remaining matching FA-KES and UCDP Iraq document: asking for more adds none
    more = tmp_path / "more.csv"
    assert (
        cli(
            [
                "sample-supplement",
                *exclude,
                "--per-collection",
                "fakes=999",
                "ucdp_iraq=999",
                "ucdp_syria=320",
                "-o",
                str(more),
            ]
        )
        == 0
    )
    assert more.read_bytes() == batch_2.read_bytes()


@pytest.mark.slow
def test_committed_fresh_test_sample_redraws_exactly(corpus_tables, tmp_path, monkeypatch):
    # the fresh test set: random, outside the text groups of every earlier sample; the command's
    # defaults draw the committed file byte for byte, and none of its documents shares a group with them
    documents = tmp_path / "documents.parquet"
    corpus_tables[0].to_parquet(documents)
    monkeypatch.setattr(paths, "DOCUMENTS", documents)
    drawn = tmp_path / "test.csv"
    assert cli(["sample-test", "-o", str(drawn)]) == 0
    assert drawn.read_bytes() == paths.ANNOTATION_FRESH_TEST.read_bytes()
    groups = corpus_tables[0].set_index("doc_id")["text_group"]
    earlier = pd.concat(pd.read_csv(p) for p in (paths.ANNOTATION_SAMPLE, *paths.ANNOTATION_SUPPLEMENTS))
    fresh = pd.read_csv(drawn)
    assert not set(groups[fresh["doc_id"]]) & set(groups[earlier["doc_id"]])
    assert fresh["collection"].value_counts().to_dict() == {"ucdp_syria": 400, "ucdp_iraq": 250, "fakes": 142}


@pytest.mark.slow
def test_committed_first_report_round_redraws_exactly_in_its_two_batches(corpus_tables, tmp_path, monkeypatch):
    # the first-report round (annotations/README.md): batch 1 with the defaults, batch 2 added outside it
    documents = tmp_path / "documents.parquet"
    corpus_tables[0].to_parquet(documents)
    monkeypatch.setattr(paths, "DOCUMENTS", documents)
    drawn = tmp_path / "first.csv"
    assert cli(["sample-first-reports", "-o", str(drawn)]) == 0
    second = ["--add-batch", "--per-collection", "ucdp_iraq=150", "ucdp_syria=450", "--seed", "20261207"]
    assert cli(["sample-first-reports", "-o", str(drawn), *second]) == 0
    assert drawn.read_bytes() == paths.ANNOTATION_FIRST_REPORT_SAMPLE.read_bytes()
