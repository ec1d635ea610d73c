"""Stage ``report``: the study's figures, tables and ``numbers.tex`` from the pipeline outputs."""

import json

import pandas as pd

from analysis import engine, figures, paths, report, study
from analysis.io import write_table, write_text
from analysis.numbers import numbers_tex
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Draw every figure and table of the study; collect the numbers quoted in prose."""
    params = load_params("report")
    reports = pd.read_parquet(paths.REPORTS)
    with engine.executor(load_params("engine")) as executor:
        labelled = study.labelled_documents_files(paths.DOCUMENTS, paths.PREDICTIONS, engine=executor)
    built = report.study_tables(labelled, reports, params=params)
    for name, frame in built.items():
        write_table(paths.TABLES / name, frame, caption=report.CAPTIONS[name], float_format="{:.3f}")
    scores = pd.read_csv(paths.CLASSIFIER_SCORES.with_suffix(".csv"))
    calibration = pd.read_csv(paths.CALIBRATION_CURVE)
    for name, fig in report.study_figures(labelled, reports, built, scores, calibration, params=params).items():
        figures.save(fig, paths.FIGURES / name)
    metrics = {
        n: json.loads(f.read_text())
        for n, f in (("classifier", paths.CLASSIFIER_METRICS), ("gold", paths.GOLD_METRICS))
    }
    values = report.headline_numbers(
        labelled, reports, pd.read_parquet(paths.LEDGER), built["lag_by_outlet"], metrics=metrics
    )
    write_text(paths.NUMBERS, numbers_tex(values))


if __name__ == "__main__":
    run(main)
