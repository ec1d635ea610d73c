"""Where the weak labels and the classifier go wrong on gold dev, by type and by cue family.

For each document and type, the *cue family* says what the labelling functions saw: a strong
cue asserted (``cue``), only a paraphrase (``paraphrase``), only cues under negation or
modality (``not_asserted``), or nothing (``none``). Errors counted by family show whether the
supervision teaches the wrong thing: false negatives with a paraphrase mean paraphrases are
not trusted enough; false positives with a strong cue mean the cue fires out of context.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.labels.functions import NEG, POS

FAMILIES = ("cue", "paraphrase", "not_asserted", "none")


def cue_family(votes: pd.DataFrame, event_type: str) -> pd.Series:
    """Return, per document, the strongest family of ``event_type``'s functions that voted (:data:`FAMILIES`)."""
    cue = votes[f"{event_type}_cue"].to_numpy() == POS
    paraphrase = votes[f"{event_type}_paraphrase"].to_numpy() == POS
    not_asserted = votes[f"{event_type}_not_asserted"].to_numpy() == NEG
    family = np.select([cue, paraphrase, not_asserted], ["cue", "paraphrase", "not_asserted"], default="none")
    return pd.Series(family, index=votes.index)


def error_analysis(gold: pd.DataFrame, votes: pd.DataFrame, systems: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Count each system's errors per type and cue family.

    Parameters
    ----------
    gold : DataFrame
        One boolean column per type (gold dev).
    votes : DataFrame
        The labelling functions' votes on the same documents.
    systems : dict of str to DataFrame
        Predicted labels per system (e.g. ``weak_labels``, ``classifier``), same index.

    Returns
    -------
    DataFrame
        ``event_type``, ``system``, ``cue_family``, ``n_docs``, ``n_pos`` (gold positives),
        ``n_pred``, ``n_false_positive``, ``n_false_negative``; families with no document are
        left out.
    """
    rows = []
    for t in EVENT_TYPES:
        family = cue_family(votes, t)
        y = gold[t].to_numpy().astype(bool)
        for name, pred in systems.items():
            p = pred[t].to_numpy().astype(bool)
            for f in FAMILIES:
                m = (family == f).to_numpy()
                if not m.any():
                    continue
                rows.append(
                    {
                        "event_type": t,
                        "system": name,
                        "cue_family": f,
                        "n_docs": int(m.sum()),
                        "n_pos": int(y[m].sum()),
                        "n_pred": int(p[m].sum()),
                        "n_false_positive": int((p & ~y)[m].sum()),
                        "n_false_negative": int((~p & y)[m].sum()),
                    }
                )
    return pd.DataFrame(rows)
