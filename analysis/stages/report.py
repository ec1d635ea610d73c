"""Stage ``report``: the study's figures, tables and ``numbers.tex`` from the pipeline outputs."""

import json

import pandas as pd

from analysis import engine, paths
from analysis.io import write_json, write_table, write_text
from analysis.params import load_params
from analysis.stages._common import run
from analysis.study import analyses, report, style
from analysis.study.numbers import numbers_tex


def main() -> None:
    """Draw every figure and table of the study; collect the numbers quoted in prose."""
    params, collections = load_params("report"), load_params("acquire")
    reports = pd.read_parquet(paths.REPORTS)
    with engine.executor(load_params("engine")) as executor:
        labelled = analyses.labelled_documents_files(paths.DOCUMENTS, paths.PREDICTIONS, engine=executor)
    built = report.study_tables(labelled, reports, params=params, collections=collections)
    captions = report.captions(collections)
    for name, frame in built.items():
        write_table(paths.TABLES / name, frame, caption=captions[name], float_format="{:.3f}")
    scores = pd.read_csv(paths.CLASSIFIER_SCORES.with_suffix(".csv"))
    calibration = pd.read_csv(paths.CALIBRATION_CURVE)
    drawn = report.study_figures(labelled, reports, built, scores, calibration, params=params, collections=collections)
    for name, fig in drawn.items():
        style.save(fig, paths.FIGURES / name)
    metrics = {
        n: json.loads(f.read_text())
        for n, f in (("classifier", paths.CLASSIFIER_METRICS), ("gold", paths.GOLD_METRICS))
    }
    ledger = pd.read_parquet(paths.LEDGER)
    values = report.headline_numbers(
        labelled, reports, ledger, built["lag_by_outlet"], metrics=metrics, collections=collections
    )
    write_text(paths.NUMBERS, numbers_tex(values))
    write_json(paths.NUMBERS_JSON, values)


if __name__ == "__main__":
    run(main)
