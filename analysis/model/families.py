"""The model families of ``train.family``: linear, encoder (fine-tuned) and distilled.

- ``linear``: :class:`analysis.model.classifier.EventClassifier`, calibrated linear models
  over word and character n-grams and the rules' votes.
- ``encoder``: :class:`EncoderClassifier`, the pinned small encoder fine-tuned on the gold
  training documents and a capped sample of weak and out-of-domain ones
  (:mod:`analysis.model.encoder`), with per-type thresholds tuned on dev.
- ``distilled``: the linear model, trained where the weak pool's labels come from the
  fine-tuned encoder instead of the rules (:mod:`analysis.model.teacher`). It predicts at the
  linear model's speed.
- ``mixture``: a type's family chosen per type (``train.type_family``, linear or distilled):
  the linear model, whose weak rows carry the teacher's labels for the distilled types only.

Every family keeps the same interface (``predict_proba``, ``thresholds``, ``refit``, the
back-off of rare types to the rules), so evaluation, prediction and the study do not
branch on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.labels.actors import actors_of
from analysis.labels.combine import apply_label_model
from analysis.labels.functions import apply_lfs, labeling_functions
from analysis.model import encoder as enc
from analysis.model.classifier import EventClassifier, learnable_types, train_classifier
from analysis.model.teacher import TeacherLabels, distilled_labels, labels_for, taught_by
from analysis.params import EncoderSpec, ModelSpec

log = logging.getLogger(__name__)

ENCODER_FORMAT = "analysis.encoder_classifier/1"  # the metadata tag of an encoder model file


class EncoderClassifier(EventClassifier):
    """The fine-tuned encoder as an event classifier: learned types from the encoder, rare ones from the rules.

    Parameters
    ----------
    spec : ModelSpec
        The model fields; ``spec.encoder`` says how to fine-tune.
    seed : int
        Seed of the shuffles, the dropout and the new head.
    """

    def fit(
        self,
        texts: pd.Series,
        labels: pd.DataFrame,
        *,
        sample_weight: np.ndarray | None = None,
        label_model: dict | None = None,
        learn: list[str] | None = None,
    ) -> EncoderClassifier:
        """Fine-tune on the gold rows of ``labels`` (all rows when it has no ``source`` column).

        ``spec.encoder.max_extra`` weakly labelled and out-of-domain rows (a seeded sample)
        join them; an out-of-domain row teaches only the military types (its other labels are NaN). Types
        back off to the rules as in :meth:`EventClassifier.fit`; a NaN label is left out of
        the loss.
        """
        spec: EncoderSpec = self.spec.encoder
        every_lf = [lf.name for lf in labeling_functions()]
        self.label_model = label_model or {"combine": "majority", "min_accuracy": 0.0, "voting_lfs": every_lf}
        learnable = learnable_types(labels, self.spec) if learn is None else [t for t in self.event_types if t in learn]
        self.models_ = {t: ("encoder" if t in learnable else "rules") for t in self.event_types}
        rows = _fine_tune_rows(labels, max_extra=spec.max_extra, seed=self.seed)
        weight = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        log.info("fine-tuning %s on %d documents for %s", spec.name, len(rows), ", ".join(learnable))
        self.net_, self.tokenizer_ = enc.fine_tune(
            pd.Series(list(texts)).iloc[rows],
            labels[learnable].iloc[rows].to_numpy(dtype=float, na_value=np.nan),
            sample_weight=weight[rows],
            spec=spec,
            seed=self.seed,
        )
        return self

    def learned_types(self) -> list[str]:
        """Return the types the encoder learned, in codebook order (the others back off to the rules)."""
        return [t for t in self.event_types if self.models_[t] != "rules"]

    def predict_proba(self, texts: pd.Series) -> pd.DataFrame:
        """Return probabilities, one column ``p_<type>`` per type (the back-off types' are 0 or 1)."""
        learned = self.learned_types()
        logits = enc.predict_logits(list(texts), net=self.net_, tokenizer=self.tokenizer_, spec=self.spec.encoder)
        proba = dict(zip(learned, enc.sigmoid(logits).T, strict=True))
        if len(learned) < len(self.event_types):
            weak = apply_label_model(apply_lfs(pd.Series(list(texts)), actors_of(self.label_model)), self.label_model)
            proba.update({t: weak[t].to_numpy(dtype=float) for t in self.event_types if t not in learned})
        return pd.DataFrame({f"p_{t}": proba[t] for t in self.event_types}, index=texts.index)

    def refit(
        self, texts: pd.Series, labels: pd.DataFrame, *, sample_weight: np.ndarray | None = None
    ) -> EncoderClassifier:
        """Return a new encoder fine-tuned on other data that keeps this one's learned types and thresholds."""
        new = EncoderClassifier(self.spec, seed=self.seed).fit(
            texts, labels, sample_weight=sample_weight, label_model=self.label_model, learn=self.learned_types()
        )
        return self.handover(new)

    def top_features(self, *, n: int) -> pd.DataFrame:
        """Return an empty frame (an encoder has no n-gram weights) with the linear family's columns."""
        return pd.DataFrame(columns=["event_type", "rank", "feature", "weight"])

    def state(self) -> tuple[dict, dict]:
        """Return the tensors and the metadata that :func:`analysis.model.persist.save` writes as safetensors."""
        tensors = {k: v.detach().contiguous() for k, v in self.net_.state_dict().items()}
        meta = {
            "format": ENCODER_FORMAT,
            "spec": _spec_dict(self.spec),
            "seed": self.seed,
            "models": self.models_,
            "thresholds": self.thresholds,
            "label_model": self.label_model,
        }
        return tensors, {"analysis": json.dumps(meta, sort_keys=True)}

    @classmethod
    def from_state(cls, tensors: dict, metadata: dict) -> EncoderClassifier:
        """Rebuild a saved encoder classifier (the inverse of :meth:`state`)."""
        meta = json.loads(metadata["analysis"])
        spec = ModelSpec(**{**meta["spec"], "encoder": EncoderSpec(**meta["spec"]["encoder"])})
        model = cls(spec, seed=meta["seed"])
        model.models_, model.thresholds, model.label_model = meta["models"], meta["thresholds"], meta["label_model"]
        _, transformers = enc._torch()
        model.tokenizer_ = transformers.AutoTokenizer.from_pretrained(str(enc.folder(spec.encoder)))
        model.net_ = enc.build_network(spec.encoder, len(model.learned_types()), seed=model.seed)
        model.net_.load_state_dict(tensors)
        model.net_.eval()
        return model


def load_encoder_file(path, data: bytes) -> EncoderClassifier:
    """Load an encoder model file (safetensors bytes ``data``), or raise one line saying why not.

    :func:`analysis.model.persist.load` calls it for a model file that is not a skops archive.

    Raises
    ------
    DataError
        Not a safetensors file, not an event classifier's, or PyTorch is missing.
    """
    try:  # safetensors: 8 bytes of header length, then a JSON header
        header = json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])
        metadata = header.get("__metadata__") or {}
    except (ValueError, AttributeError) as exc:
        raise DataError(f"{path}: neither a skops nor a safetensors model file ({exc})") from None
    if ENCODER_FORMAT not in metadata.get("analysis", ""):
        raise DataError(f"{path}: a safetensors file, but not an event classifier ({ENCODER_FORMAT})")
    try:
        from safetensors.torch import load as load_tensors
    except ImportError as exc:
        raise DataError(f"{path}: an encoder model file needs PyTorch ({exc.name} is missing)") from None
    return EncoderClassifier.from_state(load_tensors(data), metadata)


