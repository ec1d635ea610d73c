"""Labelling functions: cue patterns per event type, with negation, modality and hedging.

Each labelling function (LF) reads one document and votes ``POS`` (the type is
reported), ``NEG`` (it is mentioned but not reported as happening) or ``ABSTAIN``.
Per type there are:

- ``<type>_cue``: a strong cue asserted in some clause;
- ``<type>_paraphrase``: a weaker or indirect cue asserted in some clause;
- ``<type>_not_asserted``: cues occur, but only under negation or modality
  ("denied any defections", "vowed to storm", "warned of a siege", "broke the siege").

plus ``no_event_content`` (a bare place name or code) voting ``NEG`` for every type.

Hedges are not negation: "reportedly captured" and "alleged chemical attack" are
claims, and the codebook counts claims. Votes are combined by :func:`weak_labels`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.clean import is_informative
from analysis.codebook import EVENT_TYPES

POS, NEG, ABSTAIN = 1, 0, -1


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")", re.IGNORECASE)


#: Strong cues per type (the "keyword rules" baseline uses these alone, without context).
CUES: dict[str, re.Pattern[str]] = {
    "advance": _rx(
        r"(?:re)?captur(?:e|ed|es|ing)\b",
        r"seiz(?:e|ed|es|ing)\b",
        r"(?:re)?took\s+(?:control|over)",
        r"retak\w+",
        r"storm(?:ed|s|ing)?\b",
        r"liberat\w+",
        r"advanc(?:e|ed|es|ing|ement|ements)\b",  # "achieving more advancement" (UCDP headlines)
        r"tak(?:e|es|ing|en)\s+(?:control|over)",
        r"establish\w*\s+(?:full\s+|complete\s+)?control",
        r"gain(?:s|ed|ing)?\s+control",
        r"expand\w*\s+(?:their\s+|its\s+|his\s+)?control",
        r"push(?:ed|es|ing)?\s+(?:into|towards?|deeper|forward)",
        r"regain\w*",
        r"recover(?:ed|s)?\s+(?:control|the)",
        # the codebook's hard case: troops "edged closer to the mosque" are pushing forward
        r"edg(?:ed|ing|es)\s+closer",
        r"clos(?:e|ed|es|ing)\s+in\s+on",
    ),
    "retreat": _rx(
        r"withdr[ae]w\w*",
        r"withdrawal",
        r"pull(?:ed|s|ing)?\s+(?:out|back)",
        r"retreat\w*",
        r"driven\s+out",
        r"expelled",
        r"los(?:t|e|es|ing)\s+(?:control|ground|positions?)",
        r"ousted",
        r"abandon(?:ed|s)?\s+(?:their|its|positions?)",
        r"evacuat\w+\s+(?:of\s+)?(?:the\s+)?(?:fighters|militants|rebels|gunmen|insurgents)",
    ),
    "siege": _rx(r"besieg\w*", r"sieges?\b", r"encircl\w*", r"blockad\w*", r"encirclement", r"under\s+siege"),
    "defection": _rx(
        r"defect(?:ed|ion|ions|ing|s|ors?)\b",
        r"desert(?:ed|ion|ions|ers?|ing)\b",
        r"switch\w*\s+sides",
        r"split\s+(?:from|away)",
        r"br(?:eak|oke|eaking)\s+ranks",
        r"breakaway",
    ),
    "surrender": _rx(
        r"surrender\w*",
        r"la(?:y|id|ying|ys)\s+down\s+(?:their\s+|his\s+|its\s+)?(?:arms|weapons)",
        r"hand\w*\s+(?:over|in)\s+(?:their\s+|his\s+)?(?:weapons|arms)",
        r"turn\w*\s+themselves\s+in",
        r"handed\s+themselves",
        r"settl\w*\s+(?:of\s+)?(?:their\s+|the\s+)?status",
    ),
    "clash": _rx(
        r"clash\w*",
        r"fighting\b",
        r"battl(?:e|es|ed|ing)\b",
        r"firefight",
        r"exchange\s+of\s+fire",
        r"snipers?\b",
        r"sniper\s+fire",
        r"ambush\w*",
        r"gun\s?battle",
        r"skirmish\w*",
        r"repel\w*",
        r"repuls\w*",
        r"combat\b",
    ),
    "airstrike": _rx(
        r"air\s?strikes?",
        r"airstrikes?",
        r"air\s?raids?",
        r"warplanes?",
        r"war\s+planes",
        r"fighter\s+jets?",
        r"jets\b",
        r"drones?\b",
        r"helicopters?",
        r"barrel\s?bombs?",
        r"aerial",
        r"air\s+force",
        r"aircraft",
        r"air\s+attacks?",
        r"coalition\s+(?:air\s*)?strikes?",
    ),
    "shelling": _rx(
        r"shell(?:ing|ed|s)\b",
        r"artillery",
        r"mortars?\b",
        r"mortar\s+shells?",
        r"rockets?\b",
        r"missiles?\b",
        r"bombard\w*",
        r"howitzers?",
        r"katyusha",
        r"grad\b",
        r"projectiles?",
        r"tank\s+fire",
    ),
    "bombing": _rx(
        r"suicide\s+(?:bomb\w*|attack\w*|car|truck|vest|belt)",
        r"car\s?bombs?",
        r"truck\s?bombs?",
        r"bomb(?:er|ers)\b",
        r"vbied",
        r"ieds?\b",
        r"improvised\s+explosive",
        r"roadside\s+bombs?",
        r"explosive\s+devices?",
        r"explosions?\b",
        r"blasts?\b",
        r"landmines?",
        r"land\s+mines?",
        r"booby.?trapped",
        r"detonat\w+",
        r"explod\w+",
    ),
    "civilian_harm": _rx(
        r"massacre\w*",
        r"civilians?\s+(?:were\s+|was\s+)?(?:killed|dead|died|wounded|injured|casualties)",
        r"displaced",
        r"refugees?\b",
        r"humanitarian\s+(?:crisis|catastrophe|situation)",
    ),
    "negotiation": _rx(
        r"talks\b",
        r"truces?\b",
        r"cease-?fires?",
        r"agreements?\b",
        r"deals?\b",
        r"negotiat\w+",
        r"de-?escalation",
        r"cessation\s+of\s+hostilities",
        r"accords?\b",
        r"peace\s+(?:talks|process|conference|plan)",
        r"reconciliation",
    ),
    "chemical": _rx(
        r"chemical\s+(?:weapons?|attacks?|agents?|arms|munitions)",
        r"sarin",
        r"chlorine",
        r"toxic\s+gas\w*",
        r"nerve\s+(?:agents?|gas)",
        r"poison\w*\s+gas",
        r"mustard\s+gas",
        r"gas\s+attacks?",
        r"chemical",
    ),
}

#: Weaker or indirect cues: paraphrases that carry the type without its usual keyword.
PARAPHRASES: dict[str, re.Pattern[str]] = {
    "advance": _rx(
        r"entered\b",
        r"(?:made|making|new)\s+gains",
        r"gains\s+(?:in|against|on)",
        r"fell\s+to",
        r"falls\s+to",
        r"in\s+control\s+of",
        r"controlled\s+the",
        r"control(?:s|led)?\s+(?:\d+|new|several)\b",  # "Turkish forces control 7 villages"
        r"moved\s+into",
        r"progress(?:ed)?\b",
        r"offensive\s+(?:on|to\s+retake|against)",
        r"routed",
    ),
    "retreat": _rx(
        r"fled\s+(?:their\s+)?positions",
        r"fle(?:e|es|d|eing)\s+(?:from\s+|on\s+)?(?:the\s+|their\s+)?(?:town|city|area|village|fronts?|positions|battlefield)",
        r"(?:militants|fighters|troops|soldiers|forces|rebels|jihadists)\s+(?:who\s+)?(?:were\s+)?fle(?:e|d|eing)\b",
        r"collaps\w+",
        r"were\s+forced\s+out",
        r"left\s+the\s+(?:town|city|area|district)",
        r"evacuation\s+of\s+(?:the\s+)?(?:last\s+)?(?:rebels?|fighters|militants)",
    ),
    "siege": _rx(
        r"surround\w*",
        r"cut\s+off",
        r"trapped",
        r"starv\w+",
        r"noose",
        r"besieged",
        r"sealed\s+off",
        r"supply\s+lines?",
    ),
    "defection": _rx(
        r"join(?:ed|s|ing)?\s+(?:the\s+)?(?:ranks\s+of|rival)",
        r"changed\s+sides",
        r"abandon\w*\s+(?:the\s+)?(?:regime|army|group)",
        r"pledg\w+\s+allegiance",
        r"left\s+the\s+(?:group|army|regime)",
    ),
    "surrender": _rx(
        r"gave\s+themselves\s+up", r"give\s+themselves\s+up", r"reconcil\w+\s+(?:their|with)", r"capitulat\w+"
    ),
    "clash": _rx(
        r"fierce\s+(?:fighting|clashes|battles?)",
        r"attack(?:ed|s)?\s+(?:on\s+)?(?:an?\s+)?(?:army|military|checkpoints?|positions?|posts?|troops|convoy|base)",
        r"offensive\b",
        r"assault\b",
        r"gunmen",
        r"gunfire",
        r"shootout",
        r"fighters\s+(?:were\s+)?killed",
        r"soldiers\s+(?:were\s+)?killed",
        r"militants\s+(?:were\s+)?killed",
        r"members\s+of\s+the\s+regime\s+forces",
    ),
    "airstrike": _rx(
        r"raids?\b",
        r"bombing\s+raids?",
        r"bombers?\s+(?:struck|hit)",
        r"strikes\s+(?:by|from)\s+(?:the\s+)?(?:us|russian|coalition)",
        r"russian\s+strikes",
        r"coalition\s+strikes",
        r"bombed\s+from",
        r"airpower",
    ),
    "shelling": _rx(
        r"shells\s+fell",
        r"fired\s+(?:shells|rockets)",
        r"ground\s+attack",
        r"surface-to-surface",
        r"cannon\w*",
        r"hell\s+cannon",
    ),
    "bombing": _rx(
        r"bombings?\b",
        r"bomb\s+attacks?",
        r"explosive",
        r"self-?detonat\w+",
        r"attack\s+with\s+explosives",
        r"motorcycle\s+bomb",
    ),
    "civilian_harm": _rx(
        r"children",
        r"women",
        r"families",
        r"residents",
        r"citizens",
        r"hospitals?",
        r"schools?",
        r"civilians?",
        r"kidnapp\w+",
        r"abduct\w+",
        r"executed",
        r"starvation",
        r"humanitarian",
        r"wounded\s+people",
        r"dead\s+people",
    ),
    "negotiation": _rx(
        r"evacuation\s+deal",
        r"agreed\s+to",
        r"mediat\w+",
        r"geneva",
        r"astana",
        r"sochi",
        r"humanitarian\s+pause",
        r"safe\s+zones?",
        r"de-?confliction",
    ),
    "chemical": _rx(r"suffocat\w+", r"asphyxia\w*", r"organophosph\w+", r"gas\b", r"toxic"),
}

#: Harm words a civilian paraphrase must share a clause with to count.
_HARM = _rx(
    r"kill\w*",
    r"dead",
    r"deaths?",
    r"died",
    r"die\b",
    r"wound\w*",
    r"injur\w*",
    r"casualt\w+",
    r"victims?",
    r"martyr\w*",
    r"massacre\w*",
    r"displac\w+",
    r"fle(?:e|d|eing)\b",
    r"starv\w+",
    r"abduct\w+",
    r"kidnap\w+",
    r"execut\w+",
    r"hit\b",
    r"targeted",
    r"suffocat\w+",
    r"lost\s+their\s+lives",
    r"toll",
)

_NEGATION = _rx(
    r"no\b",
    r"not\b",
    r"never\b",
    r"n't\b",
    r"den(?:y|ied|ies|ying)\b",
    r"without\b",
    r"reject\w*",
    r"dismiss\w*",
    r"refut\w*",
    r"nor\b",
    r"false\w*",
    r"fake\b",
)
_MODALITY = _rx(
    r"vow\w*",
    r"threat\w*",
    r"warn\w*",
    r"plan\w*",
    r"will\b",
    r"would\b",
    r"could\b",
    r"may\b",
    r"might\b",
    r"intend\w*",
    r"prepar\w*",
    r"ready\b",
    r"seek\w*",
    r"attempt\w*",
    r"tried\b",
    r"tries\b",
    r"trying\b",
    r"call(?:s|ed|ing)?\s+(?:for|on)",
    r"demand\w*",
    r"urg\w*",
    r"propos\w*",
    r"possible",
    r"potential\w*",
    r"expect\w*",
    r"if\b",
    r"aim\w*",
    r"want\w*",
    r"hop(?:e|es|ed|ing)\b",
    r"fear\w*",
    r"risk\w*",
    r"unless\b",
    r"should\b",
    r"lift\w*",
    r"br(?:oke|eak|oken|eaking)\b",
    r"end(?:ed|ing)?\b",
    r"after\s+the\s+end",
    r"avoid\w*",
    r"prevent\w*",
)
# a cue that only describes the place of another event is background: "withdrew from the
# areas it advanced to", "the positions they had captured"
_BACKGROUND = re.compile(
    r"\b(?:areas?|positions?|villages?|towns?|points?|places?|sites?|territor(?:y|ies))"
    r"(?:\s+(?:that|which))?(?:\s+(?:it|they|he|she|we|the\s+\w+))?(?:\s+(?:had|have|has))?$",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"(?<=[.!?;:])\s+|\s*\n\s*|,\s+(?:but|while|whereas)\s+")
_WINDOW = 6  # words before a cue that can negate or modalise it


def clauses(text: str) -> list[str]:
    r"""Split a text into clauses (sentences, headline lines, contrastive ``, but`` parts).

    >>> clauses("Rebels denied defecting. Troops captured the town \n Talks, but no deal")
    ['Rebels denied defecting.', 'Troops captured the town', 'Talks', 'no deal']
    """
    return [c for c in _CLAUSE.split(text) if c.strip()]


def is_asserted(clause: str, start: int) -> bool:
    """Say whether the cue starting at ``start`` in ``clause`` is reported as happening.

    A cue is not asserted when one of the :data:`_WINDOW` words before it negates it
    ("denied any defections") or puts it under modality ("vowed to storm", "warned of a
    siege", "broke the siege"), or when it only names the place of another event
    ("withdrew from the areas it advanced to").

    >>> c = "The army denied any defections"
    >>> is_asserted(c, c.index("defections"))
    False
    >>> c = "Rebels reportedly captured the town"
    >>> is_asserted(c, c.index("captured"))
    True
    >>> c = "IS withdraws from the areas it advanced to"
    >>> is_asserted(c, c.index("advanced"))
    False
    """
    before = " ".join(clause[:start].split()[-_WINDOW:])
    return not (_NEGATION.search(before) or _MODALITY.search(before) or _BACKGROUND.search(before))


def _matches(pattern: re.Pattern[str], text: str) -> tuple[int, int]:
    """Count (asserted, not asserted) matches of ``pattern`` over the clauses of ``text``."""
    asserted = unasserted = 0
    for clause in clauses(text):
        for m in pattern.finditer(clause):
            if is_asserted(clause, m.start()):
                asserted += 1
            else:
                unasserted += 1
    return asserted, unasserted


def _civilian_paraphrase(text: str) -> bool:
    for clause in clauses(text):
        for m in PARAPHRASES["civilian_harm"].finditer(clause):
            if is_asserted(clause, m.start()) and _HARM.search(clause):
                return True
    return False


@dataclass(frozen=True)
class LabelingFunction:
    """One labelling function: a name, the type it votes on, and ``text -> vote``."""

    name: str
    event_type: str | None  # None: votes on every type
    fn: Callable[[str], int]

    def __call__(self, text: str) -> int:
        """Return the vote (``POS``, ``NEG`` or ``ABSTAIN``) on ``text``."""
        return self.fn(text)


def _cue_lf(event_type: str) -> Callable[[str], int]:
    return lambda text: POS if _matches(CUES[event_type], text)[0] else ABSTAIN


def _paraphrase_lf(event_type: str) -> Callable[[str], int]:
    if event_type == "civilian_harm":
        return lambda text: POS if _civilian_paraphrase(text) else ABSTAIN
    return lambda text: POS if _matches(PARAPHRASES[event_type], text)[0] else ABSTAIN


def _not_asserted_lf(event_type: str) -> Callable[[str], int]:
    def lf(text: str) -> int:
        asserted, unasserted = _matches(CUES[event_type], text)
        return NEG if unasserted and not asserted else ABSTAIN

    return lf


def _no_event_content(text: str) -> int:
    return NEG if not is_informative(text) else ABSTAIN


def labeling_functions() -> list[LabelingFunction]:
    """Return every labelling function, in a stable order (type by type, then the global one)."""
    lfs = []
    for t in EVENT_TYPES:
        lfs.append(LabelingFunction(f"{t}_cue", t, _cue_lf(t)))
        lfs.append(LabelingFunction(f"{t}_paraphrase", t, _paraphrase_lf(t)))
        lfs.append(LabelingFunction(f"{t}_not_asserted", t, _not_asserted_lf(t)))
    lfs.append(LabelingFunction("no_event_content", None, _no_event_content))
    return lfs


def apply_lfs(texts: pd.Series) -> pd.DataFrame:
    """Apply every labelling function to every text.

    Returns
    -------
    DataFrame
        Index of ``texts``; one ``int8`` column per labelling function (named like it) with
        votes ``1`` (POS), ``0`` (NEG) or ``-1`` (ABSTAIN).
    """
    lfs = labeling_functions()
    votes = np.full((len(texts), len(lfs)), ABSTAIN, dtype=np.int8)
    for i, text in enumerate(texts):
        for j, lf in enumerate(lfs):
            votes[i, j] = lf(text)
    return pd.DataFrame(votes, index=texts.index, columns=[lf.name for lf in lfs])


def select_lfs(votes: pd.DataFrame, gold: pd.DataFrame, *, min_accuracy: float) -> list[str]:
    """Keep the labelling functions whose empirical accuracy on ``gold`` reaches ``min_accuracy``.

    Each type's strong cue (``<type>_cue``) is always kept, so that no type loses its weak
    labels; paraphrase and not-asserted LFs must earn their vote. An LF that never votes
    on ``gold`` is kept (nothing speaks against it). This is the
    project's label model: majority vote among LFs that have shown they are right more
    often than ``min_accuracy`` on gold *training* documents.

    Returns
    -------
    list of str
        Names of the kept LFs, in :func:`labeling_functions` order.
    """
    summary = lf_summary(votes, gold)
    keep = (
        summary["lf"].str.endswith("_cue")
        | summary["empirical_accuracy"].isna()
        | (summary["empirical_accuracy"] >= min_accuracy)
    )
    return summary.loc[keep, "lf"].tolist()


def weak_labels(votes: pd.DataFrame, *, use: list[str] | None = None) -> pd.DataFrame:
    """Combine LF votes into weak labels by majority vote per type.

    For each type, the POS and NEG votes of its own LFs and of the global LFs (those in
    ``use``, default all) are counted; the type is labelled when POS votes outnumber NEG
    votes. No votes, or a tie, is negative: most documents do not report most types.

    Returns
    -------
    DataFrame
        Index of ``votes``; one boolean column per event type.
    """
    allowed = set(votes.columns if use is None else use)
    global_cols = [lf.name for lf in labeling_functions() if lf.event_type is None and lf.name in allowed]
    out = {}
    for t in EVENT_TYPES:
        cols = [c for c in votes.columns if c.startswith(f"{t}_") and c in allowed] + global_cols
        v = votes[cols].to_numpy()
        out[t] = (v == POS).sum(axis=1) > (v == NEG).sum(axis=1)
    return pd.DataFrame(out, index=votes.index)


def keyword_labels(texts: pd.Series) -> pd.DataFrame:
    """Label a type wherever one of its strong cues occurs, with no context handling.

    This is the "keyword rules alone" baseline.

    Returns
    -------
    DataFrame
        Index of ``texts``; one boolean column per event type.
    """
    return pd.DataFrame({t: texts.map(lambda s, p=CUES[t]: bool(p.search(s))) for t in EVENT_TYPES}, index=texts.index)


def lf_summary(votes: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Return the standard labelling-function table against gold labels.

    Parameters
    ----------
    votes : DataFrame
        Output of :func:`apply_lfs` on the gold documents.
    gold : DataFrame
        Boolean frame, one column per event type, same index as ``votes``.

    Returns
    -------
    DataFrame
        One row per LF: ``lf``, ``event_type``, ``polarity``, ``n_docs``, ``coverage``
        (share voting), ``overlap`` (share voting where another LF on the same type also
        votes), ``conflict`` (share voting where another LF on the same type votes the
        other way), ``n_votes``, ``empirical_accuracy`` (share of votes matching gold; for
        the global LF, over all types).
    """
    rows = []
    lfs = labeling_functions()
    for lf in lfs:
        v = votes[lf.name].to_numpy()
        voted = v != ABSTAIN
        types = [lf.event_type] if lf.event_type else list(EVENT_TYPES)
        others = [o.name for o in lfs if o.name != lf.name and (o.event_type in types or o.event_type is None)]
        ov = votes[others].to_numpy()
        other_voted = (ov != ABSTAIN).any(axis=1)
        conflict = ((ov != ABSTAIN) & (ov != v[:, None])).any(axis=1)
        if lf.event_type:
            correct = (v[voted] == gold.loc[voted, lf.event_type].to_numpy().astype(int)).sum()
            n_checked = int(voted.sum())
        else:
            correct = int((~gold.loc[voted, types].to_numpy()).sum())
            n_checked = int(voted.sum()) * len(types)
        polarity = "pos" if lf.name.endswith(("_cue", "_paraphrase")) else "neg"
        rows.append(
            {
                "lf": lf.name,
                "event_type": lf.event_type or "all",
                "polarity": polarity,
                "n_docs": len(v),
                "coverage": float(voted.mean()) if len(v) else np.nan,
                "overlap": float((voted & other_voted).mean()) if len(v) else np.nan,
                "conflict": float((voted & conflict).mean()) if len(v) else np.nan,
                "n_votes": int(voted.sum()),
                "empirical_accuracy": correct / n_checked if n_checked else np.nan,
            }
        )
    return pd.DataFrame(rows)
