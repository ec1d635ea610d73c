"""The event-type classifier: one calibrated linear model per type over the features, per-type thresholds.

:class:`EventClassifier` keeps the fitted features, the per-type models and the
per-type decision thresholds together, so one skops file holds everything needed
to classify new text (``python -m analysis classify``).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from tqdm.auto import tqdm

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.labels.actors import actors_of
from analysis.labels.combine import apply_label_model
from analysis.labels.functions import apply_lfs, labeling_functions
from analysis.model.features import RuleFeatures, fit_features
from analysis.model.thresholds import best_threshold, f1_by_threshold
from analysis.params import ModelSpec

log = logging.getLogger(__name__)


def calibrated_model(spec: ModelSpec, *, seed: int) -> CalibratedClassifierCV:
    """One type's model, unfitted: the linear model of ``spec`` inside Platt (or isotonic) calibration.

    The calibration folds are stratified and seeded, so a refit on the same data gives the
    same model.
    """
    folds = StratifiedKFold(spec.calibration_folds, shuffle=True, random_state=seed)
    if spec.classifier == "svm":
        base = LinearSVC(C=spec.c, class_weight=spec.class_weight, max_iter=5000, random_state=seed)
    else:
        base = LogisticRegression(C=spec.c, class_weight=spec.class_weight, max_iter=2000, random_state=seed)
    return CalibratedClassifierCV(base, method=spec.calibration, cv=folds)


def learnable_types(labels: pd.DataFrame, spec: ModelSpec) -> list[str]:
    """Return the types ``labels`` can teach a model, in codebook order; the others back off to the rules.

    A type needs ``spec.min_positives`` known positives, and a negative per calibration fold.
    """
    out = []
    for t in EVENT_TYPES:
        y = labels[t].dropna().astype(int)
        if y.sum() >= spec.min_positives and len(y) - y.sum() >= spec.calibration_folds:
            out.append(t)
    return out


class EventClassifier:
    """Multi-label event-type classifier with per-type thresholds.

    Parameters
    ----------
    spec : ModelSpec
        Feature and model hyper-parameters.
    seed : int
        Seed for the linear models and the calibration folds.
    """

    def __init__(self, spec: ModelSpec, *, seed: int) -> None:
        self.spec = spec
        self.seed = seed
        self.event_types = list(EVENT_TYPES)
        self.thresholds = {t: 0.5 for t in self.event_types}

    def fit(
        self,
        texts: pd.Series,
        labels: pd.DataFrame,
        *,
        sample_weight: np.ndarray | None = None,
        label_model: dict | None = None,
        learn: list[str] | None = None,
    ) -> EventClassifier:
        """Fit the vectorisers on ``texts`` (training data only) and one calibrated model per type.

        A type with fewer than ``spec.min_positives`` training positives cannot be learned
        reliably; it *backs off* to the weak-label rules (``label_model``, from
        :func:`analysis.labels.combine.fit_label_model`; default: a majority vote of every
        function), whose 0/1 label becomes its probability. ``learn``, if given, limits the
        learned types to those named (the others back off too). A label that is missing
        (NaN) leaves that document out of that type's model: out-of-domain negatives are
        negatives for the military types only.
        """
        self.features_, x = fit_features(self.spec, texts, actors=(label_model or {}).get("actors"))
        return self.fit_matrix(x, labels, sample_weight=sample_weight, label_model=label_model, learn=learn)

    def fit_matrix(
        self,
        x: sparse.csr_matrix,
        labels: pd.DataFrame,
        *,
        sample_weight: np.ndarray | None = None,
        label_model: dict | None = None,
        learn: list[str] | None = None,
    ) -> EventClassifier:
        """Fit one calibrated model per type on a ready feature matrix, one row per ``labels`` row.

        :meth:`fit` calls it after fitting the features; a dev-only comparison may call it
        with extra columns stacked beside them, and then score with :meth:`learned_proba`.
        Types back off to the rules as in :meth:`fit`.
        """
        weight = np.ones(x.shape[0]) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        every_lf = [lf.name for lf in labeling_functions()]
        self.label_model = label_model or {"combine": "majority", "min_accuracy": 0.0, "voting_lfs": every_lf}
        self.models_: dict[str, object] = {}
        learnable = learnable_types(labels, self.spec)
        for t in tqdm(self.event_types, desc="train", leave=False, disable=None):
            if learn is not None and t not in learn:
                self.models_[t] = "rules"
                continue
            known = labels[t].notna().to_numpy()
            y = labels[t][known].to_numpy().astype(int)
            if t not in learnable:
                self.models_[t] = "rules"
                log.warning(
                    "%s: %d training positives (< %d); backing off to the rules",
                    t,
                    int(y.sum()),
                    self.spec.min_positives,
                )
                continue
            # a document whose label is unknown for this type (NaN) is left out of its model
            xt, wt = (x, weight) if known.all() else (x[known], weight[known])
            self.models_[t] = calibrated_model(self.spec, seed=self.seed).fit(xt, y, sample_weight=wt)
        self.gate_ = self._fit_gate(x, labels, weight)
        return self

    def _fit_gate(self, x: sparse.csr_matrix, labels: pd.DataFrame, weight: np.ndarray):
        """Fit the out-of-domain gate (``spec.ood_gate``): the conflict corpus against the out-of-domain negatives.

        News outside the conflict corpus that uses its words ("Liverpool and City clash",
        "oil prices retreat") reads like a report to the per-type models, which learn each
        type against the corpus's other reports. The gate learns the other contrast, corpus
        (gold and weak rows) against the out-of-domain rows, on the same features, and
        :meth:`predict_proba` multiplies every type's probability by it. None without
        out-of-domain rows or with the gate off.
        """
        if not self.spec.ood_gate or "source" not in labels or not (labels["source"] == "ood").any():
            return None
        y = (labels["source"] != "ood").to_numpy().astype(int)
        return calibrated_model(self.spec, seed=self.seed).fit(x, y, sample_weight=weight)

    def in_domain_proba(self, x: sparse.csr_matrix) -> np.ndarray | None:
        """Return the gate's probability that each row is conflict news (None: no gate)."""
        gate = getattr(self, "gate_", None)  # models saved before the gate have none
        return None if gate is None else gate.predict_proba(x)[:, 1]

    def refit(
        self, texts: pd.Series, labels: pd.DataFrame, *, sample_weight: np.ndarray | None = None
    ) -> EventClassifier:
        """Return a new classifier fitted on other data that keeps this one's thresholds.

        It learns the same types as this one (the others back off to the same voting
        functions), so every threshold stays attached to the kind of model it was tuned
        for: a type that only reaches ``spec.min_positives`` in the new data would
        otherwise be learned with an untuned threshold of 0.5.

        Parameters
        ----------
        texts : Series
            The new training texts (the classifier's input, as :func:`model_input` builds it).
        labels : DataFrame
            One boolean column per event type, one row per text.
        sample_weight : ndarray, optional
            Per-text weights; default 1.

        Returns
        -------
        EventClassifier
            A new fitted classifier with this one's spec, seed, voting functions and thresholds.

        Raises
        ------
        DataError
            If the new data leave a learned type with too few positives to learn it.
        """
        new = EventClassifier(self.spec, seed=self.seed).fit(
            texts, labels, sample_weight=sample_weight, label_model=self.label_model, learn=self.learned_types()
        )
        return self.handover(new)

    def handover(self, new: EventClassifier) -> EventClassifier:
        """Give ``new`` (fitted with this one's spec, label model and learned types) this one's thresholds.

        Raises
        ------
        DataError
            If ``new`` could not learn every type this one learned.
        """
        if new.learned_types() != self.learned_types():
            lost = sorted(set(self.learned_types()) - set(new.learned_types()))
            raise DataError(f"refit: too few training positives to learn {lost} again; its thresholds would not fit")
        new.thresholds = dict(self.thresholds)
        return new

    def learned_types(self) -> list[str]:
        """Return the types with a learned model, in codebook order (the others back off to the rules)."""
        return [t for t in self.event_types if not isinstance(self.models_[t], str)]

    def learned_proba(self, x: sparse.csr_matrix) -> dict[str, np.ndarray]:
        """Return the learned types' calibrated probabilities for a matrix laid out as in fitting."""
        return {t: self.models_[t].predict_proba(x)[:, 1] for t in self.learned_types()}

    def predict_proba(self, texts: pd.Series) -> pd.DataFrame:
        """Return calibrated probabilities, one column ``p_<type>`` per type."""
        backoff = [t for t in self.event_types if t not in self.learned_types()]
        # the rules run once: their votes feed both the stacked features and the back-off types
        votes = (
            apply_lfs(pd.Series(list(texts)), actors_of(self.label_model))
            if (backoff or self.spec.rule_features)
            else None
        )
        x = self._features(texts, votes)
        learned = self.learned_proba(x)
        weak = apply_label_model(votes, self.label_model) if backoff else None
        out = {f"p_{t}": learned[t] if t in learned else weak[t].to_numpy(dtype=float) for t in self.event_types}
        gate = self.in_domain_proba(x)
        if gate is not None:
            out = {name: p * gate for name, p in out.items()}
        return pd.DataFrame(out, index=texts.index)

    def _features(self, texts: pd.Series, votes: pd.DataFrame | None) -> sparse.csr_matrix:
        """Transform like ``features_`` (word, char, rules, in that order), reusing precomputed votes."""
        blocks = []
        for name, transformer in self.features_.transformer_list:
            if name == "rules":
                blocks.append(RuleFeatures.from_votes(votes))
            else:
                blocks.append(transformer.transform(texts))
        return sparse.hstack(blocks, format="csr")

    def predict(self, texts: pd.Series) -> pd.DataFrame:
        """Return boolean labels, one column per type, using the per-type thresholds."""
        return self.labels_from_proba(self.predict_proba(texts))

    def labels_from_proba(self, proba: pd.DataFrame) -> pd.DataFrame:
        """Apply the per-type thresholds to a frame of ``p_<type>`` columns."""
        return pd.DataFrame({t: proba[f"p_{t}"] >= self.thresholds[t] for t in self.event_types}, index=proba.index)

    def tune_thresholds(self, proba: pd.DataFrame, gold: pd.DataFrame, *, grid: np.ndarray) -> pd.DataFrame:
        """Choose each type's threshold to maximise F1 on a tuning split (dev), and keep it.

        Types without a positive in ``gold`` keep 0.5. Ties go to the highest threshold.

        Returns
        -------
        DataFrame
            One row per type: ``event_type``, ``model`` (``learned``, or ``rules`` for a type
            that backs off to the weak-label rules), ``threshold``, ``dev_f1``, ``n_pos_dev``.
        """
        rows = []
        learned = self.learned_types()
        for t in self.event_types:
            y = gold[t].to_numpy().astype(bool)
            best_th, best_f1 = 0.5, np.nan
            if y.any() and t in learned:
                best_th, best_f1 = best_threshold(proba[f"p_{t}"].to_numpy(), y, grid=grid)
            elif y.any():
                best_f1 = float(f1_by_threshold(proba[f"p_{t}"].to_numpy(), y, grid=np.array([best_th]))[0])
            self.thresholds[t] = round(best_th, 4)
            rows.append(
                {
                    "event_type": t,
                    "model": "learned" if t in learned else "rules",
                    "threshold": self.thresholds[t],
                    "dev_f1": best_f1,
                    "n_pos_dev": int(y.sum()),
                }
            )
        return pd.DataFrame(rows)

    def top_features(self, *, n: int) -> pd.DataFrame:
        """Return the ``n`` n-grams with the largest mean coefficient per type (averaged over folds).

        Returns
        -------
        DataFrame
            Columns ``event_type``, ``rank``, ``feature`` (``word:`` or ``char:`` prefix), ``weight``.
        """
        names = self.features_.get_feature_names_out()
        rows = []
        for t in self.learned_types():
            calibrated = self.models_[t].calibrated_classifiers_
            coef = np.mean([np.ravel(c.estimator.coef_) for c in calibrated], axis=0)
            for rank, i in enumerate(np.argsort(-coef, kind="stable")[:n], 1):
                rows.append(
                    {"event_type": t, "rank": rank, "feature": names[i].replace("__", ":", 1), "weight": float(coef[i])}
                )
        return pd.DataFrame(rows)


