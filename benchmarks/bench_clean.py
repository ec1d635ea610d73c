"""Throughput (documents per second) and peak memory of the clean stage on the real corpus.

Usage: python benchmarks/bench_clean.py [--repeats N]
Reads the acquired files in data/raw/ (run `dvc repro acquire` first) and prints one
Markdown table row per repeat plus the median. Peak memory is the process's maximum
resident set size, so each repeat runs in a fresh subprocess.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time

CHILD = """
import json, resource, time
from analysis import paths
from analysis.corpus import build
from analysis.params import load_params
t0 = time.perf_counter()
acquire = load_params("acquire")
raw = build.read_sources(paths.RAW, acquire=acquire)
t1 = time.perf_counter()
documents, reports, ledger = build.build_corpus(raw, acquire=acquire, params=load_params("clean"),
                                                seed=load_params("base").seed)
t2 = time.perf_counter()
print(json.dumps({"rows_in": len(ledger), "documents": len(documents), "reports": len(reports),
                  "read_s": t1 - t0, "clean_s": t2 - t1,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD], check=True, capture_output=True, text=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        run["wall_s"] = time.perf_counter() - start
        runs.append(run)
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    print("| run | rows in | documents | read s | clean s | documents/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    for i, r in enumerate(runs, 1):
        rate = r["documents"] / (r["read_s"] + r["clean_s"])
        print(
            f"| {i} | {r['rows_in']} | {r['documents']} | {r['read_s']:.1f} | {r['clean_s']:.1f} | {rate:,.0f} | {r['peak_rss_mib']:,.0f} |"
        )
    rate = statistics.median(r["documents"] / (r["read_s"] + r["clean_s"]) for r in runs)
    peak = max(r["peak_rss_mib"] for r in runs)
    print(f"| median | | | | | {rate:,.0f} | {peak:,.0f} (max) |")


if __name__ == "__main__":
    main()
