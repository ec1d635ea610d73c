"""The engines: pandas and dask give the same tables, on the real corpus and on small cases."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import engine, inference, partitions, paths, readers, scale, study
from analysis.errors import ParamsError
from analysis.io import write_parquet, write_parquet_chunks
from analysis.params import COLLECTIONS, EngineParams, load_params


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _clean_and_predict(raw_dir: Path, out: Path, *, name: str, chunk_rows: int) -> None:
    acquire = load_params("acquire")
    sources = {c: raw_dir / acquire.for_collection(c).name for c in COLLECTIONS}
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
        inference.predict_files(
            out / "documents.parquet",
            paths.MODEL,
            engine=ex,
            workdir=out / "work-predict",
            out=out / "predictions.parquet",
        )
        # the report stage's per-document join, on the same engine
        labelled = study.labelled_documents_files(out / "documents.parquet", out / "predictions.parquet", engine=ex)
    write_parquet(out / "labelled.parquet", labelled)


@pytest.mark.slow
def test_pandas_and_dask_engines_give_the_same_documents_and_predictions(raw_dir, corpus_tables, tmp_path):
    if not paths.MODEL.is_file():
        pytest.fail(f"{paths.MODEL} is missing: run `make repro` first (the README's test command does)")
    # small partitions, so that merges, duplicate ids and near-duplicates straddle partitions
    _clean_and_predict(raw_dir, tmp_path / "pandas", name="pandas", chunk_rows=3000)
    _clean_and_predict(raw_dir, tmp_path / "dask", name="dask", chunk_rows=3000)
    for name in ("documents", "reports", "ledger", "predictions", "labelled"):
        assert _sha(tmp_path / "pandas" / f"{name}.parquet") == _sha(tmp_path / "dask" / f"{name}.parquet"), name
    # ... and both equal the in-memory build the other tests use
    documents, reports, ledger = corpus_tables
    for name, frame in (("documents", documents), ("reports", reports), ("ledger", ledger)):
        write_parquet(tmp_path / f"memory-{name}.parquet", frame)
        assert _sha(tmp_path / f"memory-{name}.parquet") == _sha(tmp_path / "dask" / f"{name}.parquet"), name
    predictions = pd.read_parquet(tmp_path / "dask" / "predictions.parquet")
    assert predictions["doc_id"].tolist() == documents["doc_id"].tolist()
    assert predictions.filter(like="p_").notna().all().all()


def test_parquet_bytes_do_not_depend_on_chunking(tmp_path):
    frame = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(250)], "x": np.arange(250), "t": [None] * 250})
    write_parquet(tmp_path / "whole.parquet", frame, row_group_rows=100)
    # uneven chunks must regroup into the same 100-row groups
    chunks = [frame.iloc[0:7], frame.iloc[7:180], frame.iloc[180:250]]
    assert write_parquet_chunks(tmp_path / "chunks.parquet", chunks, row_group_rows=100) == 250
    assert _sha(tmp_path / "whole.parquet") == _sha(tmp_path / "chunks.parquet")


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
    plan = partitions.clean.repeated_article_plan(keys)
    assert plan.loc[3, "doc_id"] == "fakes:7" and not plan.loc[3, "first"]
    assert pd.isna(plan.loc[1, "credibility"])  # the merged rows disagree
    assert plan.loc[5, "doc_id"] == "fakes:9~2"
    # the plan is made on all keys; applying it to one chunk at a time gives the same documents
    rows = keys.assign(text="t", title="", published=pd.Timestamp("2017-01-01"), collection="fakes", source_file="f")
    whole, _ = partitions.clean.apply_repeated_article_plan(rows, plan)
    parts = [partitions.clean.apply_repeated_article_plan(rows.iloc[i : i + 2], plan)[0] for i in (0, 2, 4)]
    pd.testing.assert_frame_equal(whole, pd.concat(parts))


def test_scaled_corpus_is_seeded_and_perturbs_only_words():
    raw = {
        "ucdp_iraq": pd.DataFrame(
            {
                "row": [1, 2],
                "source_id": ["11", "12"],
                **{c: ["x"] * 2 for c in readers.UCDP_COLUMNS if c != "id"},
            }
        ).assign(source_article=['"Reuters,2016-10-17,troops advance on the city"', '"AFP,2016-10-18,air strike"'])
    }
    ledger = pd.DataFrame({"collection": ["ucdp_iraq"] * 2, "row": [1, 2], "fate": ["kept", "dropped"]})
    a = scale.scaled_sources(raw, ledger, n_rows=50, seed=3, drop_word=0.3)["ucdp_iraq"]
    b = scale.scaled_sources(raw, ledger, n_rows=50, seed=3, drop_word=0.3)["ucdp_iraq"]
    pd.testing.assert_frame_equal(a, b)
    assert a["id"].is_unique and len(a) == 50
    # only the kept row is drawn; outlet and date survive every perturbation
    assert a["source_article"].str.startswith('"Reuters,2016-10-17,').all()
    assert a["source_article"].nunique() > 1


def test_engine_params_reject_a_bad_scheduler(tmp_path):
    import yaml

    data = yaml.safe_load(paths.PARAMS.read_text())
    data["engine"]["scheduler"] = "localhost:8786"
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ParamsError, match=r"engine.scheduler: must be null or a scheduler address"):
        load_params("engine", path=tmp_path / "params.yaml")


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


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_classify_input_streams_in_chunks(tmp_path, suffix):
    from analysis import classify

    frame = pd.DataFrame({"id": [str(i) for i in range(5)], "text": [f"text {i}" for i in range(5)]})
    path = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True)
    chunks = list(classify.iter_input(str(path), chunk_rows=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), classify.read_input(str(path)))


def test_classify_output_streams_jsonl_and_csv(tmp_path):
    from analysis import classify

    parts = [pd.DataFrame({"id": ["a"], "labels": ["siege"]}), pd.DataFrame({"id": ["b"], "labels": [""]})]
    assert classify.write_output_chunks(iter(parts), str(tmp_path / "o.csv")) == 2
    assert (tmp_path / "o.csv").read_text() == "id,labels\na,siege\nb,\n"  # one header
    classify.write_output_chunks(iter(parts), str(tmp_path / "o.jsonl"))
    assert (tmp_path / "o.jsonl").read_text().splitlines()[1] == '{"id": "b", "labels": ""}'
