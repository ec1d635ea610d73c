"""Stage ``behaviour``: the CheckList suite (``annotations/behaviour.yaml``) against the saved classifier."""

from analysis import paths
from analysis.io import write_json, write_table
from analysis.model import behaviour, persist
from analysis.stages._common import run


def main() -> None:
    """Run every case; write the pass rates per test and type, and every failure."""
    results = behaviour.run_suite(behaviour.load_cases(paths.BEHAVIOUR_CASES), persist.load(paths.MODEL))
    rates = behaviour.pass_rates(results)
    write_table(
        paths.BEHAVIOUR, rates, caption="Behavioural tests: pass rate per test and type.", float_format="{:.3f}"
    )
    failures = results[~results["passed"]].drop(columns="passed")
    write_table(paths.BEHAVIOUR_FAILURES, failures, caption="Behavioural tests that failed.")
    overall = rates[(rates["test"] == "all") & (rates["event_type"] == "all")].iloc[0]
    by_test = rates[rates["event_type"] == "all"].set_index("test")["pass_rate"].round(4).to_dict()
    write_json(paths.BEHAVIOUR_METRICS, {"pass_rate": round(float(overall["pass_rate"]), 4), "by_test": by_test})


if __name__ == "__main__":
    run(main)
