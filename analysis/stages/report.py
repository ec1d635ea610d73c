"""Stage ``report``: the study's figures, tables and ``numbers.tex`` from the pipeline outputs."""

import json

import pandas as pd

from analysis import engine, paths
from analysis.io import write_json, write_table, write_text
from analysis.params import load_params
from analysis.stages._common import run
from analysis.study import design, design_checks, headline, inputs, report, style
from analysis.study.numbers import numbers_tex


def _instrument() -> dict:
    """Read the trained classifier's evaluation: test scores, calibration, the types left to the rules, metrics."""
    thresholds = pd.read_csv(paths.THRESHOLDS.with_suffix(".csv"))
    sources = {"test": paths.TEST_METRICS, "dev": paths.CLASSIFIER_METRICS, "behaviour": paths.BEHAVIOUR_METRICS}
    return {
        "scores": pd.read_csv(paths.CLASSIFIER_SCORES.with_suffix(".csv")),
        "calibration": pd.read_csv(paths.CALIBRATION_CURVE),
        "rules": thresholds.loc[thresholds["model"] == "rules", "event_type"].tolist(),
        "metrics": {n: json.loads(f.read_text()) for n, f in sources.items()},
    }


def main() -> None:
    """Estimate, model and draw every result of the study; collect the numbers quoted in prose.

    With a pinned classifier (``classifier.source: pinned``) nothing was trained or evaluated
    here: the instrument's figures and numbers are left out, and the gold sample is the
    researcher's (``report.sample_strata``).
    """
    params, collections = load_params("report"), load_params("acquire")
    trained = load_params("classifier").source == "trained"
    reports = pd.read_parquet(paths.REPORTS)
    with engine.executor(load_params("engine")) as executor:
        labelled = inputs.labelled_documents_files(paths.DOCUMENTS, paths.PREDICTIONS, engine=executor)
    crossfit = pd.read_parquet(paths.CROSSFIT_PREDICTIONS)
    gold_table = pd.read_parquet(paths.GOLD)
    strata = load_params("crossfit").strata if trained else params.sample_strata
    gold = design.gold_labels(gold_table, crossfit, strata=strata)
    sampled = design.design_gold(gold_table, sample_strata=params.sample_strata)
    checked = sorted({c.collection for c in params.word_checks})
    texts = (
        pd.read_parquet(
            paths.DOCUMENTS,
            columns=["doc_id", "collection", "event_date", "text"],
            filters=[("collection", "in", checked)],
        )
        if checked
        else pd.DataFrame(columns=["doc_id", "collection", "event_date", "text"])
    )
    built = report.study_tables(
        labelled,
        reports,
        gold,
        sampled,
        pd.read_parquet(paths.GOLD_DRAWS),
        crossfit,
        texts,
        {
            "predictions": pd.read_parquet(paths.FIRST_REPORT_PREDICTIONS),
            "gold": pd.read_parquet(paths.FIRST_REPORT_GOLD),
        },
        params=params,
        collections=collections,
        seed=load_params("base").seed,
    )
    if trained:  # the study's blind re-annotation of its own gold
        relabel = pd.read_csv(paths.ANNOTATION_RELABEL, dtype=str, keep_default_na=False)
        built["relabel_check"] = design_checks.relabel_check(relabel, gold_table)
    captions = report.captions(collections, level=params.ci_level)
    for name, frame in built.items():
        write_table(paths.TABLES / name, frame, caption=captions[name], float_format="{:.3f}")
    instrument = _instrument() if trained else None
    drawn = report.study_figures(labelled, reports, built, instrument, crossfit, params=params, collections=collections)
    for name, fig in drawn.items():
        style.save(fig, paths.FIGURES / name)
    metrics = {"gold": json.loads(paths.GOLD_METRICS.read_text()), **(instrument["metrics"] if instrument else {})}
    values = headline.headline_numbers(
        labelled,
        reports,
        pd.read_parquet(paths.LEDGER),
        built["lag_by_outlet"],
        metrics=metrics,
        built=built,
        collections=collections,
    )
    write_text(paths.NUMBERS, numbers_tex(values))
    write_json(paths.NUMBERS_JSON, values)
    write_json(paths.FINDINGS, headline.findings(built))  # what the robustness multiverse compares


if __name__ == "__main__":
    run(main)
