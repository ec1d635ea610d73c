"""Stage ``acquire``: bring the pinned corpus files into ``data/raw/``."""

from analysis import paths, sources
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Copy each source from the mirror (``$ANALYSIS_DATA_MIRROR``) or download it, verified."""
    params = load_params("acquire")
    mirror = sources.mirror_dir()
    for spec in params.sources:
        sources.acquire(spec, paths.RAW, mirror=mirror, retries=params.retries, timeout_s=params.timeout_s)


if __name__ == "__main__":
    run(main)
