"""Event-level models, checked on simulated data with known coefficients."""

import numpy as np
import pandas as pd
import pytest

from analysis.study import regressions


def _clustered(n_clusters: int, size: int, seed: int) -> pd.DataFrame:
    """Events in clusters that share a random effect (events reported by the same articles)."""
    rng = np.random.default_rng(seed)
    n = n_clusters * size
    cluster = np.repeat(np.arange(n_clusters), size)
    return pd.DataFrame(
        {
            "doc_id": [f"e{i}" for i in range(n)],
            "text_group": cluster,
            "shock": rng.normal(0, 0.4, n_clusters)[cluster],  # shared within a cluster, unobserved
            "airstrike": (rng.random(n) < 0.35).astype(int),
            "log_deaths_sides": np.log1p(rng.poisson(2, n)),
            "capital": (rng.random(n) < 0.3).astype(int),
        }
    )


def _covers(table: pd.DataFrame, truths: dict[str, float]) -> None:
    rows = table.set_index("term")
    for term, truth in truths.items():
        assert rows.loc[term, "estimate_ci_lower"] <= truth <= rows.loc[term, "estimate_ci_upper"], term


def test_sources_model_recovers_known_rate_ratios_under_clustering():
    # n - 1 extra sources, Poisson around a mean that a shared cluster shock shifts (overdispersed)
    events = _clustered(800, 4, seed=3)
    rng = np.random.default_rng(4)
    mu = np.exp(0.1 + 0.5 * events["log_deaths_sides"] + 0.4 * events["airstrike"] + 0.3 * events["capital"])
    events["extra_sources"] = rng.poisson(mu * np.exp(events["shock"] - 0.08))
    formula = "extra_sources ~ log_deaths_sides + airstrike + capital"
    table, info = regressions.fit_glm(events, formula, link="poisson", cluster="text_group", level=0.95)
    _covers(table, {"log_deaths_sides": 0.5, "airstrike": 0.4, "capital": 0.3})
    assert info == {"n_rows": 3200, "n_clusters": 800, "n_gold": 0}
    # errors that ignore the clusters are too narrow: the clustered ones are wider for a shared-shock term
    plain, _ = regressions.fit_glm(events.assign(one=range(len(events))), formula, link="poisson", cluster="one",
                                   level=0.95)  # fmt: skip
    assert table.set_index("term").loc["Intercept", "std_error"] > plain.set_index("term").loc["Intercept", "std_error"]


def test_first_report_hazard_recovers_a_known_hazard_ratio():
    # daily hazard of a first report: cloglog in a day band and airstrikes (hazard ratio 2)
    events = _clustered(1500, 2, seed=5)
    rng = np.random.default_rng(6)
    lag = np.full(len(events), 99.0)
    for i, strike in enumerate(events["airstrike"]):
        for day in range(31):
            eta = (-0.2 if day == 0 else -1.5) + np.log(2.0) * strike
            if rng.random() < 1 - np.exp(-np.exp(eta)):
                lag[i] = day
                break
    events["first_lag_days"] = lag
    days = regressions.person_days(events, max_days=30)
    assert days.groupby("doc_id")["y"].sum().max() == 1  # one first report at most, none after day 30
    table, _ = regressions.fit_glm(days, "y ~ C(band) + airstrike", link="cloglog", cluster="text_group", level=0.95)
    _covers(table, {"airstrike": np.log(2.0)})


