"""Classify new text with the trained model, stating every input row's fate.

The input is a table (CSV, JSONL or Parquet with ``id``, ``text`` and optionally
``title``) or one raw article on standard input. Every input row gets exactly one output
row: ``id``, ``line`` (where it was in the input), ``status`` and, where the status is
``ok``, its labels and one probability per type. A row that cannot be classified says why
in its ``status`` and gets no labels, so "no event found" (``ok`` with empty labels) never
reads like a row that was not classified. Problems with the whole input (a missing file
or column, bytes that are not UTF-8, an unknown format, an unusable output path) are one
``error:`` line before any output is written.

:func:`classify_texts` does the same in memory, for notebooks and loops over small
batches, loading the model once per process. Nothing here imports scikit-learn (or torch):
loading the model does, for the classes its file names.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pandas as pd

from analysis import paths
from analysis.codebook import EVENT_TYPES, format_labels
from analysis.corpus import readers
from analysis.corpus.text import clean_article, split_non_latin
from analysis.documents import model_input
from analysis.errors import DataError
from analysis.io import atomic_path, write_parquet_chunks

if TYPE_CHECKING:
    from analysis.model.classifier import EventClassifier

log = logging.getLogger(__name__)

CHUNK_ROWS = 10_000  # documents read, classified and written at a time
INPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
OUTPUT_FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
#: Every status a row can get, in the order they are checked; only ``ok`` rows are classified.
STATUSES = ("malformed_row", "missing_id", "duplicate_id", "empty_text", "text_too_long", "ok")
OUTPUT_COLUMNS = ["id", "line", "status", "problem", "labels", *(f"p_{t}" for t in EVENT_TYPES)]


def input_format(source: str, *, given: str | None) -> str:
    """Return the input's format: ``given`` (``--format``), else the file's extension; ``-`` defaults to ``text``.

    Raises
    ------
    DataError
        An extension that is not ``.csv``, ``.jsonl`` (``.json``, ``.ndjson``) or ``.parquet``.
    """
    if given:
        return given
    if source == "-":
        return "text"
    suffix = Path(source).suffix.lower()
    if suffix not in INPUT_FORMATS:
        raise DataError(f"{source}: unknown input format {suffix!r}; use .csv, .jsonl or .parquet, or --format")
    return INPUT_FORMATS[suffix]


def iter_input(
    source: str, *, fmt: str | None = None, stdin: BinaryIO | None = None, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Stream the documents to classify in frames of at most ``chunk_rows`` rows.

    Parameters
    ----------
    source : str
        A file path, or ``-`` for standard input.
    fmt : str, optional
        ``csv``, ``jsonl``, ``parquet`` or ``text`` (one raw article); default from the
        extension (see :func:`input_format`).
    stdin : binary stream, optional
        Standard input (for tests).

    Yields
    ------
    DataFrame
        ``id``, ``title``, ``text`` (as text), ``line`` (the input line, or row for Parquet)
        and ``problem`` (why a row could not be read whole, or ``""``).

    Raises
    ------
    DataError
        Missing file, missing ``id`` or ``text`` column, empty input, bytes that are not
        UTF-8 or a binary file, or a table on standard input without ``--format``.
    """
    fmt = input_format(source, given=fmt)
    stream = (stdin or sys.stdin.buffer) if source == "-" else None
    name = "<stdin>" if source == "-" else source  # a stream names itself in errors (sys.stdin.buffer: <stdin>)
    if fmt == "text":
        yield _one_article(stream, source=source, name=name)
        return
    if stream is not None and fmt == "parquet":
        raise DataError("<stdin>: Parquet cannot be read from standard input; pass the file's path")
    where = {"id": "the document id", "text": "the text to classify"}
    target = stream if stream is not None else Path(source)
    if fmt == "csv":
        chunks = readers.iter_csv_table(target, required=["id", "text"], chunk_rows=chunk_rows, where=where)
    elif fmt == "jsonl":
        chunks = readers.iter_jsonl_table(
            target, required=["id", "text"], optional=["title"], chunk_rows=chunk_rows, where=where
        )
    else:
        chunks = readers.iter_parquet_table(
            Path(source), required=["id", "text"], optional=["title"], chunk_rows=chunk_rows, where=where
        )
    for frame in chunks:
        title = frame["title"] if "title" in frame.columns else ""
        yield pd.DataFrame(
            {
                "id": frame["id"],
                "title": title,
                "text": frame["text"],
                "line": frame["line"],
                "problem": frame["problem"],
            }
        )


def _one_article(stream: BinaryIO | None, *, source: str, name: str) -> pd.DataFrame:
    """Read one raw article (a text file, or standard input); refuse what looks like a table."""
    raw = stream.read() if stream is not None else _read_bytes(Path(source))
    lines = list(readers._decoded_lines(io.BytesIO(raw)) if raw else [])
    text = "".join(lines)
    if not text.strip():
        raise DataError(f"{name}: empty input")
    first = lines[0].strip()
    header = [c.strip().strip('"').lower() for c in first.split(",")]
    if {"id", "text"} <= set(header) or (first.startswith("{") and '"text"' in first):
        kind = "jsonl" if first.startswith("{") else "csv"
        raise DataError(
            f"{name}: looks like a {kind.upper()} table, not one article; pass --format {kind} to classify its rows "
            "(or --format text to classify it as one article)"
        )
    return pd.DataFrame(
        {
            "id": ["stdin" if source == "-" else Path(source).stem],
            "title": [""],
            "text": [text],
            "line": [1],
            "problem": [""],
        }
    )


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise DataError(f"{path}: file not found" if not path.exists() else f"{path}: a directory, not a file")
    return path.read_bytes()


