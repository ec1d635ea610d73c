"""`python -m analysis classify`: every input row gets exactly one output row or one error, never a quiet wrong answer.

One hand-written case per input of the bad-input table in docs/methods.md, then a property
test over random rows. The model is the small hand-written one of ``conftest.small_model``.
"""

import importlib.util
import io
import json
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.__main__ import main as cli
from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model import new_text, persist


@pytest.fixture(scope="module")
def model_path(small_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "m.skops"
    persist.save(path, small_model)
    return str(path)


def _run(args, model_path, capsys, stdin=None, monkeypatch=None):
    """Run the command; return (exit code, output records or text, stderr lines)."""
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    code = cli(["classify", *args, "--model", model_path])
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if line.startswith("error:")]


def _records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_ok_rows_have_labels_and_probabilities(tmp_path, model_path, capsys):
    # a plain report: status ok, labels given; a calm one: ok with no labels ("no event found")
    src = _write(
        tmp_path,
        "in.jsonl",
        '{"id": "a", "text": "Warplanes struck the town"}\n{"id": "b", "text": "The council met"}\n',
    )
    code, out, err = _run([src], model_path, capsys)
    a, b = _records(out)
    assert code == 0 and not err
    assert (a["status"], b["status"]) == ("ok", "ok") and "airstrike" in a["labels"] and b["labels"] == ""
    assert set(a) == {"id", "line", "status", "problem", "labels", *[f"p_{t}" for t in EVENT_TYPES]}


def test_duplicate_ids_are_a_status_not_a_second_answer(tmp_path, model_path, capsys):
    # the first row with an id is classified; a later row with the same id is not
    src = _write(tmp_path, "in.csv", "id,text\n7,Warplanes struck the town\n7,Artillery shelled the district\n")
    _, out, _ = _run([src], model_path, capsys)
    first, second = _records(out)
    assert (first["status"], second["status"]) == ("ok", "duplicate_id")
    assert second["labels"] is None and second["p_airstrike"] is None and second["line"] == 3


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "a"}',  # no text key
        '{"id": "a", "text": null}',  # null text
        '{"id": "a", "text": "   "}',  # blank text
    ],
)
def test_no_text_is_empty_text_not_an_empty_answer(tmp_path, model_path, capsys, line):
    _, out, _ = _run([_write(tmp_path, "in.jsonl", '{"id": "z", "text": "x"}\n' + line + "\n")], model_path, capsys)
    row = _records(out)[1]
    assert row["status"] == "empty_text" and row["labels"] is None


def test_no_id_is_missing_id_and_the_line_is_given(tmp_path, model_path, capsys):
    src = _write(tmp_path, "in.jsonl", '{"id": "a", "text": "Mortars fell"}\n{"text": "Rebels captured the village"}\n')
    _, out, _ = _run([src], model_path, capsys)
    row = _records(out)[1]
    assert row == {**row, "id": None, "line": 2, "status": "missing_id", "labels": None}


def test_shifted_columns_are_a_malformed_row(tmp_path, model_path, capsys):
    # an unquoted comma in the text: four fields under a three-column header
    src = _write(
        tmp_path, "in.csv", "id,title,text\n1,Raid,Warplanes struck\n2,Shelling,Artillery shelled, then left\n"
    )
    _, out, _ = _run([src], model_path, capsys)
    row = _records(out)[1]
    assert row["status"] == "malformed_row" and row["problem"] == "4 fields, the header has 3" and row["id"] == "2"


def test_csv_on_stdin_needs_format(tmp_path, model_path, capsys, monkeypatch):
    table = "id,text\n1,Warplanes struck the town\n2,Artillery shelled the district\n"
    # without --format: refused, never classified as one article
    code, out, err = _run(["-"], model_path, capsys, stdin=table, monkeypatch=monkeypatch)
    assert code == 1 and out == "" and "looks like a CSV table" in err[0] and "--format csv" in err[0]
    # with --format csv: one output row per table row
    code, out, _ = _run(["-", "--format", "csv"], model_path, capsys, stdin=table, monkeypatch=monkeypatch)
    assert code == 0 and [r["id"] for r in _records(out)] == ["1", "2"]
    # one raw article is still the default
    code, out, _ = _run(["-"], model_path, capsys, stdin="Warplanes struck the town.", monkeypatch=monkeypatch)
    assert code == 0 and _records(out)[0]["id"] == "stdin"


