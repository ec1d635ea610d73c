"""Stage ``crossfit_pinned``: a pinned classifier's out-of-sample predictions, in place of cross-fitting."""

import pandas as pd

from analysis import paths
from analysis.documents import ELIGIBILITY_COLUMNS
from analysis.io import write_parquet
from analysis.model import pinned
from analysis.stages._common import run


def main() -> None:
    """Keep the pinned model's predictions of every unsealed document: it saw none of them."""
    documents = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", *ELIGIBILITY_COLUMNS])
    write_parquet(paths.CROSSFIT_PREDICTIONS, pinned.out_of_sample(documents, pd.read_parquet(paths.PREDICTIONS)))


if __name__ == "__main__":
    run(main)
