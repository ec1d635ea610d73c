"""Stage ``report``: the study's figures, tables and ``numbers.tex`` from the pipeline outputs."""

import json

import pandas as pd

from analysis import figures, paths, study, tables
from analysis.io import write_table, write_text
from analysis.numbers import numbers_tex
from analysis.params import load_params
from analysis.report import headline_numbers
from analysis.stages._common import run

CAPTIONS = {
    "outlet_profiles": "Event-type shares per FA-KES outlet group (95% Wilson intervals).",
    "outlet_tests": "Differences across outlet groups per event type (chi-square, Holm-adjusted).",
    "credibility_profile": "Event-type shares of FA-KES articles by credibility label.",
    "credibility_tests": "Differences between credible and non-credible articles per event type.",
    "lag_by_outlet": "Reporting lag of UCDP source reports by outlet (days).",
    "lag_by_type": "Reporting lag of UCDP source reports by predicted event type (days).",
    "selection_by_type": "Sources per UCDP event by fatality band and predicted event type.",
}


def main() -> None:
    """Draw every figure and table of the study; collect the numbers quoted in prose."""
    p = load_params("report")
    dates = [(d.date, d.label) for d in p.key_dates]
    documents, reports = pd.read_parquet(paths.DOCUMENTS), pd.read_parquet(paths.REPORTS)
    labelled = study.labelled_documents(documents, pd.read_parquet(paths.PREDICTIONS))
    fakes = labelled[labelled["collection"] == "fakes"].assign(
        outlet_group=lambda d: d["outlet"].map(p.outlet_groups).fillna("unassigned")
    )
    ucdp_reports = reports[reports["collection"] != "fakes"]
    built = {
        "outlet_profiles": tables.outlet_profiles(fakes),
        "outlet_tests": tables.outlet_tests(fakes),
        "credibility_profile": tables.credibility_profile(fakes),
        "credibility_tests": tables.credibility_tests(fakes),
        "lag_by_outlet": tables.lag_by_outlet(ucdp_reports, min_reports=p.lag_min_reports),
        "lag_by_type": tables.lag_by_type(ucdp_reports, labelled),
        "selection_by_type": tables.selection_by_type(labelled, bins=list(p.selection_death_bins)),
    }
    for name, frame in built.items():
        write_table(paths.TABLES / name, frame, caption=CAPTIONS[name], float_format="{:.3f}")
    profiles, cred_shares, lag_outlet = built["outlet_profiles"], built["credibility_profile"], built["lag_by_outlet"]
    selection = built["selection_by_type"]
    scores = pd.read_csv(paths.CLASSIFIER_SCORES.with_suffix(".csv"))
    figures.save(figures.volume_monthly(study.monthly_volume(reports), key_dates=dates), paths.FIG_VOLUME_MONTHLY)
    figures.save(figures.outlet_profiles(profiles, group="outlet_group"), paths.FIG_OUTLET_PROFILES)
    figures.save(figures.credibility_profile(cred_shares), paths.FIG_CREDIBILITY_PROFILE)
    figures.save(
        figures.reporting_lag(ucdp_reports, lag_outlet, by="outlet", max_days=p.lag_max_days), paths.FIG_REPORTING_LAG
    )
    figures.save(figures.selection(selection, types=list(p.selection_types)), paths.FIG_SELECTION)
    iraq = study.weekly_shares(labelled, collection="ucdp_iraq", start=p.iraq_window[0], end=p.iraq_window[1])
    syria = study.weekly_shares(labelled, collection="ucdp_syria", start=None, end=None)
    figures.save(figures.dynamics(iraq, syria, types=list(p.dynamics_types), key_dates=dates), paths.FIG_DYNAMICS)
    figures.save(figures.classifier_performance(scores), paths.FIG_CLASSIFIER_PERFORMANCE)
    figures.save(figures.calibration(pd.read_csv(paths.CALIBRATION_CURVE)), paths.FIG_CALIBRATION)
    metrics = {
        n: json.loads(f.read_text())
        for n, f in (("classifier", paths.CLASSIFIER_METRICS), ("gold", paths.GOLD_METRICS))
    }
    values = headline_numbers(documents, reports, pd.read_parquet(paths.LEDGER), lag_outlet, metrics=metrics)
    write_text(paths.NUMBERS, numbers_tex(values))


if __name__ == "__main__":
    run(main)
