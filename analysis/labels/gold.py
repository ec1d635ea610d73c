"""The gold standard: adjudicated labels, agreement between passes, and the split.

``annotations/labels.csv`` (rounds 1 and 2) and ``annotations/labels_test.csv`` (round 3,
the frozen test set) hold one row per document and pass (``a``, ``b``, ``adjudicated``)
with ids and labels only. This module checks it against the
documents table (every annotated document exists and is eligible: never sealed,
never in a text group with a sealed document), measures agreement, and splits
the gold documents into train/dev/test by ``text_group``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from analysis.codebook import EVENT_TYPES, parse_labels
from analysis.documents import is_eligible
from analysis.errors import DataError
from analysis.params import SPLIT_STRATA

PASSES = ("a", "b", "adjudicated")
SPLITS = ("train", "dev", "test")


def label_matrix(labels: pd.Series) -> pd.DataFrame:
    """Turn ``;``-joined label strings into a boolean frame with one column per event type."""
    sets = [parse_labels(v, where=f"row {i}: ") for i, v in zip(labels.index, labels, strict=True)]
    return pd.DataFrame({t: [t in s for s in sets] for t in EVENT_TYPES}, index=labels.index)


def validate_annotations(labels: pd.DataFrame, documents: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check the annotation file against the documents table; return it unchanged if sound.

    Raises
    ------
    DataError
        One line naming ``source`` and the first problem: a missing column, an unknown
        pass or label, a document annotated twice in one pass, a document that is not in
        the corpus, or one that is sealed or shares a text group with a sealed document.
    """
    needed = ["doc_id", "pass", "labels", "stratum", "codebook_version"]
    missing = [c for c in needed if c not in labels.columns]
    if missing:
        raise DataError(f"{source}: missing column(s) {missing}")
    bad_pass = labels.loc[~labels["pass"].isin(PASSES), "pass"]
    if len(bad_pass):
        raise DataError(f"{source}: row {bad_pass.index[0] + 2}: unknown pass {bad_pass.iloc[0]!r}")
    for i, value in labels["labels"].items():
        try:
            parse_labels(value)
        except ValueError as exc:
            raise DataError(f"{source}: row {i + 2}: {exc}") from None
    dup = labels.duplicated(["doc_id", "pass"])
    if dup.any():
        row = labels[dup].iloc[0]
        raise DataError(f"{source}: row {dup.idxmax() + 2}: {row.doc_id} annotated twice in pass {row['pass']}")
    docs = documents.set_index("doc_id")
    unknown = labels.loc[~labels["doc_id"].isin(docs.index), "doc_id"]
    if len(unknown):
        raise DataError(f"{source}: row {unknown.index[0] + 2}: {unknown.iloc[0]} is not in the documents table")
    flagged = ~is_eligible(docs.loc[labels["doc_id"].unique()])
    if flagged.any():
        raise DataError(
            f"{source}: {flagged.idxmax()} is sealed or shares a text group with a sealed document; "
            "sealed documents are never annotated"
        )
    return labels


def read_annotations(files: list[Path], documents: pd.DataFrame) -> pd.DataFrame:
    """Read and check every annotation file (:func:`validate_annotations`); a document in two files is an error.

    Returns
    -------
    DataFrame
        The files' rows, concatenated: ``doc_id``, ``pass``, ``labels``, ``stratum``,
        ``codebook_version``, ``annotator`` (no rows where there is no file: a researcher's
        corpus before its first round).
    """
    if not files:
        return pd.DataFrame(columns=["doc_id", "pass", "labels", "stratum", "codebook_version", "annotator"], dtype=str)
    frames = []
    for path in files:
        labels = pd.read_csv(path, dtype=str, keep_default_na=False)
        frames.append(validate_annotations(labels, documents, source=Path(path).name))
    labels = pd.concat(frames, ignore_index=True)
    twice = labels.duplicated(["doc_id", "pass"])
    if twice.any():
        raise DataError(f"annotations: {labels.loc[twice, 'doc_id'].iloc[0]} is annotated in two files")
    return labels


