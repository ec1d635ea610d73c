"""A researcher's own corpus of articles, entered through params.yaml alone (docs/data.md: "Your own corpus").

The fixture ``tests/fixtures/own_corpus.csv`` is a small hand-written corpus (25 rows, three
outlets): 22 distinct articles, one repeat of an article, one row without text and one with a
date that does not parse. ``own_corpus.params.yaml`` is its entry for ``acquire.collections``.
"""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.config import build as build_section
from analysis.corpus import build, sources
from analysis.corpus.collections import read_collection
from analysis.errors import DataError
from analysis.params import AcquireParams, CollectionSpec, ParamsError, load_params

FIXTURES = Path(__file__).parent / "fixtures"
ENTRY = yaml.safe_load((FIXTURES / "own_corpus.params.yaml").read_text())


def _spec(**change) -> CollectionSpec:
    return build_section(CollectionSpec, {**ENTRY, **change}, "acquire.collections[own_news]")


def _own_only() -> AcquireParams:
    return replace(load_params("acquire"), collections=(_spec(),))


def test_the_entry_is_valid_params_and_pins_the_file(tmp_path):
    spec = _spec()
    assert spec.kind == "articles" and spec.column_map()["text"] == "body"
    # the file is copied from its local path, verified against the pinned sha256
    dest = sources.acquire(spec.source(), tmp_path, mirror=None, retries=1, timeout_s=1)
    assert dest.read_bytes() == (FIXTURES / "own_corpus.csv").read_bytes()
    # a changed file no longer matches its pin
    with pytest.raises(sources.AcquireError, match="sha256 mismatch"):
        sources.acquire(replace(spec, sha256="0" * 64).source(), tmp_path / "x", mirror=None, retries=1, timeout_s=1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # the text column mapped to a column the file does not have: file and setting named
        (
            {"columns": {**ENTRY["columns"], "text": "story"}},
            r"own_corpus.csv: missing column 'story' \(acquire.collections\[own_news\].columns.text\)",
        ),
        # the date column mapped to the outlet names: most values do not parse as dates
        (
            {"columns": {**ENTRY["columns"], "published": "source_name"}},
            r"own_corpus.csv: column 'source_name' \(acquire.collections\[own_news\].columns.published\): "
            r"24 of 24 dates do not parse as '%Y-%m-%d'",
        ),
        # the right column, the wrong format
        ({"date_format": "%d/%m/%Y"}, r"column 'pub_date' .* do not parse as '%d/%m/%Y'"),
    ],
)
def test_a_wrong_mapping_is_one_line_naming_file_and_column(change, message):
    spec = _spec(**change)
    with pytest.raises(DataError, match=message) as err:
        frame = read_collection(spec, FIXTURES / "own_corpus.csv")
        build.build_corpus({spec.name: frame}, acquire=replace(_own_only(), collections=(spec,)), **_clean())
    assert "\n" not in str(err.value)


def test_an_unknown_logical_column_is_a_params_error():
    with pytest.raises(ParamsError, match=r"columns: unknown logical column\(s\) \['body'\]"):
        _spec(columns={**ENTRY["columns"], "body": "body"})


def _clean() -> dict:
    return {"params": load_params("clean"), "seed": load_params("base").seed}


def test_the_own_corpus_is_cleaned_and_every_row_accounted_for():
    frame = read_collection(_spec(), FIXTURES / "own_corpus.csv")
    documents, reports, ledger = build.build_corpus({"own_news": frame}, acquire=_own_only(), **_clean())
    fates = ledger.set_index("source_id")[["fate", "reason"]]
    assert len(ledger) == 25 and len(documents) == 22 and len(reports) == 22
    assert tuple(fates.loc["n-023"]) == ("merged", "repeated_article")  # the same article as n-001
    assert tuple(fates.loc["n-024"]) == ("dropped", "empty_text")
    assert tuple(fates.loc["n-025"]) == ("dropped", "unparseable_date")
    assert documents["doc_id"].str.startswith("own_news:").all()
    assert set(documents["outlet"]) == {"Daily Ledger", "Coastal Times", "Valley Courier"}