def _spec_dict(spec: ModelSpec) -> dict:
    """Return the spec as plain JSON types (the encoder's settings nested)."""
    out = {f: getattr(spec, f) for f in ModelSpec.__dataclass_fields__}
    out["encoder"] = {f: getattr(spec.encoder, f) for f in EncoderSpec.__dataclass_fields__}
    return out


def _fine_tune_rows(labels: pd.DataFrame, *, max_extra: int, seed: int) -> np.ndarray:
    """Positions of the rows to fine-tune on: every gold row, and ``max_extra`` other rows at most (seeded)."""
    if "source" not in labels:
        return np.arange(len(labels))
    source = labels["source"].to_numpy()
    extra = np.flatnonzero(np.isin(source, ["weak", "ood"]))  # gate-only sentence rows teach no type
    if len(extra) > max_extra:
        extra = np.sort(np.random.default_rng(seed).choice(extra, size=max_extra, replace=False))
    return np.sort(np.concatenate([np.flatnonzero(source == "gold"), extra]))


def train_encoder(
    train: pd.DataFrame, dev: pd.DataFrame, *, spec: ModelSpec, label_model: dict, grid: np.ndarray, seed: int
) -> tuple[EncoderClassifier, pd.DataFrame, pd.DataFrame]:
    """Fine-tune on the training set's gold rows (and ``max_extra`` others) and tune per-type thresholds on dev.

    The encoder is not refitted on train + dev (``train.refit_on_dev`` applies to the linear
    fits): a second fine-tune would double the stage's time.

    Returns
    -------
    tuple
        As :func:`analysis.model.classifier.train_classifier`: the model; the thresholds
        (``event_type``, ``model``, ``threshold``, ``dev_f1``, ``n_pos_dev``); and the dev
        probabilities (``doc_id`` and ``p_<type>``).
    """
    model = EncoderClassifier(spec, seed=seed).fit(
        train["text"], train, sample_weight=train["weight"].to_numpy(), label_model=label_model
    )
    dev_proba = model.predict_proba(dev["text"])
    thresholds = model.tune_thresholds(dev_proba, dev, grid=grid)
    return model, thresholds, pd.concat([dev[["doc_id"]], dev_proba.round(6)], axis=1)


