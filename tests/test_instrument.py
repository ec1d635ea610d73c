"""The instrument's new parts: label model, out-of-domain negatives, behavioural suite, dev scores, error analysis."""

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.codebook import EVENT_TYPES
from analysis.labels import combine
from analysis.labels.functions import ABSTAIN, POS, apply_lfs, labeling_functions
from analysis.model import behaviour, diagnostics, ood, scoring
from analysis.model.thresholds import cross_fitted_predictions, threshold_grid


def _votes(rows: dict[str, list[int]], n: int) -> pd.DataFrame:
    votes = pd.DataFrame(ABSTAIN, index=range(n), columns=[lf.name for lf in labeling_functions()], dtype="int8")
    for name, values in rows.items():
        votes[name] = values
    return votes


def _gold(n: int, **types) -> pd.DataFrame:
    gold = pd.DataFrame(False, index=range(n), columns=list(EVENT_TYPES))
    for t, values in types.items():
        gold[t] = np.asarray(values, dtype=bool)
    return gold


def test_naive_bayes_weighs_a_paraphrase_by_its_gold_accuracy():
    # 8 documents: the bombing paraphrase fires on 4, of which 3 are bombings; the cue on 2, both bombings
    votes = _votes(
        {
            "bombing_paraphrase": [POS, POS, POS, POS, ABSTAIN, ABSTAIN, ABSTAIN, ABSTAIN],
            "bombing_cue": [ABSTAIN, ABSTAIN, ABSTAIN, ABSTAIN, POS, POS, ABSTAIN, ABSTAIN],
        },
        8,
    )
    gold = _gold(8, bombing=[1, 1, 1, 0, 1, 1, 0, 0])
    model = combine.fit_label_model(votes, gold, combine="naive_bayes", min_accuracy=0.75)
    p = combine.label_model_proba(votes, model)["bombing"]
    # the paraphrase alone now pulls the label up (above the documents where nothing fired) ...
    assert p[0] > p[6] and combine.apply_label_model(votes, model).loc[0, "bombing"]
    # ... and the majority combiner keeps a function only at 0.75 accuracy (the paraphrase has 0.75)
    majority = combine.fit_label_model(votes, gold, combine="majority", min_accuracy=0.8)
    assert "bombing_paraphrase" not in majority["voting_lfs"] and "bombing_cue" in majority["voting_lfs"]
    assert not combine.apply_label_model(votes, majority).loc[0, "bombing"]


def test_out_of_domain_rows_are_negatives_for_military_types_only(tmp_path):
    # a task file: two rows with no label (negatives) and one labelled row (left out)
    (tmp_path / "News").mkdir()
    (tmp_path / "News" / "train.tsv").write_text("markets rallied\t0\nriot police fired\t1\nstorm hit the coast\t0\n")
    negatives = ood.read_negatives(tmp_path, tasks=("News", "Absent"), split="train")
    assert negatives["doc_id"].tolist() == ["ood:News:train:1", "ood:News:train:3"]
    rows = ood.negatives_set(negatives, weight=0.5, max_rows=10, seed=1)
    assert (rows["source"] == "ood").all() and (rows["weight"] == 0.5).all()
    assert not rows["clash"].any() and rows["civilian_harm"].isna().all() and rows["negotiation"].isna().all()
    assert ood.negatives_set(negatives, weight=0.0, max_rows=10, seed=1).empty  # weight 0: none
    assert len(ood.negatives_set(negatives, weight=1.0, max_rows=1, seed=1)) == 1  # the cap is per task


def test_false_alarms_count_documents_with_a_military_type():
    negatives = pd.DataFrame({"doc_id": list("abcd"), "task": ["x", "x", "y", "y"], "text": ""})
    predicted = _gold(4, clash=[1, 0, 0, 0], negotiation=[0, 1, 0, 0])  # negotiation is no military type
    table = ood.false_alarms(negatives, predicted).set_index("task")
    assert table.loc["x", "n_false_alarm"] == 1 and table.loc["all", "false_alarm_rate"] == 0.25
    assert table.loc["all", "n_negotiation"] == 1


def test_unknown_labels_leave_documents_out_of_that_types_model(monkeypatch):
    # an out-of-domain row unknown (NA) for airstrike is not fitted as a negative: its model sees 11 rows, not 12
    import dataclasses

    from analysis.model import classifier
    from analysis.params import load_params

    seen = {}
    real = classifier.calibrated_model

    class Spy:
        def __init__(self, spec, seed):
            self.model = real(spec, seed=seed)

        def fit(self, x, y, sample_weight=None):
            seen[int(y.sum())] = x.shape[0]
            return self.model.fit(x, y, sample_weight=sample_weight)

    monkeypatch.setattr(classifier, "calibrated_model", lambda spec, seed: Spy(spec, seed))
    texts = pd.Series(
        [f"Warplanes struck the town {i}" for i in range(6)] + [f"Artillery shelled the city {i}" for i in range(6)]
    )
    labels = _gold(12, airstrike=[1] * 6 + [0] * 6, shelling=[0] * 7 + [1] * 5).astype("boolean")
    labels.loc[11, "airstrike"] = pd.NA
    spec = dataclasses.replace(load_params("train").spec(), min_positives=3, calibration_folds=2, min_df=1)
    classifier.EventClassifier(spec, seed=1).fit(texts, labels)
    # airstrike (6 positives) is fitted without the unknown row; shelling (5 positives) on every row
    assert seen == {6: 11, 5: 12}


