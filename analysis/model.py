"""The event-type classifier: TF-IDF word and character n-grams, one calibrated linear model per type.

:class:`EventClassifier` keeps the fitted vectorisers, the per-type models and the
per-type decision thresholds together, so one skops file holds everything needed
to classify new text (``python -m analysis classify``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from tqdm.auto import tqdm

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.rules import NEG, POS, apply_lfs, labeling_functions, weak_labels

log = logging.getLogger(__name__)


def model_input(frame: pd.DataFrame) -> pd.Series:
    """Return the text the classifier reads: title and text for articles, headlines for events.

    A UCDP document's title is its first headline, already in its text, so it is not repeated.
    """
    title = frame["title"].fillna("") if "title" in frame else pd.Series("", index=frame.index)
    is_article = frame["collection"].eq("fakes") if "collection" in frame else title.ne("")
    return (title + " \n " + frame["text"]).where(is_article, frame["text"])


@dataclass(frozen=True)
class ModelSpec:
    """Hyper-parameters of :func:`make_features` and :class:`EventClassifier` (``params.yaml: train``)."""

    word_ngram_max: int
    char_ngram_min: int
    char_ngram_max: int
    min_df: int
    max_features: int
    classifier: str  # "svm" or "logistic"
    c: float
    class_weight: str | None
    calibration: str  # "sigmoid" or "isotonic"
    calibration_folds: int
    rule_features: bool
    min_positives: int  # fewer training positives: the type backs off to the weak-label rules


class CompactTfidfVectorizer(TfidfVectorizer):
    """A :class:`TfidfVectorizer` whose saved state holds its vocabulary as one array.

    skops stores a dict item by item, which makes a 400,000-term ``vocabulary_`` slow to
    save and load; an array of terms (position = column) is one ``.npy`` file. The
    ``stop_words_`` set of pruned terms is dropped after fitting, as scikit-learn allows.
    """

    def fit(self, raw_documents, y=None):  # noqa: D102 (scikit-learn API)
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents, y=None):  # noqa: D102
        x = super().fit_transform(raw_documents, y)
        if hasattr(self, "stop_words_"):
            del self.stop_words_
        return x

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())
        # id() of the stop-word list, cached by scikit-learn: a memory address, different in
        # every process (it only skips a re-check, so dropping it is safe)
        state.pop("_stop_words_id", None)
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            terms = np.empty(len(vocabulary), dtype=object)
            for term, column in vocabulary.items():
                terms[column] = term
            state["vocabulary_terms_"] = terms.astype(str)
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        if terms is not None:
            state["vocabulary_"] = {str(t): i for i, t in enumerate(terms)}
        super().__setstate__(state)


class RuleFeatures(BaseEstimator, TransformerMixin):
    """The labelling functions' votes as features: one POS and one NEG indicator per function.

    Stacking the rules under the linear models lets them learn how far to trust each rule,
    and the n-grams correct what the rules miss. Nothing is fitted.
    """

    def fit(self, texts, y=None):  # noqa: D102 (scikit-learn API)
        self.n_features_in_ = 1
        return self

    def transform(self, texts) -> sparse.csr_matrix:  # noqa: D102
        return self.from_votes(apply_lfs(pd.Series(list(texts))))

    @staticmethod
    def from_votes(votes: pd.DataFrame) -> sparse.csr_matrix:
        """Encode a vote frame from :func:`analysis.rules.apply_lfs` as the POS and NEG indicator block."""
        v = votes.to_numpy()
        return sparse.csr_matrix(np.hstack([v == POS, v == NEG]).astype(np.float32))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:  # noqa: D102
        names = [lf.name for lf in labeling_functions()]
        return np.array([f"{n}=pos" for n in names] + [f"{n}=neg" for n in names], dtype=object)


def make_features(spec: ModelSpec) -> FeatureUnion:
    """TF-IDF on word 1..n-grams and character n-grams (within word boundaries), unfitted.

    With ``spec.rule_features`` the labelling functions' votes are stacked beside them.
    """
    word = CompactTfidfVectorizer(
        ngram_range=(1, spec.word_ngram_max),
        min_df=spec.min_df,
        max_features=spec.max_features,
        sublinear_tf=True,
        strip_accents="unicode",
        lowercase=True,
        dtype=np.float32,
    )
    char = CompactTfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(spec.char_ngram_min, spec.char_ngram_max),
        min_df=spec.min_df,
        max_features=spec.max_features,
        sublinear_tf=True,
        lowercase=True,
        dtype=np.float32,
    )
    parts = [("word", word), ("char", char)]
    if spec.rule_features:
        parts.append(("rules", RuleFeatures()))
    return FeatureUnion(parts)


def fit_features(spec: ModelSpec, texts: pd.Series) -> tuple[FeatureUnion, sparse.csr_matrix]:
    """Fit the feature union on ``texts`` and return it with their matrix, in one pass.

    Fitting and then transforming would read the texts (and run the labelling functions)
    twice. The column indices are sorted, as ``transform`` leaves them, so the linear models
    see exactly the matrix they would otherwise have seen.

    Returns
    -------
    tuple
        The fitted :class:`~sklearn.pipeline.FeatureUnion` and the CSR matrix of ``texts``.
    """
    features = make_features(spec)
    x = features.fit_transform(texts).tocsr()
    x.sort_indices()
    return features, x


def _base_estimator(spec: ModelSpec, *, seed: int):
    if spec.classifier == "svm":
        return LinearSVC(C=spec.c, class_weight=spec.class_weight, max_iter=5000, random_state=seed)
    return LogisticRegression(C=spec.c, class_weight=spec.class_weight, max_iter=2000, random_state=seed)


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
        voting_lfs: list[str] | None = None,
        learn: list[str] | None = None,
    ) -> EventClassifier:
        """Fit the vectorisers on ``texts`` (training data only) and one calibrated model per type.

        A type with fewer than ``spec.min_positives`` training positives cannot be learned
        reliably; it *backs off* to the weak-label rules (majority vote of ``voting_lfs``,
        default all LFs), whose vote (0 or 1) becomes its probability. ``learn``, if given,
        limits the learned types to those named (the others back off too).
        """
        self.features_, x = fit_features(self.spec, texts)
        return self.fit_matrix(x, labels, sample_weight=sample_weight, voting_lfs=voting_lfs, learn=learn)

    def fit_matrix(
        self,
        x: sparse.csr_matrix,
        labels: pd.DataFrame,
        *,
        sample_weight: np.ndarray | None = None,
        voting_lfs: list[str] | None = None,
        learn: list[str] | None = None,
    ) -> EventClassifier:
        """Fit one calibrated model per type on a ready feature matrix, one row per ``labels`` row.

        :meth:`fit` calls it after fitting the features; a dev-only comparison may call it
        with extra columns stacked beside them, and then score with :meth:`learned_proba`.
        Types back off to the rules as in :meth:`fit`.
        """
        weight = np.ones(x.shape[0]) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.voting_lfs = list(voting_lfs) if voting_lfs is not None else [lf.name for lf in labeling_functions()]
        self.models_: dict[str, object] = {}
        for t in tqdm(self.event_types, desc="train", leave=False, disable=None):
            y = labels[t].to_numpy().astype(int)
            if learn is not None and t not in learn:
                self.models_[t] = "rules"
                continue
            if y.sum() < self.spec.min_positives or len(y) - y.sum() < self.spec.calibration_folds:
                self.models_[t] = "rules"
                log.warning(
                    "%s: %d training positives (< %d); backing off to the rules",
                    t,
                    int(y.sum()),
                    self.spec.min_positives,
                )
                continue
            folds = StratifiedKFold(self.spec.calibration_folds, shuffle=True, random_state=self.seed)
            model = CalibratedClassifierCV(
                _base_estimator(self.spec, seed=self.seed), method=self.spec.calibration, cv=folds
            )
            self.models_[t] = model.fit(x, y, sample_weight=weight)
        return self

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
            texts, labels, sample_weight=sample_weight, voting_lfs=self.voting_lfs, learn=self.learned_types()
        )
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
        votes = apply_lfs(pd.Series(list(texts))) if (backoff or self.spec.rule_features) else None
        learned = self.learned_proba(self._features(texts, votes))
        weak = weak_labels(votes, use=self.voting_lfs) if backoff else None
        out = {f"p_{t}": learned[t] if t in learned else weak[t].to_numpy(dtype=float) for t in self.event_types}
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
            One row per type: ``event_type``, ``threshold``, ``dev_f1``, ``n_pos_dev``.
        """
        rows = []
        learned = self.learned_types()
        for t in self.event_types:
            y = gold[t].to_numpy().astype(bool)
            p = proba[f"p_{t}"].to_numpy()
            best_f1, best_th = -1.0, 0.5
            if y.any() and t in learned:
                for th in grid:
                    pred = p >= th
                    tp = (pred & y).sum()
                    f1 = 2 * tp / (pred.sum() + y.sum()) if (pred.sum() + y.sum()) else 0.0
                    if f1 >= best_f1:
                        best_f1, best_th = f1, float(th)
            self.thresholds[t] = round(best_th, 4)
            rows.append(
                {
                    "event_type": t,
                    "threshold": self.thresholds[t],
                    "dev_f1": best_f1 if y.any() else np.nan,
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
    voting_lfs: list[str],
    grid: np.ndarray,
    refit_on_dev: bool,
    seed: int,
) -> tuple[EventClassifier, pd.DataFrame]:
    """Fit on the training set, tune per-type thresholds on dev, and optionally refit on train + dev.

    The refit keeps the thresholds tuned for the train-only model and learns the same
    types: dev's documents then also serve as training data, as the ``refit_on_dev``
    stage checks on halves of dev.

    Parameters
    ----------
    train, dev : DataFrame
        The training and gold dev sets (:data:`analysis.datasets.SET_COLUMNS`).
    spec : ModelSpec
        Feature and model hyper-parameters.
    voting_lfs : list of str
        The labelling functions whose vote backs off the rare types.
    grid : ndarray
        Candidate thresholds.
    refit_on_dev : bool
        Refit on train + dev after tuning (``train.refit_on_dev``).
    seed : int
        Seed of the linear models and calibration folds.

    Returns
    -------
    tuple
        The fitted :class:`EventClassifier`, and the thresholds table of
        :meth:`EventClassifier.tune_thresholds` (``event_type``, ``threshold``, ``dev_f1``,
        ``n_pos_dev``; ``dev_f1`` is the train-only model's).
    """
    model = EventClassifier(spec, seed=seed).fit(
        train["text"], train, sample_weight=train["weight"].to_numpy(), voting_lfs=voting_lfs
    )
    thresholds = model.tune_thresholds(model.predict_proba(dev["text"]), dev, grid=grid)
    if refit_on_dev:
        both = pd.concat([train, dev], ignore_index=True).sort_values("doc_id", ignore_index=True, kind="stable")
        log.info("refitting on train + dev: %d documents (%d from dev)", len(both), len(dev))
        model = model.refit(both["text"], both, sample_weight=both["weight"].to_numpy())
    return model, thresholds
