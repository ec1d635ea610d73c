"""Apply a fitted classifier to a corpus of any size, one Parquet row group per task.

The documents file is written in row groups (:data:`analysis.io.ROW_GROUP_ROWS`), so
each task reads one group, predicts it and writes a part file; the parts are then
streamed, in order, into the single predictions file. Memory is bounded by one row
group per worker, and the engine (:mod:`analysis.engine`) decides where tasks run.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from analysis.documents import document_input
from analysis.engine import Executor
from analysis.io import write_parquet, write_parquet_chunks
from analysis.model import persist

log = logging.getLogger(__name__)


_MODELS: dict[tuple[str, float], object] = {}


def _model(path: Path):
    """Load the classifier once per worker process (tasks on one worker share it)."""
    key = (str(path), Path(path).stat().st_mtime)
    if key not in _MODELS:
        _MODELS.clear()
        _MODELS[key] = persist.load(path)
    return _MODELS[key]


def predict_task(item: tuple[Path, int, Path], *, model_path: Path, articles: tuple[str, ...]) -> Path:
    """Predict one row group of the documents file and write it to its own part file."""
    documents_path, row_group, out = item
    columns = ["doc_id", "collection", "sealed", "title", "text"]  # what document_input and the output need
    documents = pq.ParquetFile(documents_path).read_row_group(row_group, columns=columns).to_pandas()
    model = _model(model_path)
    proba = model.predict_proba(document_input(documents, articles=articles))
    labels = model.labels_from_proba(proba)
    frame = pd.concat([documents[["doc_id", "collection", "sealed"]], labels, proba.round(6)], axis=1)
    write_parquet(out, frame)
    return out


def predict_files(
    documents_path: Path, model_path: Path, *, engine: Executor, workdir: Path, out: Path, articles: tuple[str, ...]
) -> int:
    """Apply a fitted classifier to every document, one row group per task, and write ``out``.

    Returns
    -------
    int
        Number of documents predicted. The file has ``doc_id``, ``collection``, ``sealed``,
        ``labels`` and one ``p_<type>`` column per event type, in the documents' order.
    """
    n_groups = pq.ParquetFile(documents_path).num_row_groups
    items = [(Path(documents_path), g, Path(workdir) / "predict" / f"{g:05d}.parquet") for g in range(n_groups)]
    parts = engine.map(predict_task, items, model_path=Path(model_path), articles=tuple(articles))
    n = write_parquet_chunks(out, (pd.read_parquet(p) for p in parts))
    log.info("predict (%s engine): %d documents in %d partitions", engine.name, n, n_groups)
    return n