def teach(
    frame: pd.DataFrame,
    *,
    spec: ModelSpec,
    label_model: dict,
    seed: int,
    fit: str,
    dev: pd.DataFrame | None = None,
    grid: np.ndarray | None = None,
    thresholds: dict | None = None,
) -> TeacherLabels:
    """Fine-tune a teacher on ``frame`` and return its labels for the frame's weak rows.

    Its cuts are tuned on ``dev`` (the saved model's teacher) or given (``thresholds``: a
    cross-fitted fold's teacher cuts at the saved teacher's, having no dev of its own).

    Returns
    -------
    TeacherLabels
        The weak rows' labels (``doc_id`` and one 0/1 column per learned type), the cuts, and
        the frame's fingerprint.
    """
    teacher = EncoderClassifier(spec, seed=seed).fit(
        frame["text"], frame, sample_weight=frame["weight"].to_numpy(), label_model=label_model
    )
    if thresholds is None:
        teacher.tune_thresholds(teacher.predict_proba(dev["text"]), dev, grid=grid)
    else:
        teacher.thresholds.update(thresholds)
    return taught_by(teacher, frame, fit=fit)


@dataclass(frozen=True)
class Family:
    """One model family of ``train.family``: how it trains and refits, and what its refits see.

    A new family is a :class:`Family` entry in :data:`FAMILIES` and its name in
    ``analysis/params/model.py: FAMILIES``; nothing downstream branches on the name.

    Attributes
    ----------
    train : callable
        ``(train, dev, *, spec, label_model, grid, refit_on_dev, seed, n_jobs, teachers)`` to
        ``(model, thresholds, dev_proba, train)``: the fitted model, its thresholds table, the
        train-only model's dev probabilities, and ``train`` with the labels it learned from.
    refit : callable
        ``(model, frame, teachers)`` to the model refitted on ``frame`` with the saved
        thresholds (the cross-fitted folds); ``teachers`` are the committed teacher labels, or None.
    refits_on_dev : bool
        Whether ``train.refit_on_dev`` applies: the saved model then saw dev, and so do the folds.
    """

    train: Callable[..., tuple[EventClassifier, pd.DataFrame, pd.DataFrame, pd.DataFrame]]
    refit: Callable[[EventClassifier, pd.DataFrame, list[TeacherLabels] | None], EventClassifier]
    refits_on_dev: bool


def _train_linear(train: pd.DataFrame, dev: pd.DataFrame, *, spec: ModelSpec, teachers=None, **linear):
    model, thresholds, dev_proba = train_classifier(train, dev, spec=spec, **linear)
    return model, thresholds, dev_proba, train


def _train_encoder(train: pd.DataFrame, dev: pd.DataFrame, *, spec: ModelSpec, label_model, grid, seed, **_):
    model, thresholds, dev_proba = train_encoder(train, dev, spec=spec, label_model=label_model, grid=grid, seed=seed)
    return model, thresholds, dev_proba, train


def _train_distilled(
    train: pd.DataFrame, dev: pd.DataFrame, *, spec: ModelSpec, teachers: list[TeacherLabels] | None = None, **linear
):
    """Relabel the weak rows of the distilled types by the teacher, then fit the linear model on them.

    ``teachers``: the teacher pipeline's committed labels (``train.teacher: committed``); none
    fine-tunes the teacher here (``fit``).
    """
    fit = {"label_model": linear["label_model"], "seed": linear["seed"], "dev": dev, "grid": linear["grid"]}
    taught = _taught(train, spec=spec, teachers=teachers, fit="train", **fit)
    train = distilled_labels(train, taught, spec.distilled_types())
    model, thresholds, dev_proba = train_classifier(train, dev, spec=spec, **linear)
    model.teacher_thresholds_ = dict(taught.thresholds)  # a cross-fitted refit's own teacher cuts at these
    return model, thresholds, dev_proba, train


