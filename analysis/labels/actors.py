"""Armed actors, as event coders use them: a dictionary and the clash rules built on it.

PETRARCH and PLOVER/NGEC code an event when an actor from a dictionary does something, by a
verb pattern, to another. The dictionary here is data (``dictionaries/*.yaml``, named in
``params.yaml: weak_label.actor_files``): every armed side UCDP coded in the study's files,
with the names headlines use for it, plus generic words for an armed party. Two labelling
functions read it (:func:`actor_votes`):

- ``clash_actors``: an armed actor attacks, kills, ambushes or repels another armed actor in
  an asserted clause ("Kurd troops attack Iraq jihadists on three fronts");
- ``clash_fighters_killed``: soldiers or fighters are killed (codebook rule 5: fighters killed
  in fighting are ``clash``) in a clause that names no air, artillery or bomb weapon (those
  are the weapon's type).

Both vote only ``POS`` or abstain, and the label model lets them vote only where they are
accurate enough on gold train (:func:`analysis.labels.combine.select_lfs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from analysis.errors import DataError

KINDS = ("state", "rebel", "jihadist", "kurdish", "militia", "foreign_state")

#: What one armed party does to another in a clash (an air, artillery or bomb weapon is another type).
_HOSTILE = (
    r"attack\w*|assault\w*|kill(?:s|ed|ing)?|ambush\w*|repel\w*|repuls\w*|fight\w*|battl\w*|clash\w*|"
    r"engag\w*|confront\w*|target(?:s|ed|ing)?|overr[ua]n\w*|storm\w*|raid(?:s|ed)?\s+(?:on\s+)?(?:a\s+|the\s+)?"
    r"(?:positions?|posts?|checkpoints?|headquarters|bases?)|hit(?:s)?|counter-?attack\w*|infiltrat\w*|"
    r"captur\w*|execut\w*|behead\w*|wound\w*|injur\w*|eliminat\w*|neutrali[sz]\w*|slay\w*|slain|shoot\w*|shot"
)
_DIE = r"(?:were\s+|was\s+|are\s+|have\s+been\s+|has\s+been\s+)?(?:killed|dead|died|die|slain|lost\s+their\s+lives)"
_NUMBER = r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|dozens|scores|hundreds|several|many)"
#: A weapon of another type in the same clause: then the clause is that type's, not a clash.
_WEAPON = re.compile(
    r"\b(?:air\s?strikes?|air\s?raids?|warplanes?|jets?|drones?|helicopters?|barrel|aerial|aircraft|shell\w*|"
    r"artillery|mortars?|rockets?|missiles?|bombard\w*|bomb\w*|explosi\w*|blasts?|ieds?|mines?|suicide|"
    r"car\s?bombs?|detonat\w*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ActorDictionary:
    """Armed actors' names (UCDP's and the aliases) and the generic words for an armed party.

    Frozen and hashable, so that the labelling functions' votes can be cached per dictionary.
    """

    names: tuple[str, ...]
    generic: tuple[str, ...]

    @cached_property
    def armed(self) -> str:
        """One regex alternative matching any armed party (longest names first)."""
        words = sorted({*self.names, *self.generic}, key=lambda w: (-len(w), w))
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The actor-acts-on-actor and the fighters-killed patterns."""
        party = rf"(?<![\w-])(?:{self.armed})(?![\w-])"
        acts = re.compile(rf"{party}(?:\W+\w+){{0,4}}?\W+(?P<verb>{_HOSTILE})\b(?:\W+\w+){{0,5}}?\W+{party}", re.I)
        killed = re.compile(
            rf"(?:{_NUMBER}\s+(?:\w+\s+){{0,3}}?{party}(?:\s+\w+){{0,6}}?\s+{_DIE}\b)"
            rf"|(?:kill(?:s|ed|ing)?\s+(?:at\s+least\s+)?{_NUMBER}\s+(?:\w+\s+){{0,2}}?{party})"
            rf"|(?:{party}\s+{_DIE}\s+(?:in|during)\s+(?:\w+\s+){{0,2}}?(?:clash\w*|fighting|battles?|attacks?|ambush\w*))",
            re.I,
        )
        return acts, killed


#: No dictionary: the actor functions abstain (a model trained before they existed, or no file named).
EMPTY = ActorDictionary(names=(), generic=())


