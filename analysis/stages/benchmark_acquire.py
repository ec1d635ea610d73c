"""Stage ``benchmark_acquire`` (benchmarks/dvc.yaml): the six ConfliBERT tasks, pinned by sha256."""

from analysis import paths
from analysis.corpus import sources
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Copy each task's splits from the mirror or download them, verified, into ``data/raw/benchmarks``."""
    params, acquire = load_params("benchmark"), load_params("acquire")
    mirror = sources.mirror_dir()
    for task in params.tasks:
        for spec in params.sources(task):
            sources.acquire(
                spec, paths.BENCHMARK_RAW / task, mirror=mirror, retries=acquire.retries, timeout_s=acquire.timeout_s
            )


if __name__ == "__main__":
    run(main)
