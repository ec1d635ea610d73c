"""The first report of each event, its gold round, the check against UCDP's coders, and the multiverse's records."""

import numpy as np
import pandas as pd
import pytest

from analysis.checks.multiverse import survival
from analysis.corpus.events import first_reports
from analysis.errors import DataError
from analysis.labels.annotation import draw_first_reports
from analysis.labels.gold import first_report_gold
from analysis.publish.multiverse import records
from analysis.study.validity import convergent_validity


def test_the_first_report_is_the_earliest_dated_on_or_after_the_event():
    reports = pd.DataFrame(
        {
            "report_id": ["e1:r1", "e1:r2", "e1:r3", "e2:r1", "e2:r2", "e3:r1"],
            "doc_id": ["e1", "e1", "e1", "e2", "e2", "e3"],
            # e1: r1 is dated before its event (a dating error), r3 ties r2 on day 2 but is listed later;
            # e2: both undated, so its first listed report; e3: one report
            "lag_days": pd.array([-3, 2, 2, pd.NA, pd.NA, 0], dtype="Int64"),
            "headline": ["wrong date", "first", "tied", "one", "two", "only"],
        }
    )
    first = first_reports(reports).set_index("doc_id")
    assert first["headline"].to_dict() == {"e1": "first", "e2": "one", "e3": "only"}
    assert first["first_lag_days"].tolist()[0] == 2.0 and np.isnan(first.loc["e2", "first_lag_days"])


def _events(n: int, collection: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": [f"{collection}:{i}" for i in range(n)],
            "collection": collection,
            "sealed": False,
            "sealed_group": False,
        }
    )


def test_a_further_batch_is_drawn_outside_the_first_and_the_union_is_uniform():
    events = pd.concat([_events(100, "iraq"), _events(400, "syria")], ignore_index=True)
    events.loc[0, "sealed"] = True  # a sealed event is never drawn
    first = draw_first_reports(events, per_collection={"iraq": 10, "syria": 20}, seed=1)
    both = draw_first_reports(events, per_collection={"iraq": 10, "syria": 40}, seed=2, before=first)
    assert not both["doc_id"].duplicated().any() and set(first["doc_id"]) <= set(both["doc_id"])
    assert both.groupby("collection").size().to_dict() == {"iraq": 20, "syria": 60}
    # every event of a collection: the union's size over the eligible frame (99 Iraqi events: one sealed)
    probability = both.groupby("collection")["inclusion_probability"].unique().to_dict()
    assert probability["iraq"].tolist() == [20 / 99] and probability["syria"].tolist() == [60 / 400]
    assert "iraq:0" not in set(both["doc_id"]) and both["batch"].isin([1, 2]).all()


def test_first_report_gold_needs_every_drawn_event_and_nothing_else():
    sample = pd.DataFrame({"doc_id": ["e1", "e2"], "collection": "c", "inclusion_probability": 0.5})
    labels = pd.DataFrame({"doc_id": ["e1", "e2"], "pass": "adjudicated", "labels": ["clash", ""]})
    gold = first_report_gold(labels, sample)
    assert gold["clash"].tolist() == [True, False] and gold["inclusion_probability"].eq(0.5).all()
    # an annotated event that was not drawn has no inclusion probability
    stray = pd.concat([labels, pd.DataFrame({"doc_id": ["e9"], "pass": "adjudicated", "labels": [""]})])
    with pytest.raises(DataError, match="e9 is not in sample_first_reports.csv"):
        first_report_gold(stray, sample)
    # a drawn event left without adjudication would bias the round towards the easy ones
    with pytest.raises(DataError, match="e2 was drawn but has no adjudicated labels"):
        first_report_gold(labels.iloc[:1], sample)


