"""How long the README's commands take from a fresh clone: set-up, the pipeline, the tests.

Usage: python benchmarks/bench_repro.py [--workdir DIR]

Clones the committed HEAD into a new folder (so nothing of this checkout's .venv or data/ is
reused), then times `make install`, `make repro` (the pipeline, set-up already done) and
`make test` there, with $ANALYSIS_DATA_MIRROR passed on. The table goes to
data/reporting/timing/repro_timing.{csv,md,tex}; `python -m analysis docs` quotes it in the
README. A measurement, not a test: timings vary with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import paths  # noqa: E402
from analysis.io import write_table  # noqa: E402


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return round(time.perf_counter() - start, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None, help="where to clone (default: a temporary folder)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-repro-"))
    clone = workdir / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env_note = "mirror" if os.environ.get("ANALYSIS_DATA_MIRROR") else "download"
    install = _timed(["make", "install"], clone)
    pipeline = _timed(["make", "repro"], clone)
    test = _timed(["make", "test"], clone)
    table = pd.DataFrame(
        {
            "command": ["make_install", "pipeline", "make_repro", "make_test"],
            "seconds": [install, pipeline, round(install + pipeline, 1), test],
            "what": [
                "create .venv and install the pinned dependencies",
                "check params.yaml, dvc repro, manifest (set-up done)",
                "both, from a fresh clone",
                "the test suite, after make repro",
            ],
        }
    )
    caption = f"The README's commands from a fresh clone, {platform.machine()}, {psutil.cpu_count()} cores, data by {env_note}"
    write_table(paths.REPRO_TIMING, table, caption=caption, float_format="{:.1f}")
    print(table.to_markdown(index=False))


if __name__ == "__main__":
    main()