def _taught(frame: pd.DataFrame, *, spec: ModelSpec, teachers: list[TeacherLabels] | None, **teach_args):
    """Return the committed teacher fitted on ``frame`` (``teachers`` given), else fine-tune one (:func:`teach`)."""
    if teachers is None:
        return teach(frame, spec=spec, **teach_args)
    return labels_for(teachers, frame, encoder=spec.encoder)


def _refit(model: EventClassifier, frame: pd.DataFrame, teachers: list[TeacherLabels] | None = None) -> EventClassifier:
    return model.refit(frame["text"], frame, sample_weight=frame["weight"].to_numpy())


def _refit_distilled(
    model: EventClassifier, frame: pd.DataFrame, teachers: list[TeacherLabels] | None = None
) -> EventClassifier:
    """Relabel ``frame``'s weak rows by a teacher of the fold's own (fitted on ``frame``), then refit.

    No held-out document's label reaches the refit through the teacher. (Its cuts are the
    saved teacher's, tuned on all of dev: ten numbers, not labels.) ``teachers``: the
    committed fold teachers; none fine-tunes one here.
    """
    fit = {"label_model": model.label_model, "seed": model.seed, "thresholds": model.teacher_thresholds_}
    taught = _taught(frame, spec=model.spec, teachers=teachers, fit="fold", **fit)
    return _refit(model, distilled_labels(frame, taught, model.spec.distilled_types()))


#: The families of ``train.family``, by name (``analysis/params/model.py: FAMILIES`` lists the same names).
FAMILIES: dict[str, Family] = {
    "linear": Family(train=_train_linear, refit=_refit, refits_on_dev=True),
    "encoder": Family(train=_train_encoder, refit=_refit, refits_on_dev=False),
    "distilled": Family(train=_train_distilled, refit=_refit_distilled, refits_on_dev=True),
    # linear per type, and distilled for the types of train.type_family: one linear model whose
    # weak rows carry the teacher's labels for the distilled types and the rules' for the rest
    "mixture": Family(train=_train_distilled, refit=_refit_distilled, refits_on_dev=True),
}


def family_of(model: EventClassifier) -> Family:
    """Return the :class:`Family` a saved model belongs to."""
    return FAMILIES[model.spec.family]


def train_model(
    train: pd.DataFrame,
    dev: pd.DataFrame,
    *,
    spec: ModelSpec,
    label_model: dict,
    grid: np.ndarray,
    refit_on_dev: bool,
    seed: int,
    n_jobs: int = 1,
    teachers: list[TeacherLabels] | None = None,
) -> tuple[EventClassifier, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Train the family of ``spec.family`` (:data:`FAMILIES`), tune its thresholds on dev.

    ``teachers``: the committed teacher labels of the distilled types (``train.teacher:
    committed``); none fine-tunes the teacher where a family needs one.

    Returns
    -------
    tuple
        The model, its thresholds table (as :func:`analysis.model.classifier.train_classifier`,
        with each type's ``family`` after ``model``: ``rules`` for a back-off type), its dev
        probabilities, and the training labels it
        learned from: ``doc_id`` and one boolean (or NaN) column per type, one row per row of
        ``train`` (the distilled family's weak rows carry the encoder's labels).
    """
    model, thresholds, dev_proba, learned_from = FAMILIES[spec.family].train(
        train,
        dev,
        spec=spec,
        label_model=label_model,
        grid=grid,
        refit_on_dev=refit_on_dev,
        seed=seed,
        n_jobs=n_jobs,
        teachers=teachers,
    )
    family = thresholds["event_type"].map(spec.type_families()).where(thresholds["model"] != "rules", "rules")
    thresholds.insert(2, "family", family)
    return model, thresholds, dev_proba, learned_from[["doc_id", *model.event_types]]


def refit_model(
    model: EventClassifier, frame: pd.DataFrame, *, teachers: list[TeacherLabels] | None = None
) -> EventClassifier:
    """Refit a saved model of any family on ``frame`` (a training set), as the cross-fitted folds need.

    ``teachers``: the committed fold teachers of a distilled or mixture model; none fine-tunes one.

    Returns
    -------
    EventClassifier
        The refitted model, with the saved model's thresholds and learned types.
    """
    return family_of(model).refit(model, frame, teachers)
