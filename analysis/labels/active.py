"""Active-learning gold rounds: documents drawn where the classifier is least sure.

A round of this kind is *not* a probability sample. Which documents it holds depends on the
model of the day, so its documents are training data only (``gold.train_only_strata``), never
dev, test or the study's design sample, and its draw records no inclusion probability
(:data:`analysis.labels.annotation.DRAWS` gives the stratum the draw ``model:uncertainty``).
What it records instead is the model's margin on each document, so that a later reader can see
what was chosen and why.

The margin of a document on one type is the distance, in log-odds, between the model's
probability and that type's threshold; its margin is the smallest over the types. A margin of
0 is a document the model could label either way on some type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.labels.annotation import eligible_for_annotation

_EPS = 1e-6


def margins(predictions: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """Each document's log-odds distance to the nearest type threshold.

    Parameters
    ----------
    predictions : DataFrame
        ``doc_id`` and one ``p_<type>`` column per event type (the predict stage's output).
    thresholds : dict
        The model's per-type thresholds.

    Returns
    -------
    DataFrame
        ``doc_id``, ``margin`` (the smallest distance over the types) and ``nearest_type`` (the
        type at that distance), in the order of ``predictions``.
    """

    def logit(p):
        p = np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS)
        return np.log(p / (1 - p))

    distance = pd.DataFrame(
        {t: np.abs(logit(predictions[f"p_{t}"]) - logit(thresholds[t])) for t in EVENT_TYPES},
        index=predictions.index,
    )
    return pd.DataFrame(
        {"doc_id": predictions["doc_id"], "margin": distance.min(axis=1), "nearest_type": distance.idxmin(axis=1)}
    )


def draw_uncertain(
    documents: pd.DataFrame,
    predictions: pd.DataFrame,
    thresholds: dict[str, float],
    *,
    exclude_groups: pd.Series,
    per_collection: dict[str, int],
    stratum: str,
) -> pd.DataFrame:
    """Draw, per collection, the eligible documents with the smallest margins.

    Eligible means unsealed, in no text group with a sealed document, one document per text
    group, and outside ``exclude_groups`` (every earlier round). Ties are broken by ``doc_id``,
    so the draw is a function of its inputs alone (no seed).

    Returns
    -------
    DataFrame
        ``doc_id``, ``collection``, ``stratum``, ``margin`` (rounded to 6 places),
        ``nearest_type`` and ``n_pool`` (the eligible documents of the collection it was chosen
        from), sorted by ``doc_id``.
    """
    pool = eligible_for_annotation(documents)
    pool = pool[~pool["text_group"].isin(set(exclude_groups))]
    scored = pool[["doc_id", "collection"]].merge(margins(predictions, thresholds), on="doc_id", how="inner")
    parts = []
    for collection, n in sorted(per_collection.items()):
        group = scored[scored["collection"] == collection]
        chosen = group.sort_values(["margin", "doc_id"]).head(n)
        parts.append(chosen.assign(n_pool=len(group)))
    out = pd.concat(parts, ignore_index=True).assign(stratum=stratum, margin=lambda f: f["margin"].round(6))
    columns = ["doc_id", "collection", "stratum", "margin", "nearest_type", "n_pool"]
    return out[columns].sort_values("doc_id", ignore_index=True)
