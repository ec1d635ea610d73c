"""Stage ``crossfit``: every unsealed document predicted by a model that did not see it (for the study's PPI++)."""

import pandas as pd

from analysis import paths
from analysis.documents import ELIGIBILITY_COLUMNS, eligible
from analysis.io import write_parquet
from analysis.model import crossfit, persist
from analysis.model.families import family_of
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Refit the saved model without each fold of text groups; predict the fold's documents."""
    params = load_params("crossfit")
    columns = ["doc_id", "text_group", *ELIGIBILITY_COLUMNS, "text"]
    documents = pd.read_parquet(paths.DOCUMENTS, columns=columns)
    population = eligible(documents)  # the gold sample's frame
    train, dev = pd.read_parquet(paths.TRAIN_SET), pd.read_parquet(paths.DEV_SET)
    train = crossfit.with_labels(train, pd.read_parquet(paths.TRAINING_LABELS))  # what the saved model learned from
    model = persist.load(paths.MODEL)
    # the folds refit on what the saved model saw
    seen_dev = load_params("train").refit_on_dev and family_of(model).refits_on_dev
    fitted = pd.concat([train, dev], ignore_index=True) if seen_dev else train
    fitted = fitted.merge(documents[["doc_id", "text_group"]], on="doc_id", how="left")  # none for outside news
    predicted = crossfit.cross_fitted(
        population.sort_values("doc_id", ignore_index=True),
        fitted,
        model,
        folds=params.folds,
        seed=load_params("base").seed,
        n_jobs=params.n_jobs,
    )
    write_parquet(paths.CROSSFIT_PREDICTIONS, predicted)


if __name__ == "__main__":
    run(main)
