"""Check ``family_by_type`` (checks/dvc.yaml): each type's family by grouped cross-validation over train and dev."""

import json

import pandas as pd

from analysis import paths
from analysis.checks.family_by_type import choose_families, gold_folds, out_of_fold, per_type_scores
from analysis.codebook import EVENT_TYPES
from analysis.io import write_parquet, write_table
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Predict every train and dev gold document by folds that did not see its text group; apply the rule."""
    params, evaluate, seed = load_params("train"), load_params("evaluate"), load_params("base").seed
    pool = pd.concat([pd.read_parquet(paths.TRAIN_SET), pd.read_parquet(paths.DEV_SET)], ignore_index=True)
    groups = pd.read_parquet(paths.GOLD, columns=["doc_id", "text_group"]).set_index("doc_id")["text_group"]
    gold_rows = pool["source"] == "gold"
    folds = gold_folds(pool.loc[gold_rows, "doc_id"].map(groups), k=params.choice_folds, seed=seed)
    label_model = json.loads(paths.LABEL_MODEL.read_text())
    oof = out_of_fold(pool, folds.reindex(pool.index), spec=params.spec(), label_model=label_model, seed=seed)
    write_parquet(paths.FAMILY_OOF, oof)
    gold = pool.loc[gold_rows, ["doc_id", *EVENT_TYPES]].astype({t: bool for t in EVENT_TYPES})
    grid = threshold_grid(params.threshold_step)
    scores = per_type_scores(oof, gold, grid=grid, n_bootstrap=evaluate.n_bootstrap, seed=seed, level=evaluate.ci_level)
    caption = "Model families per type, out of fold over train and dev gold (folds by text group); paired bootstrap."
    write_table(paths.FAMILY_BY_TYPE, scores, caption=caption, float_format="{:.3f}")
    choice = choose_families(scores, min_positives=params.min_positives, margin=params.choice_margin)
    write_table(paths.FAMILY_CHOICE, choice, caption="The family each type gets by the rule.", float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
