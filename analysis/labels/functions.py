"""Labelling functions: cue patterns per event type, with negation, modality and hedging.

Each labelling function (LF) reads one document and votes ``POS`` (the type is
reported), ``NEG`` (it is mentioned but not reported as happening) or ``ABSTAIN``.
Per type there are:

- ``<type>_cue``: a strong cue asserted in some clause;
- ``<type>_paraphrase``: a weaker or indirect cue asserted in some clause;
- ``<type>_not_asserted``: cues occur, but only under negation or modality
  ("denied any defections", "vowed to storm", "warned of a siege", "broke the siege").

plus the two actor functions of :mod:`analysis.labels.actors` (``clash_actors``,
``clash_fighters_killed``), which read an armed-actor dictionary, and ``no_event_content``
(a bare place name or code) voting ``NEG`` for every type.

Hedges are not negation: "reportedly captured" and "alleged chemical attack" are
claims, and the codebook counts claims. The patterns are in :mod:`analysis.labels.cues`;
votes are combined by :mod:`analysis.labels.combine`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.codebook import EVENT_TYPES
from analysis.corpus.text import is_informative
from analysis.labels.actors import EMPTY, ActorDictionary, actor_votes
from analysis.labels.cues import BACKGROUND, CUES, HARM, MODALITY, NEGATION, PARAPHRASES

POS, NEG, ABSTAIN = 1, 0, -1

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
    return not (NEGATION.search(before) or MODALITY.search(before) or BACKGROUND.search(before))


def _count(pattern: re.Pattern[str], parts: list[str]) -> tuple[int, int]:
    """Count (asserted, not asserted) matches of ``pattern`` over clauses already split."""
    asserted = unasserted = 0
    for clause in parts:
        for m in pattern.finditer(clause):
            if is_asserted(clause, m.start()):
                asserted += 1
            else:
                unasserted += 1
    return asserted, unasserted


def _matches(pattern: re.Pattern[str], text: str) -> tuple[int, int]:
    """Count (asserted, not asserted) matches of ``pattern`` over the clauses of ``text``."""
    return _count(pattern, clauses(text))


def _civilian_asserted(parts: list[str]) -> bool:
    for clause in parts:
        for m in PARAPHRASES["civilian_harm"].finditer(clause):
            if is_asserted(clause, m.start()) and HARM.search(clause):
                return True
    return False


def _civilian_paraphrase(text: str) -> bool:
    return _civilian_asserted(clauses(text))


@lru_cache(maxsize=2**16)
def _votes(text: str, actors: ActorDictionary = EMPTY) -> tuple[int, ...]:
    """Every function's vote on ``text``, in :func:`labeling_functions` order, in one pass.

    The same votes as calling each function in turn (a test holds them equal), but the
    text is split into clauses once and each type's cue is matched once, for both its
    ``_cue`` and ``_not_asserted`` functions. The votes are a pure function of the text, so
    they are remembered within a process: a stage that predicts and weak-labels the same
    texts (evaluate, score_test) runs the rules once per text.
    """
    parts = clauses(text)
    votes = []
    for t in EVENT_TYPES:
        asserted, unasserted = _count(CUES[t], parts)
        if t == "civilian_harm":
            paraphrase = _civilian_asserted(parts)
        else:
            paraphrase = _count(PARAPHRASES[t], parts)[0] > 0
        votes += [
            POS if asserted else ABSTAIN,
            POS if paraphrase else ABSTAIN,
            NEG if unasserted and not asserted else ABSTAIN,
        ]
    votes += [POS if hit else ABSTAIN for hit in actor_votes(parts, actors, asserted=is_asserted)]
    votes.append(_no_event_content(text))
    return tuple(votes)


@dataclass(frozen=True)
class LabelingFunction:
    """One labelling function: a name, the type it votes on, and ``text -> vote``."""

    name: str
    event_type: str | None  # None: votes on every type
    fn: Callable[[str], int]
    polarity: int = POS  # the one vote it casts besides abstaining: POS or NEG

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


def _actor_lf(which: int, actors: ActorDictionary) -> Callable[[str], int]:
    return lambda text: POS if actor_votes(clauses(text), actors, asserted=is_asserted)[which] else ABSTAIN


def labeling_functions(actors: ActorDictionary = EMPTY) -> list[LabelingFunction]:
    """Return every labelling function, in a stable order (type by type, the actor functions, the global one).

    The names and order do not depend on ``actors``; with :data:`~analysis.labels.actors.EMPTY`
    the actor functions always abstain.
    """
    lfs = []
    for t in EVENT_TYPES:
        lfs.append(LabelingFunction(f"{t}_cue", t, _cue_lf(t)))
        lfs.append(LabelingFunction(f"{t}_paraphrase", t, _paraphrase_lf(t)))
        lfs.append(LabelingFunction(f"{t}_not_asserted", t, _not_asserted_lf(t), NEG))
    lfs.append(LabelingFunction("clash_actors", "clash", _actor_lf(0, actors)))
    lfs.append(LabelingFunction("clash_fighters_killed", "clash", _actor_lf(1, actors)))
    lfs.append(LabelingFunction("no_event_content", None, _no_event_content, NEG))
    return lfs


def apply_lfs(texts: pd.Series, actors: ActorDictionary = EMPTY) -> pd.DataFrame:
    """Apply every labelling function to every text, the actor functions with ``actors``.

    Returns
    -------
    DataFrame
        Index of ``texts``; one ``int8`` column per labelling function (named like it) with
        votes ``1`` (POS), ``0`` (NEG) or ``-1`` (ABSTAIN).
    """
    names = [lf.name for lf in labeling_functions()]
    votes = np.array([_votes(text, actors) for text in texts], dtype=np.int8).reshape(len(texts), len(names))
    return pd.DataFrame(votes, index=texts.index, columns=names)
