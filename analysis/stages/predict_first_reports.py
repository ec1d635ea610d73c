"""Stage ``predict_first_reports``: each event's types from its first report's headline alone."""

import pandas as pd

from analysis import paths
from analysis.documents import ELIGIBILITY_COLUMNS
from analysis.io import write_parquet
from analysis.model import persist
from analysis.model.first_reports import first_report_predictions
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Predict every eligible event's first report (the event models' covariates, measured before the outcome)."""
    events = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", "collection", *ELIGIBILITY_COLUMNS])
    events = events[events["collection"].isin(load_params("acquire").of_kind("event_reports"))]
    reports = pd.read_parquet(paths.REPORTS, columns=["report_id", "doc_id", "lag_days", "headline"])
    predicted = first_report_predictions(events, reports, persist.load(paths.MODEL))
    write_parquet(paths.FIRST_REPORT_PREDICTIONS, predicted)


if __name__ == "__main__":
    run(main)
