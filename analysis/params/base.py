"""Settings every stage shares: the seed, and the engine that runs the partitioned stages."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.config import check


@dataclass(frozen=True)
class BaseParams:
    """Settings shared by every stage."""

    seed: int

    def __post_init__(self) -> None:
        check(0 <= self.seed < 2**32, "base.seed", f"must be in [0, 2**32), got {self.seed}")


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
        check(self.name in ENGINES, "engine.name", f"must be one of {list(ENGINES)}, got {self.name!r}")
        check(
            self.scheduler is None or self.scheduler.startswith(("tcp://", "tls://", "inproc://")),
            "engine.scheduler",
            f"must be null or a scheduler address like tcp://host:8786, got {self.scheduler!r}",
        )
        check(1 <= self.n_workers <= 256, "engine.n_workers", f"must be in [1, 256], got {self.n_workers}")
        check(
            1_000 <= self.partition_rows <= 10_000_000,
            "engine.partition_rows",
            f"must be in [1000, 10000000], got {self.partition_rows}",
        )
