"""Stage ``weak_label``: labelling functions over every eligible document, combined by the label model."""

import pandas as pd

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.documents import document_input, eligible
from analysis.io import write_json, write_parquet, write_table
from analysis.labels import combine
from analysis.labels.actors import actors_to_json, load_actors
from analysis.labels.functions import apply_lfs
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Vote with every LF on non-sealed documents; fit the label model on gold train; summarise the LFs on dev."""
    params = load_params("weak_label")
    documents = eligible(pd.read_parquet(paths.DOCUMENTS))
    texts = document_input(documents, articles=load_params("acquire").of_kind("articles"))
    actors = load_actors([paths.PROJECT / f for f in params.actor_files])
    votes = apply_lfs(texts.set_axis(documents["doc_id"]), actors)
    gold = pd.read_parquet(paths.GOLD).set_index("doc_id")
    train, dev = gold[gold["split"] == "train"], gold[gold["split"] == "dev"]
    label_model = combine.fit_label_model(
        votes.loc[train.index],
        train[list(EVENT_TYPES)],
        combine=params.combine,
        min_accuracy=params.min_lf_accuracy,
        prior=train.loc[train["stratum"] == "random", list(EVENT_TYPES)],  # a random sample: the corpus' own shares
    )
    label_model["actors"] = actors_to_json(actors)  # the model carries its dictionary (classify, predict)
    weak = combine.apply_label_model(votes, label_model)
    write_parquet(paths.WEAK_LABELS, pd.concat([votes, weak], axis=1).rename_axis("doc_id").reset_index())
    write_json(paths.LABEL_MODEL, label_model)
    summary = combine.lf_summary(votes.loc[dev.index], dev[list(EVENT_TYPES)])
    summary.insert(3, "in_vote", summary["lf"].isin(label_model["voting_lfs"]))
    write_table(paths.LF_SUMMARY, summary, caption="Labelling functions on the gold dev split.", float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