def test_behaviour_suite_decides_each_kind_of_case(small_model, tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "mft": [{"type": "airstrike", "form": "keyword", "text": "Warplanes struck the town"}],
                "inv": [
                    {
                        "type": "airstrike",
                        "swap": "place",
                        "base": "Warplanes struck the town",
                        "variants": ["Warplanes struck the city"],
                    }
                ],
                "dir": [{"type": "shelling", "form": "negation", "text": "Warplanes struck the town"}],
                "ood": [{"trap": "clash", "domain": "sport", "text": "Fighting raged in the suburbs"}],
            }
        )
    )
    cases = behaviour.load_cases(path)
    assert cases["role"].tolist() == ["case", "base", "variant", "case", "case"]
    results = behaviour.run_suite(cases, small_model).set_index("test")
    assert results.loc["mft", "passed"] and results.loc["dir", "passed"] and results.loc["inv", "passed"]
    assert not results.loc["ood", "passed"]  # the small model calls this clash: a failure, listed
    rates = behaviour.pass_rates(results.reset_index()).set_index(["test", "event_type"])
    assert rates.loc[("all", "all"), "pass_rate"] == 0.75


def test_the_projects_suite_has_200_cases_over_every_type():
    cases = behaviour.load_cases(paths.BEHAVIOUR_CASES)
    checked = cases[cases["role"] != "base"]
    assert len(checked) >= 200
    for test in ("mft", "dir"):
        assert set(cases.loc[cases["test"] == test, "event_type"]) == set(EVENT_TYPES), test
    assert cases["text"].is_unique


def test_cross_fitted_predictions_tune_on_the_other_half():
    # a threshold that only the other half can justify: half A's positives sit at 0.6, half B's at 0.9
    proba = pd.DataFrame({f"p_{t}": 0.0 for t in EVENT_TYPES}, index=range(40))
    gold = _gold(40, siege=[i % 2 == 0 for i in range(40)])
    proba.loc[gold["siege"], "p_siege"] = 0.8
    proba.loc[~gold["siege"], "p_siege"] = 0.3
    pred = cross_fitted_predictions(proba, gold, types=["siege"], grid=threshold_grid(0.05), seed=1)
    assert (pred["siege"] == gold["siege"]).all()
    assert not pred["airstrike"].any()  # a type not cut this way: its 0/1 probability at 0.5


def test_error_analysis_counts_errors_by_cue_family():
    votes = apply_lfs(pd.Series(["Warplanes struck the town", "The council met", "A raid on the village"]))
    gold = _gold(3, airstrike=[1, 0, 1])
    systems = {"classifier": _gold(3, airstrike=[1, 1, 0])}
    table = diagnostics.error_analysis(gold, votes, systems)
    air = table[table["event_type"] == "airstrike"].set_index("cue_family")
    assert air.loc["cue", "n_false_positive"] == 0 and air.loc["none", "n_false_positive"] == 1
    assert air.loc["paraphrase", "n_false_negative"] == 1  # "raid" is the airstrike paraphrase


def test_targets_name_the_types_below_the_bar():
    rows = []
    for t, n_pos, f1 in (("siege", 12, 0.9), ("advance", 15, 0.7), ("defection", 2, 0.0)):
        rows.append({"system": "classifier", "subset": "all", "event_type": t, "n_pos": n_pos, "f1": f1})
    rows += [
        {"system": "classifier", "subset": "all", "event_type": t, "n_pos": 0, "f1": 0.0}
        for t in EVENT_TYPES
        if t not in ("siege", "advance", "defection")
    ]
    rows.append({"system": "classifier", "subset": "all", "event_type": "macro_measurable", "n_pos": 27, "f1": 0.8})
    targets = scoring.targets(pd.DataFrame(rows), {"difference": 0.09}, ood_rate=0.02, behaviour_rate=0.9)
    assert targets["every_type_10plus"]["below"] == ["advance"] and not targets["every_type_10plus"]["met"]
    assert targets["points_over_keyword_rules"]["met"] and targets["ood_false_alarm_rate"]["met"]
    assert not targets["behaviour_pass_rate"]["met"] and not targets["macro_f1_types_10plus"]["met"]


@pytest.mark.parametrize("combiner", ["majority", "naive_bayes"])
def test_label_models_are_json_and_give_every_type(combiner):
    import json

    votes = apply_lfs(pd.Series(["Warplanes struck the town", "Troops besieged the city", "The council met"] * 4))
    gold = _gold(12, airstrike=[1, 0, 0] * 4, siege=[0, 1, 0] * 4)
    model = json.loads(json.dumps(combine.fit_label_model(votes, gold, combine=combiner, min_accuracy=0.75)))
    labels = combine.apply_label_model(votes, model)
    assert list(labels.columns) == list(EVENT_TYPES) and labels.loc[0, "airstrike"] and labels.loc[1, "siege"]
