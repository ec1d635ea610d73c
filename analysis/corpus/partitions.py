"""The clean and predict stages over partitioned Parquet, for corpora larger than memory.

Cleaning a corpus needs three whole-corpus decisions: which article rows repeat an
article, which event rows reuse an event id, and which texts are near-duplicates.
Each is taken on compact keys gathered from the partitions (hashes, ids, MinHash
signatures), never on the texts, so memory grows with the number of documents
and not with their length. Everything else runs per partition, through an
executor of :mod:`analysis.engine`. Each collection's steps are its kind's
(:mod:`analysis.corpus.collections`):

1. the source files are streamed into raw partitions (Parquet, ``partition_rows`` each);
2. per partition: row-local drops and cleaning; compact keys come back;
3. whole collection: the merge and duplicate-id plans;
4. per partition: documents, reports and MinHash signatures, written into buckets
   by ``doc_id`` range;
5. whole corpus: the banded join of signatures (text groups) and sealing;
6. per bucket: the final typed, validated, sorted documents and reports;
7. the buckets are streamed, in order, into the same single-file outputs as the
   in-memory :func:`analysis.corpus.build.build_corpus` writes.

The result equals :func:`analysis.corpus.build.build_corpus` on the same input
(``tests/test_engine.py`` checks this on the real corpus with both engines).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus import build, dedupe, schema
from analysis.corpus.collections import iter_collection, kind_of
from analysis.engine import Executor
from analysis.errors import DataError
from analysis.io import write_parquet, write_parquet_chunks
from analysis.params import CleanParams, CollectionSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Chunk:
    """One raw partition: ``index`` orders partitions across the whole corpus."""

    index: int
    spec: CollectionSpec
    path: Path


def write_raw_partitions(
    sources: dict[str, tuple[CollectionSpec, Path]], workdir: Path, *, chunk_rows: int
) -> list[Chunk]:
    """Stream each collection's file into raw Parquet partitions under ``workdir/raw``.

    Returns
    -------
    list of Chunk
        In corpus order: collections in ``sources`` order, rows in file order.
    """
    chunks = []
    for name, (spec, path) in sources.items():
        for frame in iter_collection(spec, path, chunk_rows=chunk_rows):
            out = Path(workdir) / "raw" / f"{len(chunks):05d}-{name}.parquet"
            write_parquet(out, frame)
            chunks.append(Chunk(len(chunks), spec, out))
    log.info("%d raw partitions of at most %d rows", len(chunks), chunk_rows)
    return chunks


def rows_task(chunk: Chunk, *, params: CleanParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Step 2 for one partition: drop and clean rows; write them; return ledger and keys."""
    kind = kind_of(chunk.spec)
    rows, ledger = kind.rows(pd.read_parquet(chunk.path), spec=chunk.spec, params=params)
    write_parquet(_rows_path(chunk), rows)
    return ledger, rows[kind.KEY_COLUMNS].reset_index(drop=True)


def build_task(item: tuple[Chunk, pd.DataFrame], *, params: CleanParams, seed: int, boundaries: np.ndarray) -> dict:
    """Step 4 for one partition: documents, reports and signatures, written by ``doc_id`` bucket."""
    chunk, plan = item
    rows = pd.read_parquet(_rows_path(chunk))
    docs, reports, ledger = kind_of(chunk.spec).build(rows, plan, spec=chunk.spec, params=params)
    docs = docs.reset_index(drop=True)
    docs["sealed_by_id"] = dedupe.sealed_by_id(docs)
    doc_keys, keys, sigs = dedupe.document_keys(docs, by_id=docs["sealed_by_id"], params=params.dedupe, seed=seed)
    bucket = _bucket_of(docs["doc_id"], boundaries)
    report_bucket = _bucket_of(reports["doc_id"], boundaries)
    for b in np.unique(bucket):
        write_parquet(_part_path(chunk, "docs", b), docs[bucket == b])
    for b in np.unique(report_bucket):
        write_parquet(_part_path(chunk, "reports", b), reports[report_bucket == b])
    return {
        "ledger": ledger,
        "doc_keys": doc_keys,
        "keys": keys,
        "signatures": sigs,
    }


def finish_task(item: tuple[int, list[Path], list[Path], pd.DataFrame], *, workdir: Path) -> tuple[Path, Path]:
    """Step 6 for one bucket: typed, validated documents and reports sorted like the in-memory build."""
    bucket, doc_files, report_files, groups = item
    docs = pd.concat([pd.read_parquet(f) for f in doc_files], ignore_index=True)
    docs = docs.join(groups, on="doc_id")
    docs = build.typed_documents(docs)
    reports = pd.concat([pd.read_parquet(f) for f in report_files], ignore_index=True)
    reports = build.typed_reports(reports)
    out_docs = Path(workdir) / "final" / f"documents-{bucket:05d}.parquet"
    out_reports = Path(workdir) / "final" / f"reports-{bucket:05d}.parquet"
    write_parquet(out_docs, schema.validate(docs, schema.DOCUMENTS, name="documents"))
    write_parquet(out_reports, schema.validate(reports, schema.REPORTS, name="reports"))
    return out_docs, out_reports


