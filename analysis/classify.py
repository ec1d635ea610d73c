"""Classify new text with the trained model: read CSV/JSONL or one article, clean, predict."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd

from analysis.clean import clean_article, split_non_latin
from analysis.codebook import EVENT_TYPES, format_labels
from analysis.errors import DataError
from analysis.model import EventClassifier, model_input


def read_input(source: str, *, stdin: io.TextIOBase | None = None) -> pd.DataFrame:
    """Read documents to classify from a CSV or JSONL file, or one raw article from standard input.

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
    if source == "-":
        text = (stdin or sys.stdin).read()
        if not text.strip():
            raise DataError("<stdin>: empty input")
        return pd.DataFrame({"id": ["stdin"], "title": [""], "text": [text]})
    path = Path(source)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from None
    if not raw.strip():
        raise DataError(f"{path}: empty file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            frame = pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False)
        except pd.errors.ParserError as exc:
            raise DataError(f"{path}: cannot parse as CSV: {' '.join(str(exc).split())}") from None
    elif suffix in (".jsonl", ".json", ".ndjson"):
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}: line {n}: not valid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise DataError(f"{path}: line {n}: expected a JSON object")
            records.append(record)
        frame = pd.DataFrame(records)
    else:
        raise DataError(f"{path}: unknown input format {suffix!r}; use .csv or .jsonl")
    missing = [c for c in ("id", "text") if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; found {list(frame.columns)}")
    if frame.empty:
        raise DataError(f"{path}: no rows")
    title = frame["title"] if "title" in frame.columns else ""
    out = pd.DataFrame({"id": frame["id"].astype(str), "title": title, "text": frame["text"]})
    return out.fillna("").astype(str)


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
    docs["collection"] = docs["title"].map(lambda s: "fakes" if s else "other")
    proba = model.predict_proba(model_input(docs))
    labels = model.labels_from_proba(proba)
    out = pd.DataFrame(
        {"id": frame["id"], "labels": labels.apply(lambda r: format_labels({t for t in EVENT_TYPES if r[t]}), axis=1)}
    )
    return pd.concat([out, proba.round(6)], axis=1)


def write_output(result: pd.DataFrame, destination: str | None, *, stdout: io.TextIOBase | None = None) -> None:
    """Write results as JSONL (default; to standard output without a destination) or CSV (``.csv``)."""
    if destination and Path(destination).suffix.lower() == ".csv":
        from analysis.io import write_csv

        write_csv(Path(destination), result)
        return
    lines = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in result.to_dict(orient="records"))
    if destination:
        from analysis.io import write_text

        write_text(Path(destination), lines)
    else:
        (stdout or sys.stdout).write(lines)
