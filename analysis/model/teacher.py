"""The teacher's labels: what a fine-tuned encoder says about the weak rows of one training frame.

The distilled family, and the distilled types of the ``mixture`` family, learn their weak
rows' labels from a fine-tuned encoder, the teacher, instead of from the rules. The study needs
one teacher per fit: one for the saved model (fitted on train, its cuts tuned on dev) and one
per cross-fitted fold (fitted without the fold, so that no held-out document's label reaches
the fold's model through the teacher, and PPI++ stays valid). A fine-tune takes about a
quarter of an hour on 2 CPU cores, so ``train.teacher: committed`` reads the teacher
pipeline's committed outputs (``teacher/dvc.yaml``, ``make teacher``) instead of
fine-tuning inside the study's stages (``train.teacher: fit``).

Each fit's labels are found by the fingerprint of the frame it was fitted on (its rows' ids
and texts), and carry the encoder settings they were made with: a file that no longer
matches the study's training data or settings is refused with a one-line error, never used.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.io import write_csv, write_text
from analysis.params import EncoderSpec, ModelSpec

log = logging.getLogger(__name__)

TEACHER_FORMAT = "analysis.teacher_labels/1"  # the format tag of a teacher's metadata file


@dataclass(frozen=True)
class TeacherLabels:
    """One fitted teacher's labels for the weak rows of the frame it was fitted on.

    Attributes
    ----------
    fit : str
        Which fit: ``train`` (the saved model's) or ``fold_<k>`` (a cross-fitted fold's).
    fingerprint : str
        :func:`frame_fingerprint` of the frame the teacher was fitted on.
    thresholds : dict
        The teacher's cut per learned type (tuned on dev for ``train``; the folds reuse them).
    encoder : dict
        The ``train.encoder`` settings it was fine-tuned with.
    labels : DataFrame
        ``doc_id`` and one 0/1 column per type the teacher learned, one row per weak row.
    """

    fit: str
    fingerprint: str
    thresholds: dict
    encoder: dict
    labels: pd.DataFrame


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """Return a sha256 of the frame's rows (``doc_id`` and ``text``, in order): which documents a fit saw."""
    digest = hashlib.sha256()
    for doc_id, text in zip(frame["doc_id"], frame["text"], strict=True):
        digest.update(f"{doc_id}\x1f{text}\x1e".encode())
    return digest.hexdigest()


def encoder_settings(spec: EncoderSpec) -> dict:
    """Return the encoder settings a teacher's labels depend on, as plain JSON types."""
    return {f: getattr(spec, f) for f in EncoderSpec.__dataclass_fields__ if f != "device"}


def taught_by(model, frame: pd.DataFrame, *, fit: str) -> TeacherLabels:
    """Return a fitted teacher's labels for the weak rows of ``frame``, at the teacher's thresholds.

    Parameters
    ----------
    model : EncoderClassifier
        The fitted teacher, its thresholds set.
    frame : DataFrame
        The frame it was fitted on (``doc_id``, ``source``, ``text``).
    """
    weak = frame[(frame["source"] == "weak").to_numpy()]
    learned = model.learned_types()
    if weak.empty:  # nothing to relabel (a gold-only training set)
        predicted = pd.DataFrame({t: pd.Series(dtype=int) for t in learned})
    else:
        predicted = model.predict(weak["text"])[learned].astype(int).reset_index(drop=True)
    labels = pd.concat([weak[["doc_id"]].reset_index(drop=True), predicted], axis=1)
    log.info("teacher %s: %d weak documents, positives %s", fit, len(weak), predicted.sum().to_dict())
    thresholds = {t: float(model.thresholds[t]) for t in learned}
    return TeacherLabels(fit, frame_fingerprint(frame), thresholds, encoder_settings(model.spec.encoder), labels)


