"""One streaming reader per file format (CSV, JSONL, Parquet, R's ``.rda``), every row kept as text.

Each reader yields frames of the ``required`` columns as text, plus ``row`` (1-based
data row), ``line`` (where the row starts; the row number where a format has no
lines) and ``is_malformed`` (the row could not be read whole: wrong number of CSV
fields, a JSONL line that is not a JSON object). Malformed rows are kept and flagged,
so that the cleaning can ledger them. A file that cannot be read at all (missing,
not UTF-8, binary, empty, or lacking a required column) is a :class:`DataError`
naming the file and, where there is one, the line and column.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analysis.errors import DataError

csv.field_size_limit(1 << 30)  # a 10 MB text is a ledgered drop, not a reader crash


Source = Path | str | BinaryIO  # a path, or an open binary stream (standard input)


def _name(source: Source) -> str:
    return str(source) if isinstance(source, str | Path) else getattr(source, "name", "<stream>")


def _decoded_lines(source: Source) -> Iterator[str]:
    """Yield the physical lines of a file (or binary stream) as text, naming the line of a byte that is not UTF-8.

    Raises
    ------
    DataError
        The file is missing, holds a NUL byte (a binary file) or a byte that is not UTF-8.
    """
    name = _name(source)
    if isinstance(source, str | Path):
        try:
            fh = open(source, "rb")  # noqa: SIM115 (closed below; a generator owns it)
        except FileNotFoundError:
            raise DataError(f"{name}: file not found") from None
        except IsADirectoryError:
            raise DataError(f"{name}: a directory, not a file") from None
    else:
        fh = contextlib.nullcontext(source)
    with fh as stream:
        offset = 0
        for number, raw in enumerate(stream, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw, offset = raw[3:], 3
            if b"\x00" in raw:
                raise DataError(f"{name}: line {number}: a NUL byte: this is a binary file, not text")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(
                    f"{name}: line {number}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                    f"{offset + exc.start}); re-save the file as UTF-8"
                ) from None
            offset += len(raw)


def _missing(source: Source, found: Sequence[str], required: Sequence[str], where: Mapping[str, str] | None) -> None:
    """Raise one line naming the first required column the file lacks (and the setting that names it)."""
    missing = [c for c in required if c not in found]
    if missing:
        setting = f" ({where[missing[0]]})" if where and missing[0] in where else ""
        raise DataError(f"{_name(source)}: missing column {missing[0]!r}{setting}; found {list(found)}")


def iter_csv_table(
    source: Source, *, required: Sequence[str], chunk_rows: int = 50_000, where: Mapping[str, str] | None = None
) -> Iterator[pd.DataFrame]:
    """Stream a CSV file (or binary stream) as frames of at most ``chunk_rows`` rows (see :func:`read_csv_table`).

    Memory stays bounded by one chunk, so files larger than memory can be read. Row and
    line numbers continue across chunks. ``where`` names, per column, the setting that
    asked for it, for the error message.

    Yields
    ------
    DataFrame
        The columns of :func:`read_csv_table`, for consecutive rows of the file.
    """
    name = _name(source)
    reader = csv.reader(_decoded_lines(source))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{name}: empty file (no header row)") from None
    except csv.Error as exc:
        raise DataError(f"{name}: line 1: {exc}") from None
    _missing(source, header, required, where)
    width = len(header)
    first_row = 1
    records, lines, problems = [], [], []
    line = reader.line_num + 1
    try:
        for fields in reader:
            lines.append(line)
            line = reader.line_num + 1
            problems.append("" if len(fields) == width else f"{len(fields)} fields, the header has {width}")
            records.append((fields + [""] * width)[:width])
            if len(records) == chunk_rows:
                yield _frame(records, header, lines=lines, problems=problems, first_row=first_row)
                first_row += len(records)
                records, lines, problems = [], [], []
    except csv.Error as exc:
        raise DataError(f"{name}: line {reader.line_num}: {exc}") from None
    if records or first_row == 1:
        yield _frame(records, header, lines=lines, problems=problems, first_row=first_row)


def _frame(records: list, columns: list[str], *, lines: list[int], problems: list[str], first_row: int) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns, dtype=object)
    frame = frame.fillna("").astype(str)
    frame.insert(0, "row", pd.array(range(first_row, first_row + len(frame)), dtype="int64"))
    frame["line"] = pd.array(lines, dtype="int64")
    frame["is_malformed"] = [bool(p) for p in problems]
    frame["problem"] = pd.array(problems, dtype=object) if problems else pd.array([], dtype=object)
    return frame


def read_csv_table(path: Path, *, required: Sequence[str]) -> pd.DataFrame:
    """Read a CSV file into a frame of strings, one row per data row, malformed rows flagged.

    Parameters
    ----------
    path : Path
        A UTF-8 CSV file with a header row.
    required : list of str
        Columns that must be present in the header.

    Returns
    -------
    DataFrame
        The file's columns as text (missing values as ``""``), plus ``row`` (1-based data
        row number, header excluded), ``line`` (physical line where the row starts),
        ``is_malformed`` (the row had the wrong number of fields, e.g. truncated or shifted by
        an unquoted comma) and ``problem`` (what was wrong with it, or ``""``).

    Raises
    ------
    DataError
        If the file is missing, empty, not UTF-8, lacks a required column or cannot be parsed.
    """
    return pd.concat(list(iter_csv_table(path, required=required, chunk_rows=1 << 62)), ignore_index=True)


def iter_jsonl_table(
    source: Source,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    chunk_rows: int = 50_000,
    where: Mapping[str, str] | None = None,
) -> Iterator[pd.DataFrame]:
    """Stream a JSON Lines file (one object per line) as frames of the ``required`` and ``optional`` keys, as text.

    Blank lines are skipped. A line that is not a JSON object is kept as a malformed row,
    with the parser's message. A required key that no object of the first chunk has is a
    wrong mapping, not a row problem: an error.

    Yields
    ------
    DataFrame
        ``row``, the columns (``""`` where an object lacks the key or holds null), ``line``,
        ``is_malformed`` and ``problem``.
    """
    columns = list(dict.fromkeys([*required, *optional]))
    records, lines, problems = [], [], []
    first_row, seen_keys, checked = 1, set(), False
    for number, text in enumerate(_decoded_lines(source), 1):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
            problem = "" if isinstance(obj, dict) else f"a JSON {type(obj).__name__}, not an object"
        except json.JSONDecodeError as exc:
            obj, problem = None, f"not valid JSON: {exc.msg} at column {exc.colno}"
        if not problem:
            seen_keys.update(obj)
        records.append([_cell_text(obj.get(c)) if not problem else "" for c in columns])
        lines.append(number)
        problems.append(problem)
        if len(records) == chunk_rows:
            _missing(source, sorted(seen_keys), required, where)
            checked = True
            yield _frame(records, columns, lines=lines, problems=problems, first_row=first_row)
            first_row += len(records)
            records, lines, problems = [], [], []
    if not records and first_row == 1:
        raise DataError(f"{_name(source)}: empty file (no JSON lines)")
    if not checked:
        _missing(source, sorted(seen_keys), required, where)
    if records:
        yield _frame(records, columns, lines=lines, problems=problems, first_row=first_row)


def iter_parquet_table(
    path: Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    chunk_rows: int = 50_000,
    where: Mapping[str, str] | None = None,
) -> Iterator[pd.DataFrame]:
    """Stream a Parquet file's ``required`` and ``optional`` columns as text, in batches of ``chunk_rows`` rows.

    Integers are written as plain digits and dates as ``YYYY-MM-DD`` (:func:`_cell_text`).

    Yields
    ------
    DataFrame
        ``row``, the columns (an absent optional one as ``""``), ``line`` (the row number),
        ``is_malformed`` (False) and ``problem`` (``""``).
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found" if not path.exists() else f"{path}: a directory, not a file")
    try:
        file = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError subclasses for a bad file
        raise DataError(f"{path}: cannot read as Parquet: {' '.join(str(exc).split())}") from None
    names = file.schema_arrow.names
    _missing(path, names, required, where)
    present = [c for c in dict.fromkeys([*required, *optional]) if c in names]
    columns = list(dict.fromkeys([*required, *optional]))
    first_row = 1
    for batch in file.iter_batches(batch_size=chunk_rows, columns=present):
        part = batch.to_pandas()
        n = len(part)
        records = [[_cell_text(v) for v in part[c]] if c in present else [""] * n for c in columns]
        yield _frame(
            list(zip(*records, strict=True)) if n else [],
            columns,
            lines=list(range(first_row, first_row + n)),
            problems=[""] * n,
            first_row=first_row,
        )
        first_row += n
    if first_row == 1:
        raise DataError(f"{path}: no rows")


