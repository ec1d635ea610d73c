"""Check stage ``design_widths``: the study's interval widths before and after the sampling design (checks/dvc.yaml)."""

import pandas as pd

from analysis import engine, paths
from analysis.checks.design_widths import design_widths
from analysis.documents import eligible
from analysis.io import write_table
from analysis.params import load_params
from analysis.stages._common import run
from analysis.study import design, inputs


def main() -> None:
    """Write one row per collection and type: the former PPI++ interval and the design's."""
    params = load_params("report")
    with engine.executor(load_params("engine")) as executor:
        labelled = inputs.labelled_documents_files(paths.DOCUMENTS, paths.PREDICTIONS, engine=executor)
    population = design.with_crossfit(eligible(labelled), pd.read_parquet(paths.CROSSFIT_PREDICTIONS))
    draws = pd.read_parquet(paths.GOLD_DRAWS)
    table = design_widths(
        population,
        pd.read_parquet(paths.GOLD),
        random_strata=tuple(draws.loc[draws["draw"] == "uniform", "stratum"].unique()),
        sample_strata=params.sample_strata,
        level=params.ci_level,
    )
    caption = (
        f"Half-widths of the {params.ci_level:.0%} intervals: the former PPI++ on the random stratum, and the design's."
    )
    write_table(paths.DESIGN_WIDTHS, table, caption=caption, float_format="{:.3f}")


if __name__ == "__main__":
    run(main)
