"""The fine-tuned encoder family (``train.family: encoder``) on ConfliBERT's six tasks.

Each task's train split fine-tunes the study's encoder (``train.encoder``: the same
passages, pooling and schedule) with one logit per label (one per class for
``cameo_class``, whose prediction is the largest). Per-label thresholds are tuned on dev by
the study's threshold search. ``cameo_class`` has no dev split: one seeded fifth of train
is held out to give the dev score that decides between families, and the model scored on
test is then fine-tuned on the whole train split. Test is scored once, with the published
metric (:func:`analysis.yardstick.benchmark.score`).

The distilled family is not run here: it passes the encoder's labels to an unlabelled
pool, and these tasks have none.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from analysis.model import encoder as enc
from analysis.model.thresholds import threshold_grid
from analysis.params import EncoderSpec
from analysis.yardstick.benchmark import _cut, _thresholds, score


def _targets(kind: str, y: np.ndarray, n_classes: int) -> np.ndarray:
    """Return the label matrix the encoder learns: one column per label, or one-hot classes (multi-class)."""
    if kind == "multiclass":
        return np.eye(n_classes)[y]
    return y.reshape(len(y), -1).astype(float)


def _fine_tuned(texts, targets, *, spec: EncoderSpec, seed: int):
    """Fine-tune on ``texts``; return a function giving the logits of new texts."""
    net, tokenizer = enc.fine_tune(
        pd.Series(list(texts)), targets, sample_weight=np.ones(len(targets)), spec=spec, seed=seed
    )
    return lambda x: enc.predict_logits(list(x), net=net, tokenizer=tokenizer, spec=spec)


def run_task_finetuned(
    task,
    splits: dict[str, tuple[pd.Series, np.ndarray]],
    *,
    spec: EncoderSpec,
    max_train: int,
    seed: int,
    threshold_step: float,
) -> dict:
    """Fine-tune on train, tune thresholds on dev (a held-out fifth of train for ``cameo_class``), score test once.

    At most ``max_train`` training documents are used (a seeded sample), so the largest task
    fits in CPU time; ``n_train`` reports how many.

    Returns
    -------
    dict
        ``score`` (percent, published metric), ``dev_score`` (the score that decides
        between families), ``train_seconds`` (fine-tuning and tuning, the held-out fit of
        ``cameo_class`` included), ``inference_seconds`` (test), ``n_train``, ``n_test``.
    """
    (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
    if len(y_train) > max_train:
        keep = np.sort(np.random.default_rng(seed).choice(len(y_train), size=max_train, replace=False))
        x_train, y_train = x_train.iloc[keep].reset_index(drop=True), y_train[keep]
    start = time.perf_counter()
    if task.kind == "multiclass":
        n_classes = int(y_train.max()) + 1  # from train alone; a class train never shows cannot be predicted
        held = np.sort(np.random.default_rng(seed).permutation(len(y_train))[: len(y_train) // 5])
        fit = np.setdiff1d(np.arange(len(y_train)), held)
        logits = _fine_tuned(x_train.iloc[fit], _targets(task.kind, y_train[fit], n_classes), spec=spec, seed=seed)
        dev_score = score(task.kind, task.metric, y_train[held], logits(x_train.iloc[held]).argmax(axis=1))
        logits = _fine_tuned(x_train, _targets(task.kind, y_train, n_classes), spec=spec, seed=seed)
        train_seconds = time.perf_counter() - start
        pred = logits(x_test).argmax(axis=1)
    else:
        x_dev, y_dev = splits["dev"]
        y_dev2 = y_dev.reshape(len(y_dev), -1)
        logits = _fine_tuned(x_train, _targets(task.kind, y_train, 0), spec=spec, seed=seed)
        dev_proba = enc.sigmoid(logits(x_dev))
        thresholds = _thresholds(dev_proba, y_dev2, threshold_grid(threshold_step))
        dev_score = score(
            task.kind, task.metric, y_dev if task.kind == "binary" else y_dev2, _cut(dev_proba, thresholds)
        )
        train_seconds = time.perf_counter() - start
        pred = _cut(enc.sigmoid(logits(x_test)), thresholds)
    return {
        "score": round(score(task.kind, task.metric, y_test, pred), 2),
        "dev_score": round(dev_score, 2),
        "train_seconds": round(train_seconds, 2),
        "inference_seconds": round(time.perf_counter() - start - train_seconds, 2),
        "n_train": len(x_train),
        "n_test": len(x_test),
    }


def family_table(linear: pd.DataFrame, encoder: pd.DataFrame, tasks: dict) -> pd.DataFrame:
    """Return, per task, the family dev chose (linear or fine-tuned encoder) against the published scores.

    Parameters
    ----------
    linear : DataFrame
        The ``benchmark`` stage's results (``task``, ``score``, ``dev_score`` or ``cv_score``, seconds).
    encoder : DataFrame
        :func:`run_task_finetuned` results with ``task``.

    Returns
    -------
    DataFrame
        ``task``, ``metric``, ``linear_dev_score``, ``encoder_dev_score``, ``chosen``
        (``linear`` or ``encoder``; ties to linear), ``linear_score``, ``encoder_score``,
        ``score`` (the chosen family's), ``bert_base_best``, ``conflibert_best``,
        ``minus_conflibert``, ``minus_bert_base``, ``within_2_of_conflibert``,
        ``ahead_of_bert_base``, ``linear_seconds``, ``encoder_seconds`` (train plus inference).
    """
    rows = []
    enc_by_task = encoder.set_index("task")
    for _, r in linear.iterrows():
        e = enc_by_task.loc[r["task"]]
        pub = tasks[r["task"]].published
        bert = max(pub["bert_base_uncased"], pub["bert_base_cased"])
        lin_dev = r["cv_score"] if pd.notna(r.get("cv_score")) else r["dev_score"]
        chosen = "encoder" if e["dev_score"] > lin_dev else "linear"
        best = e["score"] if chosen == "encoder" else r["score"]
        rows.append(
            {
                "task": r["task"],
                "metric": tasks[r["task"]].metric,
                "linear_dev_score": lin_dev,
                "encoder_dev_score": e["dev_score"],
                "chosen": chosen,
                "linear_score": r["score"],
                "encoder_score": e["score"],
                "score": best,
                "bert_base_best": bert,
                "conflibert_best": pub["conflibert_best"],
                "minus_conflibert": round(best - pub["conflibert_best"], 2),
                "minus_bert_base": round(best - bert, 2),
                "within_2_of_conflibert": bool(best >= pub["conflibert_best"] - 2),
                "ahead_of_bert_base": bool(best > bert),
                "linear_seconds": round(r["train_seconds"] + r["inference_seconds"], 1),
                "encoder_seconds": round(e["train_seconds"] + e["inference_seconds"], 1),
            }
        )
    return pd.DataFrame(rows)
