"""The collection registry: each collection's kind decides how it is read and cleaned.

``params.yaml: acquire.collections`` declares the collections (name, kind, file,
format, column mapping); :data:`KINDS` maps each kind to the module that cleans it.
Code reaches a collection's behaviour only through its kind, so a new collection of a
known kind (a researcher's own corpus of articles) needs no code, only parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pandas as pd

from analysis.corpus import articles, events, readers
from analysis.params import CollectionSpec

#: kind -> the module of its cleaning steps (``rows``, ``plan``, ``doc_ids``, ``build``, ``documents``).
KINDS: dict[str, ModuleType] = {"articles": articles, "event_reports": events}


def kind_of(spec: CollectionSpec) -> ModuleType:
    """Return the cleaning module of ``spec``'s kind."""
    return KINDS[spec.kind]


def iter_collection(spec: CollectionSpec, path: Path, *, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Stream a collection's file in chunks, in the columns its kind's cleaning reads.

    Yields
    ------
    DataFrame
        ``collection``, ``source_file``, ``row``, the kind's ``FIELDS`` (``source_id``
        with integers as plain digits; ``""`` for an optional column not mapped),
        ``is_malformed`` and ``is_hxl``.

    Raises
    ------
    DataError
        The file cannot be read, or lacks a mapped column (the message names the setting).
    """
    mapping = spec.column_map()
    required = list(dict.fromkeys(mapping.values()))
    where = {column: f"acquire.collections[{spec.name}].columns.{key}" for key, column in mapping.items()}
    path = Path(path)
    if spec.format == "csv":
        chunks = readers.iter_csv_table(path, required=required, chunk_rows=chunk_rows, where=where)
    elif spec.format == "jsonl":
        chunks = readers.iter_jsonl_table(path, required=required, chunk_rows=chunk_rows, where=where)
    elif spec.format == "parquet":
        chunks = readers.iter_parquet_table(path, required=required, chunk_rows=chunk_rows, where=where)
    else:  # rda: R files cannot be streamed, so the frame is read whole and then chunked
        whole = readers.read_rda_table(path, required=required, object_name=spec.rda_object)
        chunks = (
            whole.iloc[s : s + chunk_rows].reset_index(drop=True) for s in range(0, max(len(whole), 1), chunk_rows)
        )
    for frame in chunks:
        yield _standard(frame, spec=spec, mapping=mapping, required=required, path=path)


def read_collection(spec: CollectionSpec, path: Path) -> pd.DataFrame:
    """Read a whole collection (the columns of :func:`iter_collection`)."""
    return pd.concat(list(iter_collection(spec, path, chunk_rows=1 << 62)), ignore_index=True)


def _standard(
    frame: pd.DataFrame, *, spec: CollectionSpec, mapping: dict[str, str], required: list[str], path: Path
) -> pd.DataFrame:
    """Rename a reader chunk's columns to the kind's ``FIELDS`` and add the bookkeeping columns."""
    out = pd.DataFrame({"row": frame["row"]})
    for key, name in kind_of(spec).FIELDS.items():
        out[name] = frame[mapping[key]].to_numpy() if key in mapping else ""
    out["source_id"] = out["source_id"].map(readers.id_text)
    out["is_malformed"] = frame["is_malformed"].to_numpy()
    hxl = spec.format == "csv" and len(frame)  # only a CSV can carry a second header row of #tags
    out["is_hxl"] = readers.is_hxl_row(frame[required], id_column=mapping["id"]).to_numpy() if hxl else False
    out.insert(0, "source_file", path.name)
    out.insert(0, "collection", spec.name)
    return out
