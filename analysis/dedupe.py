"""Exact and near-duplicate grouping of document texts (``text_group``), and sealing.

This is the one cleaning step that needs the whole corpus. It is split so that
the expensive part runs per chunk (:func:`minhash_signatures`) and only compact
signatures meet in the banded join (:func:`near_duplicate_groups`), which is
what a partitioned engine needs.

Documents are never merged here: a UCDP event that shares its headline with
another is still its own event. They only share a ``text_group``, so that later
stages can keep a group on one side of a split and count a text once.
"""

from __future__ import annotations

import hashlib
import logging
import re

import numpy as np
import pandas as pd
from datasketch import MinHash

from analysis.params import DedupeParams

log = logging.getLogger(__name__)

SEALED_COLLECTIONS = frozenset({"fakes", "ucdp_iraq", "ucdp_syria"})


def normalise_for_matching(text: str) -> str:
    """Lower-case and reduce a text to letters, digits and single spaces.

    >>> normalise_for_matching("Aleppo: 12 killed!  (update)")
    'aleppo 12 killed update'
    """
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def shingles(text: str, *, k: int) -> list[bytes]:
    """Return the distinct word ``k``-grams of a normalised text (the whole text if shorter).

    Word shingles, not character ones: two templated headlines that differ only in their
    numbers or place ("85 were killed yesterday ..." / "89 were killed yesterday ...")
    are different reports and must not chain into one group.

    >>> shingles("a b c a b", k=3)
    [b'a b c', b'b c a', b'c a b']
    """
    words = text.split()
    if len(words) <= k:
        return [text.encode()]
    return list(dict.fromkeys(" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)))


def minhash_signatures(texts: pd.Series, *, params: DedupeParams, seed: int) -> np.ndarray:
    """MinHash signatures of normalised texts, one row per text (a per-chunk step).

    Returns
    -------
    ndarray of uint64, shape (len(texts), params.num_perm)
    """
    sets = [shingles(t, k=params.shingle_words) for t in texts]
    hashes = MinHash.bulk(sets, num_perm=params.num_perm, seed=seed % (2**32))
    if not hashes:
        return np.empty((0, params.num_perm), dtype=np.uint64)
    return np.vstack([h.hashvalues for h in hashes]).astype(np.uint64)


def lsh_bands(num_perm: int, threshold: float) -> tuple[int, int]:
    """Choose ``(bands, rows)`` so that the LSH S-curve turns at or just below ``threshold``.

    A pair with Jaccard ``s`` becomes a candidate with probability ``1 - (1 - s**r)**b``;
    its midpoint is about ``(1/b)**(1/r)``. Candidates are verified afterwards, so erring
    low only costs comparisons.

    >>> lsh_bands(128, 0.8)
    (12, 10)
    """
    best = None
    for r in range(1, num_perm + 1):
        b = num_perm // r
        mid = (1 / b) ** (1 / r)
        if mid <= threshold and (best is None or mid > best[0]):
            best = (mid, b, r)
    assert best is not None
    return best[1], best[2]


_MULTIPLIERS = (np.arange(1, 1025, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return int(root)

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def near_duplicate_groups(signatures: np.ndarray, *, threshold: float) -> np.ndarray:
    """Group rows whose estimated Jaccard similarity reaches ``threshold`` (banded join).

    Rows that fall in the same LSH bucket are compared to each other (buckets larger than
    64 are compared to their first member only, which keeps the cost linear) and joined
    when the share of equal signature values reaches ``threshold``. Groups are closed
    transitively.

    Returns
    -------
    ndarray of int
        For each row, the smallest row index of its group.
    """
    n, num_perm = signatures.shape
    uf = _UnionFind(n)
    if n < 2:
        return np.arange(n)
    bands, rows = lsh_bands(num_perm, threshold)
    for b in range(bands):
        block = signatures[:, b * rows : (b + 1) * rows]
        # a wrapping weighted sum is a good enough bucket key: collisions are verified below
        keys = (block * _MULTIPLIERS[:rows]).sum(axis=1, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], n]
        for s, e in zip(starts, ends, strict=True):
            if e - s < 2:
                continue
            members = order[s:e]
            anchors = members if len(members) <= 64 else members[:1]
            for a_pos, a in enumerate(anchors):
                others = members[a_pos + 1 :]
                sim = (signatures[others] == signatures[a]).mean(axis=1)
                for o in others[sim >= threshold]:
                    uf.union(int(a), int(o))
    return np.array([uf.find(i) for i in range(n)])


def assign_text_groups(documents: pd.DataFrame, *, params: DedupeParams, seed: int) -> pd.DataFrame:
    """Give every document a ``text_group``: shared by documents with the same or nearly the same text.

    Exact matches (after :func:`normalise_for_matching`) are grouped first; the distinct
    texts then go through MinHash and the banded join.

    Parameters
    ----------
    documents : DataFrame
        Needs ``doc_id`` and ``text``.
    params : DedupeParams
        Shingle length, number of permutations, similarity threshold.
    seed : int
        MinHash seed (``base.seed``).

    Returns
    -------
    DataFrame
        ``documents`` with ``text_group`` (the smallest ``doc_id`` in the group) and
        ``text_group_size`` (number of documents in it).
    """
    norm = documents["text"].map(normalise_for_matching)
    distinct = pd.Series(pd.unique(norm))
    sig = minhash_signatures(distinct, params=params, seed=seed)
    root_of_distinct = near_duplicate_groups(sig, threshold=params.threshold)
    root = norm.map(pd.Series(root_of_distinct, index=distinct.to_numpy()))
    group = documents.groupby(root.to_numpy())["doc_id"].transform("min")
    out = documents.assign(text_group=group.to_numpy())
    out["text_group_size"] = out.groupby("text_group")["doc_id"].transform("size").astype("int64")
    log.info(
        "text groups: %d documents, %d distinct texts, %d groups",
        len(out),
        len(distinct),
        out["text_group"].nunique(),
    )
    return out


def is_sealed_id(collection: str, source_id: str) -> bool:
    """Say whether ``collection:source_id`` is reserved for external evaluation.

    The rule (DEVELOPERS.md): the first 8 hex digits of ``sha256("collection:source_id")``,
    read as an integer, are divisible by 10. ``source_id`` is the dataset's own id as text.
    """
    if collection not in SEALED_COLLECTIONS:
        raise ValueError(f"unknown collection {collection!r}")
    digest = hashlib.sha256(f"{collection}:{source_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 10 == 0


def seal(documents: pd.DataFrame) -> pd.DataFrame:
    """Mark sealed documents: by their own id, or by sharing its text with a sealed one.

    A merged FA-KES document is sealed by id when any of its merged source ids is. "Sharing
    its text" is the same text after :func:`normalise_for_matching`; documents that are only
    *nearly* the same share a ``text_group``, and fitting stages exclude whole groups that
    contain a sealed document (see ``sealed_group``).

    Returns
    -------
    DataFrame
        ``documents`` with ``sealed_by_id``, ``sealed`` (by id or same text) and
        ``sealed_group`` (its ``text_group`` holds a sealed document).
    """
    by_id = [
        any(is_sealed_id(c, sid) for sid in members.split(";"))
        for c, members in zip(documents["collection"], documents["members"], strict=True)
    ]
    out = documents.assign(sealed_by_id=by_id)
    norm = out["text"].map(normalise_for_matching)
    out["sealed"] = norm.isin(set(norm[out["sealed_by_id"]]))
    out["sealed_group"] = out["text_group"].isin(set(out.loc[out["sealed"], "text_group"]))
    return out
