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
and texts), and carry the encoder settings they were made with. A frame that grew since (a
researcher's corpus added beside the study's) is served by a teacher when the frame still
holds, texts unchanged, every row the teacher could learn from (gold, weak, out-of-domain),
so no document a fit holds out reached its teacher; the added weak rows keep the rules'
labels, counted in a warning. A file that no longer matches otherwise (a row gone or changed, other
settings) is refused with a one-line error, never used.
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

TEACHER_FORMAT = "analysis.teacher_labels/2"  # the format tag of a teacher's metadata file

#: The rows of a training frame a teacher can learn from: every row with type labels (the
#: out-of-domain gate's sentence rows teach no type).
SEEN_SOURCES = ("gold", "weak", "ood")


@dataclass(frozen=True)
class TeacherLabels:
    """One fitted teacher's labels for the weak rows of the frame it was fitted on.

    Attributes
    ----------
    fit : str
        Which fit: ``train`` (the saved model's) or ``fold_<k>`` (a cross-fitted fold's).
    fingerprint : str
        :func:`frame_fingerprint` of the frame the teacher was fitted on.
    seen_fingerprint : str
        :func:`frame_fingerprint` of that frame's rows of :data:`SEEN_SOURCES`, in the order of ``seen``.
    thresholds : dict
        The teacher's cut per learned type (tuned on dev for ``train``; the folds reuse them).
    encoder : dict
        The ``train.encoder`` settings it was fine-tuned with.
    labels : DataFrame
        ``doc_id`` and one 0/1 column per type the teacher learned, one row per weak row.
    seen : DataFrame
        ``doc_id`` and ``source`` of every row it could learn from (:data:`SEEN_SOURCES`).
    """

    fit: str
    fingerprint: str
    seen_fingerprint: str
    thresholds: dict
    encoder: dict
    labels: pd.DataFrame
    seen: pd.DataFrame


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
    return teacher_labels(fit, frame, thresholds, encoder_settings(model.spec.encoder), labels)


def teacher_labels(
    fit: str, frame: pd.DataFrame, thresholds: dict, encoder: dict, labels: pd.DataFrame
) -> TeacherLabels:
    """Return the :class:`TeacherLabels` of a teacher fitted on ``frame``: its labels, and the rows it saw."""
    seen = frame[frame["source"].isin(SEEN_SOURCES).to_numpy()]
    return TeacherLabels(
        fit,
        frame_fingerprint(frame),
        frame_fingerprint(seen),
        thresholds,
        encoder,
        labels.reset_index(drop=True),
        seen[["doc_id", "source"]].reset_index(drop=True),
    )


def distilled_labels(frame: pd.DataFrame, taught: TeacherLabels, types: tuple[str, ...]) -> pd.DataFrame:
    """Return ``frame`` with its weak rows' labels of ``types`` replaced by the teacher's.

    Gold rows, out-of-domain rows, weak rows the teacher did not label (added to the frame
    since it was fitted; :func:`labels_for` counts them) and the types the teacher did not
    learn keep their labels.

    Returns
    -------
    DataFrame
        ``frame``, same rows and columns.
    """
    out = frame.copy()
    weak = (out["source"] == "weak").to_numpy()
    types = [t for t in types if t in taught.labels.columns]
    if not weak.any() or not types:
        return out
    by_id = taught.labels.set_index("doc_id")
    rows = weak & out["doc_id"].isin(by_id.index).to_numpy()
    taught_rows = by_id.loc[out.loc[rows, "doc_id"], types]
    for t in types:  # keep each column's dtype (nullable booleans)
        out.loc[rows, t] = taught_rows[t].astype(bool).to_numpy()
    return out