def test_design_based_correction_recovers_what_a_noisy_classifier_attenuates():
    # gold airstrike raises extra sources by exp(0.6); the classifier misses 30% and adds 10% false ones;
    # a 15% random gold sample (inclusion probability known) corrects the fit on every event
    events = _clustered(1000, 3, seed=7)
    rng = np.random.default_rng(8)
    mu = np.exp(0.2 + 0.6 * events["airstrike"] + 0.3 * events["capital"] + events["shock"] - 0.08)
    events["extra_sources"] = rng.poisson(mu)
    missed = (events["airstrike"] == 1) & (rng.random(len(events)) < 0.3)
    added = (events["airstrike"] == 0) & (rng.random(len(events)) < 0.1)
    truth = events["airstrike"].copy()
    events["fr_airstrike"] = np.where(missed, 0, np.where(added, 1, truth))
    drawn = rng.random(len(events)) < 0.15
    gold = pd.DataFrame(
        {"doc_id": events.loc[drawn, "doc_id"], "inclusion_probability": 0.15, "airstrike": truth[drawn].astype(bool)}
    )
    formula = "extra_sources ~ fr_airstrike + capital"
    kw = {"link": "poisson", "cluster": "text_group", "level": 0.95}
    naive, _ = regressions.fit_glm(events, formula, **kw)
    corrected, info = regressions.fit_glm(events, formula, gold=gold, replace={"fr_airstrike": "airstrike"}, **kw)
    _covers(corrected, {"fr_airstrike": 0.6, "capital": 0.3})
    assert naive.set_index("term").loc["fr_airstrike", "estimate_ci_upper"] < 0.6  # attenuated, and confidently so
    assert info["n_gold"] == int(drawn.sum())


