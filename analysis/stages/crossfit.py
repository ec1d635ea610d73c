"""Stage ``crossfit``: every unsealed document and event's first report predicted by a model that did not see it.

The study's PPI++ shares and its event models' corrections (DSL) both need predictions whose
errors do not depend on which documents were annotated; the saved model saw the gold.
"""

import pandas as pd

from analysis import paths
from analysis.documents import ELIGIBILITY_COLUMNS, eligible
from analysis.io import write_parquet
from analysis.model import crossfit, persist
from analysis.model.families import family_of
from analysis.model.first_reports import first_report_texts, with_predictions
from analysis.model.teacher import committed_teachers
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Refit the saved model without each fold of text groups; predict the fold's documents and first reports."""
    params, train_params = load_params("crossfit"), load_params("train")
    columns = ["doc_id", "collection", "text_group", *ELIGIBILITY_COLUMNS, "text"]
    documents = pd.read_parquet(paths.DOCUMENTS, columns=columns)
    events = documents[documents["collection"].isin(load_params("acquire").of_kind("event_reports"))]
    first = first_report_texts(
        events, pd.read_parquet(paths.REPORTS, columns=["report_id", "doc_id", "lag_days", "headline"])
    )
    # the rules' labels, not what the saved model learned from: a distilled refit relabels its weak
    # rows by a teacher of its own, which must not learn from the saved teacher's labels either
    train = pd.read_parquet(paths.TRAIN_SET)
    model = persist.load(paths.MODEL)
    seen_dev = train_params.refit_on_dev and family_of(model).refits_on_dev  # the folds refit on what it saw
    predicted, first_predicted = crossfit.cross_fitted(
        eligible(documents).sort_values("doc_id", ignore_index=True),  # the gold sample's frame
        crossfit.fitted_frame(train, pd.read_parquet(paths.DEV_SET), documents, seen_dev=seen_dev),
        model,
        folds=params.folds,
        seed=load_params("base").seed,
        n_jobs=params.n_jobs,
        teachers=committed_teachers(model.spec, train_params.teacher, paths.TEACHER_LABELS),
        also=first[["doc_id", "text"]],
    )
    write_parquet(paths.CROSSFIT_PREDICTIONS, predicted)
    write_parquet(paths.FIRST_REPORT_PREDICTIONS, with_predictions(first, first_predicted, first_predicted))


if __name__ == "__main__":
    run(main)
