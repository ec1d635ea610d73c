"""Check stage ``design_coverage``: coverage and size of the study's estimators by simulation (checks/dvc.yaml)."""

from analysis import paths
from analysis.checks import design_simulation
from analysis.io import write_table
from analysis.params import load_params
from analysis.stages._common import run

#: Replications per regime: at 400, a 95% interval that covers 85% of the time is 9 standard errors short.
REPS = 400


def main() -> None:
    """Write the coverage table (regimes of gold size and prevalence) and the size table of the group test."""
    seed, level = load_params("base").seed, load_params("report").ci_level
    coverage = design_simulation.coverage_table(reps=REPS, level=level, seed=seed)
    caption = f"Coverage of the {level:.0%} intervals of the design's estimate and of gold alone, by simulation."
    write_table(paths.DESIGN_COVERAGE, coverage, caption=caption, float_format="{:.3f}")
    size = design_simulation.size_table(reps=REPS, n_perm=199, alpha=0.05, seed=seed)
    caption = "Rejection rate at 5% of the permutation test between groups when no group differs, by simulation."
    write_table(paths.DESIGN_SIZE, size, caption=caption, float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
