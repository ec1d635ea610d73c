"""Atomic, deterministic writers for pipeline outputs.

Every output is written to a temporary file beside its destination and moved
into place with :func:`os.replace`, so an interrupted stage never leaves a
half-written file that DVC or a later stage could mistake for a result.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 20_000  # default Parquet row group: the unit a partitioned engine reads


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; move it onto ``dest`` only on success."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        tmp_path.chmod(0o644)  # mkstemp creates 0600; outputs are meant to be shared
        os.replace(tmp_path, dest)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(dest: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with Unix line ends, atomically."""
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_json(dest: Path, obj: Any) -> None:
    """Write ``obj`` as sorted, indented JSON atomically."""
    write_text(dest, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def write_parquet(dest: Path, frame: pd.DataFrame, *, row_group_rows: int = ROW_GROUP_ROWS) -> None:
    """Write ``frame`` to Parquet atomically, without the index, byte-stable across runs."""
    write_parquet_chunks(dest, [frame], row_group_rows=row_group_rows)


def write_parquet_chunks(dest: Path, frames: Iterable[pd.DataFrame], *, row_group_rows: int = ROW_GROUP_ROWS) -> int:
    """Stream frames into one Parquet file atomically, in row groups of ``row_group_rows``.

    The bytes depend only on the concatenated rows, not on how they were chunked, so an
    engine that produces a table in partitions writes the same file as one that holds it
    whole. Columns that are entirely null in the first chunk are typed as strings.

    Returns
    -------
    int
        Number of rows written.
    """
    writer = None
    pending: list[pa.Table] = []
    n_pending = n_rows = 0
    with atomic_path(dest) as tmp:
        try:
            for frame in frames:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    schema = pa.schema(
                        [f.with_type(pa.large_string()) if pa.types.is_null(f.type) else f for f in table.schema],
                        metadata=table.schema.metadata,
                    )
                    writer = pq.ParquetWriter(tmp, schema, compression="zstd")
                pending.append(_conform(table, writer.schema, dest=dest))
                n_pending += len(table)
                while n_pending >= row_group_rows:
                    merged = pa.concat_tables(pending)
                    writer.write_table(merged.slice(0, row_group_rows).combine_chunks(), row_group_size=row_group_rows)
                    pending, n_pending = [merged.slice(row_group_rows)], n_pending - row_group_rows
                    n_rows += row_group_rows
            if writer is None:
                raise ValueError(f"{dest}: no frames to write")
            if n_pending:
                writer.write_table(pa.concat_tables(pending).combine_chunks(), row_group_size=row_group_rows)
                n_rows += n_pending
        finally:
            if writer is not None:
                writer.close()
    return n_rows


def _conform(table: pa.Table, schema: pa.Schema, *, dest: Path) -> pa.Table:
    """Cast a chunk to the file's schema where only nullness or string width differ; else refuse."""
    for have, want in zip(table.schema, schema, strict=True):
        compatible = (
            have.type == want.type
            or pa.types.is_null(have.type)
            or (pa.types.is_string(have.type) or pa.types.is_large_string(have.type))
            and (pa.types.is_string(want.type) or pa.types.is_large_string(want.type))
        )
        if have.name != want.name or not compatible:
            raise ValueError(
                f"{dest}: a chunk has column {have.name!r} as {have.type}; the file has {want.name!r} as {want.type}"
            )
    return table.cast(schema)


def write_csv(dest: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` to CSV atomically, without the index."""
    with atomic_path(dest) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n")


def write_table(stem: Path, frame: pd.DataFrame, *, caption: str, float_format: str = "{:.2f}") -> None:
    """Write a result table as CSV, Markdown and a booktabs LaTeX table, atomically.

    Parameters
    ----------
    stem : Path
        Output path without suffix; ``.csv``, ``.md`` and ``.tex`` are added.
    frame : DataFrame
        A tidy frame (snake_case columns).
    caption : str
        Caption of the LaTeX table.
    float_format : str
        Format applied to float columns in the Markdown and LaTeX versions.
    """
    stem = Path(stem)
    write_csv(stem.with_suffix(".csv"), frame)
    shown = _formatted(frame, float_format=float_format)
    write_text(stem.with_suffix(".md"), to_markdown(frame, float_format=float_format))
    latex = (
        shown.rename(columns=lambda c: str(c).replace("_", r"\_"))
        .map(_latex_escape)
        .to_latex(index=False, caption=caption, label=f"tab:{stem.name}", escape=False)
    )
    write_text(stem.with_suffix(".tex"), latex)


def _format_float(value: float, float_format: str) -> str:
    """Format one number; a tiny negative that rounds to zero shows as 0, not -0."""
    text = float_format.format(value)
    return text[1:] if text.startswith("-") and not text.strip("-0.,% ") else text


def _formatted(frame: pd.DataFrame, *, float_format: str) -> pd.DataFrame:
    shown = frame.copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else _format_float(v, float_format))
    return shown.astype(object).where(shown.notna(), "")


def to_markdown(frame: pd.DataFrame, *, float_format: str = "{:.2f}") -> str:
    """Render a result table as the Markdown written beside its CSV (and pasted in the README)."""
    return _formatted(frame, float_format=float_format).to_markdown(index=False) + "\n"


def _latex_escape(value: object) -> str:
    text = str(value)
    for char, repl in (
        ("\\", r"\textbackslash{}"),
        ("&", r"\&"),
        ("%", r"\%"),
        ("_", r"\_"),
        ("#", r"\#"),
        ("$", r"\$"),
    ):
        text = text.replace(char, repl)
    return text


_HASH_CHUNK = 1 << 16


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_HASH_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()