def test_convergent_validity_counts_recall_precision_and_what_the_headlines_say():
    events = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "collection": "ucdp",
            "text_group": ["a", "b", "c", "d"],
            "violence_type": pd.array([3, 3, 1, 2], dtype="Int8"),  # a and b one-sided
            "deaths_side_a": [0, 0, 2, 1],
            "deaths_side_b": [0, 0, 1, 0],  # c: deaths on both sides
            "deaths_civilians": [4, 0, 0, 0],
            "cf_civilian_harm": [1.0, 0.0, 0.0, 1.0],  # the cross-fitted labels
            "cf_clash": [0.0, 0.0, 1.0, 0.0],
            "cfp_civilian_harm": [0.9, 0.2, 0.1, 0.6],
            "cfp_clash": [0.1, 0.2, 0.8, 0.3],
        }
    )
    # the design's sample holds a and b; a known (non-sample) gold label on d does not count
    sample = pd.DataFrame(
        {
            "text_group": ["a", "b", "d"],
            "role": ["sample", "sample", "known"],
            "gold_civilian_harm": [1.0, 1.0, 1.0],
            "gold_clash": [0.0, 0.0, 0.0],
        }
    )
    table = convergent_validity(events, sample, level=0.95).set_index("criterion")
    one_sided = table.loc["one-sided violence"]
    # one-sided: a and b; the classifier gives civilian_harm to a, and to d outside the criterion
    assert (one_sided["n_coded"], one_sided["recall"], one_sided["precision"]) == (2, 0.5, 0.5)
    # on the sample: the annotators saw it in both, the classifier in one, on the same two events
    assert one_sided["n_gold_coded"] == 2 and one_sided["gold_mention"] == 1.0 and one_sided["sample_recall"] == 0.5
    both = table.loc["state-based, deaths on both sides"]
    assert both["recall"] == 1.0 and both["auc"] == 1.0  # c has the highest clash probability
    assert both["n_gold_coded"] == 0 and np.isnan(both["gold_mention"])  # c is not in the sample


def test_multiverse_records_and_survival_read_sign_and_significance():
    def state(findings: dict, name: str | None = None):
        data = {"timestamp": "t", "metrics": {"data/reporting/metrics/findings.json": {"data": findings}}}
        return {"name": name, "revs": [{"data": data}]}

    finding = lambda e, lo, hi: {"estimate": e, "ci_lower": lo, "ci_upper": hi, "p_value": 0.01}  # noqa: E731
    states = [
        {
            "rev": "abc",
            "data": state({"x": finding(0.5, 0.2, 0.8), "y": finding(0.3, 0.1, 0.5)})["revs"][0]["data"],
            "experiments": [
                state({"x": finding(0.4, 0.1, 0.7), "y": finding(0.1, -0.1, 0.3)}, "mv-hazard_14_days"),
                state({"x": finding(0.6, 0.3, 0.9), "y": finding(-0.2, -0.4, 0.0)}, "mv-without_sohr"),
                state({"x": finding(9, 9, 9)}, "someone-elses-experiment"),  # not a variant of the multiverse
            ],
        }
    ]
    found = records(states)
    assert set(found["variant"]) == {"baseline", "hazard_14_days", "without_sohr"}
    table = survival(found).set_index("finding")
    # x keeps its sign and significance everywhere; y loses significance in one variant and its sign in another
    assert table.loc["x", "verdict"] == "robust" and table.loc["x", "n_still_significant"] == 2
    assert table.loc["y", "verdict"] == "fragile" and table.loc["y", "n_same_sign"] == 1
    assert table.loc["y", "fragile_under"] == "hazard_14_days, without_sohr"


def test_a_variant_that_does_not_move_a_finding_does_not_count_and_a_share_has_only_a_range():
    def row(variant, finding, estimate, lo, hi):
        return {"variant": variant, "change": "", "finding": finding, "estimate": estimate, "ci_lower": lo,
                "ci_upper": hi, "p_value": None, "finished": "t"}  # fmt: skip

    found = pd.DataFrame(
        [
            row("baseline", "m", 0.5, 0.2, 0.8),
            row("hazard_14_days", "m", 0.5, 0.2, 0.8),  # downstream of nothing m depends on: unchanged
            row("baseline", "share_c_x", 0.4, 0.3, 0.5),
            row("dedupe_090", "share_c_x", 0.38, 0.28, 0.48),
        ]
    )
    table = survival(found).set_index("finding")
    assert table.loc["m", "verdict"] == "not reached" and table.loc["m", "n_reaching"] == 0
    assert table.loc["share_c_x", "verdict"] == "share" and table.loc["share_c_x", "estimate_min"] == 0.38
