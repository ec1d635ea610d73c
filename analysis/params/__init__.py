"""Typed, validated access to ``params.yaml``: one frozen dataclass per section.

Each stage reads its own section through :func:`load_params`. :func:`check_params`
reads them all, rejects unknown sections and checks what spans sections (a study
window for a collection that is not declared), so a bad value stops ``make repro``
before any stage runs. Errors are one line naming the key (:mod:`analysis.config`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import paths
from analysis.config import build, check, read_yaml
from analysis.errors import ParamsError
from analysis.params.base import ENGINES, BaseParams, EngineParams
from analysis.params.corpus import (
    FORMATS,
    KIND_COLUMNS,
    KIND_OPTIONAL_COLUMNS,
    AcquireParams,
    CleanParams,
    CollectionSpec,
    DedupeParams,
    LanguageParams,
    SourceSpec,
    YearWindow,
)
from analysis.params.model import (
    COMBINERS,
    ENCODERS,
    FAMILIES,
    SPLIT_STRATA,
    CrossfitParams,
    EncoderSpec,
    EvaluateParams,
    FeaturesParams,
    GoldParams,
    ModelSpec,
    OodParams,
    TrainParams,
    WeakLabelParams,
)
from analysis.params.report import BenchmarkParams, BenchmarkTask, KeyDate, ReportParams, WordCheck

SECTIONS: dict[str, type] = {
    "base": BaseParams,
    "engine": EngineParams,
    "acquire": AcquireParams,
    "clean": CleanParams,
    "gold": GoldParams,
    "weak_label": WeakLabelParams,
    "features": FeaturesParams,
    "ood": OodParams,
    "train": TrainParams,
    "evaluate": EvaluateParams,
    "crossfit": CrossfitParams,
    "report": ReportParams,
    "benchmark": BenchmarkParams,
}


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
    return build(SECTIONS[section], data[section], section)


def check_params(*, path: Path = paths.PARAMS) -> dict[str, Any]:
    """Load every section and check what spans sections; the first problem is a one-line error.

    Returns
    -------
    dict of str to dataclass
        Every section, loaded.

    Raises
    ------
    ParamsError
        An unknown or missing section, a bad value in any section, or a per-collection
        setting (``clean.study_window``, ``report.dynamics_windows``) naming a collection
        that ``acquire.collections`` does not declare as ``event_reports``.
    """
    data = read_yaml(path)
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise ParamsError(f"{path}: unknown section(s) {unknown}; known: {sorted(SECTIONS)}")
    missing = [s for s in SECTIONS if s not in data]
    if missing:
        raise ParamsError(f"{path}: missing section(s) {missing}")
    loaded = {name: build(cls, data[name], name) for name, cls in SECTIONS.items()}
    events = set(loaded["acquire"].of_kind("event_reports"))
    for key, names in (
        ("clean.study_window", loaded["clean"].study_window),
        ("report.dynamics_windows", loaded["report"].dynamics_windows),
        ("report.word_checks", [w.collection for w in loaded["report"].word_checks]),
    ):
        bad = sorted(set(names) - events)
        check(not bad, key, f"{bad}: not event_reports collections of acquire.collections ({sorted(events)})")
    declared = {c.name for c in loaded["acquire"].collections}
    unknown = sorted(set(loaded["report"].key_dates) - declared)
    check(not unknown, "report.key_dates", f"{unknown}: not collections of acquire.collections ({sorted(declared)})")
    strata = set(loaded["gold"].test_strata)
    check(
        not strata & set(loaded["crossfit"].strata),
        "crossfit.strata",
        "must not include a test stratum (gold.test_strata): the test set is scored, never estimated on",
    )
    unknown_tasks = sorted(set(loaded["ood"].tasks) - set(loaded["benchmark"].tasks))
    check(
        not unknown_tasks,
        "ood.tasks",
        f"{unknown_tasks} are not tasks of benchmark.tasks (where their files are pinned)",
    )
    return loaded


__all__ = [
    "COMBINERS",
    "ENCODERS",
    "FAMILIES",
    "ENGINES",
    "FORMATS",
    "KIND_COLUMNS",
    "KIND_OPTIONAL_COLUMNS",
    "SECTIONS",
    "SPLIT_STRATA",
    "AcquireParams",
    "BaseParams",
    "EncoderSpec",
    "BenchmarkParams",
    "BenchmarkTask",
    "CleanParams",
    "CollectionSpec",
    "DedupeParams",
    "EngineParams",
    "EvaluateParams",
    "FeaturesParams",
    "GoldParams",
    "CrossfitParams",
    "KeyDate",
    "LanguageParams",
    "ModelSpec",
    "OodParams",
    "ParamsError",
    "ReportParams",
    "SourceSpec",
    "TrainParams",
    "WeakLabelParams",
    "WordCheck",
    "YearWindow",
    "check_params",
    "load_params",
]
