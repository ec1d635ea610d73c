"""Keep the README's result tables identical to the pipeline's Markdown outputs.

A block ``<!-- NAME:start --> ... <!-- NAME:end -->`` in ``README.md`` holds a copy of
``data/reporting/tables/NAME.md``. ``python -m analysis readme`` refreshes every block;
``--check`` fails (exit 1) when a block differs, which CI runs after ``dvc repro`` so
that no number in the README is typed by hand or left stale. Images linked as
``docs/figures/NAME.png`` are byte copies of ``data/reporting/figures/NAME.png`` (the
figures are deterministic, so the copies only change when the results do).
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis import paths
from analysis.errors import DataError

_BLOCK = re.compile(r"(<!-- (?P<name>[a-z0-9_]+):start -->\n)(?P<body>.*?)(<!-- (?P=name):end -->)", re.DOTALL)


TABLE_DIRS = (paths.TABLES, paths.BENCHMARK_COMPARISON.parent, paths.SCALE_TABLE.parent)

#: Outputs refreshed by ``readme`` but not compared by ``--check``: those that hold
#: wall-clock timings (which differ from run to run even when every score is identical),
#: and those of pipelines that CI does not run (``benchmarks/dvc.yaml``, the scale script).
VOLATILE = frozenset({"benchmark_comparison", "benchmark_score_vs_compute", "encoder_on_study_dev", "scale_benchmark"})


FIGURE_DIRS = (paths.FIGURES, paths.BENCHMARK_FIGURE.parent)


def _output(name: str, suffix: str, dirs: tuple[Path, ...], kind: str) -> Path | None:
    """Find the pipeline output ``name + suffix``; ``None`` for a volatile one not produced here."""
    candidates = [d / f"{name}{suffix}" for d in dirs]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None and name not in VOLATILE:
        raise DataError(f"README.md: {kind} {name!r} has no pipeline output at {candidates[0]} (run dvc repro)")
    return found  # None: the benchmark has not run here, so the committed copy stays


def refresh(text: str, *, tables: tuple[Path, ...] = TABLE_DIRS) -> tuple[str, list[str]]:
    """Return ``text`` with every table block replaced by its pipeline output, and the stale names.

    Raises
    ------
    DataError
        If a block names a table the pipeline has not written.
    """
    stale: list[str] = []

    def _sub(match: re.Match[str]) -> str:
        source = _output(match["name"], ".md", tables, "block")
        if source is None:
            return match.group(0)
        body = source.read_text(encoding="utf-8")
        if body != match["body"] and match["name"] not in VOLATILE:
            stale.append(match["name"])
        return match.group(1) + body + match.group(4)

    return _BLOCK.sub(_sub, text), stale


_FIGURE = re.compile(r"\]\((docs/figures/(?P<name>[a-z0-9_]+)\.png)\)")


def update_readme(*, check: bool, readme: Path = paths.ROOT / "README.md") -> list[str]:
    """Refresh (or, with ``check``, only compare) the README's tables and figure copies; return stale names."""
    from analysis.io import atomic_path, write_text

    text = readme.read_text(encoding="utf-8")
    new, stale = refresh(text)
    if not check and new != text:
        write_text(readme, new)
    for match in _FIGURE.finditer(text):
        source = _output(match["name"], ".png", FIGURE_DIRS, "figure")
        if source is None:
            continue
        copy = paths.ROOT / match.group(1)
        if not copy.is_file() or copy.read_bytes() != source.read_bytes():
            if match["name"] not in VOLATILE:
                stale.append(f"figure:{match['name']}")
            if not check:
                with atomic_path(copy) as tmp:
                    tmp.write_bytes(source.read_bytes())
    return stale
