"""The external yardstick: the package's classifier family on ConfliBERT's six tasks.

Same features as the study classifier (TF-IDF word and character n-grams, fitted on
the training split only) and the same model per label: a linear SVM in Platt
calibration (:func:`analysis.model.classifier.calibrated_model`), or one multi-class
SVM for ``cameo_class``. Decisions are tuned only on dev: per-label thresholds on the
calibrated probabilities by the study's own search and grid
(:mod:`analysis.model.thresholds`), and the regularisation strength C by dev score, or
by cross-validation on train for ``cameo_class``, which has no dev split. Scores use
exactly the published metrics (:func:`score`).

With ``benchmark.encoder`` set (the optional ``embeddings`` extra), sentence embeddings
from a small pretrained encoder are stacked beside the n-grams as a variant, and the
same dev (or CV) scores decide whether each task uses them.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import resource
import time
from functools import partial

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from analysis.model.classifier import calibrated_model
from analysis.model.embeddings import load_encoder, sentence_embeddings, stack_embeddings
from analysis.model.evaluate import example_f1
from analysis.model.features import fit_features
from analysis.model.thresholds import best_threshold, threshold_grid
from analysis.params import BenchmarkTask, ModelSpec


def score(kind: str, metric: str, y: np.ndarray, pred: np.ndarray) -> float:
    """Score with the published metric, in percent.

    ``example_f1``: ConfliBERT's example-based F1 (documents empty in truth and prediction
    dropped); ``macro_f1``: macro-averaged F1 over classes; ``positive_f1``: F1 of class 1.
    """
    if metric == "example_f1":
        return 100 * example_f1(y.astype(bool), pred.astype(bool))
    if metric == "macro_f1":
        return 100 * f1_score(y, pred, average="macro")
    return 100 * f1_score(y, pred, pos_label=1, average="binary")


def _svm(c: float, seed: int) -> LinearSVC:
    return LinearSVC(C=c, class_weight="balanced", max_iter=5000, random_state=seed)


def _fit_label(spec: ModelSpec, x, y: np.ndarray, *, seed: int):
    """One label's calibrated linear model (the study's per-type model), or None when too few positives to calibrate."""
    if y.sum() < spec.calibration_folds or len(y) - y.sum() < spec.calibration_folds:
        return None
    return calibrated_model(spec, seed=seed).fit(x, y)


def _proba(models: list, x) -> np.ndarray:
    """Calibrated probabilities, one column per label (0 where a label has no model)."""
    return np.column_stack([m.predict_proba(x)[:, 1] if m is not None else np.zeros(x.shape[0]) for m in models])


def _thresholds(proba: np.ndarray, y: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Per-label F1-best thresholds on dev (:func:`analysis.model.thresholds.best_threshold`); 0.5 without positives."""
    return np.array(
        [best_threshold(proba[:, j], y[:, j], grid=grid)[0] if y[:, j].any() else 0.5 for j in range(proba.shape[1])]
    )


def _cv_scores(texts, emb, y, *, spec, c_grid, weights, folds) -> dict[tuple[float, float], float]:
    """Macro-F1 by cross-validation on train for every (encoder weight, C).

    The vectorisers are refitted inside each fold, so no fold sees its own held-out
    vocabulary; the encoder is pretrained and fits nothing.
    """
    pred = {(w, c): np.empty_like(y) for w in weights for c in c_grid}
    for fit_idx, held_idx in folds.split(np.zeros(len(y)), y):
        features, x_fit = fit_features(spec, texts.iloc[fit_idx])
        x_held = features.transform(texts.iloc[held_idx])
        for w in weights:
            a = stack_embeddings(x_fit, None if emb is None else emb[fit_idx], w)
            b = stack_embeddings(x_held, None if emb is None else emb[held_idx], w)
            for c in c_grid:
                pred[w, c][held_idx] = _svm(c, folds.random_state).fit(a, y[fit_idx]).predict(b)
    return {key: f1_score(y, p, average="macro") for key, p in pred.items()}


