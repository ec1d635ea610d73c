"""The DVC experiments in a table a person can read in a terminal of 120 columns.

``dvc exp show`` prints every parameter, metric and dependency of the study: several hundred
columns, so that in an ordinary terminal every cell is an ellipsis. A researcher comparing
variants needs three things: which experiment, what it changed, and the headline dev scores.
:func:`experiments_frame` takes those from ``dvc exp show --json``; :func:`format_experiments`
fits them to a width. Test scores are never among them: the test set is scored only by
``python -m analysis score-test``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from analysis import paths
from analysis.errors import DataError

#: Headline dev metrics: column -> (metrics file relative to the root, key path inside it). Short
#: names, so that the changed params keep most of the width: macro-F1 over the measurable types,
#: micro-F1, the keyword rules' macro-F1, out-of-domain false alarms, behavioural pass rate.
HEADLINE_METRICS = {
    "macro_f1": (paths.relative(paths.CLASSIFIER_METRICS), ("classifier", "macro_measurable_f1")),
    "micro_f1": (paths.relative(paths.CLASSIFIER_METRICS), ("classifier", "micro_f1")),
    "rules_f1": (paths.relative(paths.CLASSIFIER_METRICS), ("keyword_rules", "macro_measurable_f1")),
    "ood_alarm": (paths.relative(paths.CLASSIFIER_METRICS), ("ood_false_alarm_rate",)),
    "behaviour": (paths.relative(paths.BEHAVIOUR_METRICS), ("pass_rate",)),
}


def _flatten(tree: dict, prefix: str = "") -> dict[str, object]:
    """Flatten nested params to dotted keys; lists become their JSON text so they compare as values."""
    flat: dict[str, object] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = json.dumps(value, sort_keys=True) if isinstance(value, list) else value
    return flat


def _dig(tree: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def _rows(states: list[dict]) -> list[dict]:
    """Return one row per experiment state: each baseline, then its experiments (newest first)."""
    rows = []
    for state in states:
        rev = state["rev"]
        rows.append({"name": state.get("name") or (rev if rev == "workspace" else rev[:7]), "data": state.get("data")})
        for exp_range in state.get("experiments") or []:
            newest = (exp_range.get("revs") or [{}])[0]
            name = exp_range.get("name") or newest.get("name") or newest.get("rev", "")[:7]
            rows.append({"name": name, "data": newest.get("data")})
    return rows


def experiments_frame(states: list[dict], *, all_params: bool = False) -> pd.DataFrame:
    """Return one row per experiment of ``dvc exp show --json``: its name, changed params, headline metrics.

    Parameters
    ----------
    states
        The parsed output of ``dvc exp show --json``.
    all_params
        Keep every parameter as a column, not only those whose value differs between rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``experiment``, ``created`` (``MM-DD HH:MM``), ``changed`` (the params that differ
        from the committed baseline's, as ``key=value``), then one column per
        :data:`HEADLINE_METRICS` entry.
    """
    records = []
    for row in _rows(states):
        data = row["data"] or {}
        params = {}
        for content in (data.get("params") or {}).values():
            params.update(_flatten(content.get("data") or {}))
        metrics = {
            column: _dig((data.get("metrics") or {}).get(file, {}).get("data") or {}, keys)
            for column, (file, keys) in HEADLINE_METRICS.items()
        }
        created = str(data.get("timestamp") or "")[5:16].replace("T", " ")  # MM-DD HH:MM
        records.append({"experiment": row["name"], "created": created, "params": params, **metrics})
    if not records:
        return pd.DataFrame(columns=["experiment", "created", "changed", *HEADLINE_METRICS])
    # what a variant changed is read against the committed baseline (the first row that is not the workspace)
    committed = [r for r in records if r["experiment"] != "workspace"]
    reference = (committed or records)[0]["params"]
    for record in records:
        params = record.pop("params")
        keys = sorted(params) if all_params else sorted(k for k in params if params.get(k) != reference.get(k))
        keys += sorted(k for k in reference if k not in params and not all_params)
        record["changed"] = " ".join(f"{k}={params.get(k, '-')}" for k in keys)
    return pd.DataFrame.from_records(records, columns=["experiment", "created", "changed", *HEADLINE_METRICS])


def format_experiments(frame: pd.DataFrame, *, width: int = 120) -> str:
    """Return ``frame`` as a plain-text table no wider than ``width`` (the ``changed`` column wraps).

    Examples
    --------
    >>> frame = pd.DataFrame({"experiment": ["workspace"], "created": [""], "changed": ["train.c=1.0"],
    ...                       "macro_f1": [0.859], "micro_f1": [0.87], "rules_f1": [0.8],
    ...                       "ood_alarm": [0.0116], "behaviour": [0.7766]})
    >>> print(format_experiments(frame).splitlines()[2])
    workspace                      train.c=1.0                                0.859    0.870    0.800    0.0116    0.777
    """
    fixed = {"experiment": 18, "created": 11, **{c: max(len(c), 6) for c in HEADLINE_METRICS}}
    room = width - sum(fixed.values()) - len(fixed)  # one space between columns
    if room < 12:
        raise DataError(f"experiments: a width of {width} leaves no room for the changed params (use at least 120)")
    columns = ["experiment", "created", "changed", *HEADLINE_METRICS]
    widths = {**fixed, "changed": room}

    def cell(column: str, value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return "-"
        if isinstance(value, float):
            return f"{value:.4f}" if column == "ood_alarm" else f"{value:.3f}"
        return str(value)

    def line(values: list[str]) -> str:
        return " ".join(v[: widths[c]].ljust(widths[c]) for c, v in zip(columns, values, strict=True)).rstrip()

    out = [line(columns), line(["-" * widths[c] for c in columns])]
    for record in frame.to_dict("records"):
        changed = str(record["changed"]) or "(baseline)"
        chunks = [changed[i : i + room] for i in range(0, len(changed), room)] or [""]
        out.append(line([cell(c, record[c]) if c != "changed" else chunks[0] for c in columns]))
        out.extend(line(["", "", chunk, *[""] * len(HEADLINE_METRICS)]) for chunk in chunks[1:])
    return "\n".join(out)


def show_experiments(*, width: int = 120, all_params: bool = False) -> str:
    """Run ``dvc exp show --json`` in the project and return the table of :func:`format_experiments`."""
    done = subprocess.run(
        [sys.executable, "-m", "dvc", "exp", "show", "--json"], cwd=paths.ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise DataError(f"dvc exp show failed: {done.stderr.strip().splitlines()[-1:]}")
    return format_experiments(experiments_frame(json.loads(done.stdout), all_params=all_params), width=width)