def distilled_labels(frame: pd.DataFrame, taught: TeacherLabels, types: tuple[str, ...]) -> pd.DataFrame:
    """Return ``frame`` with its weak rows' labels of ``types`` replaced by the teacher's.

    Gold rows, out-of-domain rows and the types the teacher did not learn keep their labels.

    Returns
    -------
    DataFrame
        ``frame``, same rows and columns.

    Raises
    ------
    DataError
        If a weak row of ``frame`` has no teacher label.
    """
    out = frame.copy()
    weak = (out["source"] == "weak").to_numpy()
    types = [t for t in types if t in taught.labels.columns]
    if not weak.any() or not types:
        return out
    by_id = taught.labels.set_index("doc_id")
    missing = ~out.loc[weak, "doc_id"].isin(by_id.index)
    if missing.any():
        first = out.loc[weak, "doc_id"][missing.to_numpy()].iloc[0]
        raise DataError(f"teacher {taught.fit}: no label for weak document {first} ({int(missing.sum())} missing)")
    taught_rows = by_id.loc[out.loc[weak, "doc_id"], types]
    for t in types:  # keep each column's dtype (nullable booleans)
        out.loc[weak, t] = taught_rows[t].astype(bool).to_numpy()
    return out


def labels_for(teachers: list[TeacherLabels], frame: pd.DataFrame, *, encoder: EncoderSpec) -> TeacherLabels:
    """Return the committed teacher fitted on exactly ``frame``, or raise one line saying what to re-run.

    Raises
    ------
    DataError
        No teacher was fitted on this frame (the study's training data changed since
        ``make teacher``), or it was fitted with other ``train.encoder`` settings.
    """
    fingerprint = frame_fingerprint(frame)
    match = [t for t in teachers if t.fingerprint == fingerprint]
    if not match:
        fits = ", ".join(t.fit for t in teachers) or "none"
        raise DataError(
            f"teacher/labels: no teacher was fitted on this training frame ({len(frame)} rows; committed: {fits}); "
            "the training data changed since: re-run `make teacher` and commit teacher/"
        )
    if match[0].encoder != encoder_settings(encoder):
        raise DataError(
            f"teacher/labels/{match[0].fit}.json: made with other train.encoder settings; re-run `make teacher`"
        )
    return match[0]


def write_teacher(folder: Path, taught: TeacherLabels) -> None:
    """Write ``<fit>.csv`` (the labels) and ``<fit>.json`` (fingerprint, cuts, settings) in ``folder``, atomically."""
    meta = {
        "format": TEACHER_FORMAT,
        "fit": taught.fit,
        "fingerprint": taught.fingerprint,
        "thresholds": taught.thresholds,
        "encoder": taught.encoder,
        "n_documents": len(taught.labels),
    }
    write_csv(folder / f"{taught.fit}.csv", taught.labels)
    write_text(folder / f"{taught.fit}.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")


def read_teachers(folder: Path) -> list[TeacherLabels]:
    """Read every committed teacher under ``folder`` (``<fit>.json`` beside ``<fit>.csv``).

    Raises
    ------
    DataError
        The folder holds no teacher, or a file is not a teacher's.
    """
    metas = sorted(folder.glob("*.json"))
    if not metas:
        raise DataError(f"{folder}: no teacher labels; run `make teacher` (or set train.teacher: fit)")
    out = []
    for path in metas:
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise DataError(f"{path}: not JSON ({exc})") from None
        if meta.get("format") != TEACHER_FORMAT:
            raise DataError(f"{path}: not a teacher's labels (format {meta.get('format')!r}, need {TEACHER_FORMAT})")
        labels = pd.read_csv(path.with_suffix(".csv"), dtype={"doc_id": str})
        out.append(TeacherLabels(meta["fit"], meta["fingerprint"], meta["thresholds"], meta["encoder"], labels))
    return out


def committed_teachers(spec: ModelSpec, source: str, folder: Path) -> list[TeacherLabels] | None:
    """Return the committed teachers if the model has distilled types and ``train.teacher`` is ``committed``.

    Returns
    -------
    list of TeacherLabels or None
        None: the model needs no teacher, or its stages fine-tune their own (``fit``).
    """
    if not spec.distilled_types() or source != "committed":
        return None
    return read_teachers(folder)
