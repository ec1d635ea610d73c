"""Typed, validated access to ``params.yaml``: one frozen dataclass per section.

Each stage reads its own section through :func:`load_params`. :func:`check_params`
reads them all, rejects unknown sections and checks what spans sections (a study
window for a collection that is not declared), so a bad value stops ``make repro``
before any stage runs. Errors are one line naming the key (:mod:`analysis.config`).
"""

from __future__ import annotations

import dataclasses
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
    CLASSIFIER_SOURCES,
    COMBINERS,
    ENCODERS,
    FAMILIES,
    SPLIT_STRATA,
    ClassifierParams,
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
    "classifier": ClassifierParams,
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
#: What a pipeline with a pinned classifier reads (``own_study/``): no gold, training or
#: evaluation of the study's. Its gold rounds are the researcher's (``GoldParams`` defaults).
PINNED_SECTIONS = ("base", "engine", "acquire", "clean", "classifier", "report")


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
        If the section is absent (and not every key has a default: ``gold`` in a pipeline with
        a pinned classifier), has unknown or missing keys, or holds a bad value.
    """
    if section not in SECTIONS:
        raise ParamsError(f"unknown params section {section!r}; known: {sorted(SECTIONS)}")
    data = read_yaml(path)
    if section not in data and _all_defaults(SECTIONS[section]):
        return SECTIONS[section]()
    if section not in data:
        raise ParamsError(f"{path}: missing section {section!r}")
    return build(SECTIONS[section], data[section], section)


def _all_defaults(cls: type) -> bool:
    """Return whether every field of the dataclass ``cls`` has a default (the section may be left out)."""
    return all(
        f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        for f in dataclasses.fields(cls)
    )


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
    classifier = build(ClassifierParams, data.get("classifier", {}), "classifier")
    wanted = PINNED_SECTIONS if classifier.source == "pinned" else tuple(SECTIONS)
    missing = [s for s in wanted if s not in data]
    if missing:
        raise ParamsError(f"{path}: missing section(s) {missing}")
    unused = sorted(set(data) - set(wanted))
    if unused:
        raise ParamsError(
            f"{path}: section(s) {unused} are not read with classifier.source: pinned (nothing is trained); remove them"
        )
    loaded = {name: build(SECTIONS[name], data[name], name) for name in wanted}
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
    if classifier.source == "pinned":
        return loaded
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
    "CLASSIFIER_SOURCES",
    "COMBINERS",
    "ENCODERS",
    "FAMILIES",
    "ENGINES",
    "FORMATS",
    "KIND_COLUMNS",
    "KIND_OPTIONAL_COLUMNS",
    "PINNED_SECTIONS",
    "SECTIONS",
    "SPLIT_STRATA",
    "AcquireParams",
    "BaseParams",
    "EncoderSpec",
    "BenchmarkParams",
    "BenchmarkTask",
    "ClassifierParams",
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