def test_output_format_comes_from_the_extension_or_the_flag(tmp_path, model_path, capsys):
    src = _write(tmp_path, "in.csv", "id,text\n1,Warplanes struck the town\n")
    out = tmp_path / "out.parquet"
    assert _run([src, "-o", str(out)], model_path, capsys)[0] == 0
    assert pd.read_parquet(out)["status"].tolist() == ["ok"]  # a real Parquet file, not JSONL
    # an extension that is no format is an error; --output-format decides instead
    code, _, err = _run([src, "-o", str(tmp_path / "out.txt")], model_path, capsys)
    assert code == 1 and "unknown output format '.txt'" in err[0] and not (tmp_path / "out.txt").exists()
    assert _run([src, "-o", str(tmp_path / "out.txt"), "--output-format", "csv"], model_path, capsys)[0] == 0
    assert (tmp_path / "out.txt").read_text().startswith("id,line,status,problem,labels")


def test_missing_output_folder_is_an_error(tmp_path, model_path, capsys):
    src = _write(tmp_path, "in.csv", "id,text\n1,Warplanes struck\n")
    code, _, err = _run([src, "-o", str(tmp_path / "nope" / "sub" / "out.jsonl")], model_path, capsys)
    assert code == 1 and "does not exist (create it first)" in err[0] and not (tmp_path / "nope").exists()


def test_an_existing_directory_as_output_is_one_line(tmp_path, model_path, capsys):
    src = _write(tmp_path, "in.csv", "id,text\n1,Warplanes struck\n")
    (tmp_path / "adir").mkdir()
    code, _, err = _run([src, "-o", str(tmp_path / "adir")], model_path, capsys)
    assert code == 1 and len(err) == 1 and "a directory; name an output file" in err[0]


def test_a_text_over_the_pipelines_cap_is_refused_with_a_warning(tmp_path, model_path, capsys):
    huge = "Rebels shelled the city. " * 10_000  # 250,000 characters, over clean.max_text_chars
    src = _write(tmp_path, "in.jsonl", json.dumps({"id": "big", "text": huge}) + "\n")
    code, out, _ = _run([src], model_path, capsys)
    row = _records(out)[0]
    assert code == 0 and row["status"] == "text_too_long" and row["problem"].startswith("250,000 characters")


def test_the_summary_warns_about_rows_not_classified(tmp_path, model_path, caplog):
    src = _write(tmp_path, "in.csv", "id,text\n1,Warplanes struck\n1,again\n")
    with caplog.at_level("WARNING"):
        assert cli(["classify", src, "-o", str(tmp_path / "o.jsonl"), "--model", model_path]) == 0
    assert "not classified" in caplog.text and "duplicate_id" in caplog.text


def test_standard_output_is_all_or_nothing(tmp_path, model_path, capsys):
    # a byte that is not UTF-8 on the last line: the error comes before any row is printed
    path = tmp_path / "in.jsonl"
    good = "".join(json.dumps({"id": str(i), "text": "Warplanes struck"}) + "\n" for i in range(30))
    last = b'{"id": "x", "text": "caf\xe9"}\n'
    path.write_bytes(good.encode() + last)
    code, out, err = _run([str(path)], model_path, capsys)
    offset = len(good.encode()) + last.index(b"\xe9")
    assert code == 1 and out == ""
    assert err == [f"error: {path}: line 31: not valid UTF-8 (byte 0xe9 at offset {offset}); re-save the file as UTF-8"]


