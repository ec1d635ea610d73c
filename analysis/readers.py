"""One reader per source format, each returning every input row as text.

Readers keep every row of the file, including ones the cleaning stage will drop
(an HXL tag row, a row with the wrong number of fields), flagged in boolean
columns, so that the ledger can account for each of them. Unreadable files
(missing, wrong encoding, missing columns, empty) raise :class:`DataError` with
a one-line message naming the file and, where there is one, the line.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.errors import DataError

csv.field_size_limit(1 << 30)  # a 10 MB text is a ledgered drop, not a reader crash

FAKES_COLUMNS = {
    "unit_id": "source_id",
    "article_title": "title_raw",
    "article_content": "text_raw",
    "source": "outlet_raw",
    "date": "date_raw",
    "location": "location_raw",
    "labels": "credibility_raw",
}
UCDP_COLUMNS = [
    "id",
    "date_start",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "country",
    "adm_1",
    "where_coordinates",
    "latitude",
    "longitude",
    "best",
    "low",
    "high",
]


def _decoded_lines(path: Path) -> Iterator[str]:
    """Yield the file's physical lines as text, naming the line of any byte that is not UTF-8."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed below; a generator owns it)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found (run the acquire stage first)") from None
    with fh:
        offset = 0
        for number, raw in enumerate(fh, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw, offset = raw[3:], 3
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(
                    f"{path}: line {number}: not valid UTF-8 "
                    f"(byte 0x{raw[exc.start]:02x} at offset {offset + exc.start})"
                ) from None
            offset += len(raw)


def iter_csv_table(path: Path, *, required: list[str], chunk_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """Stream a CSV file as frames of at most ``chunk_rows`` rows (see :func:`read_csv_table`).

    Memory stays bounded by one chunk, so files larger than memory can be read. Row and
    line numbers continue across chunks.

    Yields
    ------
    DataFrame
        The columns of :func:`read_csv_table`, for consecutive rows of the file.
    """
    path = Path(path)
    reader = csv.reader(_decoded_lines(path))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{path}: empty file (no header row)") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; found {header}")
    width = len(header)
    first_row = 1
    records, lines, malformed = [], [], []
    line = reader.line_num + 1
    try:
        for fields in reader:
            lines.append(line)
            line = reader.line_num + 1
            malformed.append(len(fields) != width)
            records.append((fields + [""] * width)[:width])
            if len(records) == chunk_rows:
                yield _csv_frame(records, header=header, lines=lines, malformed=malformed, first_row=first_row)
                first_row += len(records)
                records, lines, malformed = [], [], []
    except csv.Error as exc:
        raise DataError(f"{path}: line {reader.line_num}: {exc}") from None
    if records or first_row == 1:
        yield _csv_frame(records, header=header, lines=lines, malformed=malformed, first_row=first_row)


def _csv_frame(
    records: list, *, header: list[str], lines: list[int], malformed: list[bool], first_row: int
) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame = frame.fillna("").astype(str)
    frame.insert(0, "row", pd.array(range(first_row, first_row + len(frame)), dtype="int64"))
    frame["line"] = pd.array(lines, dtype="int64")
    frame["is_malformed"] = malformed
    return frame


def read_csv_table(path: Path, *, required: list[str]) -> pd.DataFrame:
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
        row number, header excluded), ``line`` (physical line where the row starts) and
        ``is_malformed`` (the row had the wrong number of fields, e.g. truncated).

    Raises
    ------
    DataError
        If the file is missing, empty, not UTF-8, lacks a required column or cannot be parsed.
    """
    return pd.concat(list(iter_csv_table(path, required=required, chunk_rows=1 << 62)), ignore_index=True)


def read_fakes(path: Path) -> pd.DataFrame:
    """Read FA-KES (``FA-KES-Dataset.csv``).

    Returns
    -------
    DataFrame
        Columns ``collection``, ``source_file``, ``row``, ``source_id``, ``title_raw``,
        ``text_raw``, ``outlet_raw``, ``date_raw``, ``location_raw``, ``credibility_raw``,
        ``is_malformed``.
    """
    return _fakes_frame(read_csv_table(path, required=list(FAKES_COLUMNS)), path=path)


def iter_fakes(path: Path, *, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Stream FA-KES in chunks of ``chunk_rows`` rows (columns of :func:`read_fakes`)."""
    for frame in iter_csv_table(path, required=list(FAKES_COLUMNS), chunk_rows=chunk_rows):
        yield _fakes_frame(frame, path=path)