def gold_metrics(table: pd.DataFrame, labels: pd.DataFrame, *, test_strata: tuple[str, ...]) -> dict:
    """Count the gold standard and its agreement for ``metrics/gold.json``.

    Returns
    -------
    dict
        ``n_gold``, ``n_by_split``, ``n_by_stratum``, ``cohen_kappa_pooled`` (every type and
        document pooled) and ``cohen_kappa_test`` (the test strata alone); a kappa is None
        where it is undefined (no gold, or no variation).
    """

    def kappa(frame: pd.DataFrame) -> float | None:
        value = float(annotation_agreement(frame).set_index("event_type").loc["all", "cohen_kappa"])
        return None if np.isnan(value) else round(value, 4)  # None: no gold yet (JSON has no NaN)

    test = labels["stratum"].isin(test_strata)
    return {
        "n_gold": len(table),
        "n_by_split": table["split"].value_counts().sort_index().to_dict(),
        "n_by_stratum": table["stratum"].value_counts().sort_index().to_dict(),
        "cohen_kappa_pooled": kappa(labels),
        "cohen_kappa_test": kappa(labels[test]) if test.any() else None,
    }


def split_of(text_group: str, *, seed: int, fractions: tuple[float, ...], names: tuple[str, ...] = SPLITS) -> str:
    """Assign a text group to one of ``names`` by a seeded hash (stable, order-free).

    >>> split_of("ucdp_syria:214797", seed=1, fractions=(0.5, 0.2, 0.3)) in SPLITS
    True
    """
    u = int(hashlib.sha256(f"{seed}:{text_group}".encode()).hexdigest()[:12], 16) / 16**12
    edges = np.cumsum(fractions)
    return names[int(np.searchsorted(edges, u, side="right"))] if u < edges[-1] else names[-1]


def round_one_split(text_group: str, *, seed: int, fractions: tuple[float, ...], retired_test_dev_share: float) -> str:
    """Split a round-1 text group into train or dev: round 1's hash split, its retired test part re-split.

    Round 1's own split (``fractions`` of train, dev and test) stands for train and dev; its
    test part, scored seven times and retired, is split again by a second seeded hash:
    ``retired_test_dev_share`` of it joins dev, the rest train.

    >>> kw = {"seed": 1, "fractions": (0.5, 0.2, 0.3), "retired_test_dev_share": 0.5}
    >>> sorted({round_one_split(f"g{i}", **kw) for i in range(50)})
    ['dev', 'train']
    """
    first = split_of(text_group, seed=seed, fractions=fractions)
    if first != "test":
        return first
    share = retired_test_dev_share
    return split_of(f"retired:{text_group}", seed=seed, fractions=(share, 1 - share), names=("dev", "train"))