def test_a_malformed_json_line_is_its_own_status_with_the_whole_message(tmp_path, model_path, capsys):
    src = _write(tmp_path, "in.jsonl", '{"id": "a", "text": "Mortars fell"}\n{"id": "b", "text": "tab\there"}\n')
    _, out, _ = _run([src], model_path, capsys)
    row = _records(out)[1]
    assert row["status"] == "malformed_row"
    assert row["problem"] == "not valid JSON: Invalid control character at at column 25"


def test_a_binary_file_is_called_binary(tmp_path, model_path, capsys):
    path = tmp_path / "in.csv"
    path.write_bytes(b"id,text\n1,\x00\x01\x02\n")
    code, _, err = _run([str(path)], model_path, capsys)
    assert code == 1 and "a NUL byte: this is a binary file, not text" in err[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("in.csv", "id,body\n1,Warplanes struck\n", r"missing column 'text' \(the text to classify\)"),  # wrong column
        ("in.csv", "", "empty file"),  # nothing at all
        ("in.txt", "id,text\n1,a\n", "unknown input format '.txt'"),  # unsupported extension
        ("missing.csv", None, "file not found"),  # no such file
    ],
)
def test_input_errors_are_one_line(tmp_path, model_path, capsys, name, content, message):
    src = _write(tmp_path, name, content) if content is not None else str(tmp_path / name)
    code, out, err = _run([src], model_path, capsys)
    assert code == 1 and out == "" and len(err) == 1 and re.search(message, err[0])


def test_a_missing_model_says_how_to_restore_it(tmp_path, capsys):
    src = _write(tmp_path, "in.csv", "id,text\n1,Warplanes struck\n")
    assert cli(["classify", src, "--model", str(tmp_path / "absent.skops")]) == 1
    err = capsys.readouterr().err
    assert "model file not found" in err and "dvc checkout" in err