def _fakes_frame(frame: pd.DataFrame, *, path: Path) -> pd.DataFrame:
    frame = frame.rename(columns=FAKES_COLUMNS)
    frame["source_id"] = frame["source_id"].map(id_text)
    frame.insert(0, "source_file", Path(path).name)
    frame.insert(0, "collection", "fakes")
    return frame[["collection", "source_file", "row", "source_id", *list(FAKES_COLUMNS.values())[1:], "is_malformed"]]


def _is_hxl(frame: pd.DataFrame) -> pd.Series:
    """Flag HDX's hashtag row: no id, and most filled cells start with ``#``."""
    tags = frame.apply(lambda col: col.str.startswith("#")).sum(axis=1)
    filled = (frame != "").sum(axis=1)
    return (frame["id"] == "") & (tags > 0) & (tags * 2 >= filled)


def read_ucdp_csv(path: Path, *, collection: str) -> pd.DataFrame:
    """Read a UCDP GED CSV in the HDX layout (second row holds HXL tags).

    Returns
    -------
    DataFrame
        ``collection``, ``source_file``, ``row``, ``source_id`` and the columns of
        :data:`UCDP_COLUMNS` as text, plus ``is_hxl`` and ``is_malformed``.
    """
    frame = read_csv_table(path, required=UCDP_COLUMNS)
    return _ucdp_frame(frame, path=path, collection=collection, is_hxl=_is_hxl(frame[UCDP_COLUMNS]))


def iter_ucdp_csv(path: Path, *, collection: str, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Stream a UCDP GED CSV in chunks of ``chunk_rows`` rows (columns of :func:`read_ucdp_csv`)."""
    for frame in iter_csv_table(path, required=UCDP_COLUMNS, chunk_rows=chunk_rows):
        yield _ucdp_frame(frame, path=path, collection=collection, is_hxl=_is_hxl(frame[UCDP_COLUMNS]))


def read_ucdp_rda(path: Path, *, collection: str, object_name: str = "ucdp_syria_df") -> pd.DataFrame:
    """Read the UCDP data frame stored in an R data file (``.rda``).

    Returns
    -------
    DataFrame
        Same columns as :func:`read_ucdp_csv`.
    """
    import pyreadr

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found (run the acquire stage first)")
    try:
        result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own and LibrdataError types
        raise DataError(f"{path}: cannot read as an R data file: {exc}") from None
    if object_name not in result:
        raise DataError(f"{path}: no object {object_name!r}; found {list(result)}")
    data = result[object_name]
    missing = [c for c in UCDP_COLUMNS if c not in data.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}")
    frame = pd.DataFrame({c: data[c].map(_cell_text) for c in UCDP_COLUMNS})
    frame["id"] = data["id"].map(id_text)
    frame.insert(0, "row", pd.array(range(1, len(frame) + 1), dtype="int64"))
    frame["is_malformed"] = False
    return _ucdp_frame(frame, path=path, collection=collection, is_hxl=pd.Series(False, index=frame.index))


def _ucdp_frame(frame: pd.DataFrame, *, path: Path, collection: str, is_hxl: pd.Series) -> pd.DataFrame:
    out = frame[["row", *UCDP_COLUMNS, "is_malformed"]].copy()
    out["id"] = out["id"].map(id_text)
    out = out.rename(columns={"id": "source_id"})
    out.insert(0, "source_file", Path(path).name)
    out.insert(0, "collection", collection)
    out["is_hxl"] = is_hxl.to_numpy()
    return out


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
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
