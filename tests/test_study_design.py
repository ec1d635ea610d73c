"""The study's sampling design and its estimators, checked by hand and by simulation."""

import numpy as np
import pandas as pd
import pytest

from analysis.checks import design_simulation
from analysis.errors import DataError
from analysis.study import design, estimators, planner


def test_linearised_variance_of_a_weighted_mean_by_hand():
    # r = [1, 0] with weights [1, 3]: r_bar = 0.25, w_bar = 2, z = [0.5 * 0.75, 1.5 * -0.25] = +-0.375,
    # s2 = 2 * 0.140625 / 1; ppi_py's sd of w * r would be sd([1, 0]) instead, ignoring the centring
    assert estimators.linearised_variance(np.array([1.0, 0.0]), np.array([1.0, 3.0])) == pytest.approx(0.28125)


def test_ppi_difference_estimator_by_hand():
    # 30 sampled units of weight 1: 12 positives, 9 of them predicted, and 3 of the 18 negatives
    # predicted. At lam = 1, r = y - f is 0 for 24 units, +1 for 3 and -1 for 3: r_bar = 0,
    # s2 = 6 / 29. The rest's predictions average 0.5 and 10% of the frame was sampled:
    # estimate 0.5 + 0 = 0.5, se = sqrt(s2 / (30 * 0.9)) = sqrt(6 / 783)
    y = np.array([1] * 12 + [0] * 18, dtype=float)
    f = np.array([1] * 9 + [0] * 3 + [1] * 3 + [0] * 15, dtype=float)
    est = estimators.rest_mean(y, f, np.ones(30), f_rest_mean=0.5, fraction=0.1, level=0.95, lam=1.0)
    assert est.method == "ppi++" and est.estimate == pytest.approx(0.5)
    assert est.se == pytest.approx(np.sqrt(6 / 783))
    assert est.lower < 0.5 < est.upper and 0 <= est.lower and est.upper <= 1
    # the share of a group with 40 known documents (10 positive) and 60 in the rest: 0.1 + 0.6 * 0.5
    share = estimators.domain_share(10.0, 60.0, 100.0, est)
    assert share.estimate == pytest.approx(0.4) and share.se == pytest.approx(0.6 * np.sqrt(6 / 783))


def test_jackknife_matches_refitting_each_replicate():
    # the O(n) leave-one-out sums against dropping each unit and re-tuning lam by brute force
    rng = np.random.default_rng(4)
    y = (rng.random(25) < 0.4).astype(float)
    f = np.clip(0.6 * y + rng.normal(0.2, 0.2, 25), 0, 1)
    w = rng.integers(1, 5, 25).astype(float)
    theta = []
    for i in range(25):
        keep = np.arange(25) != i
        lam = estimators.tuned_lambda(y[keep], f[keep], w[keep])
        theta.append(lam * 0.3 + np.average(y[keep] - lam * f[keep], weights=w[keep]))
    brute = 24 / 25 * np.sum((np.array(theta) - np.mean(theta)) ** 2)
    assert estimators.jackknife_variance(y, f, w, f_rest_mean=0.3, lam=None) == pytest.approx(brute)


def test_tuned_ppi_is_never_wider_than_gold_alone():
    # a good classifier on 400 sampled units: the tuned lam can always fall back to 0 (gold alone)
    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.3).astype(float)
    f = np.where(y == 1, rng.beta(6, 2, 400), rng.beta(2, 6, 400))
    w = np.minimum(rng.zipf(3.0, 400), 20).astype(float)
    ppi = estimators.rest_mean(y, f, w, f_rest_mean=0.33, fraction=0.05, level=0.95)
    gold = estimators.rest_mean(y, f, w, f_rest_mean=0.33, fraction=0.05, level=0.95, lam=0.0)
    assert 0 < ppi.lam <= 1 and ppi.se < gold.se