_ids = st.sampled_from(["a", "b", "c", "", " ", "7", "é"])
_texts = st.one_of(
    st.sampled_from(["Warplanes struck the town", "", "  ", "Mortars fell, killing two", "x" * 300]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
)
_rows = st.lists(st.fixed_dictionaries({"id": _ids, "text": _texts}), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows, chunk_rows=st.integers(min_value=1, max_value=7))
def test_every_input_row_gets_exactly_one_output_row(small_model, rows, chunk_rows):
    # random ids (repeated, blank) and texts (empty, unicode, over a small cap), any chunking
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    seen: set[str] = set()
    chunks = [
        new_text.classify_chunk(frame, small_model, seen_ids=seen, max_text_chars=200)
        for frame in new_text.iter_input("-", fmt="jsonl", stdin=io.BytesIO(data), chunk_rows=chunk_rows)
    ]
    out = pd.concat(chunks, ignore_index=True)
    assert out["line"].tolist() == list(range(1, len(rows) + 1))  # one row per input line, in order
    assert set(out["status"]) <= set(new_text.STATUSES)
    ok = out["status"] == "ok"
    assert out.loc[ok, "labels"].notna().all() and out.loc[~ok, "labels"].isna().all()
    first_ids = {r["id"] for r in rows if r["id"].strip()}
    assert set(out.loc[out["status"].isin(["ok", "empty_text", "text_too_long"]), "id"]) <= first_ids
    assert not out.loc[ok, "id"].duplicated().any()


def test_reading_a_table_twice_gives_the_same_frames(tmp_path):
    # streaming in chunks changes nothing but the chunking
    frame = pd.DataFrame({"id": [str(i) for i in range(5)], "text": [f"text {i}" for i in range(5)]})
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    chunks = list(new_text.iter_input(str(path), chunk_rows=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    whole = pd.concat(list(new_text.iter_input(str(path), chunk_rows=100)), ignore_index=True)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)


def test_input_format_errors_before_reading():
    with pytest.raises(DataError, match="Parquet cannot be read from standard input"):
        next(new_text.iter_input("-", fmt="parquet", stdin=io.BytesIO(b"")))


def test_classify_texts_answers_as_the_command_does(tmp_path, model_path, capsys):
    from analysis import classify_texts

    texts = [
        "Warplanes struck the town",  # a plain report: ok, airstrike
        "The council met",  # a calm one: ok with no labels ("no event found")
        "Artillery shelled the district",  # with a title below: read as an article, title and text together
        "   ",  # only spaces: empty_text, not classified
        "Rebels shelled the city. " * 10_000,  # over clean.max_text_chars: text_too_long, never cleaned
    ]
    titles = ["", "", "Shelling in Homs", "", ""]
    rows = [{"id": str(i), "title": ti, "text": t} for i, (t, ti) in enumerate(zip(texts, titles, strict=True))]
    src = _write(tmp_path, "in.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    code, out, err = _run([src], model_path, capsys)
    assert code == 0 and not err
    expected = pd.DataFrame(_records(out)).drop(columns=["id", "line"])
    got = classify_texts(texts, titles=titles, model_path=model_path)
    assert got["status"].tolist() == ["ok", "ok", "ok", "empty_text", "text_too_long"]
    assert list(got.columns) == list(expected.columns)
    nulls_as_none = lambda frame: frame.astype(object).where(frame.notna(), None)  # noqa: E731
    pd.testing.assert_frame_equal(nulls_as_none(got), nulls_as_none(expected))


def test_classify_texts_keeps_a_series_index_and_takes_one_string(model_path):
    from analysis import classify_texts

    # a Series (a notebook's column) keeps its index, so the result joins back onto its frame
    texts = pd.Series(["Warplanes struck the town", None], index=["x", "y"])
    got = classify_texts(texts, model_path=model_path)
    assert got.index.tolist() == ["x", "y"] and got["status"].tolist() == ["ok", "empty_text"]  # None: empty
    # one string is one text, not one per character
    assert len(classify_texts("Mortars fell", model_path=model_path)) == 1
    with pytest.raises(DataError, match="1 titles for 2 texts"):
        classify_texts(["a", "b"], titles=["t"], model_path=model_path)


def test_classify_texts_loads_the_model_once_per_file_version(tmp_path, model_path, monkeypatch):
    import os
    import shutil

    from analysis import classify_texts

    path = tmp_path / "m.skops"
    shutil.copyfile(model_path, path)
    calls = []
    load = persist.load
    monkeypatch.setattr(persist, "load", lambda p: calls.append(p) or load(p))
    monkeypatch.setattr(new_text, "_LOADED", {})
    # two batches from one model file: one load
    first = classify_texts(["Warplanes struck the town"], model_path=path)
    second = classify_texts(["Warplanes struck the town", "Mortars fell"], model_path=str(path))
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second.iloc[:1])
    # the file replaced (a new train run; here only its time): read again
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    classify_texts(["Mortars fell"], model_path=path)
    assert len(calls) == 2


def test_a_model_file_with_a_type_outside_the_allowlist_is_refused(tmp_path):
    import argparse

    # skops saves any object; loading trusts only types under persist.TRUSTED_PREFIXES, checked before any is built
    persist.save(tmp_path / "m.skops", {"model": argparse.Namespace(x=1)})
    with pytest.raises(DataError, match=r"refusing to load untrusted types \['argparse.Namespace'\]"):
        persist.load(tmp_path / "m.skops")


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed: nothing to import")
def test_the_linear_classify_path_never_imports_torch(tmp_path, model_path):
    """skops lists every scikit-learn module at import, torch among them; the linear family must not pay for it."""
    import subprocess
    import sys

    from analysis import paths

    src = _write(tmp_path, "in.csv", "id,text\n1,Warplanes struck the town\n")
    code = (
        "import sys\n"
        "import analysis\n"
        "print('pandas' in sys.modules)\n"  # `import analysis` stays light: classify_texts comes on first use
        "import analysis.model.new_text, analysis.__main__\n"
        "print('torch' in sys.modules)\n"
        f"assert analysis.__main__.main(['classify', {src!r}, '-o', {str(tmp_path / 'o.jsonl')!r}, "
        f"'--model', {model_path!r}]) == 0\n"
        f"analysis.classify_texts(['Mortars fell'], model_path={model_path!r})\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=paths.ROOT)
    assert done.stdout.splitlines() == ["False", "False", "[]"]
