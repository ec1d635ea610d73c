"""Behavioural tests of the trained classifier and of the labelling functions.

Hand-written sentences per event type: ones that must fire, ones that must not
(negated, hypothetical, denied, threatened), and paraphrases without the obvious
keyword. The classifier is trained on the real corpus with the project's params
(session fixture ``trained_model``), so these tests are slow.
"""

import pandas as pd
import pytest

from analysis.labels import functions as rules
from analysis.model.classify import classify_frame

FIRE = {
    "advance": [
        "Government forces recaptured the town of Palmyra on Sunday.",
        "Kurdish fighters stormed the village and took control of the main road.",
    ],
    "retreat": [
        "Rebel fighters withdrew from their positions in the eastern district.",
        "Islamic State militants were driven out of the town after heavy losses.",
    ],
    "siege": [
        "Tens of thousands of civilians remain trapped in the besieged town of Madaya.",
        "Troops encircled the rebel-held district and cut off all supply lines.",
    ],
    "defection": [
        "Dozens of soldiers defected to the rebels on Tuesday, a monitor said.",
        "A senior commander and his fighters switched sides and joined the opposition.",
    ],
    "surrender": [
        "More than 200 fighters surrendered to the army and handed over their weapons.",
        "Militants laid down their arms under a deal with the government.",
    ],
    "clash": [
        "Fierce clashes broke out between the army and rebels on the outskirts of Hama.",
        "Fighters ambushed an army patrol, killing five soldiers in a firefight.",
    ],
    "airstrike": [
        "Russian warplanes carried out airstrikes on the town on Monday.",
        "A drone strike hit a convoy near Raqqa.",
    ],
    "shelling": [
        "Government artillery shelled residential areas of Douma.",
        "Mortar rounds fell on the old city, a state news agency said.",
    ],
    "bombing": [
        "A suicide bomber blew himself up at a checkpoint in Baghdad.",
        "A car bomb exploded near a market in the city centre.",
    ],
    "civilian_harm": [
        "Twelve civilians, including four children, were killed in the attack.",
        "Thousands of families were displaced by the fighting.",
    ],
    "negotiation": [
        "A ceasefire brokered by Russia and Turkey came into force at midnight.",
        "Delegations of the government and the opposition held talks in Geneva.",
    ],
    "chemical": [
        "Dozens suffocated in a suspected chlorine gas attack on the town.",
        "Inspectors confirmed that sarin was used in the attack.",
    ],
}

MUST_NOT_FIRE = {
    "advance": ["The army vowed to storm the city within days."],
    "siege": ["The United Nations warned of a siege if the offensive went ahead."],
    "defection": ["The army denied any defections among its officers."],
    "surrender": ["Leaflets dropped on the town called on the fighters to surrender."],
    "negotiation": ["The opposition rejected calls for a truce."],
    "chemical": ["The minister said the country had no chemical weapons programme and would never use them."],
}

PARAPHRASE = {
    # no "capture", "seize", "retake", "storm": gaining ground described otherwise
    "advance": ["After a week of fighting the town fell to government troops."],
    # no "siege", "besiege", "encircle": people cut off from food and exit
    "siege": ["Residents have been trapped for months with no food or medicine allowed in."],
    # no "airstrike", "warplane": an aircraft dropping barrels
    "airstrike": ["Helicopters dropped barrel bombs on the eastern neighbourhoods."],
    # no "civilian": the victims named otherwise
    "civilian_harm": ["Five children and their mother were killed when the shell hit their home."],
}

MOSQUE_PARAGRAPH = (
    "Iraqi troops besieged Islamic State militants in the Old City of Mosul on Tuesday and edged closer "
    "to the al-Nuri mosque, commanders said. The militants are also reeling from the biggest defection "
    "in the group's history, after dozens of its fighters deserted and switched sides."
)


def _labels(model, text: str) -> set[str]:
    frame = pd.DataFrame({"id": ["x"], "title": [""], "text": [text]})
    result = classify_frame(frame, model).iloc[0]
    return set(filter(None, result["labels"].split(";")))


pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("event_type", "text"), [(t, s) for t, ss in FIRE.items() for s in ss])
def test_classifier_fires_on_clear_reports(trained_model, event_type, text):
    assert event_type in _labels(trained_model, text)


@pytest.mark.parametrize(("event_type", "text"), [(t, s) for t, ss in MUST_NOT_FIRE.items() for s in ss])
def test_classifier_ignores_negated_and_hypothetical_events(trained_model, event_type, text):
    assert event_type not in _labels(trained_model, text)


KNOWN_PARAPHRASE_MISSES = {
    # "fell to" is also the codebook's example of background ("the city that fell to IS in 2014"),
    # so its rule does not vote and too few gold documents teach it
    "After a week of fighting the town fell to government troops.": "advance via 'fell to' is not learned",
    # a siege described only by its effects (trapped, no food allowed in) is too rare in the gold data
    "Residents have been trapped for months with no food or medicine allowed in.": "siege by its effects only",
}


@pytest.mark.parametrize(
    ("event_type", "text"),
    [
        pytest.param(t, s, marks=pytest.mark.xfail(reason=KNOWN_PARAPHRASE_MISSES[s], strict=True))
        if s in KNOWN_PARAPHRASE_MISSES
        else (t, s)
        for t, ss in PARAPHRASE.items()
        for s in ss
    ],
)
def test_classifier_understands_paraphrases(trained_model, event_type, text):
    assert event_type in _labels(trained_model, text)


def test_mosque_paragraph_gets_siege_advance_and_defection(trained_model):
    assert {"siege", "advance", "defection"} <= _labels(trained_model, MOSQUE_PARAGRAPH)


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
