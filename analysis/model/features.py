"""What the classifier reads: its input text and features (TF-IDF n-grams, labelling-function votes).

:func:`fit_features` fits the feature union on training texts only; the fitted union is
kept inside :class:`analysis.model.classifier.EventClassifier`, so the saved model
transforms new text exactly as it did the training data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from analysis.labels.actors import actors_from_json
from analysis.labels.functions import NEG, POS, apply_lfs, labeling_functions
from analysis.params import ModelSpec


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
        if terms is not None:  # as str objects, in one pass (part of every model load: keep it fast)
            state["vocabulary_"] = dict(zip(np.asarray(terms, dtype=str).tolist(), range(len(terms)), strict=True))
        super().__setstate__(state)


class RuleFeatures(BaseEstimator, TransformerMixin):
    """The labelling functions' votes as features: one POS and one NEG indicator per function.

    Stacking the rules under the linear models lets them learn how far to trust each rule,
    and the n-grams correct what the rules miss. Nothing is fitted. ``actors`` is the actor
    dictionary as JSON (:func:`analysis.labels.actors.actors_to_json`; None: none).
    """

    def __init__(self, actors: dict | None = None) -> None:
        self.actors = actors

    def fit(self, texts, y=None):  # noqa: D102 (scikit-learn API)
        self.n_features_in_ = 1
        return self

    def transform(self, texts) -> sparse.csr_matrix:  # noqa: D102
        return self.from_votes(apply_lfs(pd.Series(list(texts)), actors_from_json(self.actors)))

    @staticmethod
    def from_votes(votes: pd.DataFrame) -> sparse.csr_matrix:
        """Encode a vote frame from :func:`analysis.labels.functions.apply_lfs` as the POS and NEG indicator block."""
        v = votes.to_numpy()
        return sparse.csr_matrix(np.hstack([v == POS, v == NEG]).astype(np.float32))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:  # noqa: D102
        names = [lf.name for lf in labeling_functions()]
        return np.array([f"{n}=pos" for n in names] + [f"{n}=neg" for n in names], dtype=object)


def make_features(spec: ModelSpec, *, actors: dict | None = None) -> FeatureUnion:
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
        parts.append(("rules", RuleFeatures(actors)))
    return FeatureUnion(parts)


def fit_features(
    spec: ModelSpec, texts: pd.Series, *, actors: dict | None = None
) -> tuple[FeatureUnion, sparse.csr_matrix]:
    """Fit the feature union on ``texts`` and return it with their matrix, in one pass.

    Fitting and then transforming would read the texts (and run the labelling functions)
    twice. The column indices are sorted, as ``transform`` leaves them, so the linear models
    see exactly the matrix they would otherwise have seen.

    Returns
    -------
    tuple
        The fitted :class:`~sklearn.pipeline.FeatureUnion` and the CSR matrix of ``texts``.
    """
    features = make_features(spec, actors=actors)
    x = features.fit_transform(texts).tocsr()
    x.sort_indices()
    return features, x