def row_status(frame: pd.DataFrame, *, seen_ids: set[str], max_text_chars: int) -> pd.Series:
    """Decide each row's status (:data:`STATUSES`), in input order; ``seen_ids`` carries ids across chunks.

    Returns
    -------
    Series
        One status per row, index of ``frame``.
    """
    out = []
    for row_id, text, problem in zip(frame["id"], frame["text"], frame["problem"], strict=True):
        if problem:
            out.append("malformed_row")
        elif not row_id.strip():
            out.append("missing_id")
        elif row_id in seen_ids:
            out.append("duplicate_id")
        elif not text.strip():
            out.append("empty_text")
        elif len(text) > max_text_chars:
            out.append("text_too_long")
        else:
            out.append("ok")
        if row_id.strip() and not problem:
            seen_ids.add(row_id)
    return pd.Series(out, index=frame.index, dtype=object)


def classify_frame(frame: pd.DataFrame, model: EventClassifier) -> pd.DataFrame:
    """Clean raw documents the way the pipeline does, then classify them (every row is classified).

    Returns
    -------
    DataFrame
        Columns ``id``, ``labels`` (``;``-joined, codebook order) and ``p_<type>`` per type.
    """
    cleaned = [clean_article(t, title=ti) for t, ti in zip(frame["text"], frame["title"], strict=True)]
    docs = pd.DataFrame(
        {
            "title": frame["title"].map(lambda s: split_non_latin(s)[0]),
            "text": [split_non_latin(c)[0] for c in cleaned],
        },
        index=frame.index,
    )
    proba = model.predict_proba(model_input(docs, article=docs["title"].ne("")))
    labels = model.labels_from_proba(proba)
    out = pd.DataFrame(
        {"id": frame["id"], "labels": labels.apply(lambda r: format_labels({t for t in EVENT_TYPES if r[t]}), axis=1)}
    )
    return pd.concat([out, proba.round(6)], axis=1)


def classify_chunk(
    frame: pd.DataFrame, model: EventClassifier, *, seen_ids: set[str], max_text_chars: int
) -> pd.DataFrame:
    """Give every row of an input chunk its status, and classify the ``ok`` rows.

    Returns
    -------
    DataFrame
        Columns :data:`OUTPUT_COLUMNS`: ``id`` (null where missing), ``line``, ``status``,
        ``problem`` (what is wrong with a row that was not classified, else empty) and, for
        ``ok`` rows only, ``labels`` and ``p_<type>`` (null otherwise).
    """
    status = row_status(frame, seen_ids=seen_ids, max_text_chars=max_text_chars)
    length = frame["text"].str.len()
    problem = frame["problem"].where(status == "malformed_row", "")
    problem = problem.mask(
        status == "text_too_long", length.map(lambda n: f"{n:,} characters; the cap is {max_text_chars:,}")
    )
    problem = problem.mask(status == "duplicate_id", "this id appeared on an earlier line")
    out = pd.DataFrame(
        {
            "id": frame["id"].where(frame["id"].str.strip() != "", None),
            "line": frame["line"].astype("int64"),
            "status": status,
            "problem": problem,
            "labels": pd.Series(None, index=frame.index, dtype=object),
        }
    )
    for t in EVENT_TYPES:
        out[f"p_{t}"] = pd.Series(float("nan"), index=frame.index)
    ok = status == "ok"
    if ok.any():
        result = classify_frame(frame[ok], model)
        out.loc[ok, "labels"] = result["labels"]
        for t in EVENT_TYPES:
            out.loc[ok, f"p_{t}"] = result[f"p_{t}"]
    return out[OUTPUT_COLUMNS]


def output_format(destination: str | None, *, given: str | None) -> str:
    """Return the output's format: ``given`` (``--output-format``), else the extension; standard output is JSONL.

    Raises
    ------
    DataError
        An unknown extension, a directory, or a folder that does not exist.
    """
    if destination:
        path = Path(destination)
        if path.is_dir():
            raise DataError(f"{destination}: a directory; name an output file, e.g. {path / 'labels.jsonl'}")
        if not path.parent.is_dir():
            raise DataError(f"{destination}: the folder {path.parent} does not exist (create it first)")
    if given:
        if given == "parquet" and not destination:
            raise DataError("standard output: Parquet is written to a file only; pass -o out.parquet")
        return given
    if not destination:
        return "jsonl"
    suffix = Path(destination).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise DataError(f"{destination}: unknown output format {suffix!r}; use .jsonl, .csv or .parquet")
    return OUTPUT_FORMATS[suffix]


