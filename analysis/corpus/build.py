"""Assemble the documents, reports and ledger tables from every collection, in memory.

The clean stage runs the same steps partition by partition (:mod:`analysis.corpus.partitions`);
this whole-corpus version serves the tests and the benchmarks, and the two give equal
tables (``tests/test_engine.py``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from analysis.corpus import dedupe, schema
from analysis.corpus.collections import kind_of, read_collection
from analysis.params import AcquireParams, CleanParams

log = logging.getLogger(__name__)


def read_sources(raw_dir: Path, *, acquire: AcquireParams) -> dict[str, pd.DataFrame]:
    """Read each collection's pinned file from ``raw_dir`` with its format's reader.

    Returns
    -------
    dict of str to DataFrame
        Collection name -> the frame of :func:`analysis.corpus.collections.read_collection`,
        in corpus order.
    """
    return {spec.name: read_collection(spec, Path(raw_dir) / spec.file) for spec in acquire.collections}


def build_corpus(
    raw: dict[str, pd.DataFrame], *, acquire: AcquireParams, params: CleanParams, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean every collection by its kind, group near-duplicate texts, seal, and validate.

    Parameters
    ----------
    raw : dict of str to DataFrame
        Reader outputs keyed by collection (see :func:`read_sources`); any subset works.
    acquire : AcquireParams
        The collections (their kinds and settings).
    params : CleanParams
        The ``clean`` section of ``params.yaml``.
    seed : int
        ``base.seed``, for MinHash.

    Returns
    -------
    documents : DataFrame
        Columns :data:`analysis.corpus.schema.DOCUMENT_COLUMNS`, sorted by ``doc_id``.
    reports : DataFrame
        Columns :data:`analysis.corpus.schema.REPORT_COLUMNS`, sorted by ``report_id``.
    ledger : DataFrame
        Columns :data:`analysis.corpus.ledger.LEDGER_COLUMNS`, one row per input row, sorted by
        ``collection`` and ``row``.
    """
    specs = {spec.name: spec for spec in acquire.collections}
    docs, reps, ledgers = [], [], []
    for name, frame in raw.items():
        d, r, led = kind_of(specs[name]).documents(frame, spec=specs[name], params=params)
        docs.append(d)
        reps.append(r)
        ledgers.append(led)
        log.info("%s: %d rows in, %d documents, %d reports", name, len(frame), len(d), len(r))
    documents = pd.concat(docs, ignore_index=True)
    documents = typed_documents(dedupe.group_and_seal(documents, params=params.dedupe, seed=seed))
    reports = typed_reports(pd.concat(reps, ignore_index=True))
    ledger = typed_ledger(pd.concat(ledgers, ignore_index=True))
    return (
        schema.validate(documents, schema.DOCUMENTS, name="documents"),
        schema.validate(reports, schema.REPORTS, name="reports"),
        schema.validate(ledger, schema.LEDGER, name="ledger"),
    )


def typed_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """Cast documents to the stored dtypes, keep :data:`analysis.corpus.schema.DOCUMENT_COLUMNS`, sort by ``doc_id``."""
    out = documents.copy()
    for col in ("published", "event_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in ("deaths_best", "deaths_low", "deaths_high", "deaths_side_a", "deaths_side_b", "deaths_civilians"):
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    out["violence_type"] = pd.to_numeric(out["violence_type"]).astype("Int8")
    for col in ("latitude", "longitude"):
        out[col] = pd.to_numeric(out[col]).astype("float64")
    out["credibility"] = out["credibility"].astype("Int8")
    return _text_columns(out[schema.DOCUMENT_COLUMNS]).sort_values("doc_id", ignore_index=True)


def typed_reports(reports: pd.DataFrame) -> pd.DataFrame:
    """Cast reports to the stored dtypes and sort by ``doc_id`` and ``report_id``."""
    out = reports.copy()
    for col in ("published", "event_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    out["lag_days"] = out["lag_days"].astype("Int64")
    out["informative"] = out["informative"].astype(bool)
    return _text_columns(out).sort_values(["doc_id", "report_id"], ignore_index=True)


def typed_ledger(ledger: pd.DataFrame) -> pd.DataFrame:
    """Cast the ledger's ``row`` to int64 and sort by ``collection`` and ``row``."""
    out = _text_columns(ledger.astype({"row": "int64"}))
    return out.sort_values(["collection", "row"], ignore_index=True)


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every text column pandas' ``str`` dtype.

    The stored type then never depends on how a table was assembled: whole or from
    partitions, object or str, all null or not.
    """
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.astype(dict.fromkeys(text, "str"))  # a new frame: the caller's stays as it was