def gold_table(
    labels: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    seed: int,
    fractions: tuple[float, float, float],
    retired_test_dev_share: float,
    train_only_strata: tuple[str, ...],
    test_strata: tuple[str, ...],
    sample_strata: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Build the gold table: adjudicated labels, stratum, text group and split per document.

    Round 1's strata are split into train and dev by text group (:func:`round_one_split`).
    Documents of ``train_only_strata`` go to ``train`` (drawn by cues, after the split: letting
    them into dev or test would change what those measure), and documents of ``test_strata``
    to ``test`` (drawn at random outside every earlier text group, frozen, scored once).
    Documents of ``sample_strata`` that are neither go to ``sample``: the study's probability
    sample alone (``report.sample_strata``), never fitted on or scored (a researcher's round
    with a pinned classifier).

    Raises
    ------
    DataError
        If a document's stratum is none of these (so a stratum missing from the parameters
        fails loudly rather than leaking into dev or test), or if a train-only document
        shares its text group with a dev or test document, or a test document with a train
        or dev one.

    Returns
    -------
    DataFrame
        Columns ``doc_id``, ``collection``, ``stratum``, ``text_group``, ``split``, then one
        boolean column per event type, sorted by ``doc_id``.
    """
    adjudicated = labels[labels["pass"] == "adjudicated"].set_index("doc_id")
    docs = documents.set_index("doc_id").loc[adjudicated.index]
    gold = pd.DataFrame(
        {
            "doc_id": adjudicated.index,
            "collection": docs["collection"].to_numpy(),
            "stratum": adjudicated["stratum"].to_numpy(),
            "text_group": docs["text_group"].to_numpy(),
        }
    )
    known = [*SPLIT_STRATA, *train_only_strata, *test_strata, *sample_strata]
    unknown = ~gold["stratum"].isin(known)
    if unknown.any():
        row = gold[unknown].iloc[0]
        raise DataError(
            f"gold: {row.doc_id} has stratum {row.stratum!r}, which is neither a round-1 stratum "
            f"{list(SPLIT_STRATA)} nor in gold.train_only_strata {list(train_only_strata)}, "
            f"gold.test_strata {list(test_strata)} or report.sample_strata {list(sample_strata)}"
        )
    gold["split"] = gold["text_group"].map(
        lambda g: round_one_split(g, seed=seed, fractions=fractions, retired_test_dev_share=retired_test_dev_share)
    )
    train_only = gold["stratum"].isin(train_only_strata)
    test = gold["stratum"].isin(test_strata)
    sample_only = gold["stratum"].isin(sample_strata) & ~train_only & ~test & ~gold["stratum"].isin(SPLIT_STRATA)
    gold.loc[sample_only, "split"] = "sample"
    gold.loc[test, "split"] = "test"
    held_out_groups = set(gold.loc[~train_only & (gold["split"] != "train"), "text_group"])
    leak = train_only & gold["text_group"].isin(held_out_groups)
    if leak.any():
        raise DataError(
            f"gold: {gold.loc[leak, 'doc_id'].iloc[0]} (train-only stratum) shares its text group "
            "with a dev or test document"
        )
    fitted_groups = set(gold.loc[~test, "text_group"])
    leak = test & gold["text_group"].isin(fitted_groups)
    if leak.any():
        raise DataError(
            f"gold: {gold.loc[leak, 'doc_id'].iloc[0]} (test stratum) shares its text group "
            "with a train or dev document"
        )
    gold.loc[train_only, "split"] = "train"
    matrix = label_matrix(adjudicated["labels"]).reset_index(drop=True)
    return pd.concat([gold, matrix], axis=1).sort_values("doc_id", ignore_index=True)


def krippendorff_alpha_nominal(a: np.ndarray, b: np.ndarray) -> float:
    """Krippendorff's alpha for two coders, nominal data, no missing values.

    >>> round(krippendorff_alpha_nominal(np.array([1, 1, 0, 0]), np.array([1, 1, 0, 1])), 3)
    0.533
    """
    values = np.concatenate([a, b])
    n = len(values)
    categories, counts = np.unique(values, return_counts=True)
    if len(categories) < 2:
        return float("nan")
    observed = np.mean(a != b)  # disagreeing pairable values per unit, two coders
    expected = 1 - (counts * (counts - 1)).sum() / (n * (n - 1))
    return float(1 - observed / expected)


def annotation_agreement(labels: pd.DataFrame) -> pd.DataFrame:
    """Per-type agreement between the two independent passes, and with the adjudicated gold.

    Returns
    -------
    DataFrame
        One row per event type plus ``all`` (every type pooled): ``event_type``, ``n_docs``,
        ``n_pos_a``, ``n_pos_b``, ``n_pos_gold`` (NaN before adjudication), ``percent_agreement``, ``cohen_kappa``,
        ``krippendorff_alpha``, ``n_adjudicated`` (documents where the passes differed on
        this type).
    """
    wide = {p: label_matrix(labels[labels["pass"] == p].set_index("doc_id")["labels"]) for p in PASSES}
    # before adjudication (a round just imported), the documents both passes labelled
    ids = wide["adjudicated"].index if len(wide["adjudicated"]) else wide["a"].index.intersection(wide["b"].index)
    a, b = wide["a"].loc[ids], wide["b"].loc[ids]
    g = wide["adjudicated"].loc[ids] if len(wide["adjudicated"]) else a.astype(float) * float("nan")
    rows = []
    for t in [*EVENT_TYPES, "all"]:
        x = a.to_numpy().ravel() if t == "all" else a[t].to_numpy()
        y = b.to_numpy().ravel() if t == "all" else b[t].to_numpy()
        z = g.to_numpy().ravel() if t == "all" else g[t].to_numpy()
        rows.append(
            {
                "event_type": t,
                "n_docs": len(ids),
                "n_pos_a": int(x.sum()),
                "n_pos_b": int(y.sum()),
                "n_pos_gold": int(z.sum()) if len(wide["adjudicated"]) else float("nan"),
                "percent_agreement": float(np.mean(x == y) * 100) if len(x) else float("nan"),
                "cohen_kappa": float(cohen_kappa_score(x, y)) if len(set(x) | set(y)) > 1 else float("nan"),
                "krippendorff_alpha": krippendorff_alpha_nominal(x.astype(int), y.astype(int)),
                "n_adjudicated": int((x != y).sum()),
            }
        )
    return pd.DataFrame(rows)


def gold_counts(gold: pd.DataFrame) -> pd.DataFrame:
    """Count gold positives per type by split and stratum (the codebook-with-counts table).

    Returns
    -------
    DataFrame
        One row per event type: ``event_type``, ``n_pos`` (all gold), ``n_pos_train``,
        ``n_pos_dev``, ``n_pos_test``, ``n_pos_random`` (round 1's random stratum), ``share_random``
        (prevalence in it).
    """
    rows = []
    random = gold[gold["stratum"] == "random"]
    for t in EVENT_TYPES:
        row = {"event_type": t, "n_pos": int(gold[t].sum())}
        for s in SPLITS:
            row[f"n_pos_{s}"] = int(gold.loc[gold["split"] == s, t].sum())
        row["n_pos_random"] = int(random[t].sum())
        row["share_random"] = float(random[t].mean()) if len(random) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def first_report_gold(labels: pd.DataFrame, sample: pd.DataFrame, *, which: str = "adjudicated") -> pd.DataFrame:
    """Build the first-report round's gold: each drawn event's adjudicated types and inclusion probability.

    Parameters
    ----------
    labels : DataFrame
        The round's annotation rows (:func:`read_annotations` of ``labels_first_reports.csv``).
    sample : DataFrame
        Its draw (``sample_first_reports.csv``): ``doc_id``, ``collection``, ``inclusion_probability``.
    which : str
        The pass taken as gold: ``adjudicated``, or one annotator's (``a``, ``b``), a check of
        how far the adjudication moves the models (``report.first_report_pass``).

    Raises
    ------
    DataError
        If an annotated event was not drawn, or a drawn event has no adjudicated labels.

    Returns
    -------
    DataFrame
        ``doc_id``, ``collection``, ``inclusion_probability`` and one boolean column per type,
        sorted by ``doc_id``.
    """
    adjudicated = labels[labels["pass"] == which].set_index("doc_id")["labels"]
    drawn = sample.set_index("doc_id")
    stray = adjudicated.index.difference(drawn.index)
    if len(stray):
        raise DataError(f"labels_first_reports.csv: {stray[0]} is not in sample_first_reports.csv")
    missing = drawn.index.difference(adjudicated.index)
    if len(missing):
        raise DataError(f"labels_first_reports.csv: {missing[0]} was drawn but has no {which} labels")
    out = drawn[["collection"]].assign(inclusion_probability=drawn["inclusion_probability"].astype(float))
    out = out.join(label_matrix(adjudicated))
    return out.rename_axis("doc_id").reset_index().sort_values("doc_id", ignore_index=True)
