"""Stage ``weak_label``: labelling functions over every eligible document, summarised on gold dev."""

import pandas as pd

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.io import write_json, write_parquet, write_table
from analysis.labels import combine
from analysis.labels.functions import apply_lfs
from analysis.model.datasets import document_input, eligible_for_fitting
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Vote with every LF on non-sealed documents, keep LFs accurate on gold train, combine by majority."""
    params = load_params("weak_label")
    documents = eligible_for_fitting(pd.read_parquet(paths.DOCUMENTS))
    texts = document_input(documents, articles=load_params("acquire").of_kind("articles"))
    votes = apply_lfs(texts.set_axis(documents["doc_id"]))
    gold = pd.read_parquet(paths.GOLD).set_index("doc_id")
    train, dev = gold[gold["split"] == "train"], gold[gold["split"] == "dev"]
    use = combine.select_lfs(votes.loc[train.index], train[list(EVENT_TYPES)], min_accuracy=params.min_lf_accuracy)
    out = pd.concat([votes, combine.weak_labels(votes, use=use)], axis=1).rename_axis("doc_id").reset_index()
    write_parquet(paths.WEAK_LABELS, out)
    write_json(
        paths.LABEL_MODEL, {"combine": "majority_vote", "min_lf_accuracy": params.min_lf_accuracy, "voting_lfs": use}
    )
    summary = combine.lf_summary(votes.loc[dev.index], dev[list(EVENT_TYPES)])
    summary.insert(3, "in_vote", summary["lf"].isin(use))
    write_table(paths.LF_SUMMARY, summary, caption="Labelling functions on the gold dev split.", float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
