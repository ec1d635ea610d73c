"""Your corpus alone at 10,000 articles: `dvc repro` of own_study/ with the study's model pinned.

Usage: python benchmarks/bench_own_study.py [--n 10000] [--gold 300] [--workdir DIR]

First it times `dvc repro` of own_study/ as shipped (the hand-written fixture). Needs the study
pipeline's outputs (`make repro`): FA-KES's raw file and ledger (the articles are
drawn from it, resampled and perturbed by analysis.corpus.scale, seeded by base.seed) and the model
file. In a git worktree of HEAD, own_study/params.yaml is pointed at the synthetic corpus (one
articles collection with FA-KES's columns and outlet groups), and `dvc repro` runs there twice:
first with no gold, then after a round of --gold documents drawn by `annotate export` is placed
in annotations/own/. The round's labels are the model's own predictions, a timing device only:
its estimates mean nothing. The table goes to data/reporting/timing/own_study_timing.{csv,md,tex};
`python -m analysis docs` quotes it in docs/data.md. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import paths  # noqa: E402
from analysis.codebook import EVENT_TYPES  # noqa: E402
from analysis.corpus import build, scale  # noqa: E402
from analysis.io import write_csv, write_table  # noqa: E402
from analysis.params import load_params  # noqa: E402


def _timed(command: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return round(time.perf_counter() - start, 1)


def _corpus(n: int, dest: Path) -> dict:
    """Write n synthetic articles drawn from FA-KES to dest; return their acquire.collections entry."""
    acquire = load_params("acquire")
    spec = next(s for s in acquire.collections if s.kind == "articles")
    one = replace(acquire, collections=(spec,))
    raw = build.read_sources(paths.RAW, acquire=one)
    frame = scale.scaled_sources(
        raw, pd.read_parquet(paths.LEDGER), acquire=one, n_rows=n, seed=load_params("base").seed
    )
    write_csv(dest, frame[spec.name])
    return {
        "name": "bench_news",
        "kind": "articles",
        "label": "Benchmark news",
        "file": dest.name,
        "format": "csv",
        "path": str(dest),
        "sha256": hashlib.sha256(dest.read_bytes()).hexdigest(),
        "columns": spec.columns,
        "date_format": spec.date_format,
        "country": spec.country,
    }


def _timing_round(project: Path, n_gold: int, env: dict) -> None:
    """Draw n_gold documents with annotate export and label them with the model's predictions (timing only)."""
    subprocess.run(
        [sys.executable, "-m", "analysis", "annotate", "export", str(project / "round"), "--collection", "bench_news",
         "--n", str(n_gold)],
        cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    sample = pd.read_csv(project / "round" / "sample.csv")
    predictions = pd.read_parquet(project / "data" / "processed" / "predictions.parquet").set_index("doc_id")
    labels = predictions.loc[sample["doc_id"], list(EVENT_TYPES)]
    joined = labels.apply(lambda row: ";".join(t for t in EVENT_TYPES if row[t]), axis=1)
    rows = [
        pd.DataFrame({"doc_id": joined.index, "pass": p, "labels": joined.to_numpy(), "stratum": "own_random",
                      "codebook_version": 1, "annotator": p})
        for p in ("a", "b", "adjudicated")
    ]  # fmt: skip
    write_csv(project / "annotations" / "own" / "timing_round.csv", pd.concat(rows, ignore_index=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles in the synthetic corpus")
    parser.add_argument("--gold", type=int, default=300, help="documents in the timing round")
    parser.add_argument("--workdir", type=Path, default=None, help="where the worktree goes (default: temporary)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-own-study-"))
    tree = workdir / "tree"
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(tree), "HEAD"], cwd=ROOT, check=True)
    try:
        (tree / "data" / "models").mkdir(parents=True)
        shutil.copy(paths.MODEL, tree / "data" / "models" / paths.MODEL.name)  # the pinned file
        project = tree / "own_study"
        env = {**os.environ, "ANALYSIS_PROJECT": str(project)}
        shipped = _timed([sys.executable, "-m", "dvc", "repro", "--quiet"], project, env)  # the fixture, as shipped
        params = yaml.safe_load((project / "params.yaml").read_text())
        params["acquire"]["collections"] = [_corpus(args.n, workdir / "bench_news.csv")]
        study = load_params("report")
        params["report"].update(
            outlet_groups=dict(study.outlet_groups), credibility_reference_group=study.credibility_reference_group
        )
        (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
        first = _timed([sys.executable, "-m", "dvc", "repro", "--quiet"], project, env)
        _timing_round(project, args.gold, env)
        second = _timed([sys.executable, "-m", "dvc", "repro", "--quiet"], project, env)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    table = pd.DataFrame(
        {
            "step": ["fixture", "repro_no_gold", "repro_with_gold", "both"],
            "seconds": [shipped, first, second, round(first + second, 1)],
            "what": [
                "dvc repro of own_study/ as shipped: the hand-written corpus of 25 rows, every stage",
                f"dvc repro of own_study/ on {args.n:,} articles: every stage, no gold yet",
                f"dvc repro after a round of {args.gold} documents: gold, crossfit_pinned, report",
                "the two together",
            ],
        }
    )
    caption = (
        f"Your corpus alone at {args.n:,} articles (resampled FA-KES), {platform.machine()}, {psutil.cpu_count()} cores"
    )
    write_table(paths.OWN_STUDY_TIMING, table, caption=caption, float_format="{:.1f}")
    print(table.to_markdown(index=False))


if __name__ == "__main__":
    main()