def read_actor_file(path: Path) -> dict:
    """Read one dictionary file and check it.

    Raises
    ------
    DataError
        One line naming the file and the entry: no ``actors`` list, an entry without ``ucdp``,
        an unknown ``kind``, or aliases that are not a list.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read the actor dictionary ({exc.__class__.__name__})") from None
    if not isinstance(data.get("actors"), list):
        raise DataError(f"{path}: no `actors` list")
    for i, entry in enumerate(data["actors"], start=1):
        if not isinstance(entry, dict) or not entry.get("ucdp"):
            raise DataError(f"{path}: actor {i}: no `ucdp` name")
        if entry.get("kind") not in KINDS:
            raise DataError(f"{path}: actor {i} ({entry['ucdp']}): kind {entry.get('kind')!r} is not one of {KINDS}")
        if not isinstance(entry.get("aliases", []), list):
            raise DataError(f"{path}: actor {i} ({entry['ucdp']}): `aliases` must be a list")
    return data


def load_actors(files: list[Path] | tuple[Path, ...]) -> ActorDictionary:
    """Merge dictionary files into one :class:`ActorDictionary` (no files: :data:`EMPTY`)."""
    names: set[str] = set()
    generic: set[str] = set()
    for path in files:
        data = read_actor_file(path)
        generic |= {str(w) for w in data.get("generic", [])}
        for entry in data["actors"]:
            names |= {str(entry["ucdp"]), *(str(a) for a in entry.get("aliases", []))}
    return ActorDictionary(names=tuple(sorted(names)), generic=tuple(sorted(generic)))


def actors_to_json(actors: ActorDictionary) -> dict:
    """Return the dictionary as a JSON-able mapping (kept in the label model, so a saved model carries it)."""
    return {"names": list(actors.names), "generic": list(actors.generic)}


def actors_from_json(data: dict | None) -> ActorDictionary:
    """Inverse of :func:`actors_to_json`; ``None`` (a label model without one) gives :data:`EMPTY`."""
    if not data:
        return EMPTY
    return ActorDictionary(names=tuple(data["names"]), generic=tuple(data["generic"]))


def actor_votes(parts: list[str], actors: ActorDictionary, *, asserted) -> tuple[bool, bool]:
    """Whether some asserted clause has an armed actor acting on another, and fighters killed.

    Parameters
    ----------
    parts : list of str
        The text's clauses (:func:`analysis.labels.functions.clauses`).
    actors : ActorDictionary
        The dictionary; :data:`EMPTY` gives ``(False, False)``.
    asserted : callable
        ``(clause, start) -> bool`` (:func:`analysis.labels.functions.is_asserted`).
    """
    if not actors.names and not actors.generic:
        return False, False
    acts, killed = actors.patterns
    hit_acts = hit_killed = False
    for clause in parts:
        if _WEAPON.search(clause):
            continue
        if not hit_acts:
            m = acts.search(clause)
            hit_acts = bool(m) and asserted(clause, m.start("verb"))  # "the army denied that troops killed ..."
        if not hit_killed:
            m = killed.search(clause)
            hit_killed = bool(m) and asserted(clause, m.end() - 1)
    return hit_acts, hit_killed


def coverage(sides: list[str], actors_files: list[Path]) -> tuple[float, list[str]]:
    """Share of UCDP side mentions (a side of several groups split at ``", "``) named in the files.

    Returns
    -------
    tuple
        The share of armed-side mentions covered (``Civilians`` left out) and the names not
        covered, most frequent first.
    """
    listed = {str(e["ucdp"]) for path in actors_files for e in read_actor_file(path)["actors"]}
    counts: dict[str, int] = {}
    for side in sides:
        for name in str(side).split(", "):
            if name and name != "Civilians":
                counts[name] = counts.get(name, 0) + 1
    total = sum(counts.values())
    missing = sorted((n for n in counts if n not in listed), key=lambda n: (-counts[n], n))
    return (1.0 - sum(counts[n] for n in missing) / total if total else 1.0), missing


def actors_of(label_model: dict | None) -> ActorDictionary:
    """Return the dictionary a label model (``label_model.json``, or a saved model's copy) was fitted with."""
    return actors_from_json((label_model or {}).get("actors"))
