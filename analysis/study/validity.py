"""Convergent validity: the instrument against UCDP's human coders.

UCDP's coders read the full source articles of every event and coded its type of violence
(state-based, non-state, one-sided) and its deaths by side and among civilians. The codebook
overlaps that coding: ``civilian_harm`` against civilian deaths and one-sided violence,
``clash`` against non-state violence and state-based fighting with deaths on both sides.
They measure different things (an article's words against what coders concluded from every
source), so agreement is not accuracy; but an instrument that reads the headlines well
should rise with the coders' measure. How often the headlines mention what the coders coded
is read off the design's probability sample, whose annotators read the same text as the
classifier: where the classifier finds less than the annotators on the same events, the
shortfall is the classifier's; where both find little, it is the text's.
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


#: Below this many UCDP-coded events in the gold sample, a mention rate is drawn greyed (too few to read).
MIN_GOLD_CODED = 20


def convergent_validity(events: pd.DataFrame, sample: pd.DataFrame, *, level: float) -> pd.DataFrame:
    """Set the classifier's types beside UCDP's coding, per collection and criterion.

    The classifier is read through its cross-fitted labels and probabilities throughout (out
    of sample for every gold document). On the whole collection: recall, precision and AUC
    against the coding. On the design's probability sample (``report.sample_strata``, drawn
    uniformly outside earlier rounds): of the coded events, the share the annotators gave the
    type and the share the classifier gave it, on the same events.

    Parameters
    ----------
    events : DataFrame
        Eligible UCDP events with UCDP's coding (``violence_type``, ``deaths_side_a``,
        ``deaths_side_b``, ``deaths_civilians``), ``text_group``, and the cross-fitted labels
        and probabilities (``cf_<type>``, ``cfp_<type>``).
    sample : DataFrame
        :func:`analysis.study.design.design_gold`'s text groups whose ``role`` is ``sample``,
        with ``gold_<type>``.

    Returns
    -------
    DataFrame
        ``collection``, ``event_type``, ``criterion``, ``n_events``, ``n_coded``,
        ``share_coded``, ``share_predicted``, ``recall`` (predicted among coded) and
        ``precision`` (coded among predicted) with Wilson bounds, ``auc``; on the sample:
        ``n_gold_coded`` (coded sampled events with a gold label), ``gold_mention`` (the
        annotators' share) and ``sample_recall`` (the classifier's share on the same events)
        with Wilson bounds. Collections without UCDP's coding are left out.
    """
    rows = []
    coded = events.dropna(subset=["violence_type"])
    gold = sample[sample["role"] == "sample"].drop_duplicates("text_group").set_index("text_group")
    for collection, part in coded.groupby("collection", sort=True):
        for event_type, criterion, rule in CRITERIA:
            truth = rule(part).to_numpy()
            predicted = part[f"cf_{event_type}"].astype(float).fillna(0).astype(bool).to_numpy()
            k_recall, n_recall, n_prec = int((truth & predicted).sum()), int(truth.sum()), int(predicted.sum())
            p = part[f"cfp_{event_type}"].astype(float).to_numpy()
            known = ~np.isnan(p)
            both = len(set(truth[known])) == 2
            labels = part["text_group"].map(gold[f"gold_{event_type}"]) if len(gold) else pd.Series(np.nan, part.index)
            on_sample = truth & labels.notna().to_numpy()
            k_gold, n_gold = int(labels[on_sample].sum()), int(on_sample.sum())
            k_sample = int(predicted[on_sample].sum())
            bounds = wilson_interval(
                np.array([k_recall, k_recall, k_gold, k_sample]),
                np.array([n_recall, n_prec, n_gold, n_gold]),
                level=level,
            )
            (r_lo, p_lo, g_lo, s_lo), (r_hi, p_hi, g_hi, s_hi) = bounds
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
                    "precision": k_recall / n_prec if n_prec else np.nan,
                    "precision_ci_lower": p_lo,
                    "precision_ci_upper": p_hi,
                    "auc": float(roc_auc_score(truth[known], p[known])) if both else np.nan,
                    "n_gold_coded": n_gold,
                    "gold_mention": k_gold / n_gold if n_gold else np.nan,
                    "gold_mention_ci_lower": g_lo,
                    "gold_mention_ci_upper": g_hi,
                    "sample_recall": k_sample / n_gold if n_gold else np.nan,
                    "sample_recall_ci_lower": s_lo,
                    "sample_recall_ci_upper": s_hi,
                }
            )
    return pd.DataFrame(rows)
