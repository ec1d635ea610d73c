"""Bad input files: each gives a one-line error naming file and row, or a ledgered drop."""

from pathlib import Path

import pytest

from analysis.corpus import articles, build, events, readers
from analysis.corpus import ledger as led
from analysis.corpus.collections import read_collection
from analysis.params import KIND_COLUMNS, KIND_OPTIONAL_COLUMNS, load_params
from analysis.stages._common import run

SPECS = {spec.name: spec for spec in load_params("acquire").collections}
UCDP_COLUMNS = [*KIND_COLUMNS["event_reports"], *KIND_OPTIONAL_COLUMNS["event_reports"]]  # UCDP's coding too

HEADER = "unit_id,article_title,article_content,source,date,location,labels\n"
GOOD = '1,Title one,"Wed 05 Apr 2017 Title one. Rebels shelled the city on Monday, killing three.",sana,4/5/2017,aleppo,1\n'


def _fakes(tmp_path: Path, body: str, *, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "FA-KES-Dataset.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def _read_fakes(path: Path):
    return read_collection(SPECS["fakes"], path)


def _build_fakes(path: Path):
    documents, _, ledger = articles.documents(_read_fakes(path), spec=SPECS["fakes"], params=load_params("clean"))
    return documents, ledger


def _reason(ledger, row: int) -> str:
    return ledger.loc[ledger["row"] == row, "reason"].item()


def test_missing_column_names_file_and_column(tmp_path):
    path = _fakes(tmp_path, GOOD.replace(",1\n", "\n"), header=HEADER.replace(",labels", ""))
    pattern = r"FA-KES-Dataset.csv: missing column 'labels' \(acquire.collections\[fakes\].columns.credibility\)"
    with pytest.raises(readers.DataError, match=pattern):
        _read_fakes(path)


def test_wrong_encoding_names_line_and_byte(tmp_path):
    # row 2 written in Latin-1: the é is byte 0xe9, not valid UTF-8
    path = _fakes(
        tmp_path, GOOD + '2,Café,"Rebels shelled the café district.",sana,4/5/2017,aleppo,1\n', encoding="latin-1"
    )
    with pytest.raises(readers.DataError, match=r"FA-KES-Dataset.csv: line 3: not valid UTF-8 \(byte 0xe9"):
        _read_fakes(path)


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "FA-KES-Dataset.csv"
    path.write_text("")
    with pytest.raises(readers.DataError, match="empty file"):
        _read_fakes(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(readers.DataError, match="file not found"):
        _read_fakes(tmp_path / "nope.csv")


def test_truncated_row_is_a_ledgered_drop(tmp_path):
    # the last line was cut off after three fields
    path = _fakes(tmp_path, GOOD + "2,Title two,Rebels advanced")
    documents, ledger = _build_fakes(path)
    assert _reason(ledger, 2) == led.R_MALFORMED
    assert list(documents["source_id"]) == ["1"]


def test_empty_text_is_a_ledgered_drop(tmp_path):
    path = _fakes(tmp_path, GOOD + '2,Title two,"   ",sana,4/5/2017,aleppo,1\n')
    _, ledger = _build_fakes(path)
    assert _reason(ledger, 2) == led.R_EMPTY


def test_unparseable_date_is_a_ledgered_drop(tmp_path):
    path = _fakes(tmp_path, GOOD + '2,Title two,"Rebels advanced on the town.",sana,2017-31-31,aleppo,1\n')
    _, ledger = _build_fakes(path)
    assert _reason(ledger, 2) == led.R_BAD_DATE


def test_ten_megabyte_text_is_a_ledgered_drop(tmp_path):
    huge = "Rebels shelled the city. " * 420_000  # about 10 MB
    path = _fakes(tmp_path, GOOD + f'2,Huge,"{huge}",sana,4/5/2017,aleppo,1\n')
    documents, ledger = _build_fakes(path)
    assert _reason(ledger, 2) == led.R_TOO_LONG
    assert len(documents) == 1


def test_duplicate_id_same_text_is_merged_and_credibility_nulled(tmp_path):
    # the same article twice with opposite credibility labels
    path = _fakes(tmp_path, GOOD + GOOD.replace(",1\n", ",0\n"))
    documents, ledger = _build_fakes(path)
    assert len(documents) == 1 and documents["credibility"].isna().all()
    assert ledger.loc[ledger["row"] == 2, ["fate", "doc_id"]].values.tolist() == [["merged", "fakes:1"]]


def test_duplicate_id_different_text_keeps_both(tmp_path):
    # one id reused for a different article: two documents, the second suffixed
    path = _fakes(
        tmp_path, GOOD + '1,Other,"Government forces retook the village after clashes.",sana,4/6/2017,aleppo,1\n'
    )
    documents, ledger = _build_fakes(path)
    assert sorted(documents["doc_id"]) == ["fakes:1", "fakes:1~2"]
    assert _reason(ledger, 2) == led.R_KEPT_REPEATED_ID


UCDP_HEADER = ",".join(UCDP_COLUMNS) + "\n"


def _ucdp_row(event_id: str, date: str, article: str) -> str:
    values = {c: "" for c in UCDP_COLUMNS}
    values.update(id=event_id, date_start=date, source_article=article, country="Iraq", best="3", low="3", high="4")
    return ",".join('"' + values[c].replace('"', '""') + '"' for c in UCDP_COLUMNS) + "\n"


def _build_ucdp(tmp_path, body):
    path = tmp_path / "conflict_data_irq.csv"
    path.write_text(UCDP_HEADER + body)
    spec = SPECS["ucdp_iraq"]
    return events.documents(read_collection(spec, path), spec=spec, params=load_params("clean"))


def test_ucdp_duplicate_id_conflict_is_dropped_and_identical_row_merged(tmp_path):
    a = _ucdp_row("10", "2015-01-02", '"AFP,2015-01-03,Clashes kill 5 in Ramadi"')
    b = _ucdp_row("10", "2015-01-02", '"AFP,2015-01-03,Suicide bomber kills 9 in Baghdad"')
    documents, reports, ledger = _build_ucdp(tmp_path, a + a + b)
    assert ledger.set_index("row")["reason"].to_dict() == {1: "kept", 2: led.R_DUPLICATE_ROW, 3: led.R_DUPLICATE_ID}
    assert len(documents) == 1 and len(reports) == 1


def test_ucdp_bad_event_date_and_window(tmp_path):
    ok = _ucdp_row("1", "2015-01-02", '"AFP,2015-01-03,Clashes kill 5 in Ramadi"')
    bad_date = _ucdp_row("2", "someday", '"AFP,2015-01-03,Clashes kill 5 in Ramadi"')
    too_old = _ucdp_row("3", "2004-05-01", '"AFP,2004-05-02,Car bomb kills 9 in Baghdad"')
    _, _, ledger = _build_ucdp(tmp_path, ok + bad_date + too_old)
    assert ledger.set_index("row")["reason"].to_dict() == {1: "kept", 2: led.R_BAD_DATE, 3: led.R_WINDOW}


def test_unreadable_rda_is_an_error(tmp_path):
    path = tmp_path / "ucdp_syria_df.rda"
    path.write_bytes(b"not an R file")
    with pytest.raises(readers.DataError, match="ucdp_syria_df.rda: cannot read as an R data file"):
        read_collection(SPECS["ucdp_syria"], path)


def test_stage_reports_expected_errors_in_one_line(tmp_path, capsys):
    # a stage whose input is missing exits 1 with a single "error:" line and the way back, no traceback
    def main():
        build.read_sources(tmp_path, acquire=load_params("acquire"))

    with pytest.raises(SystemExit) as exc:
        run(main)
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("error: ") and "FA-KES-Dataset.csv: file not found" in err[0]
    assert err[1].startswith("hint: ") and "dvc checkout" in err[1]
