"""The external yardstick: the package's classifier family on ConfliBERT's six tasks.

Same features as the study classifier (TF-IDF word and character n-grams, fitted on
the training split only), one linear SVM per label (or one multi-class SVM), and
decisions tuned only on dev: per-label thresholds on the SVM margins for
the multi-label and binary tasks, the regularisation strength C by dev score, and
by cross-validation on train for ``cameo_class``, which has no dev split. Scores use
exactly the published metrics (:func:`score`).
"""

from __future__ import annotations

import csv
import dataclasses
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from analysis.errors import DataError
from analysis.evaluate import example_f1
from analysis.model import ModelSpec, make_features
from analysis.params import BenchmarkTask


def read_split(path: Path) -> tuple[pd.Series, np.ndarray]:
    """Read one ConfliBERT TSV (no header, no quoting): text, then label column(s).

    Returns
    -------
    texts : Series of str
    labels : ndarray of int, shape (n,) for one label column, else (n, n_labels)
    """
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for n, fields in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if len(fields) < 2:
                raise DataError(f"{path}: line {n}: expected text and at least one label column")
            rows.append(fields)
    width = len(rows[0]) if rows else 0
    bad = next((i for i, r in enumerate(rows, 1) if len(r) != width), None)
    if bad:
        raise DataError(f"{path}: line {bad}: {len(rows[bad - 1])} columns, expected {width}")
    try:
        labels = np.array([[int(v) for v in r[1:]] for r in rows], dtype=int)
    except ValueError as exc:
        raise DataError(f"{path}: a label is not an integer ({exc})") from None
    texts = pd.Series([r[0] for r in rows], dtype=object)
    return texts, labels[:, 0] if labels.shape[1] == 1 else labels


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


def _best_thresholds(proba: np.ndarray, y: np.ndarray, grid: np.ndarray) -> np.ndarray:
    out = np.zeros(proba.shape[1])
    for j in range(proba.shape[1]):
        if y[:, j].any():
            f1s = [f1_score(y[:, j], proba[:, j] >= t, zero_division=0) for t in grid]
            out[j] = grid[int(np.argmax(f1s))]
    return out


def run_task(
    task: BenchmarkTask,
    splits: dict[str, tuple[pd.Series, np.ndarray]],
    *,
    spec: ModelSpec,
    c_grid: tuple[float, ...],
    cv_folds: int,
    seed: int,
) -> dict:
    """Train on train, tune on dev (or by CV on train), evaluate once on test.

    Returns
    -------
    dict
        ``score`` (percent, published metric), ``dev_score`` (or ``cv_score``), ``c``,
        ``train_seconds``, ``inference_seconds``, ``n_train``, ``n_test``, ``n_features``.
    """
    (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
    grid = np.round(np.arange(-1.5, 1.001, 0.05), 3)  # margins of a linear SVM
    start = time.perf_counter()
    features = make_features(dataclasses.replace(spec, rule_features=False)).fit(x_train)
    xt = features.transform(x_train)
    result: dict = {}
    if task.kind == "multiclass":
        folds = StratifiedKFold(cv_folds, shuffle=True, random_state=seed)
        # vectorisers are refitted inside each fold so that no fold sees its own held-out vocabulary
        cv = {
            c: f1_score(
                y_train,
                cross_val_predict(
                    make_pipeline(make_features(dataclasses.replace(spec, rule_features=False)), _svm(c, seed)),
                    x_train,
                    y_train,
                    cv=folds,
                ),
                average="macro",
            )
            for c in c_grid
        }
        best_c = max(cv, key=lambda c: (cv[c], -c))
        model = _svm(best_c, seed).fit(xt, y_train)
        train_seconds = time.perf_counter() - start
        t0 = time.perf_counter()
        pred = model.predict(features.transform(x_test))
        result.update(cv_score=round(100 * cv[best_c], 2), c=best_c)
    else:
        y2 = y_train.reshape(len(y_train), -1)
        x_dev, y_dev = splits["dev"]
        y_dev2 = y_dev.reshape(len(y_dev), -1)
        xd = features.transform(x_dev)
        best = None
        for c in c_grid:
            # thresholds on the SVM margin, tuned on dev: no calibration needed to pick a cut-off
            models = [_svm(c, seed).fit(xt, y2[:, j]) for j in range(y2.shape[1])]
            proba = np.column_stack([m.decision_function(xd) for m in models])
            thresholds = _best_thresholds(proba, y_dev2, grid)
            dev_pred = (proba >= thresholds).astype(int)
            s = score(
                task.kind,
                task.metric,
                y_dev if task.kind == "binary" else y_dev2,
                dev_pred[:, 0] if task.kind == "binary" else dev_pred,
            )
            if best is None or s > best[0]:
                best = (s, c, models, thresholds)
        dev_score, best_c, models, thresholds = best
        train_seconds = time.perf_counter() - start
        t0 = time.perf_counter()
        xs = features.transform(x_test)
        proba = np.column_stack([m.decision_function(xs) for m in models])
        pred = (proba >= thresholds).astype(int)
        pred = pred[:, 0] if task.kind == "binary" else pred
        result.update(dev_score=round(dev_score, 2), c=best_c)
    inference_seconds = time.perf_counter() - t0
    result.update(
        score=round(score(task.kind, task.metric, y_test, pred), 2),
        train_seconds=round(train_seconds, 2),
        inference_seconds=round(inference_seconds, 2),
        n_train=len(x_train),
        n_test=len(x_test),
        n_features=int(xt.shape[1]),
        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    return result


def comparison_table(results: pd.DataFrame, tasks: dict[str, BenchmarkTask]) -> pd.DataFrame:
    """Our score beside the published BERT-base and best ConfliBERT scores (Hu et al. 2022, Table 3).

    Returns
    -------
    DataFrame
        Columns ``task``, ``metric``, ``score``, ``bert_base_best``, ``conflibert_best``,
        ``minus_conflibert``, ``minus_bert_base``, ``within_2_of_conflibert``,
        ``ahead_of_bert_base``, ``train_plus_inference_seconds``.
    """
    rows = []
    for _, r in results.iterrows():
        pub = tasks[r["task"]].published
        bert = max(pub["bert_base_uncased"], pub["bert_base_cased"])
        rows.append(
            {
                "task": r["task"],
                "metric": tasks[r["task"]].metric,
                "score": r["score"],
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
