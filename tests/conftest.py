"""Shared fixtures: the real corpus, acquired once per session into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus, sources
from analysis.params import load_params

SHARED_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three pinned corpus files, from $ANALYSIS_DATA_MIRROR, ../shared/data, or their URLs."""
    params = load_params("acquire")
    mirror = sources.mirror_dir() or (SHARED_MIRROR if SHARED_MIRROR.is_dir() else None)
    dest = tmp_path_factory.mktemp("raw")
    for spec in params.sources:
        sources.acquire(spec, dest, mirror=mirror, retries=params.retries, timeout_s=params.timeout_s)
    return dest


@pytest.fixture(scope="session")
def raw_frames(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return corpus.read_sources(raw_dir, acquire=load_params("acquire"))


@pytest.fixture(scope="session")
def corpus_tables(raw_frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """documents, reports, ledger built from the real corpus with the project's params."""
    return corpus.build_corpus(raw_frames, params=load_params("clean"), seed=load_params("base").seed)
