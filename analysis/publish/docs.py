"""Keep every number, table and figure in the README and ``docs/`` identical to the pipeline's outputs.

Three kinds of generated text, each refreshed by ``python -m analysis docs`` and
compared by ``python -m analysis docs --check`` (which CI runs after ``dvc repro``):

- a table block ``<!-- NAME:start --> ... <!-- NAME:end -->`` holds a copy of the
  Markdown table ``NAME.md`` that a stage wrote;
- a number ``<!-- n:SPEC -->VALUE<!-- /n -->`` holds one value: ``SPEC`` is a key of
  ``numbers.json`` (the report stage's quoted numbers, also in ``numbers.tex``), or a
  table cell ``TABLE[ROW].COLUMN`` (``ROW`` matched on the table's first column), with an
  optional ``|FORMAT`` (a Python format spec, e.g. ``|.1f`` or ``|+.3f``);
- an image ``](docs/figures/NAME.png)`` (``](figures/NAME.png)`` inside ``docs/``) is a
  byte copy of the pipeline's ``NAME.png``.

Outputs of the pipelines that CI does not run (the checks, the yardstick, the scale
script) may be absent; what quotes them is then left as committed, and checked wherever
they exist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataError
from analysis.io import atomic_path, write_text

TABLE_DIRS = (
    paths.TABLES,
    paths.TEST_TABLES,
    paths.SUPPLEMENT_ON_DEV.parent,
    paths.BENCHMARK_COMPARISON.parent,
    paths.SCALE_TABLE.parent,
    paths.REPRO_TIMING.parent,
    paths.CHECK_RECORDS,
)
FIGURE_DIRS = (paths.FIGURES, paths.BENCHMARK_FIGURE.parent, paths.FIG_SPEC_CURVE.parent)  # checks' figures too
#: Outputs of the pipelines that CI does not run (checks, yardstick, scale script): they may be absent.
OPTIONAL = frozenset(
    p.name
    for p in (
        paths.SUPPLEMENT_ON_DEV,
        paths.DESIGN_COVERAGE,
        paths.DESIGN_SIZE,
        paths.DESIGN_WIDTHS,
        paths.REFIT_ON_DEV,
        paths.ENCODER_STUDY_DEV,
        paths.FAMILY_ON_DEV,
        paths.FAMILY_ON_DEV_TYPES,
        paths.FAMILY_BY_TYPE,
        paths.FAMILY_CHOICE,
        paths.LEARNING_CURVE,
        paths.FIG_LEARNING_CURVE,
        paths.ONNX_TIMING,
        paths.BENCHMARK_COMPARISON,
        paths.BENCHMARK_FIGURE,
        paths.BENCHMARK_FAMILIES,
        paths.SCALE_TABLE,
        paths.REPRO_TIMING,
        paths.OWN_STUDY_TIMING,
        paths.MULTIVERSE_SURVIVAL,
        paths.FIG_SPEC_CURVE,
    )
)
#: Outputs that hold wall-clock timings, which differ between runs with identical scores.
VOLATILE = frozenset(
    {
        "benchmark_comparison",
        "benchmark_families",
        "benchmark_score_vs_compute",
        "scale_benchmark",
        "repro_timing",
        "own_study_timing",
        "onnx_inference",
    }
)

_BLOCK = re.compile(r"(<!-- (?P<name>[a-z0-9_]+):start -->\n)(?P<body>.*?)(<!-- (?P=name):end -->)", re.DOTALL)
_NUMBER = re.compile(r"(<!-- n:(?P<spec>[^ ]+) -->)(?P<value>.*?)(<!-- /n -->)")
_CELL = re.compile(r"^(?P<table>[a-z0-9_]+)\[(?P<row>[^\]]+)\]\.(?P<column>[a-z0-9_]+)$")
_FIGURE = re.compile(r"\]\(((?:docs/)?figures/(?P<name>[a-z0-9_]+)\.png)\)")


def documents() -> list[Path]:
    """Return the files with generated text: the README and every page of ``docs/``."""
    return [paths.ROOT / "README.md", *sorted((paths.ROOT / "docs").glob("*.md"))]


def _find(name: str, suffix: str, dirs: tuple[Path, ...], what: str) -> Path | None:
    """Return the output ``name + suffix``; None if it is absent and may be (see :data:`OPTIONAL`)."""
    candidates = [d / f"{name}{suffix}" for d in dirs]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None and name not in OPTIONAL:
        raise DataError(f"docs: {what} {name!r} has no pipeline output at {candidates[0]} (run dvc repro)")
    return found


def format_number(value: object, spec: str = "") -> str:
    """Format a quoted number: integers with thousands separators, floats with three decimals.

    >>> format_number(20409), format_number(0.84912), format_number(0.84912, ".1%"), format_number("Reuters")
    ('20,409', '0.849', '84.9%', 'Reuters')
    """
    if spec:
        return format(value, spec)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:.3f}"


def _value(spec: str, numbers: dict | None) -> object | None:
    """Look up one quoted value; None where its (optional) source is absent."""
    key, _, _ = spec.partition("|")
    cell = _CELL.match(key)
    if cell is None:
        if numbers is None:
            raise DataError(f"docs: number {key!r} needs {paths.NUMBERS_JSON} (run dvc repro)")
        if key not in numbers:
            raise DataError(f"docs: number {key!r} is not in {paths.NUMBERS_JSON}")
        return numbers[key]
    source = _find(cell["table"], ".csv", TABLE_DIRS, "table")
    if source is None:
        return None
    table = pd.read_csv(source, keep_default_na=False)
    rows = table[table.iloc[:, 0].astype(str) == cell["row"]]
    if len(rows) != 1 or cell["column"] not in table.columns:
        raise DataError(f"docs: {key!r}: no single row {cell['row']!r} with column {cell['column']!r} in {source}")
    value = rows.iloc[0][cell["column"]]
    return value.item() if hasattr(value, "item") else value


def refresh(text: str, *, numbers: dict | None) -> tuple[str, list[str]]:
    """Return ``text`` with every table block and number refreshed, and the names that were stale.

    Raises
    ------
    DataError
        If a block or number names an output the pipeline has not written.
    """
    stale: list[str] = []

    def _table(match: re.Match[str]) -> str:
        source = _find(match["name"], ".md", TABLE_DIRS, "table block")
        if source is None:
            return match.group(0)
        body = source.read_text(encoding="utf-8")
        if body != match["body"] and match["name"] not in VOLATILE:
            stale.append(match["name"])
        return match.group(1) + body + match.group(4)

    def _number(match: re.Match[str]) -> str:
        value = _value(match["spec"], numbers)
        if value is None:
            return match.group(0)
        shown = format_number(value, match["spec"].partition("|")[2])
        cell = _CELL.match(match["spec"].partition("|")[0])
        if shown != match["value"] and not (cell and cell["table"] in VOLATILE):
            stale.append(f"n:{match['spec']}")
        return match.group(1) + shown + match.group(4)

    return _NUMBER.sub(_number, _BLOCK.sub(_table, text)), stale


def update_docs(*, check: bool, files: list[Path] | None = None) -> list[str]:
    """Refresh (or, with ``check``, only compare) the generated text and figure copies; return what was stale."""
    numbers = json.loads(paths.NUMBERS_JSON.read_text()) if paths.NUMBERS_JSON.is_file() else None
    stale: list[str] = []
    for doc in files or documents():
        text = doc.read_text(encoding="utf-8")
        new, found = refresh(text, numbers=numbers)
        stale += [f"{doc.name}:{name}" for name in found]
        if not check and new != text:
            write_text(doc, new)
        for match in _FIGURE.finditer(text):
            source = _find(match["name"], ".png", FIGURE_DIRS, "figure")
            if source is None:
                continue
            copy = paths.ROOT / "docs" / "figures" / f"{match['name']}.png"
            if not copy.is_file() or copy.read_bytes() != source.read_bytes():
                if match["name"] not in VOLATILE:
                    stale.append(f"{doc.name}:figure:{match['name']}")
                if not check:
                    with atomic_path(copy) as tmp:
                        tmp.write_bytes(source.read_bytes())
    return sorted(set(stale))
