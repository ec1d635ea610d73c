"""Stage ``check_params``: all of ``params.yaml`` checked before any other stage runs."""

from analysis import paths
from analysis.io import write_json
from analysis.params import check_params
from analysis.stages._common import run


def main() -> None:
    """Load every section and the cross-section rules; record which sections passed."""
    write_json(paths.PARAMS_CHECK, {"sections": sorted(check_params())})


if __name__ == "__main__":
    run(main)
