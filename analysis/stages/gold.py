"""Stage ``gold``: validate the annotations, measure agreement, split gold by text group."""

import pandas as pd

from analysis import paths
from analysis.io import write_json, write_parquet, write_table
from analysis.labels import gold
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Write the gold table, the agreement and codebook-count tables, and gold metrics."""
    seed = load_params("base").seed
    params = load_params("gold")
    documents = pd.read_parquet(paths.DOCUMENTS)
    labels = pd.read_csv(paths.ANNOTATIONS, dtype=str, keep_default_na=False)
    gold.validate_annotations(labels, documents, source=paths.relative(paths.ANNOTATIONS))
    table = gold.gold_table(
        labels,
        documents,
        seed=seed,
        fractions=params.split_fractions,
        train_only_strata=params.train_only_strata,
    )
    agreement = gold.annotation_agreement(labels)
    write_parquet(paths.GOLD, table)
    write_table(
        paths.ANNOTATION_AGREEMENT,
        agreement,
        caption="Agreement between two independent annotation passes.",
        float_format="{:.3f}",
    )
    write_table(
        paths.CODEBOOK_COUNTS, gold.gold_counts(table), caption="Gold positives per event type.", float_format="{:.3f}"
    )
    overall = agreement.set_index("event_type").loc["all"]
    write_json(
        paths.GOLD_METRICS,
        {
            "n_gold": len(table),
            "n_by_split": table["split"].value_counts().sort_index().to_dict(),
            "n_by_stratum": table["stratum"].value_counts().sort_index().to_dict(),
            "cohen_kappa_pooled": round(float(overall["cohen_kappa"]), 4),
        },
    )


if __name__ == "__main__":
    run(main)
