"""Stage ``predict``: event-type probabilities and labels for every document of the corpus."""

import tempfile

from analysis import engine, paths
from analysis.model import predict
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Apply the trained classifier to all documents (sealed ones included, flagged), per row group."""
    paths.PROCESSED.mkdir(parents=True, exist_ok=True)
    articles = tuple(load_params("acquire").of_kind("articles"))
    with (
        tempfile.TemporaryDirectory(dir=paths.PROCESSED, prefix=".predict-") as workdir,
        engine.executor(load_params("engine")) as executor,
    ):
        predict.predict_files(
            paths.DOCUMENTS, paths.MODEL, engine=executor, workdir=workdir, out=paths.PREDICTIONS, articles=articles
        )


if __name__ == "__main__":
    run(main)
