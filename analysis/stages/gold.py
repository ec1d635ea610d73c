"""Stage ``gold``: validate the annotations, measure agreement, split gold by text group."""

import pandas as pd

from analysis import paths
from analysis.io import write_json, write_parquet, write_table
from analysis.labels import annotation, gold
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Write the gold table, the agreement and codebook-count tables, and gold metrics."""
    params = load_params("gold")
    documents = pd.read_parquet(paths.DOCUMENTS)
    # the study's rounds name the study's documents: a pinned classifier's pipeline has none of them
    study = (
        [paths.ANNOTATIONS, paths.ANNOTATIONS_TEST, paths.ANNOTATIONS_ACTIVE]
        if load_params("classifier").source == "trained"
        else []
    )
    own = sorted(paths.OWN_ANNOTATIONS.glob("*.csv"))  # a researcher's rounds, from `annotate import`
    labels = gold.read_annotations([*study, *own], documents)
    table = gold.gold_table(
        labels,
        documents,
        seed=load_params("base").seed,
        fractions=params.split_fractions,
        retired_test_dev_share=params.retired_test_dev_share,
        train_only_strata=params.train_only_strata,
        test_strata=params.test_strata,
        sample_strata=load_params("report").sample_strata,
    )
    write_parquet(paths.GOLD, table)
    write_parquet(paths.GOLD_DRAWS, annotation.inclusion_probabilities(documents, table))  # the study's design
    caption = "Agreement between two independent annotation passes."
    write_table(paths.ANNOTATION_AGREEMENT, gold.annotation_agreement(labels), caption=caption, float_format="{:.3f}")
    counts = gold.gold_counts(table)
    write_table(paths.CODEBOOK_COUNTS, counts, caption="Gold positives per event type.", float_format="{:.3f}")
    write_json(paths.GOLD_METRICS, gold.gold_metrics(table, labels, test_strata=params.test_strata))
    # the first-report round: gold for the event models' covariates (the study's; none with a pinned classifier)
    firsts = gold.read_annotations([paths.ANNOTATION_FIRST_REPORTS] if study else [], documents)
    sample = (
        pd.read_csv(paths.ANNOTATION_FIRST_REPORT_SAMPLE)
        if study
        else firsts[["doc_id"]].assign(collection="", inclusion_probability=1.0)
    )
    which = load_params("report").first_report_pass
    write_parquet(paths.FIRST_REPORT_GOLD, gold.first_report_gold(firsts, sample, which=which))
    caption = "Agreement between two independent passes on the first reports' headlines."
    write_table(paths.FIRST_REPORT_AGREEMENT, gold.annotation_agreement(firsts), caption=caption, float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
