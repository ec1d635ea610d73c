"""Stage ``predict``: event-type probabilities and labels for every document of the corpus."""

import pandas as pd

from analysis import paths, persist
from analysis.io import write_parquet
from analysis.model import model_input
from analysis.stages._common import run


def main() -> None:
    """Apply the trained classifier to all documents (sealed ones included, flagged)."""
    documents = pd.read_parquet(paths.DOCUMENTS)
    model = persist.load(paths.MODEL)
    proba = model.predict_proba(model_input(documents))
    labels = model.labels_from_proba(proba)
    out = pd.concat([documents[["doc_id", "collection", "sealed"]], labels, proba.round(6)], axis=1)
    write_parquet(paths.PREDICTIONS, out)


if __name__ == "__main__":
    run(main)
