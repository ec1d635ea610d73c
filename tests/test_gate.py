"""The out-of-domain gate (train.ood_gate), its sentence rows, and the functions' declared polarity."""

import dataclasses

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES, MILITARY_TYPES
from analysis.labels.functions import NEG, POS, labeling_functions
from analysis.model import ood
from analysis.model.classifier import EventClassifier
from analysis.model.datasets import SET_COLUMNS
from analysis.params import load_params

from training_sets import NO_RULES


def _rows(texts, *, source, labels=None):
    frame = pd.DataFrame(
        {
            "doc_id": [f"{source}:{i}" for i in range(len(texts))],
            "collection": "fakes",
            "source": source,
            "stratum": "",
            "weight": 1.0,
            "text": texts,
        }
    )
    for t in EVENT_TYPES:
        value = (labels or {}).get(t, False if source != "ood" or t in MILITARY_TYPES else pd.NA)
        frame[t] = pd.array([value] * len(texts), dtype="boolean")
    return frame[SET_COLUMNS]


def _train():
    places = ["Aleppo", "Homs", "Hama", "Idlib", "Daraa", "Raqqa"]
    clash = [f"Rebels clash with regime forces near {p}" for p in places]
    other = [f"Warplanes struck a market in {p}" for p in places]
    sport = [
        f"Liverpool clash with {c} in the cup" for c in ["Everton", "Leeds", "Spurs", "Chelsea", "Fulham", "Wolves"]
    ]
    return pd.concat(
        [
            _rows(clash, source="gold", labels={"clash": True}),  # conflict news with the type
            _rows(other, source="gold"),  # conflict news without it
            _rows(sport, source="ood"),  # outside news using the same word
        ],
        ignore_index=True,
    )


def test_the_gate_lowers_outside_news_and_keeps_conflict_news():
    spec = dataclasses.replace(load_params("train").spec(), min_positives=3, calibration_folds=2, min_df=1)
    train = _train()
    gated = EventClassifier(dataclasses.replace(spec, ood_gate=True), seed=1).fit(
        train["text"], train, label_model=NO_RULES
    )
    plain = EventClassifier(dataclasses.replace(spec, ood_gate=False), seed=1).fit(
        train["text"], train, label_model=NO_RULES
    )
    assert plain.gate_ is None and gated.gate_ is not None
    texts = pd.Series(["Liverpool clash with Arsenal in the cup", "Rebels clash with regime forces near Tadmur"])
    g, p = gated.predict_proba(texts), plain.predict_proba(texts)
    assert g.loc[0, "p_clash"] < p.loc[0, "p_clash"]  # the football match is scaled down
    assert g.loc[1, "p_clash"] > g.loc[0, "p_clash"]  # the fight is not
    # without out-of-domain rows there is nothing to learn the gate from
    only_corpus = train[train["source"] != "ood"]
    assert EventClassifier(spec, seed=1).fit(only_corpus["text"], only_corpus, label_model=NO_RULES).gate_ is None


def test_gate_sentences_are_conflict_news_for_the_gate_and_no_label_for_any_type():
    train = _rows(
        ["Troops advanced on the town. Three soldiers were killed in the fighting overnight. Ok."], source="weak"
    )
    rows = ood.corpus_sentences(train, articles=["fakes"], max_rows=10, seed=1)
    # two sentences of five words or more; "Ok." is too short
    assert rows["text"].tolist() == [
        "Troops advanced on the town.",
        "Three soldiers were killed in the fighting overnight.",
    ]
    assert (rows["source"] == "sentence").all() and rows[list(EVENT_TYPES)].isna().all().all()
    assert ood.corpus_sentences(train, articles=["fakes"], max_rows=0, seed=1).empty  # switched off


def test_each_function_declares_the_vote_it_casts():
    polarity = {lf.name: lf.polarity for lf in labeling_functions()}
    assert polarity["clash_cue"] == POS and polarity["clash_actors"] == POS
    assert polarity["clash_not_asserted"] == NEG and polarity["no_event_content"] == NEG
    assert set(polarity.values()) == {POS, NEG} and np.isin(list(polarity.values()), [POS, NEG]).all()