def write_output(
    results: Iterable[pd.DataFrame], destination: str | None, *, fmt: str, stdout: io.TextIOBase | None = None
) -> dict[str, int]:
    """Stream result chunks to a file (atomically) or to standard output (all or nothing).

    Standard output receives nothing until every row has been classified: the rows go to a
    temporary file first, so an error half-way never leaves half an answer on the screen.

    Returns
    -------
    dict
        Rows written per status.
    """
    from tqdm.auto import tqdm

    counts = dict.fromkeys(STATUSES, 0)

    def counted(chunks: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        with tqdm(desc="classify", unit="doc", leave=False, disable=None) as bar:  # on stderr, never in the output
            for chunk in chunks:
                for status, n in chunk["status"].value_counts().items():
                    counts[status] += int(n)
                bar.update(len(chunk))
                yield chunk

    if fmt == "parquet":
        write_parquet_chunks(Path(destination), counted(results))
        return counts
    if destination:
        with atomic_path(Path(destination)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            _write_text(counted(results), fh, fmt=fmt)
        return counts
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as buffer:
        _write_text(counted(results), buffer, fmt=fmt)
        buffer.seek(0)
        shutil.copyfileobj(buffer, stdout or sys.stdout)
    return counts


def _write_text(chunks: Iterable[pd.DataFrame], fh: io.TextIOBase, *, fmt: str) -> None:
    for i, chunk in enumerate(chunks):
        if fmt == "csv":
            chunk.to_csv(fh, index=False, header=i == 0, lineterminator="\n")
        else:
            records = chunk.astype(object).where(chunk.notna(), None).to_dict(orient="records")
            fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


#: Models :func:`classify_texts` has loaded, per resolved path: (file stamp, model, text cap).
_LOADED: dict[str, tuple[tuple[int, int], Any, int]] = {}


def classify_texts(
    texts: Iterable[Any] | str, titles: Iterable[Any] | str | None = None, model_path: str | Path | None = None
) -> pd.DataFrame:
    """Classify texts in memory as ``python -m analysis classify`` does, loading the model once per process.

    For notebooks (JupyterLab) and loops over many small batches: the model file is read on
    the first call for its path and kept; later calls reuse it, unless the file has changed
    since (a new ``dvc repro train``), when it is read again.

    Parameters
    ----------
    texts : iterable of str, or str
        Raw texts, cleaned as the pipeline cleans them; one string is one text. A missing
        value (``None``, NaN) is an empty text.
    titles : iterable of str, or str, optional
        One title per text (``""`` for none). A text with a title is read as an article,
        title and text together, as the command reads a row of a ``title`` column.
    model_path : str or Path, optional
        A model file from the train stage; default the pipeline's.

    Returns
    -------
    DataFrame
        One row per text, in order, indexed like ``texts`` (a Series' index, else
        0..n-1): the command's columns but ``id`` and ``line``. ``status`` is ``ok``,
        ``empty_text`` or ``text_too_long`` (over ``clean.max_text_chars``, with its
        ``problem``); ``labels`` (``;``-joined, codebook order, ``""`` when no type is found)
        and one ``p_<type>`` per type are set for ``ok`` rows only, null otherwise.

    Raises
    ------
    DataError
        A missing or unreadable model file, or not one title per text.
    """
    text = _strings(texts)
    title = _strings(titles) if titles is not None else [""] * len(text)
    if len(title) != len(text):
        raise DataError(f"classify_texts: {len(title)} titles for {len(text)} texts; give one per text (or none)")
    model, max_text_chars = _model(Path(model_path) if model_path is not None else paths.MODEL)
    n = len(text)
    columns = {"id": [str(i) for i in range(n)], "title": title, "text": text, "problem": [""] * n}  # ids unique
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()}).assign(line=range(1, n + 1))
    out = classify_chunk(frame, model, seen_ids=set(), max_text_chars=max_text_chars).drop(columns=["id", "line"])
    return out.set_axis(texts.index) if isinstance(texts, pd.Series) else out


def _strings(values: Iterable[Any] | str) -> list[str]:
    """Return ``values`` as a list of strings: one string is one value, a missing value ``""``."""
    if isinstance(values, str):
        return [values]
    return [v if isinstance(v, str) else "" if v is None or pd.isna(v) else str(v) for v in values]


def _model(path: Path) -> tuple[Any, int]:
    """Return the model in ``path`` and the pipeline's text cap, loading them once per file version."""
    key = str(path.resolve())
    stat = path.stat() if path.is_file() else None  # no file: persist.load says what is wrong
    stamp = (stat.st_mtime_ns, stat.st_size) if stat else None
    cached = _LOADED.get(key)
    if cached is not None and stamp is not None and cached[0] == stamp:
        return cached[1], cached[2]
    from analysis.model import persist
    from analysis.params import load_params

    model = persist.load(path)
    max_text_chars = load_params("clean").max_text_chars  # the pipeline's cap, as the command reads it
    _LOADED[key] = (stamp, model, max_text_chars)
    log.debug("loaded %s for classify_texts", path)
    return model, max_text_chars
