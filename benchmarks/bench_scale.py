"""Scale benchmark: clean and predict a resampled, perturbed corpus with both engines.

Usage: python benchmarks/bench_scale.py [--sizes 100000 1000000] [--engines pandas dask]

Needs the study pipeline's outputs (`make repro`): the raw files, the ledger (to draw
only rows that became documents) and the trained model. For each size it writes a
synthetic corpus (analysis.scale; seeded by base.seed) into --workdir, then, for each
engine, runs the clean stage's partitioned build and the predict stage's partitioned
prediction in a fresh subprocess. Peak memory is the largest sum of the resident
set sizes of that process and all its children (the Dask workers), sampled every
0.2 s. Results go to data/reporting/scale/scale_benchmark.{csv,md,tex}; `python -m analysis
readme` copies the .md into the README.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import paths  # noqa: E402
from analysis.corpus import build, scale  # noqa: E402
from analysis.io import write_table  # noqa: E402
from analysis.params import load_params  # noqa: E402

CHILD = """
import json, sys, tempfile, time
from pathlib import Path
from analysis import engine, paths
from analysis.corpus import partitions, scale
from analysis.model import predict
from analysis.params import EngineParams, load_params

def main():
    corpus_dir, name, out_dir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    base = load_params("engine")
    params = EngineParams(name, None, base.n_workers, base.partition_rows)
    acquire = load_params("acquire")
    sources = scale.scaled_specs(acquire, corpus_dir)
    with tempfile.TemporaryDirectory(dir=out_dir) as wd, engine.executor(params) as ex:
        t0 = time.perf_counter()
        stats = partitions.build_corpus_files(sources, params=load_params("clean"), seed=load_params("base").seed,
            engine=ex, workdir=Path(wd) / "clean", chunk_rows=params.partition_rows,
            out_documents=out_dir / "documents.parquet", out_reports=out_dir / "reports.parquet",
            out_ledger=out_dir / "ledger.parquet")
        t1 = time.perf_counter()
        n = predict.predict_files(out_dir / "documents.parquet", paths.MODEL, engine=ex,
            workdir=Path(wd) / "predict", out=out_dir / "predictions.parquet",
            articles=tuple(acquire.of_kind("articles")))
        t2 = time.perf_counter()
    print(json.dumps({**stats, "predicted": n, "clean_s": t1 - t0, "predict_s": t2 - t1}))

if __name__ == "__main__":
    main()
"""


def _peak_rss(proc: subprocess.Popen, stop: threading.Event, peak: list[int]) -> None:
    root = psutil.Process(proc.pid)
    while not stop.is_set():
        try:
            total = root.memory_info().rss + sum(
                c.memory_info().rss for c in root.children(recursive=True) if c.is_running()
            )
            peak[0] = max(peak[0], total)
        except psutil.Error:
            pass
        time.sleep(0.2)


def run_engine(corpus_dir: Path, engine: str, out_dir: Path) -> dict:
    """Run clean + predict for one engine in a subprocess; return its stats with peak memory."""
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / "run.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(corpus_dir), engine, str(out_dir)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        stop, peak = threading.Event(), [0]
        watcher = threading.Thread(target=_peak_rss, args=(proc, stop, peak), daemon=True)
        watcher.start()
        stdout, _ = proc.communicate()
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        tail = log_path.read_text().strip().splitlines()[-1:] or ["(no output)"]
        raise SystemExit(f"{engine} run on {corpus_dir} failed ({proc.returncode}): {tail[0]} (log: {log_path})")
    return {**json.loads(stdout.strip().splitlines()[-1]), "peak_gib": peak[0] / 2**30}


def scale_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per (engine, size): throughput, peak memory and cost per 1,000 documents.

    Returns
    -------
    DataFrame
        ``engine``, ``n_rows``, ``n_documents``, ``clean_s``, ``predict_s``,
        ``documents_per_s``, ``peak_memory_gib``, ``s_per_1k_documents`` and
        ``speedup_vs_pandas`` (same size).
    """
    out = pd.DataFrame(
        {
            "engine": runs["engine"],
            "n_rows": runs["rows_in"],
            "n_documents": runs["documents"],
            "clean_s": runs["clean_s"].round(1),
            "predict_s": runs["predict_s"].round(1),
            "documents_per_s": (runs["documents"] / (runs["clean_s"] + runs["predict_s"])).round(0),
            "peak_memory_gib": runs["peak_gib"].round(2),
            "s_per_1k_documents": (1000 * (runs["clean_s"] + runs["predict_s"]) / runs["documents"]).round(3),
        }
    )
    pandas_rate = out[out["engine"] == "pandas"].set_index("n_rows")["documents_per_s"]
    out["speedup_vs_pandas"] = (out["documents_per_s"] / out["n_rows"].map(pandas_rate)).round(2)
    return out.sort_values(["n_rows", "engine"], ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["pandas", "dask"], choices=["pandas", "dask"])
    parser.add_argument("--workdir", type=Path, default=paths.SCALE_WORK)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    seed = load_params("base").seed
    acquire = load_params("acquire")
    raw = build.read_sources(paths.RAW, acquire=acquire)
    ledger = pd.read_parquet(paths.LEDGER)
    runs = []
    for size in args.sizes:
        corpus_dir = args.workdir / f"corpus-{size}"
        if not corpus_dir.exists():  # built whole, then renamed: an interrupted build is not reused
            sources = scale.scaled_sources(raw, ledger, acquire=acquire, n_rows=size, seed=seed)
            partial = corpus_dir.with_name(corpus_dir.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            scale.write_scaled_sources(sources, partial)
            partial.rename(corpus_dir)
        for engine in args.engines:
            out_dir = args.workdir / f"out-{size}-{engine}"
            shutil.rmtree(out_dir, ignore_errors=True)
            stats = run_engine(corpus_dir, engine, out_dir)
            logging.info("%s at %d rows: %s", engine, size, stats)
            runs.append({"engine": engine, **stats})
        if set(args.engines) == {"pandas", "dask"}:
            same = all(
                (args.workdir / f"out-{size}-pandas" / f).read_bytes()
                == (args.workdir / f"out-{size}-dask" / f).read_bytes()
                for f in ("documents.parquet", "reports.parquet", "ledger.parquet", "predictions.parquet")
            )
            logging.info("%d rows: pandas and dask outputs byte-identical: %s", size, same)
            if not same:
                raise SystemExit(f"{size} rows: the pandas and dask engines wrote different outputs")
    table = scale_table(pd.DataFrame(runs))
    caption = (
        f"Clean + predict on resampled corpora, {platform.machine()}, {psutil.cpu_count()} cores, "
        f"dask with {load_params('engine').n_workers} workers"
    )
    write_table(paths.SCALE_TABLE, table, caption=caption, float_format="{:,.2f}")
    print(table.to_markdown(index=False))


if __name__ == "__main__":
    main()
