"""Training, tuning and test sets for the classifier, kept apart by text group.

Sealed documents, and every document in a text group with a sealed one, are
excluded from every set here. Weak labels only ever come from documents whose
text group holds no gold document, so no near-copy of a dev or test text leaks
into training.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.documents import document_input, eligible, is_eligible

SET_COLUMNS = ["doc_id", "collection", "source", "stratum", "weight", "text", *EVENT_TYPES]


def gold_set(documents: pd.DataFrame, gold: pd.DataFrame, *, split: str, articles: Collection[str]) -> pd.DataFrame:
    """One gold split with the classifier's input text (``articles``: the collections of that kind).

    Returns
    -------
    DataFrame
        Columns :data:`SET_COLUMNS` (``source`` is ``"gold"``, ``weight`` 1.0), sorted by ``doc_id``.
    """
    part = gold[gold["split"] == split]
    docs = documents.set_index("doc_id").loc[part["doc_id"]].reset_index()
    out = part[["doc_id", "collection", "stratum", *EVENT_TYPES]].reset_index(drop=True)
    out.insert(2, "source", "gold")
    out.insert(4, "weight", 1.0)
    out.insert(5, "text", document_input(docs, articles=articles).to_numpy())
    return out[SET_COLUMNS].sort_values("doc_id", ignore_index=True)


def training_set(
    documents: pd.DataFrame,
    gold: pd.DataFrame,
    weak: pd.DataFrame,
    *,
    weak_weight: float,
    max_weak: int,
    seed: int,
    articles: Collection[str],
) -> pd.DataFrame:
    """Gold train documents plus weakly labelled documents from text groups without gold.

    Parameters
    ----------
    documents : DataFrame
        The documents table.
    gold : DataFrame
        Output of :func:`analysis.labels.gold.gold_table`.
    weak : DataFrame
        ``doc_id`` and one boolean column per type (weak labels).
    weak_weight : float
        Sample weight of a weakly labelled document (gold documents weigh 1); 0 drops them.
    max_weak : int
        At most this many weak documents, drawn at random with ``seed``.
    articles : collection of str
        The collections of kind ``articles`` (their titles are read before their texts).

    Returns
    -------
    DataFrame
        Columns :data:`SET_COLUMNS`, ``source`` ``"gold"`` or ``"weak"``, sorted by ``doc_id``.
    """
    train = gold_set(documents, gold, split="train", articles=articles)
    if weak_weight <= 0 or max_weak == 0:
        return train
    pool = eligible(documents)
    pool = pool[~pool["text_group"].isin(set(gold["text_group"]))]
    pool = pool.merge(weak, on="doc_id", how="inner", validate="one_to_one")
    if len(pool) > max_weak:
        take = np.sort(np.random.default_rng(seed).choice(len(pool), size=max_weak, replace=False))
        pool = pool.iloc[take]
    weak_set = pd.DataFrame(
        {
            "doc_id": pool["doc_id"].to_numpy(),
            "collection": pool["collection"].to_numpy(),
            "source": "weak",
            "stratum": "",
            "weight": float(weak_weight),
            "text": document_input(pool, articles=articles).to_numpy(),
            **{t: pool[t].to_numpy().astype(bool) for t in EVENT_TYPES},
        }
    )
    return pd.concat([train, weak_set], ignore_index=True)[SET_COLUMNS].sort_values("doc_id", ignore_index=True)


def with_rows(train: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Add rows (e.g. out-of-domain negatives) to a training set, sorted by ``doc_id``.

    The type columns become nullable booleans wherever a row leaves a type unknown.

    Returns
    -------
    DataFrame
        Columns :data:`SET_COLUMNS`.
    """
    if extra.empty:
        return train
    both = pd.concat([train.astype({t: "boolean" for t in EVENT_TYPES}), extra], ignore_index=True)
    return both[SET_COLUMNS].sort_values("doc_id", ignore_index=True)


def set_counts(train: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame, documents: pd.DataFrame) -> dict:
    """Count the sets for ``metrics/datasets.json``.

    Returns
    -------
    dict
        ``n_train_gold``, ``n_train_weak``, ``n_train_ood``, ``n_train_sentences`` (the gate's),
        ``n_dev``, ``n_test`` and
        ``n_sealed_excluded`` (sealed documents and their text groups, never fitted on).
    """
    return {
        "n_train_gold": int((train["source"] == "gold").sum()),
        "n_train_weak": int((train["source"] == "weak").sum()),
        "n_train_ood": int((train["source"] == "ood").sum()),
        "n_train_sentences": int((train["source"] == "sentence").sum()),
        "n_dev": len(dev),
        "n_test": len(test),
        "n_sealed_excluded": int((~is_eligible(documents)).sum()),
    }
