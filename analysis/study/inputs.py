"""The study's inputs read from the pipeline's files: the documents joined to their predicted types.

Kept apart from :mod:`analysis.study.analyses`, whose functions are DataFrame-in and
DataFrame-out: this module reads Parquet, row group by row group, on an engine.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from analysis.codebook import EVENT_TYPES
from analysis.engine import Executor
from analysis.errors import DataError
from analysis.study.analyses import labelled_documents


def _labelled_row_group(group: int, *, documents: Path, predictions: Path) -> pd.DataFrame:
    docs = pq.ParquetFile(documents)
    columns = [c for c in docs.schema_arrow.names if c != "text"]  # the report never reads texts
    frame = docs.read_row_group(group, columns=columns).to_pandas()
    pred = pq.ParquetFile(predictions).read_row_group(group, columns=["doc_id", *EVENT_TYPES]).to_pandas()
    if frame["doc_id"].tolist() != pred["doc_id"].tolist():
        raise DataError(f"{predictions}: row group {group} does not match {documents} (re-run dvc repro predict)")
    return labelled_documents(frame, pred)


def labelled_documents_files(documents: Path, predictions: Path, *, engine: Executor) -> pd.DataFrame:
    """:func:`labelled_documents` row group by row group, on an engine, without the texts.

    The predictions file has the documents' order and row groups, so each task joins one
    pair of row groups; only the metadata columns and labels come back.

    Returns
    -------
    DataFrame
        The documents' columns except ``text``, plus one boolean column per event type.
    """
    n_docs, n_pred = pq.ParquetFile(documents).num_row_groups, pq.ParquetFile(predictions).num_row_groups
    if n_docs != n_pred:
        raise DataError(f"{predictions}: {n_pred} row groups, {documents} has {n_docs} (re-run dvc repro predict)")
    groups = list(range(n_docs))
    parts = engine.map(_labelled_row_group, groups, documents=Path(documents), predictions=Path(predictions))
    return pd.concat(parts, ignore_index=True)