@pytest.mark.slow
def test_the_own_corpus_is_labelled_and_the_article_analyses_are_drawn(tmp_path):
    # end to end on the library: clean, predict with the pipeline's model, then the report's
    # tables and figures; the event analyses say they do not apply
    from analysis import engine
    from analysis.labels.gold import first_report_gold
    from analysis.model import predict
    from analysis.model.first_reports import first_report_predictions
    from analysis.study import design, inputs, report
    from analysis.study.style import save

    if not paths.MODEL.is_file():
        pytest.fail(f"{paths.MODEL} is missing: run `make repro` first (the README's test command does)")
    acquire = _own_only()
    frame = read_collection(_spec(), FIXTURES / "own_corpus.csv")
    documents, reports, _ = build.build_corpus({"own_news": frame}, acquire=acquire, **_clean())
    documents.to_parquet(tmp_path / "documents.parquet")
    with engine.executor(load_params("engine")) as ex:
        predict.predict_files(
            tmp_path / "documents.parquet",
            paths.MODEL,
            engine=ex,
            workdir=tmp_path / "work",
            out=tmp_path / "predictions.parquet",
            articles=tuple(acquire.of_kind("articles")),
        )
        labelled = inputs.labelled_documents_files(
            tmp_path / "documents.parquet", tmp_path / "predictions.parquet", engine=ex
        )
    # the classifier reads the articles: the plain reports get their types
    by_id = labelled.set_index("source_id")
    assert by_id.loc["n-003", "bombing"] and by_id.loc["n-004", "airstrike"] and by_id.loc["n-010", "shelling"]
    assert not by_id.loc[["n-008", "n-014", "n-021"], ["advance", "clash", "bombing", "airstrike"]].any().any()
    groups = {"Daily Ledger": "national", "Coastal Times": "regional", "Valley Courier": "regional"}
    params = replace(
        load_params("report"), outlet_groups=groups, word_checks=(), credibility_reference_group="national"
    )
    # the gold holds none of these articles: each share gets only its logical bounds, the naive ones stand
    gold_table = pd.read_parquet(paths.GOLD)
    gold = design.gold_labels(gold_table, pd.read_parquet(paths.CROSSFIT_PREDICTIONS), strata=("random",))
    sampled = design.design_gold(gold_table, sample_strata=("fresh_test",))
    draws = pd.read_parquet(paths.GOLD_DRAWS)
    texts = pd.DataFrame(columns=["doc_id", "collection", "event_date", "text"])
    # a stand-in for the crossfit stage's out-of-fold predictions: this test checks the wiring
    crossfit = labelled[["doc_id", *EVENT_TYPES]]
    # no event collection: no first report to read, and no first-report round
    empty = pd.DataFrame(columns=["doc_id", "pass", "labels"])
    first = {
        "predictions": first_report_predictions(documents.iloc[:0], reports.iloc[:0], model=None),
        "gold": first_report_gold(empty, pd.DataFrame(columns=["doc_id", "collection", "inclusion_probability"])),
    }
    built = report.study_tables(
        labelled, reports, gold, sampled, draws, crossfit, texts, first, params=params, collections=acquire, seed=0
    )
    profiles = built["outlet_profiles"]
    assert set(profiles["outlet_group"]) == {"national", "regional"}
    assert profiles["n_gold"].eq(0).all() and profiles["share_est"].isna().all()
    assert profiles["method"].eq("bounds").all() and profiles["share_est_ci_upper"].eq(1.0).all()
    assert built["lag_by_outlet"].empty and built["selection_by_type"]["n_events"].sum() == 0
    assert built["model_sources"].empty and built["word_checks"].empty
    instrument = {
        "scores": pd.read_csv(paths.CLASSIFIER_SCORES.with_suffix(".csv")),
        "calibration": pd.read_csv(paths.CALIBRATION_CURVE),
        "rules": ["defection", "surrender"],
    }
    drawn = report.study_figures(labelled, reports, built, instrument, crossfit, params=params, collections=acquire)
    assert list(drawn) == list(report.FIGURES)
    for name, fig in drawn.items():
        save(fig, tmp_path / "figures" / name)
        assert (tmp_path / "figures" / f"{name}.png").stat().st_size > 0


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_the_same_corpus_as_jsonl_or_parquet_gives_the_same_documents(tmp_path, fmt):
    # the format is a parameter: the documents do not depend on it
    frame = pd.read_csv(FIXTURES / "own_corpus.csv", dtype=str, keep_default_na=False)
    path = tmp_path / f"own_corpus.{fmt}"
    if fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(path)
    spec = _spec(format=fmt, file=path.name)
    acquire = replace(_own_only(), collections=(spec,))
    from_csv = build.build_corpus(
        {"own_news": read_collection(_spec(), FIXTURES / "own_corpus.csv")}, acquire=_own_only(), **_clean()
    )
    other = build.build_corpus({"own_news": read_collection(spec, path)}, acquire=acquire, **_clean())
    pd.testing.assert_frame_equal(from_csv[0], other[0])
    assert other[2]["source_file"].eq(path.name).all() and len(other[2]) == 25