def test_credibility_model_recovers_a_known_odds_ratio():
    rng = np.random.default_rng(5)
    n = 4000
    articles = pd.DataFrame(
        {
            "outlet_group": rng.choice(["wire", "state"], n),
            "siege": rng.random(n) < 0.3,
            "text_group": np.arange(n) // 2,  # pairs of near-duplicates
        }
    )
    logit = -0.5 + 1.0 * (articles["outlet_group"] == "state") + 0.7 * articles["siege"]
    articles["credibility"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    table, _ = regressions.credibility_model(articles, types=["siege"], reference_group="wire", level=0.95)
    state = [t for t in table["term"] if "state" in t][0]
    _covers(table, {"siege": 0.7, state: 1.0})


def test_place_keys_match_capitals_across_spellings():
    # UCDP writes places with diacritics, Arabic articles and a feature word
    assert regressions.place_key("Ar Raqqah town") == regressions.place_key("Raqqah")
    assert regressions.place_key("Baghdād city") == "baghdad"
    assert regressions.place_key("Aleppo Governorate") != regressions.place_key("Aleppo")


def test_event_table_takes_covariates_from_the_coding_and_the_first_report():
    events = pd.DataFrame(
        {
            "doc_id": ["e1", "e2", "e3"],
            "collection": "ucdp",
            "text_group": ["g1", "g2", "g2"],
            "n_reports": [1, 3, 2],
            "deaths_best": [0, 10, 7],
            "deaths_side_a": pd.array([0, 2, pd.NA], dtype="Int64"),  # an unknown count is 0
            "deaths_side_b": [0, 3, 1],
            "deaths_civilians": [0, 1, 0],
            "violence_type": pd.array([1, 3, 2], dtype="Int8"),
            "event_date": pd.to_datetime(["2016-01-02", "2017-05-01", "2017-06-01"]),
            "country": ["Iraq", "Iraq", "Syria"],
            "admin1": ["Baghdad governorate", "Anbar governorate", None],
            "location": ["Baghdād city", "Ramādī town", "Aleppo Governorate"],  # the governorate is no capital
        }
    )
    first = pd.DataFrame(
        {"doc_id": ["e2", "e1"], "first_lag_days": [1.0, np.nan], "headline_chars": [40, 9], "siege": [True, False]}
    )
    table = regressions.event_table(
        events, first, types=["siege"], capitals={"Iraq": ["Baghdad", "Ramadi"], "Syria": ["Aleppo"]}, min_governorate=2
    )
    assert table["capital"].tolist() == [1, 1, 0]
    assert table["violence"].tolist() == ["state_based", "one_sided", "non_state"]
    assert table["violence_one_sided"].tolist() == [0, 1, 0] and table["violence_non_state"].tolist() == [0, 0, 1]
    assert table["extra_sources"].tolist() == [0, 2, 1]
    # unknown deaths: UCDP's best estimate less the sides and civilians (10 - 5 - 1)
    assert np.expm1(table["log_deaths_unknown"]).round().tolist() == [0, 4, 6]
    # the first report's types; an event with no first report gets none
    assert table["fr_siege"].tolist() == [0, 1, 0] and table["first_lag_days"].isna().tolist() == [True, False, True]
    # every governorate has one event (< 2): pooled per country
    assert table["governorate"].tolist() == ["Iraq: other", "Iraq: other", "Syria: other"]


def test_person_days_censor_after_the_follow_up():
    table = pd.DataFrame({"doc_id": ["a", "b", "c"], "first_lag_days": [0.0, 3.0, 40.0]})
    days = regressions.person_days(table, max_days=30)
    assert days.groupby("doc_id").size().to_dict() == {"a": 1, "b": 4, "c": 31}
    assert days.groupby("doc_id")["y"].sum().to_dict() == {"a": 1, "b": 1, "c": 0}  # c: censored at day 30
    assert days.loc[days["doc_id"] == "b", "band"].tolist() == ["00", "01", "02", "03-06"]


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


def _design_sample(n: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Events in pairs (a shared cluster shock), two strata sampled at different rates, a noisy classifier."""
    events = _clustered(n // 2, 2, seed=int(rng.integers(1 << 30)))
    stratum = np.arange(n) % 2  # like Iraq and Syria: 13% and 5% of events annotated
    pi = np.where(stratum == 0, 0.13, 0.05)
    truth = events["airstrike"].to_numpy()
    missed = (truth == 1) & (rng.random(n) < np.where(stratum == 0, 0.5, 0.2))  # errors differ by stratum
    added = (truth == 0) & (rng.random(n) < 0.08)
    events["fr_airstrike"] = np.where(missed, 0, np.where(added, 1, truth))
    events["stratum"] = stratum
    drawn = rng.random(n) < pi
    gold = pd.DataFrame(
        {"doc_id": events.loc[drawn, "doc_id"], "inclusion_probability": pi[drawn], "airstrike": truth[drawn] == 1}
    )
    return events, gold


@pytest.mark.slow
def test_the_corrected_intervals_cover_at_their_level_under_the_studys_design():
    # 150 simulated studies per model: clustered events, unequal inclusion probabilities, errors that
    # differ by stratum; the corrected 95% intervals must cover the truth about 95% of the time
    rng = np.random.default_rng(2026)
    covered = {"poisson": 0, "cloglog": 0}
    reps = 150
    for _ in range(reps):
        events, gold = _design_sample(2000, rng)
        mu = np.exp(0.1 + 0.5 * events["airstrike"] + 0.2 * events["stratum"] + events["shock"] - 0.08)
        events["extra_sources"] = rng.poisson(mu)
        kw = {"cluster": "text_group", "level": 0.95, "gold": gold, "replace": {"fr_airstrike": "airstrike"}}
        table, _ = regressions.fit_glm(events, "extra_sources ~ fr_airstrike + stratum", link="poisson", **kw)
        row = table.set_index("term").loc["fr_airstrike"]
        covered["poisson"] += row["estimate_ci_lower"] <= 0.5 <= row["estimate_ci_upper"]
        eta = -1.0 + np.log(1.5) * events["airstrike"] + events["shock"]
        events["first_lag_days"] = rng.geometric(1 - np.exp(-np.exp(eta))) - 1.0  # days to a first report
        days = regressions.person_days(events, max_days=30)
        table, _ = regressions.fit_glm(days, "y ~ C(band) + fr_airstrike + stratum", link="cloglog", **kw)
        row = table.set_index("term").loc["fr_airstrike"]
        covered["cloglog"] += row["estimate_ci_lower"] <= np.log(1.5) <= row["estimate_ci_upper"]
    for model, hits in covered.items():
        assert 0.89 <= hits / reps <= 0.99, (model, hits / reps)


def test_events_that_cite_one_report_share_a_cluster_across_text_groups():
    events = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text_group": ["a", "b", "c", "c"]})
    reports = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "outlet": ["AFP", "AFP", "SOHR", "SOHR"],
            "published": pd.to_datetime(["2016-01-02"] * 4),
            # a and b cite one AFP report (texts differ otherwise); c and d share a text group
            "headline": ["Strikes hit Aleppo", "Strikes hit Aleppo", "Shelling in Homs", "Shelling in Homs"],
        }
    )
    clusters = regressions.report_clusters(events, reports)
    assert clusters[0] == clusters[1] and clusters[2] == clusters[3] and clusters[0] != clusters[2]
