"""Classify new text with the trained model: read CSV/JSONL or one article, clean, predict."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from analysis.codebook import EVENT_TYPES, format_labels
from analysis.corpus.text import clean_article, split_non_latin
from analysis.errors import DataError
from analysis.io import atomic_path
from analysis.model.classifier import EventClassifier
from analysis.model.features import model_input

CHUNK_ROWS = 10_000  # documents read, classified and written at a time


def read_input(source: str, *, stdin: io.TextIOBase | None = None) -> pd.DataFrame:
    """Read documents to classify from a CSV or JSONL file, or one raw article from standard input.

    The whole input at once; :func:`iter_input` streams it in chunks.

    Parameters
    ----------
    source : str
        A ``.csv`` or ``.jsonl``/``.json`` path with ``id`` and ``text`` (and optionally
        ``title``) columns, or ``-`` for a single article on standard input.

    Returns
    -------
    DataFrame
        Columns ``id`` (text), ``title``, ``text``.

    Raises
    ------
    DataError
        Missing file or column, empty input, undecodable bytes, malformed JSON.
    """
    return pd.concat(list(iter_input(source, stdin=stdin, chunk_rows=1 << 62)), ignore_index=True)


def iter_input(
    source: str, *, stdin: io.TextIOBase | None = None, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Stream the input of :func:`read_input` in frames of at most ``chunk_rows`` documents.

    Memory stays bounded by one chunk, so inputs larger than memory can be classified.

    Yields
    ------
    DataFrame
        Columns ``id`` (text), ``title``, ``text``.
    """
    if source == "-":
        text = (stdin or sys.stdin).read()
        if not text.strip():
            raise DataError("<stdin>: empty input")
        yield pd.DataFrame({"id": ["stdin"], "title": [""], "text": [text]})
        return
    path = Path(source)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        chunks = _csv_chunks(path, chunk_rows=chunk_rows)
    elif suffix in (".jsonl", ".json", ".ndjson"):
        chunks = _jsonl_chunks(path, chunk_rows=chunk_rows)
    else:
        raise DataError(f"{path}: unknown input format {suffix!r}; use .csv or .jsonl")
    n = 0
    for frame in chunks:
        missing = [c for c in ("id", "text") if c not in frame.columns]
        if missing:
            raise DataError(f"{path}: missing column(s) {missing}; found {list(frame.columns)}")
        n += len(frame)
        title = frame["title"] if "title" in frame.columns else ""
        out = pd.DataFrame({"id": frame["id"].astype(str), "title": title, "text": frame["text"]})
        yield out.fillna("").astype(str)
    if n == 0:
        raise DataError(f"{path}: no rows")


def _csv_chunks(path: Path, *, chunk_rows: int) -> Iterator[pd.DataFrame]:
    with open(path, "rb") as fh:
        if not fh.read(4096).strip():
            raise DataError(f"{path}: empty file")
    try:
        reader = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", chunksize=min(chunk_rows, 1 << 30)
        )
        yield from reader
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: empty file") from None
    except pd.errors.ParserError as exc:
        raise DataError(f"{path}: cannot parse as CSV: {' '.join(str(exc).split())}") from None


def _jsonl_chunks(path: Path, *, chunk_rows: int) -> Iterator[pd.DataFrame]:
    records: list[dict] = []
    seen = False
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(f"{path}: line {n}: not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
            if not line.strip():
                continue
            seen = True
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}: line {n}: not valid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise DataError(f"{path}: line {n}: expected a JSON object")
            records.append(record)
            if len(records) == chunk_rows:
                yield pd.DataFrame(records)
                records = []
    if not seen:
        raise DataError(f"{path}: empty file")
    if records:
        yield pd.DataFrame(records)


def classify_frame(frame: pd.DataFrame, model: EventClassifier) -> pd.DataFrame:
    """Clean raw documents the way the pipeline does, then classify them.

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


def write_output_chunks(
    results: Iterable[pd.DataFrame], destination: str | None, *, stdout: io.TextIOBase | None = None
) -> int:
    """Stream result chunks as JSONL or CSV (by the destination's suffix), atomically for files.

    Returns
    -------
    int
        Number of documents written.
    """
    as_csv = bool(destination) and Path(destination).suffix.lower() == ".csv"
    n = 0

    def _write(fh: io.TextIOBase) -> None:
        nonlocal n
        for i, result in enumerate(results):
            if as_csv:
                result.to_csv(fh, index=False, header=i == 0, lineterminator="\n")
            else:
                fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in result.to_dict(orient="records")))
            n += len(result)

    if destination:
        with atomic_path(Path(destination)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            _write(fh)
    else:
        _write(stdout or sys.stdout)
    return n
