"""Stage ``weak_label``: labelling functions over every eligible document, summarised on gold dev."""

import pandas as pd

from analysis import datasets, paths, rules
from analysis.codebook import EVENT_TYPES
from analysis.io import write_parquet, write_table
from analysis.model import model_input
from analysis.stages._common import run


def main() -> None:
    """Vote with every LF on non-sealed documents, combine by majority, and report LF quality on dev."""
    documents = datasets.eligible_for_fitting(pd.read_parquet(paths.DOCUMENTS))
    votes = rules.apply_lfs(model_input(documents).set_axis(documents["doc_id"]))
    weak = rules.weak_labels(votes)
    out = pd.concat([votes, weak], axis=1).rename_axis("doc_id").reset_index()
    write_parquet(paths.WEAK_LABELS, out)
    gold = pd.read_parquet(paths.GOLD)
    dev = gold[gold["split"] == "dev"].set_index("doc_id")
    summary = rules.lf_summary(votes.loc[dev.index], dev[list(EVENT_TYPES)])
    write_table(paths.LF_SUMMARY, summary, caption="Labelling functions on the gold dev split.", float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
