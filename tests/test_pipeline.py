"""End to end on the real corpus: every input row accounted for, documents consistent."""

import hashlib

import pandas as pd
import pyreadr
import pytest

from analysis.corpus import build
from analysis.params import load_params

pytestmark = pytest.mark.slow


def test_every_input_row_is_accounted_for(raw_dir, corpus_tables):
    _, _, ledger = corpus_tables
    # rows counted independently of the package's readers
    rows_in = {
        "FA-KES-Dataset.csv": len(pd.read_csv(raw_dir / "FA-KES-Dataset.csv")),
        "conflict_data_irq.csv": len(pd.read_csv(raw_dir / "conflict_data_irq.csv")),  # includes the HXL row
        "ucdp_syria_df.rda": len(pyreadr.read_r(str(raw_dir / "ucdp_syria_df.rda"))["ucdp_syria_df"]),
    }
    assert rows_in == {"FA-KES-Dataset.csv": 804, "conflict_data_irq.csv": 7474, "ucdp_syria_df.rda": 16566}
    for name, n in rows_in.items():
        fates = ledger.loc[ledger["source_file"] == name, "fate"].value_counts()
        assert fates.get("kept", 0) + fates.get("merged", 0) + fates.get("dropped", 0) == n, name
        rows = ledger.loc[ledger["source_file"] == name, "row"]
        assert sorted(rows) == list(range(1, n + 1)), f"{name}: ledger rows are not exactly 1..{n}"
    assert set(ledger["fate"]) <= {"kept", "merged", "dropped"}
    assert ledger.loc[ledger["fate"] == "dropped", "reason"].ne("").all()


def test_ledger_links_to_documents(corpus_tables):
    documents, _, ledger = corpus_tables
    ids = set(documents["doc_id"])
    kept = ledger[ledger["fate"] == "kept"]
    assert set(kept["doc_id"]) == ids and kept["doc_id"].is_unique
    assert ledger.loc[ledger["fate"] == "merged", "doc_id"].isin(ids).all()
    assert ledger.loc[ledger["fate"] == "dropped", "doc_id"].isna().all()


def test_events_are_never_merged_and_window_applies(corpus_tables):
    documents, _, ledger = corpus_tables
    counts = documents["collection"].value_counts()
    assert counts["ucdp_syria"] == 16566
    assert counts["ucdp_iraq"] == 3061  # UCDP Iraq events of 2014-2018
    iraq = documents[documents["collection"] == "ucdp_iraq"]
    assert iraq["event_date"].dt.year.between(2014, 2018).all()
    assert (ledger["reason"] == "hxl_tag_row").sum() == 1


def test_fakes_repeats_are_merged_with_contradictions_nulled(corpus_tables):
    documents, _, ledger = corpus_tables
    fakes = documents[documents["collection"] == "fakes"].set_index("doc_id")
    # unit_id 1926479049 appears four times with one text and labels 1, 0, 0, 0
    assert pd.isna(fakes.loc["fakes:1926479049", "credibility"])
    assert (ledger["doc_id"].eq("fakes:1926479049") & ledger["fate"].eq("merged")).sum() == 3
    # unit_id 1926479112 is reused for two different articles: both kept
    assert {"fakes:1926479112", "fakes:1926479112~2"} <= set(fakes.index)
    assert fakes["text"].map(lambda t: " ".join(t.lower().split())).is_unique


def test_reports_belong_to_documents(corpus_tables):
    documents, reports, _ = corpus_tables
    assert reports["doc_id"].isin(documents["doc_id"]).all()
    n = reports.groupby("doc_id").size()
    assert (documents.set_index("doc_id")["n_reports"] == n.reindex(documents["doc_id"]).to_numpy()).all()
    ucdp = documents[documents["collection"] != "fakes"].set_index("doc_id")
    first = reports.groupby("doc_id")["published"].min()
    pd.testing.assert_series_equal(ucdp["published"], first.reindex(ucdp.index), check_names=False)
    # report dates are sane: typos such as 2919 became NaT, the raw text is kept
    assert reports["published"].dropna().dt.year.between(1946, 2030).all()


def test_sealed_documents_follow_the_rule(corpus_tables):
    documents, _, _ = corpus_tables

    def by_id(row) -> bool:
        return any(
            int(hashlib.sha256(f"{row.collection}:{sid}".encode()).hexdigest()[:8], 16) % 10 == 0
            for sid in row.members.split(";")
        )

    expected = documents.apply(by_id, axis=1)
    assert (documents["sealed_by_id"] == expected).all()
    assert not documents["source_id"].str.endswith(".0").any()  # ids as plain digits
    # everything sharing a sealed document's text is sealed; groups with a sealed doc are flagged
    norm = documents["text"].str.lower().str.replace(r"[^0-9a-z]+", " ", regex=True).str.split().str.join(" ")
    assert documents.loc[norm.isin(set(norm[documents["sealed_by_id"]])), "sealed"].all()
    assert documents.groupby("text_group")["sealed_group"].nunique().eq(1).all()
    assert (documents["sealed"] <= documents["sealed_group"]).all()


def test_cleaning_removed_known_debris(corpus_tables):
    documents, reports, _ = corpus_tables
    text = documents["text"]
    assert not text.str.contains(
        "Community standardsDiscussion|Thomson Reuters Trust Principles|&#82", regex=True
    ).any()
    assert not reports["headline"].str.match(r"^(?:UPDATE \d|CORRECTED-|TOPSHOTS)").any()
    assert not text.str.contains("\u00a0").any()


def test_build_is_deterministic(raw_frames, corpus_tables):
    again = build.build_corpus(
        raw_frames, acquire=load_params("acquire"), params=load_params("clean"), seed=load_params("base").seed
    )
    for first, second in zip(corpus_tables, again, strict=True):
        pd.testing.assert_frame_equal(first, second)
