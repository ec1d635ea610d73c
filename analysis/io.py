"""Atomic, deterministic writers for pipeline outputs.

Every output is written to a temporary file beside its destination and moved
into place with :func:`os.replace`, so an interrupted stage never leaves a
half-written file that DVC or a later stage could mistake for a result.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd


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


def write_parquet(dest: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` to Parquet atomically, without the index, byte-stable across runs."""
    with atomic_path(dest) as tmp:
        frame.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


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


def _formatted(frame: pd.DataFrame, *, float_format: str) -> pd.DataFrame:
    shown = frame.copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else float_format.format(v))
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
