"""The per-type family choice (check family_by_type) and the learning curve's steps: the rules, on hand-made tables."""

import numpy as np
import pandas as pd
import pytest

from analysis.checks.family_by_type import choose_families, gold_folds, per_type_scores
from analysis.checks.learning_curve import steps
from analysis.codebook import EVENT_TYPES
from analysis.model.thresholds import threshold_grid


def _scores(rows):
    """A scores table from (family, type, n_pos, ap, difference, difference_ci_lower) rows."""
    return pd.DataFrame(
        rows, columns=["family", "event_type", "n_pos", "ap", "ap_difference", "ap_difference_ci_lower"]
    )


def test_a_family_replaces_linear_only_when_clearly_better():
    table = _scores(
        [
            ("linear", "clash", 300, 0.90, 0.0, 0.0),
            ("encoder", "clash", 300, 0.93, 0.03, 0.01),  # higher by 0.03, interval above 0: replaces linear
            ("distilled", "clash", 300, 0.91, 0.01, -0.01),
            ("linear", "retreat", 60, 0.70, 0.0, 0.0),
            ("encoder", "retreat", 60, 0.75, 0.05, -0.02),  # higher, but the interval reaches 0: linear stays
            ("distilled", "retreat", 60, 0.69, -0.01, -0.03),
            ("linear", "siege", 80, 0.90, 0.0, 0.0),
            ("encoder", "siege", 80, 0.905, 0.005, 0.001),  # within the margin: linear stays
            ("distilled", "siege", 80, 0.90, 0.0, -0.01),
        ]
    )
    chosen = choose_families(table, min_positives=25, margin=0.01).set_index("event_type")["family"]
    assert chosen.to_dict() == {"retreat": "linear", "siege": "linear", "clash": "encoder"}


def test_distilled_wins_a_near_tie_with_the_encoder_and_rare_types_stay_linear():
    table = _scores(
        [
            ("linear", "shelling", 200, 0.85, 0.0, 0.0),
            ("encoder", "shelling", 200, 0.90, 0.05, 0.02),
            ("distilled", "shelling", 200, 0.895, 0.045, 0.02),  # within 0.01 of the encoder: distilled
            ("linear", "defection", 12, 0.40, 0.0, 0.0),
            ("encoder", "defection", 12, 0.60, 0.20, 0.05),  # 12 positives (< 25): linear whatever the AP
            ("distilled", "defection", 12, 0.50, 0.10, 0.01),
        ]
    )
    chosen = choose_families(table, min_positives=25, margin=0.01).set_index("event_type")
    assert chosen.loc["shelling", "family"] == "distilled"
    assert chosen.loc["defection", "family"] == "linear" and "fewer than 25" in chosen.loc["defection", "reason"]


def test_folds_keep_a_text_group_together():
    groups = pd.Series(["g1", "g1", "g2", "g3", "g2"])
    folds = gold_folds(groups, k=3, seed=1)
    assert folds[0] == folds[1] and folds[2] == folds[4] and set(folds) <= {0, 1, 2}


def test_per_type_scores_compare_each_family_with_linear_on_the_same_resamples():
    # 40 documents, clash positive in half; linear ranks them perfectly, encoder at random
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(20, bool), np.zeros(20, bool)]
    gold = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(40)], **{t: y if t == "clash" else False for t in EVENT_TYPES}}
    )
    rows = []
    for family, p in (("linear", y * 0.8 + 0.1), ("encoder", rng.random(40))):
        frame = pd.DataFrame({"doc_id": gold["doc_id"], "fold": 0, "family": family})
        for t in EVENT_TYPES:
            frame[f"p_{t}"] = p if t == "clash" else 0.0
        rows.append(frame)
    scores = per_type_scores(pd.concat(rows), gold, grid=threshold_grid(0.05), n_bootstrap=50, seed=1, level=0.95)
    clash = scores[scores["event_type"] == "clash"].set_index("family")
    assert clash.loc["linear", "ap"] == pytest.approx(1.0) and clash.loc["linear", "ap_difference"] == 0
    assert clash.loc["encoder", "ap_difference"] < 0 and clash.loc["encoder", "ap_difference_ci_upper"] < 0
    assert set(scores["event_type"]) == {"clash"}  # types with no gold positive are left out


def test_learning_curve_steps_add_gold_round_by_round():
    train = pd.DataFrame(
        {
            "source": ["gold", "gold", "gold", "weak", "ood"],
            "stratum": ["random", "supplement_territory", "active_1", "", ""],
        }
    )
    names = [(name, len(frame), int((frame["source"] == "gold").sum())) for name, frame in steps(train)]
    # every step keeps the weak and out-of-domain rows; a round absent from train (active 2) is no step
    assert names == [("round 1", 3, 1), ("supplement", 4, 2), ("active 1", 5, 3)]
