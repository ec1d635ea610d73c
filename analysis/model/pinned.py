"""A classifier pinned by its file: brought in, verified, checked against the codebook; never trained.

A pipeline with ``classifier.source: pinned`` (``own_study/dvc.yaml``) measures a researcher's
collections alone with a model file this package wrote, such as the study's
``data/models/event_classifier.skops``. The file is verified by its sha256 like any pinned
input (:mod:`analysis.corpus.sources`), and its recorded codebook must be this package's,
version and types, so that a type never silently means something else.

The pinned model saw none of the researcher's documents, so its predictions on their gold
sample are already out of sample: :func:`out_of_sample` is the pinned equivalent of the
cross-fitted predictions that PPI++ needs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.codebook import CODEBOOK_VERSION, EVENT_TYPES
from analysis.corpus import sources
from analysis.documents import eligible
from analysis.errors import DataError
from analysis.model import persist
from analysis.params import ClassifierParams


def check_codebook(record: dict, *, where: str) -> None:
    """Refuse a model whose recorded codebook is not this package's (version and types, in order).

    Raises
    ------
    DataError
        One line naming ``where``, the file's codebook and this package's.
    """
    version, types = record.get("codebook_version"), record.get("event_types")
    if version != CODEBOOK_VERSION:
        raise DataError(
            f"{where}: the model was trained under codebook version {version}; this package reads "
            f"version {CODEBOOK_VERSION} (docs/codebook.md): use a model file of this version"
        )
    if types != list(EVENT_TYPES):
        raise DataError(f"{where}: the model's event types {types} are not the codebook's {list(EVENT_TYPES)}")


def install(params: ClassifierParams, dest: Path, *, mirror: Path | None, retries: int, timeout_s: float) -> dict:
    """Bring the pinned model file to ``dest``, verified by sha256, its codebook checked, loadable.

    Nothing is left at ``dest`` when a check fails.

    Returns
    -------
    dict
        The model card: ``source``, ``location`` (the path or URL), ``sha256``,
        ``codebook_version``, ``event_types`` and ``learned_types`` (the types the model
        learned; the others back off to the weak-label rules).
    """
    spec = params.file_source()
    got = sources.acquire(spec, Path(dest).parent, mirror=mirror, retries=retries, timeout_s=timeout_s)
    if got != Path(dest):
        got.replace(dest)
    try:
        record = persist.codebook_of(dest)
        check_codebook(record, where=params.path or params.url or spec.name)
        model = persist.load(dest)
    except DataError:
        Path(dest).unlink(missing_ok=True)
        raise
    return {
        "source": "pinned",
        "location": params.path or params.url,
        "sha256": params.sha256,
        **record,
        "learned_types": list(model.learned_types()),
    }


def out_of_sample(documents: pd.DataFrame, predictions: pd.DataFrame) -> pd.DataFrame:
    """Return the pinned model's predictions of every eligible document, shaped like the cross-fitted ones.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id`` and the eligibility columns (:data:`analysis.documents.ELIGIBILITY_COLUMNS`).
    predictions : DataFrame
        The ``predict`` stage's output: ``doc_id``, one boolean column per type and ``p_<type>``.

    Returns
    -------
    DataFrame
        ``doc_id``, ``fold`` (0: one fold, the model saw none of them), one boolean column per
        type and ``p_<type>``, sorted by ``doc_id``.
    """
    population = eligible(documents)[["doc_id"]]
    out = population.merge(predictions, on="doc_id", how="left", validate="one_to_one")
    out.insert(1, "fold", 0)
    return out[["doc_id", "fold", *EVENT_TYPES, *(f"p_{t}" for t in EVENT_TYPES)]].sort_values(
        "doc_id", ignore_index=True
    )
