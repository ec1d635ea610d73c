"""The robustness multiverse: the study's analysis choices varied one at a time, run as a queue of DVC experiments.

Each variant is a ``dvc exp run --queue -S ...`` of the study's pipeline, so DVC re-runs only
the stages a changed parameter reaches (a report-level choice re-runs the report; the
dedupe threshold, everything). ``python -m analysis multiverse queue`` queues them,
``dvc queue start`` runs them, ``python -m analysis multiverse collect`` reads every finding
of every variant (``data/reporting/metrics/findings.json``, a DVC metric) from
``dvc exp show --json`` into ``checks/records/multiverse.csv``, which is committed. The checks
pipeline draws the specification curve and the survival table from that record
(:mod:`analysis.checks.multiverse`). ``make multiverse`` does all of it and records the time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pandas as pd

from analysis import paths
from analysis.errors import DataError

#: (name, what it changes, the params it sets): each analysis choice of the study, varied alone.
VARIANTS = (
    ("hazard_14_days", "first-report follow-up 14 days, not 30", {"report.hazard_max_days": 14}),
    ("hazard_60_days", "first-report follow-up 60 days, not 30", {"report.hazard_max_days": 60}),
    ("governorates_100", "governorates with under 100 events pooled, not 30", {"report.governorate_min_events": 100}),
    (
        "gold_positives_25",
        "a first-report type enters with 25 gold positives, not 10",
        {"report.dsl_min_gold_positives": 25},
    ),
    ("without_sohr", "SOHR's reports left out of the event models", {"report.exclude_outlets": '["SOHR"]'}),
    (
        "allies_as_state",
        "Iranian, Russian and Hezbollah outlets grouped with the Syrian state",
        {
            "report.outlet_groups.Al-Manar": "syrian_state",
            "report.outlet_groups.Al-Alam": "syrian_state",
            "report.outlet_groups.Sputnik": "syrian_state",
            "report.outlet_groups.TASS": "syrian_state",
            "report.credibility_reference_group": "syrian_state",
        },
    ),
    ("first_report_pass_a", "the first-report round's gold: annotator a's pass", {"report.first_report_pass": "a"}),
    ("first_report_pass_b", "the first-report round's gold: annotator b's pass", {"report.first_report_pass": "b"}),
    ("crossfit_3_folds", "three cross-fitting folds, not two", {"crossfit.folds": 3}),
    ("threshold_grid_005", "decision thresholds tuned on a 0.05 grid, not 0.01", {"train.threshold_step": 0.05}),
    ("dedupe_090", "near-duplicates at estimated Jaccard 0.90, not 0.80", {"clean.dedupe.threshold": 0.9}),
)


def _dvc(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "dvc", *args], cwd=paths.ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise DataError(f"dvc {' '.join(args[:2])} failed: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout


def queue() -> list[str]:
    """Queue one DVC experiment per variant (:data:`VARIANTS`) and note when; return their names."""
    paths.MULTIVERSE_QUEUED.parent.mkdir(parents=True, exist_ok=True)
    paths.MULTIVERSE_QUEUED.write_text(pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%S") + "\n")
    for name, _, settings in VARIANTS:
        sets = [a for key, value in settings.items() for a in ("-S", f"{key}={value}")]
        _dvc("exp", "run", "--queue", "--name", f"mv-{name}", *sets)
    return [f"mv-{name}" for name, _, _ in VARIANTS]


def wait(*, poll_s: float = 20.0) -> None:
    """Block until the experiment queue holds nothing queued or running."""
    while any(word in _dvc("queue", "status") for word in ("Queued", "Running")):
        time.sleep(poll_s)


def records(states: list[dict], *, head: str | None = None) -> pd.DataFrame:
    """Return every finding of the baseline and of each variant from ``dvc exp show --json``.

    ``head`` (a commit) names the baseline among several commits' states; a variant run on
    more than one of them counts once, from the newest state that has its findings.

    Returns
    -------
    DataFrame
        ``variant`` (``baseline`` or a :data:`VARIANTS` name), ``change`` (what it changes),
        ``finding``, ``estimate``, ``ci_lower``, ``ci_upper``, ``p_value``, and ``finished``
        (the experiment's timestamp), sorted by variant and finding.
    """
    described = {f"mv-{name}": (name, change) for name, change, _ in VARIANTS}
    rows = []
    for state in states:
        is_base = state.get("rev") != "workspace" and (head is None or state.get("rev") == head)
        found = [("baseline", "the study as committed", state.get("data"))] if is_base else []
        for exp_range in state.get("experiments") or []:
            newest = (exp_range.get("revs") or [{}])[0]
            name = exp_range.get("name") or newest.get("name")
            if name in described:
                found.append((*described[name], newest.get("data")))
        for variant, change, data in found:
            metrics = ((data or {}).get("metrics") or {}).get(paths.relative(paths.FINDINGS), {}).get("data") or {}
            for finding, values in metrics.items():
                rows.append(
                    {
                        "variant": variant,
                        "change": change,
                        "finding": finding,
                        **values,
                        "finished": data.get("timestamp"),
                    }
                )
    columns = ["variant", "change", "finding", "estimate", "ci_lower", "ci_upper", "p_value", "finished"]
    out = pd.DataFrame(rows, columns=columns)
    return out.drop_duplicates(["variant", "finding"]).sort_values(["variant", "finding"], ignore_index=True)


def collect(*, commits: int = 3) -> pd.DataFrame:
    """Read ``dvc exp show --json`` over the last ``commits`` commits and return :func:`records` (HEAD the baseline).

    A variant re-run after a fix that changes no other finding is then read beside those run
    before it.
    """
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True).stdout.strip()
    return records(json.loads(_dvc("exp", "show", "--json", "-n", str(commits))), head=head)


def timing(found: pd.DataFrame, queued: str) -> pd.DataFrame:
    """Return how long each variant ran (one at a time, in the order they finished) and the whole queue.

    Returns
    -------
    DataFrame
        ``step`` (a variant, or ``all``) and ``seconds``: a variant's from the previous
        variant's finish (the first's from the queueing), ``all`` from the queueing to the last.
    """
    done = found[found["variant"] != "baseline"].drop_duplicates("variant")
    ends = pd.to_datetime(done.set_index("variant")["finished"]).dt.tz_localize(None).sort_values()
    starts = pd.Series([pd.Timestamp(queued.strip()), *ends.iloc[:-1]], index=ends.index)
    seconds = (ends - starts).dt.total_seconds()
    total = (ends.iloc[-1] - pd.Timestamp(queued.strip())).total_seconds() if len(ends) else 0.0
    return pd.DataFrame({"step": [*seconds.index, "all"], "seconds": [*seconds.to_numpy(), total]})
