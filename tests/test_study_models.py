"""Event-level models, checked on simulated data with known coefficients."""

import numpy as np
import pandas as pd
import pytest

from analysis.study import model_tables, regressions


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
