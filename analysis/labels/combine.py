"""Combining labelling-function votes into weak labels, and judging the functions on gold.

The label model is fitted on gold train (:func:`fit_label_model`) and kept as a small
JSON-able mapping, so the weak labels, the classifier's back-off types and the baselines
all combine votes the same way (:func:`label_model_proba`). Two combiners:

- ``majority``: the functions that have earned their vote on gold train
  (:func:`select_lfs`) vote, and a type is labelled when its POS votes outnumber its NEG
  votes (:func:`weak_labels`);
- ``naive_bayes``: every function votes, weighed by how its vote (POS, NEG or abstain)
  depends on the gold label on gold train: a posterior from the prior and the functions'
  likelihood ratios, as if they were independent given the label. A weak cue then pulls
  as far as its accuracy warrants instead of being either kept or dropped.

:func:`lf_summary` is the standard table of coverage, overlap, conflict and accuracy;
:func:`keyword_labels` is the "keyword rules alone" baseline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.labels.cues import CUES
from analysis.labels.functions import ABSTAIN, NEG, POS, labeling_functions


def select_lfs(votes: pd.DataFrame, gold: pd.DataFrame, *, min_accuracy: float) -> list[str]:
    """Keep the labelling functions whose empirical accuracy on ``gold`` reaches ``min_accuracy``.

    Each type's strong cue (``<type>_cue``) is always kept, so that no type loses its weak
    labels; paraphrase and not-asserted LFs must earn their vote. An LF that never votes
    on ``gold`` is kept (nothing speaks against it). This is the
    project's label model: majority vote among LFs that have shown they are right more
    often than ``min_accuracy`` on gold *training* documents.

    Returns
    -------
    list of str
        Names of the kept LFs, in :func:`labeling_functions` order.
    """
    summary = lf_summary(votes, gold)
    keep = (
        summary["lf"].str.endswith("_cue")
        | summary["empirical_accuracy"].isna()
        | (summary["empirical_accuracy"] >= min_accuracy)
    )
    return summary.loc[keep, "lf"].tolist()


def fit_label_model(
    votes: pd.DataFrame, gold: pd.DataFrame, *, combine: str, min_accuracy: float, prior: pd.DataFrame | None = None
) -> dict:
    """Fit the label model on gold (training documents only).

    Parameters
    ----------
    votes : DataFrame
        :func:`analysis.labels.functions.apply_lfs` on the gold documents.
    gold : DataFrame
        One boolean column per event type, same index as ``votes``.
    combine : str
        ``majority`` or ``naive_bayes``.
    min_accuracy : float
        ``majority``: the accuracy a paraphrase or not-asserted function needs to vote.
    prior : DataFrame, optional
        ``naive_bayes``: gold labels whose type shares are the prior (a random sample, so
        that cue-drawn strata do not inflate it); default ``gold``.

    Returns
    -------
    dict
        ``combine``, ``min_accuracy``, ``voting_lfs`` (the majority's voters) and, for
        ``naive_bayes``, ``log_prior_odds`` per type and ``log_likelihood_ratio`` per type,
        function and vote (``"1"``, ``"0"``, ``"-1"``), Laplace-smoothed.
    """
    model = {
        "combine": combine,
        "min_accuracy": min_accuracy,
        "voting_lfs": select_lfs(votes, gold, min_accuracy=min_accuracy),
    }
    if combine == "naive_bayes":
        prior = gold if prior is None else prior
        model["log_prior_odds"], model["log_likelihood_ratio"] = {}, {}
        for t in EVENT_TYPES:
            p = (prior[t].sum() + 1) / (len(prior) + 2)
            model["log_prior_odds"][t] = round(float(np.log(p / (1 - p))), 6)
            y = gold[t].to_numpy().astype(bool)
            ratios = {}
            for lf in _lfs_of(t):
                name, v = lf.name, votes[lf.name].to_numpy()
                values = (lf.polarity, ABSTAIN)
                ratios[name] = {
                    str(value): round(
                        float(
                            np.log(((v[y] == value).sum() + 1) / (y.sum() + len(values)))
                            - np.log(((v[~y] == value).sum() + 1) / ((~y).sum() + len(values)))
                        ),
                        6,
                    )
                    for value in values
                }
            model["log_likelihood_ratio"][t] = ratios
    return model


def _lfs_of(event_type: str) -> list:
    """Return the functions that vote on ``event_type``: its own and the global ones."""
    return [lf for lf in labeling_functions() if lf.event_type in (event_type, None)]


def label_model_proba(votes: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Combine votes with a fitted label model into a probability per type (0 or 1 for ``majority``).

    Returns
    -------
    DataFrame
        Index of ``votes``; one float column per event type.
    """
    if model["combine"] == "majority":
        return weak_labels(votes, use=model["voting_lfs"]).astype(float)
    out = {}
    for t in EVENT_TYPES:
        logit = np.full(len(votes), model["log_prior_odds"][t])
        for name, ratio in model["log_likelihood_ratio"][t].items():
            v = votes[name].to_numpy()
            for value, r in ratio.items():
                logit = logit + np.where(v == int(value), r, 0.0)
        out[t] = 1 / (1 + np.exp(-logit))
    return pd.DataFrame(out, index=votes.index)


def apply_label_model(votes: pd.DataFrame, model: dict) -> pd.DataFrame:
    """Weak labels from a fitted label model: a type where its probability reaches 0.5.

    Returns
    -------
    DataFrame
        Index of ``votes``; one boolean column per event type.
    """
    return label_model_proba(votes, model) >= 0.5


def weak_labels(votes: pd.DataFrame, *, use: list[str] | None = None) -> pd.DataFrame:
    """Combine LF votes into weak labels by majority vote per type.

    For each type, the POS and NEG votes of its own LFs and of the global LFs (those in
    ``use``, default all) are counted; the type is labelled when POS votes outnumber NEG
    votes. No votes, or a tie, is negative: most documents do not report most types.

    Returns
    -------
    DataFrame
        Index of ``votes``; one boolean column per event type.
    """
    allowed = set(votes.columns if use is None else use)
    global_cols = [lf.name for lf in labeling_functions() if lf.event_type is None and lf.name in allowed]
    out = {}
    for t in EVENT_TYPES:
        cols = [c for c in votes.columns if c.startswith(f"{t}_") and c in allowed] + global_cols
        v = votes[cols].to_numpy()
        out[t] = (v == POS).sum(axis=1) > (v == NEG).sum(axis=1)
    return pd.DataFrame(out, index=votes.index)


def keyword_labels(texts: pd.Series) -> pd.DataFrame:
    """Label a type wherever one of its strong cues occurs, with no context handling.

    This is the "keyword rules alone" baseline.

    Returns
    -------
    DataFrame
        Index of ``texts``; one boolean column per event type.
    """
    return pd.DataFrame({t: texts.map(lambda s, p=CUES[t]: bool(p.search(s))) for t in EVENT_TYPES}, index=texts.index)


def lf_summary(votes: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Return the standard labelling-function table against gold labels.

    Parameters
    ----------
    votes : DataFrame
        Output of :func:`apply_lfs` on the gold documents.
    gold : DataFrame
        Boolean frame, one column per event type, same index as ``votes``.

    Returns
    -------
    DataFrame
        One row per LF: ``lf``, ``event_type``, ``polarity``, ``n_docs``, ``coverage``
        (share voting), ``overlap`` (share voting where another LF on the same type also
        votes), ``conflict`` (share voting where another LF on the same type votes the
        other way), ``n_votes``, ``empirical_accuracy`` (share of votes matching gold; for
        the global LF, over all types).
    """
    rows = []
    lfs = labeling_functions()
    for lf in lfs:
        v = votes[lf.name].to_numpy()
        voted = v != ABSTAIN
        types = [lf.event_type] if lf.event_type else list(EVENT_TYPES)
        others = [o.name for o in lfs if o.name != lf.name and (o.event_type in types or o.event_type is None)]
        ov = votes[others].to_numpy()
        other_voted = (ov != ABSTAIN).any(axis=1)
        conflict = ((ov != ABSTAIN) & (ov != v[:, None])).any(axis=1)
        if lf.event_type:
            correct = (v[voted] == gold.loc[voted, lf.event_type].to_numpy().astype(int)).sum()
            n_checked = int(voted.sum())
        else:
            correct = int((~gold.loc[voted, types].to_numpy()).sum())
            n_checked = int(voted.sum()) * len(types)
        polarity = "pos" if lf.polarity == POS else "neg"
        rows.append(
            {
                "lf": lf.name,
                "event_type": lf.event_type or "all",
                "polarity": polarity,
                "n_docs": len(v),
                "coverage": float(voted.mean()) if len(v) else np.nan,
                "overlap": float((voted & other_voted).mean()) if len(v) else np.nan,
                "conflict": float((voted & conflict).mean()) if len(v) else np.nan,
                "n_votes": int(voted.sum()),
                "empirical_accuracy": correct / n_checked if n_checked else np.nan,
            }
        )
    return pd.DataFrame(rows)
