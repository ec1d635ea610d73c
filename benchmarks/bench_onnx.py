"""Encoder inference on the CPU: PyTorch against ONNX Runtime (fp32, and int8 by dynamic quantisation).

Usage: python benchmarks/bench_onnx.py [--docs 2000] [--epochs 1]

Needs the study pipeline's outputs (`make repro`) and the `embeddings` and `onnx` extras. The
encoder (`train.encoder`) is fine-tuned on the gold training documents for --epochs (a short
fit: the point is the speed and whether ONNX keeps the scores, not the model), then the same
network reads the gold dev documents and --docs UCDP documents (headline-length) three ways:
PyTorch, ONNX Runtime fp32 and ONNX Runtime with dynamically quantised int8 weights, each on
`train.encoder.threads` threads. Reported per runtime: documents per second, the largest
probability difference from PyTorch on dev, and dev macro average precision over the learned
types. The table goes to data/reporting/timing/onnx_inference.{csv,md,tex}; `python -m analysis
docs` quotes it in docs/methods.md. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import paths  # noqa: E402
from analysis.io import write_table  # noqa: E402
from analysis.model import encoder as enc  # noqa: E402
from analysis.model.classifier import learnable_types  # noqa: E402
from analysis.params import load_params  # noqa: E402

OUT = paths.ONNX_TIMING


def _export(net, path: Path, torch) -> None:
    x = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        net,
        (x, x),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )


def _ort_logits(session, texts, *, tokenizer, spec, batch_size: int = 64) -> np.ndarray:
    """As :func:`analysis.model.encoder.predict_logits`, through an ONNX Runtime session."""
    psg = enc.passages(texts, tokenizer=tokenizer, max_tokens=spec.max_tokens, max_passages=spec.max_passages)
    order = np.argsort([len(p) for p in psg.ids], kind="stable")
    width = session.get_outputs()[0].shape[1]
    logits = np.zeros((len(psg.ids), width), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        take = order[start : start + batch_size]
        longest = max(len(psg.ids[i]) for i in take)
        ids = np.full((len(take), longest), tokenizer.pad_token_id, dtype=np.int64)
        mask = np.zeros((len(take), longest), dtype=np.int64)
        for row, i in enumerate(take):
            ids[row, : len(psg.ids[i])] = psg.ids[i]
            mask[row, : len(psg.ids[i])] = 1
        logits[take] = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    out = np.full((len(texts), width), -np.inf, dtype=np.float32)
    np.maximum.at(out, psg.doc, logits)
    return out


def main() -> None:
    """Fine-tune briefly, export, quantise, and time the three runtimes on the same documents."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="UCDP documents to time (headline-length)")
    parser.add_argument("--epochs", type=int, default=1, help="fine-tuning epochs (a short fit suffices)")
    args = parser.parse_args()
    params, seed = load_params("train"), load_params("base").seed
    spec = dataclasses.replace(params.encoder, epochs=args.epochs, device="cpu")
    train, dev = pd.read_parquet(paths.TRAIN_SET), pd.read_parquet(paths.DEV_SET)
    gold = train[train["source"] == "gold"].reset_index(drop=True)
    types = learnable_types(gold, params.spec())
    labels = gold[types].to_numpy(dtype=float, na_value=np.nan)
    net, tokenizer = enc.fine_tune(gold["text"], labels, sample_weight=np.ones(len(gold)), spec=spec, seed=seed)
    documents = pd.read_parquet(paths.DOCUMENTS, columns=["collection", "text"])
    ucdp = documents[documents["collection"].str.startswith("ucdp")]
    timed = ucdp.sample(n=min(args.docs, len(ucdp)), random_state=seed)["text"].tolist()
    torch = enc.setup(threads=spec.threads, seed=seed)
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = spec.threads, 1
    rows, reference = [], None
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        _export(net, fp32, torch)
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        runtimes = {
            "pytorch": lambda texts: enc.predict_logits(texts, net=net, tokenizer=tokenizer, spec=spec),
            "onnxruntime_fp32": _session_reader(ort, fp32, options, tokenizer, spec),
            "onnxruntime_int8": _session_reader(ort, int8, options, tokenizer, spec),
        }
        for name, read in runtimes.items():
            proba = enc.sigmoid(read(dev["text"].tolist()))
            reference = proba if reference is None else reference
            start = time.perf_counter()
            read(timed)
            seconds = time.perf_counter() - start
            ap = [average_precision_score(dev[t].astype(bool), proba[:, j]) for j, t in enumerate(types)]
            rows.append(
                {
                    "runtime": name,
                    "n_docs": len(timed),
                    "seconds": round(seconds, 2),
                    "docs_per_second": round(len(timed) / seconds, 1),
                    "max_probability_difference": float(np.abs(proba - reference).max()),
                    "dev_macro_ap": float(np.mean(ap)),
                    "threads": spec.threads,
                    "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
                }
            )
    caption = f"Encoder inference on the CPU ({args.docs} UCDP documents; dev AP after a {args.epochs}-epoch fit)."
    write_table(OUT, pd.DataFrame(rows), caption=caption, float_format="{:.4f}")
    print(pd.DataFrame(rows).to_string(index=False))


def _session_reader(ort, path: Path, options, tokenizer, spec):
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return lambda texts: _ort_logits(session, texts, tokenizer=tokenizer, spec=spec)


if __name__ == "__main__":
    main()