def labels_for(teachers: list[TeacherLabels], frame: pd.DataFrame, *, encoder: EncoderSpec) -> TeacherLabels:
    """Return the committed teacher of ``frame``, or raise one line saying what to re-run.

    The teacher fitted on exactly ``frame``; failing that, of the teachers whose every row
    it could learn from (gold, weak and out-of-domain, :data:`SEEN_SOURCES`) ``frame`` still
    holds with the same text, the one labelling most of its weak rows: a frame that grew
    since (a researcher's corpus beside the study's), whose added weak rows keep the rules'
    labels, with a warning. Either way the teacher learnt from no row outside ``frame``, so
    no document a fit holds out (a cross-fitted fold, dev, test) reaches it through its teacher.

    Raises
    ------
    DataError
        No teacher fits (a row it saw left the frame or changed since ``make teacher``), or
        it was fitted with other ``train.encoder`` settings.
    """
    fingerprint = frame_fingerprint(frame)
    match = [t for t in teachers if t.fingerprint == fingerprint]
    if not match:
        match = sorted((t for t in teachers if _within(t, frame)), key=lambda t: (-len(t.labels), t.fit))[:1]
    if not match:
        fits = ", ".join(t.fit for t in teachers) or "none"
        raise DataError(
            f"teacher/labels: no teacher saw only rows of this training frame ({len(frame)} rows; committed: {fits}); "
            "the training data changed since: re-run `make teacher` and commit teacher/"
        )
    if match[0].encoder != encoder_settings(encoder):
        raise DataError(
            f"teacher/labels/{match[0].fit}.json: made with other train.encoder settings; re-run `make teacher`"
        )
    weak_ids = frame.loc[(frame["source"] == "weak").to_numpy(), "doc_id"]
    untaught = int((~weak_ids.isin(match[0].labels["doc_id"])).sum())
    if untaught:
        log.warning(
            "teacher/labels/%s: %d of this frame's %d weak documents were added since it was fitted; they keep "
            "the rules' labels for the distilled types (`make teacher` refits it on them all)",
            match[0].fit,
            untaught,
            len(weak_ids),
        )
    return match[0]


def _within(taught: TeacherLabels, frame: pd.DataFrame) -> bool:
    """Whether ``frame`` holds every row the teacher could learn from, each with the text it had then."""
    rows = frame.drop_duplicates("doc_id").set_index("doc_id")
    ids = taught.seen["doc_id"]
    if not ids.isin(rows.index).all():
        return False
    texts = rows.loc[ids, "text"].to_numpy()
    return frame_fingerprint(pd.DataFrame({"doc_id": ids, "text": texts})) == taught.seen_fingerprint


def write_teacher(folder: Path, taught: TeacherLabels) -> None:
    """Write ``<fit>.csv`` and ``<fit>.json`` in ``folder``, atomically.

    ``<fit>.csv``: ``doc_id``, ``source`` and the teacher's 0/1 labels, one row per row it
    could learn from (labels on the weak rows only; no text). ``<fit>.json``: fingerprints,
    cuts and encoder settings.
    """
    meta = {
        "format": TEACHER_FORMAT,
        "fit": taught.fit,
        "fingerprint": taught.fingerprint,
        "seen_fingerprint": taught.seen_fingerprint,
        "thresholds": taught.thresholds,
        "encoder": taught.encoder,
        "n_documents": len(taught.labels),
        "n_seen": len(taught.seen),
    }
    rows = taught.seen.merge(taught.labels.astype({t: "Int64" for t in taught.labels.columns[1:]}), how="left")
    write_csv(folder / f"{taught.fit}.csv", rows)
    write_text(folder / f"{taught.fit}.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")


def read_teachers(folder: Path, fits: tuple[str, ...] | None = None) -> list[TeacherLabels]:
    """Read the committed teachers under ``folder`` (``<fit>.json`` beside ``<fit>.csv``): all, or those of ``fits``.

    Raises
    ------
    DataError
        The folder holds no teacher, or a file is not a teacher's (or of an older format).
    """
    metas = sorted(p for p in folder.glob("*.json") if fits is None or p.stem in fits)
    if not metas:
        raise DataError(f"{folder}: no teacher labels; run `make teacher` (or set train.teacher: fit)")
    out = []
    for path in metas:
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise DataError(f"{path}: not JSON ({exc})") from None
        if meta.get("format") != TEACHER_FORMAT:
            raise DataError(
                f"{path}: not a teacher's labels of this version (format {meta.get('format')!r}, need "
                f"{TEACHER_FORMAT}); re-run `make teacher`"
            )
        rows = pd.read_csv(path.with_suffix(".csv"), dtype={"doc_id": str, "source": str})
        weak = rows[rows["source"] == "weak"].drop(columns="source").reset_index(drop=True)
        labels = weak.astype({t: int for t in meta["thresholds"]})
        fields = ("fit", "fingerprint", "seen_fingerprint", "thresholds", "encoder")
        out.append(TeacherLabels(*(meta[f] for f in fields), labels=labels, seen=rows[["doc_id", "source"]]))
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
