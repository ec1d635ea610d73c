"""Checks on the sampling design: what its frame leaves out, and whether its two random samples agree.

- The frame is the unsealed documents outside sealed text groups. A text group of ``k``
  documents is left out with probability ``1 - 0.9^k``, so large groups (UCDP events many
  outlets reported) fall out more often than one document in ten: :func:`frame_coverage` says
  how many documents the frame leaves out and how their predicted types differ.
- Round 1's ``random`` stratum is a uniform sample of the whole frame, the ``sample`` role's
  strata of what earlier rounds left. Each gives an estimate of the same share
  (:func:`sample_consistency`); if the two disagree beyond chance, the rounds' labels may not
  measure the same thing (annotation drift), or one draw ran far from its mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.codebook import EVENT_TYPES
from analysis.documents import is_eligible
from analysis.errors import DataError
from analysis.study import design, estimators


def frame_coverage(labelled: pd.DataFrame, *, types: list[str]) -> pd.DataFrame:
    """Compare the predicted shares of the documents inside the study's frame and left out of it.

    Parameters
    ----------
    labelled : DataFrame
        Every document (sealed included): ``collection``, ``sealed``, ``sealed_group`` and one
        boolean column per type (predicted).

    Returns
    -------
    DataFrame
        ``collection``, ``event_type``, ``n_docs``, ``n_frame``, ``excluded_share`` (documents
        left out), ``share_frame`` and ``share_excluded`` (predicted, naive).
    """
    inside = is_eligible(labelled).to_numpy()
    rows = []
    for collection, part in labelled.groupby("collection", sort=True):
        mask = inside[labelled["collection"].to_numpy() == collection]
        for t in types:
            values = part[t].to_numpy(dtype=float)
            rows.append(
                {
                    "collection": collection,
                    "event_type": t,
                    "n_docs": len(part),
                    "n_frame": int(mask.sum()),
                    "excluded_share": float(1 - mask.mean()),
                    "share_frame": float(values[mask].mean()) if mask.any() else np.nan,
                    "share_excluded": float(values[~mask].mean()) if (~mask).any() else np.nan,
                }
            )
    return pd.DataFrame(rows)


def sample_consistency(
    population: pd.DataFrame,
    gold: pd.DataFrame,
    shares: pd.DataFrame,
    *,
    uniform: pd.Series,
    types: list[str],
    level: float,
) -> pd.DataFrame:
    """Estimate each collection's share from the uniform stratum alone and set it beside the design's.

    The uniform stratum (round 1's ``random``) is a simple random sample of the whole frame: the
    same difference estimator (PPI++ at its tuned ``lam``) with the finite-population correction
    of that draw. The design's estimate counts the same stratum's labels among its known part,
    so the two are not quite independent; in UCDP its 180 text groups are 2% and 10% of the frame.

    Parameters
    ----------
    population, gold : DataFrame
        As :func:`analysis.study.design.shares` reads them (``gold`` with every gold text group).
    shares : DataFrame
        :func:`analysis.study.design.shares` by ``collection``.
    uniform : Series
        Text groups of the uniform stratum.

    Returns
    -------
    DataFrame
        ``collection``, ``event_type``, ``n_uniform``, ``share_uniform`` with
        ``share_uniform_ci_lower``/``_ci_upper``, ``share_est``, ``difference``, ``z`` and
        ``p_value`` (two-sided, normal, on the two standard errors; NaN where either has none).
    """
    drawn = gold[gold["text_group"].isin(set(uniform))].assign(role="sample")
    units = design.design_units(population, drawn, by=["collection"], types=types)
    rows = []
    for collection, part in units.groupby("collection", sort=True):
        sample = part[part["role"] == "sample"]
        w_all, w = part["weight"].to_numpy(float), sample["weight"].to_numpy(float)
        fraction = len(sample) / len(part)
        for t in types:
            f_all = float(np.average(part[f"cfp_{t}"], weights=w_all))
            y, f = sample[f"gold_{t}"].to_numpy(float), sample[f"cfp_{t}"].to_numpy(float)
            # the whole frame's mean, not the undrawn rest's: variance s2 (1 - f) / n
            est = estimators.rest_mean(y, f, w, f_rest_mean=f_all, fraction=0.0, level=level)
            se = est.se * np.sqrt(1 - fraction)
            other = shares[(shares["collection"] == collection) & (shares["event_type"] == t)].iloc[0]
            diff = est.estimate - other["share_est"]
            scale = np.sqrt(se**2 + other["share_est_se"] ** 2)
            z = diff / scale if scale > 0 else np.nan
            rows.append(
                {
                    "collection": collection,
                    "event_type": t,
                    "n_uniform": len(sample),
                    "share_uniform": est.estimate,
                    "share_uniform_ci_lower": est.lower,
                    "share_uniform_ci_upper": est.upper,
                    "share_est": other["share_est"],
                    "difference": diff,
                    "z": z,
                    "p_value": float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else np.nan,
                }
            )
    return pd.DataFrame(rows)


def relabel_check(relabel: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Compare a blind re-annotation of gold documents with their gold labels, per stratum and type.

    Parameters
    ----------
    relabel : DataFrame
        ``annotations/relabel_check.csv``: ``doc_id``, ``pass``, ``labels`` (``;``-joined) and
        ``stratum`` (the document's gold stratum, hidden from the annotators).
    gold : DataFrame
        The gold table: ``doc_id`` and one boolean column per type.

    Returns
    -------
    DataFrame
        ``stratum``, ``event_type``, ``n_docs``, ``share_gold``, and per pass ``share_<pass>``,
        ``n_dropped_<pass>`` (gold says yes, the re-annotation no) and ``n_added_<pass>``.
    """
    types = [c for c in gold.columns if c in set(EVENT_TYPES)]
    labels = gold.set_index("doc_id")
    unknown = relabel.loc[~relabel["doc_id"].isin(labels.index), "doc_id"]
    if len(unknown):
        raise DataError(f"relabel_check.csv: row {unknown.index[0] + 2}: {unknown.iloc[0]} has no gold label")
    passes = sorted(relabel["pass"].unique())
    rows = []
    for stratum, part in relabel.groupby("stratum", sort=True):
        wide = {p: part[part["pass"] == p].set_index("doc_id")["labels"] for p in passes}
        docs = wide[passes[0]].index
        for t in types:
            truth = labels.loc[docs, t].to_numpy(dtype=bool)
            row = {"stratum": stratum, "event_type": t, "n_docs": len(docs), "share_gold": float(truth.mean())}
            for p in passes:
                coded = wide[p].reindex(docs).fillna("").map(lambda s, t=t: t in s.split(";")).to_numpy(dtype=bool)
                row[f"share_{p}"] = float(coded.mean())
                row[f"n_dropped_{p}"] = int((truth & ~coded).sum())
                row[f"n_added_{p}"] = int((~truth & coded).sum())
            rows.append(row)
    return pd.DataFrame(rows)
