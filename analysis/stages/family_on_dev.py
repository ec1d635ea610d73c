"""Check ``family_on_dev`` (checks/dvc.yaml): linear, encoder, distilled, stacked on dev, outside news, behaviour."""

import json

import pandas as pd

from analysis import paths
from analysis.checks.family_comparison import StackedClassifier, family_scores
from analysis.codebook import EVENT_TYPES
from analysis.io import write_table
from analysis.model import behaviour, embeddings, families, ood
from analysis.model.classifier import train_classifier
from analysis.model.teacher import distilled_labels, taught_by
from analysis.model.thresholds import threshold_grid
from analysis.params import load_params
from analysis.stages._common import run


def main() -> None:
    """Fit each family on the training set, tune thresholds on dev, score; the test split is never read."""
    train_params, evaluate, seed = load_params("train"), load_params("evaluate"), load_params("base").seed
    train, dev = pd.read_parquet(paths.TRAIN_SET), pd.read_parquet(paths.DEV_SET)
    label_model, grid = json.loads(paths.LABEL_MODEL.read_text()), threshold_grid(train_params.threshold_step)
    fit = {"label_model": label_model, "grid": grid, "seed": seed}
    linear = {**fit, "refit_on_dev": False, "n_jobs": 1}
    fitted = {"linear": train_classifier(train, dev, spec=train_params.spec(), **linear)}
    fitted["encoder"] = families.train_encoder(train, dev, spec=train_params.spec(), **fit)
    taught = taught_by(fitted["encoder"][0], train, fit="train")
    distilled = distilled_labels(train, taught, EVENT_TYPES)
    fitted["distilled"] = train_classifier(distilled, dev, spec=train_params.spec(), **linear)
    stacked = StackedClassifier(
        train_params.spec(), seed=seed, encoder=embeddings.load_encoder(train_params.encoder.name), weight=1.0
    ).fit(train["text"], train, sample_weight=train["weight"].to_numpy(), label_model=label_model)
    stacked_proba = stacked.predict_proba(dev["text"])
    stacked.tune_thresholds(stacked_proba, dev, grid=grid)
    fitted["stacked"] = (stacked, None, pd.concat([dev[["doc_id"]], stacked_proba], axis=1))
    negatives = ood.read_negatives(paths.OOD_RAW, tasks=load_params("ood").tasks, split="dev")
    cases = behaviour.load_cases(paths.BEHAVIOUR_CASES)
    options = {"label_model": label_model, "grid": grid, "seed": seed, "level": evaluate.ci_level}
    scored = [
        family_scores(
            name,
            model,
            dev,
            proba.drop(columns="doc_id"),
            negatives,
            cases,
            n_bootstrap=evaluate.n_bootstrap,
            **options,
        )
        for name, (model, _, proba) in fitted.items()
    ]
    caption = (
        "Model families on gold dev (cross-fitted thresholds), outside news (dev splits) "
        "and the behavioural suite; 95% intervals."
    )
    write_table(paths.FAMILY_ON_DEV, pd.DataFrame([row for row, _ in scored]), caption=caption, float_format="{:.3f}")
    caption = (
        "Model families on gold dev, per type with 10 or more positives "
        "(cross-fitted thresholds; 95% bootstrap intervals)."
    )
    write_table(paths.FAMILY_ON_DEV_TYPES, pd.concat([t for _, t in scored]), caption=caption, float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
