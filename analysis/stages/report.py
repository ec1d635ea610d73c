"""Stage ``report``: the study's figures, tables and ``numbers.tex`` from the pipeline outputs."""

import json

import pandas as pd

from analysis import engine, paths
from analysis.io import write_json, write_table, write_text
from analysis.params import load_params
from analysis.stages._common import run
from analysis.study import design, design_checks, headline, inputs, report, style
from analysis.study.numbers import numbers_tex


def main() -> None:
    """Estimate, model and draw every result of the study; collect the numbers quoted in prose."""
    params, collections = load_params("report"), load_params("acquire")
    reports = pd.read_parquet(paths.REPORTS)
    with engine.executor(load_params("engine")) as executor:
        labelled = inputs.labelled_documents_files(paths.DOCUMENTS, paths.PREDICTIONS, engine=executor)
    crossfit = pd.read_parquet(paths.CROSSFIT_PREDICTIONS)
    gold_table = pd.read_parquet(paths.GOLD)
    gold = design.gold_labels(gold_table, crossfit, strata=load_params("crossfit").strata)
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
        params=params,
        collections=collections,
        seed=load_params("base").seed,
    )
    relabel = pd.read_csv(paths.ANNOTATION_RELABEL, dtype=str, keep_default_na=False)
    built["relabel_check"] = design_checks.relabel_check(relabel, gold_table)
    captions = report.captions(collections, level=params.ci_level)
    for name, frame in built.items():
        write_table(paths.TABLES / name, frame, caption=captions[name], float_format="{:.3f}")
    scores = pd.read_csv(paths.CLASSIFIER_SCORES.with_suffix(".csv"))
    thresholds = pd.read_csv(paths.THRESHOLDS.with_suffix(".csv"))
    rules = thresholds.loc[thresholds["model"] == "rules", "event_type"].tolist()  # types left to the rules
    drawn = report.study_figures(
        labelled,
        reports,
        built,
        scores,
        pd.read_csv(paths.CALIBRATION_CURVE),
        rules=rules,
        params=params,
        collections=collections,
    )
    for name, fig in drawn.items():
        style.save(fig, paths.FIGURES / name)
    sources = {"test": paths.TEST_METRICS, "gold": paths.GOLD_METRICS, "dev": paths.CLASSIFIER_METRICS}
    metrics = {n: json.loads(f.read_text()) for n, f in {**sources, "behaviour": paths.BEHAVIOUR_METRICS}.items()}
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


if __name__ == "__main__":
    run(main)
