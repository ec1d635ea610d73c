"""Check ``family_on_dev``: the model families side by side on gold dev, outside news and the behavioural suite.

Each family is fitted on the training set alone (no refit on dev) and its thresholds are
tuned on dev, as the train stage does. Dev F1 is scored at thresholds cross-fitted on
halves of dev (:func:`analysis.model.scoring.dev_evaluation`), so no family is flattered by
its own tuning; outside news (the out-of-domain dev splits) and the behavioural suite are
labelled at the dev-tuned thresholds. The test split is never read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.model import behaviour, ood, scoring
from analysis.model.classifier import EventClassifier
from analysis.model.embeddings import sentence_embeddings, stack_embeddings
from analysis.model.features import fit_features
from analysis.stats import wilson_interval


class StackedClassifier(EventClassifier):
    """The linear family with frozen sentence embeddings (times ``weight``) stacked beside its features.

    The yardstick's variant, kept here so that it is judged like the families of ``train.family``.
    """

    def __init__(self, spec, *, seed: int, encoder, weight: float) -> None:
        super().__init__(spec, seed=seed)
        self.encoder, self.weight = encoder, weight

    def fit(self, texts, labels, *, sample_weight=None, label_model=None, learn=None) -> StackedClassifier:
        """Fit the n-gram features on ``texts``, then the per-type models with the embeddings beside them."""
        self.features_, x = fit_features(self.spec, texts, actors=(label_model or {}).get("actors"))
        x = stack_embeddings(x, sentence_embeddings(texts, encoder=self.encoder), self.weight)
        return self.fit_matrix(x, labels, sample_weight=sample_weight, label_model=label_model, learn=learn)

    def _features(self, texts, votes) -> sparse.csr_matrix:
        return stack_embeddings(
            super()._features(texts, votes), sentence_embeddings(texts, encoder=self.encoder), self.weight
        )


def family_scores(
    name: str,
    model: EventClassifier,
    dev: pd.DataFrame,
    dev_proba: pd.DataFrame,
    negatives: pd.DataFrame,
    cases: pd.DataFrame,
    *,
    label_model: dict,
    grid: np.ndarray,
    n_bootstrap: int,
    seed: int,
    level: float,
) -> tuple[dict, pd.DataFrame]:
    """Score one fitted family: dev F1 (cross-fitted thresholds), outside-news false alarms, behavioural passes.

    Parameters
    ----------
    model : EventClassifier
        Fitted on the training set, thresholds tuned on dev.
    dev_proba : DataFrame
        Its ``p_<type>`` on ``dev``, same index.
    negatives : DataFrame
        Outside news with no event (:func:`analysis.model.ood.read_negatives`, dev split).
    cases : DataFrame
        The behavioural suite (:func:`analysis.model.behaviour.load_cases`).

    Returns
    -------
    tuple
        The family's summary row (``family``, ``n_dev_docs``, ``macro_f1`` over the types
        with 10 or more dev positives, ``macro_f1_ci_lower``/``_ci_upper`` (bootstrap),
        ``macro_ap``, ``n_ood_docs``, ``ood_false_alarm_rate`` and ``behaviour_pass_rate``
        with Wilson ``_ci_lower``/``_ci_upper``, ``n_behaviour_cases``) and its per-type dev
        scores (``family``, ``event_type``, ``n_pos``, ``f1``, ``f1_ci_lower``, ``f1_ci_upper``).
    """
    result, scores = scoring.classifier_dev_scores(
        model, dev, dev_proba, label_model=label_model, grid=grid, n_bootstrap=n_bootstrap, seed=seed, level=level
    )
    macro = scores.loc["macro_measurable"]
    alarms = ood.false_alarms(negatives, model.predict(negatives["text"]), level=level).set_index("task").loc["all"]
    passed = behaviour.run_suite(cases, model)["passed"]
    k, n = int(passed.sum()), len(passed)
    lower, upper = wilson_interval(np.array([k]), np.array([n]), level=level)
    row = {
        "family": name,
        "n_dev_docs": len(dev),
        "macro_f1": macro["f1"],
        "macro_f1_ci_lower": macro["f1_ci_lower"],
        "macro_f1_ci_upper": macro["f1_ci_upper"],
        "macro_ap": result["average_precision"]["macro"],
        "n_ood_docs": int(alarms["n_docs"]),
        "ood_false_alarm_rate": alarms["false_alarm_rate"],
        "ood_false_alarm_rate_ci_lower": alarms["false_alarm_rate_ci_lower"],
        "ood_false_alarm_rate_ci_upper": alarms["false_alarm_rate_ci_upper"],
        "n_behaviour_cases": n,
        "behaviour_pass_rate": k / n,
        "behaviour_pass_rate_ci_lower": float(lower[0]),
        "behaviour_pass_rate_ci_upper": float(upper[0]),
    }
    types = scores.reset_index()
    types = types[types["n_pos"] >= 10].loc[lambda s: ~s["event_type"].str.startswith(("macro", "micro", "example"))]
    per_type = types[["event_type", "n_pos", "f1", "f1_ci_lower", "f1_ci_upper"]].assign(family=name)
    return row, per_type[["family", "event_type", "n_pos", "f1", "f1_ci_lower", "f1_ci_upper"]]