def run_task(
    task: BenchmarkTask,
    splits: dict[str, tuple[pd.Series, np.ndarray]],
    *,
    spec: ModelSpec,
    c_grid: tuple[float, ...],
    cv_folds: int,
    seed: int,
    threshold_step: float,
    encoder: str | None = None,
    encoder_weights: tuple[float, ...] = (0.0,),
) -> dict:
    """Train on train, tune on dev (or by CV on train), evaluate once on test.

    With an ``encoder``, each weight in ``encoder_weights`` is a variant: the sentence
    embeddings, scaled by it, stacked beside the TF-IDF block (0 = TF-IDF alone). The
    variant and C are chosen together on dev (CV for ``cameo_class``), ties to the
    smaller weight and C. The best TF-IDF-only model is also scored on test, untimed,
    so that the embeddings' contribution is visible.

    Returns
    -------
    dict
        ``score`` (percent, published metric), ``score_tfidf_only``, ``dev_score`` (or
        ``cv_score``), ``c``, ``encoder`` (name, or empty), ``encoder_weight`` (chosen),
        ``train_seconds`` (everything before test, tuning and embedding included),
        ``inference_seconds`` (features, embeddings and predictions for test),
        ``n_train``, ``n_test``, ``n_features`` (TF-IDF columns), ``peak_rss_mib``.
    """
    spec = dataclasses.replace(spec, rule_features=False)
    (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
    weights = tuple(sorted(set(encoder_weights) | {0.0})) if encoder else (0.0,)
    grid = threshold_grid(threshold_step)
    start = time.perf_counter()
    model_encoder = load_encoder(encoder) if encoder else None
    embed = partial(sentence_embeddings, encoder=model_encoder)
    e_train = embed(x_train) if encoder else None
    features, xt = fit_features(spec, x_train)
    # per weight: (tuning score, C, fitted models, thresholds or None)
    best: dict[float, tuple] = {}
    if task.kind == "multiclass":
        folds = StratifiedKFold(cv_folds, shuffle=True, random_state=seed)
        cv = _cv_scores(x_train, e_train, y_train, spec=spec, c_grid=c_grid, weights=weights, folds=folds)
        for w in weights:
            c = max(c_grid, key=lambda c: (cv[w, c], -c))
            best[w] = (100 * cv[w, c], c, _svm(c, seed).fit(stack_embeddings(xt, e_train, w), y_train), None)
    else:
        y2 = y_train.reshape(len(y_train), -1)
        x_dev, y_dev = splits["dev"]
        y_dev2 = y_dev.reshape(len(y_dev), -1)
        xd = features.transform(x_dev)
        e_dev = embed(x_dev) if encoder else None
        for w in weights:
            a, b = stack_embeddings(xt, e_train, w), stack_embeddings(xd, e_dev, w)
            for c in c_grid:
                label_spec = dataclasses.replace(spec, c=c)
                models = [_fit_label(label_spec, a, y2[:, j], seed=seed) for j in range(y2.shape[1])]
                proba = _proba(models, b)
                thresholds = _thresholds(proba, y_dev2, grid)
                s = score(task.kind, task.metric, y_dev if task.kind == "binary" else y_dev2, _cut(proba, thresholds))
                if w not in best or s > best[w][0]:
                    best[w] = (s, c, models, thresholds)
    chosen = max(weights, key=lambda w: (round(best[w][0], 6), -w))
    train_seconds = time.perf_counter() - start

    def predict(w: float, x_test_tfidf, e_test) -> np.ndarray:
        _, _, models, thresholds = best[w]
        xs = stack_embeddings(x_test_tfidf, e_test, w)
        if thresholds is None:
            return models.predict(xs)
        return _cut(_proba(models, xs), thresholds)

    t0 = time.perf_counter()
    xs = features.transform(x_test)
    pred = predict(chosen, xs, embed(x_test) if chosen else None)
    inference_seconds = time.perf_counter() - t0
    tfidf_pred = pred if chosen == 0 else predict(0.0, xs, None)
    tuned = "cv_score" if task.kind == "multiclass" else "dev_score"
    return {
        "score": round(score(task.kind, task.metric, y_test, pred), 2),
        "score_tfidf_only": round(score(task.kind, task.metric, y_test, tfidf_pred), 2),
        tuned: round(best[chosen][0], 2),
        "c": best[chosen][1],
        "encoder": encoder or "",
        "encoder_weight": chosen,
        "train_seconds": round(train_seconds, 2),
        "inference_seconds": round(inference_seconds, 2),
        "n_train": len(x_train),
        "n_test": len(x_test),
        "n_features": int(xt.shape[1]),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _cut(proba: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Labels from probabilities and per-label thresholds; one column (binary) comes back flat."""
    pred = (proba >= thresholds).astype(int)
    return pred[:, 0] if pred.shape[1] == 1 else pred


def comparison_table(results: pd.DataFrame, tasks: dict[str, BenchmarkTask]) -> pd.DataFrame:
    """Our score beside the published BERT-base and best ConfliBERT scores (Hu et al. 2022, Table 3).

    Returns
    -------
    DataFrame
        Columns ``task``, ``metric``, ``features`` (what dev chose: ``tfidf`` or
        ``tfidf+<encoder>``), ``score``, ``score_tfidf_only``, ``bert_base_best``,
        ``conflibert_best``, ``minus_conflibert``, ``minus_bert_base``,
        ``within_2_of_conflibert``, ``ahead_of_bert_base``, ``train_plus_inference_seconds``.
    """
    rows = []
    for _, r in results.iterrows():
        pub = tasks[r["task"]].published
        bert = max(pub["bert_base_uncased"], pub["bert_base_cased"])
        rows.append(
            {
                "task": r["task"],
                "metric": tasks[r["task"]].metric,
                "features": f"tfidf+{r['encoder']}" if r["encoder_weight"] > 0 else "tfidf",
                "score": r["score"],
                "score_tfidf_only": r["score_tfidf_only"],
                "bert_base_best": bert,
                "conflibert_best": pub["conflibert_best"],
                "minus_conflibert": round(r["score"] - pub["conflibert_best"], 2),
                "minus_bert_base": round(r["score"] - bert, 2),
                "within_2_of_conflibert": bool(r["score"] >= pub["conflibert_best"] - 2),
                "ahead_of_bert_base": bool(r["score"] > bert),
                "train_plus_inference_seconds": round(r["train_seconds"] + r["inference_seconds"], 1),
            }
        )
    return pd.DataFrame(rows)


def run_tasks_apart(run_task, tasks) -> pd.DataFrame:
    """Run ``run_task(task)`` for each task in a fresh process of its own; return one row per task.

    A process per task keeps each task's peak memory its own (the yardstick reports it) and
    frees it before the next; ``spawn`` so that no state leaks from the parent.
    """
    context = multiprocessing.get_context("spawn")
    rows = []
    for task in tasks:
        with context.Pool(1) as pool:
            rows.append(pool.apply(run_task, (task,)))
    return pd.DataFrame(rows)
