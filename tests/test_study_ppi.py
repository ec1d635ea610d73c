"""Error-aware estimates and event-level models, checked on hand-computed and simulated data."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.study import model_tables, ppi, regressions


def test_ppi_reproduces_a_case_computed_by_hand():
    # 20 gold documents (the classifier misses 4 of 10 positives), 100 unlabeled with 30 predicted
    y = np.array([1] * 10 + [0] * 10, dtype=bool)
    yhat = np.array([1] * 6 + [0] * 4 + [0] * 10, dtype=bool)
    yu = np.array([1] * 30 + [0] * 70, dtype=bool)
    est, lo, hi, se = ppi.ppi_share(y, yhat, yu, level=0.9, lam=1)
    # plain PPI: the unlabeled mean plus the gold sample's mean rectifier
    rectifier = (y.astype(float) - yhat).mean()  # 4 misses in 20: +0.2
    assert est == pytest.approx(0.30 + 0.20)
    # its standard error: the unlabeled mean's (0.3 * 0.7 / 100) plus the rectifier's (0.2 * 0.8 / 20)
    se = np.sqrt(0.21 / 100 + 0.16 / 20)
    z = stats.norm.ppf(0.95)
    assert (lo, hi) == pytest.approx((0.5 - z * se, 0.5 + z * se), abs=1e-9)
    assert ppi.ppi_share(y, yhat, yu, level=0.9, lam=1)[3] == pytest.approx(se)
    assert rectifier == pytest.approx(0.2)


def test_too_few_gold_documents_give_no_ppi_interval():
    est, lo, hi, se = ppi.ppi_share(np.ones(5, bool), np.ones(5, bool), np.ones(50, bool), level=0.9)
    assert np.isnan([est, lo, hi, se]).all()


def test_a_gold_sample_without_positives_gives_no_ppi_interval():
    # 40 gold documents, none positive, two predicted positive: a normal interval would be [0, 0]
    yhat = np.array([1, 1] + [0] * 38)
    est, lo, hi, _ = ppi.ppi_share(np.zeros(40), yhat, np.zeros(500), level=0.9)
    assert np.isnan([est, lo, hi]).all()
    # four positives are still too few to measure the errors on; five are enough
    assert np.isnan(ppi.ppi_share(np.array([1] * 4 + [0] * 36), yhat, np.zeros(500), level=0.9)[0])
    assert not np.isnan(ppi.ppi_share(np.array([1] * 5 + [0] * 35), yhat, np.zeros(500), level=0.9)[0])


def test_weights_make_the_estimate_a_share_of_documents():
    # text groups as units: five positive units of 3 documents and five negative ones of 1;
    # predictions perfect, so the estimate is the weighted share of the unlabeled units
    y = np.array([1] * 5 + [0] * 5)
    yu, wu = np.array([1, 0, 0]), np.array([6, 1, 1])
    est, *_ = ppi.ppi_share(y, y, yu, level=0.9, w=np.array([3] * 5 + [1] * 5), w_unlabeled=wu, lam=1)
    assert est == pytest.approx(6 / 8)  # the unlabeled documents' share; the rectifier is zero


def test_on_a_simulated_corpus_the_naive_share_is_biased_and_ppi_covers_the_truth():
    # a type in 30% of documents; the classifier finds 60% of them and fires on 5% of the rest
    rng = np.random.default_rng(7)
    covered, naive = 0, []
    for _ in range(100):
        truth = rng.random(5000) < 0.3
        pred = np.where(truth, rng.random(5000) < 0.6, rng.random(5000) < 0.05)
        gold = rng.choice(5000, 300, replace=False)
        rest = np.setdiff1d(np.arange(5000), gold)
        _, lo, hi, _ = ppi.ppi_share(truth[gold], pred[gold], pred[rest], level=0.9)
        covered += lo <= truth.mean() <= hi
        naive.append(pred.mean() - truth.mean())
    assert np.mean(naive) < -0.08  # predicted labels understate the share by about 0.3 * 0.4 - 0.7 * 0.05
    assert covered >= 82  # nominal 90%: the interval covers the true share


def test_shares_table_has_naive_gold_and_ppi_columns_per_group():
    # two outlet groups of single-document text groups; the gold sample holds 12 documents of
    # group a and 3 of group b; the classifier is perfect on the sample
    rng = np.random.default_rng(1)
    population = pd.DataFrame({"doc_id": [f"d{i}" for i in range(60)], "grp": ["a"] * 40 + ["b"] * 20})
    population["text_group"] = population["doc_id"]
    population["siege"] = rng.random(60) < 0.4
    population.loc[0:5, "siege"] = True  # group a's sample holds enough positives for an interval
    population["cf_siege"] = population["siege"].astype(float)  # the cross-fitted predictions agree
    sample = population.iloc[list(range(12)) + [40, 41, 42]]
    gold = sample[["doc_id", "text_group"]].assign(
        collection="c", gold_siege=sample["siege"].astype(float), pred_siege=sample["siege"].astype(float)
    )
    table = ppi.shares(population, gold, by=["grp"], types=["siege"], level=0.9).set_index("grp")
    assert table.loc["a", "n_gold"] == 12 and not np.isnan(table.loc["a", "share_ppi"])
    assert table.loc["b", "n_gold"] == 3 and np.isnan(table.loc["b", "share_ppi"])  # too few to say
    assert table.loc["a", "share"] == pytest.approx(population.iloc[:40]["siege"].mean())
    # a perfect classifier: PPI is the naive share of the unlabeled plus the sample's own share
    assert table.loc["a", "share_ppi"] == pytest.approx(population.iloc[:40]["siege"].mean(), abs=0.05)


def test_a_gold_document_counts_in_its_own_group_only():
    # one text shared by a document of group a (sampled) and one of group b (not sampled):
    # the gold label is a's; b's copy stays unlabeled, so b has no gold unit
    population = pd.DataFrame(
        {"doc_id": ["a1", "b1"], "grp": ["a", "b"], "text_group": ["t", "t"], "siege": [True, True]}
    ).assign(cf_siege=1.0)
    gold = pd.DataFrame({"doc_id": ["a1"], "collection": ["c"], "text_group": ["t"], "gold_siege": [1.0]})
    table = ppi.shares(population, gold, by=["grp"], types=["siege"], level=0.9).set_index("grp")
    assert table["n_gold"].to_dict() == {"a": 1, "b": 0}


def test_equal_shares_test_finds_a_difference_and_not_a_sameness():
    # two groups whose PPI shares are 0.2 and 0.6 with standard errors 0.05: chi2 = 0.4^2 / 0.005 = 32
    table = pd.DataFrame(
        {
            "event_type": ["siege", "siege", "clash", "clash"],
            "share_ppi": [0.2, 0.6, 0.3, 0.3],
            "share_ppi_se": [0.05, 0.05, 0.05, 0.05],
        }
    )
    out = ppi.equal_shares_test(table).set_index("event_type")
    assert out.loc["siege", "chi2_ppi"] == pytest.approx(32.0)
    assert out.loc["siege", "p_value_ppi"] < 1e-6 and out.loc["clash", "p_value_ppi"] == pytest.approx(1.0)


def _simulated_events(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    events = pd.DataFrame(
        {
            "log_deaths": np.log1p(rng.poisson(3, n)),
            "airstrike": rng.random(n) < 0.4,
            "capital": (rng.random(n) < 0.3).astype(int),
            "year": rng.choice([2016, 2017], n),
            "country": rng.choice(["Iraq", "Syria"], n),
        }
    )
    events["airstrike"] = events["airstrike"].astype(int)
    mu = np.exp(0.2 + 0.5 * events["log_deaths"] + 0.4 * events["airstrike"] + 0.3 * events["capital"])
    alpha = 0.5  # NB2: variance mu + alpha mu^2
    # UCDP codes an event from a source: one report, plus the additional ones the model counts
    events["n_sources"] = 1 + rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu))
    events["first_lag_days"] = 2.0 + 3.0 * events["airstrike"] + rng.laplace(0, 1, n)
    return events


def test_sources_model_recovers_known_coefficients_and_dispersion():
    events = _simulated_events(4000, seed=3)
    result = regressions.sources_model(events, types=["airstrike"])
    table = model_tables.tidy(result, model="sources", exponentiate=True).set_index("term")
    for term, truth in (("log_deaths", 0.5), ("airstrike", 0.4), ("capital", 0.3)):
        assert table.loc[term, "estimate_ci_lower"] <= truth <= table.loc[term, "estimate_ci_upper"], term
    assert model_tables.fit_summary({"sources": result}).loc[0, "dispersion_alpha"] == pytest.approx(0.5, abs=0.1)


def test_first_report_model_recovers_a_known_hazard_ratio():
    # exponential times to the first report, twice as fast (hazard ratio 2) for airstrikes
    events = _simulated_events(3000, seed=4)
    rate = 0.5 * np.exp(np.log(2.0) * events["airstrike"])
    events["first_lag_days"] = np.random.default_rng(9).exponential(1 / rate)
    table = model_tables.tidy(
        regressions.first_report_model(events, types=["airstrike"]), model="lag", exponentiate=True
    )
    row = table.set_index("term").loc["airstrike"]
    assert row["ratio_ci_lower"] <= 2.0 <= row["ratio_ci_upper"] and row["ratio"] == pytest.approx(2.0, abs=0.2)


def test_credibility_model_recovers_a_known_odds_ratio():
    rng = np.random.default_rng(5)
    n = 4000
    articles = pd.DataFrame({"outlet_group": rng.choice(["wire", "state"], n), "siege": rng.random(n) < 0.3})
    logit = -0.5 + 1.0 * (articles["outlet_group"] == "state") + 0.7 * articles["siege"]
    articles["credibility"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    table = model_tables.tidy(
        regressions.credibility_model(articles, types=["siege"], reference_group="wire"),
        model="cred",
        exponentiate=True,
    ).set_index("term")
    assert table.loc["siege", "estimate"] == pytest.approx(0.7, abs=0.15)
    state = [t for t in table.index if "state" in t][0]
    assert table.loc[state, "estimate"] == pytest.approx(1.0, abs=0.15)


def test_place_keys_match_capitals_across_spellings():
    # UCDP writes places with diacritics, Arabic articles and a feature word
    assert regressions.place_key("Ar Raqqah town") == regressions.place_key("Raqqah")
    assert regressions.place_key("Baghdād city") == "baghdad"
    assert regressions.place_key("Aleppo Governorate") != regressions.place_key("Aleppo")


def test_measurement_error_check_shows_attenuation_by_a_noisy_classifier():
    # gold airstrike raises additional sources by exp(0.4); the classifier flips 30% of labels
    events = _simulated_events(3000, seed=11)
    flip = np.random.default_rng(12).random(len(events)) < 0.3
    events["pred_airstrike"] = np.where(flip, 1 - events["airstrike"], events["airstrike"])
    check = regressions.measurement_error_check(events, fit=regressions.sources_model, types=["airstrike"]).iloc[0]
    assert check["estimate_gold_ci_lower"] <= 0.4 <= check["estimate_gold_ci_upper"]
    assert 0 < check["estimate_predicted"] < check["estimate_gold"]  # attenuated towards zero
    assert check["difference"] == pytest.approx(check["estimate_predicted"] - check["estimate_gold"])


def test_event_table_marks_capitals_and_the_first_report():
    events = pd.DataFrame(
        {
            "doc_id": ["e1", "e2", "e3"],
            "n_reports": [1, 3, 2],
            "deaths_best": [0, 10, np.nan],  # an unknown toll counts as 0 deaths
            "event_date": pd.to_datetime(["2016-01-02", "2017-05-01", "2017-06-01"]),
            "country": ["Iraq", "Iraq", "Syria"],
            "location": ["Baghdād city", "Ramādī town", "Aleppo Governorate"],  # the governorate is no capital
            "siege": [False, True, False],
        }
    )
    reports = pd.DataFrame({"doc_id": ["e2", "e2", "e3"], "lag_days": [4.0, 1.0, np.nan]})
    table = regressions.event_table(
        events, reports, types=["siege"], capitals={"Iraq": ["Baghdad", "Ramadi"], "Syria": ["Aleppo"]}
    )
    assert table["capital"].tolist() == [1, 1, 0]
    assert table["first_lag_days"].iloc[1] == 1.0 and table["first_lag_days"].iloc[[0, 2]].isna().all()
    assert table["log_deaths"].iloc[2] == 0.0 and table["siege"].tolist() == [0, 1, 0]


def test_word_checks_count_the_types_words_in_the_window_only():
    from analysis.params import WordCheck
    from analysis.study import analyses

    documents = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "collection": ["iraq", "iraq", "iraq"],
            "event_date": pd.to_datetime(["2016-11-01", "2016-12-01", "2018-01-01"]),
            # b uses a siege word; c does too, but after the window
            "text": ["Clashes in the east.", "The town remained under siege.", "The siege ended."],
        }
    )
    predicted = pd.DataFrame({"doc_id": ["a", "b", "c"], "siege": [False, True, True]})
    gold = pd.DataFrame({"doc_id": ["a"], "gold_siege": [0.0]})
    check = WordCheck(collection="iraq", event_type="siege", start="2016-10-01", end="2017-07-31", label="Mosul")
    row = analyses.word_checks(documents, predicted, gold, checks=[check]).iloc[0]
    assert (row["n_docs"], row["n_with_words"], row["n_predicted"], row["n_gold"], row["n_gold_pos"]) == (2, 1, 1, 1, 0)
