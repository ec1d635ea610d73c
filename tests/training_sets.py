"""Hand-written training sets shared by the model tests: one builder, one rule-free label model."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.model.datasets import SET_COLUMNS

#: A label model whose back-off types predict nothing: the tests read the learned types alone.
NO_RULES = {"combine": "majority", "min_accuracy": 0.0, "voting_lfs": []}


def labelled_set(prefix: str, rows: list[tuple[str, dict]], *, source: str = "gold") -> pd.DataFrame:
    """A training or dev set (SET_COLUMNS) from (text, {type: True}) rows, ids ``ucdp_iraq:<prefix>000`` on."""
    frame = pd.DataFrame(
        {
            "doc_id": [f"ucdp_iraq:{prefix}{i:03d}" for i in range(len(rows))],
            "collection": "ucdp_iraq",
            "source": source,
            "stratum": "random",
            "weight": 1.0,
            "text": [text for text, _ in rows],
        }
    )
    for t in EVENT_TYPES:
        frame[t] = pd.array([bool(labels.get(t)) for _, labels in rows], dtype="boolean")
    return frame[SET_COLUMNS]
