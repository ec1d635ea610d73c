"""The labelling functions on hand-written sentences: negation, modality, hedging, background.

The classifier's own behaviour is measured by the pipeline's ``behaviour`` stage (the
CheckList suite of ``annotations/behaviour.yaml``), which lists every failure in a table;
``tests/test_instrument.py`` checks how that stage decides a case.
"""

import pandas as pd
import pytest

from analysis.labels import functions as rules

MUST_NOT_FIRE = {
    "advance": ["The army vowed to storm the city within days."],
    "siege": ["The United Nations warned of a siege if the offensive went ahead."],
    "defection": ["The army denied any defections among its officers."],
    "surrender": ["Leaflets dropped on the town called on the fighters to surrender."],
    "negotiation": ["The opposition rejected calls for a truce."],
    "chemical": ["The minister said the country had no chemical weapons programme and would never use them."],
}


@pytest.mark.parametrize(("event_type", "text"), [(t, s) for t, ss in MUST_NOT_FIRE.items() for s in ss])
def test_rules_do_not_assert_negated_or_modal_cues(event_type, text):
    votes = rules.apply_lfs(pd.Series([text]))
    assert votes.loc[0, f"{event_type}_cue"] != rules.POS


def test_hedged_claims_still_count_for_the_rules():
    # "reportedly" and "alleged" are claims, which the codebook counts
    votes = rules.apply_lfs(
        pd.Series(["Rebels reportedly captured the town.", "An alleged chemical attack killed 20."])
    )
    assert votes.loc[0, "advance_cue"] == rules.POS and votes.loc[1, "chemical_cue"] == rules.POS


@pytest.mark.parametrize(
    ("lf", "text", "vote"),
    [
        # UCDP headlines name ground gained with the noun, or with "control"
        ("advance_cue", "Regime forces achieve more advancement in eastern Ghouta", rules.POS),
        ("advance_cue", "The army establishes full control over the Jabal Badro neighbourhood", rules.POS),
        ("advance_paraphrase", "Turkish forces control 7 villages near Tal Abyad", rules.POS),
        # "control" alone, as a state rather than a gain, is not a paraphrase
        ("advance_paraphrase", "The area is under government control", rules.ABSTAIN),
        # armed actors fleeing a place, or fleeing strikes, are retreating
        ("retreat_paraphrase", "Regime forces flee from the town of Maardis", rules.POS),
        ("retreat_paraphrase", "IS shot dead six of its militants fleeing air strikes", rules.POS),
        # a cue that only names the place of another event is background, not a report
        ("advance_cue", "The group begins to withdraw from the areas it advanced to", rules.ABSTAIN),
        ("advance_not_asserted", "The group begins to withdraw from the areas it advanced to", rules.NEG),
        ("advance_cue", "The army withdrew from positions it had captured", rules.ABSTAIN),
        # ...but a gain of areas is still a gain
        ("advance_cue", "The regime seized areas east of the town", rules.POS),
    ],
)
def test_rules_read_headline_gains_flight_and_background(lf, text, vote):
    assert rules.apply_lfs(pd.Series([text])).loc[0, lf] == vote


def test_votes_in_one_pass_equal_each_function_in_turn():
    # apply_lfs splits each text into clauses once and matches each cue once; every function
    # called on its own must give the same vote
    texts = [
        "Troops captured the town. The army denied any defections, but rebels surrendered.",  # mixed clauses
        "The army vowed to storm the city \n Shelling killed 4 civilians",  # modal cue, headline line break
        "Two civilians were wounded when a roadside bomb went off",  # civilian paraphrase with harm
        "Civilians fled the district",  # civilian paraphrase without harm
        "R3504",  # no event content
        "",  # empty
        "Talks on a ceasefire; no deal was reached. Warplanes struck the market.",
    ]
    lfs = rules.labeling_functions()
    one_by_one = pd.DataFrame([[lf(t) for lf in lfs] for t in texts], columns=[lf.name for lf in lfs], dtype="int8")
    pd.testing.assert_frame_equal(rules.apply_lfs(pd.Series(texts)), one_by_one)
