"""Dev-only comparisons of two classifier variants (supplement_on_dev, encoder_on_study_dev)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis import evaluate
from analysis.codebook import EVENT_TYPES
from analysis.params import load_params


def _dev(**columns):
    frame = pd.DataFrame({t: False for t in EVENT_TYPES}, index=range(len(next(iter(columns.values())))))
    for t, values in columns.items():
        frame[t] = np.asarray(values, dtype=bool)
    return frame


def test_dev_comparison_scores_each_variant_and_the_difference():
    dev = _dev(siege=[1, 1, 0, 0])
    probas = {
        "old": {"siege": np.array([0.9, 0.8, 0.1, 0.2])},  # positives ranked first: AP 1
        "new": {"siege": np.array([0.1, 0.2, 0.9, 0.8])},  # positives ranked last: AP (1/3 + 2/4) / 2
    }
    table = evaluate.dev_comparison(dev, probas, baseline="old", variant="new", seed=1).set_index("event_type")
    assert table.loc["siege", "ap_old"] == 1.0
    assert table.loc["siege", "ap_new"] == pytest.approx((1 / 3 + 2 / 4) / 2, abs=1e-4)
    assert table.loc["siege", "ap_difference"] == pytest.approx(table.loc["siege", "ap_new"] - 1.0, abs=1e-4)
    assert table.loc["macro", "n_pos_dev"] == 2 and table.loc["macro", "ap_old"] == 1.0
    assert list(table.columns[:5]) == ["n_pos_dev", "ap_old", "f1_old", "ap_new", "f1_new"]


def test_supplement_on_dev_compares_only_types_both_variants_learn():
    strike = [f"Warplanes struck the {p} district overnight" for p in ("north", "south", "east", "west", "old")]
    calm = [f"Officials met in the {p} district to discuss aid" for p in ("north", "south", "east", "west", "old")]
    taken = [f"Rebels captured the {p} village after fighting" for p in ("north", "south", "east", "west", "old")]
    rows = []
    for i, text in enumerate(strike * 3 + calm * 3):  # round-1 gold and weak rows: airstrike or nothing
        rows.append({"text": text, "source": "gold" if i % 2 else "weak", "stratum": "random" if i % 2 else ""})
    for text in taken * 2:  # advance appears only in the supplement
        rows.append({"text": text, "source": "gold", "stratum": "supplement_territory"})
    train = pd.DataFrame(rows).assign(weight=1.0)
    for t in EVENT_TYPES:
        train[t] = False
    train["airstrike"] = train["text"].str.startswith("Warplanes")
    train["advance"] = train["text"].str.startswith("Rebels")
    dev = pd.DataFrame({"text": [strike[0], calm[1], taken[2], strike[3]]})
    dev = pd.concat([dev, _dev(airstrike=[1, 0, 0, 1], advance=[0, 0, 1, 0])], axis=1)
    spec = dataclasses.replace(load_params("train").spec(), min_positives=3, calibration_folds=2, min_df=1)
    table = evaluate.supplement_on_dev(
        train,
        dev,
        spec=spec,
        voting_lfs=[],
        train_only_strata=("supplement_territory",),
        min_dev_positives=1,
        seed=1,
    )
    # without the supplement, advance has no positives and backs off to the rules: not compared
    assert table["event_type"].tolist() == ["airstrike", "macro"]
    assert table.loc[0, "ap_with"] == table.loc[0, "ap_without"] == 1.0  # both separate the strikes