def train_classifier(
    train: pd.DataFrame,
    dev: pd.DataFrame,
    *,
    spec: ModelSpec,
    label_model: dict,
    grid: np.ndarray,
    refit_on_dev: bool,
    seed: int,
    n_jobs: int = 1,
) -> tuple[EventClassifier, pd.DataFrame, pd.DataFrame]:
    """Fit on the training set, tune per-type thresholds on dev, and optionally refit on train + dev.

    The refit keeps the thresholds tuned for the train-only model and learns the same
    types: dev's documents then also serve as training data, as the ``refit_on_dev``
    check shows on halves of dev. The refit needs only the types the train-only model
    learns (:func:`learnable_types` of ``train``), not its thresholds, so the two fits can
    run at once.

    Parameters
    ----------
    train, dev : DataFrame
        The training and gold dev sets (:data:`analysis.model.datasets.SET_COLUMNS`).
    spec : ModelSpec
        Feature and model hyper-parameters.
    label_model : dict
        The label model whose labels back off the rare types.
    grid : ndarray
        Candidate thresholds.
    refit_on_dev : bool
        Refit on train + dev after tuning (``train.refit_on_dev``).
    seed : int
        Seed of the linear models and calibration folds.
    n_jobs : int
        Fits run at once (worker processes): the train-only fit and the refit. The
        model's parameters and probabilities do not depend on it; the saved file's bytes
        do (skops numbers the arrays of a model that came back from a worker otherwise),
        so changing it re-runs the stages downstream.

    Returns
    -------
    tuple
        The fitted :class:`EventClassifier`; the thresholds table of
        :meth:`EventClassifier.tune_thresholds` (``event_type``, ``model``, ``threshold``,
        ``dev_f1``, ``n_pos_dev``; ``dev_f1`` is the train-only model's); and the train-only model's dev
        probabilities (``doc_id`` and ``p_<type>``), which the dev scores use, since the saved
        model may have seen dev.
    """
    fits = [(train, None)]
    if refit_on_dev:
        both = pd.concat([train, dev], ignore_index=True).sort_values("doc_id", ignore_index=True, kind="stable")
        log.info("fitting on train, and on train + dev: %d documents (%d from dev)", len(both), len(dev))
        fits.append((both, learnable_types(train, spec)))
    fitted = Parallel(n_jobs=min(n_jobs, len(fits)))(
        delayed(_fit)(frame, spec=spec, seed=seed, label_model=label_model, learn=learn) for frame, learn in fits
    )
    model = fitted[0]
    dev_proba = model.predict_proba(dev["text"])
    thresholds = model.tune_thresholds(dev_proba, dev, grid=grid)
    if refit_on_dev:
        model = model.handover(fitted[1])
    return model, thresholds, pd.concat([dev[["doc_id"]], dev_proba.round(6)], axis=1)


def _fit(
    frame: pd.DataFrame, *, spec: ModelSpec, seed: int, label_model: dict, learn: list[str] | None
) -> EventClassifier:
    """One fit of :func:`train_classifier` (run in a worker process)."""
    return EventClassifier(spec, seed=seed).fit(
        frame["text"], frame, sample_weight=frame["weight"].to_numpy(), label_model=label_model, learn=learn
    )
