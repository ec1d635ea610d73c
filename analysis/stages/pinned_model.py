"""Stage ``pinned_model``: the pinned classifier (``classifier``), verified, in place of training."""

from analysis import paths
from analysis.corpus import sources
from analysis.io import write_json
from analysis.model import pinned
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Copy or download the model file, check its sha256 and codebook, and write its card."""
    acquire = load_params("acquire")
    card = pinned.install(
        load_params("classifier"),
        paths.MODEL,
        mirror=sources.mirror_dir(),
        retries=acquire.retries,
        timeout_s=acquire.timeout_s,
    )
    write_json(paths.MODEL_CARD, card)


if __name__ == "__main__":
    run(main)
