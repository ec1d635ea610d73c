"""The behavioural suite of the classifier, in the manner of CheckList (Ribeiro et al., ACL 2020).

Hand-written cases (``annotations/behaviour.yaml``), four kinds of test:

- ``mft`` (minimum functionality): the text reports a type; it passes if the type is predicted;
- ``inv`` (invariance): a name, place, number, date or outlet swapped; each variant passes if it
  gets exactly the labels of its base sentence;
- ``dir`` (directional): negated, denied, hypothetical or ended; it passes if the type is not predicted;
- ``ood``: news outside conflict that uses conflict words; it passes if no type is predicted.

Every case passes or fails; the failures are listed, never silenced.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from analysis.codebook import EVENT_TYPES
from analysis.errors import DataError
from analysis.model.classifier import EventClassifier
from analysis.model.new_text import classify_frame

TESTS = ("mft", "inv", "dir", "ood")


def load_cases(path: Path) -> pd.DataFrame:
    """Read the suite into one row per text to classify.

    Returns
    -------
    DataFrame
        ``case_id`` (``<test>-<n>``, variants ``<test>-<n>.<k>``), ``test``, ``event_type`` (the
        type checked; for ``ood`` the type the wording tempts), ``form`` (the case's form, swap
        or domain), ``role`` (``case``, ``base`` or ``variant``), ``base_id`` (a variant's base)
        and ``text``.

    Raises
    ------
    DataError
        A list other than the four tests, a case without its fields, or an unknown type.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) - set(TESTS):
        raise DataError(f"{path}: expected the lists {list(TESTS)}")
    rows = []
    for test in TESTS:
        for n, case in enumerate(data.get(test) or [], 1):
            case_id = f"{test}-{n:03d}"
            kind = case.get("trap") if test == "ood" else case.get("type")
            if kind not in (*EVENT_TYPES, "none"):
                raise DataError(f"{path}: {test} case {n}: unknown event type {kind!r}")
            form = case.get("domain") or case.get("form") or case.get("swap") or ""
            if test == "inv":
                rows.append((case_id, test, kind, form, "base", case_id, case["base"]))
                rows += [
                    (f"{case_id}.{k}", test, kind, form, "variant", case_id, text)
                    for k, text in enumerate(case["variants"], 1)
                ]
            else:
                rows.append((case_id, test, kind, form, "case", "", case["text"]))
    return pd.DataFrame(rows, columns=["case_id", "test", "event_type", "form", "role", "base_id", "text"])


def run_suite(cases: pd.DataFrame, model: EventClassifier) -> pd.DataFrame:
    """Classify every text and decide each case.

    Returns
    -------
    DataFrame
        The cases that are checked (every row but an ``inv`` base), with ``predicted``
        (``;``-joined labels), ``expected`` (what passing needs) and ``passed``.
    """
    frame = pd.DataFrame({"id": cases["case_id"], "title": "", "text": cases["text"]})
    predicted = classify_frame(frame, model)["labels"].to_numpy()
    cases = cases.assign(predicted=predicted)
    base_labels = cases[cases["role"] == "base"].set_index("case_id")["predicted"]
    out = cases[cases["role"] != "base"].copy()
    labels = out["predicted"].map(lambda s: set(filter(None, s.split(";"))))
    expected, passed = [], []
    for (_, row), got in zip(out.iterrows(), labels, strict=True):
        if row["test"] == "mft":
            expected.append(f"has {row['event_type']}")
            passed.append(row["event_type"] in got)
        elif row["test"] == "dir":
            expected.append(f"not {row['event_type']}")
            passed.append(row["event_type"] not in got)
        elif row["test"] == "ood":
            expected.append("no type")
            passed.append(not got)
        else:
            base = base_labels[row["base_id"]]
            expected.append(f"same as base: {base or '(none)'}")
            passed.append(got == set(filter(None, base.split(";"))))
    return out.assign(expected=expected, passed=passed)[
        ["case_id", "test", "event_type", "form", "text", "predicted", "expected", "passed"]
    ]


def pass_rates(results: pd.DataFrame) -> pd.DataFrame:
    """Pass rate per test and type, per test, and overall.

    Returns
    -------
    DataFrame
        ``test`` (or ``all``), ``event_type`` (or ``all``), ``n_cases``, ``n_passed``, ``pass_rate``.
    """
    rows = []
    for test, part in [*results.groupby("test", sort=False), ("all", results)]:
        groups = [*part.groupby("event_type", sort=True), ("all", part)] if test != "all" else [("all", part)]
        for event_type, cell in groups:
            n, k = len(cell), int(cell["passed"].sum())
            rows.append({"test": test, "event_type": event_type, "n_cases": n, "n_passed": k, "pass_rate": k / n})
    return pd.DataFrame(rows)
