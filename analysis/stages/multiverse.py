"""Check stage ``multiverse``: the specification curve and survival table from the committed multiverse record."""

import pandas as pd

from analysis import paths
from analysis.checks.multiverse import spec_curve, survival
from analysis.io import write_table
from analysis.stages._common import run
from analysis.study import style

#: The findings the study quotes, drawn in the specification curve (docs/study.md, "Robustness").
CURVE = (
    "sources_coded_log_deaths_sides",
    "sources_coded_violence_one_sided",
    "sources_first_report_fr_civilian_harm",
    "first_report_coded_log_deaths_civilians_same_day",
    "first_report_coded_violence_non_state_same_day",
    "first_report_first_report_fr_airstrike_later",
    "share_ucdp_syria_clash",
)


def main() -> None:
    """Tabulate which findings keep sign and significance in every variant; draw the curve."""
    records = pd.read_csv(paths.MULTIVERSE_RECORDS)
    table = survival(records)
    caption = "Findings across the multiverse's variants: sign and significance kept (checks/records/multiverse.csv)."
    write_table(paths.MULTIVERSE_SURVIVAL, table, caption=caption, float_format="{:.3f}")
    style.save(spec_curve(records, [f for f in CURVE if f in set(records["finding"])]), paths.FIG_SPEC_CURVE)


if __name__ == "__main__":
    run(main)
