"""Active-learning rounds: the draw where the model is least sure, and their place in the gold design."""

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.labels.active import draw_uncertain, margins
from analysis.labels.annotation import inclusion_probabilities

THRESHOLDS = {t: 0.5 for t in EVENT_TYPES}


def _predictions(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Predictions with p = 0.01 for every type not named (far below 0.5)."""
    frame = pd.DataFrame({"doc_id": list(rows)})
    for t in EVENT_TYPES:
        frame[f"p_{t}"] = [rows[d].get(t, 0.01) for d in rows]
    return frame


def _documents(ids, *, collection="ucdp_syria", groups=None, sealed=()):
    return pd.DataFrame(
        {
            "doc_id": ids,
            "collection": collection,
            "text": [f"text {i}" for i in ids],
            "text_group": groups or [f"g{i}" for i in ids],
            "sealed": [d in sealed for d in ids],
            "sealed_group": [d in sealed for d in ids],
        }
    )


def test_margin_is_the_log_odds_distance_to_the_nearest_threshold():
    # d1 sits on the clash threshold (margin 0); d2 is 0.73 against 0.5: log(0.73/0.27), about 0.99
    m = margins(_predictions({"d1": {"clash": 0.5}, "d2": {"siege": 0.73}}), THRESHOLDS).set_index("doc_id")
    assert m.loc["d1", "margin"] == 0 and m.loc["d1", "nearest_type"] == "clash"
    assert np.isclose(m.loc["d2", "margin"], np.log(0.73 / 0.27)) and m.loc["d2", "nearest_type"] == "siege"


def test_the_draw_takes_the_least_sure_eligible_documents_outside_earlier_rounds():
    ids = ["a", "b", "c", "d", "e"]
    documents = _documents(ids, sealed=("b",))
    predictions = _predictions(
        {
            "a": {"clash": 0.45},  # close: drawn
            "b": {"clash": 0.5},  # closest, but sealed: never drawn
            "c": {"clash": 0.52},  # closest eligible: drawn first
            "d": {"clash": 0.49},  # close, but its text group was drawn in an earlier round
            "e": {},  # sure (every type near 0): not drawn
        }
    )
    drawn = draw_uncertain(
        documents,
        predictions,
        THRESHOLDS,
        exclude_groups=pd.Series(["gd"]),
        per_collection={"ucdp_syria": 2},
        stratum="active_1",
    )
    assert drawn["doc_id"].tolist() == ["a", "c"]
    assert set(drawn["stratum"]) == {"active_1"} and drawn["n_pool"].tolist() == [3, 3]  # a, c, e were eligible


def test_a_model_chosen_stratum_has_no_inclusion_probability():
    # an active round is not a probability sample: its draw says so and its probability is NaN
    documents = _documents(["r1", "r2", "x1"])
    gold = pd.DataFrame(
        {
            "doc_id": ["r1", "x1"],
            "collection": "ucdp_syria",
            "stratum": ["random", "active_1"],
            "text_group": ["gr1", "gx1"],
        }
    )
    probabilities = inclusion_probabilities(documents, gold).set_index("doc_id")
    assert probabilities.loc["x1", "draw"] == "model:uncertainty"
    assert np.isnan(probabilities.loc["x1", "inclusion_probability"])
    assert probabilities.loc["r1", "inclusion_probability"] == 1 / 3  # one of three eligible random groups


def test_the_command_refuses_to_overwrite_a_committed_round(capsys):
    # a committed sample is the record of a draw made by the model of its day: never drawn over
    from analysis import paths
    from analysis.__main__ import main

    existing = str(paths.ANNOTATION_ACTIVE_SAMPLES[0])
    assert main(["sample-active", "-o", existing, "--stratum", "active_1", "--per-collection", "ucdp_iraq=1"]) == 1
    assert "already exists" in capsys.readouterr().err


def test_the_design_leaves_active_rounds_in_the_rest():
    # an active round was chosen from the sample's own frame, for being hard: neither known nor
    # sampled, it is estimated with the rest, and its draw is not a probability sample
    from analysis.study import design

    gold = pd.DataFrame(
        {
            "doc_id": ["s1", "k1", "a1"],
            "collection": "ucdp_syria",
            "stratum": ["fresh_test", "random", "active_1"],
            "text_group": ["gs1", "gk1", "ga1"],
            **{t: False for t in EVENT_TYPES},
        }
    )
    roles = design.design_gold(gold, sample_strata=("fresh_test",)).set_index("stratum")["role"]
    assert roles.to_dict() == {"fresh_test": "sample", "random": "known"}
    draws = pd.DataFrame(
        {
            "doc_id": ["s1", "k1", "a1"],
            "collection": "ucdp_syria",
            "stratum": ["fresh_test", "random", "active_1"],
            "draw": ["uniform_outside", "uniform", "model:uncertainty"],
            "n_frame_units": [10.0, 20.0, float("nan")],
            "inclusion_probability": [0.1, 0.05, float("nan")],
        }
    )
    table = design.gold_design(draws, design.design_gold(gold, sample_strata=("fresh_test",))).set_index("stratum")
    assert table.loc["active_1", "role"] == "rest" and not table.loc["active_1", "probability_sample"]
    assert table.loc["fresh_test", "probability_sample"]
