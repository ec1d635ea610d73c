"""Throughput of `classify` (documents per second) on headline-length texts, per model family; cold start.

Usage: python benchmarks/bench_classify.py [--n 5000] [--repeats 3] [--cold-repeats 5] [--model PATH]
Reads headline-length texts (at most 40 words) from data/interim/documents.parquet (run
`dvc repro clean` first) and times `classify_frame`, the function behind
`python -m analysis classify`, on them:

- the saved model (data/models/event_classifier.skops), whatever its family;
- the encoder family's network: the pinned encoder with a head of one logit per type,
  untrained. Its speed is a fine-tuned one's (the same layers and passages; only the weights
  differ), so no fine-tuning is needed to time it. Needs the `embeddings` extra.

Prints one Markdown table row per model with the median over repeats. Then the start-up
cost of classifying one sentence (the saved model; `--cold-repeats 0` skips it), each in a
fresh process:

- `python -m analysis classify -`, the whole command as a user runs it, one sentence on
  standard input;
- the first `analysis.classify_texts` call (import, model load, classify) and a warm call
  (the model cached in the process), as a notebook makes them.

It prints a second table: the median seconds over the processes (warm: the median of each
process's median over `--warm-calls` calls).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

SENTENCE = "Rebels shelled the town"
# run in a fresh process: the first call (import, load, classify), then warm calls
_API_TIMING = """
import json, sys, time
t0 = time.perf_counter()
from analysis import classify_texts
classify_texts([sys.argv[2]], model_path=sys.argv[1])
first = time.perf_counter() - t0
warm = []
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter()
    classify_texts([sys.argv[2]], model_path=sys.argv[1])
    warm.append(time.perf_counter() - t0)
print(json.dumps({"first": first, "warm": warm}))
"""


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
    model.tokenizer_ = transformers.AutoTokenizer.from_pretrained(str(encoder.folder(spec.encoder)))
    model.net_ = encoder.build_network(spec.encoder, len(model.event_types), seed=1).eval()
    return model


def _cold_start(model: Path, *, repeats: int, warm_calls: int) -> list[tuple[str, str, float]]:
    """Time one sentence through the command and through ``classify_texts``, each run in a fresh process.

    Returns
    -------
    list of tuple
        (what was timed, how many runs, median seconds).
    """
    from analysis import paths

    command = [sys.executable, "-m", "analysis", "classify", "-", "--model", str(model)]
    cli, first, warm = [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(command, input=SENTENCE.encode(), capture_output=True, check=True, cwd=paths.ROOT)
        cli.append(time.perf_counter() - t0)
        api = [sys.executable, "-c", _API_TIMING, str(model), SENTENCE, str(warm_calls)]
        timed = json.loads(subprocess.run(api, capture_output=True, check=True, cwd=paths.ROOT).stdout)
        first.append(timed["first"])
        warm.append(statistics.median(timed["warm"]))
    return [
        ("`python -m analysis classify -` (whole command, fresh process)", str(repeats), statistics.median(cli)),
        ("first `classify_texts` call (import, load, classify)", str(repeats), statistics.median(first)),
        ("warm `classify_texts` call (model cached)", f"{repeats} x {warm_calls}", statistics.median(warm)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cold-repeats", type=int, default=5, help="fresh processes per cold-start timing (0: none)")
    parser.add_argument("--warm-calls", type=int, default=20, help="warm classify_texts calls per process")
    parser.add_argument("--model", type=Path, default=None, help="the model file (default: the pipeline's)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from analysis import paths
    from analysis.model import persist
    from analysis.model.new_text import classify_frame

    model_path = args.model or paths.MODEL
    frame = _texts(args.n)
    models = {"saved model": persist.load(model_path)}
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
    if args.cold_repeats > 0:
        print(f"\none sentence ({SENTENCE!r}), the saved model; {os.cpu_count()} CPUs")
        print("| cold start | runs | median seconds |")
        print("|:--|--:|--:|")
        for name, runs, median in _cold_start(model_path, repeats=args.cold_repeats, warm_calls=args.warm_calls):
            print(f"| {name} | {runs} | {median:.3f} |")


if __name__ == "__main__":
    main()
