"""Stage ``acquire_ood``: the out-of-domain news (``ood.tasks``), pinned by the yardstick's sha256s."""

from analysis import paths
from analysis.corpus import sources
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Copy each split of each task from the mirror or download it, verified, into ``data/raw/ood/<task>/``."""
    benchmark, acquire = load_params("benchmark"), load_params("acquire")
    mirror = sources.mirror_dir()
    for task in load_params("ood").tasks:
        for spec in benchmark.sources(task):
            dest = paths.OOD_RAW / task
            sources.acquire(spec, dest, mirror=mirror, retries=acquire.retries, timeout_s=acquire.timeout_s)


if __name__ == "__main__":
    run(main)
