"""The corpus at a glance and the fate of every input row: the ``summarize_corpus`` tables."""

from __future__ import annotations

import pandas as pd

_DATE = "%Y-%m-%d"


def corpus_summary(documents: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Summarise the corpus at a glance, one row per collection and a total row.

    Returns
    -------
    DataFrame
        Columns ``collection``, ``n_documents``, ``n_reports``, ``n_outlets``,
        ``published_first``, ``published_last`` (report dates), ``event_first``,
        ``event_last`` (UCDP event dates), ``n_informative``, ``n_text_groups``,
        ``n_sealed``.
    """
    rows = []
    groups = [
        (c, documents[documents["collection"] == c], reports[reports["collection"] == c])
        for c in sorted(documents["collection"].unique())
    ]
    groups.append(("all", documents, reports))
    for name, docs, reps in groups:
        rows.append(
            {
                "collection": name,
                "n_documents": len(docs),
                "n_reports": len(reps),
                "n_outlets": reps["outlet"].nunique(),
                "published_first": _fmt(reps["published"].min()),
                "published_last": _fmt(reps["published"].max()),
                "event_first": _fmt(docs["event_date"].min()),
                "event_last": _fmt(docs["event_date"].max()),
                "n_informative": int(docs["informative"].sum()),
                "n_text_groups": docs["text_group"].nunique(),
                "n_sealed": int(docs["sealed"].sum()),
            }
        )
    return pd.DataFrame(rows)


def ledger_summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Where every input row went: counts by file, fate and reason.

    Returns
    -------
    DataFrame
        Columns ``collection``, ``source_file``, ``fate``, ``reason``, ``n_rows``; one extra
        row per file with ``fate == "all"`` giving the rows read.
    """
    counts = (
        ledger.groupby(["collection", "source_file", "fate", "reason"], sort=True).size().rename("n_rows").reset_index()
    )
    totals = ledger.groupby(["collection", "source_file"], sort=True).size().rename("n_rows").reset_index()
    totals = totals.assign(fate="all", reason="rows_read")
    out = pd.concat([counts, totals], ignore_index=True)
    order = {"all": 0, "kept": 1, "merged": 2, "dropped": 3}
    out = out.sort_values(["collection", "fate", "reason"], key=lambda s: s.map(order) if s.name == "fate" else s)
    return out[["collection", "source_file", "fate", "reason", "n_rows"]].reset_index(drop=True)


def _fmt(value: object) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime(_DATE)