def read_rda_table(path: Path, *, required: Sequence[str], object_name: str) -> pd.DataFrame:
    """Read the data frame ``object_name`` stored in an R data file (``.rda``), its ``required`` columns as text.

    R files cannot be streamed, so the whole frame is read.

    Returns
    -------
    DataFrame
        ``row``, the ``required`` columns, ``line`` (the row number) and ``is_malformed`` (False).
    """
    import pyreadr

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own and LibrdataError types
        raise DataError(f"{path}: cannot read as an R data file: {exc}") from None
    if object_name not in result:
        raise DataError(f"{path}: no object {object_name!r}; found {list(result)}")
    data = result[object_name]
    _missing(path, list(data.columns), required, None)
    n = len(data)
    frame = pd.DataFrame({c: data[c].map(_cell_text) for c in required}).reset_index(drop=True)
    frame.insert(0, "row", pd.array(range(1, n + 1), dtype="int64"))
    frame["line"] = frame["row"]
    frame["is_malformed"] = False
    frame["problem"] = ""
    return frame


def read_labelled_tsv(path: Path) -> tuple[pd.Series, np.ndarray]:
    """Read a labelled TSV (ConfliBERT's layout: no header, no quoting): text, then label column(s).

    Returns
    -------
    texts : Series of str
    labels : ndarray of int, shape (n,) for one label column, else (n, n_labels)
    """
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for n, fields in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if len(fields) < 2:
                raise DataError(f"{path}: line {n}: expected text and at least one label column")
            rows.append(fields)
    width = len(rows[0]) if rows else 0
    bad = next((i for i, r in enumerate(rows, 1) if len(r) != width), None)
    if bad:
        raise DataError(f"{path}: line {bad}: {len(rows[bad - 1])} columns, expected {width}")
    try:
        labels = np.array([[int(v) for v in r[1:]] for r in rows], dtype=int)
    except ValueError as exc:
        raise DataError(f"{path}: a label is not an integer ({exc})") from None
    texts = pd.Series([r[0] for r in rows], dtype=object)
    return texts, labels[:, 0] if labels.shape[1] == 1 else labels


def is_hxl_row(frame: pd.DataFrame, *, id_column: str) -> pd.Series:
    """Flag an HXL hashtag row (HDX files): no id, and most filled cells start with ``#``."""
    tags = frame.apply(lambda col: col.str.startswith("#")).sum(axis=1)
    filled = (frame != "").sum(axis=1)
    return (frame[id_column] == "") & (tags > 0) & (tags * 2 >= filled)


def id_text(value: object) -> str:
    """Render a dataset id as plain text: integers as digits (``410923``, never ``410923.0``).

    >>> id_text(410923.0), id_text("410923.0"), id_text(" 17 "), id_text(None)
    ('410923', '410923', '17', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        return text[:-2]
    return text


def _cell_text(value: object) -> str:
    """One cell as text: missing as ``""``, dates as ``YYYY-MM-DD``, whole numbers as digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(int(value))
    return str(value)
