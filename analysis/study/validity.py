"""Convergent validity: the instrument against UCDP's human coders.

UCDP's coders read the full source articles of every event and coded its type of violence
(state-based, non-state, one-sided) and its deaths by side and among civilians. The codebook
overlaps that coding: ``civilian_harm`` against civilian deaths and one-sided violence,
``clash`` against non-state violence and state-based fighting with deaths on both sides.
They measure different things (an article's words against what coders concluded from every
source), so agreement is not accuracy; but an instrument that reads the headlines well
should rise with the coders' measure. How often the headlines mention what the coders coded
is read off the gold sample, whose annotators read the same text as the classifier: a recall
below that rate is the classifier's, the rest is the text's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from analysis.stats import wilson_interval

#: (event type, criterion name, how UCDP's coding meets it): the pairs the codebook shares with UCDP.
CRITERIA = (
    ("civilian_harm", "civilian deaths > 0", lambda e: e["deaths_civilians"].astype(float).fillna(0) > 0),
    ("civilian_harm", "one-sided violence", lambda e: e["violence_type"].astype(float) == 3),
    ("clash", "non-state violence", lambda e: e["violence_type"].astype(float) == 2),
    (
        "clash",
        "state-based, deaths on both sides",
        lambda e: (
            (e["violence_type"].astype(float) == 1)
            & (e["deaths_side_a"].astype(float).fillna(0) > 0)
            & (e["deaths_side_b"].astype(float).fillna(0) > 0)
        ),
    ),
)


def convergent_validity(events: pd.DataFrame, gold: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Set the classifier's types beside UCDP's coding, per collection and criterion.

    Parameters
    ----------
    events : DataFrame
        Eligible UCDP events with UCDP's coding (``violence_type``, ``deaths_side_a``,
        ``deaths_side_b``, ``deaths_civilians``), the saved model's labels (one boolean column
        per type) and the cross-fitted probabilities (``cfp_<type>``).
    gold : DataFrame
        The random gold sample (:func:`analysis.study.design.gold_labels`): ``doc_id`` and
        ``gold_<type>``.

    Returns
    -------
    DataFrame
        ``collection``, ``event_type``, ``criterion``, ``n_events``, ``n_coded``,
        ``share_coded``, ``share_predicted``, ``recall`` (predicted among coded) and
        ``precision`` (coded among predicted) with Wilson bounds, ``auc`` (the cross-fitted
        probability against the coding), ``n_gold_coded`` (coded events in the gold sample)
        and ``gold_mention`` (of those, the share whose headlines the annotators gave the type)
        with Wilson bounds. Collections without UCDP's coding are left out.
    """
    rows = []
    coded = events.dropna(subset=["violence_type"])
    sample = gold.set_index("doc_id")
    for collection, part in coded.groupby("collection", sort=True):
        for event_type, criterion, rule in CRITERIA:
            truth = rule(part).to_numpy()
            predicted = part[event_type].astype(bool).to_numpy()
            k_recall, n_recall = int((truth & predicted).sum()), int(truth.sum())
            k_prec, n_prec = k_recall, int(predicted.sum())
            p = part[f"cfp_{event_type}"].astype(float).to_numpy()
            known = ~np.isnan(p)
            both = len(set(truth[known])) == 2
            in_gold = part["doc_id"].isin(sample.index).to_numpy() & truth
            mentions = sample.loc[part.loc[in_gold, "doc_id"], f"gold_{event_type}"].dropna()
            k_gold, n_gold = int(mentions.sum()), len(mentions)
            (r_lo, p_lo, g_lo), (r_hi, p_hi, g_hi) = wilson_interval(
                np.array([k_recall, k_prec, k_gold]), np.array([n_recall, n_prec, n_gold]), level=level
            )
            rows.append(
                {
                    "collection": collection,
                    "event_type": event_type,
                    "criterion": criterion,
                    "n_events": len(part),
                    "n_coded": n_recall,
                    "share_coded": n_recall / len(part),
                    "share_predicted": n_prec / len(part),
                    "recall": k_recall / n_recall if n_recall else np.nan,
                    "recall_ci_lower": r_lo,
                    "recall_ci_upper": r_hi,
                    "precision": k_prec / n_prec if n_prec else np.nan,
                    "precision_ci_lower": p_lo,
                    "precision_ci_upper": p_hi,
                    "auc": float(roc_auc_score(truth[known], p[known])) if both else np.nan,
                    "n_gold_coded": n_gold,
                    "gold_mention": k_gold / n_gold if n_gold else np.nan,
                    "gold_mention_ci_lower": g_lo,
                    "gold_mention_ci_upper": g_hi,
                }
            )
    return pd.DataFrame(rows)
