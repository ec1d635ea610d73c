"""Throughput of `classify` (documents per second) on headline-length texts, per model family.

Usage: python benchmarks/bench_classify.py [--n 5000] [--repeats 3]
Reads headline-length texts (at most 40 words) from data/interim/documents.parquet (run
`dvc repro clean` first) and times `classify_frame`, the function behind
`python -m analysis classify`, on them:

- the saved model (data/models/event_classifier.skops), whatever its family;
- the encoder family's network: the pinned encoder with a head of one logit per type,
  untrained. Its speed is a fine-tuned one's (the same layers and passages; only the weights
  differ), so no fine-tuning is needed to time it. Needs the `embeddings` extra.

Prints one Markdown table row per model with the median over repeats.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import time

import pandas as pd


def _texts(n: int) -> pd.DataFrame:
    from analysis import paths

    docs = pd.read_parquet(paths.DOCUMENTS, columns=["doc_id", "text"])
    short = docs[docs["text"].str.split().str.len().between(3, 40)]
    short = short.sample(n=min(n, len(short)), random_state=1)
    return pd.DataFrame({"id": short["doc_id"].to_numpy(), "title": "", "text": short["text"].to_numpy()})


def _encoder_model():
    from analysis.model import encoder
    from analysis.model.families import EncoderClassifier
    from analysis.params import load_params

    spec = load_params("train").spec()
    model = EncoderClassifier(spec, seed=1)
    model.models_ = {t: "encoder" for t in model.event_types}
    model.label_model = {"combine": "majority", "min_accuracy": 0.0, "voting_lfs": []}
    _, transformers = encoder._torch()
    model.tokenizer_ = transformers.AutoTokenizer.from_pretrained(str(encoder.encoder_dir(spec.encoder.name)))
    model.net_ = encoder.build_network(spec.encoder.name, len(model.event_types), seed=1).eval()
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from analysis import paths
    from analysis.model import persist
    from analysis.model.classify import classify_frame

    frame = _texts(args.n)
    models = {"saved model": persist.load(paths.MODEL)}
    try:
        models["encoder family (untrained head)"] = _encoder_model()
    except Exception as exc:  # the optional extra may be missing
        print(f"encoder family skipped: {exc}")
    print(
        f"{len(frame)} texts, median {frame['text'].str.split().str.len().median():.0f} words; "
        f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}"
    )
    print("| model | repeats | median seconds | documents/s |")
    print("|:--|--:|--:|--:|")
    for name, model in models.items():
        seconds = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            classify_frame(frame, model)
            seconds.append(time.perf_counter() - t0)
        median = statistics.median(seconds)
        print(f"| {name} | {args.repeats} | {median:.2f} | {len(frame) / median:.0f} |")


if __name__ == "__main__":
    main()
