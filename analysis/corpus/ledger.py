"""The ledger: one row for every row of every input file, and the reason for its fate.

Rows in = kept + merged + dropped, for each file. The cleaning transforms move rows
out of their frames only through :func:`drop` (and the merge plans), so no row can
leave without a line here. Reasons are the constants ``R_*``.
"""

from __future__ import annotations

import hashlib
import logging

import pandas as pd

log = logging.getLogger(__name__)

# Ledger fates and reasons ------------------------------------------------------------
KEPT, MERGED, DROPPED = "kept", "merged", "dropped"
R_KEPT = "kept"
R_KEPT_REPEATED_ID = "repeated_id_distinct_text"  # an article id reused for a different article
R_HXL = "hxl_tag_row"  # a second header row of #tags (HDX files)
R_WINDOW = "outside_study_window"
R_MALFORMED = "malformed_row"  # wrong number of fields (e.g. a truncated line)
R_EMPTY = "empty_text"
R_TOO_LONG = "text_too_long"
R_BAD_DATE = "unparseable_date"
R_MISSING_ID = "missing_id"
R_REPEATED_ARTICLE = "repeated_article"  # the same article text again: merged
R_DUPLICATE_ROW = "duplicate_row"  # the same event row again: merged
R_DUPLICATE_ID = "duplicate_id_conflict"  # an event id reused for a different event: dropped

LEDGER_COLUMNS = ["collection", "source_file", "row", "source_id", "fate", "reason", "doc_id"]


def ledger_rows(frame: pd.DataFrame, *, fate: str, reason: str | pd.Series, doc_id: pd.Series | None) -> pd.DataFrame:
    """Return the ledger lines of ``frame``'s rows, all with ``fate`` and ``reason``.

    Returns
    -------
    DataFrame
        Columns :data:`LEDGER_COLUMNS`, one row per row of ``frame``.
    """
    return pd.DataFrame(
        {
            "collection": frame["collection"].to_numpy(),
            "source_file": frame["source_file"].to_numpy(),
            "row": frame["row"].to_numpy(dtype="int64"),
            "source_id": frame["source_id"].to_numpy(),
            "fate": fate,
            "reason": reason if isinstance(reason, str) else reason.to_numpy(),
            "doc_id": None if doc_id is None else doc_id.to_numpy(),
        },
        columns=LEDGER_COLUMNS,
    )


def drop(frame: pd.DataFrame, mask: pd.Series, reason: str, ledger: list[pd.DataFrame]) -> pd.DataFrame:
    """Move the rows under ``mask`` to ``ledger`` as dropped for ``reason``; return the rest."""
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        ledger.append(ledger_rows(frame[mask], fate=DROPPED, reason=reason, doc_id=None))
        log.info("%s: dropped %d row(s): %s", frame["source_file"].iloc[0], int(mask.sum()), reason)
    return frame[~mask]


def empty_ledger(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Start a ledger list for ``frame`` with a typed empty entry (so an all-kept chunk concatenates)."""
    return [ledger_rows(frame.iloc[:0], fate=DROPPED, reason=R_EMPTY, doc_id=None)]


def make_doc_id(collection: str, source_id: str) -> str:
    """Return the stable document id ``collection:source_id``."""
    return f"{collection}:{source_id}"


def digest(text: str) -> str:
    """Return a 128-bit blake2b hex digest of ``text``: the compact key for it in whole-corpus plans."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
