"""The output sections: the study's ``report``, and the external yardstick's ``benchmark``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.codebook import EVENT_TYPES
from analysis.config import check
from analysis.params.corpus import SourceSpec
from analysis.params.model import ENCODERS

_SHA256 = re.compile(r"[0-9a-f]{64}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class KeyDate:
    """A date marked on time-series figures."""

    date: str
    label: str

    def __post_init__(self) -> None:
        check(bool(_ISO_DATE.fullmatch(self.date)), "report.key_dates", f"date must be YYYY-MM-DD, got {self.date!r}")


@dataclass(frozen=True)
class WordCheck:
    """A question put to the texts: does any document of a collection's window carry a type's words."""

    collection: str
    event_type: str
    start: str
    end: str
    label: str

    def __post_init__(self) -> None:
        check(self.event_type in EVENT_TYPES, "report.word_checks", f"unknown event type {self.event_type!r}")
        ok = all(_ISO_DATE.fullmatch(d) for d in (self.start, self.end)) and self.start <= self.end
        check(ok, "report.word_checks", f"start and end must be YYYY-MM-DD, start first ({self.start}, {self.end})")


@dataclass(frozen=True)
class ReportParams:
    """Settings of the study's figures, tables and models."""

    ci_level: float
    key_dates: dict[str, tuple[KeyDate, ...]]
    outlet_groups: dict[str, str]
    outlet_group_labels: dict[str, str]
    credibility_reference_group: str
    lag_min_reports: int
    selection_death_bins: tuple[int, ...]
    dynamics_windows: dict[str, tuple[str, ...]]
    dynamics_min_events: int
    model_types: tuple[str, ...]
    provincial_capitals: dict[str, tuple[str, ...]]
    word_checks: tuple[WordCheck, ...]
    sample_strata: tuple[str, ...]
    n_permutations: int
    plan_half_width: float
    plan_extra: int
    hazard_max_days: int
    governorate_min_events: int
    dsl_min_gold_positives: int
    exclude_outlets: tuple[str, ...]
    first_report_pass: str

    def __post_init__(self) -> None:
        check(0.5 < self.ci_level < 1, "report.ci_level", f"must be in (0.5, 1), got {self.ci_level}")
        check(
            0 < self.plan_half_width < 0.5, "report.plan_half_width", f"must be in (0, 0.5), got {self.plan_half_width}"
        )
        check(self.plan_extra >= 0, "report.plan_extra", f"must be >= 0, got {self.plan_extra}")
        check(self.n_permutations >= 99, "report.n_permutations", f"must be >= 99, got {self.n_permutations}")
        bad = [t for t in self.model_types if t not in EVENT_TYPES]
        check(not bad, "report.model_types", f"unknown event type(s) {bad}")
        groups = set(self.outlet_groups.values()) | {"unassigned"}
        check(
            self.credibility_reference_group in groups,
            "report.credibility_reference_group",
            f"{self.credibility_reference_group!r} is not an outlet group of report.outlet_groups",
        )
        bins = self.selection_death_bins
        check(
            list(bins) == sorted(set(bins)) and len(bins) >= 2,
            "report.selection_death_bins",
            "must be strictly increasing",
        )
        for name, window in self.dynamics_windows.items():
            key = f"report.dynamics_windows.{name}"
            check(
                len(window) == 2 and all(_ISO_DATE.fullmatch(d) for d in window),
                key,
                "must be [YYYY-MM-DD, YYYY-MM-DD]",
            )
        check(self.lag_min_reports >= 1, "report.lag_min_reports", "must be >= 1")
        check(self.dynamics_min_events >= 1, "report.dynamics_min_events", "must be >= 1")
        check(self.hazard_max_days >= 14, "report.hazard_max_days", "must be >= 14 (the last day band starts at 14)")
        check(self.governorate_min_events >= 1, "report.governorate_min_events", "must be >= 1")
        check(self.dsl_min_gold_positives >= 1, "report.dsl_min_gold_positives", "must be >= 1")
        check(
            self.first_report_pass in ("adjudicated", "a", "b"),
            "report.first_report_pass",
            f"must be adjudicated, a or b, got {self.first_report_pass!r}",
        )

    def key_date_pairs(self, collection: str) -> list[tuple[str, str]]:
        """Return ``(date, label)`` pairs of one collection's key dates (none if it has none)."""
        return [(d.date, d.label) for d in self.key_dates.get(collection, ())]

    def group_label(self, group: str) -> str:
        """Return an outlet group's name for readers (``outlet_group_labels``, else the key without underscores)."""
        return self.outlet_group_labels.get(group, group.replace("_", " "))


@dataclass(frozen=True)
class BenchmarkTask:
    """One ConfliBERT task: its kind, the published metric, pinned files and published scores."""

    kind: str
    metric: str
    sha256: dict[str, str]
    published: dict[str, float]

    def __post_init__(self) -> None:
        check(
            self.kind in ("multilabel", "multiclass", "binary"), "benchmark.tasks.kind", f"unknown kind {self.kind!r}"
        )
        check(
            self.metric in ("example_f1", "macro_f1", "positive_f1"),
            "benchmark.tasks.metric",
            f"unknown metric {self.metric!r}",
        )
        check(
            {"train", "test"} <= set(self.sha256) <= {"train", "dev", "test"},
            "benchmark.tasks.sha256",
            "needs train and test (dev optional)",
        )
        for split, digest in self.sha256.items():
            check(bool(_SHA256.fullmatch(digest)), f"benchmark.tasks.sha256.{split}", "must be 64 hex digits")


@dataclass(frozen=True)
class BenchmarkParams:
    """The external yardstick: ConfliBERT's six tasks."""

    base_url: str
    mirror_dir: str
    cv_folds: int
    c_grid: tuple[float, ...]
    encoder: str | None
    encoder_weights: tuple[float, ...]
    finetune_max_train: int  # the fine-tuned family: at most this many training documents per task (seeded)
    finetune_max_passages: int  # the fine-tuned family: passages read per document (train.encoder's other settings)
    tasks: dict[str, BenchmarkTask]

    def __post_init__(self) -> None:
        check(self.base_url.startswith("https://"), "benchmark.base_url", "must be https")
        check(2 <= self.cv_folds <= 10, "benchmark.cv_folds", "must be in [2, 10]")
        check(
            len(self.c_grid) >= 1 and all(c > 0 for c in self.c_grid), "benchmark.c_grid", "must list positive values"
        )
        check(
            self.encoder is None or self.encoder in ENCODERS,
            "benchmark.encoder",
            f"must be null or one of {sorted(ENCODERS)}, got {self.encoder!r}",
        )
        check(
            len(self.encoder_weights) >= 1 and all(w >= 0 for w in self.encoder_weights),
            "benchmark.encoder_weights",
            "must list weights >= 0 (0 = TF-IDF alone)",
        )

        check(self.finetune_max_train >= 10, "benchmark.finetune_max_train", "must be >= 10")
        check(self.finetune_max_passages >= 1, "benchmark.finetune_max_passages", "must be >= 1")

    def sources(self, task: str) -> list[SourceSpec]:
        """Return the pinned files of ``task``, one :class:`SourceSpec` per split."""
        return [
            SourceSpec(
                f"{split}.tsv",
                digest,
                url=f"{self.base_url}/{task}/{split}.tsv",
                mirror_path=f"{self.mirror_dir}/{task}/{split}.tsv",
            )
            for split, digest in self.tasks[task].sha256.items()
        ]
