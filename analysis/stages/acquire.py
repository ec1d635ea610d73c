"""Stage ``acquire``: bring each collection's pinned file into ``data/raw/``."""

from analysis import paths
from analysis.corpus import sources
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Copy each file from its local path or the mirror (``$ANALYSIS_DATA_MIRROR``), or download it; verify it."""
    params = load_params("acquire")
    mirror = sources.mirror_dir()
    for spec in params.collections:
        sources.acquire(spec.source(), paths.RAW, mirror=mirror, retries=params.retries, timeout_s=params.timeout_s)


if __name__ == "__main__":
    run(main)
