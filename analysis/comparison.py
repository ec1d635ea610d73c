"""Dev-only comparisons of two classifier variants: average precision and cross-fitted F1.

Dev is where the study tunes its thresholds, so these comparisons score probabilities
(average precision) and F1 at thresholds cross-fitted on halves of dev, and never read
the test split. ``supplement_on_dev`` (study pipeline) and ``encoder_on_study_dev``
(benchmark pipeline) both report through :func:`dev_comparison`; ``refit_on_dev``
(study pipeline) scores each half of dev with a model refitted on the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.metrics import average_precision_score, f1_score

from analysis.codebook import EVENT_TYPES
from analysis.datasets import training_set
from analysis.errors import DataError
from analysis.model import EventClassifier, ModelSpec, fit_features


def cross_fitted_f1(proba: np.ndarray, y: np.ndarray, *, grid: np.ndarray, repeats: int, seed: int) -> float:
    """F1 with the threshold chosen on one half of dev and applied to the other, both ways, averaged.

    Dev is also where the study tunes its thresholds, so F1 at a threshold tuned on the
    same documents would flatter every variant; cross-fitting keeps the comparison honest.

    Returns
    -------
    float
        The mean over ``repeats`` random halvings of the F1 of the whole dev split.
    """
    scores = []
    for r in range(repeats):
        order = np.random.default_rng(seed + r).permutation(len(y))
        halves = (order[: len(y) // 2], order[len(y) // 2 :])
        pred = np.zeros(len(y), dtype=bool)
        for tune, apply in (halves, halves[::-1]):
            pred[apply] = proba[apply] >= _best_threshold(proba[tune], y[tune], grid=grid)
        scores.append(f1_score(y, pred, zero_division=0))
    return float(np.mean(scores))


def _best_threshold(proba: np.ndarray, y: np.ndarray, *, grid: np.ndarray) -> float:
    """Return the F1-best threshold of ``grid`` on (``proba``, ``y``); ties go to the higher cut."""
    f1 = [f1_score(y, proba >= t, zero_division=0) for t in grid]
    return float(grid[len(grid) - 1 - int(np.argmax(f1[::-1]))])


def dev_comparison(
    dev: pd.DataFrame, probas: dict[str, dict[str, np.ndarray]], *, baseline: str, variant: str, seed: int
) -> pd.DataFrame:
    """Compare two variants' dev probabilities type by type: average precision and cross-fitted F1.

    Parameters
    ----------
    dev : DataFrame
        The gold dev set, one boolean column per event type.
    probas : dict
        ``{variant name: {event type: dev probabilities}}`` for ``baseline`` and ``variant``,
        over the same types (the caller decides which types are comparable).
    baseline, variant : str
        Keys of ``probas``; differences are ``variant`` minus ``baseline``.
    seed : int
        Seed of the random halves of :func:`cross_fitted_f1` (5 repeats).

    Raises
    ------
    DataError
        If no type is left to compare.

    Returns
    -------
    DataFrame
        One row per type plus ``macro``: ``event_type``, ``n_pos_dev``, ``ap_<baseline>``,
        ``f1_<baseline>``, ``ap_<variant>``, ``f1_<variant>``, ``ap_difference``,
        ``f1_difference``, rounded to 4 decimals. The ``macro`` row holds the unweighted
        mean of each score over the types and the total of ``n_pos_dev``.
    """
    if not probas[baseline]:
        raise DataError(f"dev comparison {variant} vs {baseline}: no event type is left to compare")
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    rows = []
    for t in probas[baseline]:
        y_dev = dev[t].to_numpy().astype(bool)
        row = {"event_type": t, "n_pos_dev": int(y_dev.sum())}
        for name in (baseline, variant):
            proba = probas[name][t]
            row[f"ap_{name}"] = average_precision_score(y_dev, proba)
            row[f"f1_{name}"] = cross_fitted_f1(proba, y_dev, grid=grid, repeats=5, seed=seed)
        rows.append(row)
    return _comparison_frame(rows, baseline=baseline, variant=variant)


def _comparison_frame(rows: list[dict], *, baseline: str, variant: str) -> pd.DataFrame:
    """Add the ``macro`` row and the differences to per-type score rows, rounded (see :func:`dev_comparison`)."""
    out = pd.DataFrame(rows)
    macro = {"event_type": "macro", "n_pos_dev": int(out["n_pos_dev"].sum())}
    macro.update(out.drop(columns=["event_type", "n_pos_dev"]).mean().to_dict())
    out = pd.concat([out, pd.DataFrame([macro])], ignore_index=True)
    out["ap_difference"] = out[f"ap_{variant}"] - out[f"ap_{baseline}"]
    out["f1_difference"] = out[f"f1_{variant}"] - out[f"f1_{baseline}"]
    numeric = out.columns.drop("event_type")
    out[numeric] = out[numeric].round(4) + 0  # + 0 turns a rounded -0.0 into 0.0
    return out


def supplement_on_dev(
    documents: pd.DataFrame,
    gold: pd.DataFrame,
    weak: pd.DataFrame,
    dev: pd.DataFrame,
    *,
    spec: ModelSpec,
    voting_lfs: list[str],
    train_only_strata: tuple[str, ...],
    weak_weight: float,
    max_weak: int,
    min_dev_positives: int,
    seed: int,
) -> pd.DataFrame:
    """Score the classifier with and without the train-only gold supplement, on gold dev only.

    ``with`` is the features and train stages' training set. ``without`` is the same set
    built from a gold table that lacks the ``train_only_strata`` documents, so those
    documents (and their text-group mates) come back as weakly labelled rows, as they
    would have been had they never been annotated. Both variants use the same model
    settings and the same voting functions (``voting_lfs``, chosen on gold train with the
    supplement). The test split is never read.

    Parameters
    ----------
    documents, gold, weak : DataFrame
        The documents table, the gold table and the weak labels (``doc_id`` plus one
        boolean column per type), as the features stage reads them.
    dev : DataFrame
        The gold dev set.
    spec : ModelSpec
        The train stage's model settings.
    voting_lfs : list of str
        The labelling functions whose vote backs off the rare types.
    train_only_strata : tuple of str
        The strata of the supplement (``gold.train_only_strata``).
    weak_weight, max_weak : float, int
        As in :func:`analysis.datasets.training_set`.
    min_dev_positives : int
        Types with fewer dev positives are not compared.
    seed : int
        Seed of the weak sample, the models and the cross-fitting.

    Raises
    ------
    DataError
        If the gold table has no document of ``train_only_strata``.

    Returns
    -------
    DataFrame
        As :func:`dev_comparison`: ``event_type``, ``n_pos_dev``, ``ap_without``,
        ``f1_without``, ``ap_with``, ``f1_with``, ``ap_difference``, ``f1_difference``
        (with minus without). Only types that both variants learn (rather than back off to
        the rules) are compared.
    """
    supplement = gold["stratum"].isin(train_only_strata)
    if not supplement.any():
        raise DataError(f"gold: no document of the train-only strata {list(train_only_strata)}")
    kwargs = {"weak_weight": weak_weight, "max_weak": max_weak, "seed": seed}
    variants = {
        "without": training_set(documents, gold[~supplement], weak, **kwargs),
        "with": training_set(documents, gold, weak, **kwargs),
    }
    probas: dict[str, dict[str, np.ndarray]] = {}
    learned: dict[str, set[str]] = {}
    for name, train in variants.items():
        model = EventClassifier(spec, seed=seed).fit(
            train["text"], train, sample_weight=train["weight"].to_numpy(), voting_lfs=voting_lfs
        )
        proba = model.predict_proba(dev["text"])
        learned[name] = set(model.learned_types())
        probas[name] = {t: proba[f"p_{t}"].to_numpy() for t in EVENT_TYPES}
    types = [t for t in EVENT_TYPES if t in learned["without"] & learned["with"] and dev[t].sum() >= min_dev_positives]
    probas = {name: {t: p[t] for t in types} for name, p in probas.items()}
    return dev_comparison(dev, probas, baseline="without", variant="with", seed=seed)


def refit_on_dev(
    train: pd.DataFrame,
    dev: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    spec: ModelSpec,
    voting_lfs: list[str],
    grid: np.ndarray,
    min_dev_positives: int,
    repeats: int,
    seed: int,
) -> pd.DataFrame:
    """Check ``train.refit_on_dev`` on gold dev alone: score a train-only and a refitted model.

    Dev is split into halves by text group (so no near-copy could straddle them),
    ``repeats`` times. For each half, thresholds are tuned on the *other* half with the train-only
    model, as the train stage tunes them on dev; then both the train-only model and a
    model refitted on train plus that other half are scored on this half at those
    thresholds. Every dev document is thus scored once per repeat by a model that never
    saw it. The vectorisers are fitted on the training set once and shared, so the refit
    adds the tuning half's rows to the linear models only (the train stage also refits
    the vocabulary). The test split is never read.

    Parameters
    ----------
    train, dev : DataFrame
        The training and gold dev sets (:data:`analysis.datasets.SET_COLUMNS`).
    gold : DataFrame
        The gold table; gives each dev document's ``text_group``.
    spec : ModelSpec
        The train stage's model settings.
    voting_lfs : list of str
        The labelling functions whose vote backs off the rare types.
    grid : ndarray
        Candidate thresholds, as the train stage tunes over.
    min_dev_positives : int
        Types with fewer dev positives are not compared.
    repeats : int
        Random halvings of dev; the scores are their means.
    seed : int
        Seed of the models and the halvings.

    Raises
    ------
    DataError
        If no learned type has ``min_dev_positives`` dev positives.

    Returns
    -------
    DataFrame
        As :func:`dev_comparison`: ``event_type``, ``n_pos_dev``, ``ap_train_only``,
        ``f1_train_only``, ``ap_refit``, ``f1_refit``, ``ap_difference``, ``f1_difference``
        (refit minus train-only), rounded to 4 decimals: one row per type that the train-only
        model learns and that has ``min_dev_positives`` dev positives, plus ``macro``.
        ``ap_refit`` ranks the pooled scores of the two refitted models of each repeat.
    """
    features, x = fit_features(spec, train["text"])
    x_dev = features.transform(dev["text"]).tocsr()
    weight = train["weight"].to_numpy()
    base = EventClassifier(spec, seed=seed).fit_matrix(x, train, sample_weight=weight, voting_lfs=voting_lfs)
    p_base = base.learned_proba(x_dev)
    types = [t for t in base.learned_types() if dev[t].sum() >= min_dev_positives]
    if not types:
        raise DataError(f"refit on dev: no learned event type has {min_dev_positives} or more dev positives")
    groups = gold.set_index("doc_id").loc[dev["doc_id"], "text_group"].to_numpy()
    distinct = np.unique(groups)
    y = {t: dev[t].to_numpy().astype(bool) for t in types}
    scores = {t: {"ap_train_only": [], "f1_train_only": [], "ap_refit": [], "f1_refit": []} for t in types}
    for r in range(repeats):
        first = np.isin(groups, np.random.default_rng(seed + r).permutation(distinct)[: len(distinct) // 2])
        p_refit = {t: np.zeros(len(dev)) for t in types}
        cut = {t: np.zeros(len(dev)) for t in types}
        for tune in (first, ~first):
            rows = np.flatnonzero(tune)
            refit = EventClassifier(spec, seed=seed).fit_matrix(
                sparse.vstack([x, x_dev[rows]], format="csr"),
                pd.concat([train[list(EVENT_TYPES)], dev.iloc[rows][list(EVENT_TYPES)]], ignore_index=True),
                sample_weight=np.concatenate([weight, dev["weight"].to_numpy()[rows]]),
                voting_lfs=voting_lfs,
                learn=types,  # only the compared types are fitted
            )
            for t, p in refit.learned_proba(x_dev[~tune]).items():
                p_refit[t][~tune] = p
                cut[t][~tune] = _best_threshold(p_base[t][tune], y[t][tune], grid=grid)
        for t in types:
            scores[t]["ap_train_only"].append(average_precision_score(y[t], p_base[t]))
            scores[t]["f1_train_only"].append(f1_score(y[t], p_base[t] >= cut[t], zero_division=0))
            scores[t]["ap_refit"].append(average_precision_score(y[t], p_refit[t]))
            scores[t]["f1_refit"].append(f1_score(y[t], p_refit[t] >= cut[t], zero_division=0))
    rows = [
        {"event_type": t, "n_pos_dev": int(y[t].sum()), **{k: float(np.mean(v)) for k, v in scores[t].items()}}
        for t in types
    ]
    return _comparison_frame(rows, baseline="train_only", variant="refit")
