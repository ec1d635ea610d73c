"""Drawing the gold-standard sample and reading the annotation files.

The sample is drawn once, deterministically, from the documents table and
committed as ``annotations/sample.csv`` (ids and strata only, never texts).
Annotators then label each sampled document by reading it against the codebook;
their labels live in ``annotations/labels.csv`` with one row per document and
pass (``a``, ``b``, ``adjudicated``).

The sampling cues below only decide which documents are *read*; they never
decide a label.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Broad cues for the enriched strata: recall over precision, used for sampling only.
SAMPLING_CUES = {
    "rare": re.compile(
        r"\b(?:defect\w*|desert(?:ed|ion|ers?)\b|switch\w* sides|split from|break(?:s|ing)? ranks|"
        r"broke ranks|surrender\w*|la(?:y|id|ying|ys) down (?:their |his )?(?:arms|weapons)|"
        r"hand\w* over (?:their |his )?weapons|turn\w* themselves in|settl\w* (?:their |the )?status|"
        r"withdr[ae]w\w*|pull\w* out|retreat\w*|driven out|los(?:t|e|ing) control|fle(?:e|d|eing)\b)",
        re.IGNORECASE,
    ),
    "siege": re.compile(r"\b(?:besieg\w*|siege\w*|encircl\w*|blockad\w*|surround\w*|cut off)", re.IGNORECASE),
}


def eligible_for_annotation(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents that may be annotated: not sealed, not in a text group with a sealed one.

    One document per ``text_group`` (the smallest ``doc_id``) is kept, so that annotators do
    not read the same text twice.

    Returns
    -------
    DataFrame
        A subset of ``documents`` rows, sorted by ``doc_id``.
    """
    pool = documents[~documents["sealed"] & ~documents["sealed_group"]]
    pool = pool.sort_values("doc_id").drop_duplicates("text_group", keep="first")
    return pool.reset_index(drop=True)


def draw_sample(documents: pd.DataFrame, *, per_collection: int, n_siege: int, seed: int) -> pd.DataFrame:
    """Draw the annotation sample: a random stratum plus two cue-enriched strata.

    Parameters
    ----------
    documents : DataFrame
        The documents table (``doc_id``, ``collection``, ``text``, ``text_group``, ``sealed``,
        ``sealed_group``).
    per_collection : int
        Documents drawn uniformly at random from each collection (stratum ``random``).
    n_siege : int
        Documents drawn at random among the remaining ones matching the siege cues
        (stratum ``enriched_siege``).
    seed : int
        Seed of the random draws.

    Returns
    -------
    DataFrame
        Columns ``doc_id``, ``collection``, ``stratum`` (``random``, ``enriched_rare``: every
        remaining document matching the defection/surrender/retreat cues,
        ``enriched_siege``), sorted by ``stratum`` then ``doc_id``.
    """
    rng = np.random.default_rng(seed)
    pool = eligible_for_annotation(documents)
    parts = []
    for _, group in pool.groupby("collection", sort=True):
        take = rng.choice(len(group), size=min(per_collection, len(group)), replace=False)
        parts.append(group.iloc[np.sort(take)].assign(stratum="random"))
    chosen = pd.concat(parts)
    rest = pool[~pool["doc_id"].isin(chosen["doc_id"])]
    rare = rest[rest["text"].map(lambda t: bool(SAMPLING_CUES["rare"].search(t)))]
    chosen = pd.concat([chosen, rare.assign(stratum="enriched_rare")])
    rest = pool[~pool["doc_id"].isin(chosen["doc_id"])]
    siege = rest[rest["text"].map(lambda t: bool(SAMPLING_CUES["siege"].search(t)))]
    take = rng.choice(len(siege), size=min(n_siege, len(siege)), replace=False)
    chosen = pd.concat([chosen, siege.iloc[np.sort(take)].assign(stratum="enriched_siege")])
    out = chosen[["doc_id", "collection", "stratum"]]
    return out.sort_values(["stratum", "doc_id"], ignore_index=True)