def build_corpus_files(
    sources: dict[str, tuple[CollectionSpec, Path]],
    *,
    params: CleanParams,
    seed: int,
    engine: Executor,
    workdir: Path,
    chunk_rows: int,
    out_documents: Path,
    out_reports: Path,
    out_ledger: Path,
) -> dict[str, int]:
    """Clean a corpus partition by partition and write the documents, reports and ledger files.

    Parameters
    ----------
    sources : dict of str to (CollectionSpec, Path)
        Per collection name, its spec and its file, in corpus order.
    params : CleanParams
        The ``clean`` section of ``params.yaml``.
    seed : int
        ``base.seed``, for MinHash.
    engine : Executor
        Where the per-partition steps run (:func:`analysis.engine.executor`).
    workdir : Path
        Scratch directory for intermediate partitions (the caller removes it).
    chunk_rows : int
        Rows per raw partition, and documents per output bucket.
    out_documents, out_reports, out_ledger : Path
        The three outputs, written as :func:`analysis.corpus.build.build_corpus` would.

    Returns
    -------
    dict
        ``rows_in``, ``documents``, ``reports``, ``partitions``.
    """
    chunks = write_raw_partitions(sources, workdir, chunk_rows=chunk_rows)
    stepped = engine.map(rows_task, chunks, params=params)
    ledgers = [ledger for ledger, _ in stepped]

    plans, doc_ids = {}, []
    for name, (spec, _) in sources.items():
        keys = pd.concat([k for c, (_, k) in zip(chunks, stepped, strict=True) if c.spec.name == name])
        kind = kind_of(spec)
        plans[name] = kind.plan(keys, spec=spec)
        doc_ids.append(kind.doc_ids(plans[name], keys, spec=spec))
    all_ids = np.sort(pd.concat(doc_ids).to_numpy(dtype=object))
    n_buckets = max(1, math.ceil(len(all_ids) / chunk_rows))
    boundaries = all_ids[[len(all_ids) * b // n_buckets for b in range(1, n_buckets)]]
    items = []
    for chunk, (_, keys) in zip(chunks, stepped, strict=True):
        plan = plans[chunk.spec.name]
        items.append((chunk, plan[plan.index.isin(keys["row"])]))
    built = engine.map(build_task, items, params=params, seed=seed, boundaries=boundaries)
    del stepped, items

    doc_keys = pd.concat([b["doc_keys"] for b in built], ignore_index=True)
    groups = dedupe.text_group_table(
        doc_keys,
        np.concatenate([b["keys"] for b in built]),
        np.vstack([b["signatures"] for b in built]),
        threshold=params.dedupe.threshold,
    )
    ledgers += [b["ledger"] for b in built]
    del built
    group_bucket = _bucket_of(groups.index.to_series(), boundaries)
    finish_items = []
    for b in range(n_buckets):
        doc_files = sorted(Path(workdir).glob(f"docs/b{b:05d}-*.parquet"))
        report_files = sorted(Path(workdir).glob(f"reports/b{b:05d}-*.parquet"))
        if doc_files:
            finish_items.append((b, doc_files, report_files, groups[group_bucket == b]))
    finished = engine.map(finish_task, finish_items, workdir=Path(workdir))

    ledger = build.typed_ledger(pd.concat(ledgers, ignore_index=True))
    write_parquet(out_ledger, schema.validate(ledger, schema.LEDGER, name="ledger"))
    if not finished:
        reasons = ledger["reason"].value_counts().to_dict()
        names = ", ".join(str(path) for _, path in sources.values())
        raise DataError(f"{names}: no row became a document ({reasons}; see {out_ledger})")
    n_docs = write_parquet_chunks(out_documents, (pd.read_parquet(d) for d, _ in finished))
    n_reports = write_parquet_chunks(out_reports, (pd.read_parquet(r) for _, r in finished))
    stats = {"rows_in": len(ledger), "documents": n_docs, "reports": n_reports, "partitions": len(chunks)}
    log.info("clean (%s engine): %s", engine.name, stats)
    return stats


def _rows_path(chunk: Chunk) -> Path:
    return chunk.path.parent.parent / "rows" / chunk.path.name


def _part_path(chunk: Chunk, kind: str, bucket: int) -> Path:
    return chunk.path.parent.parent / kind / f"b{bucket:05d}-{chunk.index:05d}.parquet"


def _bucket_of(doc_id: pd.Series, boundaries: np.ndarray) -> np.ndarray:
    """Bucket of each ``doc_id``: buckets are consecutive ``doc_id`` ranges."""
    return np.searchsorted(boundaries, doc_id.to_numpy(dtype=object), side="right")