def test_a_small_sample_gets_the_exact_interval_and_zero_positives_a_bound():
    # 0 positives among 180 sampled units of weight 1 (no finite-population correction): at most about 2%
    est = estimators.rest_mean(np.zeros(180), np.zeros(180), np.ones(180), f_rest_mean=0.0, fraction=0.0, level=0.95)
    assert est.method == "gold" and est.estimate == 0 and est.lower == 0
    assert est.upper == pytest.approx(0.0203, abs=0.0005)


def _collection() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two outlet groups of one collection; text groups t0..t9, some spanning both groups."""
    population = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(12)],
            "collection": "c",
            "grp": ["a"] * 6 + ["b"] * 6,
            # t0 is printed by both groups; every other text group holds one document
            "text_group": ["t0", "t1", "t2", "t3", "t4", "t5", "t0", "t6", "t7", "t8", "t9", "t10"],
            "siege": [True, False, True, False, False, False, True, True, False, False, False, False],
        }
    )
    population["cf_siege"] = population["siege"].astype(float)
    population["cfp_siege"] = population["cf_siege"]
    return population, population.drop_duplicates("text_group")


def test_a_group_whose_text_groups_are_all_gold_is_exact():
    # every text group is gold (known or sampled): the share is counted, with no interval
    population, units = _collection()
    gold = pd.DataFrame({"text_group": units["text_group"], "role": ["known"] * 5 + ["sample"] * 6, "gold_siege": 0.0})
    gold.loc[gold["text_group"].isin(["t0", "t2"]), "gold_siege"] = 1.0  # gold differs from the predictions
    table = design.shares(population, gold, by=["collection", "grp"], types=["siege"], level=0.95).set_index("grp")
    # group a: t0 and t2 of 6 documents; group b: its copy of t0, 1 of 6; the shared text counts in both
    assert table["method"].eq("exact").all()
    assert table.loc["a", "share_est"] == pytest.approx(2 / 6) and table.loc["b", "share_est"] == pytest.approx(1 / 6)
    assert table.loc["a", "share_est_ci_lower"] == table.loc["a", "share_est_ci_upper"]
    assert table.loc["b", "n_gold"] == 6 and table.loc["b", "known_share"] == 1.0


def test_a_group_with_rest_but_no_sampled_unit_gets_its_bounds_not_a_blank():
    # group b's text groups t6..t10 carry no gold and none was sampled: only the logical range speaks
    population, units = _collection()
    gold = pd.DataFrame(
        {"text_group": ["t0", "t1", "t2"], "role": ["known", "sample", "sample"], "gold_siege": [1.0, 0.0, 1.0]}
    )
    table = design.shares(population, gold, by=["collection", "grp"], types=["siege"], level=0.95).set_index("grp")
    row = table.loc["b"]
    assert row["method"] == "bounds" and np.isnan(row["share_est"])
    # the known copy of t0 is 1 of b's 6 documents: the share lies in [1/6, 1]
    assert row["share_est_ci_lower"] == pytest.approx(1 / 6) and row["share_est_ci_upper"] == pytest.approx(1.0)
    a = table.loc["a"]  # 2 sampled units: the gold sample alone, with an exact interval around its estimate
    assert a["method"] == "gold" and a["share_est_ci_lower"] <= a["share_est"] <= a["share_est_ci_upper"]


def test_two_gold_documents_in_one_text_group_are_refused():
    gold = pd.DataFrame({"doc_id": ["x", "y"], "collection": "c", "stratum": "random", "text_group": ["t", "t"]})
    for t in design.EVENT_TYPES:
        gold[t] = False
    with pytest.raises(DataError, match="text group t holds two gold documents"):
        design.design_gold(gold, sample_strata=("random",))


def test_permutation_test_finds_a_difference_and_not_a_sameness():
    # 40 units per group: 30 of 40 against 5 of 40 report the type; then two identical groups
    group = np.repeat([0, 1], 40)
    differ = np.r_[np.ones(30), np.zeros(10), np.ones(5), np.zeros(35)]
    same = np.r_[np.ones(10), np.zeros(30), np.ones(10), np.zeros(30)]
    w = np.ones(80)
    assert estimators.permutation_test(differ, w, group, n_perm=999, seed=1)[1] < 0.01
    assert estimators.permutation_test(same, w, group, n_perm=999, seed=1)[1] > 0.5


def test_planner_needs_fewer_documents_with_a_better_classifier():
    # the same gold sample, predicted well and predicted by a coin: the better instrument plans fewer
    rng = np.random.default_rng(2)
    n_units = 3000
    truth = rng.random(n_units) < 0.3
    population = pd.DataFrame(
        {"doc_id": range(n_units), "collection": "c", "text_group": [f"t{i}" for i in range(n_units)]}
    )
    population["siege"] = truth
    drawn = rng.choice(n_units, 200, replace=False)
    gold = pd.DataFrame(
        {"text_group": population["text_group"].iloc[drawn], "role": "sample", "gold_siege": truth[drawn].astype(float)}
    )
    counts = {}
    for name, proba in (("good", np.where(truth, 0.9, 0.05)), ("coin", rng.random(n_units))):
        frame = population.assign(cf_siege=(proba > 0.5).astype(float), cfp_siege=proba)
        table = planner.plan(frame, gold, by=["collection"], types=["siege"], half_width=0.005, level=0.95, extra=500)
        counts[name] = int(table["n_more"].iloc[0])
        assert table["half_width_after_extra"].iloc[0] < table["half_width_now"].iloc[0]
    assert 0 < counts["good"] < counts["coin"]


def test_planned_draw_comes_from_the_rest_one_document_per_text_group():
    # t1 and t2 are gold already; t3 has two documents: at most one is drawn
    documents = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "collection": "c",
            "text_group": ["t1", "t2", "t3", "t3", "t4"],
            "sealed": False,
            "sealed_group": False,
        }
    )
    gold = pd.DataFrame({"text_group": ["t1", "t2"], "role": ["known", "sample"]})
    drawn = planner.draw_plan(documents, gold, {"c": 5}, seed=0, stratum="planned_random")
    assert set(drawn["doc_id"]) == {"c", "e"} and drawn["stratum"].eq("planned_random").all()


#: 400 replications per regime. Pooled over the regimes where PPI++ runs, a 95% interval must
#: cover within three standard errors of 95%; each regime at least 90%, which an interval that
#: covers 85% fails by 2.8 standard errors.
REPS = 400


@pytest.mark.slow
def test_coverage_holds_in_the_regimes_the_study_meets():
    # 10 to 400 sampled units, 1% to 60% prevalence, weighted units and a biased classifier,
    # end to end through design.shares(); seeds unlike the check stage's (base.seed)
    regimes = ((10, 0.05), (30, 0.6), (60, 0.05), (60, 0.2), (250, 0.01), (250, 0.2), (400, 0.05), (400, 0.3))
    table = design_simulation.coverage_table(regimes, reps=REPS, level=0.95, seed=11)
    ppi = table[table["method"] == "ppi++"]
    pooled = ppi["coverage_est"].mean()
    assert pooled >= 0.95 - 3 * np.sqrt(0.95 * 0.05 / (REPS * len(ppi))), table
    assert (table["coverage_est"] >= 0.90).all() and (table["coverage_gold"] >= 0.90).all(), table
    assert set(table["method"]) == {"gold", "ppi++"}  # both branches were exercised


@pytest.mark.slow
def test_group_test_holds_its_size_at_the_study_group_sizes():
    table = design_simulation.size_table(prevalences=(0.05, 0.3), reps=REPS, n_perm=199, alpha=0.05, seed=5)
    assert (table["rejection_rate"] <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / REPS)).all(), table


def test_the_experiments_table_shows_dev_metrics_only():
    # the study's shares read the fresh test labels (their widths and lam carry how well the
    # predictions track them): the table a researcher compares experiments by must not show them
    from analysis.publish.experiments import HEADLINE_METRICS as METRICS

    files = {file for file, _ in METRICS.values()}
    assert files and all(f.startswith("data/reporting/metrics/") for f in files), files
    assert not any("test" in f for f in files), files
