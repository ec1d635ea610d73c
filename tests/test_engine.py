"""The engines: pandas and dask give the same tables, on the real corpus and on small cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import engine, paths
from analysis.corpus import articles, build, partitions, readers, scale
from analysis.corpus.collections import read_collection
from analysis.io import sha256_file, write_parquet, write_parquet_chunks
from analysis.model import predict
from analysis.params import KIND_COLUMNS, KIND_OPTIONAL_COLUMNS, EngineParams, load_params
from analysis.study import inputs

ACQUIRE = load_params("acquire")
SPECS = {spec.name: spec for spec in ACQUIRE.collections}
UCDP_COLUMNS = [*KIND_COLUMNS["event_reports"], *KIND_OPTIONAL_COLUMNS["event_reports"]]  # UCDP's coding too


def _clean_and_predict(raw_dir: Path, out: Path, *, name: str, chunk_rows: int) -> None:
    sources = {spec.name: (spec, raw_dir / spec.file) for spec in ACQUIRE.collections}
    with engine.executor(EngineParams(name, None, 2, chunk_rows)) as ex:
        partitions.build_corpus_files(
            sources,
            params=load_params("clean"),
            seed=load_params("base").seed,
            engine=ex,
            workdir=out / "work-clean",
            chunk_rows=chunk_rows,
            out_documents=out / "documents.parquet",
            out_reports=out / "reports.parquet",
            out_ledger=out / "ledger.parquet",
        )
        predict.predict_files(
            out / "documents.parquet",
            paths.MODEL,
            engine=ex,
            workdir=out / "work-predict",
            out=out / "predictions.parquet",
            articles=tuple(ACQUIRE.of_kind("articles")),
        )
        # the report stage's per-document join, on the same engine
        labelled = inputs.labelled_documents_files(out / "documents.parquet", out / "predictions.parquet", engine=ex)
    write_parquet(out / "labelled.parquet", labelled)


@pytest.mark.slow
def test_pandas_and_dask_engines_give_the_same_documents_and_predictions(raw_dir, corpus_tables, tmp_path):
    if not paths.MODEL.is_file():
        pytest.fail(f"{paths.MODEL} is missing: run `make repro` first (the README's test command does)")
    # small partitions, so that merges, duplicate ids and near-duplicates straddle partitions
    _clean_and_predict(raw_dir, tmp_path / "pandas", name="pandas", chunk_rows=3000)
    _clean_and_predict(raw_dir, tmp_path / "dask", name="dask", chunk_rows=3000)
    for name in ("documents", "reports", "ledger", "predictions", "labelled"):
        assert sha256_file(tmp_path / "pandas" / f"{name}.parquet") == sha256_file(
            tmp_path / "dask" / f"{name}.parquet"
        ), name
    # ... and both equal the in-memory build the other tests use
    documents, reports, ledger = corpus_tables
    for name, frame in (("documents", documents), ("reports", reports), ("ledger", ledger)):
        write_parquet(tmp_path / f"memory-{name}.parquet", frame)
        assert sha256_file(tmp_path / f"memory-{name}.parquet") == sha256_file(tmp_path / "dask" / f"{name}.parquet"), (
            name
        )
    predictions = pd.read_parquet(tmp_path / "dask" / "predictions.parquet")
    assert predictions["doc_id"].tolist() == documents["doc_id"].tolist()
    assert predictions.filter(like="p_").notna().all().all()


def test_parquet_bytes_do_not_depend_on_chunking(tmp_path):
    frame = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(250)], "x": np.arange(250), "t": [None] * 250})
    write_parquet(tmp_path / "whole.parquet", frame, row_group_rows=100)
    # uneven chunks must regroup into the same 100-row groups
    chunks = [frame.iloc[0:7], frame.iloc[7:180], frame.iloc[180:250]]
    assert write_parquet_chunks(tmp_path / "chunks.parquet", chunks, row_group_rows=100) == 250
    assert sha256_file(tmp_path / "whole.parquet") == sha256_file(tmp_path / "chunks.parquet")


def test_streaming_csv_reader_keeps_row_and_line_numbers_across_chunks(tmp_path):
    path = tmp_path / "t.csv"
    # row 2 spans two physical lines (a quoted newline); row 4 is truncated
    path.write_text('id,text\n1,a\n2,"b\nc"\n3,d\n4\n', encoding="utf-8")
    chunks = list(readers.iter_csv_table(path, required=["id", "text"], chunk_rows=2))
    assert [len(c) for c in chunks] == [2, 2]
    whole = pd.concat(chunks, ignore_index=True)
    assert whole["row"].tolist() == [1, 2, 3, 4]
    assert whole["line"].tolist() == [2, 3, 5, 6]
    assert whole["is_malformed"].tolist() == [False, False, False, True]
    pd.testing.assert_frame_equal(whole, readers.read_csv_table(path, required=["id", "text"]))


def test_streaming_reader_names_the_line_of_a_bad_byte(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,text\n1,fine\n2,caf\xe9\n")
    with pytest.raises(Exception, match=r"bad.csv: line 3: not valid UTF-8 \(byte 0xe9"):
        list(readers.iter_csv_table(path, required=["id", "text"], chunk_rows=1))


def test_repeated_article_plan_is_the_same_whole_or_in_chunks():
    keys = pd.DataFrame(
        {
            "row": [1, 2, 3, 4, 5],
            "source_id": ["7", "8", "7", "9", "9"],
            # rows 1 and 3 repeat one article; id 9 is reused for two different articles
            "merge_key": ["k1", "k2", "k1", "k3", "k4"],
            "credibility": pd.array([1, 0, 0, 1, 1], dtype="Int8"),
        }
    )
    plan = articles.plan(keys, spec=SPECS["fakes"])
    assert plan.loc[3, "doc_id"] == "fakes:7" and not plan.loc[3, "first"]
    assert pd.isna(plan.loc[1, "credibility"])  # the merged rows disagree
    assert plan.loc[5, "doc_id"] == "fakes:9~2"
    # the plan is made on all keys; applying it to one chunk at a time gives the same documents
    rows = keys.assign(text="t", title="", published=pd.Timestamp("2017-01-01"), collection="fakes", source_file="f")
    rows = rows.assign(title_raw="", text_raw="t", outlet_raw="SANA", date_raw="1/1/2017", location_raw="")
    rows = rows.assign(credibility_raw="", informative=True)
    params = load_params("clean")
    whole = articles.build(rows, plan, spec=SPECS["fakes"], params=params)
    parts = [articles.build(rows.iloc[i : i + 2], plan, spec=SPECS["fakes"], params=params) for i in (0, 2, 4)]
    for k in range(3):  # documents, reports, ledger (sorted and typed once, on the whole table)
        chunked = pd.concat([p[k] for p in parts], ignore_index=True)
        key = ["row"] if "row" in chunked else ["doc_id"]
        pd.testing.assert_frame_equal(
            whole[k].sort_values(key, ignore_index=True), chunked.sort_values(key, ignore_index=True), check_dtype=False
        )


def test_scaled_corpus_is_seeded_and_perturbs_only_words():
    raw = {
        "ucdp_iraq": pd.DataFrame(
            {
                "row": [1, 2],
                "source_id": ["11", "12"],
                **{c: ["x"] * 2 for c in UCDP_COLUMNS if c != "id"},
            }
        ).assign(source_article=['"Reuters,2016-10-17,troops advance on the city"', '"AFP,2016-10-18,air strike"'])
    }
    ledger = pd.DataFrame({"collection": ["ucdp_iraq"] * 2, "row": [1, 2], "fate": ["kept", "dropped"]})
    a = scale.scaled_sources(raw, ledger, acquire=ACQUIRE, n_rows=50, seed=3, drop_word=0.3)["ucdp_iraq"]
    b = scale.scaled_sources(raw, ledger, acquire=ACQUIRE, n_rows=50, seed=3, drop_word=0.3)["ucdp_iraq"]
    pd.testing.assert_frame_equal(a, b)
    assert a["id"].is_unique and len(a) == 50
    # only the kept row is drawn; outlet and date survive every perturbation
    assert a["source_article"].str.startswith('"Reuters,2016-10-17,').all()
    assert a["source_article"].nunique() > 1


def test_scheduler_address_prefers_the_environment(monkeypatch):
    params = EngineParams("dask", "tcp://params:8786", 2, 20_000)
    monkeypatch.setenv(engine.SCHEDULER_ENV, "tcp://env:8786")
    assert engine.scheduler_address(params) == "tcp://env:8786"
    monkeypatch.delenv(engine.SCHEDULER_ENV)
    assert engine.scheduler_address(params) == "tcp://params:8786"


def test_documents_written_by_the_clean_stage_are_row_grouped_for_partitioned_readers():
    import pyarrow.parquet as pq

    if not paths.DOCUMENTS.is_file():
        pytest.fail(f"{paths.DOCUMENTS} is missing: run `make repro` first (the README's test command does)")
    meta = pq.ParquetFile(paths.DOCUMENTS).metadata
    assert meta.num_row_groups == -(-meta.num_rows // 20_000) > 1


def _ucdp_row(event_id, date, headline, **extra):
    row = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        id=event_id,
        date_start=date,
        source_article=f'"Reuters,{date},{headline}"',
        country="Iraq",
        latitude="36.3",
        longitude="43.1",
        best="2",
        low="1",
        high="3",
    )
    row.update(extra)
    return row


@pytest.mark.parametrize("chunk_rows", [1, 2, 100])
def test_partitioned_clean_equals_the_in_memory_build_on_awkward_partitions(tmp_path, chunk_rows):
    fakes = pd.DataFrame(
        {
            "unit_id": ["1", "2", "3", "1"],
            "article_title": ["Siege", "Raid", "Siege", "Other"],
            # rows 1 and 3 repeat one article across partitions; id 1 is reused for a new text
            "article_content": [
                "Troops besieged the town.",
                "Jets struck.",
                "Troops besieged the town.",
                "A new text.",
            ],
            "source": ["SANA", "Reuters", "SANA", "SANA"],
            "date": ["04/05/2017", "04/06/2017", "04/05/2017", "04/07/2017"],
            "location": ["aleppo", "idlib", "aleppo", "homs"],
            "labels": ["1", "0", "0", "1"],
        }
    )
    iraq = pd.DataFrame(
        [
            # the first two rows fall outside the 2014-2018 window: with chunk_rows <= 2 a whole
            # partition has no surviving event
            _ucdp_row("10", "2010-01-01", "old clash"),
            _ucdp_row("11", "2010-02-01", "old strike"),
            _ucdp_row("12", "2016-10-17", "Iraqi forces advance on Mosul"),
            _ucdp_row("12", "2016-10-17", "Iraqi forces advance on Mosul"),  # the same row again: merged
            _ucdp_row("13", "2016-10-18", "Air strike kills 5"),
            _ucdp_row("13", "2016-10-19", "a different event under a reused id"),  # dropped
            _ucdp_row("14", "2016-10-20", "Iraqi forces advance on Mosul"),  # exact text of 12
        ]
    )
    syria = pd.DataFrame([_ucdp_row("20", "2017-01-01", "Shelling of Douma", country="Syria")])
    files = {"fakes": fakes, "ucdp_iraq": iraq, "ucdp_syria": syria}
    sources = scale.scaled_specs(ACQUIRE, tmp_path)  # every collection as <name>.csv
    for name, frame in files.items():
        frame.to_csv(sources[name][1], index=False)
    raw = {name: read_collection(spec, path) for name, (spec, path) in sources.items()}
    memory = build.build_corpus(raw, acquire=ACQUIRE, params=load_params("clean"), seed=1)
    out = tmp_path / "out"
    partitions.build_corpus_files(
        sources,
        params=load_params("clean"),
        seed=1,
        engine=engine.SerialExecutor(),
        workdir=tmp_path / "work",
        chunk_rows=chunk_rows,
        out_documents=out / "documents.parquet",
        out_reports=out / "reports.parquet",
        out_ledger=out / "ledger.parquet",
    )
    for name, frame in zip(("documents", "reports", "ledger"), memory, strict=True):
        write_parquet(tmp_path / f"memory-{name}.parquet", frame)
        assert sha256_file(tmp_path / f"memory-{name}.parquet") == sha256_file(out / f"{name}.parquet"), name
    ledger = memory[2].set_index(["collection", "row"])
    assert ledger.loc[("ucdp_iraq", 4), "reason"] == "duplicate_row"
    assert ledger.loc[("ucdp_iraq", 6), "reason"] == "duplicate_id_conflict"
    assert ledger.loc[("fakes", 3), "fate"] == "merged"
    docs = memory[0].set_index("doc_id")
    assert docs.loc["ucdp_iraq:14", "text_group"] == "ucdp_iraq:12"


def test_a_chunk_of_another_type_is_refused(tmp_path):
    chunks = [pd.DataFrame({"x": [True]}), pd.DataFrame({"x": ["yes"]})]
    with pytest.raises(ValueError, match=r"column 'x' as large_string; the file has 'x' as bool"):
        write_parquet_chunks(tmp_path / "t.parquet", chunks)
    assert not (tmp_path / "t.parquet").exists()
