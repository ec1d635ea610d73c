"""News from outside the conflict corpus: negatives to learn from, and a false-alarm check.

Human-labelled tasks that the yardstick already pins (``ood.tasks``) hold news with no
conflict event: BBC News articles labelled not political violence, IndiaPoliceEvents
sentences with no police event. Their rows whose labels are all zero are taken as
documents with no *military* type (:data:`MILITARY_TYPES`). ``civilian_harm`` and
``negotiation`` are left unknown for them, not negative: a riot sentence may well report
harm to civilians, a politics article talks. Train splits join training; dev splits are
scored for choosing; test splits once, at the end.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES, MILITARY_TYPES
from analysis.corpus.readers import read_labelled_tsv
from analysis.model.datasets import SET_COLUMNS
from analysis.stats import wilson_interval


def read_negatives(raw_dir: Path, *, tasks: tuple[str, ...], split: str) -> pd.DataFrame:
    """Read the rows with no label of each task's ``split`` (``<raw_dir>/<task>/<split>.tsv``).

    Returns
    -------
    DataFrame
        ``doc_id`` (``ood:<task>:<split>:<line>``), ``task``, ``text``, in task order.
    """
    frames = []
    for task in tasks:
        path = Path(raw_dir) / task / f"{split}.tsv"
        if not path.is_file():
            continue  # cameo_class-like tasks have no dev split
        texts, labels = read_labelled_tsv(path)
        none = (labels.reshape(len(labels), -1) == 0).all(axis=1)
        lines = np.flatnonzero(none) + 1
        frames.append(
            pd.DataFrame(
                {
                    "doc_id": [f"ood:{task}:{split}:{n}" for n in lines],
                    "task": task,
                    "text": texts[none].to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def sentences(negatives: pd.DataFrame, *, min_words: int = 5) -> pd.DataFrame:
    """Split each negative document into its sentences (of at least ``min_words`` words), one row each.

    A sentence of a document with no conflict event reports none either; short texts teach the
    classifier the genre of headlines and single sentences as well as that of articles.

    Returns
    -------
    DataFrame
        The columns of :func:`read_negatives`; ``doc_id`` gets ``:s<k>``.
    """
    rows = []
    for doc_id, task, text in zip(negatives["doc_id"], negatives["task"], negatives["text"], strict=True):
        parts = [s.strip() for s in _SENTENCE.split(text) if len(s.split()) >= min_words]
        rows += [(f"{doc_id}:s{k}", task, s) for k, s in enumerate(parts, 1)]
    return pd.DataFrame(rows, columns=["doc_id", "task", "text"])


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def negatives_set(negatives: pd.DataFrame, *, weight: float, max_rows: int, seed: int) -> pd.DataFrame:
    """Out-of-domain negatives as training rows: no military type, the other types unknown (NaN).

    At most ``max_rows`` rows per task, drawn at random with ``seed``.

    Returns
    -------
    DataFrame
        Columns :data:`analysis.model.datasets.SET_COLUMNS`: ``source`` ``"ood"``, ``collection``
        the task, ``weight`` ``weight``; military types False, the others NaN (nullable booleans).
    """
    if weight <= 0 or max_rows == 0 or negatives.empty:
        return pd.DataFrame(columns=SET_COLUMNS)
    rng = np.random.default_rng(seed)
    parts = []
    for _, part in negatives.groupby("task", sort=False):
        take = np.sort(rng.choice(len(part), max_rows, replace=False)) if len(part) > max_rows else np.arange(len(part))
        parts.append(part.iloc[take])
    negatives = pd.concat(parts, ignore_index=True)
    out = pd.DataFrame(
        {
            "doc_id": negatives["doc_id"].to_numpy(),
            "collection": negatives["task"].to_numpy(),
            "source": "ood",
            "stratum": "",
            "weight": float(weight),
            "text": negatives["text"].to_numpy(),
        }
    )
    for t in EVENT_TYPES:
        out[t] = pd.array([False if t in MILITARY_TYPES else pd.NA] * len(out), dtype="boolean")
    return out[SET_COLUMNS]


def false_alarms(negatives: pd.DataFrame, predicted: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """How often news with no conflict event gets a military type, per task and in all (Wilson intervals).

    Parameters
    ----------
    negatives : DataFrame
        :func:`read_negatives` output.
    predicted : DataFrame
        One boolean column per event type, same index.

    Returns
    -------
    DataFrame
        One row per task and ``all``: ``task``, ``n_docs``, ``n_false_alarm`` (documents with at
        least one military type), ``false_alarm_rate`` with ``_ci_lower`` / ``_ci_upper``, and
        ``n_<type>``, the documents given each type (every type, military or not).
    """
    military = predicted[list(MILITARY_TYPES)].any(axis=1)
    rows = []
    for task, part in [*negatives.groupby("task", sort=False), ("all", negatives)]:
        n, k = len(part), int(military[part.index].sum())
        lower, upper = wilson_interval(np.array([k]), np.array([n]), level=level)
        row = {
            "task": task,
            "n_docs": n,
            "n_false_alarm": k,
            "false_alarm_rate": k / n if n else np.nan,
            "false_alarm_rate_ci_lower": float(lower[0]),
            "false_alarm_rate_ci_upper": float(upper[0]),
        }
        row.update({f"n_{t}": int(predicted.loc[part.index, t].sum()) for t in EVENT_TYPES})
        rows.append(row)
    return pd.DataFrame(rows)


def corpus_sentences(train: pd.DataFrame, *, articles, max_rows: int, seed: int) -> pd.DataFrame:
    """Sentences of the training set's articles, as rows that teach the out-of-domain gate only.

    The gate (``train.ood_gate``) learns conflict news against the out-of-domain negatives,
    half of which are single sentences; without short conflict texts beside them it would
    learn that a sentence is not conflict news. These rows carry no type label (all NaN), so
    no type's model sees them; the gate counts them as conflict news.

    Returns
    -------
    DataFrame
        Columns :data:`analysis.model.datasets.SET_COLUMNS`: ``source`` ``"sentence"``, weight 1,
        every type NaN; at most ``max_rows`` sentences (of 5 words or more), drawn with ``seed``.
    """
    rows = train[train["collection"].isin(list(articles)) & train["source"].isin(["gold", "weak"])]
    if max_rows == 0 or rows.empty:
        return pd.DataFrame(columns=SET_COLUMNS)
    split = sentences(rows[["doc_id", "collection", "text"]].rename(columns={"collection": "task"}))
    split = split[split["text"].str.len() <= 300]  # list-like run-ons are not sentences
    if len(split) > max_rows:
        split = split.iloc[np.sort(np.random.default_rng(seed).choice(len(split), max_rows, replace=False))]
    out = pd.DataFrame(
        {
            "doc_id": split["doc_id"].to_numpy(),
            "collection": split["task"].to_numpy(),
            "source": "sentence",
            "stratum": "",
            "weight": 1.0,
            "text": split["text"].to_numpy(),
        }
    )
    for t in EVENT_TYPES:
        out[t] = pd.array([pd.NA] * len(out), dtype="boolean")
    return out[SET_COLUMNS]
