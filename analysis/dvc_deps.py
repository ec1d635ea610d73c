"""The code dependencies of every DVC stage, generated from the imports (``make dvc-yaml``).

A stage must re-run when any module it runs changes, and only then. Its ``deps`` in
``dvc.yaml`` therefore list exactly the package modules that importing its entry module loads,
and, for a stage that loads the saved model, the modules a saved model can be made of
(:data:`MODEL_MODULE`). Hand-written, these lists drifted; :func:`rewrite` writes them from
the imports and :func:`stale` (what ``python -m analysis dvc-deps --check`` and a test run)
says which stages' lists differ. Other deps (data files, annotations) are left as written.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from analysis import paths
from analysis.io import write_text

#: Imported beside a stage that loads the saved model: every class a model file can hold.
MODEL_MODULE = "analysis.model.families"
PIPELINES = (
    paths.DVC_YAML,
    paths.CHECKS_DVC_YAML,
    paths.BENCHMARK_DVC_YAML,
    paths.OWN_STUDY_DVC_YAML,
    paths.TEACHER_DVC_YAML,
)
_TRACE = (
    "import importlib, json, sys\n"
    "for name in sys.argv[1:]: importlib.import_module(name)\n"
    "print(json.dumps(sorted(m.__file__ for k, m in list(sys.modules.items())"
    " if k.split('.')[0] == 'analysis' and getattr(m, '__file__', None))))"
)


def _docstring_only(path: Path) -> bool:
    """Return whether ``path`` is a package ``__init__.py`` that only names its package (no dep)."""
    body = ast.parse(path.read_text()).body
    return path.name == "__init__.py" and all(
        isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body
    )


def imported_modules(*modules: str) -> list[str]:
    """Return the package files (root-relative) that importing ``modules`` in a fresh interpreter loads."""
    done = subprocess.run(
        [sys.executable, "-c", _TRACE, *modules], capture_output=True, text=True, check=True, cwd=paths.ROOT
    )
    files = (Path(f) for f in json.loads(done.stdout))
    return sorted(paths.relative(f) for f in files if not _docstring_only(f))


def stage_module(cmd: str) -> str | None:
    """Return the entry module a stage's command runs (``python -m analysis.stages.X``), or None."""
    found = re.search(r"-m (analysis\.stages\.\w+)", cmd)
    return found.group(1) if found else None


def expected_deps(pipeline: Path) -> dict[str, list[str]]:
    """Return each stage's code deps as ``pipeline`` should spell them (relative to its folder)."""
    prefix = "" if pipeline.parent == paths.ROOT else "../"  # the checks and the yardstick reach the code via ../
    expected = {}
    for name, stage in yaml.safe_load(pipeline.read_text())["stages"].items():
        module = stage_module(stage["cmd"])
        if module is None:
            continue
        loads_model = paths.relative(paths.MODEL) in {d.removeprefix(prefix) for d in stage.get("deps", [])}
        modules = [module, MODEL_MODULE] if loads_model else [module]
        expected[name] = [prefix + f for f in imported_modules(*modules)]
    return expected


def _is_code(dep: str) -> bool:
    return dep.removeprefix("../").startswith("analysis/")


def rewritten(text: str, expected: dict[str, list[str]]) -> str:
    r"""Return ``text`` (a dvc.yaml) with each stage's code deps replaced by ``expected``, in place.

    Examples
    --------
    >>> text = "stages:\n  a:\n    cmd: x\n    deps:\n    - analysis/old.py\n    - data/in.csv\n"
    >>> text += "    outs:\n    - o\n"
    >>> print(rewritten(text, {"a": ["analysis/new.py", "analysis/paths.py"]}), end="")
    stages:
      a:
        cmd: x
        deps:
        - analysis/new.py
        - analysis/paths.py
        - data/in.csv
        outs:
        - o
    """
    out, stage, section, written = [], None, None, False
    for line in text.splitlines(keepends=True):
        head = re.match(r"^  (\w+):\s*$", line)
        key = re.match(r"^    (\w+):", line)
        item = re.match(r"^    - (\S+)\s*$", line)
        if head:
            stage, section = head.group(1), None
        elif key:
            section, written = key.group(1), False
        if section == "deps" and item and stage in expected and _is_code(item.group(1)):
            if not written:  # the code deps go where the first one stood
                out.extend(f"    - {dep}\n" for dep in expected[stage])
                written = True
            continue
        out.append(line)
    return "".join(out)


def _stale_in(pipeline: Path, expected: dict[str, list[str]]) -> list[str]:
    stages = yaml.safe_load(pipeline.read_text())["stages"]
    return [n for n, deps in expected.items() if [d for d in stages[n].get("deps", []) if _is_code(d)] != deps]


def stale() -> dict[str, list[str]]:
    """Return ``{pipeline: [stage, ...]}`` for stages whose code deps differ from their imports."""
    found = {paths.relative(p): _stale_in(p, expected_deps(p)) for p in PIPELINES}
    return {name: stages for name, stages in found.items() if stages}


def rewrite() -> dict[str, list[str]]:
    """Write every pipeline's code deps from the imports; return what was stale (see :func:`stale`)."""
    was = {}
    for pipeline in PIPELINES:
        expected = expected_deps(pipeline)  # the import traces run once per pipeline
        wrong = _stale_in(pipeline, expected)
        if wrong:
            was[paths.relative(pipeline)] = wrong
            write_text(pipeline, rewritten(pipeline.read_text(), expected))
    return was
