"""The event-type label set: the single source of truth for names, order and definitions.

Version 1 of the project codebook (``docs/codebook.md``). Every stage, table and
test takes the label set from :data:`EVENT_TYPES`.
"""

from __future__ import annotations

CODEBOOK_VERSION = 1

#: Event types in codebook order, with a one-line definition each.
DEFINITIONS: dict[str, str] = {
    "advance": "an armed actor gains ground: captures, retakes, storms, enters or pushes forward",
    "retreat": "an armed actor loses or gives up ground: withdraws, is driven out, evacuated as fighters",
    "siege": "a place, force or population is encircled, besieged, blockaded or cut off",
    "defection": "members of a force, group or government defect, desert, switch sides or break away",
    "surrender": "fighters or units surrender, lay down arms, hand themselves in or settle their status",
    "clash": "direct armed engagement on the ground: fighting, battles, clashes, sniper fire, ambushes",
    "airstrike": "strikes from the air: warplanes, drones, helicopters, barrel bombs",
    "shelling": "fire from ground-based weapons: artillery, mortars, rockets, ground-launched missiles",
    "bombing": "explosive attacks not fired from weapons: suicide attacks, car bombs, IEDs, landmines",
    "civilian_harm": "civilians killed, wounded, abducted, executed, starved or displaced; massacres",
    "negotiation": "talks, truces, ceasefires, agreements or deals between parties, held, reached or in force",
    "chemical": "use of chemical weapons or toxic gas, alleged or confirmed",
}
EVENT_TYPES: tuple[str, ...] = tuple(DEFINITIONS)


def parse_labels(value: object, *, where: str = "") -> frozenset[str]:
    """Parse a ``;``-joined label string into a set, rejecting names outside the codebook.

    >>> sorted(parse_labels("siege;advance"))
    ['advance', 'siege']
    >>> parse_labels("")
    frozenset()
    """
    if value is None or (isinstance(value, float) and value != value):
        return frozenset()
    labels = frozenset(x.strip() for x in str(value).split(";") if x.strip())
    unknown = sorted(labels - set(EVENT_TYPES))
    if unknown:
        raise ValueError(f"{where}unknown event type(s) {unknown}; the codebook has {list(EVENT_TYPES)}")
    return labels


def format_labels(labels: frozenset[str] | set[str]) -> str:
    """Join labels with ``;`` in codebook order.

    >>> format_labels({"siege", "advance"})
    'advance;siege'
    """
    return ";".join(t for t in EVENT_TYPES if t in labels)
