"""Large synthetic corpora for the scale benchmark: the real corpus resampled and perturbed.

A corpus of ``n`` rows is drawn from the rows of the real sources that became
documents, with replacement and in the real collection shares, by a seeded
generator. Each drawn row gets a fresh id (``1000000000 + position``; so sealing
is re-drawn too) and its text is perturbed: every lower-case word is deleted
with probability ``drop_word`` (ids, dates, outlets and the UCDP field
separators are never touched). Copies that lose no word stay exact duplicates
of each other, lightly perturbed copies become near-duplicates, and the rest are
distinct texts, so deduplication has real work at every size. The files are
written as CSV in each collection's own column names (an ``.rda`` collection too), so
the same readers and cleaning functions run on them; :func:`scaled_specs` describes them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.collections import kind_of
from analysis.io import write_csv
from analysis.params import AcquireParams, CollectionSpec

_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-]) ?")
#: Per kind, the logical columns whose text is perturbed.
PERTURBED = {"articles": ("title", "text"), "event_reports": ("source_article", "source_headline")}


def perturb_text(text: str, *, rng: np.random.Generator, drop_word: float) -> str:
    """Delete each lower-case word of ``text`` with probability ``drop_word``.

    >>> perturb_text("Troops advance on Mosul", rng=np.random.default_rng(0), drop_word=0.0)
    'Troops advance on Mosul'
    """
    if drop_word <= 0:
        return text
    return _WORD.sub(lambda m: "" if rng.random() < drop_word else m.group(0), text)


def scaled_sources(
    raw: dict[str, pd.DataFrame],
    ledger: pd.DataFrame,
    *,
    acquire: AcquireParams,
    n_rows: int,
    seed: int,
    drop_word: float = 0.03,
) -> dict[str, pd.DataFrame]:
    """Resample and perturb the real sources into ``n_rows`` input rows.

    Parameters
    ----------
    raw : dict of str to DataFrame
        Reader outputs keyed by collection (:func:`analysis.corpus.build.read_sources`).
    ledger : DataFrame
        The real corpus's ledger; only rows kept as documents are drawn.
    acquire : AcquireParams
        The collections (their kinds and column mappings).
    n_rows : int
        Rows in the synthetic corpus, split across collections in the real shares.
    seed : int
        Seed of the generator (draws and perturbations).
    drop_word : float
        Probability of deleting each lower-case word.

    Returns
    -------
    dict of str to DataFrame
        Per collection, the rows in the file's own column names (its mapping's targets).
    """
    rng = np.random.default_rng(seed)
    kept = ledger[ledger["fate"] == "kept"]
    pools = {c: frame[frame["row"].isin(kept.loc[kept["collection"] == c, "row"])] for c, frame in raw.items()}
    total = sum(len(p) for p in pools.values())
    specs = {spec.name: spec for spec in acquire.collections}
    out = {}
    for collection, pool in pools.items():
        spec = specs[collection]
        mapping = spec.column_map()
        fields = kind_of(spec).FIELDS
        n = round(n_rows * len(pool) / total)
        sample = pool.iloc[rng.integers(0, len(pool), size=n)].reset_index(drop=True)
        frame = pd.DataFrame({mapping[k]: sample[fields[k]] for k in mapping})
        frame[mapping["id"]] = [str(1_000_000_000 + i) for i in range(n)]
        for key in PERTURBED[spec.kind]:
            frame[mapping[key]] = [perturb_text(t, rng=rng, drop_word=drop_word) for t in frame[mapping[key]]]
        out[collection] = frame
    return out


def scaled_specs(acquire: AcquireParams, corpus_dir: Path) -> dict[str, tuple[CollectionSpec, Path]]:
    """Return the collections of a scaled corpus in ``<corpus_dir>/<name>.csv``: each spec, as CSV."""
    return {
        spec.name: (
            replace(spec, file=f"{spec.name}.csv", format="csv", rda_object=None),
            Path(corpus_dir) / f"{spec.name}.csv",
        )
        for spec in acquire.collections
    }


def write_scaled_sources(sources: dict[str, pd.DataFrame], directory: Path) -> dict[str, Path]:
    """Write each synthetic source as ``<collection>.csv`` in ``directory``; return the paths."""
    written = {}
    for collection, frame in sources.items():
        written[collection] = Path(directory) / f"{collection}.csv"
        write_csv(written[collection], frame)
    return written
