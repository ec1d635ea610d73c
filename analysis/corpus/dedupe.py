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
        sizes = ends - starts
        for s, e in zip(starts[sizes > 1], ends[sizes > 1], strict=True):
            members = order[s:e]
            roots = {uf.find(int(m)) for m in members}
            if len(roots) == 1:
                continue  # already one group: no comparison can change it
            if len(members) <= 64:
                sub = signatures[members]
                sim = (sub[:, None, :] == sub[None, :, :]).mean(axis=2)
                for i, j in zip(*np.nonzero(np.triu(sim >= threshold, k=1)), strict=True):
                    uf.union(int(members[i]), int(members[j]))
            else:
                sim = (signatures[members[1:]] == signatures[members[0]]).mean(axis=1)
                for o in members[1:][sim >= threshold]:
                    uf.union(int(members[0]), int(o))
    return np.array([uf.find(i) for i in range(n)])


def text_key(text: str) -> str:
    """Hash of :func:`normalise_for_matching`: documents with the same key share their text."""
    return _key_of_normalised(normalise_for_matching(text))


def _key_of_normalised(normalised: str) -> str:
    return hashlib.blake2b(normalised.encode(), digest_size=16).hexdigest()


def document_keys(
    documents: pd.DataFrame, *, by_id: pd.Series, params: DedupeParams, seed: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Text keys of a chunk's documents and MinHash signatures of its distinct texts (a per-partition step).

    Each text is normalised once, for both its key (:func:`text_key`) and its signature.

    Returns
    -------
    doc_keys : DataFrame
        ``doc_id``, ``key`` and ``sealed_by_id`` (from ``by_id``) of every document.
    keys : ndarray of str
        The distinct keys, in first-seen order.
    signatures : ndarray of uint64, shape (len(keys), params.num_perm)
    """
    norm = documents["text"].map(normalise_for_matching)
    keys = norm.map(_key_of_normalised)
    first = ~keys.duplicated(keep="first").to_numpy()
    doc_keys = pd.DataFrame(
        {"doc_id": documents["doc_id"].to_numpy(), "key": keys.to_numpy(), "sealed_by_id": by_id.to_numpy()}
    )
    return doc_keys, keys[first].to_numpy(dtype=object), minhash_signatures(norm[first], params=params, seed=seed)


def text_group_table(
    doc_keys: pd.DataFrame, keys: np.ndarray, signatures: np.ndarray, *, threshold: float
) -> pd.DataFrame:
    """Group documents by exact and near-duplicate text, and seal by shared text (the global step).

    Parameters
    ----------
    doc_keys : DataFrame
        ``doc_id``, ``key`` (:func:`text_key`) and ``sealed_by_id`` of every document.
    keys, signatures : ndarray
        From :func:`document_keys`, chunks concatenated in document order; repeated
        keys are ignored.
    threshold : float
        Estimated Jaccard similarity at which two texts share a group.

    Returns
    -------
    DataFrame
        Indexed by ``doc_id``: ``text_group`` (smallest ``doc_id`` in the group),
        ``text_group_size``, ``sealed`` (its text is that of a document sealed by id) and
        ``sealed_group`` (its group holds a sealed document).
    """
    first = ~pd.Series(keys).duplicated(keep="first").to_numpy()
    distinct = keys[first]
    root_of_key = pd.Series(near_duplicate_groups(signatures[first], threshold=threshold), index=distinct)
    root = doc_keys["key"].map(root_of_key).to_numpy()
    out = doc_keys[["doc_id"]].copy()
    out["text_group"] = doc_keys.groupby(root)["doc_id"].transform("min").to_numpy()
    out["text_group_size"] = out.groupby("text_group")["doc_id"].transform("size").astype("int64")
    out["sealed"] = doc_keys["key"].isin(set(doc_keys.loc[doc_keys["sealed_by_id"], "key"])).to_numpy()
    out["sealed_group"] = out["text_group"].isin(set(out.loc[out["sealed"], "text_group"]))
    log.info(
        "text groups: %d documents, %d distinct texts, %d groups", len(out), len(distinct), out["text_group"].nunique()
    )
    return out.set_index("doc_id")


def sealed_by_id(documents: pd.DataFrame) -> pd.Series:
    """Say per document whether its own id (or one of its merged ids) is sealed (row-local)."""
    return pd.Series(
        [
            any(is_sealed_id(c, sid) for sid in members.split(";"))
            for c, members in zip(documents["collection"], documents["members"], strict=True)
        ],
        index=documents.index,
        dtype=bool,
    )


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
    table = _group_table(documents, by_id=pd.Series(False, index=documents.index), params=params, seed=seed)
    return documents.assign(
        text_group=documents["doc_id"].map(table["text_group"]).to_numpy(),
        text_group_size=documents["doc_id"].map(table["text_group_size"]).astype("int64").to_numpy(),
    )


def group_and_seal(documents: pd.DataFrame, *, params: DedupeParams, seed: int) -> pd.DataFrame:
    """:func:`assign_text_groups` and :func:`seal` in one pass over the texts.

    Returns
    -------
    DataFrame
        ``documents`` with ``text_group``, ``text_group_size``, ``sealed_by_id``, ``sealed``
        and ``sealed_group``.
    """
    by_id = sealed_by_id(documents)
    table = _group_table(documents, by_id=by_id, params=params, seed=seed)
    out = documents.assign(sealed_by_id=by_id)
    for col in ("text_group", "text_group_size", "sealed", "sealed_group"):
        out[col] = documents["doc_id"].map(table[col]).to_numpy()
    return out.astype({"text_group_size": "int64", "sealed": bool, "sealed_group": bool})


def _group_table(documents: pd.DataFrame, *, by_id: pd.Series, params: DedupeParams, seed: int) -> pd.DataFrame:
    doc_keys, distinct, sigs = document_keys(documents, by_id=by_id, params=params, seed=seed)
    return text_group_table(doc_keys, distinct, sigs, threshold=params.threshold)


def is_sealed_id(collection: str, source_id: str) -> bool:
    """Say whether ``collection:source_id`` is reserved for external evaluation.

    The rule (DEVELOPERS.md): the first 8 hex digits of ``sha256("collection:source_id")``,
    read as an integer, are divisible by 10. ``source_id`` is the dataset's own id as text.
    The rule applies to every collection, a researcher's own included, so that a tenth of
    any corpus stays reserved for evaluation outside the study.

    >>> is_sealed_id("fakes", "1914947530"), is_sealed_id("ucdp_iraq", "410923")
    (False, False)
    """
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
    out = documents.assign(sealed_by_id=sealed_by_id(documents))
    key = out["text"].map(text_key)
    out["sealed"] = key.isin(set(key[out["sealed_by_id"]]))
    out["sealed_group"] = out["text_group"].isin(set(out.loc[out["sealed"], "text_group"]))
    return out
